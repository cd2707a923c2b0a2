package web

import (
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/i18n"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/screening"
)

// The reference pages (issue 13, part 2; screening/references.go): the
// candidate names the referents (scan_references.go), the committee asks,
// sends and reads (com_references.go), and the referent answers through
// the link in the mail (this file). Same use cases as the JSON API.

func (p *Pages) referenceRoutes(r routeFn) []apiRoute {
	const com = models.RoleCommissie
	k := comFiles + ":cid/referenties"
	return []apiRoute{
		r("GET", "/scan/referenties", api.CandidateSelf, p.scanReferences),
		r("POST", "/scan/referenties", api.CandidateSelf, p.scanNameReferents),
		r("GET", k, api.CandidateScope, p.comReferences, com),
		r("POST", k+"/vragen", api.CandidateScope, p.comRequestReferences, com),
		r("POST", k+"/versturen", api.CandidateScope, p.comSendReferences, com),
		api.Limited(r("GET", "/referentie/:token", api.Public, p.referentForm), api.LimitInvitation),
		api.Limited(r("POST", "/referentie/:token", api.Public, p.referentAnswer), api.LimitInvitation),
	}
}

// ---- the referent's page ----

type referentSection struct {
	Title, Intro string
	Questions    []scanQuestion
}

type referentData struct {
	Token, Candidate, Party, Office string
	Intro                           string
	Privacy                         []scanPrivacyBlock
	Sections                        []referentSection
	Expires                         any
}

func (p *Pages) referentView(c *fiber.Ctx, f *models.ReferentFile, states map[string]scanState, errs, en map[string]string) View {
	def := f.Def
	lang := p.langOf(c)
	d := referentData{Token: c.Params("token"), Candidate: f.Candidate, Party: f.Party, Office: officeLowerIn(lang, f.Office), Intro: def.Intro.In(lang),
		Privacy: scanPrivacyBlocks(def.Privacy.Text.In(lang)), Expires: f.Expires}
	vis := def.Visible(nil)
	var summary []FieldError
	for i := range def.Sections {
		sec := &def.Sections[i]
		sd, fe := scanBuildStep(def, i+1, sec, scanStepInput{states: states, visible: vis, errs: errs, lang: lang, en: en})
		summary = append(summary, fe...)
		d.Sections = append(d.Sections, referentSection{Title: sd.Title, Intro: sd.Intro, Questions: sd.Questions})
	}
	v := p.withLang(c, p.base(c, i18n.T(lang, "Referentie voor %s", f.Candidate)))
	v.Narrow = true
	v.Styles = []string{"scan.css"}
	v.Party = f.Party
	v.Errors = summary
	v.Data = d
	return v
}

func (p *Pages) referentForm(c *fiber.Ctx) error {
	f, err := p.app.ReferentForm(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return p.render(c, 0, "referent", p.referentView(c, f, map[string]scanState{}, nil, nil))
}

// referentAnswer takes the referent's answers once. It only runs on POST,
// so a mail scanner that follows the link answers nothing.
func (p *Pages) referentAnswer(c *fiber.Ctx) error {
	// A visitor with a live session posted the session's CSRF token, which
	// the API middleware already checked; everyone else uses the form cookie.
	if api.Principal(c) == nil {
		if err := checkAnonCSRF(c); err != nil {
			return err
		}
	}
	ctx := c.UserContext()
	token := c.Params("token")
	f, err := p.app.ReferentForm(ctx, token)
	if err != nil {
		return err
	}
	vals := scanFormValues(c)
	states := map[string]scanState{}
	raw := map[string]json.RawMessage{}
	local := map[string]string{}
	for _, q := range f.Def.Questions() {
		st := scanStateFromForm(q, vals)
		states[q.ID] = st
		v, send, _, msg := st.value(q)
		if msg != "" {
			local[q.ID] = msg
			continue
		}
		if !send || v == nil {
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		raw[q.ID] = b
	}
	if len(local) == 0 {
		err = p.app.AnswerReference(ctx, token, screening.AnswerReferenceRequest{Answers: raw})
		if err == nil {
			v := p.withLang(c, p.base(c, "Bedankt voor uw antwoorden"))
			v.Narrow = true
			v.Styles = []string{"scan.css"}
			v.Party = f.Party
			v.Data = map[string]any{"Candidate": f.Candidate, "Party": f.Party}
			return p.render(c, 0, "referent_done", v)
		}
		e, ok := screening.Explain(err)
		if !ok || e.Kind != screening.Invalid {
			return err
		}
		for id, m := range e.Fields {
			if q, ok := f.Def.Question(id); ok && m == "Beantwoord deze vraag." {
				lang := p.langOf(c)
				m = i18n.T(lang, "Beantwoord de vraag „%s”.", strings.TrimSuffix(q.Text.In(lang), "?"))
			}
			local[id] = m
		}
	}
	return p.render(c, fiber.StatusUnprocessableEntity, "referent", p.referentView(c, f, states, local, scanEnglishMessages(f.Def, raw)))
}

// referencesLine is the one-line status on the committee's file page (no
// names, no answers: it is not a read of the references).
func (p *Pages) referencesLine(c *fiber.Ctx, k *models.Candidate) (string, error) {
	rq, rs, err := p.store.References(c.UserContext(), k)
	if err != nil || rq == nil {
		return "nog niet gevraagd", err
	}
	switch {
	case rq.SentAt == nil && rq.ConsentAt == nil:
		return "gevraagd, de kandidaat noemt nog namen", nil
	case rq.SentAt == nil:
		return "namen genoemd, nog niet verstuurd", nil
	}
	answered := 0
	for i := range rs {
		if rs[i].AnsweredAt != nil {
			answered++
		}
	}
	return itoa(answered) + " van " + itoa(len(rs)) + " beantwoord", nil
}

var referentStatusNL = map[string]string{
	models.ReferentNamed: "Nog niet gevraagd", models.ReferentAsked: "Gevraagd, nog geen antwoord",
	models.ReferentAnswered: "Beantwoord", models.ReferentExpired: "Verlopen zonder antwoord",
}

// officeLower is the office inside a sentence: "raadslid", "lid van
// Provinciale Staten" (the name of the province's council keeps its capitals).
func officeLower(o string) string {
	if o == "statenlid" {
		return "lid van Provinciale Staten"
	}
	return strings.ToLower(OfficeNL(o))
}

// officeLowerIn is officeLower in the referent's language.
func officeLowerIn(lang, o string) string {
	if info, ok := questionnaires.Office(o); ok && lang == i18n.EN {
		return info.PhraseEN
	}
	return officeLower(o)
}
