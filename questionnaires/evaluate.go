package questionnaires

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// VOG status values (docs/architecture.md §9). VOGVerlopen is normally computed from the
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
	// Source says who raised the flag: empty for a rule on the candidate's
	// answers (and the overlaps computed from them), SourceCommittee for a
	// finding of the committee's own research (openbronnen), which pages
	// must never show as an answer of the candidate.
	Source string `json:"source,omitempty"`
	// Law is the rule's article reference, e.g. "Provinciewet art. 40c"
	// (questionnaire version 2 on).
	Law string `json:"law,omitempty"`
}

// SourceCommittee marks a flag the committee raised itself (docs/architecture.md §7).
const SourceCommittee = "commissie"

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

// evalState is the scratch space of one evaluation, pooled so that a
// steady stream of evaluations allocates little.
type evalState struct {
	env    map[string]any
	vis    []bool
	runner exprRunner
	fired  []int
	exc    []excerptMemo
	en     bool // render flags in English (EvaluateIn)
}

type excerptMemo struct {
	done, ok bool
	s        string
}

var statePool = sync.Pool{New: func() any { return new(evalState) }}

func getState(n int) *evalState {
	st := statePool.Get().(*evalState)
	if cap(st.vis) < n {
		st.vis = make([]bool, n)
		st.exc = make([]excerptMemo, n)
	}
	st.vis = st.vis[:n]
	st.exc = st.exc[:n]
	clear(st.exc)
	st.fired = st.fired[:0]
	st.en = false
	return st
}

func putState(st *evalState) {
	clear(st.env) // drop references to the answers
	statePool.Put(st)
}

// excerpt returns the (memoised) excerpt of question position qi.
func (st *evalState) excerpt(d *Definition, qi int) (string, bool) {
	m := &st.exc[qi]
	if !m.done {
		q := d.questions[qi]
		m.s, m.ok = d.excerptIn(q, st.env[q.ID], st.en)
		m.done = true
	}
	return m.s, m.ok
}

// Evaluate runs every rule on the answers, the VOG record (nil: none) and
// the round context. Hidden questions count as unanswered. It is a pure
// function of its inputs (ctx.Now is used as the current time; zero means
// time.Now()). It is safe for concurrent use.
func Evaluate(def *Definition, answers Answers, vog *VOG, ctx Context) (Profile, error) {
	return evaluate(def, answers, vog, ctx, false)
}

// EvaluateIn is Evaluate with the flags' finding, why, ask and excerpts in
// a language ("en" or anything else for Dutch); a rule without English
// keeps its Dutch. For what the candidate reads (their own export): the
// committee always reads the Dutch of Evaluate.
func EvaluateIn(def *Definition, answers Answers, vog *VOG, ctx Context, lang string) (Profile, error) {
	return evaluate(def, answers, vog, ctx, isEnglish(lang))
}

func isEnglish(lang string) bool { return strings.HasPrefix(strings.ToLower(lang), "en") }

func evaluate(def *Definition, answers Answers, vog *VOG, ctx Context, en bool) (Profile, error) {
	if def == nil {
		return Profile{}, errors.New("questionnaires: Evaluate zonder vragenlijst")
	}
	if ctx.Now.IsZero() {
		ctx.Now = time.Now()
	}
	if ctx.Office == "" {
		ctx.Office = def.office // bound with ForOffice
	}
	rc := newRunContext(vog, ctx)
	st := getState(len(def.questions))
	defer putState(st)
	st.en = en
	if err := def.fillEnv(st, answers, rc); err != nil {
		return Profile{}, err
	}

	for i := range def.rules {
		cr := &def.rules[i]
		fired, done := false, false
		if cr.fast != nil {
			fired, done = cr.fast(st.env)
		}
		if !done {
			out, err := st.runner.run(cr.prog, st.env)
			if err != nil {
				return Profile{}, &EvalError{Rule: def.Rules[i].ID, Err: err}
			}
			fired, _ = out.(bool)
		}
		if fired {
			st.fired = append(st.fired, i)
		}
	}

	p := Profile{
		Overall:              LevelGeen,
		Domains:              make(map[string]DomainResult, len(domainOrder)),
		Flags:                make([]Flag, len(st.fired)),
		CompiledAt:           ctx.Now,
		QuestionnaireVersion: def.Version,
	}
	var perDomain [len(domainOrder)]int // by position in domainOrder
	for n, i := range st.fired {
		p.Flags[n] = def.flag(i, st)
		for _, di := range def.rules[i].domainIdx {
			perDomain[di]++
		}
	}
	var results [len(domainOrder)]DomainResult
	for di := range domainOrder {
		results[di] = DomainResult{Level: LevelGeen, Flags: make([]Flag, 0, perDomain[di])}
	}
	for n, i := range st.fired {
		f := &p.Flags[n]
		for _, di := range def.rules[i].domainIdx {
			dr := &results[di]
			dr.Flags = append(dr.Flags, *f)
			dr.Level = dr.Level.Max(f.Severity)
		}
		p.Overall = p.Overall.Max(f.Severity)
	}
	for di, dm := range domainOrder {
		p.Domains[dm] = results[di]
	}
	return p, nil
}

// flag builds the flag of rule i. Flags of all evaluations share the
// rule's Questions slice: callers must not modify it.
func (d *Definition) flag(i int, st *evalState) Flag {
	r := &d.Rules[i]
	cr := &d.rules[i]
	f := Flag{
		Rule:      r.ID,
		Domain:    r.Domain,
		Severity:  r.Severity,
		Why:       r.Why.NL,
		Ask:       r.Ask.NL,
		Questions: cr.qids,
		Law:       r.Law,
	}
	finding := cr.finding
	if st.en {
		f.Why, f.Ask = r.Why.English(), r.Ask.English()
		if cr.findingEN != nil {
			finding = cr.findingEN
		}
	}
	answered := 0
	for _, qi := range cr.questions {
		if _, ok := st.excerpt(d, qi); ok {
			answered++
		}
	}
	if answered > 0 {
		f.Excerpts = make(map[string]string, answered)
		for n, qi := range cr.questions {
			if s, ok := st.excerpt(d, qi); ok {
				f.Excerpts[cr.qids[n]] = s
			}
		}
	}
	if len(finding) == 1 && finding[0].q < 0 {
		f.Finding = finding[0].text
		return f
	}
	size := 0
	none := noAnswer
	if st.en {
		none = noAnswerEN
	}
	for _, seg := range finding {
		if seg.q < 0 {
			size += len(seg.text)
		} else if s, ok := st.excerpt(d, seg.q); ok {
			size += len(s)
		} else {
			size += len(none)
		}
	}
	var b strings.Builder
	b.Grow(size)
	for _, seg := range finding {
		if seg.q < 0 {
			b.WriteString(seg.text)
		} else if s, ok := st.excerpt(d, seg.q); ok {
			b.WriteString(s)
		} else {
			b.WriteString(none)
		}
	}
	f.Finding = b.String()
	return f
}

const (
	noAnswer   = "(geen antwoord)"
	noAnswerEN = "(no answer)"
)

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
	return d.excerptIn(q, v, false)
}

// ExcerptIn is Excerpt in a language ("en" or anything else for Dutch).
func (d *Definition) ExcerptIn(questionID string, v any, lang string) (string, bool) {
	q, ok := d.Question(questionID)
	if !ok {
		return "", false
	}
	return d.excerptIn(q, v, isEnglish(lang))
}

func (d *Definition) excerptIn(q *Question, v any, en bool) (string, bool) {
	v = envValue(q, v)
	if v == nil {
		return "", false
	}
	var s string
	switch q.Type {
	case TypeYesNo:
		s = yesNoIn(v.(bool), en)
	case TypeChoice:
		s = labelIn(q.Options, v.(string), en)
	case TypeMultiChoice:
		l := v.([]any)
		if len(l) == 0 {
			return "", false
		}
		parts := make([]string, 0, len(l))
		for _, x := range l {
			if id, ok := x.(string); ok {
				parts = append(parts, labelIn(q.Options, id, en))
			}
		}
		s = strings.Join(parts, ", ")
	case TypeText, TypeLongText:
		s = oneLine(v.(string))
	case TypeDate:
		s = dateIn(v.(string), en)
	case TypeNumber:
		s = fmtNumIn(v.(float64), en)
	case TypeScale:
		if en {
			s = fmtNumIn(v.(float64), en) + " of 5"
		} else {
			s = fmtNum(v.(float64)) + " van 5"
		}
	case TypeList:
		s = listExcerpt(q, v.([]any), en)
	}
	return truncate(s, MaxExcerpt), true
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nee"
}

func yesNoIn(b, en bool) string {
	if !en {
		return yesNo(b)
	}
	if b {
		return "yes"
	}
	return "no"
}

func label(opts []Option, id string) string { return labelIn(opts, id, false) }

func labelIn(opts []Option, id string, en bool) string {
	if o, ok := findOption(opts, id); ok {
		if en {
			return o.Text.English()
		}
		return o.Text.NL
	}
	return id
}

var monthsEN = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

func dateIn(s string, en bool) string {
	if !en {
		return dateNL(s)
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return s
	}
	return fmt.Sprintf("%d %s %d", t.Day(), monthsEN[t.Month()-1], t.Year())
}

func fmtNumIn(f float64, en bool) string {
	if en {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmtNum(f)
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
func listExcerpt(q *Question, l []any, en bool) string {
	if len(l) == 0 {
		switch {
		case en && !q.EmptyText.IsZero():
			return q.EmptyText.English()
		case en:
			return "none"
		case q.EmptyText.NL != "":
			return q.EmptyText.NL
		}
		return "geen"
	}
	title := titleField(q)
	var choice *Field // the first choice field that is not the title adds context
	for fi := range q.Fields {
		if f := &q.Fields[fi]; f.Type == TypeChoice && f != title {
			choice = f
			break
		}
	}
	var b strings.Builder
	b.Grow(32 * len(l))
	for i, x := range l {
		if b.Len() > MaxExcerpt*4 {
			break // long enough; truncate cuts it anyway
		}
		if i > 0 {
			b.WriteString("; ")
		}
		m, _ := x.(map[string]any)
		name := ""
		if title != nil {
			name = fieldText(title, m[title.ID], en)
		}
		if name == "" {
			item := q.Item.NL
			if en {
				item = q.Item.English()
			}
			fmt.Fprintf(&b, "%s %d", item, i+1)
		} else {
			b.WriteString(name)
		}
		if choice != nil {
			if c := fieldText(choice, m[choice.ID], en); c != "" {
				b.WriteString(" (")
				b.WriteString(c)
				b.WriteString(")")
			}
		}
	}
	return b.String()
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

func fieldText(f *Field, v any, en bool) string {
	switch x := v.(type) {
	case string:
		if f.Type == TypeChoice {
			return labelIn(f.Options, x, en)
		}
		if f.Type == TypeDate {
			return dateIn(x, en)
		}
		return oneLine(x)
	case bool:
		return yesNoIn(x, en)
	case float64:
		return fmtNumIn(x, en)
	}
	return ""
}

// oneLine collapses runs of white space to one space.
func oneLine(s string) string {
	clean := true
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		sp := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
		if sp && (c != ' ' || prevSpace) {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean && !prevSpace {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
