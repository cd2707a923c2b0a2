package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/i18n"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- review and submit ----

type scanReviewItem struct {
	Title   string
	Details []string
}

type scanReviewQ struct {
	ID, Text, Answer, Step, LinkID string
	Lines                          []string
	Items                          []scanReviewItem
	Missing, Optional, Long        bool
}

type scanReviewSection struct {
	N         int
	Title     string
	Questions []scanReviewQ
	Missing   int
}

type scanReviewData struct {
	Sections []scanReviewSection
	Editable bool
	Missing  int
	Status   string
}

func scanDateNL(lang, s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	months := nlMonths
	if lang == i18n.EN {
		months = enMonths
	}
	return strconv.Itoa(t.Day()) + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

func scanOptionLabel(lang string, opts []questionnaires.Option, id string) string {
	for _, o := range opts {
		if o.ID == id {
			return o.Text.In(lang)
		}
	}
	return id
}

func scanFieldAnswer(lang string, f *questionnaires.Field, v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return i18n.T(lang, "Ja")
		}
		return i18n.T(lang, "Nee")
	case float64:
		return scanNumber(x)
	case string:
		switch f.Type {
		case questionnaires.TypeChoice:
			return scanOptionLabel(lang, f.Options, x)
		case questionnaires.TypeDate:
			return scanDateNL(lang, x)
		}
		return x
	}
	return ""
}

// scanReviewAnswer renders one saved answer for people.
func scanReviewAnswer(lang string, q *questionnaires.Question, v any, rq *scanReviewQ) {
	switch x := v.(type) {
	case bool:
		rq.Answer = map[bool]string{true: i18n.T(lang, "Ja"), false: i18n.T(lang, "Nee")}[x]
	case float64:
		rq.Answer = scanNumber(x)
		if q.Type == questionnaires.TypeScale {
			rq.Answer = i18n.T(lang, "%s van 5", rq.Answer)
			if q.ScaleLabels != nil {
				rq.Answer += " (1 = " + scanLowerFirst(q.ScaleLabels.Min.In(lang)) + ", 5 = " + scanLowerFirst(q.ScaleLabels.Max.In(lang)) + ")"
			}
		}
	case string:
		switch q.Type {
		case questionnaires.TypeChoice:
			rq.Answer = scanOptionLabel(lang, q.Options, x)
		case questionnaires.TypeDate:
			rq.Answer = scanDateNL(lang, x)
		default:
			rq.Answer, rq.Long = x, q.Type == questionnaires.TypeLongText
		}
	case []any:
		if q.Type == questionnaires.TypeMultiChoice {
			for _, o := range x {
				if s, ok := o.(string); ok {
					rq.Lines = append(rq.Lines, scanOptionLabel(lang, q.Options, s))
				}
			}
			return
		}
		if len(x) == 0 {
			rq.Answer = q.EmptyText.In(lang)
			if rq.Answer == "" {
				rq.Answer = i18n.T(lang, "Geen")
			}
			return
		}
		title := q.TitleField
		for i, it := range x {
			m, _ := it.(map[string]any)
			ri := scanReviewItem{Title: scanItemNameIn(q, lang) + " " + strconv.Itoa(i+1)}
			for fi := range q.Fields {
				f := &q.Fields[fi]
				s := scanFieldAnswer(lang, f, m[f.ID])
				if s == "" {
					continue
				}
				if f.ID == title {
					ri.Title += ": " + s
					continue
				}
				label := f.Text.In(lang)
				if !strings.HasSuffix(label, "?") {
					label += ":"
				}
				ri.Details = append(ri.Details, label+" "+s)
			}
			rq.Items = append(rq.Items, ri)
		}
	}
}

func scanBuildReview(lang string, in *models.CompileInput) scanReviewData {
	def, ans := in.Def, in.Answers
	vis := def.Visible(ans)
	missing := map[string]bool{}
	for _, id := range def.Missing(ans) {
		missing[id] = true
	}
	d := scanReviewData{Editable: scanEditable(in.Candidate), Missing: len(missing), Status: string(in.Candidate.Status)}
	var first map[string]string
	if d.Editable {
		first = scanFirstInputs(in)
	}
	for i := range def.Sections {
		s := &def.Sections[i]
		rs := scanReviewSection{N: i + 1, Title: s.Title.In(lang)}
		for _, q := range scanSectionQuestions(def, s) {
			if !vis[q.ID] {
				continue
			}
			rq := scanReviewQ{ID: q.ID, Text: q.Text.In(lang), Step: scanChangeLink(i+1, first[q.ID]), LinkID: "wijzig-" + q.ID, Optional: q.Optional, Missing: missing[q.ID]}
			if rq.Missing {
				rs.Missing++
			} else {
				scanReviewAnswer(lang, q, ans[q.ID], &rq)
			}
			rs.Questions = append(rs.Questions, rq)
		}
		d.Sections = append(d.Sections, rs)
	}
	return d
}

func (p *Pages) scanReview(c *fiber.Ctx) error {
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	if in.Candidate.ConsentAt == nil {
		return redirect(c, "/scan")
	}
	return p.scanRenderReview(c, 0, in, nil)
}

func (p *Pages) scanRenderReview(c *fiber.Ctx, status int, in *models.CompileInput, errs []FieldError) error {
	v := p.scanView(c, "Controleer uw antwoorden")
	d := scanBuildReview(v.Lang, in)
	if !d.Editable {
		v.Title = "Uw antwoorden"
	}
	v.Errors = errs
	v.Data = d
	return p.render(c, status, "scan_review", v)
}

func (p *Pages) scanSubmit(c *fiber.Ctx) error {
	ctx := c.UserContext()
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	_, err = p.app.Submit(ctx, in.Candidate)
	if e, ok := screening.Explain(err); ok && e.Kind == screening.Invalid {
		return p.scanRenderReview(c, fiber.StatusUnprocessableEntity, in, scanMissingErrors(p.langOf(c), in.Def, e.Fields))
	}
	if err != nil {
		return err
	}
	return redirect(c, "/scan/ontvangen")
}

// scanMissingErrors is the error summary of a refused submit: one line per
// unanswered question, or one per step when many are missing.
func scanMissingErrors(lang string, def *questionnaires.Definition, missing map[string]string) []FieldError {
	type step struct {
		n  int
		qs []*questionnaires.Question
	}
	var steps []step
	total := 0
	for i := range def.Sections {
		st := step{n: i + 1}
		for _, q := range scanSectionQuestions(def, &def.Sections[i]) {
			if _, ok := missing[q.ID]; ok {
				st.qs = append(st.qs, q)
			}
		}
		if len(st.qs) > 0 {
			steps = append(steps, st)
			total += len(st.qs)
		}
	}
	var errs []FieldError
	for _, st := range steps {
		if total > 8 && len(st.qs) > 1 {
			errs = append(errs, FieldError{Field: "wijzig-" + st.qs[0].ID,
				Message: i18n.T(lang, "Stap %d (%s): beantwoord nog %d vragen", st.n, def.Sections[st.n-1].Title.In(lang), len(st.qs))})
			continue
		}
		for _, q := range st.qs {
			errs = append(errs, FieldError{Field: "wijzig-" + q.ID, Message: i18n.T(lang, "Stap %d: beantwoord de vraag „%s”", st.n, q.Text.In(lang))})
		}
	}
	return errs
}

func (p *Pages) scanReceived(c *fiber.Ctx) error {
	k, err := p.store.Candidate(c.UserContext(), api.CandidateOf(c).ID)
	if err != nil {
		return err
	}
	switch k.Status {
	case models.StatusSubmitted, models.StatusProfiled, models.StatusDecided:
	default:
		return redirect(c, "/scan")
	}
	v := p.scanView(c, "Uw scan is ingediend")
	v.Data = map[string]any{"SubmittedAt": k.SubmittedAt, "Email": k.Email}
	return p.render(c, 0, "scan_received", v)
}
