package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/screening"
)

// The interview record (gespreksverslag): each flag's resolution, note and
// agreed measure, the date and who attended (screening.Interview,
// SaveInterview). Committee only; a read is audited as interview.read.

func (h *Handler) getInterview(c *fiber.Ctx) error {
	k := candOf(c)
	v, err := h.app.Interview(c.UserContext(), k, principal(c).User.ID)
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(c.UserContext(), k, actor(c), "interview.read"); err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) putInterview(c *fiber.Ctx) error {
	var req screening.InterviewRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	v, err := h.app.SaveInterview(c.UserContext(), actor(c), candOf(c), req)
	if err != nil {
		return err
	}
	return c.JSON(v)
}
