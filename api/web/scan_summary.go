package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- the candidate's consent to the summary for the board (issue 13, part 4) ----
//
// The candidate reads exactly the text the board would read and gives or
// withdraws consent. The form carries the version of the text shown, so
// a consent is never given to a text the candidate did not see.

const scanSummaryPath = "/scan/samenvatting"

func (p *Pages) scanSummary(c *fiber.Ctx) error { return p.scanRenderSummary(c, 0, nil) }

func (p *Pages) scanRenderSummary(c *fiber.Ctx, status int, errs []FieldError) error {
	cs, err := p.app.MySummary(c.UserContext(), api.CandidateOf(c))
	if errors.Is(err, screening.ErrNoSummaryYet) {
		cs, err = nil, nil
	}
	if err != nil {
		return err
	}
	v := p.scanView(c, "Samenvatting voor het bestuur")
	v.Errors = errs
	v.Styles = append(v.Styles, "report.css")
	v.Data = map[string]any{"S": cs}
	return p.render(c, status, "scan_summary", v)
}

func (p *Pages) scanSummaryConsent(c *fiber.Ctx) error {
	if c.FormValue("akkoord") != "ja" {
		return p.scanRenderSummary(c, fiber.StatusUnprocessableEntity, []FieldError{{"akkoord",
			"Zet een vinkje bij „Ik geef toestemming” als u de samenvatting met het bestuur wilt delen."}})
	}
	cs, err := p.app.ConsentSummary(c.UserContext(), api.CandidateOf(c), screening.SummaryConsentRequest{Version: c.FormValue("versie")})
	if e, ok := screening.Explain(err); ok && (e.Kind == screening.Conflict || e.Kind == screening.Invalid) {
		status := fiber.StatusConflict
		if e.Kind == screening.Invalid {
			status = fiber.StatusUnprocessableEntity
		}
		return p.scanRenderSummary(c, status, []FieldError{{"akkoord", e.Message}})
	}
	if err != nil {
		return err
	}
	msg := "Dank u. Het bestuur kan de samenvatting nu lezen."
	if !cs.Released {
		msg = "Dank u. Uw toestemming is vastgelegd."
	}
	flash(c, msg)
	return redirect(c, scanSummaryPath)
}

func (p *Pages) scanSummaryWithdraw(c *fiber.Ctx) error {
	if err := p.app.WithdrawSummaryConsent(c.UserContext(), api.CandidateOf(c)); err != nil {
		return err
	}
	flash(c, "U hebt uw toestemming ingetrokken. Het bestuur kan de samenvatting niet meer lezen.")
	return redirect(c, scanSummaryPath)
}
