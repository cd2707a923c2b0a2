package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/screening"
)

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

type decisionView struct {
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

type committeeCandidateView struct {
	BoardCandidateView
	Level      *string       `json:"level"`
	ConsentAt  *time.Time    `json:"consent_at"`
	ProfiledAt *time.Time    `json:"profiled_at"`
	DecidedAt  *time.Time    `json:"decided_at"`
	Revision   int           `json:"revision"`
	PreviousID *string       `json:"previous_id"`
	Decision   *decisionView `json:"decision"`
}

func boardView(k *models.Candidate, d *models.Decision, conditions string) BoardCandidateView {
	v := BoardCandidateView{ID: k.ID, RoundID: k.RoundID, Name: k.Name, Email: k.Email, Status: string(k.Status), InvitedAt: k.CreatedAt,
		InvitationSent: k.InviteSentSeq >= k.InviteSeq, InvitationExpiresAt: k.InviteExpiresAt,
		AcceptedAt: k.AcceptedAt, SubmittedAt: k.SubmittedAt, WithdrawnAt: k.WithdrawnAt}
	if models.AdviceReleased(k.Status, d) {
		v.Advice = &AdviceView{Outcome: d.Outcome, DecidedAt: d.ConfirmedAt}
		if d.ReleaseConditions && conditions != "" {
			v.Advice.Conditions = &conditions
		}
	}
	return v
}

func viewDecision(d *models.Decision) *decisionView {
	if d == nil {
		return nil
	}
	return &decisionView{ID: d.ID, Outcome: d.Outcome, Status: d.Status, ReleaseToBoard: d.ReleaseToBoard, ReleaseConditions: d.ReleaseConditions,
		SingleMember: d.SingleMember, ProposedBy: d.DecidedBy, ProposedAt: d.CreatedAt, ConfirmedBy: d.ConfirmedBy, ConfirmedAt: d.ConfirmedAt}
}

func committeeView(k *models.Candidate, d *models.Decision, conditions string) committeeCandidateView {
	return committeeCandidateView{BoardCandidateView: boardView(k, d, conditions), Level: k.Level, ConsentAt: k.ConsentAt,
		ProfiledAt: k.ProfiledAt, DecidedAt: k.DecidedAt, Revision: k.Revision, PreviousID: k.PreviousID, Decision: viewDecision(d)}
}

// viewFor picks the view by the caller's role; mail is the latest
// invitation delivery (nil before the worker picked it up).
func (h *Handler) viewFor(role string, k *models.Candidate, d *models.Decision, mail *models.Delivery) (any, error) {
	conditions := ""
	if d != nil && d.ReleaseConditions && len(d.Conditions) > 0 {
		var err error
		if conditions, err = h.store.DecisionConditions(k, d); err != nil {
			return nil, err
		}
	}
	status, problem := emailStatus(mail)
	if status == "" {
		status = "wordt_verzonden"
		if k.InviteSentSeq >= k.InviteSeq {
			status = "verzonden"
		}
	}
	if role == models.RoleCommissie {
		v := committeeView(k, d, conditions)
		v.EmailStatus, v.EmailError = status, problem
		return v, nil
	}
	v := boardView(k, d, conditions)
	v.EmailStatus, v.EmailError = status, problem
	return v, nil
}

// invitationMails returns the latest invitation delivery per candidate.
func (h *Handler) invitationMails(ctx context.Context, ks ...*models.Candidate) (map[string]models.Delivery, error) {
	ids := make([]string, len(ks))
	for i, k := range ks {
		ids[i] = k.ID
	}
	return h.store.LatestDeliveries(ctx, models.MailInvitation, ids)
}

func deliveryOf(m map[string]models.Delivery, id string) *models.Delivery {
	if d, ok := m[id]; ok {
		return &d
	}
	return nil
}

func (h *Handler) invite(c *fiber.Ctx) error {
	var req screening.InviteRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	k, err := h.app.Invite(c.UserContext(), actor(c), roundOf(c), req)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(boardView(k, nil, ""))
}

func (h *Handler) listCandidates(c *fiber.Ctx) error {
	rows, err := h.roundRows(c)
	if err != nil {
		return err
	}
	role := roleOf(c)
	ks := make([]*models.Candidate, len(rows))
	for i := range rows {
		ks[i] = &rows[i].Candidate
	}
	mails, err := h.invitationMails(c.UserContext(), ks...)
	if err != nil {
		return err
	}
	out := make([]any, len(rows))
	for i := range rows {
		if out[i], err = h.viewFor(role, &rows[i].Candidate, rows[i].Decision, deliveryOf(mails, rows[i].ID)); err != nil {
			return err
		}
	}
	return c.JSON(out)
}

func levelRank(l *string) int {
	if l == nil {
		return -1
	}
	return questionnaires.Level(*l).Rank()
}

func (h *Handler) getCandidate(c *fiber.Ctx) error {
	k := candOf(c)
	d, err := h.store.LatestDecision(c.UserContext(), k)
	if err != nil {
		return err
	}
	mails, err := h.invitationMails(c.UserContext(), k)
	if err != nil {
		return err
	}
	out, err := h.viewFor(roleOf(c), k, d, deliveryOf(mails, k.ID))
	if err != nil {
		return err
	}
	if roleOf(c) == models.RoleCommissie {
		// The committee's view carries the level and the state of the advice.
		if err := h.store.AuditRead(c.UserContext(), k, actor(c), "candidate.read"); err != nil {
			return err
		}
	}
	return c.JSON(out)
}

func (h *Handler) resend(c *fiber.Ctx) error {
	k, err := h.app.Resend(c.UserContext(), actor(c), candOf(c))
	if err != nil {
		return err
	}
	return c.JSON(boardView(k, nil, ""))
}

func (h *Handler) revoke(c *fiber.Ctx) error {
	k, err := h.app.Revoke(c.UserContext(), actor(c), candOf(c))
	if err != nil {
		return err
	}
	return c.JSON(boardView(k, nil, ""))
}

// BoardViews is the board's view of candidates (as the JSON API gives it),
// for the board's pages: workflow, mail status and released advice only.
func (h *Handler) BoardViews(ctx context.Context, rows []models.CandidateRow) ([]BoardCandidateView, error) {
	ks := make([]*models.Candidate, len(rows))
	for i := range rows {
		ks[i] = &rows[i].Candidate
	}
	mails, err := h.invitationMails(ctx, ks...)
	if err != nil {
		return nil, err
	}
	out := make([]BoardCandidateView, len(rows))
	for i := range rows {
		v, err := h.viewFor(models.RoleBestuur, &rows[i].Candidate, rows[i].Decision, deliveryOf(mails, rows[i].ID))
		if err != nil {
			return nil, err
		}
		out[i] = v.(BoardCandidateView)
	}
	return out, nil
}
