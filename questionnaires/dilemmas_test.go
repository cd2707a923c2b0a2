package questionnaires

import (
	"strings"
	"testing"
)

// TestDilemmaBank: the embedded bank parses, every domain (the profile's
// and openbronnen) has two or three cases with a situation and a question,
// and LoadEmbedded does not take it for a questionnaire.
func TestDilemmaBank(t *testing.T) {
	b, err := LoadDilemmas()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range DilemmaDomains {
		cases := b.For(d)
		if len(cases) < 2 || len(cases) > 3 {
			t.Errorf("domain %s: %d cases", d, len(cases))
		}
		for _, c := range cases {
			if c.Situation == "" || !strings.Contains(c.Question, "?") || c.Title == "" {
				t.Errorf("domain %s: case %s incomplete: %+v", d, c.ID, c)
			}
		}
	}
	if len(b.For("onbekend")) != 0 {
		t.Error("cases for an unknown domain")
	}
	reg, err := LoadEmbedded()
	if err != nil {
		t.Fatalf("the questionnaires no longer load beside the bank: %v", err)
	}
	if len(reg.All()) == 0 {
		t.Fatal("no questionnaires")
	}
}

// TestDilemmaBankProblems: a broken bank names each problem.
func TestDilemmaBankProblems(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"not yaml", "domains: [", "geen geldige YAML"},
		{"unknown key", "domeinen: {}", "geen geldige YAML"},
		{"missing domain", "domains: {}", "domein openbronnen: 0 casussen"},
		{"unknown domain", "domains:\n  sport:\n    - {id: a, title: t, situation: s, question: q}", "domein sport bestaat niet"},
		{"no question", "domains:\n  vog:\n    - {id: a, title: t, situation: s}\n    - {id: b, title: t, situation: s, question: q}", "question ontbreekt"},
		{"duplicate id", "domains:\n  vog:\n    - {id: a, title: t, situation: s, question: q}\n    - {id: a, title: t, situation: s, question: q}", "komt twee keer voor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseDilemmas("d.yaml", []byte(c.src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
}
