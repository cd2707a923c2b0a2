package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The candidate's consent to the short summary for the board (issue 13,
// part 4; migration 00018). The summary itself is built by the application
// layer (screening/summary.go); the Store keeps what the candidate read
// when consenting, sealed, with the confirmed advice it belongs to, so that
// the board reads exactly that text and a later advice needs a new consent.

// SummaryConsent is a row of summary_consents.
type SummaryConsent struct {
	CandidateID string `gorm:"primaryKey"`
	DecisionID  string
	Summary     []byte
	ConsentedAt time.Time
}

// Summary refusals.
var (
	// ErrNoSummary: there is no confirmed advice to summarise.
	ErrNoSummary = &ReviewError{"geen_samenvatting"}
	// ErrSummaryChanged: the advice changed after the candidate read the
	// summary they consent to.
	ErrSummaryChanged = &ReviewError{"samenvatting_gewijzigd"}
)

// ConsentedSummary is a stored consent, opened.
type ConsentedSummary struct {
	DecisionID  string
	Summary     []byte // the summary as the candidate read it (JSON)
	ConsentedAt time.Time
}

// SummaryConsentOf returns the candidate's consent, or nil.
func (s *Store) SummaryConsentOf(ctx context.Context, c *Candidate) (*ConsentedSummary, error) {
	var row SummaryConsent
	err := s.db.WithContext(ctx).Take(&row, "candidate_id = ?", c.ID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	b, err := s.open(c, row.Summary, "summary.consent")
	if err != nil {
		return nil, err
	}
	return &ConsentedSummary{DecisionID: row.DecisionID, Summary: b, ConsentedAt: row.ConsentedAt}, nil
}

// ConsentSummary records that the candidate consents to sharing summary
// (what they read) of the confirmed advice decisionID with the board. It
// replaces an earlier consent. The advice is checked on the locked file: a
// reopen or a new advice at the same moment comes before (refused) or after.
func (s *Store) ConsentSummary(ctx context.Context, c *Candidate, decisionID string, summary []byte) (time.Time, error) {
	enc, err := s.seal(c, summary, "summary.consent")
	if err != nil {
		return time.Time{}, err
	}
	now := s.now()
	err = s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		var d Decision
		err = tx.Select("id", "status").Where("candidate_id = ? AND status <> ?", cc.ID, DecisionRejected).Order("created_at DESC").Take(&d).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			return ErrNoSummary
		case err != nil:
			return err
		case cc.Status != StatusDecided || d.Status != DecisionConfirmed:
			return ErrNoSummary
		case d.ID != decisionID:
			return ErrSummaryChanged
		}
		row := SummaryConsent{CandidateID: cc.ID, DecisionID: decisionID, Summary: enc, ConsentedAt: now}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "candidate_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"decision_id", "summary", "consented_at"})}).Create(&row).Error; err != nil {
			return err
		}
		return s.audit(tx, cc.PartyID, &cc.ID, Actor{ID: cc.ID, Role: RoleKandidaat}, "summary.consent")
	})
	return now, err
}

// WithdrawSummaryConsent deletes the candidate's consent; it reports whether
// there was one (only then is the withdrawal an event).
func (s *Store) WithdrawSummaryConsent(ctx context.Context, c *Candidate) (bool, error) {
	deleted := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		res := tx.Where("candidate_id = ?", cc.ID).Delete(&SummaryConsent{})
		if res.Error != nil {
			return res.Error
		}
		if deleted = res.RowsAffected > 0; !deleted {
			return nil
		}
		return s.audit(tx, cc.PartyID, &cc.ID, Actor{ID: cc.ID, Role: RoleKandidaat}, "summary.withdraw")
	})
	return deleted, err
}
