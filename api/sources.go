package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/screening"
)

// ---- open-source research (openbronnenonderzoek) ----

func (h *Handler) getSources(c *fiber.Ctx) error {
	k := candOf(c)
	ctx := c.UserContext()
	list, err := h.app.SourceChecklist(ctx, k)
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(ctx, k, actor(c), "sources.read"); err != nil {
		return err
	}
	return c.JSON(list)
}

// putSource records the check of one source: 201 for a new row (a first
// check, or a new own search), 200 when a check was recorded again.
func (h *Handler) putSource(c *fiber.Ctx) error {
	var req screening.SourceRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	v, created, err := h.app.RecordSourceCheck(c.UserContext(), actor(c), candOf(c), req)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(v)
}
