package web

import (
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
)

// ---- VOG ----

func (p *Pages) comSetVOG(c *fiber.Ctx) error {
	in := comInput{Form: "vog", VOGStatus: c.FormValue("status"), KlaargezetOn: strings.TrimSpace(c.FormValue("klaargezet_on")),
		RequestedOn: strings.TrimSpace(c.FormValue("requested_on")), IssuedOn: strings.TrimSpace(c.FormValue("issued_on")),
		ScreeningProfile: strings.TrimSpace(c.FormValue("screening_profile")), ValidatedBy: strings.TrimSpace(c.FormValue("validated_by"))}
	var errs []FieldError
	if !slices.Contains(models.VOGStatuses, in.VOGStatus) {
		errs = append(errs, FieldError{"vog-status", "Kies de status van de VOG."})
	}
	now := p.store.Now()
	dates := map[string]*string{}
	for _, f := range []struct{ id, val string }{{"vog-klaargezet", in.KlaargezetOn}, {"vog-requested", in.RequestedOn}, {"vog-issued", in.IssuedOn}} {
		if f.val == "" {
			continue
		}
		d, ok := comParseDate(f.val)
		if !ok {
			errs = append(errs, FieldError{f.id, "Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2025."})
			continue
		}
		if t, _ := time.Parse(time.DateOnly, d); t.After(now) {
			errs = append(errs, FieldError{f.id, "Een datum in de toekomst kan niet: vul de werkelijke datum in."})
			continue
		}
		dates[f.id] = &d
	}
	if in.VOGStatus == "afgegeven" && in.IssuedOn == "" {
		errs = append(errs, FieldError{"vog-issued", "Vul de datum van afgifte in, bijvoorbeeld 14-03-2025."})
	}
	if comTooLong(in.ScreeningProfile, 100) {
		errs = append(errs, FieldError{"vog-profile", "Gebruik ten hoogste 100 tekens."})
	}
	if comTooLong(in.ValidatedBy, 200) {
		errs = append(errs, FieldError{"vog-validated", "Gebruik ten hoogste 200 tekens."})
	}
	if len(errs) > 0 {
		return p.comFile(c, in, errs, fiber.StatusUnprocessableEntity)
	}
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	ctx := c.UserContext()
	_, cand, err := p.store.SetVOG(ctx, api.ActorOf(c), api.CandidateOf(c), models.VOGInput{Status: in.VOGStatus,
		KlaargezetOn: dates["vog-klaargezet"], RequestedOn: dates["vog-requested"], IssuedOn: dates["vog-issued"],
		ScreeningProfile: opt(in.ScreeningProfile), ValidatedBy: opt(in.ValidatedBy)})
	if err != nil {
		return p.comRefused(c, in, err, "vog-status", map[string]string{"issued_on": "vog-issued"})
	}
	flash(c, "De VOG-status is opgeslagen. Het profiel wordt bijgewerkt.")
	return redirect(c, comBack(cand, "vog"))
}
