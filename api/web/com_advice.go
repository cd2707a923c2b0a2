package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/screening"
)

// The advice forms of the candidate file: propose, confirm, reject
// (screening.Propose, Confirm, Reject).

var comAdviceFields = map[string]string{"outcome": "advice-outcome", "reasons": "advice-reasons", "conditions": "advice-conditions"}

func (p *Pages) comPropose(c *fiber.Ctx) error {
	in := comInput{Form: "advice", Outcome: c.FormValue("outcome"), Reasons: c.FormValue("reasons"), Conditions: adviceConditions(c, c.FormValue("outcome")),
		ReleaseToBoard: c.FormValue("release_to_board") == "ja", ReleaseConditions: c.FormValue("release_conditions") == "ja"}
	k := api.CandidateOf(c)
	d, err := p.app.Propose(c.UserContext(), api.ActorOf(c), k, screening.ProposalRequest{Outcome: in.Outcome, Reasons: in.Reasons,
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
	if _, err := p.app.Confirm(c.UserContext(), api.ActorOf(c), k); err != nil {
		return p.comRefused(c, comInput{}, err, "advies", nil)
	}
	flash(c, "U hebt het advies bevestigd.")
	return redirect(c, comBack(k, "advies"))
}

func (p *Pages) comReject(c *fiber.Ctx) error {
	k := api.CandidateOf(c)
	if err := p.app.Reject(c.UserContext(), api.ActorOf(c), k); err != nil {
		return p.comRefused(c, comInput{}, err, "advies", nil)
	}
	flash(c, "Het voorstel is afgewezen. Een commissielid kan een nieuw advies voorstellen.")
	return redirect(c, comBack(k, "advies"))
}
