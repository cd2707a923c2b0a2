package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// NewRound is the input for CreateRound.
type NewRound struct {
	Name            string
	Office          string
	Deadline        time.Time
	QuestionnaireID string
}

// MaxDeadlineAhead is how far ahead a round may close. A selection round
// runs weeks, a herhaalscan is planned halfway the term: a year covers both,
// and a typo such as 9999 no longer keeps links alive for ever.
const MaxDeadlineAhead = 366 * 24 * time.Hour

// CheckDeadline is the one rule for a round's closing date (API, pages,
// herhaalscan): in the future and at most MaxDeadlineAhead away.
func CheckDeadline(deadline, now time.Time) error {
	switch {
	case !deadline.After(now):
		return &ValidationError{Code: "deadline", Fields: map[string]string{"deadline": "past"}}
	case deadline.After(now.Add(MaxDeadlineAhead)):
		return &ValidationError{Code: "deadline", Fields: map[string]string{"deadline": "too_far"}}
	}
	return nil
}

// CreateRound starts a selection round pinned to the latest version of the
// questionnaire.
func (s *Store) CreateRound(ctx context.Context, actor Actor, partyID string, in NewRound) (*Round, error) {
	if err := CheckDeadline(in.Deadline, s.now()); err != nil {
		return nil, err
	}
	def, err := s.forms.Latest(in.QuestionnaireID)
	if err != nil || def.ID == ReferenceQuestionnaire { // the referents' questionnaire is no scan
		return nil, &ValidationError{Code: "questionnaire", Fields: map[string]string{"questionnaire": "unknown"}}
	}
	if !def.SupportsOffice(in.Office) { // e.g. a provincial office on version 1
		return nil, &ValidationError{Code: "office", Fields: map[string]string{"office": "unsupported"}}
	}
	r := &Round{ID: newID(), PartyID: partyID, Name: strings.TrimSpace(in.Name), Office: in.Office, Deadline: in.Deadline.UTC(),
		QuestionnaireID: def.ID, QuestionnaireVersion: def.Version, CreatedBy: actor.ID, CreatedAt: s.now()}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		return s.audit(tx, partyID, nil, actor, "round.create")
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Rounds lists a party's rounds, newest first.
func (s *Store) Rounds(ctx context.Context, partyID string) ([]Round, error) {
	var rs []Round
	err := s.db.WithContext(ctx).Where("party_id = ?", partyID).Order("created_at DESC").Find(&rs).Error
	return rs, err
}

// Round loads a round.
func (s *Store) Round(ctx context.Context, id string) (*Round, error) {
	var r Round
	if err := s.db.WithContext(ctx).First(&r, "id = ?", id).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}
