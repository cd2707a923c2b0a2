package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
)

// ---- reopen ----

func (p *Pages) comReopen(c *fiber.Ctx) error {
	in := comInput{Form: "reopen", ReopenMessage: c.FormValue("message")}
	switch {
	case strings.TrimSpace(in.ReopenMessage) == "":
		return p.comFile(c, in, []FieldError{{"reopen-message", "Schrijf de kandidaat wat er moet worden aangevuld of verbeterd."}}, fiber.StatusUnprocessableEntity)
	case comTooLong(in.ReopenMessage, 5000):
		return p.comFile(c, in, []FieldError{{"reopen-message", "Uw bericht is te lang: gebruik ten hoogste 5.000 tekens."}}, fiber.StatusUnprocessableEntity)
	}
	k := api.CandidateOf(c)
	if err := p.store.Reopen(c.UserContext(), api.ActorOf(c), k, in.ReopenMessage); err != nil {
		return p.comRefused(c, in, err, "reopen-message", nil)
	}
	flash(c, "Het dossier is teruggestuurd naar de kandidaat. De kandidaat krijgt een e-mail en kan de antwoorden aanpassen en opnieuw indienen.")
	return redirect(c, comBack(k, "terugsturen"))
}
