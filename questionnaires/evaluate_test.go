package questionnaires

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// realisticAnswers: a kandidaat-wethouder with a few things to discuss.
func realisticAnswers() Answers {
	return Answers{
		"K1": multi("raadslid", "wethouder"),
		"K2": list(item("werkgever", "Woningcorporatie Thuis", "functie", "manager wonen",
			"uren_per_week", 36.0, "sinds", "2017-03-01", "bij_deze_gemeente", false)),
		"K3": true,
		"N1": list(
			item("organisatie", "Stichting Sportpark Noord", "rol", "bestuur", "betaald", false,
				"uren_per_maand", 6.0, "sinds", "2019-05-01", "relatie_gemeente", true),
			item("organisatie", "Voedselbank", "kvk", "12345678", "rol", "vrijwilliger", "betaald", false,
				"uren_per_maand", 4.0, "sinds", "2021-01-01", "relatie_gemeente", false),
		),
		"N2": list(),
		"N3": multi("geen"),
		"N4": false,
		"N5": "Ik stop als voorzitter van Stichting Sportpark Noord.",
		"F1": list(item("bedrijf", "Adviesbureau De Vries", "percentage", 100.0, "sector", "advies", "zaken_met_gemeente", false)),
		"F2": list(item("plaats", "Zwolle", "soort", "woning", "in_gemeente", true, "huurder_soort", "particulier")),
		"F3": "nee",
		"F4": false,
		"F5": false,
		"F6": false,
		"NT1": list(item("relatie", "partner", "werkgever", "Gemeente Kampen", "functie", "beleidsadviseur",
			"relatie_gemeente", false)),
		"NT2":             false,
		"NT3":             multi("sport", "serviceclub"),
		"NT4":             "nee",
		"NT5":             "nee",
		"NT6":             "aangemoedigd",
		"NT6_toelichting": "Mijn buurman, een ondernemer, vroeg of ik kandidaat wilde worden.",
		"G1":              list(item("soort", "vergunning", "jaar", 2024.0, "status", "afgerond")),
		"G2":              false,
		"G3":              false,
		"G4":              multi("geen"),
		"V1":              "nee",
		"V2":              "nee",
		"V3":              false,
		"V4":              true,
		"V4_toelichting":  "Tot 2018 lid van een andere lokale partij.",
		"V5":              "nee",
		"V6":              true,
		"V7":              true,
		"D1":              list(item("platform", "LinkedIn", "naam", "mariekedevries"), item("platform", "X", "naam", "@mdevries")),
		"D2":              "nee",
		"D3":              true,
		"D4":              false,
		"D5":              false,
		"W1":              true,
		"W1_soort":        multi("online"),
		"W2":              false,
		"W3":              "enige",
		"W4":              4.0,
		"W5":              true,
	}
}

type flagLevel struct {
	Rule     string
	Severity Level
}

func TestEvaluateRealistic(t *testing.T) {
	d := scan(t)
	a := realisticAnswers()
	mustBeValid(t, d, a)
	ctx := Context{Office: "raadslid", Now: testNow, Deadline: testNow.AddDate(0, 0, -3)}
	p, err := Evaluate(d, a, &VOG{Status: VOGAangevraagd}, ctx)
	if err != nil {
		t.Fatal(err)
	}

	var got []flagLevel
	for _, f := range p.Flags {
		got = append(got, flagLevel{f.Rule, f.Severity})
	}
	want := []flagLevel{
		{"nevenfunctie-relatie-gemeente", LevelOranje},
		{"nevenfunctie-bestuur-relatie-gemeente-w", LevelRood}, // K1 contains wethouder
		{"nevenfuncties-neerleggen", LevelInfo},
		{"vastgoed-in-gemeente", LevelOranje},
		{"verenigingen-netwerken", LevelInfo},
		{"externe-steun-aangemoedigd", LevelOranje},
		{"eerdere-partij", LevelInfo},
		{"openbare-accounts", LevelInfo},
		{"digitaal-slachtoffer", LevelOranje},
		{"geen-tweestapsverificatie", LevelInfo},
		{"bedreigd", LevelOranje},
		{"moeilijk-nee-zeggen", LevelInfo},
		{"vog-ontbreekt-na-deadline", LevelOranje},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}

	if p.Overall != LevelRood {
		t.Errorf("overall = %s, want rood", p.Overall)
	}
	levels := map[string]Level{}
	counts := map[string]int{}
	for dm, dr := range p.Domains {
		levels[dm] = dr.Level
		counts[dm] = len(dr.Flags)
	}
	wantLevels := map[string]Level{
		"nevenfuncties": LevelRood,
		"financieel":    LevelOranje,
		"netwerk":       LevelOranje,
		"verleden":      LevelInfo,
		"weerbaarheid":  LevelOranje, // externe-steun, digitaal-slachtoffer, bedreigd
		"digitaal":      LevelOranje,
		"vog":           LevelOranje,
	}
	if diff := cmp.Diff(wantLevels, levels); diff != "" {
		t.Errorf("domain levels (-want +got):\n%s", diff)
	}
	wantCounts := map[string]int{"nevenfuncties": 3, "financieel": 1, "netwerk": 2, "verleden": 1, "weerbaarheid": 4, "digitaal": 3, "vog": 1}
	if diff := cmp.Diff(wantCounts, counts); diff != "" {
		t.Errorf("flags per domain (-want +got):\n%s", diff)
	}
	if !p.CompiledAt.Equal(testNow) || p.QuestionnaireVersion != 1 {
		t.Errorf("compiled_at %v, version %d", p.CompiledAt, p.QuestionnaireVersion)
	}

	// Two flags in full: questions, excerpts, finding.
	wantFlags := map[string]Flag{
		"nevenfunctie-bestuur-relatie-gemeente-w": {
			Rule: "nevenfunctie-bestuur-relatie-gemeente-w", Domain: "nevenfuncties", Severity: LevelRood,
			Finding:   "Kandidaat-wethouder met een bestuurs- of toezichtsfunctie bij een organisatie met subsidie, een opdracht of een vergunning van de gemeente. Nevenfuncties: Stichting Sportpark Noord (Bestuur); Voedselbank (Vrijwilliger)",
			Questions: []string{"N1"},
			Excerpts:  map[string]string{"N1": "Stichting Sportpark Noord (Bestuur); Voedselbank (Vrijwilliger)"},
		},
		"externe-steun-aangemoedigd": {
			Rule: "externe-steun-aangemoedigd", Domain: "netwerk", Severity: LevelOranje,
			Finding:   "Is buiten de partij aangemoedigd om kandidaat te worden. Toelichting: Mijn buurman, een ondernemer, vroeg of ik kandidaat wilde worden.",
			Questions: []string{"NT6", "NT6_toelichting"},
			Excerpts: map[string]string{
				"NT6":             "Ja, ik ben aangemoedigd",
				"NT6_toelichting": "Mijn buurman, een ondernemer, vroeg of ik kandidaat wilde worden.",
			},
		},
		"vog-ontbreekt-na-deadline": {
			Rule: "vog-ontbreekt-na-deadline", Domain: "vog", Severity: LevelOranje,
			Finding:   "De deadline van de selectieronde is voorbij en er is nog geen VOG afgegeven.",
			Questions: []string{},
		},
		"moeilijk-nee-zeggen": {
			Rule: "moeilijk-nee-zeggen", Domain: "weerbaarheid", Severity: LevelInfo,
			Finding:   "Vindt het moeilijk om nee te zeggen tegen mensen uit het eigen netwerk: 4 van 5",
			Questions: []string{"W4"},
			Excerpts:  map[string]string{"W4": "4 van 5"},
		},
	}
	for id, want := range wantFlags {
		f := p.Flags[flagIndex(p, id)]
		f.Why, f.Ask = "", "" // texts checked elsewhere
		if diff := cmp.Diff(want, f); diff != "" {
			t.Errorf("flag %s (-want +got):\n%s", id, diff)
		}
	}
}

func TestEvaluateShape(t *testing.T) {
	d := scan(t)
	p, err := Evaluate(d, cleanAnswers(), nil, Context{Office: "raadslid", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"overall":"geen"`, `"flags":[]`, `"questionnaire_version":1`, `"compiled_at":"2026-03-01T12:00:00Z"`} {
		if !strings.Contains(s, want) {
			t.Errorf("profile JSON lacks %s: %s", want, s)
		}
	}
	if len(p.Domains) != len(Domains) {
		t.Fatalf("domains = %d, want %d", len(p.Domains), len(Domains))
	}
	for _, dm := range Domains {
		dr, ok := p.Domains[dm]
		if !ok || dr.Level != LevelGeen || dr.Flags == nil {
			t.Errorf("domain %s = %+v", dm, dr)
		}
	}

	// A rule with also_domains counts in every domain.
	p, err = Evaluate(d, with(Answers{"W5": false}), nil, Context{Office: "raadslid", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, dm := range Domains {
		if dr := p.Domains[dm]; dr.Level != LevelRood || len(dr.Flags) != 1 {
			t.Errorf("gedragscode: domain %s = %+v", dm, dr)
		}
	}
}

func TestEvaluateExcerpts(t *testing.T) {
	d := scan(t)
	long := strings.Repeat("woord ", 100)
	p, err := Evaluate(d, with(Answers{
		"N3":             multi("burgemeester", "wethouder_elders"),
		"N4":             true,
		"N4_toelichting": long,
		"F4":             true, // no toelichting
		"N1":             list(nevenfunctie("lid", true)),
		"N5":             "Geen.",
	}), nil, Context{Office: "raadslid", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	f := p.Flags[flagIndex(p, "nevenfunctie-onverenigbaar")]
	if want := "Onverenigbare functie opgegeven: Burgemeester, Wethouder in een andere gemeente"; f.Finding != want {
		t.Errorf("finding = %q, want %q", f.Finding, want)
	}
	f = p.Flags[flagIndex(p, "verboden-handelingen")]
	if got := []rune(f.Excerpts["N4_toelichting"]); len(got) != MaxExcerpt || got[len(got)-1] != '…' {
		t.Errorf("excerpt not cut to %d runes: %q", MaxExcerpt, string(got))
	}
	if f.Excerpts["N4"] != "ja" {
		t.Errorf("N4 excerpt = %q", f.Excerpts["N4"])
	}
	f = p.Flags[flagIndex(p, "faillissement")]
	if !strings.HasSuffix(f.Finding, "Toelichting: (geen antwoord)") {
		t.Errorf("finding = %q", f.Finding)
	}
	if _, ok := f.Excerpts["F4_toelichting"]; ok {
		t.Error("unanswered question has an excerpt")
	}
	if got, _ := d.Excerpt("K2", cleanAnswers()["K2"]); got != "Bakkerij De Korenschoof" {
		t.Errorf("K2 excerpt = %q", got)
	}
	if got, _ := d.Excerpt("N1", list()); got != "Ik heb geen nevenfuncties" {
		t.Errorf("empty list excerpt = %q", got)
	}
}

const hiddenYAML = `id: mini
version: 1
title: Mini
privacy: {version: 1, text: Privacy}
sections:
  - id: s
    title: Sectie
    questions:
      - {id: A, type: yesno, text: "A?"}
      - {id: B, type: choice, text: "B?", optional: true, show_if: "A == true", options: [{id: x, text: X}, {id: y, text: Y}]}
      - {id: C, type: multichoice, text: "C?", optional: true, show_if: 'B == "x"', options: [{id: p, text: P}, {id: q, text: Q}]}
      - {id: T, type: text, text: "T?", optional: true}
rules:
  - {id: b-x, domain: netwerk, severity: rood, when: 'B == "x"', finding: "B: {{B}}", ask: "Waarom?"}
  - {id: c-p, domain: netwerk, severity: oranje, when: '"p" in C', finding: "C", ask: "Waarom?"}
  - {id: t-lang, domain: digitaal, severity: info, when: 'A == true && len(T) > 3', finding: "T", ask: "Waarom?"}
`

func TestHiddenAnswersDoNotCount(t *testing.T) {
	d, err := Parse("mini.yaml", []byte(hiddenYAML))
	if err != nil {
		t.Fatal(err)
	}
	ctx := Context{Now: testNow}
	cases := []struct {
		name string
		a    Answers
		want []string
	}{
		{"visible", Answers{"A": true, "B": "x", "C": multi("p"), "T": "lang genoeg"}, []string{"b-x", "c-p", "t-lang"}},
		{"B hidden", Answers{"A": false, "B": "x", "C": multi("p")}, []string{}},
		{"B unanswered", Answers{"A": true, "C": multi("p"), "T": "kort"}, []string{"t-lang"}},
		{"chain: C hidden because B is hidden", Answers{"B": "x", "C": multi("p")}, []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Evaluate(d, c.a, nil, ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, ruleIDs(p)); diff != "" {
				t.Errorf("flags (-want +got):\n%s", diff)
			}
		})
	}
	vis := d.Visible(Answers{"B": "x"})
	if diff := cmp.Diff(map[string]bool{"A": true, "B": false, "C": false, "T": true}, vis); diff != "" {
		t.Errorf("Visible (-want +got):\n%s", diff)
	}
}

func TestEvaluateRuntimeErrorNamesRule(t *testing.T) {
	d, err := Parse("mini.yaml", []byte(hiddenYAML))
	if err != nil {
		t.Fatal(err)
	}
	// A true and T unanswered: len(nil) fails at run time.
	_, err = Evaluate(d, Answers{"A": true}, nil, Context{Now: testNow})
	var ee *EvalError
	if !errors.As(err, &ee) || ee.Rule != "t-lang" || !strings.Contains(err.Error(), "regel t-lang") {
		t.Fatalf("err = %v, want an EvalError for rule t-lang", err)
	}
	if _, err := Evaluate(nil, nil, nil, Context{}); err == nil {
		t.Error("Evaluate(nil) did not fail")
	}
}

func TestEvaluateOddAnswerShapesDoNotPanic(t *testing.T) {
	d := scan(t)
	a := with(Answers{
		"K3":  "ja",               // string for yesno
		"N3":  "geen",             // string for multichoice
		"N1":  map[string]any{},   // object for list
		"W4":  4,                  // Go int for scale
		"G4":  []string{"horeca"}, // []string for multichoice
		"NT4": true,
	})
	p, err := Evaluate(d, a, nil, Context{Office: "raadslid", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	got := ruleIDs(p)
	want := []string{"risicosector", "moeilijk-nee-zeggen"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}
}

func TestWethouderVariable(t *testing.T) {
	d := scan(t)
	for _, c := range []struct {
		office string
		k1     []any
		want   bool
	}{
		{"raadslid", multi("raadslid"), false},
		{"wethouder", multi("raadslid"), true},
		{"raadslid", multi("commissielid", "wethouder"), true},
		{"", nil, false},
	} {
		rc := newRunContext(nil, Context{Office: c.office, Now: testNow})
		st := getState(len(d.questions))
		if err := d.fillEnv(st, Answers{"K1": c.k1}, rc); err != nil {
			t.Fatal(err)
		}
		env := st.env
		if env[VarWethouder] != c.want {
			t.Errorf("office %q K1 %v: wethouder = %v", c.office, c.k1, env[VarWethouder])
		}
		if env[VarVOGStatus] != VOGNietGevraagd || env["N3"] == nil {
			t.Errorf("env defaults wrong: vog_status %v, N3 %#v", env[VarVOGStatus], env["N3"])
		}
	}
}

func BenchmarkEvaluate(b *testing.B) {
	d := scan(b)
	a := realisticAnswers()
	vog := &VOG{Status: VOGAfgegeven, IssuedOn: daysAgo(30)}
	ctx := Context{Office: "wethouder", Now: testNow, Deadline: testNow.Add(-time.Hour)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Evaluate(d, a, vog, ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateAnswers(b *testing.B) {
	d := scan(b)
	in := map[string]json.RawMessage{}
	for k, v := range realisticAnswers() {
		in[k], _ = json.Marshal(v)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, errs := d.ValidateAnswers(in); errs != nil {
			b.Fatal(errs)
		}
	}
}

func TestEvaluateConcurrent(t *testing.T) {
	d := scan(t)
	want, err := Evaluate(d, realisticAnswers(), nil, Context{Office: "raadslid", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 50; i++ {
				a := realisticAnswers()
				if i%2 == 1 {
					a = cleanAnswers()
				}
				p, err := Evaluate(d, a, nil, Context{Office: "raadslid", Now: testNow})
				if err != nil {
					done <- err
					return
				}
				if i%2 == 0 && !cmp.Equal(want, p) {
					done <- errors.New("profile differs between runs")
					return
				}
				d.Missing(a)
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkBareRules is the baseline for BenchmarkEvaluate (issue 8): the
// same compiled rule programs run in a bare loop on an environment prepared
// once, with one reused VM and no fast paths, flags or profile building.
// bench/ reports Evaluate's throughput as a ratio of this one's.
func BenchmarkBareRules(b *testing.B) {
	d := scan(b)
	vog := &VOG{Status: VOGAfgegeven, IssuedOn: daysAgo(30)}
	ctx := Context{Office: "wethouder", Now: testNow, Deadline: testNow.Add(-time.Hour)}
	st := getState(len(d.questions))
	if err := d.fillEnv(st, realisticAnswers(), newRunContext(vog, ctx)); err != nil {
		b.Fatal(err)
	}
	var runner exprRunner
	fired := 0
	b.ReportAllocs()
	for b.Loop() {
		for i := range d.rules {
			out, err := runner.run(d.rules[i].prog, st.env)
			if err != nil {
				b.Fatal(err)
			}
			if out == true {
				fired++
			}
		}
	}
	if fired == 0 {
		b.Fatal("no rule fired: the environment is not the realistic one")
	}
}
