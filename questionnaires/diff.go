package questionnaires

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// AnswerChange is one answer that differs between two versions.
type AnswerChange struct {
	Question string  `json:"question"`
	Text     string  `json:"text"`
	Before   *string `json:"before"`
	After    *string `json:"after"`
}

// FlagChange is a flag that appeared or disappeared.
type FlagChange struct {
	Rule     string `json:"rule"`
	Severity Level  `json:"severity"`
	Finding  string `json:"finding"`
}

// Changes is what changed between two profile versions.
type Changes struct {
	Answers      []AnswerChange `json:"answers"`
	FlagsAdded   []FlagChange   `json:"flags_added"`
	FlagsRemoved []FlagChange   `json:"flags_removed"`
	Overall      [2]Level       `json:"overall"`
}

// Diff compares two versions of a file: the answers (in questionnaire order,
// rendered for people) and the flags by rule id.
func Diff(d *Definition, oldAns, newAns Answers, oldProf, newProf Profile) Changes {
	ch := Changes{Answers: []AnswerChange{}, FlagsAdded: []FlagChange{}, FlagsRemoved: []FlagChange{}, Overall: [2]Level{oldProf.Overall, newProf.Overall}}
	for _, q := range d.Questions() {
		a, aok := oldAns[q.ID]
		b, bok := newAns[q.ID]
		if aok == bok && equalJSON(a, b) {
			continue
		}
		c := AnswerChange{Question: q.ID, Text: q.Text.String()}
		if aok && a != nil {
			s := render(d, q, a)
			c.Before = &s
		}
		if bok && b != nil {
			s := render(d, q, b)
			c.After = &s
		}
		if c.Before == nil && c.After == nil {
			continue
		}
		ch.Answers = append(ch.Answers, c)
	}
	has := func(fs []Flag, rule string) bool {
		for _, f := range fs {
			if f.Rule == rule {
				return true
			}
		}
		return false
	}
	for _, f := range newProf.Flags {
		if !has(oldProf.Flags, f.Rule) {
			ch.FlagsAdded = append(ch.FlagsAdded, FlagChange{Rule: f.Rule, Severity: f.Severity, Finding: f.Finding})
		}
	}
	for _, f := range oldProf.Flags {
		if !has(newProf.Flags, f.Rule) {
			ch.FlagsRemoved = append(ch.FlagsRemoved, FlagChange{Rule: f.Rule, Severity: f.Severity, Finding: f.Finding})
		}
	}
	return ch
}

// equalJSON compares values as JSON would (1 == 1.0).
func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	var u, v any
	_ = json.Unmarshal(x, &u)
	_ = json.Unmarshal(y, &v)
	return reflect.DeepEqual(u, v)
}

// render shows an answer in full for a change list: lists item by item with
// every field, so a change inside an item is visible.
func render(d *Definition, q *Question, v any) string {
	if q.Type != TypeList {
		s, ok := d.excerpt(q, v)
		if !ok {
			return fmt.Sprint(v)
		}
		return s
	}
	items, _ := v.([]any)
	if len(items) == 0 {
		if q.EmptyText.String() != "" {
			return q.EmptyText.String()
		}
		return "geen"
	}
	parts := make([]string, 0, len(items))
	for _, it := range items {
		m, _ := it.(map[string]any)
		var fs []string
		for _, f := range q.Fields {
			x, ok := m[f.ID]
			if !ok || x == nil {
				continue
			}
			var s string
			switch t := x.(type) {
			case bool:
				s = yesNo(t)
			case string:
				s = t
				if len(f.Options) > 0 {
					s = label(f.Options, t)
				}
			default:
				s = fmt.Sprint(t)
			}
			fs = append(fs, f.Text.String()+": "+s)
		}
		parts = append(parts, strings.Join(fs, ", "))
	}
	return strings.Join(parts, " | ")
}
