package questionnaires

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

// FuzzParse: the loader never panics, whatever the YAML.
func FuzzParse(f *testing.F) {
	src, err := os.ReadFile("weerbaarheidsscan.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(src)
	f.Add([]byte("id: x\nversion: 1\n"))
	f.Add([]byte("sections: [{id: a, questions: [{id: Q, type: yesno, text: {nl: x}}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse("fuzz.yaml", data)
		if err == nil && d == nil {
			t.Fatal("nil definition without error")
		}
	})
}

// FuzzValidateAnswers: answer validation never panics and what it accepts
// evaluates without error.
func FuzzValidateAnswers(f *testing.F) {
	d := scan(f)
	for _, seed := range []string{
		`{"K3":true}`, `{"N1":[{"organisatie":"A","rol":"bestuur","betaald":false,"uren_per_maand":2,"sinds":"2020-01-01","relatie_gemeente":true}]}`,
		`{"K2":[{"sinds":"2023-02-30"}]}`, `{"W4":7}`, `{"NT3":["geen","sport"]}`, `{"X":1}`, `{"F3":null}`, `{"N5":"` + "\u0000" + `"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in map[string]json.RawMessage
		if json.Unmarshal(data, &in) != nil {
			return
		}
		vals, errs := d.ValidateAnswers(in)
		if len(errs) > 0 {
			return
		}
		clean := Answers{}
		for k, v := range vals {
			if v != nil {
				clean[k] = v
			}
		}
		// What validation accepts must survive the JSON round trip of storage
		// and evaluate cleanly.
		b, err := json.Marshal(clean)
		if err != nil {
			t.Fatal(err)
		}
		var stored Answers
		if err := json.Unmarshal(b, &stored); err != nil {
			t.Fatal(err)
		}
		if _, err := Evaluate(d, stored, nil, Context{Office: "wethouder", Now: time.Unix(1_800_000_000, 0)}); err != nil {
			t.Fatalf("accepted answers fail to evaluate: %v (%s)", err, b)
		}
	})
}
