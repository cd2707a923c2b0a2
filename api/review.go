package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- round overview, filters, re-screening ----

// viewer is the caller as the application layer's lists see them.
func viewer(c *fiber.Ctx) screening.Viewer {
	return screening.Viewer{Role: roleOf(c), UserID: principal(c).User.ID}
}

// roundRows lists a round's candidates with the query's filters and sort.
func (h *Handler) roundRows(c *fiber.Ctx) ([]screening.Row, error) {
	return h.app.RoundRows(c.UserContext(), viewer(c), roundOf(c),
		screening.RoundQuery{Level: c.Query("level"), VOG: c.Query("vog"), Status: c.Query("status"), Sort: c.Query("sort")})
}

func (h *Handler) roundOverview(c *fiber.Ctx) error {
	ov, err := h.app.RoundOverview(c.UserContext(), viewer(c), roundOf(c))
	if err != nil {
		return err
	}
	out := fiber.Map{"round": viewRound(roundOf(c)), "total": ov.Total, "status": ov.Status}
	if roleOf(c) == models.RoleCommissie {
		out["level"], out["vog"], out["proposals_waiting"] = ov.Level, ov.VOG, ov.ProposalsWaiting
	}
	return c.JSON(out)
}

type rescreenRequest struct {
	screening.RescreenRequest
	Deadline string `json:"deadline" validate:"required,max=40"`
}

func (h *Handler) rescreen(c *fiber.Ctx) error {
	var req rescreenRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	deadline, ok := parseDeadline(req.Deadline)
	if !ok {
		return fieldErr("deadline", "Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2027-01-31.")
	}
	req.RescreenRequest.Deadline = deadline
	r, cands, err := h.app.Rescreen(c.UserContext(), actor(c), roundOf(c), req.RescreenRequest)
	if err != nil {
		return err
	}
	views := make([]screening.BoardCandidateView, len(cands))
	for i, k := range cands {
		views[i] = screening.BoardView(k, nil, "")
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"round": viewRound(r), "candidates": views})
}

// ---- party settings ----

func (h *Handler) getParty(c *fiber.Ctx) error {
	p, err := h.store.Party(c.UserContext(), partyOf(c))
	if err != nil {
		return err
	}
	return c.JSON(viewParty(p))
}

func (h *Handler) updateParty(c *fiber.Ctx) error {
	var req screening.PartySettingsRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if err := h.app.UpdateParty(c.UserContext(), actor(c), partyOf(c), req); err != nil {
		return err
	}
	return h.getParty(c)
}

// ---- decision: propose, confirm, reject ----

func (h *Handler) decide(c *fiber.Ctx) error {
	var req screening.ProposalRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	k := candOf(c)
	d, err := h.app.Propose(c.UserContext(), actor(c), k, req)
	if err != nil {
		return err
	}
	return h.decisionJSON(c, k, d, fiber.StatusCreated)
}

func (h *Handler) decisionJSON(c *fiber.Ctx, k *models.Candidate, d *models.Decision, status int) error {
	v := screening.ViewDecision(d)
	var err error
	if v.Reasons, v.Conditions, err = h.store.DecisionText(k, d); err != nil {
		return err
	}
	return c.Status(status).JSON(v)
}

func (h *Handler) getDecision(c *fiber.Ctx) error {
	k := candOf(c)
	d, err := h.store.LatestDecision(c.UserContext(), k)
	if err != nil {
		return err
	}
	if d == nil {
		return newErr(fiber.StatusNotFound, "geen_advies", "Er is nog geen advies of voorstel.")
	}
	if err := h.store.AuditRead(c.UserContext(), k, actor(c), "decision.read"); err != nil {
		return err
	}
	return h.decisionJSON(c, k, d, fiber.StatusOK)
}

func (h *Handler) confirmDecision(c *fiber.Ctx) error {
	k := candOf(c)
	d, err := h.app.Confirm(c.UserContext(), actor(c), k)
	if err != nil {
		return err
	}
	return h.decisionJSON(c, k, d, fiber.StatusOK)
}

func (h *Handler) rejectDecision(c *fiber.Ctx) error {
	if err := h.app.Reject(c.UserContext(), actor(c), candOf(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// ---- hearing (hoor en wederhoor) ----

func (h *Handler) openHearing(c *fiber.Ctx) error {
	var req screening.HearingRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	hv, err := h.app.OpenHearing(c.UserContext(), actor(c), candOf(c), req)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(hv)
}

func (h *Handler) listHearings(c *fiber.Ctx) error {
	k := candOf(c)
	hs, err := h.store.Hearings(c.UserContext(), k)
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(c.UserContext(), k, actor(c), "hearing.read"); err != nil {
		return err
	}
	return c.JSON(hs)
}

// candidateHearing is what the candidate sees: no committee member ids.
type candidateHearing struct {
	Flags     []models.HearingFlag `json:"flags"`
	Message   string               `json:"message"`
	OpenedAt  any                  `json:"opened_at"`
	ReplyDue  any                  `json:"reply_due"`
	Reply     *string              `json:"reply"`
	RepliedAt any                  `json:"replied_at"`
}

func (h *Handler) myHearing(c *fiber.Ctx) error {
	k, err := h.fresh(c)
	if err != nil {
		return err
	}
	hs, err := h.store.Hearings(c.UserContext(), k)
	if err != nil {
		return err
	}
	if len(hs) == 0 {
		return newErr(fiber.StatusNotFound, "geen_hoorzitting", "De selectiecommissie heeft u (nog) geen vragen gesteld.")
	}
	last := hs[len(hs)-1]
	return c.JSON(candidateHearing{Flags: last.Flags, Message: last.Message, OpenedAt: last.OpenedAt, ReplyDue: last.ReplyDue, Reply: last.Reply, RepliedAt: last.RepliedAt})
}

func (h *Handler) replyHearing(c *fiber.Ctx) error {
	var req screening.ReplyRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	hv, err := h.app.ReplyHearing(c.UserContext(), candOf(c), req)
	if err != nil {
		return err
	}
	return c.JSON(candidateHearing{Flags: hv.Flags, Message: hv.Message, OpenedAt: hv.OpenedAt, ReplyDue: hv.ReplyDue, Reply: hv.Reply, RepliedAt: hv.RepliedAt})
}

// ---- recusal ----

func (h *Handler) recuse(c *fiber.Ctx) error {
	var req screening.RecusalRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if err := h.app.Recuse(c.UserContext(), actor(c), candOf(c), req); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"recused": true})
}

func (h *Handler) listRecusals(c *fiber.Ctx) error {
	rs, err := h.store.Recusals(c.UserContext(), candOf(c))
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(c.UserContext(), candOf(c), actor(c), "recusals.read"); err != nil {
		return err
	}
	return c.JSON(rs)
}

// ---- history ----

// history lists every profile version with what changed against the one
// before (the first against the previous scan for a herhaalscan).
func (h *Handler) history(c *fiber.Ctx) error {
	ctx := c.UserContext()
	k := candOf(c)
	out, err := h.app.HistoryEntries(ctx, k)
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(ctx, k, actor(c), "history.read"); err != nil {
		return err
	}
	return c.JSON(out)
}
