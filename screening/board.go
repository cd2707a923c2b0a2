package screening

import (
	"context"
	"strings"
	"time"

	"github.com/weerbaar/weerbaar/models"
)

// The board's use cases: rounds, invitations, herhaalscans and the
// party's settings (VOG age, retention).

// InviteRequest invites one candidate.
type InviteRequest struct {
	Name  string `json:"name" validate:"notblank,max=200"`
	Email string `json:"email" validate:"required,mailbox,max=254"`
	// Language of the candidate's pages and mails, the first invitation
	// included; empty is Dutch (issue 14).
	Language string `json:"language" validate:"omitempty,oneof=nl en"`
}

func (InviteRequest) texts() map[string]string {
	return map[string]string{"name.notblank": "Vul de naam van de kandidaat in.",
		"email":    "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.",
		"language": languageText}
}

// Invite adds a candidate to the round; the invitation mail is an outbox
// task of its transaction.
func (s *Service) Invite(ctx context.Context, a models.Actor, r *models.Round, req InviteRequest) (*models.Candidate, error) {
	req.Name, req.Email = strings.TrimSpace(req.Name), strings.TrimSpace(req.Email)
	if err := s.check(req); err != nil {
		return nil, err
	}
	if req.Language == "" {
		req.Language = models.DefaultLanguage
	}
	return s.store.InviteInLanguage(ctx, a, r, req.Name, req.Email, req.Language)
}

// Resend sends the invitation again with a new link.
func (s *Service) Resend(ctx context.Context, a models.Actor, k *models.Candidate) (*models.Candidate, error) {
	return s.store.Resend(ctx, a, k.ID)
}

// Revoke withdraws an invitation.
func (s *Service) Revoke(ctx context.Context, a models.Actor, k *models.Candidate) (*models.Candidate, error) {
	return s.store.Revoke(ctx, a, k.ID)
}

// Offices a round can be for.
var Offices = []string{"raadslid", "wethouder", "commissielid", "statenlid", "gedeputeerde", "waterschap_ab", "waterschap_db"}

// RoundRequest starts a round. Deadline is the end of the closing day;
// the adapters read it from their own input (a date, three fields).
type RoundRequest struct {
	Name          string    `json:"name" validate:"notblank,max=200"`
	Office        string    `json:"office" validate:"required,oneof=raadslid wethouder commissielid statenlid gedeputeerde waterschap_ab waterschap_db"`
	Deadline      time.Time `json:"-"`
	Questionnaire string    `json:"questionnaire" validate:"max=100"`
}

func (RoundRequest) texts() map[string]string {
	return map[string]string{"name.notblank": "Vul de naam van de ronde in, bijvoorbeeld Gemeenteraad 2026.",
		"office": "Kies voor welke functie de ronde is."}
}

// CreateRound starts a round pinned to the questionnaire's latest version.
func (s *Service) CreateRound(ctx context.Context, a models.Actor, partyID string, req RoundRequest) (*models.Round, error) {
	req.Name = strings.TrimSpace(req.Name)
	if err := s.check(req); err != nil {
		return nil, err
	}
	if req.Questionnaire == "" {
		req.Questionnaire = "weerbaarheidsscan"
	}
	return s.store.CreateRound(ctx, a, partyID, models.NewRound{Name: req.Name, Office: req.Office, Deadline: req.Deadline, QuestionnaireID: req.Questionnaire})
}

// RescreenRequest starts a herhaalscan of an earlier round.
type RescreenRequest struct {
	Name       string    `json:"name" validate:"notblank,max=200"`
	Deadline   time.Time `json:"-"`
	Candidates []string  `json:"candidates" validate:"max=1000"`
}

// Rescreen creates the herhaalscan and invites the chosen candidates.
func (s *Service) Rescreen(ctx context.Context, a models.Actor, prev *models.Round, req RescreenRequest) (*models.Round, []*models.Candidate, error) {
	req.Name = strings.TrimSpace(req.Name)
	if err := s.check(req); err != nil {
		return nil, nil, err
	}
	return s.store.Rescreen(ctx, a, prev, models.NewRescreen{Name: req.Name, Deadline: req.Deadline, CandidateIDs: req.Candidates})
}

// PartySettingsRequest changes the party's settings; nil leaves one alone.
type PartySettingsRequest struct {
	MaxVOGAgeDays          *int `json:"max_vog_age_days" validate:"omitempty,min=1,max=3650"`
	RetentionDecidedDays   *int `json:"retention_decided_days" validate:"omitempty,min=30,max=1825"`
	RetentionWithdrawnDays *int `json:"retention_withdrawn_days" validate:"omitempty,min=1,max=365"`
	ReferencesRequired     *int `json:"references_required" validate:"omitempty,min=0,max=5"`
}

// UpdateParty changes the VOG age (every screened file is compiled again)
// and the retention terms.
func (s *Service) UpdateParty(ctx context.Context, a models.Actor, partyID string, req PartySettingsRequest) error {
	if err := s.check(req); err != nil {
		return err
	}
	if req.MaxVOGAgeDays != nil {
		if _, err := s.store.UpdateVOGAge(ctx, a, partyID, *req.MaxVOGAgeDays); err != nil {
			return err
		}
	}
	if req.ReferencesRequired != nil {
		if err := s.store.UpdateReferencesRequired(ctx, a, partyID, *req.ReferencesRequired); err != nil {
			return err
		}
	}
	return s.store.UpdateRetention(ctx, a, partyID, req.RetentionDecidedDays, req.RetentionWithdrawnDays)
}
