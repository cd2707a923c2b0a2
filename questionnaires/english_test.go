package questionnaires

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Issue 14: every text a candidate or referent reads exists in English too.
// The tests below walk every definition of the embedded registry, so a new
// version (weerbaarheidsscan-v2.yaml) is checked as soon as it is embedded.
//
// dilemmas.yaml is not walked: its cases are the committee's interview
// guide (dilemmas.go), which only the committee reads, and the committee
// works in Dutch. LoadFS skips it, so it is not in the registry.

// textSite is one Text value reachable from a Definition.
type textSite struct {
	where string // "question K2", "rule schulden", "section netwerk" or "questionnaire"
	path  string // e.g. "fields[werkgever].name"
	text  Text
}

var textType = reflect.TypeOf(Text{})

// walkTexts returns every Text reachable by reflection from d's exported
// fields (sections, questions, options, list fields, scale labels, rules,
// privacy), with a path built from the YAML keys and ids.
func walkTexts(d *Definition) []textSite {
	var out []textSite
	var walk func(v reflect.Value, where, path string)
	walk = func(v reflect.Value, where, path string) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), where, path)
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				e := v.Index(i)
				label := fmt.Sprint(i)
				if e.Kind() == reflect.Struct {
					if f := e.FieldByName("ID"); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
						label = f.String()
					}
				}
				w, p := where, path+"["+label+"]"
				switch {
				case strings.HasSuffix(path, "questions"):
					w, p = "question "+label, ""
				case path == "rules":
					w, p = "rule "+label, ""
				case path == "sections":
					w, p = "section "+label, ""
				}
				walk(e, w, p)
			}
		case reflect.Struct:
			if v.Type() == textType {
				out = append(out, textSite{where: where, path: path, text: v.Interface().(Text)})
				return
			}
			t := v.Type()
			for i := 0; i < t.NumField(); i++ {
				sf := t.Field(i)
				if !sf.IsExported() {
					continue
				}
				name := strings.Split(sf.Tag.Get("yaml"), ",")[0]
				if name == "" {
					name = sf.Name
				}
				p := name
				if path != "" {
					p = path + "." + name
				}
				walk(v.Field(i), where, p)
			}
		}
	}
	walk(reflect.ValueOf(d).Elem(), "questionnaire", "")
	return out
}

func (s textSite) String() string {
	if s.path == "" {
		return s.where
	}
	return s.where + ": " + s.path
}

func embeddedDefinitions(t *testing.T) []*Definition {
	t.Helper()
	r, err := LoadEmbedded()
	if err != nil {
		t.Fatalf("LoadEmbedded: %v", err)
	}
	defs := r.All()
	if len(defs) < 2 {
		t.Fatalf("registry has %d definitions, want at least weerbaarheidsscan and referentie", len(defs))
	}
	return defs
}

// missingEnglish lists, per text without English, "file: where: path".
func missingEnglish(d *Definition) []string {
	var out []string
	for _, s := range walkTexts(d) {
		if s.text.NL != "" && s.text.EN == "" {
			out = append(out, fmt.Sprintf("%s: %s: geen Engels (nl: %q)", d.File(), s, s.text.NL))
		}
	}
	return out
}

func TestEveryTextHasEnglish(t *testing.T) {
	for _, d := range embeddedDefinitions(t) {
		n := 0
		kinds := map[string]bool{}
		for _, s := range walkTexts(d) {
			if s.text.NL != "" {
				n++
				kinds[strings.Fields(s.where)[0]] = true
			}
		}
		if n < 30 {
			t.Errorf("%s: the walk found only %d texts", d.File(), n)
		}
		if !kinds["question"] || !kinds["section"] || !kinds["questionnaire"] {
			t.Errorf("%s: the walk did not reach every part: %v", d.File(), kinds)
		}
		if len(d.Rules) > 0 && !kinds["rule"] {
			t.Errorf("%s: the walk did not reach the rules", d.File())
		}
		for _, m := range missingEnglish(d) {
			t.Error(m)
		}
		t.Logf("%s versie %d: %d texts", d.File(), d.Version, n)
	}
}

// TestMissingEnglishIsNamed proves the walk reaches every kind of text:
// each text of this definition lacks English and must be named.
func TestMissingEnglishIsNamed(t *testing.T) {
	src := `id: t
version: 1
title: Titel
intro: Inleiding
privacy: {version: 1, text: Privacy}
sections:
  - id: s
    title: Sectie
    intro: Uitleg
    questions:
      - {id: Q1, type: yesno, text: Vraag, hint: Hint, why: Waarom}
      - id: Q2
        type: choice
        text: {nl: Keuze, en: Choice}
        options: [{id: a, text: Optie A}, {id: b, text: {nl: Optie B, en: Option B}}]
      - {id: Q3, type: scale, text: {nl: Schaal, en: Scale}, scale_labels: {min: Laag, max: {nl: Hoog, en: High}}}
      - id: Q4
        type: list
        text: {nl: Lijst, en: List}
        item: Regel
        empty_text: Geen
        fields:
          - {id: f, type: choice, text: Veld, hint: Veldhint, name: het veld, options: [{id: x, text: Veldoptie}, {id: y, text: {nl: Y, en: Y}}]}
rules:
  - {id: r, domain: digitaal, severity: info, when: Q1 == true, finding: Bevinding, why: Reden, ask: {nl: Vraag, en: Question}}
`
	d, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := missingEnglish(d)
	want := []string{
		`t.yaml: questionnaire: title: geen Engels (nl: "Titel")`,
		`t.yaml: questionnaire: intro: geen Engels (nl: "Inleiding")`,
		`t.yaml: questionnaire: privacy.text: geen Engels (nl: "Privacy")`,
		`t.yaml: section s: title: geen Engels (nl: "Sectie")`,
		`t.yaml: section s: intro: geen Engels (nl: "Uitleg")`,
		`t.yaml: question Q1: text: geen Engels (nl: "Vraag")`,
		`t.yaml: question Q1: hint: geen Engels (nl: "Hint")`,
		`t.yaml: question Q1: why: geen Engels (nl: "Waarom")`,
		`t.yaml: question Q2: options[a].text: geen Engels (nl: "Optie A")`,
		`t.yaml: question Q3: scale_labels.min: geen Engels (nl: "Laag")`,
		`t.yaml: question Q4: fields[f].text: geen Engels (nl: "Veld")`,
		`t.yaml: question Q4: fields[f].hint: geen Engels (nl: "Veldhint")`,
		`t.yaml: question Q4: fields[f].name: geen Engels (nl: "het veld")`,
		`t.yaml: question Q4: fields[f].options[x].text: geen Engels (nl: "Veldoptie")`,
		`t.yaml: question Q4: item: geen Engels (nl: "Regel")`,
		`t.yaml: question Q4: empty_text: geen Engels (nl: "Geen")`,
		`t.yaml: rule r: finding: geen Engels (nl: "Bevinding")`,
		`t.yaml: rule r: why: geen Engels (nl: "Reden")`,
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("missing English:\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
}

// TestDutchUnchanged: adding English left the Dutch of every text as it
// was. testdata/dutch-baseline holds the files as they were on main before
// the English was added (commit 08d2bb51); responses are pinned to a
// version, so the Dutch of these versions must never change.
func TestDutchUnchanged(t *testing.T) {
	base, err := filepath.Glob("testdata/dutch-baseline/*.yaml")
	if err != nil || len(base) < 2 {
		t.Fatalf("baseline files: %v %v", base, err)
	}
	byFile := map[string]*Definition{}
	for _, d := range embeddedDefinitions(t) {
		byFile[d.File()] = d
	}
	for _, b := range base {
		data, err := os.ReadFile(b)
		if err != nil {
			t.Fatal(err)
		}
		old, err := Parse(filepath.Base(b), data)
		if err != nil {
			t.Fatalf("baseline %s: %v", b, err)
		}
		cur := byFile[filepath.Base(b)]
		if cur == nil {
			t.Errorf("%s: not in the registry any more", filepath.Base(b))
			continue
		}
		was, is := dutchOf(old), dutchOf(cur)
		if len(was) < 30 {
			t.Fatalf("%s: baseline has only %d texts", b, len(was))
		}
		for k, nl := range was {
			if is[k] != nl {
				t.Errorf("%s: %s: Dutch changed:\n was %q\n  is %q", cur.File(), k, nl, is[k])
			}
		}
		for k, nl := range is {
			if _, ok := was[k]; !ok {
				t.Errorf("%s: %s: new Dutch text %q (a new text means a new version)", cur.File(), k, nl)
			}
		}
		// Everything else is unchanged too: only texts gained English.
		oj, _ := json.Marshal(stripEnglish(old))
		cj, _ := json.Marshal(stripEnglish(cur))
		if string(oj) != string(cj) {
			t.Errorf("%s: the definition changed beyond its English", cur.File())
		}
	}
}

func dutchOf(d *Definition) map[string]string {
	out := map[string]string{}
	for _, s := range walkTexts(d) {
		if s.text.NL != "" {
			out[s.String()] = s.text.NL
		}
	}
	return out
}

// stripEnglish renders d (rules included) as JSON without English.
func stripEnglish(d *Definition) any {
	b, _ := json.Marshal(struct {
		*Definition
		Rules []Rule `json:"rules"`
	}{d, d.Rules})
	var v any
	_ = json.Unmarshal(b, &v)
	var strip func(any) any
	strip = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			delete(x, "en")
			for k, e := range x {
				x[k] = strip(e)
			}
		case []any:
			for i, e := range x {
				x[i] = strip(e)
			}
		}
		return v
	}
	return strip(v)
}

// TestRuleEnglishNamesSameQuestions: the loader refuses an English finding
// that quotes other answers than the Dutch.
func TestRuleEnglishNamesSameQuestions(t *testing.T) {
	src := `id: t
version: 1
title: T
privacy: {version: 1, text: P}
sections:
  - id: s
    title: S
    questions:
      - {id: Q1, type: text, text: Een}
      - {id: Q2, type: text, text: Twee}
rules:
  - id: r
    domain: digitaal
    severity: info
    when: Q1 != nil
    finding: {nl: "Antwoord: {{Q1}}", en: "Answer: {{Q2}}"}
    ask: Vraag
`
	_, err := Parse("t.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "regel r: finding: de Engelse tekst (en) moet dezelfde {{vragen}} noemen") {
		t.Fatalf("err = %v", err)
	}
	_, err = Parse("t.yaml", []byte(strings.Replace(src, "Answer: {{Q2}}", "Answer: {{Q1}}", 1)))
	if err != nil {
		t.Fatal(err)
	}
}

var verbRe = regexp.MustCompile(`%(\[\d+\])?[a-z]`)

// verbs returns the argument verbs of a format by argument position.
func verbs(format string) map[int]string {
	out := map[int]string{}
	n := 0
	for _, m := range verbRe.FindAllStringSubmatch(format, -1) {
		if m[1] != "" {
			fmt.Sscanf(m[1], "[%d]", &n)
			n--
		}
		out[n] = m[0][len(m[0])-1:]
		n++
	}
	return out
}

// TestAnswerMessagesHaveEnglish: every validation message code has English
// with the same arguments, every code the validation uses exists, and every
// code in the catalogue is used.
func TestAnswerMessagesHaveEnglish(t *testing.T) {
	for code, m := range answerMessages {
		if m.NL == "" || m.EN == "" {
			t.Errorf("message %s: nl %q en %q", code, m.NL, m.EN)
			continue
		}
		if nv, ev := verbs(m.NL), verbs(m.EN); fmt.Sprint(nv) != fmt.Sprint(ev) {
			t.Errorf("message %s: arguments differ: nl %v en %v", code, nv, ev)
		}
	}
	src, err := os.ReadFile("answers.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`amsg\("([a-z_]+)"`).FindAllStringSubmatch(string(src), -1) {
		used[m[1]] = true
		if _, ok := answerMessages[m[1]]; !ok {
			t.Errorf("answers.go uses message %s, which is not in answerMessages", m[1])
		}
	}
	for code := range answerMessages {
		if !used[code] {
			t.Errorf("message %s is not used in answers.go", code)
		}
	}
}

func TestValidateAnswersEnglish(t *testing.T) {
	d := scan(t)
	job := func(extra string) json.RawMessage {
		return json.RawMessage(`[{"werkgever":"Bakkerij","functie":"bakker","uren_per_week":32,"sinds":"2015-04-01","bij_deze_gemeente":false},{` + extra + `}]`)
	}
	cases := []struct {
		id     string
		raw    json.RawMessage
		nl, en string
	}{
		{"K3", json.RawMessage(`"ja"`), "Kies ja of nee", "Choose yes or no"},
		{"K2", job(`"functie":"x","uren_per_week":1,"sinds":"2015-04-01","bij_deze_gemeente":false`),
			"Baan 2: vul de werkgever in", "Job 2: fill in the employer"},
		{"K2", job(`"werkgever":"x","functie":"x","uren_per_week":200,"sinds":"2015-04-01","bij_deze_gemeente":false`),
			"Baan 2: bij het aantal uren per week: vul een getal in van 0 tot en met 168",
			"Job 2: for the number of hours per week: enter a number from 0 to 168"},
		{"K2", job(`"werkgever":"x","functie":"x","uren_per_week":1,"sinds":"2015-04-01"`),
			"Baan 2: kies ja of nee bij de vraag of u bij deze gemeente werkt",
			"Job 2: choose yes or no for the question whether you work for this municipality"},
		{"N3", json.RawMessage(`["geen","burgemeester"]`),
			"U kunt „Geen van deze functies” niet combineren met andere opties",
			`You cannot combine "None of these positions" with other options`},
		{"D1", json.RawMessage(`[{"platform":"x","naam":"y","kleur":"rood"}]`),
			"Account 1: het veld „kleur” bestaat niet", `Account 1: the field "kleur" does not exist`},
		{"XX", json.RawMessage(`1`), "Onbekende vraag", "Unknown question"},
	}
	for _, c := range cases {
		in := map[string]json.RawMessage{c.id: c.raw}
		_, nl := d.ValidateAnswers(in)
		_, en := d.ValidateAnswersIn(in, "en")
		_, text := d.ValidateAnswersText(in)
		if nl[c.id] != c.nl || en[c.id] != c.en {
			t.Errorf("%s %s:\n nl %q want %q\n en %q want %q", c.id, c.raw, nl[c.id], c.nl, en[c.id], c.en)
		}
		if text[c.id] != (Text{NL: c.nl, EN: c.en}) {
			t.Errorf("%s: ValidateAnswersText = %+v", c.id, text[c.id])
		}
		if err, ok := text.Invalid("en").(InvalidAnswers); !ok || err[c.id] != c.en {
			t.Errorf("%s: Invalid(en) = %v", c.id, text.Invalid("en"))
		}
	}
	if _, errs := d.ValidateAnswersText(map[string]json.RawMessage{"K3": json.RawMessage(`true`)}); errs != nil || errs.Invalid("en") != nil {
		t.Errorf("valid answer gave %v", errs)
	}
	// A field without a name is quoted by its text, in either language.
	td := typesDef(t)
	q, _ := td.Question("LS")
	q.Item = Text{} // the default item name, "Regel" / "Line"
	q.Fields[0].Name = Text{}
	q.Fields[0].Text = Text{NL: "Naam?", EN: "Name?"}
	if _, msg := q.NormalizeIn([]any{map[string]any{"ja": true, "soort": "p"}}, "en"); msg != `Line 1: fill in "Name"` {
		t.Errorf("en = %q", msg)
	}
	if _, msg := q.Normalize([]any{map[string]any{"ja": true, "soort": "p"}}); msg != "Regel 1: vul „Naam” in" {
		t.Errorf("nl = %q", msg)
	}
}

func TestEvaluateInEnglish(t *testing.T) {
	d := scan(t)
	a := with(Answers{
		"K2": list(item("werkgever", "Gemeente Zwolle", "functie", "jurist", "uren_per_week", 36.0,
			"sinds", "2019-09-01", "bij_deze_gemeente", true)),
		"N1": list(item("organisatie", "Stichting Sportpark", "rol", "bestuur", "betaald", false,
			"uren_per_maand", 4.0, "sinds", "2020-01-01", "relatie_gemeente", true)),
		"W4": 4.0,
	})
	mustBeValid(t, d, a)
	ctx := Context{Office: "wethouder", Now: testNow}
	nl, err := Evaluate(d, a, nil, ctx)
	if err != nil {
		t.Fatal(err)
	}
	en, err := EvaluateIn(d, a, nil, ctx, "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(en.Flags) != len(nl.Flags) || en.Overall != nl.Overall {
		t.Fatalf("English profile differs in shape: %d vs %d flags", len(en.Flags), len(nl.Flags))
	}
	want := map[string][2]string{
		"hoofdbetrekking-gemeente": {"Werkt bij of onder de gemeente. Hoofdbetrekking: Gemeente Zwolle",
			"Works for or under the municipality. Main job: Gemeente Zwolle"},
		"nevenfunctie-bestuur-relatie-gemeente-w": {
			"Kandidaat-wethouder met een bestuurs- of toezichtsfunctie bij een organisatie met subsidie, een opdracht of een vergunning van de gemeente. Nevenfuncties: Stichting Sportpark (Bestuur)",
			"Candidate alderman with a board or supervisory position at an organisation that has a grant, a contract or a permit from the municipality. Other positions: Stichting Sportpark (Board)"},
		"moeilijk-nee-zeggen": {"Vindt het moeilijk om nee te zeggen tegen mensen uit het eigen netwerk: 4 van 5",
			"Finds it hard to say no to people in their own network: 4 of 5"},
	}
	seen := 0
	for i, f := range en.Flags {
		n := nl.Flags[i]
		if f.Rule != n.Rule || f.Severity != n.Severity {
			t.Fatalf("flag %d: %s/%s vs %s/%s", i, f.Rule, f.Severity, n.Rule, n.Severity)
		}
		r, _ := d.Rule(f.Rule)
		if f.Ask != r.Ask.EN || f.Why != r.Why.EN || n.Ask != r.Ask.NL || n.Why != r.Why.NL {
			t.Errorf("%s: ask/why not in the right language", f.Rule)
		}
		if w, ok := want[f.Rule]; ok {
			seen++
			if n.Finding != w[0] || f.Finding != w[1] {
				t.Errorf("%s:\n nl %q\n en %q", f.Rule, n.Finding, f.Finding)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("saw %d of the %d expected flags", seen, len(want))
	}
	if s, ok := d.ExcerptIn("K2", a["K2"], "en"); !ok || s != "Gemeente Zwolle" {
		t.Errorf("ExcerptIn = %q", s)
	}
	if s, _ := d.ExcerptIn("K3", true, "en"); s != "yes" {
		t.Errorf("yes/no = %q", s)
	}
	if s, _ := d.ExcerptIn("N1", list(), "en"); s != "I have no other positions" {
		t.Errorf("empty list = %q", s)
	}
	if got := dateIn("2024-03-15", true); got != "15 March 2024" {
		t.Errorf("date = %q", got)
	}
}
