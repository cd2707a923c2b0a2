package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/screening"
)

// The notes form of the candidate file (screening.AddNote).

func (p *Pages) comAddNote(c *fiber.Ctx) error {
	in := comInput{Form: "note", Note: c.FormValue("body")}
	k := api.CandidateOf(c)
	if _, err := p.app.AddNote(c.UserContext(), api.ActorOf(c), k, screening.NoteRequest{Body: in.Note}); err != nil {
		return p.comRefused(c, in, err, "note-body", nil)
	}
	flash(c, "Uw notitie is opgeslagen.")
	return redirect(c, comBack(k, "notities"))
}
