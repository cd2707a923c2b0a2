package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RetentionItem is a candidate file whose retention period is over.
type RetentionItem struct {
	CandidateID string    `json:"candidate_id"`
	PartyID     string    `json:"party_id"`
	RoundID     string    `json:"round_id"`
	Status      Status    `json:"status"`
	Since       time.Time `json:"since"` // decided, withdrawn or closed at
	DueAt       time.Time `json:"due_at"`
}

// RetentionDue lists the files to delete now: decided files after the
// party's retention period (default 183 days), withdrawn, expired and
// revoked ones after the shorter period (default 28 days).
func (s *Store) RetentionDue(ctx context.Context) ([]RetentionItem, error) {
	db := s.db.WithContext(ctx)
	var ps []Party
	if err := db.Find(&ps).Error; err != nil {
		return nil, err
	}
	now := s.now()
	var out []RetentionItem
	for _, p := range ps {
		var cs []Candidate
		if err := db.Select("id", "party_id", "round_id", "status", "decided_at", "withdrawn_at", "revoked_at", "updated_at").
			Where("party_id = ? AND status IN ?", p.ID, []Status{StatusDecided, StatusWithdrawn, StatusExpired, StatusRevoked}).Find(&cs).Error; err != nil {
			return nil, err
		}
		for _, c := range cs {
			since, days := c.UpdatedAt, p.RetentionWithdrawnDays
			switch c.Status {
			case StatusDecided:
				days = p.RetentionDecidedDays
				if c.DecidedAt != nil {
					since = *c.DecidedAt
				}
			case StatusWithdrawn:
				if c.WithdrawnAt != nil {
					since = *c.WithdrawnAt
				}
			case StatusRevoked:
				if c.RevokedAt != nil {
					since = *c.RevokedAt
				}
			}
			due := since.Add(time.Duration(days) * 24 * time.Hour)
			if !due.After(now) {
				out = append(out, RetentionItem{CandidateID: c.ID, PartyID: c.PartyID, RoundID: c.RoundID, Status: c.Status, Since: since, DueAt: due})
			}
		}
	}
	return out, nil
}

// DeleteCandidate removes a candidate's whole file. With the row goes its
// wrapped data key, so any ciphertext that survives elsewhere can no longer
// be opened (crypto-shredding). The audit log keeps the event, not content.
func (s *Store) DeleteCandidate(ctx context.Context, actor Actor, id, reason string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// Deleting changes no status, so lock the row: a concurrent delete
		// (the purge in another worker replica) waits, then finds nothing
		// instead of writing a second delete event.
		c, err := lockCandidate(tx.Clauses(clause.Locking{Strength: "UPDATE"}), id)
		if err != nil {
			return err
		}
		if err := s.audit(tx, c.PartyID, &c.ID, actor, "candidate.delete:"+reason); err != nil {
			return err
		}
		// Other candidates of a herhaalscan keep their own copy of the answers.
		if err := tx.Model(&Candidate{}).Where("previous_id = ?", c.ID).UpdateColumn("previous_id", nil).Error; err != nil {
			return err
		}
		return tx.Where("id = ?", c.ID).Delete(&Candidate{}).Error
	})
	if err != nil || s.keystore == nil {
		return err
	}
	// Shred: the key goes last, so a failure here leaves a readable file
	// that the next purge removes again (SweepKeys) rather than a lost key.
	return s.keystore.Delete(ctx, id)
}

// SweepKeys deletes keys whose candidate no longer exists (a delete that
// failed halfway, or an invitation that never committed).
func (s *Store) SweepKeys(ctx context.Context) (int, error) {
	if s.keystore == nil {
		return 0, nil
	}
	var orphans []string
	err := s.keystore.All(ctx, func(d DataKey) error {
		if s.now().Sub(d.CreatedAt) < time.Hour {
			return nil // may belong to an invitation being created right now
		}
		var n int64
		if err := s.db.WithContext(ctx).Model(&Candidate{}).Where("id = ?", d.CandidateID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			orphans = append(orphans, d.CandidateID)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, id := range orphans {
		if err := s.keystore.Delete(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(orphans), nil
}

// PurgeDue deletes every file whose retention period is over.
func (s *Store) PurgeDue(ctx context.Context) (int, error) {
	items, err := s.RetentionDue(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		err := s.DeleteCandidate(ctx, SystemActor, it.CandidateID, "retention")
		if errors.Is(err, ErrNotFound) {
			continue // another worker replica purged it first
		}
		if err != nil {
			return n, err
		}
		n++
	}
	_, err = s.SweepKeys(ctx)
	return n, err
}

// UpdateRetention sets a party's retention periods in days.
func (s *Store) UpdateRetention(ctx context.Context, actor Actor, partyID string, decidedDays, withdrawnDays *int) error {
	upd := map[string]any{}
	if decidedDays != nil {
		upd["retention_decided_days"] = *decidedDays
	}
	if withdrawnDays != nil {
		upd["retention_withdrawn_days"] = *withdrawnDays
	}
	if len(upd) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Party{}).Where("id = ?", partyID).Updates(upd).Error; err != nil {
			return err
		}
		return s.audit(tx, partyID, nil, actor, "party.retention")
	})
}
