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

// Dutch validation messages.
const (
	msgUnknown    = "Onbekende vraag"
	msgYesNo      = "Kies ja of nee"
	msgChoice     = "Kies een van de opties"
	msgMulti      = "Kies een of meer van de opties"
	msgMultiDup   = "Kies elke optie maar één keer"
	msgText       = "Vul een tekst in"
	msgNumber     = "Vul een getal in"
	msgInteger    = "Vul een heel getal in"
	msgDate       = "Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2024-03-15"
	msgDateRange  = "Vul een datum in tussen 1900-01-01 en 2100-12-31"
	msgScale      = "Kies een getal van 1 tot en met 5"
	msgList       = "Geef een lijst op"
	msgListItem   = "%s %d: dit onderdeel klopt niet"
	msgTooLong    = "Gebruik ten hoogste %d tekens"
	msgTooMany    = "U kunt ten hoogste %d regels opgeven"
	msgUnknownFld = "%s %d: het veld „%s” bestaat niet"
	msgBadJSON    = "Dit antwoord kan niet worden gelezen"
	minDate       = "1900-01-01"
	maxDate       = "2100-12-31"
	dateLayout    = "2006-01-02"
)

// ValidateAnswers checks and normalises a batch of answers (for example
// the body of PATCH /me/answers). It returns the normalised answers, or a
// map of question id to a Dutch message that says how to fix it. JSON null
// (and an empty text, an empty multichoice) gives the key with a nil value,
// meaning "clear this answer". An empty list is a valid answer ("none").
func (d *Definition) ValidateAnswers(in map[string]json.RawMessage) (Answers, map[string]string) {
	out := make(Answers, len(in))
	errs := map[string]string{}
	for id, raw := range in {
		q, ok := d.Question(id)
		if !ok {
			errs[id] = msgUnknown
			continue
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || string(raw) == "null" {
			out[id] = nil
			continue
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			errs[id] = msgBadJSON
			continue
		}
		nv, msg := q.Normalize(v)
		if msg != "" {
			errs[id] = msg
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
	if v == nil {
		return nil, ""
	}
	switch q.Type {
	case TypeYesNo:
		b, ok := v.(bool)
		if !ok {
			return nil, msgYesNo
		}
		return b, ""
	case TypeChoice:
		s, ok := v.(string)
		if !ok {
			return nil, msgChoice
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, ""
		}
		if _, ok := q.Option(s); !ok {
			return nil, msgChoice
		}
		return s, ""
	case TypeMultiChoice:
		return q.normalizeMulti(v)
	case TypeText, TypeLongText:
		s, ok := v.(string)
		if !ok {
			return nil, msgText
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, ""
		}
		max := q.MaxLength
		if max <= 0 {
			max = DefaultMaxText
			if q.Type == TypeLongText {
				max = DefaultMaxLongText
			}
		}
		if utf8.RuneCountInString(s) > max {
			return nil, fmt.Sprintf(msgTooLong, max)
		}
		return s, ""
	case TypeDate:
		s, ok := v.(string)
		if !ok {
			return nil, msgDate
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, ""
		}
		return normDate(s)
	case TypeNumber:
		f, ok := v.(float64)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, msgNumber
		}
		if msg := checkNumber(f, q.Min, q.Max, q.Integer); msg != "" {
			return nil, msg
		}
		return f, ""
	case TypeScale:
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) || f < ScaleMin || f > ScaleMax {
			return nil, msgScale
		}
		return f, ""
	case TypeList:
		return q.normalizeList(v)
	}
	return nil, msgUnknown
}

func (q *Question) normalizeMulti(v any) (any, string) {
	l, ok := v.([]any)
	if !ok {
		return nil, msgMulti
	}
	if len(l) == 0 {
		return nil, ""
	}
	out := make([]any, 0, len(l))
	seen := make(map[string]bool, len(l))
	var exclusive *Option
	for _, x := range l {
		s, ok := x.(string)
		if !ok {
			return nil, msgMulti
		}
		s = strings.TrimSpace(s)
		o, ok := q.Option(s)
		if !ok {
			return nil, msgMulti
		}
		if seen[s] {
			return nil, msgMultiDup
		}
		seen[s] = true
		if o.Exclusive {
			exclusive = o
		}
		out = append(out, s)
	}
	if exclusive != nil && len(out) > 1 {
		return nil, fmt.Sprintf("U kunt „%s” niet combineren met andere opties", exclusive.Text.NL)
	}
	return out, ""
}

func (q *Question) normalizeList(v any) (any, string) {
	l, ok := v.([]any)
	if !ok {
		return nil, msgList
	}
	max := q.MaxItems
	if max <= 0 {
		max = DefaultMaxItems
	}
	if len(l) > max {
		return nil, fmt.Sprintf(msgTooMany, max)
	}
	item := q.Item.NL
	if item == "" {
		item = "Regel"
	}
	out := make([]any, 0, len(l))
	for i, x := range l {
		n := i + 1
		m, ok := x.(map[string]any)
		if !ok {
			return nil, fmt.Sprintf(msgListItem, item, n)
		}
		for k := range m {
			if _, ok := q.Field(k); !ok {
				return nil, fmt.Sprintf(msgUnknownFld, item, n, k)
			}
		}
		nm := make(map[string]any, len(q.Fields))
		for fi := range q.Fields {
			f := &q.Fields[fi]
			val, msg := f.normalize(m[f.ID])
			if msg != "" {
				return nil, fmt.Sprintf("%s %d: %s", item, n, msg)
			}
			if val == nil {
				if !f.Optional {
					return nil, fmt.Sprintf("%s %d: %s", item, n, f.missingMessage())
				}
				continue
			}
			nm[f.ID] = val
		}
		out = append(out, nm)
	}
	return out, ""
}

func (f *Field) name() string {
	if f.Name.NL != "" {
		return f.Name.NL
	}
	return "„" + strings.TrimSuffix(f.Text.NL, "?") + "”"
}

func (f *Field) missingMessage() string {
	switch f.Type {
	case TypeYesNo:
		return "kies ja of nee bij " + f.name()
	case TypeChoice:
		return "kies " + f.name()
	}
	return "vul " + f.name() + " in"
}

// normalize validates one list field value; nil with "" means empty.
func (f *Field) normalize(v any) (any, string) {
	if v == nil {
		return nil, ""
	}
	switch f.Type {
	case TypeYesNo:
		b, ok := v.(bool)
		if !ok {
			return nil, "kies ja of nee bij " + f.name()
		}
		return b, ""
	case TypeChoice:
		s, ok := v.(string)
		if !ok {
			return nil, "kies " + f.name() + " uit de opties"
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, ""
		}
		if _, ok := f.Option(s); !ok {
			return nil, "kies " + f.name() + " uit de opties"
		}
		return s, ""
	case TypeText:
		s, ok := v.(string)
		if !ok {
			return nil, "vul bij " + f.name() + " een tekst in"
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, ""
		}
		max := f.MaxLength
		if max <= 0 {
			max = DefaultMaxText
		}
		if utf8.RuneCountInString(s) > max {
			return nil, fmt.Sprintf("gebruik bij %s ten hoogste %d tekens", f.name(), max)
		}
		return s, ""
	case TypeDate:
		s, ok := v.(string)
		if !ok {
			return nil, "vul bij " + f.name() + " een datum in als JJJJ-MM-DD"
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, ""
		}
		d, msg := normDate(s)
		if msg != "" {
			return nil, "vul bij " + f.name() + " een datum in als JJJJ-MM-DD, tussen 1900 en 2100"
		}
		return d, ""
	case TypeNumber:
		n, ok := v.(float64)
		if !ok || math.IsNaN(n) || math.IsInf(n, 0) {
			return nil, "vul bij " + f.name() + " een getal in"
		}
		if msg := checkNumber(n, f.Min, f.Max, f.Integer); msg != "" {
			return nil, "bij " + f.name() + ": " + strings.ToLower(msg[:1]) + msg[1:]
		}
		return n, ""
	}
	return nil, "onbekend veldtype"
}

func normDate(s string) (any, string) {
	if len(s) != len(dateLayout) {
		return nil, msgDate
	}
	if _, err := time.Parse(dateLayout, s); err != nil {
		return nil, msgDate
	}
	if s < minDate || s > maxDate {
		return nil, msgDateRange
	}
	return s, ""
}

func fmtNum(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}

func checkNumber(f float64, min, max *float64, integer bool) string {
	if integer && f != math.Trunc(f) {
		return msgInteger
	}
	switch {
	case min != nil && max != nil && (f < *min || f > *max):
		return fmt.Sprintf("Vul een getal in van %s tot en met %s", fmtNum(*min), fmtNum(*max))
	case min != nil && f < *min:
		return fmt.Sprintf("Vul een getal in van %s of meer", fmtNum(*min))
	case max != nil && f > *max:
		return fmt.Sprintf("Vul een getal in van ten hoogste %s", fmtNum(*max))
	}
	return ""
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
