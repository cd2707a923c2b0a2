package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
)

// ---- hearing ----

func (p *Pages) comOpenHearing(c *fiber.Ctx) error {
	in := comInput{Form: "hearing", HearingMessage: c.FormValue("message")}
	for _, b := range c.Request().PostArgs().PeekMulti("flags") {
		if s := string(b); s != "" && !slices.Contains(in.HearingFlags, s) {
			in.HearingFlags = append(in.HearingFlags, s)
		}
	}
	var errs []FieldError
	switch {
	case len(in.HearingFlags) == 0:
		errs = append(errs, FieldError{"hearing-flags", "Kies ten minste één signaal waarover u de kandidaat wilt horen."})
	case len(in.HearingFlags) > 100:
		errs = append(errs, FieldError{"hearing-flags", "Kies ten hoogste 100 signalen."})
	}
	switch {
	case strings.TrimSpace(in.HearingMessage) == "":
		errs = append(errs, FieldError{"hearing-message", "Schrijf een bericht aan de kandidaat."})
	case comTooLong(in.HearingMessage, 5000):
		errs = append(errs, FieldError{"hearing-message", "Uw bericht is te lang: gebruik ten hoogste 5.000 tekens."})
	}
	if len(errs) > 0 {
		return p.comFile(c, in, errs, fiber.StatusUnprocessableEntity)
	}
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	_, err := p.store.OpenHearing(ctx, api.ActorOf(c), k, in.HearingFlags, in.HearingMessage)
	if err != nil {
		return p.comRefused(c, in, err, "hoorzitting", map[string]string{"flags": "hearing-flags", "message": "hearing-message"})
	}
	flash(c, "Uw vragen zijn naar de kandidaat gestuurd. De kandidaat heeft 7 dagen om te reageren.")
	return redirect(c, comBack(k, "hoorzitting"))
}
