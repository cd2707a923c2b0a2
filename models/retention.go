package models

import (
	"context"
	"errors"
	"slices"
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
			since, due, ok := retentionDue(&c, &p)
			if ok && !due.After(now) {
				out = append(out, RetentionItem{CandidateID: c.ID, PartyID: c.PartyID, RoundID: c.RoundID, Status: c.Status, Since: since, DueAt: due})
			}
		}
	}
	return out, nil
}

// retentionDue is when a file in a final state is to be deleted (ok is
// false in any other state).
func retentionDue(c *Candidate, p *Party) (since, due time.Time, ok bool) {
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
	case StatusExpired:
	default:
		return since, since, false
	}
	return since, since.Add(time.Duration(days) * 24 * time.Hour), true
}

// DeleteCandidate removes a candidate's whole file. With the row goes its
// wrapped data key, so any ciphertext that survives elsewhere can no longer
// be opened (crypto-shredding). The audit log keeps the event, not content.
func (s *Store) DeleteCandidate(ctx context.Context, actor Actor, id, reason string) error {
	return s.deleteCandidate(ctx, actor, id, reason, nil)
}

// errNotDueNow: the file changed since the purge listed it (a resent
// expired invitation, a longer retention period): it stays.
var errNotDueNow = errors.New("file no longer due for deletion")

// deleteCandidate deletes a file; a non-nil check runs on the locked row
// and its party first and may refuse.
func (s *Store) deleteCandidate(ctx context.Context, actor Actor, id, reason string, check func(*Candidate, *Party) error) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// Deleting changes no status, so lock the row: a concurrent delete
		// (the purge in another worker replica) waits, then finds nothing
		// instead of writing a second delete event. The herhaalscans that
		// point at it are locked with it, in id order (locks.go).
		var succ []string
		if err := tx.Model(&Candidate{}).Where("previous_id = ?", id).Pluck("id", &succ).Error; err != nil {
			return err
		}
		got, err := lockCandidates(tx, append(succ, id), clause.Locking{Strength: clause.LockingStrengthUpdate})
		if err != nil {
			return err
		}
		if !slices.Contains(got, id) {
			return ErrNotFound
		}
		c, err := lockCandidate(tx, id) // read it (held already)
		if err != nil {
			return err
		}
		if check != nil {
			var p Party
			if err := tx.Take(&p, "id = ?", c.PartyID).Error; err != nil {
				return notFound(err)
			}
			if err := check(c, &p); err != nil {
				return err
			}
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
		err := s.purgeItem(ctx, it)
		if errors.Is(err, ErrNotFound) || errors.Is(err, errNotDueNow) {
			continue // another worker replica purged it first, or it is back in use
		}
		if err != nil {
			return n, err
		}
		n++
	}
	_, err = s.SweepKeys(ctx)
	return n, err
}

// purgeItem deletes a listed file when it is still due, checked again on
// the locked file: the list is a snapshot, and the board may have resent
// an expired invitation (or the party lengthened its periods) since.
func (s *Store) purgeItem(ctx context.Context, it RetentionItem) error {
	return s.deleteCandidate(ctx, SystemActor, it.CandidateID, "retention", func(c *Candidate, p *Party) error {
		if _, due, ok := retentionDue(c, p); !ok || due.After(s.now()) {
			return errNotDueNow
		}
		return nil
	})
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
