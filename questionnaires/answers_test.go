package questionnaires

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// typesYAML has one question of every type, with caps.
const typesYAML = `id: types
version: 1
title: Alle types
privacy:
  version: 1
  text: Privacyverklaring
sections:
  - id: alles
    title: Alles
    questions:
      - id: YN
        type: yesno
        text: Ja of nee?
      - id: CH
        type: choice
        text: Kies er een
        options:
          - {id: a, text: A}
          - {id: b, text: B}
      - id: MC
        type: multichoice
        text: Kies er meer
        options:
          - {id: a, text: A}
          - {id: b, text: B}
          - {id: geen, text: Geen van beide, exclusive: true}
      - id: TX
        type: text
        text: Tekst
      - id: TK
        type: text
        text: Korte tekst
        max_length: 5
        optional: true
      - id: LT
        type: longtext
        text: Lange tekst
      - id: DT
        type: date
        text: Datum
      - id: NR
        type: number
        text: Getal
        min: 0
        max: 100
      - id: NI
        type: number
        text: Heel getal
        integer: true
        optional: true
      - id: SC
        type: scale
        text: Schaal
      - id: LS
        type: list
        text: Lijst
        item: Regel
        max_items: 3
        fields:
          - {id: naam, type: text, text: Naam, name: de naam}
          - {id: ja, type: yesno, text: Ja of nee, name: de ja-of-neevraag}
          - {id: soort, type: choice, text: Soort, name: de soort, options: [{id: p, text: P}, {id: q, text: Q}]}
          - {id: aantal, type: number, text: Aantal, name: het aantal, min: 1, max: 10, optional: true}
          - {id: op, type: date, text: Datum, name: de datum, optional: true}
      - id: VV
        type: text
        text: Vervolgvraag
        show_if: YN == true
`

func typesDef(t testing.TB) *Definition {
	t.Helper()
	d, err := Parse("types.yaml", []byte(typesYAML))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestValidateAnswersTypes(t *testing.T) {
	d := typesDef(t)
	goodItem := `{"naam":"  Jan  ","ja":false,"soort":"p"}`
	cases := []struct {
		name    string
		id      string
		raw     string
		want    any    // normalised value when valid
		wantMsg string // message (prefix) when invalid
	}{
		{"yesno true", "YN", `true`, true, ""},
		{"yesno false", "YN", `false`, false, ""},
		{"yesno string", "YN", `"ja"`, nil, "Kies ja of nee"},
		{"yesno number", "YN", `1`, nil, "Kies ja of nee"},
		{"null clears", "YN", `null`, nil, ""},

		{"choice", "CH", `"a"`, "a", ""},
		{"choice trimmed", "CH", `" b "`, "b", ""},
		{"choice unknown", "CH", `"c"`, nil, "Kies een van de opties"},
		{"choice number", "CH", `1`, nil, "Kies een van de opties"},
		{"choice empty clears", "CH", `""`, nil, ""},

		{"multichoice", "MC", `["a","b"]`, []any{"a", "b"}, ""},
		{"multichoice exclusive alone", "MC", `["geen"]`, []any{"geen"}, ""},
		{"multichoice exclusive combined", "MC", `["a","geen"]`, nil, "U kunt „Geen van beide” niet combineren met andere opties"},
		{"multichoice unknown", "MC", `["a","x"]`, nil, "Kies een of meer van de opties"},
		{"multichoice duplicate", "MC", `["a","a"]`, nil, "Kies elke optie maar één keer"},
		{"multichoice not array", "MC", `"a"`, nil, "Kies een of meer van de opties"},
		{"multichoice empty clears", "MC", `[]`, nil, ""},

		{"text", "TX", `"  Hallo  "`, "Hallo", ""},
		{"text empty clears", "TX", `"   "`, nil, ""},
		{"text 500 runes", "TX", `"` + strings.Repeat("é", 500) + `"`, strings.Repeat("é", 500), ""},
		{"text 501 runes", "TX", `"` + strings.Repeat("é", 501) + `"`, nil, "Gebruik ten hoogste 500 tekens"},
		{"text own max", "TK", `"123456"`, nil, "Gebruik ten hoogste 5 tekens"},
		{"text not string", "TX", `12`, nil, "Vul een tekst in"},
		{"longtext 5000", "LT", `"` + strings.Repeat("a", 5000) + `"`, strings.Repeat("a", 5000), ""},
		{"longtext 5001", "LT", `"` + strings.Repeat("a", 5001) + `"`, nil, "Gebruik ten hoogste 5000 tekens"},

		{"date", "DT", `"2024-02-29"`, "2024-02-29", ""},
		{"date not a real day", "DT", `"2023-02-29"`, nil, "Vul een datum in als JJJJ-MM-DD"},
		{"date wrong format", "DT", `"29-02-2024"`, nil, "Vul een datum in als JJJJ-MM-DD"},
		{"date short", "DT", `"2024-2-9"`, nil, "Vul een datum in als JJJJ-MM-DD"},
		{"date too early", "DT", `"1899-12-31"`, nil, "Vul een datum in tussen 1900-01-01 en 2100-12-31"},
		{"date too late", "DT", `"2101-01-01"`, nil, "Vul een datum in tussen 1900-01-01 en 2100-12-31"},
		{"date edge", "DT", `"2100-12-31"`, "2100-12-31", ""},

		{"number", "NR", `12.5`, 12.5, ""},
		{"number min", "NR", `0`, 0.0, ""},
		{"number too big", "NR", `101`, nil, "Vul een getal in van 0 tot en met 100"},
		{"number negative", "NR", `-1`, nil, "Vul een getal in van 0 tot en met 100"},
		{"number string", "NR", `"12"`, nil, "Vul een getal in"},
		{"number integer", "NI", `3`, 3.0, ""},
		{"number not integer", "NI", `3.5`, nil, "Vul een heel getal in"},

		{"scale", "SC", `4`, 4.0, ""},
		{"scale 0", "SC", `0`, nil, "Kies een getal van 1 tot en met 5"},
		{"scale 6", "SC", `6`, nil, "Kies een getal van 1 tot en met 5"},
		{"scale fraction", "SC", `2.5`, nil, "Kies een getal van 1 tot en met 5"},
		{"scale string", "SC", `"3"`, nil, "Kies een getal van 1 tot en met 5"},

		{"list", "LS", `[` + goodItem + `,{"naam":"Piet","ja":true,"soort":"q","aantal":2,"op":"2020-01-01"}]`,
			[]any{map[string]any{"naam": "Jan", "ja": false, "soort": "p"},
				map[string]any{"naam": "Piet", "ja": true, "soort": "q", "aantal": 2.0, "op": "2020-01-01"}}, ""},
		{"list empty is an answer", "LS", `[]`, []any{}, ""},
		{"list optional empty string dropped", "LS", `[{"naam":"Jan","ja":true,"soort":"p","op":""}]`,
			[]any{map[string]any{"naam": "Jan", "ja": true, "soort": "p"}}, ""},
		{"list too many", "LS", `[` + strings.Repeat(goodItem+",", 3) + goodItem + `]`, nil, "U kunt ten hoogste 3 regels opgeven"},
		{"list not array", "LS", `{"naam":"Jan"}`, nil, "Geef een lijst op"},
		{"list item not object", "LS", `["Jan"]`, nil, "Regel 1: dit onderdeel klopt niet"},
		{"list unknown field", "LS", `[{"naam":"Jan","ja":true,"soort":"p","kleur":"rood"}]`, nil, "Regel 1: het veld „kleur” bestaat niet"},
		{"list missing text", "LS", `[` + goodItem + `,{"naam":" ","ja":true,"soort":"p"}]`, nil, "Regel 2: vul de naam in"},
		{"list missing yesno", "LS", `[{"naam":"Jan","soort":"p"}]`, nil, "Regel 1: kies ja of nee bij de ja-of-neevraag"},
		{"list missing choice", "LS", `[{"naam":"Jan","ja":true}]`, nil, "Regel 1: kies de soort"},
		{"list bad choice", "LS", `[{"naam":"Jan","ja":true,"soort":"z"}]`, nil, "Regel 1: kies de soort uit de opties"},
		{"list bad yesno", "LS", `[{"naam":"Jan","ja":"ja","soort":"p"}]`, nil, "Regel 1: kies ja of nee bij de ja-of-neevraag"},
		{"list bad number", "LS", `[{"naam":"Jan","ja":true,"soort":"p","aantal":"veel"}]`, nil, "Regel 1: vul bij het aantal een getal in"},
		{"list number out of range", "LS", `[{"naam":"Jan","ja":true,"soort":"p","aantal":11}]`, nil, "Regel 1: bij het aantal: vul een getal in van 1 tot en met 10"},
		{"list bad date", "LS", `[{"naam":"Jan","ja":true,"soort":"p","op":"2020-13-01"}]`, nil, "Regel 1: vul bij de datum een datum in als JJJJ-MM-DD"},
		{"list long string", "LS", `[{"naam":"` + strings.Repeat("x", 501) + `","ja":true,"soort":"p"}]`, nil, "Regel 1: gebruik bij de naam ten hoogste 500 tekens"},

		{"unknown question", "XX", `true`, nil, "Onbekende vraag"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, errs := d.ValidateAnswers(map[string]json.RawMessage{c.id: json.RawMessage(c.raw)})
			if c.wantMsg != "" {
				if got != nil {
					t.Errorf("answers returned with errors: %v", got)
				}
				if msg := errs[c.id]; !strings.HasPrefix(msg, c.wantMsg) {
					t.Errorf("message = %q, want %q", msg, c.wantMsg)
				}
				return
			}
			if errs != nil {
				t.Fatalf("unexpected errors: %v", errs)
			}
			v, present := got[c.id]
			if !present {
				t.Fatalf("key %s missing from result", c.id)
			}
			if diff := cmp.Diff(c.want, v); diff != "" {
				t.Errorf("value (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateAnswersScan(t *testing.T) {
	d := scan(t)
	in := map[string]json.RawMessage{
		"N1": json.RawMessage(`[{"organisatie":"VV Noord","rol":"bestuur","betaald":false,"uren_per_maand":4,"sinds":"2019-01-01","relatie_gemeente":true},
			{"rol":"lid","betaald":false,"uren_per_maand":4,"sinds":"2019-01-01","relatie_gemeente":false}]`),
		"N3": json.RawMessage(`["burgemeester","geen"]`),
		"K3": json.RawMessage(`true`),
		"ZZ": json.RawMessage(`1`),
	}
	got, errs := d.ValidateAnswers(in)
	if got != nil {
		t.Errorf("a batch with errors must return no answers (atomic), got %v", got)
	}
	want := map[string]string{
		"N1": "Nevenfunctie 2: vul de organisatie in",
		"N3": "U kunt „Geen van deze functies” niet combineren met andere opties",
		"ZZ": "Onbekende vraag",
	}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}

	// K2 allows 10 jobs, other lists the default 30.
	job := `{"werkgever":"A","functie":"B","uren_per_week":4,"sinds":"2020-01-01","bij_deze_gemeente":false}`
	_, errs = d.ValidateAnswers(map[string]json.RawMessage{"K2": json.RawMessage("[" + strings.Repeat(job+",", 10) + job + "]")})
	if errs["K2"] != "U kunt ten hoogste 10 regels opgeven" {
		t.Errorf("K2 cap: %v", errs)
	}
	acc := `{"platform":"X","naam":"@a"}`
	_, errs = d.ValidateAnswers(map[string]json.RawMessage{"D1": json.RawMessage("[" + strings.Repeat(acc+",", 29) + acc + "]")})
	if errs != nil {
		t.Errorf("30 items must be fine: %v", errs)
	}
	_, errs = d.ValidateAnswers(map[string]json.RawMessage{"D1": json.RawMessage("[" + strings.Repeat(acc+",", 30) + acc + "]")})
	if errs["D1"] != "U kunt ten hoogste 30 regels opgeven" {
		t.Errorf("D1 cap: %v", errs)
	}

	// null clears: the key is present with a nil value.
	got, errs = d.ValidateAnswers(map[string]json.RawMessage{"K3": json.RawMessage(`null`), "F3": json.RawMessage(`"liever_in_gesprek"`)})
	if errs != nil {
		t.Fatal(errs)
	}
	if diff := cmp.Diff(Answers{"K3": nil, "F3": "liever_in_gesprek"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestMissingAndProgress(t *testing.T) {
	d := scan(t)
	clean := cleanAnswers()

	if diff := cmp.Diff([]string{}, d.Missing(clean)); diff != "" {
		t.Errorf("Missing(clean) (-want +got):\n%s", diff)
	}
	if a, n := d.Progress(clean); a != 40 || n != 40 {
		t.Errorf("Progress(clean) = %d/%d, want 40/40", a, n)
	}

	// Listing a nevenfunctie makes N5 visible and required.
	withN1 := with(Answers{"N1": list(nevenfunctie("lid", false))})
	if diff := cmp.Diff([]string{"N5"}, d.Missing(withN1)); diff != "" {
		t.Errorf("Missing(N1) (-want +got):\n%s", diff)
	}
	if a, n := d.Progress(withN1); a != 40 || n != 41 {
		t.Errorf("Progress(N1) = %d/%d, want 40/41", a, n)
	}

	// Optional follow-ups are never missing, even when shown.
	if m := d.Missing(with(Answers{"N4": true, "W1": true})); len(m) != 0 {
		t.Errorf("optional follow-ups reported missing: %v", m)
	}

	// An empty multichoice is unanswered; an empty list is an answer.
	m := d.Missing(with(Answers{"N3": []any{}, "K2": []any{}, "K3": nil}))
	if diff := cmp.Diff([]string{"K3", "N3"}, m); diff != "" {
		t.Errorf("Missing (-want +got):\n%s", diff)
	}

	// Nothing answered: every required visible question, in order.
	m = d.Missing(Answers{})
	if len(m) != 40 || m[0] != "K1" || m[len(m)-1] != "W5" {
		t.Errorf("Missing(empty) = %v", m)
	}
	for _, id := range m {
		if id == "N5" {
			t.Error("N5 is hidden while N1 is unanswered")
		}
	}
	if a, n := d.Progress(Answers{}); a != 0 || n != 40 {
		t.Errorf("Progress(empty) = %d/%d", a, n)
	}

	vis := d.Visible(with(Answers{"NT6": "aangemoedigd", "NT3": multi("sport")}))
	for id, want := range map[string]bool{"NT6_toelichting": true, "NT3_overig": false, "N5": false, "W1_soort": false, "K1": true} {
		if vis[id] != want {
			t.Errorf("Visible[%s] = %v, want %v", id, vis[id], want)
		}
	}
	if len(vis) != len(d.QuestionIDs()) {
		t.Errorf("Visible has %d entries, want %d", len(vis), len(d.QuestionIDs()))
	}
}

func TestTypesMissing(t *testing.T) {
	d := typesDef(t)
	m := d.Missing(Answers{"YN": true, "CH": "a"})
	want := []string{"MC", "TX", "LT", "DT", "NR", "SC", "LS", "VV"}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("Missing (-want +got):\n%s", diff)
	}
	m = d.Missing(Answers{"YN": false})
	if len(m) == 0 || m[len(m)-1] != "LS" {
		t.Errorf("VV must be hidden when YN is false: %v", m)
	}
}
