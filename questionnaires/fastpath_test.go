package questionnaires

import (
	"testing"
	"time"
)

// TestFastPathMatchesVM runs every fast path and its compiled program on
// many environments: whenever the fast path answers, it must agree.
func TestFastPathMatchesVM(t *testing.T) {
	d := scan(t)
	type input struct {
		a   Answers
		vog *VOG
		ctx Context
	}
	var inputs []input
	add := func(s scenario) {
		ctx := Context{Office: s.office, Now: testNow, MaxVOGAgeDays: s.maxAge}
		if s.deadline {
			ctx.Deadline = testNow.Add(-time.Hour)
		}
		inputs = append(inputs, input{with(s.set), s.vog, ctx})
	}
	for _, rc := range ruleCases {
		for _, s := range append(append([]scenario{}, rc.fire...), rc.miss...) {
			add(s)
			s.office = "wethouder"
			add(s)
		}
	}
	inputs = append(inputs,
		input{Answers{}, nil, Context{Now: testNow}},
		input{realisticAnswers(), &VOG{Status: VOGGeweigerd}, Context{Office: "wethouder", Now: testNow}},
		input{Answers{"K3": "ja", "N3": "geen", "W4": "4", "NT4": true, "F3": 3.0, "G4": []any{1.0, nil}}, nil, Context{Now: testNow}},
	)

	rules, shows := 0, 0
	for _, cr := range d.rules {
		if cr.fast != nil {
			rules++
		}
	}
	for _, f := range d.showFast {
		if f != nil {
			shows++
		}
	}
	t.Logf("fast paths: %d of %d rules, %d show_if", rules, len(d.rules), shows)
	if rules < 40 {
		t.Errorf("only %d rules have a fast path; Evaluate gets slower", rules)
	}

	answered := 0
	for n, in := range inputs {
		st := getState(len(d.questions))
		if err := d.fillEnv(st, in.a, newRunContext(in.vog, in.ctx)); err != nil {
			t.Fatal(err)
		}
		check := func(what string, f fastFn, vmOut any, vmErr error) {
			got, ok := f(st.env)
			if !ok {
				return
			}
			answered++
			if vmErr != nil {
				t.Errorf("input %d: %s: fast path answered %v where the VM fails: %v", n, what, got, vmErr)
				return
			}
			if want, _ := vmOut.(bool); got != want {
				t.Errorf("input %d: %s: fast path %v, VM %v", n, what, got, want)
			}
		}
		for i, cr := range d.rules {
			if cr.fast != nil {
				out, err := st.runner.run(cr.prog, st.env)
				check("rule "+d.Rules[i].ID, cr.fast, out, err)
			}
		}
		for i, f := range d.showFast {
			if f != nil {
				out, err := st.runner.run(d.showIf[i], st.env)
				check("show_if "+d.questions[i].ID, f, out, err)
			}
		}
		putState(st)
	}
	if answered == 0 {
		t.Error("fast paths never answered")
	}
}

func TestFastPathShapes(t *testing.T) {
	d := scan(t)
	env := map[string]any{"F3": "ja", "K3": nil, "N3": []any{"geen"}, "W4": 4.0, VarWethouder: true, VarVOGStatus: "geweigerd"}
	cases := []struct {
		src      string
		fast     bool
		want, ok bool
	}{
		{`F3 == "ja"`, true, true, true},
		{`F3 != "ja"`, true, false, true},
		{`"ja" == F3`, true, true, true},
		{`K3 == false`, true, false, true},
		{`K3 == nil`, true, true, true},
		{`F3 in ["nee", "ja"]`, true, true, true},
		{`K3 in ["nee", "ja"]`, true, false, false}, // nil needle: VM decides
		{`"geen" in N3`, true, true, true},
		{`len(N3) > 0 && !("geen" in N3)`, true, false, true},
		{`W4 != nil && W4 >= 4`, true, true, true},
		{`wethouder || K3 == true`, true, true, true},
		{`not wethouder`, true, false, true},
		{`vog_status in ["voornemen_tot_weigering", "geweigerd"]`, true, true, true},
		{`!K3`, false, false, false},
		{`any(N1, {.rol == "bestuur"})`, false, false, false},
		{`let x = F3; x == "ja"`, false, false, false},
		{`F3 == "ja" ? true : false`, false, false, false},
	}
	for _, c := range cases {
		l := &loader{file: "t"}
		_, node := l.analyse(d, c.src, Problem{})
		f := d.buildFast(node)
		if (f != nil) != c.fast {
			t.Errorf("%s: fast path %v, want %v", c.src, f != nil, c.fast)
			continue
		}
		if f == nil {
			continue
		}
		got, ok := f(env)
		if got != c.want || ok != c.ok {
			t.Errorf("%s = %v, %v; want %v, %v", c.src, got, ok, c.want, c.ok)
		}
	}
}
