package questionnaires

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestEmbeddedLoads(t *testing.T) {
	r, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := LoadEmbedded()
	if again != r {
		t.Error("LoadEmbedded parses more than once")
	}
	d, err := r.Get("weerbaarheidsscan", 1)
	if err != nil {
		t.Fatal(err)
	}
	// Version 2 (more offices) is the latest; version 1 stays loadable for
	// the rounds pinned to it.
	if l, err := r.Latest("weerbaarheidsscan"); err != nil || l.Version != 2 {
		t.Errorf("Latest = %v, %v; want version 2", l, err)
	}
	if _, err := r.Get("weerbaarheidsscan", 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(99) err = %v, want ErrNotFound", err)
	}
	if _, err := r.Latest("bestaat-niet"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Latest(unknown) err = %v, want ErrNotFound", err)
	}
	if len(r.All()) == 0 {
		t.Error("All() is empty")
	}

	if d.ID != "weerbaarheidsscan" || d.Version != 1 || d.Privacy.Version != 1 {
		t.Errorf("header: %s v%d privacy v%d", d.ID, d.Version, d.Privacy.Version)
	}
	for _, want := range []string{"selectiecommissie", "6 maanden", "4 weken", "downloaden", "terugtrekken", "VOG", "bestuur"} {
		if !strings.Contains(d.Privacy.Text.NL, want) {
			t.Errorf("privacy statement does not mention %q", want)
		}
	}
	var secs []string
	for _, s := range d.Sections {
		secs = append(secs, s.Title.NL)
		if s.Intro.NL == "" {
			t.Errorf("section %s has no intro", s.ID)
		}
	}
	wantSecs := []string{"Kandidatuur", "Nevenfuncties", "Financieel", "Netwerk", "Relatie met de gemeente", "Verleden en VOG", "Digitaal", "Weerbaarheid"}
	if diff := cmp.Diff(wantSecs, secs); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
}

// TestCatalogue pins the question ids, types and domains of the domain file.
func TestCatalogue(t *testing.T) {
	d := scan(t)
	NEV, FIN, NET, VERL, WEER, DIG, VOGd := "nevenfuncties", "financieel", "netwerk", "verleden", "weerbaarheid", "digitaal", "vog"
	type qd struct {
		Type    string
		Domains []string
	}
	want := map[string]qd{
		"K1": {"multichoice", []string{NEV}}, "K2": {"list", []string{NEV}}, "K3": {"yesno", []string{NEV}},
		"N1": {"list", []string{NEV}}, "N2": {"list", []string{NEV}}, "N3": {"multichoice", []string{NEV}},
		"N4": {"yesno", []string{NEV}}, "N4_toelichting": {"longtext", []string{NEV}}, "N5": {"longtext", []string{NEV}},
		"F1": {"list", []string{FIN}}, "F2": {"list", []string{FIN}}, "F3": {"choice", []string{FIN}},
		"F4": {"yesno", []string{FIN, VERL}}, "F4_toelichting": {"longtext", []string{FIN, VERL}},
		"F5": {"yesno", []string{FIN, NET}}, "F5_toelichting": {"longtext", []string{FIN, NET}}, "F6": {"yesno", []string{FIN}},
		"NT1": {"list", []string{NET}}, "NT2": {"yesno", []string{NET}}, "NT2_bedrijven": {"list", []string{NET}},
		"NT3": {"multichoice", []string{NET}}, "NT3_overig": {"text", []string{NET}}, "NT4": {"choice", []string{NET}},
		"NT5": {"choice", []string{NET}}, "NT6": {"choice", []string{NET, WEER}}, "NT6_toelichting": {"longtext", []string{NET, WEER}},
		"NT7": {"longtext", []string{NET}},
		"G1":  {"list", []string{NET, FIN}}, "G2": {"yesno", []string{NET}}, "G3": {"yesno", []string{FIN}},
		"G3_toelichting": {"longtext", []string{FIN}}, "G4": {"multichoice", []string{FIN, NET}},
		"V1": {"choice", []string{VOGd, VERL}}, "V2": {"choice", []string{VERL}}, "V3": {"yesno", []string{VERL}},
		"V3_toelichting": {"longtext", []string{VERL}}, "V4": {"yesno", []string{VERL}}, "V4_toelichting": {"longtext", []string{VERL}},
		"V5": {"choice", []string{VERL, WEER}}, "V6": {"yesno", []string{VERL}}, "V7": {"yesno", []string{VOGd}},
		"D1": {"list", []string{DIG}}, "D2": {"choice", []string{DIG}}, "D3": {"yesno", []string{DIG, WEER}},
		"D4": {"yesno", []string{DIG}}, "D5": {"yesno", []string{NET, WEER}}, "D5_toelichting": {"longtext", []string{NET, WEER}},
		"W1": {"yesno", []string{WEER}}, "W1_soort": {"multichoice", []string{WEER}}, "W2": {"yesno", []string{WEER}},
		"W2_toelichting": {"longtext", []string{WEER}}, "W3": {"choice", []string{WEER}}, "W4": {"scale", []string{WEER}},
		"W5": {"yesno", []string{NEV, FIN, NET, VERL, WEER, DIG, VOGd}},
	}
	got := map[string]qd{}
	for _, q := range d.Questions() {
		got[q.ID] = qd{q.Type, q.Domains}
		if strings.Contains(q.ID, "_") {
			if !q.Optional || q.ShowIf == "" {
				t.Errorf("follow-up %s must be optional with a show_if", q.ID)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("catalogue (-want +got):\n%s", diff)
	}
	// liever_in_gesprek stays where the catalogue offers it.
	for _, id := range []string{"F3", "NT4", "V2", "V5"} {
		q, _ := d.Question(id)
		if _, ok := q.Option("liever_in_gesprek"); !ok {
			t.Errorf("%s lacks liever_in_gesprek", id)
		}
	}
	// Sensitive questions explain why they are asked.
	for _, id := range []string{"K2", "K3", "N1", "N3", "N4", "F3", "F5", "NT4", "NT5", "V1", "V2", "V5", "V7", "D1", "W1"} {
		q, _ := d.Question(id)
		if q.Why.NL == "" {
			t.Errorf("%s has no why text", id)
		}
	}
	// NT4 and V5 store no details: no follow-up question.
	for _, id := range []string{"NT4_toelichting", "V5_toelichting"} {
		if _, ok := d.Question(id); ok {
			t.Errorf("%s must not exist", id)
		}
	}
}

func TestDefinitionJSON(t *testing.T) {
	d := scan(t)
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"id":"weerbaarheidsscan"`, `"privacy":{"version":1`, `"show_if":"N4 == true"`, `"exclusive":true`} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	for _, leak := range []string{`"rules"`, `"when"`, `"severity"`, `"hint":{"nl":""`} {
		if strings.Contains(s, leak) {
			t.Errorf("JSON contains %s", leak)
		}
	}
}

// brokenBase is a valid definition; the cases below break it in one place.
const brokenBase = typesYAML + `rules:
  - id: r1
    domain: netwerk
    severity: oranje
    when: 'YN == true && CH == "a" && "b" in MC'
    finding: "Gevonden: {{CH}}"
    ask: Waarom?
  - id: r2
    domain: financieel
    severity: rood
    when: 'any(LS, {.soort == "p" && .ja == true})'
    finding: Lijst
    ask: Waarom?
`

func TestBrokenDefinitions(t *testing.T) {
	if _, err := Parse("types.yaml", []byte(brokenBase)); err != nil {
		t.Fatalf("base must be valid: %v", err)
	}
	cases := []struct {
		name      string
		old, new  string
		question  string
		rule      string
		field     string
		message   string // substring
		wantLine  bool
		allowMore bool
	}{
		{name: "duplicate question id", old: "- id: TX\n", new: "- id: YN\n", question: "YN", message: "id komt vaker voor (ook in sectie alles)", wantLine: true, allowMore: true},
		{name: "duplicate rule id", old: "- id: r2", new: "- id: r1", rule: "r1", message: "id komt vaker voor", wantLine: true},
		{name: "unknown option in ==", old: `CH == "a"`, new: `CH == "x"`, rule: "r1", question: "CH", message: `optie "x" bestaat niet`, wantLine: true},
		{name: "unknown option in multichoice", old: `"b" in MC`, new: `"c" in MC`, rule: "r1", question: "MC", message: `optie "c" bestaat niet`},
		{name: "unknown option of list field", old: `.soort == "p"`, new: `.soort == "z"`, rule: "r2", question: "LS", field: "soort", message: `optie "z" bestaat niet`},
		{name: "unknown list field", old: `.ja == true`, new: `.nee == true`, rule: "r2", question: "LS", message: `veld "nee" bestaat niet`},
		{name: "multichoice compared as choice", old: `"b" in MC`, new: `MC == "b"`, rule: "r1", message: "when klopt niet: invalid operation: == (mismatched types []interface {} and string)"},
		{name: "yesno compared to string", old: "YN == true &&", new: `YN == "ja" &&`, rule: "r1", message: "when klopt niet: invalid operation: == (mismatched types bool and string)"},
		{name: "yesno field compared to string", old: ".ja == true", new: `.ja == "ja"`, rule: "r2", question: "LS", field: "ja", message: "ja/nee-vraag"},
		{name: "choice compared to bool", old: `CH == "a"`, new: `CH == true`, rule: "r1", question: "CH", message: "dit is geen ja/nee-vraag"},
		{name: "bad expression", old: `when: 'YN == true && CH == "a" && "b" in MC'`, new: `when: 'YN == true &&'`, rule: "r1", message: "when klopt niet: unexpected token EOF"},
		{name: "unknown variable", old: "YN == true &&", new: "ZZ == true &&", rule: "r1", message: "unknown name ZZ"},
		{name: "expression not bool", old: `when: 'any(LS, {.soort == "p" && .ja == true})'`, new: "when: len(LS)", rule: "r2", message: "when klopt niet"},
		{name: "run-time failure", old: "YN == true &&", new: "!YN &&", rule: "r1", message: "when faalt met alle vragen onbeantwoord"},
		{name: "show_if refers forward", old: "show_if: YN == true", new: "show_if: VV == \"x\"", question: "VV", message: "show_if mag alleen naar eerdere vragen verwijzen, niet naar VV"},
		{name: "bad show_if", old: "show_if: YN == true", new: "show_if: YN ==", question: "VV", message: "show_if klopt niet"},
		{name: "unknown type", old: "type: scale", new: "type: schaal", question: "SC", message: `onbekend type "schaal"`, wantLine: true},
		{name: "missing nl text", old: "text: Schaal", new: "text: {en: Scale}", question: "SC", message: "text: de Nederlandse tekst (nl) ontbreekt", wantLine: true},
		{name: "missing option text", old: "- {id: b, text: B}\n      - id: MC", new: "- {id: b}\n      - id: MC", question: "CH", message: `optie "b": de Nederlandse tekst (nl) ontbreekt`},
		{name: "duplicate option", old: "- {id: b, text: B}\n          - {id: geen", new: "- {id: a, text: B}\n          - {id: geen", question: "MC", message: `optie "a" komt vaker voor`, allowMore: true},
		{name: "choice without options", old: "    options:\n          - {id: a, text: A}\n          - {id: b, text: B}\n      - id: MC", new: "\n      - id: MC", question: "CH", message: "geef minstens twee options", allowMore: true},
		{name: "list without fields", old: "max_items: 3\n        fields:", new: "max_items: 3\n        xfields:", message: `onbekende sleutel "xfields"`, wantLine: true},
		{name: "unknown severity", old: "severity: rood", new: "severity: paars", rule: "r2", message: `severity "paars" bestaat niet`},
		{name: "unknown domain", old: "domain: financieel", new: "domain: geld", rule: "r2", message: `onbekend domein "geld"`},
		{name: "unknown template question", old: "{{CH}}", new: "{{CX}}", rule: "r1", message: `finding: vraag "CX" in {{CX}} bestaat niet`},
		{name: "unknown rule question", old: "    finding: Lijst", new: "    questions: [LS, QQ]\n    finding: Lijst", rule: "r2", message: `questions: vraag "QQ" bestaat niet`},
		{name: "missing ask", old: "    finding: Lijst\n    ask: Waarom?", new: "    finding: Lijst", rule: "r2", message: "ask ontbreekt"},
		{name: "reserved id", old: "- id: TX\n", new: "- id: office\n", question: "office", message: "gereserveerd"},
		{name: "bad field type", old: "{id: op, type: date", new: "{id: op, type: file", question: "LS", field: "op", message: `onbekend type "file"`},
		{name: "yaml syntax", old: "title: Alle types", new: "title: [Alle types", message: "ongeldige YAML", wantLine: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(brokenBase, c.old) {
				t.Fatalf("test bug: %q not in base", c.old)
			}
			src := strings.Replace(brokenBase, c.old, c.new, 1)
			_, err := Parse("types.yaml", []byte(src))
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want *LoadError", err)
			}
			var found *Problem
			for i, p := range le.Problems {
				if p.File == "types.yaml" && p.Question == c.question && p.Rule == c.rule && p.Field == c.field && strings.Contains(p.Message, c.message) {
					found = &le.Problems[i]
					break
				}
			}
			if found == nil {
				t.Fatalf("no problem {question %q rule %q field %q: %q}; got:\n%s", c.question, c.rule, c.field, c.message, err)
			}
			if c.wantLine && found.Line == 0 {
				t.Errorf("problem has no line: %s", found)
			}
			if !c.allowMore && len(le.Problems) != 1 {
				t.Errorf("want exactly one problem, got:\n%s", err)
			}
			s := found.String()
			if !strings.HasPrefix(s, "types.yaml") {
				t.Errorf("String() = %q", s)
			}
			if c.question != "" && !strings.Contains(s, "vraag "+c.question+": ") {
				t.Errorf("String() does not name the question: %q", s)
			}
			if c.rule != "" && !strings.Contains(s, "regel "+c.rule+": ") {
				t.Errorf("String() does not name the rule: %q", s)
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	p := Problem{File: "weerbaarheidsscan.yaml", Line: 12, Question: "N3", Message: `optie "x" bestaat niet`}
	if got, want := p.String(), `weerbaarheidsscan.yaml:12: vraag N3: optie "x" bestaat niet`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	p = Problem{File: "a.yaml", Rule: "r", Question: "LS", Field: "soort", Message: "m"}
	if got, want := p.String(), "a.yaml: regel r: vraag LS: veld soort: m"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "goed.yaml")
	bad := filepath.Join(dir, "fout.yaml")
	if err := os.WriteFile(good, []byte(brokenBase), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(strings.Replace(brokenBase, `CH == "a"`, `CH == "x"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if probs := CheckFile(good); len(probs) != 0 {
		t.Errorf("CheckFile(good) = %v", probs)
	}
	probs := CheckFile(bad)
	if len(probs) != 1 || probs[0].File != bad || !strings.Contains(probs[0].String(), `regel r1: vraag CH: optie "x" bestaat niet`) {
		t.Errorf("CheckFile(bad) = %v", probs)
	}
	probs = CheckFile(filepath.Join(dir, "bestaat-niet.yaml"))
	if len(probs) != 1 || !strings.Contains(probs[0].Message, "kan het bestand niet lezen") {
		t.Errorf("CheckFile(missing) = %v", probs)
	}
	// The embedded file passes the CLI check too.
	if probs := CheckFile("weerbaarheidsscan.yaml"); len(probs) != 0 {
		t.Errorf("CheckFile(weerbaarheidsscan.yaml) = %v", probs)
	}
}

func TestLoadFSVersions(t *testing.T) {
	v2 := strings.Replace(brokenBase, "version: 1\ntitle", "version: 2\ntitle", 1)
	r, err := LoadFS(fstest.MapFS{
		"types.yaml":    {Data: []byte(brokenBase)},
		"types.v2.yaml": {Data: []byte(v2)},
		"README.md":     {Data: []byte("niet laden")},
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := r.Latest("types")
	if err != nil || d.Version != 2 {
		t.Fatalf("Latest = %v, %v", d, err)
	}
	if d, err := r.Get("types", 1); err != nil || d.Version != 1 {
		t.Fatalf("Get(1) = %v, %v", d, err)
	}
	_, err = LoadFS(fstest.MapFS{
		"a.yaml": {Data: []byte(brokenBase)},
		"b.yaml": {Data: []byte(brokenBase)},
	})
	if err == nil || !strings.Contains(err.Error(), "vragenlijst types versie 1 staat ook in a.yaml") {
		t.Errorf("duplicate version: err = %v", err)
	}
	_, err = LoadFS(fstest.MapFS{
		"a.yaml": {Data: []byte(strings.Replace(brokenBase, "type: scale", "type: schaal", 1))},
	})
	if err == nil || !strings.Contains(err.Error(), `a.yaml:`) {
		t.Errorf("broken file: err = %v", err)
	}
}
