package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/screening"
)

// The hearing form of the candidate file (hoor en wederhoor,
// screening.OpenHearing).

func (p *Pages) comOpenHearing(c *fiber.Ctx) error {
	in := comInput{Form: "hearing", HearingMessage: c.FormValue("message")}
	for _, b := range c.Request().PostArgs().PeekMulti("flags") {
		if s := string(b); s != "" && !slices.Contains(in.HearingFlags, s) {
			in.HearingFlags = append(in.HearingFlags, s)
		}
	}
	k := api.CandidateOf(c)
	_, err := p.app.OpenHearing(c.UserContext(), api.ActorOf(c), k, screening.HearingRequest{Flags: in.HearingFlags, Message: in.HearingMessage})
	if err != nil {
		return p.comRefused(c, in, err, "hoorzitting", map[string]string{"flags": "hearing-flag-0", "message": "hearing-message"}) // the summary links to the first checkbox
	}
	flash(c, "Uw vragen zijn naar de kandidaat gestuurd. De kandidaat heeft 7 dagen om te reageren.")
	return redirect(c, comBack(k, "hoorzitting"))
}
