package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- answers ----

// comField is one field of a list item; Sep follows the label (": ", or
// " " after a question mark).
type comField struct{ Label, Sep, Value string }

type comItem struct {
	Title  string
	Fields []comField
}

type comAnswer struct {
	ID, Question, Text string
	Long, Missing      bool
	List               bool
	Items              []comItem
	Empty              string
}

type comSection struct {
	Title   string
	Answers []comAnswer
}

// comFieldValue shows one list field value for people.
func comFieldValue(f *questionnaires.Field, v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "ja"
		}
		return "nee"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if o, ok := f.Option(x); ok {
			return o.Text.NL
		}
		if f.Type == questionnaires.TypeDate {
			if t, err := time.Parse(time.DateOnly, x); err == nil {
				return strconv.Itoa(t.Day()) + " " + nlMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
			}
		}
		return x
	}
	return ""
}

// comAnswerOf renders an answer in full: texts as written, lists item by
// item, the rest as the profile's excerpts show them.
func comAnswerOf(def *questionnaires.Definition, q *questionnaires.Question, v any, ok bool) comAnswer {
	a := comAnswer{ID: q.ID, Question: q.Text.NL}
	if !ok || v == nil {
		a.Missing = true
		return a
	}
	switch q.Type {
	case questionnaires.TypeText, questionnaires.TypeLongText:
		s, _ := v.(string)
		a.Text, a.Long = s, true
	case questionnaires.TypeList:
		a.List = true
		items, _ := v.([]any)
		if len(items) == 0 {
			a.Empty = q.EmptyText.NL
			if a.Empty == "" {
				a.Empty = "Geen"
			}
		}
		for i, it := range items {
			m, _ := it.(map[string]any)
			item := comItem{Title: q.Item.NL + " " + strconv.Itoa(i+1)}
			for fi := range q.Fields {
				f := &q.Fields[fi]
				if x, ok := m[f.ID]; ok && x != nil {
					sep := ": "
					if strings.HasSuffix(f.Text.NL, "?") {
						sep = " "
					}
					item.Fields = append(item.Fields, comField{Label: f.Text.NL, Sep: sep, Value: comFieldValue(f, x)})
				}
			}
			a.Items = append(a.Items, item)
		}
	default:
		s, ok := def.Excerpt(q.ID, v)
		a.Text, a.Missing = s, !ok
	}
	return a
}

func (p *Pages) comAnswers(c *fiber.Ctx) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	def, _, err := p.store.Definition(ctx, k)
	if err != nil {
		return err
	}
	ans, ok, err := p.store.SubmittedAnswers(ctx, k)
	if err != nil {
		return err
	}
	if !ok {
		return screening.ErrNoAnswers
	}
	visible := def.Visible(ans)
	var sections []comSection
	for _, s := range def.Sections {
		sec := comSection{Title: s.Title.NL}
		for _, sq := range s.Questions {
			q, ok := def.Question(sq.ID)
			if !ok || !visible[q.ID] {
				continue
			}
			v, answered := ans[q.ID]
			sec.Answers = append(sec.Answers, comAnswerOf(def, q, v, answered))
		}
		if len(sec.Answers) > 0 {
			sections = append(sections, sec)
		}
	}
	if err := p.store.AuditRead(ctx, k, api.ActorOf(c), "answers.read"); err != nil {
		return err
	}
	v := p.comView(c, "Antwoorden van "+k.Name, false)
	v.Data = map[string]any{"Candidate": k, "Base": comFiles + k.ID, "Sections": sections}
	return p.render(c, 0, "committee_answers", v)
}
