package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
)

// ---- access log ----

type comLogRow struct {
	At                 time.Time
	Name, Role, Action string
}

func (p *Pages) comLog(c *fiber.Ctx) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	// Logged before it is read, so the log lists this read too.
	if err := p.store.AuditRead(ctx, k, api.ActorOf(c), "audit.read"); err != nil {
		return err
	}
	evs, err := p.store.AuditEvents(ctx, k.ID)
	if err != nil {
		return err
	}
	names := p.store.ActorNames(ctx, evs)
	rows := make([]comLogRow, 0, len(evs))
	for i := len(evs) - 1; i >= 0; i-- { // newest first
		e := evs[i]
		role := comRoleNL[e.ActorRole]
		if role == "" {
			role = e.ActorRole
		}
		action := comActionNL[e.Action]
		if action == "" {
			action = e.Action
		}
		rows = append(rows, comLogRow{At: e.CreatedAt, Name: names[e.ActorID], Role: role, Action: action})
	}
	v := p.comView(c, "Logboek van "+k.Name, false)
	v.Data = map[string]any{"Candidate": k, "Base": comFiles + k.ID, "Rows": rows}
	return p.render(c, 0, "committee_log", v)
}
