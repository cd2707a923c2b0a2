package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
)

// ---- notes ----

func (p *Pages) comAddNote(c *fiber.Ctx) error {
	in := comInput{Form: "note", Note: c.FormValue("body")}
	switch {
	case strings.TrimSpace(in.Note) == "":
		return p.comFile(c, in, []FieldError{{"note-body", "Schrijf uw notitie."}}, fiber.StatusUnprocessableEntity)
	case comTooLong(in.Note, 10000):
		return p.comFile(c, in, []FieldError{{"note-body", "Uw notitie is te lang: gebruik ten hoogste 10.000 tekens."}}, fiber.StatusUnprocessableEntity)
	}
	k := api.CandidateOf(c)
	if _, err := p.store.AddNote(c.UserContext(), api.ActorOf(c), k, in.Note); err != nil {
		return p.comRefused(c, in, err, "note-body", nil)
	}
	flash(c, "Uw notitie is opgeslagen.")
	return redirect(c, comBack(k, "notities"))
}
