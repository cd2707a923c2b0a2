package questionnaires

import (
	"strings"
	"testing"

	"github.com/expr-lang/expr"
)

func BenchmarkZZRulesOnly(b *testing.B) {
	d := scan(b)
	st := getState(len(d.questions))
	d.fillEnv(st, realisticAnswers(), runContext{office: "wethouder", vogStatus: "afgegeven"})
	b.ResetTimer()
	for b.Loop() {
		for i := range d.rules {
			st.runner.run(d.rules[i].prog, st.env)
		}
	}
}

func BenchmarkZZCombined(b *testing.B) {
	d := scan(b)
	st := getState(len(d.questions))
	d.fillEnv(st, realisticAnswers(), runContext{office: "wethouder", vogStatus: "afgegeven"})
	var parts []string
	for _, r := range d.Rules {
		parts = append(parts, "("+r.When+")")
	}
	prog, err := expr.Compile("["+strings.Join(parts, ",\n")+"]", expr.Env(d.compileEnv()))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		st.runner.run(prog, st.env)
	}
}

func BenchmarkZZFill(b *testing.B) {
	d := scan(b)
	st := getState(len(d.questions))
	a := realisticAnswers()
	for b.Loop() {
		d.fillEnv(st, a, runContext{office: "wethouder", vogStatus: "afgegeven"})
	}
}
