package screening

import (
	"context"
	"time"

	"github.com/weerbaar/weerbaar/models"
)

// What each role may read of a candidate: the board workflow fields, mail
// status and a released advice; the committee also the level and the state
// of the advice. The API's JSON and the board's pages show these views.

// AdviceView is what the board may learn: the confirmed outcome, once
// released, and the conditions only when released explicitly.
type AdviceView struct {
	Outcome    string     `json:"outcome"`
	DecidedAt  *time.Time `json:"decided_at"`
	Conditions *string    `json:"conditions,omitempty"`
}

// BoardCandidateView never contains level, flags, profile, answers, vog or
// notes: it is built from workflow fields only.
type BoardCandidateView struct {
	// View names the view (ViewBoard, ViewCommittee): the discriminator
	// of the API's candidate schemas.
	View                string      `json:"view"`
	ID                  string      `json:"id"`
	RoundID             string      `json:"round_id"`
	Name                string      `json:"name"`
	Email               string      `json:"email"`
	Status              string      `json:"status"`
	InvitedAt           time.Time   `json:"invited_at"`
	InvitationSent      bool        `json:"invitation_sent"`
	InvitationExpiresAt *time.Time  `json:"invitation_expires_at"`
	AcceptedAt          *time.Time  `json:"accepted_at"`
	SubmittedAt         *time.Time  `json:"submitted_at"`
	WithdrawnAt         *time.Time  `json:"withdrawn_at"`
	EmailStatus         string      `json:"email_status"`
	EmailError          string      `json:"email_error,omitempty"`
	Advice              *AdviceView `json:"advice"`
}

type DecisionView struct {
	ID                string     `json:"id"`
	Outcome           string     `json:"outcome"`
	Status            string     `json:"status"`
	Reasons           string     `json:"reasons,omitempty"`
	Conditions        string     `json:"conditions,omitempty"`
	ReleaseToBoard    bool       `json:"release_to_board"`
	ReleaseConditions bool       `json:"release_conditions"`
	SingleMember      bool       `json:"single_member"`
	ProposedBy        string     `json:"proposed_by"`
	ProposedAt        time.Time  `json:"proposed_at"`
	ConfirmedBy       *string    `json:"confirmed_by"`
	ConfirmedAt       *time.Time `json:"confirmed_at"`
}

type CommitteeCandidateView struct {
	BoardCandidateView
	Level      *string       `json:"level"`
	ConsentAt  *time.Time    `json:"consent_at"`
	ProfiledAt *time.Time    `json:"profiled_at"`
	DecidedAt  *time.Time    `json:"decided_at"`
	Revision   int           `json:"revision"`
	PreviousID *string       `json:"previous_id"`
	Decision   *DecisionView `json:"decision"`
}

// The views' names in their JSON (the "view" field).
const (
	ViewBoard     = "board"
	ViewCommittee = "committee"
)

// BoardView is the board's view. Its email_status is never empty: without
// a delivery record (CandidateView adds the latest) it says whether the
// invitation was handed to the mailer.
func BoardView(k *models.Candidate, d *models.Decision, conditions string) BoardCandidateView {
	v := BoardCandidateView{View: ViewBoard, ID: k.ID, RoundID: k.RoundID, Name: k.Name, Email: k.Email, Status: string(k.Status), InvitedAt: k.CreatedAt,
		InvitationSent: k.InviteSentSeq >= k.InviteSeq, InvitationExpiresAt: k.InviteExpiresAt,
		AcceptedAt: k.AcceptedAt, SubmittedAt: k.SubmittedAt, WithdrawnAt: k.WithdrawnAt}
	if models.AdviceReleased(k.Status, d) {
		v.Advice = &AdviceView{Outcome: d.Outcome, DecidedAt: d.ConfirmedAt}
		if d.ReleaseConditions && conditions != "" {
			v.Advice.Conditions = &conditions
		}
	}
	v.EmailStatus = "wordt_verzonden"
	if v.InvitationSent {
		v.EmailStatus = "verzonden"
	}
	return v
}

func ViewDecision(d *models.Decision) *DecisionView {
	if d == nil {
		return nil
	}
	return &DecisionView{ID: d.ID, Outcome: d.Outcome, Status: d.Status, ReleaseToBoard: d.ReleaseToBoard, ReleaseConditions: d.ReleaseConditions,
		SingleMember: d.SingleMember, ProposedBy: d.DecidedBy, ProposedAt: d.CreatedAt, ConfirmedBy: d.ConfirmedBy, ConfirmedAt: d.ConfirmedAt}
}

func CommitteeView(k *models.Candidate, d *models.Decision, conditions string) CommitteeCandidateView {
	v := CommitteeCandidateView{BoardCandidateView: BoardView(k, d, conditions), Level: k.Level, ConsentAt: k.ConsentAt,
		ProfiledAt: k.ProfiledAt, DecidedAt: k.DecidedAt, Revision: k.Revision, PreviousID: k.PreviousID, Decision: ViewDecision(d)}
	v.View = ViewCommittee
	return v
}

// CandidateView picks the view by the caller's role; mail is the latest
// invitation delivery (nil before the worker picked it up).
func (s *Service) CandidateView(role string, k *models.Candidate, d *models.Decision, mail *models.Delivery) (any, error) {
	conditions := ""
	if d != nil && d.ReleaseConditions && len(d.Conditions) > 0 {
		var err error
		if conditions, err = s.store.DecisionConditions(k, d); err != nil {
			return nil, err
		}
	}
	status, problem := EmailStatus(mail)
	if role == models.RoleCommissie {
		v := CommitteeView(k, d, conditions)
		if status != "" {
			v.EmailStatus, v.EmailError = status, problem
		}
		return v, nil
	}
	v := BoardView(k, d, conditions)
	if status != "" {
		v.EmailStatus, v.EmailError = status, problem
	}
	return v, nil
}

// invitationMails returns the latest invitation delivery per candidate.
func (s *Service) InvitationMails(ctx context.Context, ks ...*models.Candidate) (map[string]models.Delivery, error) {
	ids := make([]string, len(ks))
	for i, k := range ks {
		ids[i] = k.ID
	}
	return s.store.LatestDeliveries(ctx, models.MailInvitation, ids)
}

func DeliveryOf(m map[string]models.Delivery, id string) *models.Delivery {
	if d, ok := m[id]; ok {
		return &d
	}
	return nil
}

// BoardViews is the board's view of candidates (as the JSON API gives it),
// for the board's pages: workflow, mail status and released advice only.
func (s *Service) BoardViews(ctx context.Context, rows []models.CandidateRow) ([]BoardCandidateView, error) {
	ks := make([]*models.Candidate, len(rows))
	for i := range rows {
		ks[i] = &rows[i].Candidate
	}
	mails, err := s.InvitationMails(ctx, ks...)
	if err != nil {
		return nil, err
	}
	out := make([]BoardCandidateView, len(rows))
	for i := range rows {
		v, err := s.CandidateView(models.RoleBestuur, &rows[i].Candidate, rows[i].Decision, DeliveryOf(mails, rows[i].ID))
		if err != nil {
			return nil, err
		}
		out[i] = v.(BoardCandidateView)
	}
	return out, nil
}

// emailStatus is how the board sees a mail: sent, on its way, or not
// delivered (with the reason, so they can check the address and resend).
func EmailStatus(d *models.Delivery) (string, string) {
	if d == nil {
		return "", ""
	}
	switch d.Status {
	case models.DeliverySent:
		return "verzonden", ""
	case models.DeliveryFailed:
		msg := "e-mail niet afgeleverd"
		if d.Error != nil {
			msg += ": " + *d.Error
		}
		return "niet_afgeleverd", msg
	default:
		return "wordt_verzonden", ""
	}
}
