package questionnaires

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiff(t *testing.T) {
	d := scan(t)
	old := cleanAnswers()
	nw := with(Answers{"F6": true, "NT1": list(item("relatie", "partner", "functie", "leraar basisschool", "relatie_gemeente", true))})
	po, err := Evaluate(d, old, nil, Context{Office: "raadslid", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	pn, err := Evaluate(d, nw, nil, Context{Office: "raadslid", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	ch := Diff(d, old, nw, po, pn)
	var qs []string
	for _, a := range ch.Answers {
		qs = append(qs, a.Question)
		if a.Before == nil || a.After == nil || *a.Before == *a.After {
			t.Errorf("%s: before/after not shown: %v %v", a.Question, a.Before, a.After)
		}
	}
	if diff := cmp.Diff([]string{"F6", "NT1"}, qs); diff != "" {
		t.Fatalf("changed answers (-want +got):\n%s", diff)
	}
	var added []string
	for _, f := range ch.FlagsAdded {
		added = append(added, f.Rule)
	}
	if diff := cmp.Diff([]string{"fiscaal-geschil", "gezinsleden-relatie-gemeente"}, added); diff != "" {
		t.Fatalf("added flags (-want +got):\n%s", diff)
	}
	if len(ch.FlagsRemoved) != 0 {
		t.Fatalf("removed: %v", ch.FlagsRemoved)
	}
	if back := Diff(d, nw, old, pn, po); len(back.FlagsRemoved) != 2 || len(back.FlagsAdded) != 0 {
		t.Fatalf("reverse diff: %+v", back)
	}
	if same := Diff(d, old, old, po, po); len(same.Answers)+len(same.FlagsAdded)+len(same.FlagsRemoved) != 0 {
		t.Fatalf("no change reported changes: %+v", same)
	}
}
