package web

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/screening"
)

// The open-source research page of a candidate file
// (/commissie/kandidaten/{cid}/openbronnen): one form per source of the
// checklist, one per own search and one for a new own search (the use
// case: screening.RecordSourceCheck). Nothing is looked up for the
// committee: the page keeps what they found.

const srcNew = "nieuw" // the form key of a new own search

// srcValues is what a source's form shows: the stored check, or what was
// sent before a refusal.
type srcValues struct {
	ID, Title, CheckedOn, Result, Link, Severity, Finding, Ask string
}

// srcForm is one source's form.
type srcForm struct {
	Key, Source, Label, Hint string
	Own, New                 bool
	Checked                  bool
	CheckedOn                *time.Time
	CheckedBy                string
	CheckedAt                time.Time
	Link                     string // the stored link, shown as text
	Level                    string // the stored finding's level, "" without one
	Values                   srcValues
	Severities               []comOption
}

func srcFieldIDs(key string) map[string]string {
	ids := map[string]string{}
	for f, suffix := range map[string]string{"title": "title", "checked_on": "on", "result": "result", "link": "link",
		"severity": "severity", "finding": "finding", "ask": "ask", "source": "result", "id": "result"} {
		ids[f] = "src-" + key + "-" + suffix
	}
	return ids
}

// srcOrder sorts a form's errors in page order (the summary follows the form).
func srcOrder(key string, errs []FieldError) []FieldError {
	order := []string{"title", "on", "result", "link", "severity", "finding", "ask"}
	rank := func(e FieldError) int {
		if i := slices.Index(order, strings.TrimPrefix(e.Field, "src-"+key+"-")); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(errs, func(a, b FieldError) int { return rank(a) - rank(b) })
	return errs
}

func srcSeverities(selected string) []comOption {
	out := []comOption{{Value: "", Label: "Geen bevinding", Selected: selected == ""}}
	for _, l := range questionnaires.Levels[1:] {
		out = append(out, comOption{Value: string(l), Label: string(l), Selected: selected == string(l)})
	}
	return out
}

func (p *Pages) comSources(c *fiber.Ctx) error { return p.comSourcesPage(c, "", srcValues{}, nil, 0) }

// comSourcesPage renders the checklist; after a refused form, key names
// the form that was sent, in what it held and errs the messages.
func (p *Pages) comSourcesPage(c *fiber.Ctx, key string, in srcValues, errs []FieldError, status int) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	me := api.ActorOf(c)
	list, err := p.app.SourceChecklist(ctx, k)
	if err != nil {
		return err
	}
	names, err := p.comNames(ctx, k.PartyID)
	if err != nil {
		return err
	}
	var forms []srcForm
	add := func(f srcForm, v *models.SourceCheckView) {
		if v != nil {
			f.Checked, f.CheckedOn, f.CheckedBy, f.CheckedAt, f.Link = true, comDate(&v.CheckedOn), names[v.CheckedBy], v.CheckedAt, v.Link
			f.Values = srcValues{ID: v.ID, Title: v.Title, CheckedOn: comDateField(&v.CheckedOn), Result: v.Result, Link: v.Link}
			if v.Finding != nil {
				f.Values.Severity, f.Values.Finding, f.Values.Ask = string(v.Finding.Severity), v.Finding.Text, v.Finding.Ask
				f.Level = f.Values.Severity
			}
		}
		if f.Key == key {
			id := f.Values.ID
			f.Values = in
			f.Values.ID = id
		}
		f.Severities = srcSeverities(f.Values.Severity)
		forms = append(forms, f)
	}
	for _, it := range list.Sources {
		base := srcForm{Source: it.Source, Label: it.Label, Hint: screening.SourceHints[it.Source]}
		if it.Source != models.SourceOwnSearch {
			base.Key = it.Source
			var v *models.SourceCheckView
			if len(it.Checks) > 0 {
				v = &it.Checks[0]
			}
			add(base, v)
			continue
		}
		for i := range it.Checks {
			f := base
			f.Own, f.Key = true, "eigen-"+it.Checks[i].ID
			f.Label = "Eigen zoekopdracht " + strconv.Itoa(i+1) + ": " + it.Checks[i].Title
			add(f, &it.Checks[i])
		}
		if len(it.Checks) < models.MaxOwnSearches {
			f := base
			f.Own, f.New, f.Key = true, true, srcNew
			f.Label = "Nieuwe eigen zoekopdracht"
			add(f, nil)
		}
	}
	errs = srcOrder(key, errs)
	// The page has a form per source: each message says which one.
	label := ""
	for _, f := range forms {
		if f.Key == key {
			label = f.Label
		}
	}
	if label != "" {
		for i := range errs {
			errs[i].Message = label + ": " + errs[i].Message
		}
	}
	// A refusal of a form the page no longer has (an unknown source or
	// search) is shown at the top of the checklist.
	if !slices.ContainsFunc(forms, func(f srcForm) bool { return f.Key == key }) {
		for i := range errs {
			errs[i].Field = "bronnen"
		}
	}
	if err := p.store.AuditReads(ctx, k.PartyID, []string{k.ID}, me, "sources.read"); err != nil {
		return err
	}
	rd, err := p.store.Round(ctx, k.RoundID)
	if err != nil {
		return err
	}
	v := p.comView(c, "Openbronnenonderzoek "+k.Name, false)
	v.Styles = append(v.Styles, "sources.css")
	v.Errors = errs
	v.Data = map[string]any{"Candidate": k, "Round": rd, "Base": comFiles + k.ID, "Forms": forms,
		"Checked": list.Checked, "Total": list.Total, "Today": amsterdam(p.store.Now()).Format("02-01-2006")}
	return p.render(c, status, "committee_sources", v)
}

// comRecordSource records the check of the form that was sent.
func (p *Pages) comRecordSource(c *fiber.Ctx) error {
	k := api.CandidateOf(c)
	source := c.FormValue("source")
	in := srcValues{ID: c.FormValue("id"), Title: strings.TrimSpace(c.FormValue("title")), CheckedOn: strings.TrimSpace(c.FormValue("checked_on")),
		Result: c.FormValue("result"), Link: strings.TrimSpace(c.FormValue("link")), Severity: c.FormValue("severity"),
		Finding: c.FormValue("finding"), Ask: c.FormValue("ask")}
	key := source
	if source == models.SourceOwnSearch {
		key = srcNew
		if in.ID != "" {
			key = "eigen-" + in.ID
		}
	}
	ids := srcFieldIDs(key)
	req := screening.SourceRequest{ID: in.ID, Source: source, Title: in.Title, Result: in.Result, Link: in.Link,
		Severity: in.Severity, Finding: in.Finding, Ask: in.Ask}
	// People write dates as dag-maand-jaar; the use case takes JJJJ-MM-DD.
	if in.CheckedOn != "" {
		d, ok := comParseDate(in.CheckedOn)
		if !ok {
			errs := []FieldError{{ids["checked_on"], "Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2025."}}
			errs = append(errs, checkErrors(p.app.Check(req), ids)...)
			return p.comSourcesPage(c, key, in, errs, fiber.StatusUnprocessableEntity)
		}
		req.CheckedOn = d
	}
	if _, _, err := p.app.RecordSourceCheck(c.UserContext(), api.ActorOf(c), k, req); err != nil {
		errs, status, ok := formErrors(err, ids["result"], ids)
		if !ok {
			return err
		}
		return p.comSourcesPage(c, key, in, errs, status)
	}
	label := screening.SourceLabels[source]
	if source == models.SourceOwnSearch {
		label = "de eigen zoekopdracht"
	}
	flash(c, "Wat u vond bij "+label+" is opgeslagen.")
	return redirect(c, comFiles+k.ID+"/openbronnen#src-"+key)
}

// comSourcesLine is the file page's one line on the research, from the
// count only (no content is opened): "3 van 8 bronnen nagekeken".
func (p *Pages) comSourcesLine(ctx context.Context, k *models.Candidate) (string, error) {
	n, err := p.store.SourcesChecked(ctx, k.ID)
	if err != nil {
		return "", err
	}
	return strconv.Itoa(n) + " van " + strconv.Itoa(len(models.Sources)) + " bronnen nagekeken", nil
}

// comDomains is the domains a profile view lists: the questionnaire's
// seven, and the committee's open-source findings when there are any.
func comDomains(prof *questionnaires.Profile) []string {
	ds := slices.Clone(questionnaires.Domains)
	if prof != nil {
		if _, ok := prof.Domains[models.DomainOpenSources]; ok {
			ds = append(ds, models.DomainOpenSources)
		}
	}
	return ds
}
