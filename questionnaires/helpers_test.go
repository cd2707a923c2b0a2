package questionnaires

import (
	"encoding/json"
	"testing"
	"time"
)

// testNow is the evaluation time used by the tests.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func scan(t testing.TB) *Definition {
	t.Helper()
	r, err := LoadEmbedded()
	if err != nil {
		t.Fatalf("LoadEmbedded: %v", err)
	}
	d, err := r.Get("weerbaarheidsscan", 1)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	return d
}

func item(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func list(items ...map[string]any) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it
	}
	return out
}

func multi(ids ...string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// cleanAnswers is a complete answer set of a raadslid that raises no flag.
func cleanAnswers() Answers {
	return Answers{
		"K1": multi("raadslid"),
		"K2": list(item("werkgever", "Bakkerij De Korenschoof", "functie", "bakker",
			"uren_per_week", 32.0, "sinds", "2015-04-01", "bij_deze_gemeente", false)),
		"K3":  true,
		"N1":  list(),
		"N2":  list(),
		"N3":  multi("geen"),
		"N4":  false,
		"F1":  list(),
		"F2":  list(),
		"F3":  "nee",
		"F4":  false,
		"F5":  false,
		"F6":  false,
		"NT1": list(item("relatie", "partner", "functie", "leraar basisschool", "relatie_gemeente", false)),
		"NT2": false,
		"NT3": multi("geen"),
		"NT4": "nee",
		"NT5": "nee",
		"NT6": "nee",
		"G1":  list(),
		"G2":  false,
		"G3":  false,
		"G4":  multi("geen"),
		"V1":  "nee",
		"V2":  "nee",
		"V3":  false,
		"V4":  false,
		"V5":  "nee",
		"V6":  true,
		"V7":  true,
		"D1":  list(),
		"D2":  "nee",
		"D3":  false,
		"D4":  true,
		"D5":  false,
		"W1":  false,
		"W2":  false,
		"W3":  "geen",
		"W4":  2.0,
		"W5":  true,
	}
}

// with returns the clean answers with overlay applied; a nil value in the
// overlay removes the answer.
func with(overlay Answers) Answers {
	a := cleanAnswers()
	for k, v := range overlay {
		if v == nil {
			delete(a, k)
		} else {
			a[k] = v
		}
	}
	return a
}

func flagIndex(p Profile, rule string) int {
	for i, f := range p.Flags {
		if f.Rule == rule {
			return i
		}
	}
	return -1
}

// mustBeValid checks that test answers are what ValidateAnswers accepts
// (after a JSON round trip) and that it leaves them unchanged.
func mustBeValid(t testing.TB, d *Definition, a Answers) {
	t.Helper()
	in := map[string]json.RawMessage{}
	for k, v := range a {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		in[k] = b
	}
	got, errs := d.ValidateAnswers(in)
	if errs != nil {
		t.Fatalf("test answers are invalid: %v", errs)
	}
	want, _ := json.Marshal(a)
	have, _ := json.Marshal(got)
	if string(want) != string(have) {
		t.Fatalf("ValidateAnswers changed valid answers:\nwant %s\ngot  %s", want, have)
	}
}
