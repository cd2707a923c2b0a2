package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/screening"
)

// The recusal form of the candidate file (screening.Recuse). The page
// asks one thing more than the API: a tick that the member understands
// this cannot be undone.

func (p *Pages) comRecuse(c *fiber.Ctx) error {
	in := comInput{Form: "recusal", RecusalReason: c.FormValue("reason"), RecusalConfirm: c.FormValue("confirm") == "ja"}
	req := screening.RecusalRequest{Reason: in.RecusalReason}
	fields := map[string]string{"reason": "recusal-reason"}
	if !in.RecusalConfirm {
		errs := append(checkErrors(p.app.Check(req), fields), FieldError{"recusal-confirm", "Vink aan dat u begrijpt dat u dit niet ongedaan kunt maken."})
		return p.comFile(c, in, errs, fiber.StatusUnprocessableEntity)
	}
	k := api.CandidateOf(c)
	if err := p.app.Recuse(c.UserContext(), api.ActorOf(c), k, req); err != nil {
		return p.comRefused(c, in, err, "recusal-reason", fields)
	}
	flash(c, "U hebt zich teruggetrokken bij "+k.Name+". U ziet dit dossier niet meer.")
	return redirect(c, "/commissie/ronde/"+k.RoundID)
}
