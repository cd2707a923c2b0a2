package questionnaires

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Answers maps question ids to answer values in the shape json.Unmarshal
// produces into map[string]any: bool, string, float64, []any,
// map[string]any. A nil value means "no answer".
type Answers map[string]any

const (
	minDate    = "1900-01-01"
	maxDate    = "2100-12-31"
	dateLayout = "2006-01-02"
)

// ValidateAnswers checks and normalises a batch of answers (for example
// the body of PATCH /me/answers). It returns the normalised answers, or a
// map of question id to a Dutch message that says how to fix it. JSON null
// (and an empty text, an empty multichoice) gives the key with a nil value,
// meaning "clear this answer". An empty list is a valid answer ("none").
func (d *Definition) ValidateAnswers(in map[string]json.RawMessage) (Answers, map[string]string) {
	out, msgs := d.ValidateAnswersText(in)
	return out, msgs.In("nl")
}

// ValidateAnswersIn is ValidateAnswers with the messages in a language
// ("en" or anything else for Dutch).
func (d *Definition) ValidateAnswersIn(in map[string]json.RawMessage, lang string) (Answers, map[string]string) {
	out, msgs := d.ValidateAnswersText(in)
	return out, msgs.In(lang)
}

// ValidateAnswersText is ValidateAnswers with every message in both
// languages (nil when all answers are valid).
func (d *Definition) ValidateAnswersText(in map[string]json.RawMessage) (Answers, AnswerMessages) {
	out := make(Answers, len(in))
	errs := AnswerMessages{}
	for id, raw := range in {
		q, ok := d.Question(id)
		if !ok {
			errs[id] = amsg("unknown").Text()
			continue
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || string(raw) == "null" {
			out[id] = nil
			continue
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			errs[id] = amsg("bad_json").Text()
			continue
		}
		nv, msg := q.normalize(v)
		if msg != nil {
			errs[id] = msg.Text()
			continue
		}
		out[id] = nv
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// Normalize validates one decoded JSON value for this question. It returns
// the normalised value (nil = cleared) or a Dutch message.
func (q *Question) Normalize(v any) (any, string) {
	return q.NormalizeIn(v, "nl")
}

// NormalizeIn is Normalize with the message in a language ("en" or
// anything else for Dutch).
func (q *Question) NormalizeIn(v any, lang string) (any, string) {
	nv, msg := q.normalize(v)
	if msg != nil {
		return nil, msg.render(isEnglish(lang))
	}
	return nv, ""
}

func (q *Question) normalize(v any) (any, *answerMsg) {
	if v == nil {
		return nil, nil
	}
	switch q.Type {
	case TypeYesNo:
		b, ok := v.(bool)
		if !ok {
			return nil, amsg("yesno")
		}
		return b, nil
	case TypeChoice:
		s, ok := v.(string)
		if !ok {
			return nil, amsg("choice")
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, nil
		}
		if _, ok := q.Option(s); !ok {
			return nil, amsg("choice")
		}
		return s, nil
	case TypeMultiChoice:
		return q.normalizeMulti(v)
	case TypeText, TypeLongText:
		s, ok := v.(string)
		if !ok {
			return nil, amsg("text")
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, nil
		}
		max := q.MaxLength
		if max <= 0 {
			max = DefaultMaxText
			if q.Type == TypeLongText {
				max = DefaultMaxLongText
			}
		}
		if utf8.RuneCountInString(s) > max {
			return nil, amsg("too_long", max)
		}
		return s, nil
	case TypeDate:
		s, ok := v.(string)
		if !ok {
			return nil, amsg("date")
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, nil
		}
		return normDate(s)
	case TypeNumber:
		f, ok := v.(float64)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, amsg("number")
		}
		if msg := checkNumber(f, q.Min, q.Max, q.Integer); msg != nil {
			return nil, msg
		}
		return f, nil
	case TypeScale:
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) || f < ScaleMin || f > ScaleMax {
			return nil, amsg("scale")
		}
		return f, nil
	case TypeList:
		return q.normalizeList(v)
	}
	return nil, amsg("unknown")
}

func (q *Question) normalizeMulti(v any) (any, *answerMsg) {
	l, ok := v.([]any)
	if !ok {
		return nil, amsg("multi")
	}
	if len(l) == 0 {
		return nil, nil
	}
	out := make([]any, 0, len(l))
	seen := make(map[string]bool, len(l))
	var exclusive *Option
	for _, x := range l {
		s, ok := x.(string)
		if !ok {
			return nil, amsg("multi")
		}
		s = strings.TrimSpace(s)
		o, ok := q.Option(s)
		if !ok {
			return nil, amsg("multi")
		}
		if seen[s] {
			return nil, amsg("multi_dup")
		}
		seen[s] = true
		if o.Exclusive {
			exclusive = o
		}
		out = append(out, s)
	}
	if exclusive != nil && len(out) > 1 {
		return nil, amsg("exclusive", exclusive.Text)
	}
	return out, nil
}

func (q *Question) normalizeList(v any) (any, *answerMsg) {
	l, ok := v.([]any)
	if !ok {
		return nil, amsg("list")
	}
	max := q.MaxItems
	if max <= 0 {
		max = DefaultMaxItems
	}
	if len(l) > max {
		return nil, amsg("too_many", max)
	}
	var item any = q.Item
	if q.Item.NL == "" {
		item = amsg("default_item")
	}
	out := make([]any, 0, len(l))
	for i, x := range l {
		n := i + 1
		m, ok := x.(map[string]any)
		if !ok {
			return nil, amsg("list_item", item, n)
		}
		for k := range m {
			if _, ok := q.Field(k); !ok {
				return nil, amsg("unknown_field", item, n, k)
			}
		}
		nm := make(map[string]any, len(q.Fields))
		for fi := range q.Fields {
			f := &q.Fields[fi]
			val, msg := f.normalize(m[f.ID])
			if msg != nil {
				return nil, amsg("item", item, n, msg)
			}
			if val == nil {
				if !f.Optional {
					return nil, amsg("item", item, n, f.missingMessage())
				}
				continue
			}
			nm[f.ID] = val
		}
		out = append(out, nm)
	}
	return out, nil
}

// name is how messages refer to the field: its name, or else its text in
// quotes.
func (f *Field) name() any {
	if f.Name.NL != "" {
		return f.Name
	}
	return amsg("field_quoted", Text{NL: strings.TrimSuffix(f.Text.NL, "?"), EN: strings.TrimSuffix(f.Text.EN, "?")})
}

func (f *Field) missingMessage() *answerMsg {
	switch f.Type {
	case TypeYesNo:
		return amsg("field_yesno", f.name())
	case TypeChoice:
		return amsg("field_pick", f.name())
	}
	return amsg("field_missing", f.name())
}

// normalize validates one list field value; nil with nil means empty.
func (f *Field) normalize(v any) (any, *answerMsg) {
	if v == nil {
		return nil, nil
	}
	switch f.Type {
	case TypeYesNo:
		b, ok := v.(bool)
		if !ok {
			return nil, amsg("field_yesno", f.name())
		}
		return b, nil
	case TypeChoice:
		s, ok := v.(string)
		if !ok {
			return nil, amsg("field_choice", f.name())
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, nil
		}
		if _, ok := f.Option(s); !ok {
			return nil, amsg("field_choice", f.name())
		}
		return s, nil
	case TypeText:
		s, ok := v.(string)
		if !ok {
			return nil, amsg("field_text", f.name())
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, nil
		}
		max := f.MaxLength
		if max <= 0 {
			max = DefaultMaxText
		}
		if utf8.RuneCountInString(s) > max {
			return nil, amsg("field_too_long", f.name(), max)
		}
		return s, nil
	case TypeDate:
		s, ok := v.(string)
		if !ok {
			return nil, amsg("field_date", f.name())
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, nil
		}
		d, msg := normDate(s)
		if msg != nil {
			return nil, amsg("field_date_range", f.name())
		}
		return d, nil
	case TypeNumber:
		n, ok := v.(float64)
		if !ok || math.IsNaN(n) || math.IsInf(n, 0) {
			return nil, amsg("field_number", f.name())
		}
		if msg := checkNumber(n, f.Min, f.Max, f.Integer); msg != nil {
			return nil, amsg("field_check", f.name(), lowerFirst{msg})
		}
		return n, nil
	}
	return nil, amsg("field_type")
}

func normDate(s string) (any, *answerMsg) {
	if len(s) != len(dateLayout) {
		return nil, amsg("date")
	}
	if _, err := time.Parse(dateLayout, s); err != nil {
		return nil, amsg("date")
	}
	if s < minDate || s > maxDate {
		return nil, amsg("date_range")
	}
	return s, nil
}

func fmtNum(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}

func checkNumber(f float64, min, max *float64, integer bool) *answerMsg {
	if integer && f != math.Trunc(f) {
		return amsg("integer")
	}
	switch {
	case min != nil && max != nil && (f < *min || f > *max):
		return amsg("number_range", *min, *max)
	case min != nil && f < *min:
		return amsg("number_min", *min)
	case max != nil && f > *max:
		return amsg("number_max", *max)
	}
	return nil
}

// answered reports whether v counts as an answer to q. An empty list is an
// answer ("none"); an empty multichoice is not.
func answered(q *Question, v any) bool {
	v = envValue(q, v)
	if v == nil {
		return false
	}
	if q.Type == TypeMultiChoice {
		l, _ := v.([]any)
		return len(l) > 0
	}
	return true
}

// visibility evaluates every show_if on the current answers.
func (d *Definition) visibility(a Answers) []bool {
	st := getState(len(d.questions))
	defer putState(st)
	vis := make([]bool, len(d.questions))
	if err := d.fillEnv(st, a, runContext{office: d.office, vogStatus: VOGNietGevraagd}); err != nil {
		// show_if expressions are checked at load with empty and full
		// answers; should one still fail, show the question.
		for i := range vis {
			vis[i] = true
		}
		return vis
	}
	copy(vis, st.vis)
	return vis
}

// Visible evaluates every show_if on the current answers: question id →
// shown. A question whose show_if depends on a hidden question's answer
// sees that answer as empty.
func (d *Definition) Visible(a Answers) map[string]bool {
	vis := d.visibility(a)
	out := make(map[string]bool, len(vis))
	for i, q := range d.questions {
		out[q.ID] = vis[i]
	}
	return out
}

// Missing returns the ids of required, visible, unanswered questions in
// questionnaire order (never nil).
func (d *Definition) Missing(a Answers) []string {
	vis := d.visibility(a)
	out := []string{}
	for i, q := range d.questions {
		if vis[i] && !q.Optional && !answered(q, a[q.ID]) {
			out = append(out, q.ID)
		}
	}
	return out
}

// Progress counts the visible required questions and how many of them are
// answered.
func (d *Definition) Progress(a Answers) (answeredCount, total int) {
	vis := d.visibility(a)
	for i, q := range d.questions {
		if vis[i] && !q.Optional {
			total++
			if answered(q, a[q.ID]) {
				answeredCount++
			}
		}
	}
	return answeredCount, total
}

// InvalidAnswers is a refused set of answers: question id → the reason,
// in the questionnaire's own words (the questionnaire is the content).
type InvalidAnswers map[string]string

func (e InvalidAnswers) Error() string { return fmt.Sprintf("%d invalid answers", len(e)) }
