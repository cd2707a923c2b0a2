package screening

import (
	"context"
	"encoding/json"
	"time"

	"github.com/weerbaar/weerbaar/models"
)

// The candidate's use cases: accepting a link, consent, answers, submit,
// the hearing reply and withdrawal. Each re-reads the file inside its
// Store transaction (the session's copy may be stale).

// Accept opens a candidate session from a link in a mail; it returns the
// session token.
func (s *Service) Accept(ctx context.Context, token string) (string, *models.Candidate, error) {
	if token == "" || len(token) > 128 {
		return "", nil, ErrNotFound
	}
	return s.store.AcceptInvitation(ctx, token)
}

// ConsentRequest is the candidate's consent to a privacy statement version.
type ConsentRequest struct {
	PrivacyVersion int `json:"privacy_version" validate:"required,min=1"`
}

func (ConsentRequest) texts() map[string]string {
	return map[string]string{"privacy_version": "Lees de huidige privacyverklaring en geef opnieuw toestemming."}
}

// Consent records the consent.
func (s *Service) Consent(ctx context.Context, k *models.Candidate, req ConsentRequest) error {
	if err := s.check(req); err != nil {
		return err
	}
	return s.store.Consent(ctx, k, req.PrivacyVersion)
}

// AnswersRequest is a set of answers (autosave: any subset).
type AnswersRequest struct {
	Answers map[string]json.RawMessage `json:"answers" validate:"required"`
}

// SaveAnswers stores answers atomically: one invalid answer refuses the
// whole request and nothing is written (the questionnaire's own rules
// check each answer).
func (s *Service) SaveAnswers(ctx context.Context, k *models.Candidate, req AnswersRequest) (time.Time, error) {
	if err := s.check(req); err != nil {
		return time.Time{}, err
	}
	return s.store.SaveAnswers(ctx, k, req.Answers)
}

// Submit hands the file to the committee; the compile of the new revision
// and the receipt are outbox tasks of its transaction.
func (s *Service) Submit(ctx context.Context, k *models.Candidate) (*models.Candidate, error) {
	return s.store.Submit(ctx, k)
}

// ReplyRequest is the candidate's reply in a hearing.
type ReplyRequest struct {
	Reply string `json:"reply" validate:"notblank,max=10000"`
}

// MaxReply is the longest hearing reply, in characters.
const MaxReply = 10000

func (ReplyRequest) texts() map[string]string {
	return map[string]string{"reply.notblank": "Schrijf uw reactie in het tekstvak.",
		"reply.max": "Uw reactie is te lang. Gebruik ten hoogste 10000 tekens."}
}

// ReplyHearing records the reply; the committee is mailed.
func (s *Service) ReplyHearing(ctx context.Context, k *models.Candidate, req ReplyRequest) (*models.HearingView, error) {
	if err := s.check(req); err != nil {
		return nil, err
	}
	k, err := s.store.Candidate(ctx, k.ID)
	if err != nil {
		return nil, err
	}
	return s.store.ReplyHearing(ctx, k, req.Reply)
}

// Withdraw takes the candidate out of the round on their own initiative.
func (s *Service) Withdraw(ctx context.Context, k *models.Candidate) (*models.Candidate, error) {
	if err := s.store.Withdraw(ctx, k); err != nil {
		return nil, err
	}
	return s.store.Candidate(ctx, k.ID)
}
