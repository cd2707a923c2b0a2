package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
)

// ---- withdraw ----

func (p *Pages) scanWithdrawForm(c *fiber.Ctx) error {
	k, err := p.store.Candidate(c.UserContext(), api.CandidateOf(c).ID)
	if err != nil {
		return err
	}
	v := p.scanView(c, "Wilt u zich terugtrekken?")
	v.Data = map[string]any{"Allowed": models.Allowed(k.Status, models.ActWithdraw), "Status": string(k.Status)}
	return p.render(c, 0, "scan_withdraw", v)
}

func (p *Pages) scanWithdraw(c *fiber.Ctx) error {
	if _, err := p.app.Withdraw(c.UserContext(), api.CandidateOf(c)); err != nil {
		return err
	}
	flash(c, "U hebt zich teruggetrokken. De selectiecommissie stopt met uw scan.")
	return redirect(c, "/scan")
}
