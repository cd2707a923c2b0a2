package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- the committee's references page: ask, send, read the answers ----

type comRefsData struct {
	*screening.ReferencesView
	Candidate   *models.Candidate
	Base        string
	Status      map[string]string
	Count, Days string
}

func (p *Pages) comReferences(c *fiber.Ctx) error { return p.comRenderReferences(c, 0, "", "", nil) }

func (p *Pages) comRenderReferences(c *fiber.Ctx, status int, count, days string, errs []FieldError) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	rv, err := p.app.References(ctx, k)
	if err != nil {
		return err
	}
	if err := p.store.AuditRead(ctx, k, api.ActorOf(c), "references.read"); err != nil {
		return err
	}
	if count == "" {
		count = strconv.Itoa(max(rv.Default, 1))
	}
	if days == "" {
		days = "14"
	}
	v := p.comView(c, "Referenties van "+k.Name, false)
	v.Errors = errs
	v.Data = comRefsData{ReferencesView: rv, Candidate: k, Base: comFiles + k.ID, Status: referentStatusNL, Count: count, Days: days}
	return p.render(c, status, "committee_references", v)
}

// comNumber reads a whole number typed in a form (nil when empty; ok false
// when it is not a number).
func comNumber(s string) (*int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, false
	}
	return &n, true
}

func (p *Pages) comRequestReferences(c *fiber.Ctx) error {
	k := api.CandidateOf(c)
	in := c.FormValue("aantal")
	n, ok := comNumber(in)
	if !ok {
		return p.comRenderReferences(c, fiber.StatusUnprocessableEntity, in, "", []FieldError{{"aantal", "Vul een getal in van 1 tot en met 5."}})
	}
	if _, err := p.app.RequestReferences(c.UserContext(), api.ActorOf(c), k, screening.RequestReferencesRequest{Count: n}); err != nil {
		errs, status, ok := formErrors(err, "aantal", map[string]string{"count": "aantal"})
		if !ok {
			return err
		}
		return p.comRenderReferences(c, status, in, "", errs)
	}
	flash(c, "De kandidaat krijgt een e-mail met de vraag om referenten te noemen.")
	return redirect(c, comFiles+k.ID+"/referenties")
}

func (p *Pages) comSendReferences(c *fiber.Ctx) error {
	k := api.CandidateOf(c)
	in := c.FormValue("dagen")
	n, ok := comNumber(in)
	if !ok {
		return p.comRenderReferences(c, fiber.StatusUnprocessableEntity, "", in, []FieldError{{"dagen", "Vul een getal in van 3 tot en met 28."}})
	}
	if _, err := p.app.SendReferences(c.UserContext(), api.ActorOf(c), k, screening.SendReferencesRequest{Days: n}); err != nil {
		errs, status, ok := formErrors(err, "dagen", map[string]string{"days": "dagen"})
		if !ok {
			return err
		}
		return p.comRenderReferences(c, status, "", in, errs)
	}
	flash(c, "De verzoeken zijn verstuurd. Elke referent krijgt een e-mail met een persoonlijke link.")
	return redirect(c, comFiles+k.ID+"/referenties")
}
