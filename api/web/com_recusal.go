package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
)

// ---- recusal ----

func (p *Pages) comRecuse(c *fiber.Ctx) error {
	in := comInput{Form: "recusal", RecusalReason: c.FormValue("reason"), RecusalConfirm: c.FormValue("confirm") == "ja"}
	var errs []FieldError
	switch {
	case strings.TrimSpace(in.RecusalReason) == "":
		errs = append(errs, FieldError{"recusal-reason", "Schrijf op waarom u zich terugtrekt, bijvoorbeeld: familie of zakenpartner."})
	case comTooLong(in.RecusalReason, 2000):
		errs = append(errs, FieldError{"recusal-reason", "Uw reden is te lang: gebruik ten hoogste 2.000 tekens."})
	}
	if !in.RecusalConfirm {
		errs = append(errs, FieldError{"recusal-confirm", "Vink aan dat u begrijpt dat u dit niet ongedaan kunt maken."})
	}
	if len(errs) > 0 {
		return p.comFile(c, in, errs, fiber.StatusUnprocessableEntity)
	}
	k := api.CandidateOf(c)
	if err := p.store.Recuse(c.UserContext(), api.ActorOf(c), k, in.RecusalReason); err != nil {
		return p.comRefused(c, in, err, "recusal-reason", nil)
	}
	flash(c, "U hebt zich teruggetrokken bij "+k.Name+". U ziet dit dossier niet meer.")
	return redirect(c, "/commissie/ronde/"+k.RoundID)
}
