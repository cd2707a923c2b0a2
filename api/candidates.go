package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
)

func (h *Handler) invite(c *fiber.Ctx) error {
	var req screening.InviteRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	k, err := h.app.Invite(c.UserContext(), actor(c), roundOf(c), req)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(screening.BoardView(k, nil, ""))
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
	mails, err := h.app.InvitationMails(c.UserContext(), ks...)
	if err != nil {
		return err
	}
	out := make([]any, len(rows))
	for i := range rows {
		if out[i], err = h.app.CandidateView(role, &rows[i].Candidate, rows[i].Decision, screening.DeliveryOf(mails, rows[i].ID)); err != nil {
			return err
		}
	}
	return c.JSON(out)
}

func (h *Handler) getCandidate(c *fiber.Ctx) error {
	k := candOf(c)
	d, err := h.store.LatestDecision(c.UserContext(), k)
	if err != nil {
		return err
	}
	mails, err := h.app.InvitationMails(c.UserContext(), k)
	if err != nil {
		return err
	}
	out, err := h.app.CandidateView(roleOf(c), k, d, screening.DeliveryOf(mails, k.ID))
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
	return c.JSON(screening.BoardView(k, nil, ""))
}

func (h *Handler) revoke(c *fiber.Ctx) error {
	k, err := h.app.Revoke(c.UserContext(), actor(c), candOf(c))
	if err != nil {
		return err
	}
	return c.JSON(screening.BoardView(k, nil, ""))
}
