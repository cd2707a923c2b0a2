package questionnaires

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// VOG status values (DESIGN §9). VOGVerlopen is normally computed from the
// issue date, but is accepted as a status too.
const (
	VOGNietGevraagd          = "niet_gevraagd"
	VOGKlaargezet            = "klaargezet"
	VOGAangevraagd           = "aangevraagd"
	VOGAfgegeven             = "afgegeven"
	VOGVoornemenTotWeigering = "voornemen_tot_weigering"
	VOGGeweigerd             = "geweigerd"
	VOGIngetrokken           = "ingetrokken"
	VOGVerlopen              = "verlopen"
)

// VOG is the part of the committee's VOG record the rules look at.
type VOG struct {
	Status   string
	IssuedOn *time.Time
}

// Context is the round context of an evaluation.
type Context struct {
	Office        string    // round office: "raadslid", "wethouder", ...
	Deadline      time.Time // round deadline; zero = none
	Now           time.Time // evaluation time; zero = time.Now()
	MaxVOGAgeDays int       // 0 = DefaultMaxVOGAgeDays
}

// Flag is one rule that fired.
type Flag struct {
	Rule      string            `json:"rule"`
	Domain    string            `json:"domain"`
	Severity  Level             `json:"severity"`
	Finding   string            `json:"finding"`
	Why       string            `json:"why,omitempty"`
	Ask       string            `json:"ask"`
	Questions []string          `json:"questions"`
	Excerpts  map[string]string `json:"excerpts,omitempty"`
}

// DomainResult is the level and flags of one domain.
type DomainResult struct {
	Level Level  `json:"level"`
	Flags []Flag `json:"flags"`
}

// Profile is the risk profile of one candidate.
type Profile struct {
	Overall              Level                   `json:"overall"`
	Domains              map[string]DomainResult `json:"domains"`
	Flags                []Flag                  `json:"flags"`
	CompiledAt           time.Time               `json:"compiled_at"`
	QuestionnaireVersion int                     `json:"questionnaire_version"`
}

// EvalError is a run-time failure of one expression.
type EvalError struct {
	Rule     string // set for a rule's when
	Question string // set for a question's show_if
	Err      error
}

func (e *EvalError) Error() string {
	if e.Rule != "" {
		return fmt.Sprintf("regel %s: %v", e.Rule, e.Err)
	}
	return fmt.Sprintf("show_if van vraag %s: %v", e.Question, e.Err)
}

func (e *EvalError) Unwrap() error { return e.Err }

// MaxExcerpt is the maximum length of an answer excerpt, in runes.
const MaxExcerpt = 200

// Evaluate runs every rule on the answers, the VOG record (nil: none) and
// the round context. Hidden questions count as unanswered. It is a pure
// function of its inputs (ctx.Now is used as the current time).
func Evaluate(def *Definition, answers Answers, vog *VOG, ctx Context) (Profile, error) {
	if def == nil {
		return Profile{}, errors.New("questionnaires: Evaluate zonder vragenlijst")
	}
	if ctx.Now.IsZero() {
		ctx.Now = time.Now()
	}
	rc := newRunContext(vog, ctx)
	vis := make([]bool, len(def.questions))
	var runner exprRunner
	env, err := def.buildEnv(answers, rc, vis, &runner)
	if err != nil {
		return Profile{}, err
	}

	p := Profile{
		Overall:              LevelGeen,
		Domains:              make(map[string]DomainResult, len(Domains)),
		Flags:                []Flag{},
		CompiledAt:           ctx.Now,
		QuestionnaireVersion: def.Version,
	}
	for _, dm := range Domains {
		p.Domains[dm] = DomainResult{Level: LevelGeen, Flags: []Flag{}}
	}
	for i := range def.rules {
		cr := &def.rules[i]
		out, err := runner.run(cr.prog, env)
		if err != nil {
			return Profile{}, &EvalError{Rule: def.Rules[i].ID, Err: err}
		}
		if fired, _ := out.(bool); !fired {
			continue
		}
		f := def.flag(i, env)
		p.Flags = append(p.Flags, f)
		for _, dm := range cr.domains {
			dr := p.Domains[dm]
			dr.Flags = append(dr.Flags, f)
			dr.Level = dr.Level.Max(f.Severity)
			p.Domains[dm] = dr
		}
	}
	for _, dr := range p.Domains {
		p.Overall = p.Overall.Max(dr.Level)
	}
	return p, nil
}

// flag builds the flag of rule i from the (visible-only) env.
func (d *Definition) flag(i int, env map[string]any) Flag {
	r := &d.Rules[i]
	cr := &d.rules[i]
	f := Flag{
		Rule:      r.ID,
		Domain:    r.Domain,
		Severity:  r.Severity,
		Why:       r.Why,
		Ask:       r.Ask,
		Questions: make([]string, 0, len(cr.questions)),
	}
	for _, qi := range cr.questions {
		q := d.questions[qi]
		f.Questions = append(f.Questions, q.ID)
		if s, ok := d.excerpt(q, env[q.ID]); ok {
			if f.Excerpts == nil {
				f.Excerpts = make(map[string]string, len(cr.questions))
			}
			f.Excerpts[q.ID] = s
		}
	}
	var b strings.Builder
	for _, seg := range cr.finding {
		if seg.q < 0 {
			b.WriteString(seg.text)
			continue
		}
		q := d.questions[seg.q]
		if s, ok := d.excerpt(q, env[q.ID]); ok {
			b.WriteString(s)
		} else {
			b.WriteString("(geen antwoord)")
		}
	}
	f.Finding = b.String()
	return f
}

// Excerpt renders an answer for people: option labels, list item names,
// dates in words; at most MaxExcerpt runes. ok is false when unanswered.
func (d *Definition) Excerpt(questionID string, v any) (string, bool) {
	q, ok := d.Question(questionID)
	if !ok {
		return "", false
	}
	return d.excerpt(q, v)
}

func (d *Definition) excerpt(q *Question, v any) (string, bool) {
	v = envValue(q, v)
	if v == nil {
		return "", false
	}
	var s string
	switch q.Type {
	case TypeYesNo:
		s = yesNo(v.(bool))
	case TypeChoice:
		s = label(q.Options, v.(string))
	case TypeMultiChoice:
		l := v.([]any)
		if len(l) == 0 {
			return "", false
		}
		parts := make([]string, 0, len(l))
		for _, x := range l {
			if id, ok := x.(string); ok {
				parts = append(parts, label(q.Options, id))
			}
		}
		s = strings.Join(parts, ", ")
	case TypeText, TypeLongText:
		s = strings.Join(strings.Fields(v.(string)), " ")
	case TypeDate:
		s = dateNL(v.(string))
	case TypeNumber:
		s = fmtNum(v.(float64))
	case TypeScale:
		s = fmtNum(v.(float64)) + " van 5"
	case TypeList:
		s = listExcerpt(q, v.([]any))
	}
	return truncate(s, MaxExcerpt), true
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nee"
}

func label(opts []Option, id string) string {
	if o, ok := findOption(opts, id); ok {
		return o.Text.NL
	}
	return id
}

var monthsNL = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

func dateNL(s string) string {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return s
	}
	return fmt.Sprintf("%d %s %d", t.Day(), monthsNL[t.Month()-1], t.Year())
}

// listExcerpt names the items of a list by their title field, e.g.
// "Stichting Dorpshuis (bestuur); VV Noord (lid)".
func listExcerpt(q *Question, l []any) string {
	if len(l) == 0 {
		if q.EmptyText.NL != "" {
			return q.EmptyText.NL
		}
		return "geen"
	}
	title := titleField(q)
	parts := make([]string, 0, len(l))
	for i, x := range l {
		m, _ := x.(map[string]any)
		name := ""
		if title != nil {
			name = fieldText(title, m[title.ID])
		}
		if name == "" {
			name = fmt.Sprintf("%s %d", q.Item.NL, i+1)
		}
		// The first choice field that is not the title adds context.
		for fi := range q.Fields {
			f := &q.Fields[fi]
			if f.Type == TypeChoice && f != title {
				if c := fieldText(f, m[f.ID]); c != "" {
					name += " (" + c + ")"
				}
				break
			}
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, "; ")
}

func titleField(q *Question) *Field {
	if q.TitleField != "" {
		f, _ := q.Field(q.TitleField)
		return f
	}
	for i := range q.Fields {
		if q.Fields[i].Type == TypeText {
			return &q.Fields[i]
		}
	}
	return nil
}

func fieldText(f *Field, v any) string {
	switch x := v.(type) {
	case string:
		if f.Type == TypeChoice {
			return label(f.Options, x)
		}
		if f.Type == TypeDate {
			return dateNL(x)
		}
		return strings.Join(strings.Fields(x), " ")
	case bool:
		return yesNo(x)
	case float64:
		return fmtNum(x)
	}
	return ""
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
