package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/screening"
)

// The VOG form of the candidate file (the use case: screening.SetVOG).

var comVOGFields = map[string]string{"status": "vog-status", "klaargezet_on": "vog-klaargezet", "requested_on": "vog-requested",
	"issued_on": "vog-issued", "screening_profile": "vog-profile", "validated_by": "vog-validated"}

func (p *Pages) comSetVOG(c *fiber.Ctx) error {
	in := comInput{Form: "vog", VOGStatus: c.FormValue("status"), KlaargezetOn: strings.TrimSpace(c.FormValue("klaargezet_on")),
		RequestedOn: strings.TrimSpace(c.FormValue("requested_on")), IssuedOn: strings.TrimSpace(c.FormValue("issued_on")),
		ScreeningProfile: strings.TrimSpace(c.FormValue("screening_profile")), ValidatedBy: strings.TrimSpace(c.FormValue("validated_by"))}
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	req := screening.VOGRequest{Status: in.VOGStatus, ScreeningProfile: opt(in.ScreeningProfile), ValidatedBy: opt(in.ValidatedBy)}
	// People write dates as dag-maand-jaar; the use case takes JJJJ-MM-DD.
	var errs []FieldError
	for _, f := range []struct {
		id, val string
		dst     **string
	}{{"vog-klaargezet", in.KlaargezetOn, &req.KlaargezetOn}, {"vog-requested", in.RequestedOn, &req.RequestedOn}, {"vog-issued", in.IssuedOn, &req.IssuedOn}} {
		if f.val == "" {
			continue
		}
		d, ok := comParseDate(f.val)
		if !ok {
			errs = append(errs, FieldError{f.id, "Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2025."})
			continue
		}
		*f.dst = &d
	}
	if len(errs) > 0 {
		// Unreadable dates are left out of the check: it reports the rest.
		errs = append(errs, checkErrors(p.app.Check(req), comVOGFields)...)
		return p.comFile(c, in, errs, fiber.StatusUnprocessableEntity)
	}
	_, cand, err := p.app.SetVOG(c.UserContext(), api.ActorOf(c), api.CandidateOf(c), req)
	if err != nil {
		return p.comRefused(c, in, err, "vog-status", comVOGFields)
	}
	flash(c, "De VOG-status is opgeslagen. Het profiel wordt bijgewerkt.")
	return redirect(c, comBack(cand, "vog"))
}
