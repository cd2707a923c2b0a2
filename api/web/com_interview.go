package web

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- interview record (gespreksverslag) ----
//
// One page, one form: the date and who attended, and per flag of the
// profile (as this member sees it) the three resolutions, a note and the
// agreed measure (screening.Interview, SaveInterview). The candidate file
// links here with how many flags were discussed; its advice form starts
// from the agreed measures (interviewAdvice).

var comResolutionNL = map[string]string{
	models.ResolutionExplained: "Afdoende toegelicht",
	models.ResolutionMeasure:   "Maatregel afgesproken",
	models.ResolutionConcern:   "Zorg blijft",
}

var comResolutionHint = map[string]string{
	models.ResolutionExplained: "de kandidaat heeft het signaal uitgelegd; er is geen zorg meer",
	models.ResolutionMeasure:   "u hebt een maatregel afgesproken; die wordt een voorwaarde bij het advies",
	models.ResolutionConcern:   "na het gesprek blijft er zorg",
}

// comInterviewFlag is one flag on the page, with what the form holds.
type comInterviewFlag struct {
	Index                           int
	Rule, Level, Domain, Finding    string
	Ask, Why                        string
	Resolution, Note, Measure       string
	RecordedBy                      string
	RecordedAt                      *time.Time
	Options                         []comOption
	ResolutionErr, NoteErr, MeasErr string
}

// comInterviewInput is what the form sent, to show it again after a refusal.
type comInterviewInput struct {
	Posted            bool
	HeldOn, Attendees string
	Resolution, Note  map[string]string // by flag id
	Measure           map[string]string
}

// maxInterviewFlags bounds the rows the form reads (the request's limit).
const maxInterviewFlags = 200

func (p *Pages) comInterview(c *fiber.Ctx) error {
	return p.comInterviewPage(c, comInterviewInput{}, nil, 0)
}

func (p *Pages) comInterviewPage(c *fiber.Ctx, in comInterviewInput, errs []FieldError, status int) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	me := api.ActorOf(c)
	iv, err := p.app.Interview(ctx, k, me.ID)
	if err != nil {
		return err
	}
	names, err := p.comNames(ctx, k.PartyID)
	if err != nil {
		return err
	}
	if !in.Posted {
		in = comInterviewInput{Attendees: iv.Attendees, Resolution: map[string]string{}, Note: map[string]string{}, Measure: map[string]string{}}
		if iv.HeldOn != nil {
			in.HeldOn = comDateField(iv.HeldOn)
		}
		for _, f := range iv.Flags {
			if r := f.Resolution; r != nil {
				in.Resolution[f.Rule], in.Note[f.Rule], in.Measure[f.Rule] = r.Resolution, r.Note, r.Measure
			}
		}
	}
	flags := make([]comInterviewFlag, len(iv.Flags))
	for i, f := range iv.Flags {
		v := comInterviewFlag{Index: i, Rule: f.Rule, Level: string(f.Severity), Domain: comDomainTitle(f.Domain), Finding: f.Finding,
			Ask: f.Ask, Why: f.Why, Resolution: in.Resolution[f.Rule], Note: in.Note[f.Rule], Measure: in.Measure[f.Rule]}
		if r := f.Resolution; r != nil {
			v.RecordedBy, v.RecordedAt = names[r.RecordedBy], &r.RecordedAt
			if v.RecordedBy == "" {
				v.RecordedBy = "een commissielid"
			}
		}
		for _, res := range models.Resolutions {
			v.Options = append(v.Options, comOption{Value: res, Label: comResolutionNL[res] + " — " + comResolutionHint[res], Selected: v.Resolution == res})
		}
		v.ResolutionErr = errorFor(errs, fmt.Sprintf("resolution-%d", i))
		v.NoteErr = errorFor(errs, fmt.Sprintf("note-%d", i))
		v.MeasErr = errorFor(errs, fmt.Sprintf("measure-%d", i))
		flags[i] = v
	}
	// The page shows the profile's findings and the record.
	if err := p.store.AuditReads(ctx, k.PartyID, []string{k.ID}, me, "profile.read", "interview.read"); err != nil {
		return err
	}
	v := p.comView(c, "Gespreksverslag "+k.Name, false)
	v.Errors = errs
	v.Data = map[string]any{"Candidate": k, "Base": comFiles + k.ID, "In": in, "Flags": flags, "View": iv,
		"UpdatedBy": names[iv.UpdatedBy], "CanEdit": k.Status == models.StatusProfiled}
	return p.render(c, status, "committee_interview", v)
}

// errorFor is View.ErrorFor before the view exists.
func errorFor(errs []FieldError, field string) string {
	for _, e := range errs {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

func comDomainTitle(d string) string {
	if t := comDomainNL[d]; t != "" {
		return t
	}
	if d == "openbronnen" {
		return "Open bronnen"
	}
	return d
}

// resolutionField is a refused list entry: resolutions[2].measure.
var resolutionField = regexp.MustCompile(`^resolutions\[(\d+)\]\.(\w+)$`)

func (p *Pages) comSaveInterview(c *fiber.Ctx) error {
	in := comInterviewInput{Posted: true, HeldOn: strings.TrimSpace(c.FormValue("held_on")), Attendees: c.FormValue("attendees"),
		Resolution: map[string]string{}, Note: map[string]string{}, Measure: map[string]string{}}
	req := screening.InterviewRequest{Attendees: in.Attendees}
	// Each row names its flag (rule-N); a row with nothing filled in is left out.
	var rowOf []int // request entry → row on the page
	for i := 0; i < maxInterviewFlags; i++ {
		n := strconv.Itoa(i)
		rule := c.FormValue("rule-" + n)
		if rule == "" {
			break
		}
		r := screening.ResolutionRequest{Rule: rule, Resolution: c.FormValue("resolution-" + n), Note: c.FormValue("note-" + n), Measure: c.FormValue("measure-" + n)}
		in.Resolution[rule], in.Note[rule], in.Measure[rule] = r.Resolution, r.Note, r.Measure
		if r.Resolution == "" && strings.TrimSpace(r.Note) == "" && strings.TrimSpace(r.Measure) == "" {
			continue
		}
		req.Resolutions = append(req.Resolutions, r)
		rowOf = append(rowOf, i)
	}
	var errs []FieldError
	if in.HeldOn != "" {
		d, ok := comParseDate(in.HeldOn)
		if !ok {
			errs = append(errs, FieldError{"interview-held-on", "Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2025."})
		}
		req.HeldOn = d
	}
	if len(errs) > 0 {
		more, _, _ := interviewErrors(p.app.Check(req), rowOf)
		errs = append(errs, more...)
		return p.comInterviewPage(c, in, errs, fiber.StatusUnprocessableEntity)
	}
	k := api.CandidateOf(c)
	if _, err := p.app.SaveInterview(c.UserContext(), api.ActorOf(c), k, req); err != nil {
		errs, status, ok := interviewErrors(err, rowOf)
		if !ok {
			return err
		}
		return p.comInterviewPage(c, in, errs, status)
	}
	flash(c, "Het gespreksverslag is opgeslagen.")
	return redirect(c, comFiles+k.ID+"/gesprek")
}

// interviewErrors is formErrors for this form: a refused list entry goes
// to its row's input.
func interviewErrors(err error, rowOf []int) ([]FieldError, int, bool) {
	e, ok := screening.Explain(err)
	if !ok {
		return nil, 0, false
	}
	status := fiber.StatusUnprocessableEntity
	switch e.Kind {
	case screening.Invalid:
	case screening.Conflict:
		status = fiber.StatusConflict
	default:
		return nil, 0, false
	}
	var errs []FieldError
	for _, f := range e.FieldNames() {
		errs = append(errs, FieldError{interviewFieldID(f, rowOf), e.Fields[f]})
	}
	if len(errs) == 0 {
		errs = []FieldError{{"signalen", e.Message}}
	}
	return errs, status, true
}

// interviewFieldID maps a refused request field (or an id formErrors
// already chose) onto the page's input id.
func interviewFieldID(field string, rowOf []int) string {
	switch field {
	case "held_on":
		return "interview-held-on"
	case "attendees":
		return "interview-attendees"
	case "resolutions":
		return "signalen"
	}
	if m := resolutionField.FindStringSubmatch(field); m != nil {
		j, _ := strconv.Atoi(m[1])
		if j < len(rowOf) {
			name := m[2]
			if name == "rule" {
				name = "resolution"
			}
			return fmt.Sprintf("%s-%d", name, rowOf[j])
		}
	}
	return "signalen"
}

// ---- on the candidate file ----

// comInterviewSummary is what the candidate file shows of the record: the
// link's count, and for the advice form the measures and the concerns.
type comInterviewSummary struct {
	Discussed, Total int
	Measures         string       // the conditions the advice form starts from
	Concerns         []comConcern // the flags where a concern remains
}

// comConcern is a flag where a concern remains, with the committee's note.
type comConcern struct{ Finding, Note string }

// interviewSummary reads the record for the file page (nil without a
// profile); the caller logs interview.read with its other reads.
func (p *Pages) interviewSummary(ctx context.Context, k *models.Candidate, viewerID string) (*comInterviewSummary, error) {
	iv, err := p.app.Interview(ctx, k, viewerID)
	if errors.Is(err, screening.ErrNoProfile) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := &comInterviewSummary{Discussed: iv.Discussed, Total: iv.Total, Measures: screening.MeasuresText(iv.Measures)}
	for _, f := range iv.Flags {
		if f.Resolution != nil && f.Resolution.Resolution == models.ResolutionConcern {
			out.Concerns = append(out.Concerns, comConcern{Finding: f.Finding, Note: f.Resolution.Note})
		}
	}
	return out, nil
}

// adviceConditions is the advice form's conditions: the form starts from
// the agreed measures (conditions_prefill holds what it started with), so
// an advice without conditions drops them again when they were left as
// they were, instead of refusing the form.
func adviceConditions(c *fiber.Ctx, outcome string) string {
	cond := c.FormValue("conditions")
	if outcome != screening.OutcomeWithConditions && strings.TrimSpace(cond) == strings.TrimSpace(c.FormValue("conditions_prefill")) {
		return ""
	}
	return cond
}

// interviewOnFile puts the record's summary on the candidate file and
// starts the advice form from the agreed measures (unless the form comes
// back refused with what was typed).
func (p *Pages) interviewOnFile(ctx context.Context, k *models.Candidate, viewerID string, in *comInput, data map[string]any, reads *[]string) error {
	s, err := p.interviewSummary(ctx, k, viewerID)
	if err != nil || s == nil {
		return err
	}
	data["Interview"] = s
	*reads = append(*reads, "interview.read")
	if in.Form != "advice" && s.Measures != "" {
		in.Conditions = s.Measures
	}
	return nil
}

// guideDilemmas are the dilemma cases of each flagged domain of the guide.
func (p *Pages) guideDilemmas(domains []comDomain) (map[string][]questionnaires.Dilemma, error) {
	out := make(map[string][]questionnaires.Dilemma, len(domains))
	for _, d := range domains {
		cases, err := p.app.Dilemmas(d.Key)
		if err != nil {
			return nil, err
		}
		out[d.Key] = cases
	}
	return out, nil
}
