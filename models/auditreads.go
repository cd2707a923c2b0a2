package models

import (
	"context"

	"gorm.io/gorm"
)

// AuditReads records in one transaction that actor read parts of one or
// more files (a page that shows several parts, a round map that shows
// several files): one event per file and action, so each file's access
// log and the candidate's export list the read.
func (s *Store) AuditReads(ctx context.Context, partyID string, candidateIDs []string, actor Actor, actions ...string) error {
	if len(candidateIDs) == 0 || len(actions) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		for _, id := range candidateIDs {
			for _, a := range actions {
				if err := s.audit(tx, partyID, &id, actor, a); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
