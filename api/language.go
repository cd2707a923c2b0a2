package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/screening"
)

// setLanguage: PATCH /api/v1/me {language: "nl"|"en"} — the candidate
// chooses the language of its pages and mails (the next mail, also one
// already queued, is in it). Only the candidate's own row: the route is
// CandidateSelf and names no id. The committee and the board keep reading
// the profile in Dutch. 422 (validatie) for any other value.
func (h *Handler) setLanguage(c *fiber.Ctx) error {
	var req screening.LanguageRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	k, err := h.app.ChooseLanguage(c.UserContext(), candOf(c), req)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"type": "kandidaat", "candidate": ownView(k)})
}
