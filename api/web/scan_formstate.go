package web

import (
	"encoding/json"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// ---- form state: what a question's inputs hold ----

// scanState is what a question's inputs hold, as strings (from saved answers
// or from a posted form, so that a failed save keeps what was typed).
type scanState struct {
	Set    bool                // the form carried the question (scalars)
	Value  string              // scalar
	Values []string            // multichoice
	Rows   []map[string]string // list items: field id → entered text
	Empty  bool                // list: "none" chosen
}

func scanNumber(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}

// scanScalarString turns a saved value into what its input shows.
func scanScalarString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "ja"
		}
		return "nee"
	case float64:
		return scanNumber(x)
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func scanStateFromAnswer(q *questionnaires.Question, v any) scanState {
	if v == nil {
		return scanState{}
	}
	st := scanState{Set: true}
	switch q.Type {
	case questionnaires.TypeMultiChoice:
		l, _ := v.([]any)
		for _, x := range l {
			if s, ok := x.(string); ok {
				st.Values = append(st.Values, s)
			}
		}
	case questionnaires.TypeList:
		l, _ := v.([]any)
		if len(l) == 0 {
			st.Empty = true
		}
		for _, x := range l {
			m, _ := x.(map[string]any)
			row := map[string]string{}
			for fid, fv := range m {
				row[fid] = scanScalarString(fv)
			}
			st.Rows = append(st.Rows, row)
		}
	default:
		st.Value = scanScalarString(v)
	}
	return st
}

var scanRowKey = regexp.MustCompile(`^(\d{1,4})\.(\w+)$`)

func scanStateFromForm(q *questionnaires.Question, vals url.Values) scanState {
	var st scanState
	switch q.Type {
	case questionnaires.TypeMultiChoice:
		vs, ok := vals[q.ID]
		st.Set = ok
		for _, s := range vs {
			if s = strings.TrimSpace(s); s != "" {
				st.Values = append(st.Values, s)
			}
		}
	case questionnaires.TypeList:
		prefix := q.ID + "."
		rows := map[int]map[string]string{}
		for key, vs := range vals {
			rest, ok := strings.CutPrefix(key, prefix)
			if !ok {
				continue
			}
			st.Set = true
			m := scanRowKey.FindStringSubmatch(rest)
			if m == nil {
				continue
			}
			i, _ := strconv.Atoi(m[1])
			if rows[i] == nil {
				rows[i] = map[string]string{}
			}
			if m[2] != "_item" && len(vs) > 0 {
				rows[i][m[2]] = vs[0]
			}
		}
		idx := make([]int, 0, len(rows))
		for i := range rows {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		for _, i := range idx {
			st.Rows = append(st.Rows, rows[i])
		}
		st.Empty = vals.Get(prefix+"leeg") == "ja"
	default:
		vs, ok := vals[q.ID]
		st.Set = ok
		if ok && len(vs) > 0 {
			st.Value = vs[0]
		}
	}
	return st
}

var (
	scanReThousands = regexp.MustCompile(`^-?\d{1,3}(\.\d{3})+$`)
	scanReNumber    = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
)

// scanParseNumber reads "12,5", "1.500", "€ 300" and "12.5". scan.js has
// the same rules.
func scanParseNumber(s string) (float64, bool) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimPrefix(s, "€")
	if strings.Contains(s, ",") {
		s = strings.Replace(strings.ReplaceAll(s, ".", ""), ",", ".", 1)
	} else if scanReThousands.MatchString(s) {
		s = strings.ReplaceAll(s, ".", "")
	}
	if !scanReNumber.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// scanScalarValue turns one input's text into its JSON value; text that does
// not fit the type is sent as is, so that the server names the problem.
func scanScalarValue(typ, s string) any {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	switch typ {
	case questionnaires.TypeYesNo:
		switch s {
		case "ja":
			return true
		case "nee":
			return false
		}
	case questionnaires.TypeNumber, questionnaires.TypeScale:
		if f, ok := scanParseNumber(s); ok {
			return f
		}
	}
	return s
}

// value is the JSON answer of a question's state. send is false when the
// form did not carry the question (an untouched radio group); sentRows maps
// the position of each sent list item to its row; local is an error the
// form itself has (before the questionnaire's validation).
func (st scanState) value(q *questionnaires.Question) (v any, send bool, sentRows []int, local string) {
	switch q.Type {
	case questionnaires.TypeMultiChoice:
		if !st.Set {
			return nil, false, nil, ""
		}
		if len(st.Values) == 0 {
			return nil, true, nil, ""
		}
		l := make([]any, len(st.Values))
		for i, s := range st.Values {
			l[i] = s
		}
		return l, true, nil, ""
	case questionnaires.TypeList:
		if !st.Set {
			return nil, false, nil, ""
		}
		items := []any{}
		for ri, row := range st.Rows {
			item := map[string]any{}
			for fi := range q.Fields {
				f := &q.Fields[fi]
				if x := scanScalarValue(f.Type, row[f.ID]); x != nil {
					item[f.ID] = x
				}
			}
			if len(item) == 0 {
				continue // a blank row is no item
			}
			items = append(items, item)
			sentRows = append(sentRows, ri)
		}
		switch {
		case st.Empty && len(items) > 0:
			return nil, false, sentRows, "U hebt „" + q.EmptyText.NL + "” aangevinkt en ook iets ingevuld. Haal het vinkje weg, of maak de ingevulde velden leeg."
		case st.Empty:
			return []any{}, true, nil, ""
		case len(items) == 0:
			return nil, true, nil, ""
		}
		return items, true, sentRows, ""
	default:
		if !st.Set {
			return nil, false, nil, ""
		}
		return scanScalarValue(q.Type, st.Value), true, nil, ""
	}
}
