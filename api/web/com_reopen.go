package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/screening"
)

// The form that sends the file back to the candidate (screening.Reopen).

func (p *Pages) comReopen(c *fiber.Ctx) error {
	in := comInput{Form: "reopen", ReopenMessage: c.FormValue("message")}
	k := api.CandidateOf(c)
	if _, err := p.app.Reopen(c.UserContext(), api.ActorOf(c), k, screening.ReopenRequest{Message: in.ReopenMessage}); err != nil {
		return p.comRefused(c, in, err, "reopen-message", map[string]string{"message": "reopen-message"})
	}
	flash(c, "Het dossier is teruggestuurd naar de kandidaat. De kandidaat krijgt een e-mail en kan de antwoorden aanpassen en opnieuw indienen.")
	return redirect(c, comBack(k, "terugsturen"))
}
