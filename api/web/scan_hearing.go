package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- hearing (hoor en wederhoor) ----

func (p *Pages) scanHearing(c *fiber.Ctx) error { return p.scanRenderHearing(c, 0, "", nil) }

func (p *Pages) scanRenderHearing(c *fiber.Ctx, status int, entered string, errs []FieldError) error {
	k, err := p.store.Candidate(c.UserContext(), api.CandidateOf(c).ID)
	if err != nil {
		return err
	}
	hs, err := p.store.Hearings(c.UserContext(), k)
	if err != nil {
		return err
	}
	d := map[string]any{"Reply": entered, "Max": screening.MaxReply}
	if len(hs) > 0 {
		last := hs[len(hs)-1]
		d["Hearing"] = last
		d["Open"] = last.RepliedAt == nil && p.store.Now().Before(last.ReplyDue)
		earlier := make([]models.HearingView, 0, len(hs)-1)
		for i := len(hs) - 2; i >= 0; i-- {
			earlier = append(earlier, hs[i])
		}
		d["Earlier"] = earlier
	}
	v := p.scanView(c, "Vragen van de selectiecommissie")
	v.Errors = errs
	v.Data = d
	return p.render(c, status, "scan_hearing", v)
}

func (p *Pages) scanHearingReply(c *fiber.Ctx) error {
	reply := strings.TrimSpace(c.FormValue("reactie"))
	_, err := p.app.ReplyHearing(c.UserContext(), api.CandidateOf(c), screening.ReplyRequest{Reply: reply})
	if e, ok := screening.Explain(err); ok && e.Kind == screening.Invalid {
		return p.scanRenderHearing(c, fiber.StatusUnprocessableEntity, reply, []FieldError{{"reactie", e.Fields["reply"]}})
	}
	if err != nil {
		return err
	}
	flash(c, "Uw reactie is verstuurd naar de selectiecommissie.")
	return redirect(c, "/scan/reactie")
}
