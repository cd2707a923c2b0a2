package web

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/i18n"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- the step page ----

type scanOpt struct {
	InputID, Value, Label string
	Checked, Exclusive    bool
}

type scanField struct {
	Key, Type, InputID, Name, Label, Hint, Value, Error, Describe, Inputmode string
	Optional, Autofocus, Group                                               bool
	Options                                                                  []scanOpt
}

type scanItem struct {
	Legend, LegendID, Marker, RemoveValue, RemoveLabel string
	Fields                                             []scanField
}

type scanQuestion struct {
	ID, Type, Text, Hint, Why, Error, Describe, Value, Inputmode, Cond string
	Optional, Hidden, Group, Long, Short                               bool
	Options                                                            []scanOpt
	// list
	Items                               []scanItem
	Blank                               scanItem
	EmptyText, EmptyID, AddID, AddLabel string
	AddValue, ListMarker, ItemName      string
	Empty, AddAutofocus                 bool
	Max                                 int
}

type scanStepData struct {
	N, Total     int
	Title, Intro string
	Questions    []scanQuestion
	Visible      string
	Prev         bool
	Back         bool // came from a change link of the review: "Opslaan en verder" returns there
}

func scanStepOf(c *fiber.Ctx, def *questionnaires.Definition) (int, *questionnaires.Section, error) {
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 1 || n > len(def.Sections) {
		return 0, nil, api.ToError(models.ErrNotFound)
	}
	return n, &def.Sections[n-1], nil
}

func scanSectionQuestions(def *questionnaires.Definition, s *questionnaires.Section) []*questionnaires.Question {
	out := make([]*questionnaires.Question, 0, len(s.Questions))
	for _, sq := range s.Questions {
		if q, ok := def.Question(sq.ID); ok {
			out = append(out, q)
		}
	}
	return out
}

func scanDescribe(ids ...string) string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return strings.Join(out, " ")
}

func scanOptions(lang, base string, opts []questionnaires.Option, checked func(string) bool) []scanOpt {
	out := make([]scanOpt, len(opts))
	for i, o := range opts {
		id := base
		if i > 0 {
			id = base + "-" + o.ID
		}
		out[i] = scanOpt{InputID: id, Value: o.ID, Label: o.Text.In(lang), Checked: checked(o.ID), Exclusive: o.Exclusive}
	}
	return out
}

func scanYesNo(lang, base, value string) []scanOpt {
	return []scanOpt{
		{InputID: base, Value: "ja", Label: i18n.T(lang, "Ja"), Checked: value == "ja"},
		{InputID: base + "-nee", Value: "nee", Label: i18n.T(lang, "Nee"), Checked: value == "nee"},
	}
}

func scanInputmode(integer bool) string {
	if integer {
		return "numeric"
	}
	return "decimal"
}

// scanBuildField is one field of a list item; idx is the row index or "__I__"
// in the template row.
func scanBuildField(lang string, q *questionnaires.Question, f *questionnaires.Field, idx string, value string, errMsg string) scanField {
	id := q.ID + "-" + idx + "-" + f.ID
	fv := scanField{Key: f.ID, Type: f.Type, InputID: id, Name: q.ID + "." + idx + "." + f.ID, Label: f.Text.In(lang),
		Hint: f.Hint.In(lang), Value: value, Error: errMsg, Optional: f.Optional}
	if f.Type == questionnaires.TypeDate && fv.Hint == "" {
		fv.Hint = i18n.T(lang, "Bijvoorbeeld 2019-09-01")
	}
	switch f.Type {
	case questionnaires.TypeYesNo:
		fv.Group, fv.Options = true, scanYesNo(lang, id, value)
	case questionnaires.TypeChoice:
		fv.Group, fv.Options = true, scanOptions(lang, id, f.Options, func(o string) bool { return o == value })
	case questionnaires.TypeNumber:
		fv.Inputmode = scanInputmode(f.Integer)
	}
	var hint, errID string
	if fv.Hint != "" {
		hint = id + "-hint"
	}
	if errMsg != "" {
		errID = id + "-error"
	}
	fv.Describe = scanDescribe(hint, errID)
	return fv
}

// scanListErrorTarget finds the row and field a list message is about:
// "Nevenfunctie 2: vul bij de begindatum een datum in …" → row of sent item
// 2, the field whose name the message mentions (else the first field).
func scanListErrorTarget(q *questionnaires.Question, msg string, sentRows []int) (row int, field string, ok bool) {
	prefix := scanItemName(q) + " "
	rest, found := strings.CutPrefix(msg, prefix)
	if !found {
		return 0, "", false
	}
	num, detail, found := strings.Cut(rest, ":")
	n, err := strconv.Atoi(num)
	if !found || err != nil || n < 1 || n > len(sentRows) {
		return 0, "", false
	}
	row = sentRows[n-1]
	best := 0
	if len(q.Fields) > 0 {
		field = q.Fields[0].ID
	}
	for i := range q.Fields {
		f := &q.Fields[i]
		name := f.Name.NL
		if name == "" {
			name = "„" + strings.TrimSuffix(f.Text.NL, "?") + "”"
		}
		if strings.Contains(detail, name) && len(name) > best {
			best, field = len(name), f.ID
		}
	}
	return row, field, true
}

// scanStepInput is what a step page shows: the state per question, the
// visibility, errors per question id, and which input gets focus.
type scanStepInput struct {
	states    map[string]scanState
	visible   map[string]bool
	errs      map[string]string
	sentRows  map[string][]int
	focus     string
	autoBlank bool              // an unanswered list starts with one empty item
	back      bool              // came from the review's change link (?terug=controleren)
	lang      string            // the candidate's (or referent's) language
	en        map[string]string // Dutch validation message -> English (questionnaires.ValidateAnswersText)
}

// message is a validation message in the page's language.
func (in scanStepInput) message(nl string) string {
	if en, ok := in.en[nl]; ok && in.lang == i18n.EN {
		return en
	}
	return answerMessage(in.lang, nl)
}

// scanEnglishMessages maps the Dutch validation messages of raw to their
// English, so a refusal the service gives in Dutch shows in English.
func scanEnglishMessages(def *questionnaires.Definition, raw map[string]json.RawMessage) map[string]string {
	_, texts := def.ValidateAnswersText(raw)
	out := make(map[string]string, len(texts))
	for _, t := range texts {
		out[t.NL] = t.EN
	}
	return out
}

func scanCond(expr string, onPage map[string]bool) string {
	expr = strings.TrimSpace(expr)
	var cond map[string]any
	if m := scanReEqBool.FindStringSubmatch(expr); m != nil {
		cond = map[string]any{"q": m[1], "eq": m[2] == "true"}
	} else if m := scanReEqStr.FindStringSubmatch(expr); m != nil {
		cond = map[string]any{"q": m[1], "eq": m[2]}
	} else if m := scanReLen.FindStringSubmatch(expr); m != nil {
		cond = map[string]any{"q": m[1], "nonempty": true}
	} else if m := scanReHas.FindStringSubmatch(expr); m != nil {
		cond = map[string]any{"q": m[2], "has": m[1]}
	} else if m := scanReIn.FindStringSubmatch(expr); m != nil {
		var vs []string
		for _, s := range scanReQuoted.FindAllStringSubmatch(m[2], -1) {
			vs = append(vs, s[1])
		}
		cond = map[string]any{"q": m[1], "in": vs}
	}
	if cond == nil || !onPage[cond["q"].(string)] {
		return "" // left to the server: the page re-renders after saving
	}
	b, _ := json.Marshal(cond)
	return string(b)
}

var (
	scanReEqBool = regexp.MustCompile(`^(\w+)\s*==\s*(true|false)$`)
	scanReEqStr  = regexp.MustCompile(`^(\w+)\s*==\s*"([^"]*)"$`)
	scanReLen    = regexp.MustCompile(`^len\((\w+)\)\s*>\s*0$`)
	scanReHas    = regexp.MustCompile(`^"([^"]*)"\s+in\s+(\w+)$`)
	scanReIn     = regexp.MustCompile(`^(\w+)\s+in\s+\[((?:\s*"[^"]*"\s*,?)+)\]$`)
	scanReQuoted = regexp.MustCompile(`"([^"]*)"`)
)

func scanBuildStep(def *questionnaires.Definition, n int, sec *questionnaires.Section, in scanStepInput) (scanStepData, []FieldError) {
	qs := scanSectionQuestions(def, sec)
	onPage := map[string]bool{}
	for _, q := range qs {
		onPage[q.ID] = true
	}
	lang := in.lang
	d := scanStepData{N: n, Total: len(def.Sections), Title: sec.Title.In(lang), Intro: sec.Intro.In(lang), Prev: n > 1}
	d.Back = in.back
	var errs []FieldError
	var visible []string
	for _, q := range qs {
		st := in.states[q.ID]
		msg := in.errs[q.ID]
		qv := scanQuestion{ID: q.ID, Type: q.Type, Text: q.Text.In(lang), Hint: q.Hint.In(lang), Why: q.Why.In(lang), Optional: q.Optional,
			Hidden: !in.visible[q.ID]}
		if !qv.Hidden {
			visible = append(visible, q.ID)
		}
		if q.ShowIf != "" {
			qv.Cond = scanCond(q.ShowIf, onPage)
		}
		if q.Type == questionnaires.TypeDate && qv.Hint == "" {
			qv.Hint = i18n.T(lang, "Bijvoorbeeld 2019-09-01")
		}
		if q.Type == questionnaires.TypeScale && qv.Hint == "" {
			qv.Hint = i18n.T(lang, "Kies een getal van 1 tot en met 5.")
		}
		switch q.Type {
		case questionnaires.TypeYesNo:
			qv.Group, qv.Options = true, scanYesNo(lang, q.ID, st.Value)
		case questionnaires.TypeChoice:
			qv.Group, qv.Options = true, scanOptions(lang, q.ID, q.Options, func(o string) bool { return o == st.Value })
		case questionnaires.TypeMultiChoice:
			qv.Group, qv.Options = true, scanOptions(lang, q.ID, q.Options, func(o string) bool {
				for _, x := range st.Values {
					if x == o {
						return true
					}
				}
				return false
			})
		case questionnaires.TypeScale:
			qv.Group = true
			for i := questionnaires.ScaleMin; i <= questionnaires.ScaleMax; i++ {
				s := strconv.Itoa(i)
				id := q.ID
				if i > questionnaires.ScaleMin {
					id = q.ID + "-" + s
				}
				label := s
				if q.ScaleLabels != nil && i == questionnaires.ScaleMin {
					label += " – " + q.ScaleLabels.Min.In(lang)
				}
				if q.ScaleLabels != nil && i == questionnaires.ScaleMax {
					label += " – " + q.ScaleLabels.Max.In(lang)
				}
				qv.Options = append(qv.Options, scanOpt{InputID: id, Value: s, Label: label, Checked: st.Value == s})
			}
		case questionnaires.TypeLongText:
			qv.Long, qv.Value = true, st.Value
		case questionnaires.TypeNumber:
			qv.Short, qv.Value, qv.Inputmode = true, st.Value, scanInputmode(q.Integer)
		case questionnaires.TypeDate:
			qv.Short, qv.Value = true, st.Value
		case questionnaires.TypeList:
			qv.Group = true
			scanBuildList(q, st, msg, in, &qv, &errs)
		default:
			qv.Value = st.Value
		}
		if q.Type != questionnaires.TypeList && msg != "" {
			qv.Error = in.message(msg)
			errs = append(errs, FieldError{Field: q.ID, Message: qv.Error})
		}
		var hint, errID string
		if qv.Hint != "" {
			hint = q.ID + "-hint"
		}
		if qv.Error != "" {
			errID = q.ID + "-error"
		}
		qv.Describe = scanDescribe(hint, errID)
		d.Questions = append(d.Questions, qv)
	}
	d.Visible = strings.Join(visible, " ")
	return d, errs
}

func scanBuildList(q *questionnaires.Question, st scanState, msg string, in scanStepInput, qv *scanQuestion, errs *[]FieldError) {
	lang := in.lang
	name := scanItemNameIn(q, lang)
	qv.ItemName = name
	qv.EmptyText = q.EmptyText.In(lang)
	qv.EmptyID = q.ID + "-leeg"
	qv.Empty = st.Empty
	qv.AddID = q.ID + "-toevoegen"
	qv.AddValue = "toevoegen:" + q.ID
	qv.AddLabel = i18n.T(lang, "Nog een %s toevoegen", scanLowerFirst(name))
	qv.ListMarker = q.ID + "._lijst"
	qv.Max = q.MaxItems
	if qv.Max <= 0 {
		qv.Max = questionnaires.DefaultMaxItems
	}
	rows := st.Rows
	if in.autoBlank && len(rows) == 0 && !st.Empty {
		rows = []map[string]string{{}}
	}
	// Where does the message belong: one field of one item, or the list?
	errRow, errField, itemErr := -1, "", false
	if msg != "" {
		errRow, errField, itemErr = scanListErrorTarget(q, msg, in.sentRows[q.ID])
	}
	item := func(idx, number string, row map[string]string, ri int) scanItem {
		iv := scanItem{Legend: name + " " + number, LegendID: q.ID + "-" + idx + "-legend", Marker: q.ID + "." + idx + "._item",
			RemoveValue: "verwijderen:" + q.ID + ":" + idx, RemoveLabel: scanLowerFirst(name) + " " + number}
		for fi := range q.Fields {
			f := &q.Fields[fi]
			e := ""
			if itemErr && ri == errRow && f.ID == errField {
				e = msg
			}
			if e != "" {
				e = in.message(e)
			}
			fv := scanBuildField(lang, q, f, idx, row[f.ID], e)
			if fv.InputID == in.focus {
				fv.Autofocus = true
			}
			if e != "" {
				*errs = append(*errs, FieldError{Field: fv.InputID, Message: fv.Error})
			}
			iv.Fields = append(iv.Fields, fv)
		}
		return iv
	}
	for ri, row := range rows {
		qv.Items = append(qv.Items, item(strconv.Itoa(ri), strconv.Itoa(ri+1), row, ri))
	}
	qv.Blank = item("__I__", "__N__", map[string]string{}, -1)
	qv.AddAutofocus = in.focus == qv.AddID
	if msg != "" && !itemErr {
		qv.Error = in.message(msg)
		target := qv.AddID
		switch {
		case st.Empty && qv.EmptyText != "":
			target = qv.EmptyID
		case len(qv.Items) > 0 && len(qv.Items[0].Fields) > 0:
			target = qv.Items[0].Fields[0].InputID
		case qv.EmptyText != "":
			target = qv.EmptyID
		}
		*errs = append(*errs, FieldError{Field: target, Message: qv.Error})
	}
}

func (p *Pages) scanStepGuard(c *fiber.Ctx, k *models.Candidate) (bool, error) {
	if !scanEditable(k) {
		flash(c, "U kunt uw antwoorden nu niet wijzigen.")
		return false, redirect(c, "/scan")
	}
	if k.ConsentAt == nil {
		return false, redirect(c, "/scan")
	}
	return true, nil
}

func (p *Pages) scanStep(c *fiber.Ctx) error {
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	n, sec, err := scanStepOf(c, in.Def)
	if err != nil {
		return err
	}
	if ok, err := p.scanStepGuard(c, in.Candidate); !ok {
		return err
	}
	states := map[string]scanState{}
	for _, q := range scanSectionQuestions(in.Def, sec) {
		states[q.ID] = scanStateFromAnswer(q, in.Answers[q.ID])
	}
	return p.scanRenderStep(c, 0, in, n, sec, scanStepInput{states: states, visible: in.Def.Visible(in.Answers), autoBlank: true, back: c.Query("terug") == scanBackReview})
}

func (p *Pages) scanRenderStep(c *fiber.Ctx, status int, in *models.CompileInput, n int, sec *questionnaires.Section, si scanStepInput) error {
	v := p.scanView(c, "")
	si.lang = v.Lang
	d, errs := scanBuildStep(in.Def, n, sec, si)
	v.Title = v.tr("Stap %d van %d: %s", n, d.Total, sec.Title.In(v.Lang))
	v.Errors = errs
	v.Data = d
	return p.render(c, status, "scan_step", v)
}

func (p *Pages) scanSaveStep(c *fiber.Ctx) error {
	ctx := c.UserContext()
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	k, def := in.Candidate, in.Def
	n, sec, err := scanStepOf(c, def)
	if err != nil {
		return err
	}
	if ok, err := p.scanStepGuard(c, k); !ok {
		return err
	}
	vals := scanFormValues(c)
	action := vals.Get("actie")
	qs := scanSectionQuestions(def, sec)
	states := make(map[string]scanState, len(qs))
	for _, q := range qs {
		states[q.ID] = scanStateFromForm(q, vals)
	}

	// List buttons (they work without JavaScript): add or remove a row.
	focus, listAction := "", false
	if qid, ok := strings.CutPrefix(action, "toevoegen:"); ok {
		if q, ok := def.Question(qid); ok && q.Type == questionnaires.TypeList && states[qid].Set {
			st := states[qid]
			st.Rows = append(st.Rows, map[string]string{})
			st.Empty = false
			states[qid] = st
			listAction = true
			if len(q.Fields) > 0 {
				focus = qid + "-" + strconv.Itoa(len(st.Rows)-1) + "-" + q.Fields[0].ID
			}
		}
	} else if rest, ok := strings.CutPrefix(action, "verwijderen:"); ok {
		qid, idx, _ := strings.Cut(rest, ":")
		i, err := strconv.Atoi(idx)
		if q, ok := def.Question(qid); ok && q.Type == questionnaires.TypeList && err == nil {
			st := states[qid]
			if i >= 0 && i < len(st.Rows) {
				st.Rows = append(st.Rows[:i:i], st.Rows[i+1:]...)
				states[qid] = st
				listAction = true
				focus = qid + "-toevoegen"
				if i > 0 && len(q.Fields) > 0 {
					focus = qid + "-" + strconv.Itoa(i-1) + "-" + q.Fields[0].ID
				}
			}
		}
	}

	raw := map[string]json.RawMessage{}
	local := map[string]string{}
	sentRows := map[string][]int{}
	merged := make(questionnaires.Answers, len(in.Answers))
	for id, v := range in.Answers {
		merged[id] = v
	}
	for _, q := range qs {
		v, send, rows, msg := states[q.ID].value(q)
		sentRows[q.ID] = rows
		if msg != "" {
			local[q.ID] = msg
			continue
		}
		if !send {
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		raw[q.ID] = b
		merged[q.ID] = v
	}
	// Hidden questions keep their saved answer: what their inputs hold is
	// not part of this save.
	vis := def.Visible(merged)
	for _, q := range qs {
		if !vis[q.ID] {
			delete(raw, q.ID)
			delete(local, q.ID)
		}
	}
	si := scanStepInput{states: states, visible: vis, sentRows: sentRows, focus: focus, back: vals.Get("_terug") == scanBackReview,
		en: scanEnglishMessages(def, raw)}
	// The form's own messages quote the question's "none" text: in
	// English, the English one.
	for id, m := range local {
		if q, ok := def.Question(id); ok && q.EmptyText.NL != "" {
			si.en[m] = strings.ReplaceAll(i18n.Translate(i18n.EN, m), "“"+q.EmptyText.NL+"”", "“"+q.EmptyText.In(i18n.EN)+"”")
		}
	}

	if listAction {
		// Save what is valid; the rest stays in the page until the next save.
		_, bad := def.ValidateAnswers(raw)
		for id := range bad {
			delete(raw, id)
		}
		if len(raw) > 0 {
			if _, err := p.app.SaveAnswers(ctx, k, screening.AnswersRequest{Answers: raw}); err != nil {
				return err
			}
		}
		return p.scanRenderStep(c, 0, in, n, sec, si)
	}

	var fieldErrs map[string]string
	if len(local) > 0 {
		// The form has its own problem: save nothing, but name every problem.
		_, fieldErrs = def.ValidateAnswers(raw)
		if fieldErrs == nil {
			fieldErrs = map[string]string{}
		}
		for id, m := range local {
			fieldErrs[id] = m
		}
	} else if len(raw) > 0 {
		_, err := p.app.SaveAnswers(ctx, k, screening.AnswersRequest{Answers: raw})
		if e, ok := screening.Explain(err); ok && e.Kind == screening.Invalid {
			fieldErrs = e.Fields
		} else if err != nil {
			return err
		}
	}
	if len(fieldErrs) > 0 {
		si.errs = fieldErrs
		return p.scanRenderStep(c, fiber.StatusUnprocessableEntity, in, n, sec, si)
	}

	// A question that appeared because of this save (without JavaScript the
	// page could not show it yet): stay on this step.
	shown := map[string]bool{}
	for _, id := range strings.Fields(vals.Get("_zichtbaar")) {
		shown[id] = true
	}
	if action != "later" {
		for _, q := range qs {
			if vis[q.ID] && !shown[q.ID] && merged[q.ID] == nil {
				flash(c, "Uw antwoorden zijn opgeslagen. Door uw antwoord is er een vraag bijgekomen. Kijk die vraag ook na.")
				return redirect(c, "/scan/stap/"+strconv.Itoa(n)+scanBackQuery(si.back)+"#q-"+q.ID)
			}
		}
	}
	switch action {
	case "vorige":
		if n > 1 {
			return redirect(c, "/scan/stap/"+strconv.Itoa(n-1))
		}
		return redirect(c, "/scan")
	case "later":
		return redirect(c, "/scan/later")
	}
	if si.back {
		return redirect(c, "/scan/controleren#stap-"+strconv.Itoa(n))
	}
	if n < len(def.Sections) {
		return redirect(c, "/scan/stap/"+strconv.Itoa(n+1))
	}
	return redirect(c, "/scan/controleren")
}

func (p *Pages) scanLater(c *fiber.Ctx) error {
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	k := in.Candidate
	deadline := in.Round.Deadline
	if k.InviteExpiresAt != nil && k.InviteExpiresAt.Before(deadline) {
		deadline = *k.InviteExpiresAt
	}
	answered, total := in.Def.Progress(in.Answers)
	v := p.scanView(c, "Uw antwoorden zijn opgeslagen")
	v.Data = map[string]any{"Deadline": deadline, "Answered": answered, "Total": total}
	return p.render(c, 0, "scan_later", v)
}
