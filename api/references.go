package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/screening"
)

// References (issue 13, part 2; screening/references.go). The committee
// asks, reads and sends; the candidate names the referents and sees who
// was asked, never what they said; a referent opens only their own
// questionnaire through the link's token. The board has no route here.

func (h *Handler) getReferences(c *fiber.Ctx) error {
	k := candOf(c)
	v, err := h.app.References(c.UserContext(), k)
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(c.UserContext(), k, actor(c), "references.read"); err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) requestReferences(c *fiber.Ctx) error {
	var req screening.RequestReferencesRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if _, err := h.app.RequestReferences(c.UserContext(), actor(c), candOf(c), req); err != nil {
		return err
	}
	c.Status(fiber.StatusCreated)
	return h.getReferences(c)
}

func (h *Handler) sendReferences(c *fiber.Ctx) error {
	var req screening.SendReferencesRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if _, err := h.app.SendReferences(c.UserContext(), actor(c), candOf(c), req); err != nil {
		return err
	}
	return h.getReferences(c)
}

func (h *Handler) myReferences(c *fiber.Ctx) error {
	k, err := h.fresh(c)
	if err != nil {
		return err
	}
	v, err := h.app.MyReferences(c.UserContext(), k)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) nameReferents(c *fiber.Ctx) error {
	var req screening.NameReferentsRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	k, err := h.fresh(c)
	if err != nil {
		return err
	}
	if err := h.app.NameReferents(c.UserContext(), k, req); err != nil {
		return err
	}
	return h.myReferences(c)
}

func (h *Handler) referentForm(c *fiber.Ctx) error {
	f, err := h.app.ReferentForm(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{
		"party": f.Party, "candidate": f.Candidate, "office": f.Office, "expires_at": f.Expires,
		"privacy":       fiber.Map{"version": f.Def.Privacy.Version, "text": f.Def.Privacy.Text},
		"questionnaire": f.Def,
	})
}

func (h *Handler) answerReference(c *fiber.Ctx) error {
	var req screening.AnswerReferenceRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if err := h.app.AnswerReference(c.UserContext(), c.Params("token"), req); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"answered": true})
}
