package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
)

// ---- decision ----

var comAdviceFields = map[string]string{"outcome": "advice-outcome", "reasons": "advice-reasons", "conditions": "advice-conditions"}

func (p *Pages) comPropose(c *fiber.Ctx) error {
	in := comInput{Form: "advice", Outcome: c.FormValue("outcome"), Reasons: c.FormValue("reasons"), Conditions: c.FormValue("conditions"),
		ReleaseToBoard: c.FormValue("release_to_board") == "ja", ReleaseConditions: c.FormValue("release_conditions") == "ja"}
	var errs []FieldError
	if _, ok := comOutcomeNL[in.Outcome]; !ok {
		errs = append(errs, FieldError{"advice-outcome", "Kies het advies: positief, positief met voorwaarden of negatief."})
	}
	switch {
	case strings.TrimSpace(in.Reasons) == "":
		errs = append(errs, FieldError{"advice-reasons", "Schrijf de redenen voor het advies op."})
	case comTooLong(in.Reasons, 10000):
		errs = append(errs, FieldError{"advice-reasons", "Gebruik ten hoogste 10.000 tekens voor de redenen."})
	}
	switch {
	case in.Outcome == "positief_met_voorwaarden" && strings.TrimSpace(in.Conditions) == "":
		errs = append(errs, FieldError{"advice-conditions", "Schrijf op welke voorwaarden gelden."})
	case in.Outcome != "positief_met_voorwaarden" && strings.TrimSpace(in.Conditions) != "":
		errs = append(errs, FieldError{"advice-conditions", "Voorwaarden horen alleen bij ‘positief met voorwaarden’. Kies die uitkomst, of maak dit veld leeg."})
	case comTooLong(in.Conditions, 10000):
		errs = append(errs, FieldError{"advice-conditions", "Gebruik ten hoogste 10.000 tekens voor de voorwaarden."})
	}
	if len(errs) > 0 {
		return p.comFile(c, in, errs, fiber.StatusUnprocessableEntity)
	}
	if in.Outcome != "positief_met_voorwaarden" {
		in.Conditions = ""
	}
	k := api.CandidateOf(c)
	d, err := p.store.ProposeDecision(c.UserContext(), api.ActorOf(c), k, models.Proposal{Outcome: in.Outcome, Reasons: in.Reasons,
		Conditions: in.Conditions, ReleaseToBoard: in.ReleaseToBoard, ReleaseConditions: in.ReleaseConditions})
	if err != nil {
		return p.comRefused(c, in, err, "advice-outcome", comAdviceFields)
	}
	if d.SingleMember {
		flash(c, "Het advies is vastgelegd. U bent het enige commissielid dat niet is teruggetrokken; dat staat bij het advies.")
	} else {
		flash(c, "Uw voorstel is opgeslagen. Een tweede commissielid moet het advies bevestigen.")
	}
	return redirect(c, comBack(k, "advies"))
}

func (p *Pages) comConfirm(c *fiber.Ctx) error {
	k := api.CandidateOf(c)
	_, err := p.store.ConfirmDecision(c.UserContext(), api.ActorOf(c), k)
	if err != nil {
		return p.comRefused(c, comInput{}, err, "advies", nil)
	}
	flash(c, "U hebt het advies bevestigd.")
	return redirect(c, comBack(k, "advies"))
}

func (p *Pages) comReject(c *fiber.Ctx) error {
	k := api.CandidateOf(c)
	if err := p.store.RejectDecision(c.UserContext(), api.ActorOf(c), k); err != nil {
		return p.comRefused(c, comInput{}, err, "advies", nil)
	}
	flash(c, "Het voorstel is afgewezen. Een commissielid kan een nieuw advies voorstellen.")
	return redirect(c, comBack(k, "advies"))
}
