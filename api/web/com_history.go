package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
)

// ---- history ----

func (p *Pages) comHistoryPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	hist, err := p.app.HistoryEntries(ctx, k)
	if err != nil {
		return err
	}
	if err := p.store.AuditRead(ctx, k, api.ActorOf(c), "history.read"); err != nil {
		return err
	}
	slices.Reverse(hist) // newest first
	v := p.comView(c, "Geschiedenis van "+k.Name, false)
	v.Data = map[string]any{"Candidate": k, "Base": comFiles + k.ID, "Versions": hist}
	return p.render(c, 0, "committee_history", v)
}
