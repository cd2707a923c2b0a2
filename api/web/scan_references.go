package web

import (
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- the candidate names the referents (screening.NameReferents) ----

type scanRefRow struct {
	N                      int
	Name, Email, Relation  string
	NameID, EmailID, RelID string
	NameErr, EmailErr      string
	RelErr                 string
}

type scanRefsData struct {
	*screening.OwnReferences
	Rows    []scanRefRow
	Consent bool
	Status  map[string]string
}

func refInputID(i int, field string) string { return "ref-" + strconv.Itoa(i) + "-" + field }

func (p *Pages) scanReferences(c *fiber.Ctx) error { return p.scanRenderReferences(c, 0, nil, nil) }

// scanRenderReferences shows the page; after a refusal, sent holds what was
// typed and errs the messages.
func (p *Pages) scanRenderReferences(c *fiber.Ctx, status int, sent *screening.NameReferentsRequest, errs []FieldError) error {
	k, err := p.store.Candidate(c.UserContext(), api.CandidateOf(c).ID)
	if err != nil {
		return err
	}
	own, err := p.app.MyReferences(c.UserContext(), k)
	if err != nil {
		return err
	}
	d := scanRefsData{OwnReferences: own, Status: referentStatusNL, Consent: own.ConsentAt != nil}
	v := p.scanView(c, "Referenties")
	v.Errors = errs
	for i := 0; i < own.Wanted; i++ {
		row := scanRefRow{N: i + 1, NameID: refInputID(i, "name"), EmailID: refInputID(i, "email"), RelID: refInputID(i, "relation")}
		switch {
		case sent != nil && i < len(sent.Referents):
			row.Name, row.Email, row.Relation = sent.Referents[i].Name, sent.Referents[i].Email, sent.Referents[i].Relation
		case sent == nil && i < len(own.Referents):
			row.Name, row.Email, row.Relation = own.Referents[i].Name, own.Referents[i].Email, own.Referents[i].Relation
		}
		row.NameErr, row.EmailErr, row.RelErr = v.ErrorFor(row.NameID), v.ErrorFor(row.EmailID), v.ErrorFor(row.RelID)
		d.Rows = append(d.Rows, row)
	}
	if sent != nil {
		d.Consent = sent.Consent
	}
	v.Data = d
	return p.render(c, status, "scan_references", v)
}

func (p *Pages) scanNameReferents(c *fiber.Ctx) error {
	ctx := c.UserContext()
	k, err := p.store.Candidate(ctx, api.CandidateOf(c).ID)
	if err != nil {
		return err
	}
	own, err := p.app.MyReferences(ctx, k)
	if err != nil {
		return err
	}
	req := screening.NameReferentsRequest{Consent: c.FormValue("toestemming") == "ja"}
	for i := 0; i < own.Wanted && i < 5; i++ {
		req.Referents = append(req.Referents, screening.ReferentRequest{
			Name: strings.TrimSpace(c.FormValue(refInputID(i, "name"))), Email: strings.TrimSpace(c.FormValue(refInputID(i, "email"))),
			Relation: strings.TrimSpace(c.FormValue(refInputID(i, "relation")))})
	}
	if err := p.app.NameReferents(ctx, k, req); err != nil {
		ids := map[string]string{"consent": "toestemming", "referents": refInputID(0, "name")}
		for i := range req.Referents {
			for _, f := range []string{"name", "email", "relation"} {
				ids[screening.ReferentField(i, f)] = refInputID(i, f)
			}
		}
		errs, status, ok := formErrors(err, refInputID(0, "name"), ids)
		if !ok {
			return err
		}
		return p.scanRenderReferences(c, status, &req, refPageOrder(errs, len(req.Referents)))
	}
	flash(c, "Dank u. De selectiecommissie ziet nu wie uw referenten zijn. De commissie stuurt hen een verzoek.")
	return redirect(c, "/scan/referenties")
}

// refPageOrder lists the errors in the order of the inputs on the page
// (the summary reads top to bottom).
func refPageOrder(errs []FieldError, n int) []FieldError {
	var order []string
	for i := 0; i < n; i++ {
		order = append(order, refInputID(i, "name"), refInputID(i, "email"), refInputID(i, "relation"))
	}
	order = append(order, "toestemming")
	rank := func(id string) int {
		for i, o := range order {
			if o == id {
				return i
			}
		}
		return len(order)
	}
	sort.SliceStable(errs, func(a, b int) bool { return rank(errs[a].Field) < rank(errs[b].Field) })
	return errs
}
