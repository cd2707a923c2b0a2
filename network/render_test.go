package network

import (
	"context"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/questionnaires"
)

func TestSVG(t *testing.T) {
	orgs := Extract(questionnaires.Answers(sample.Flagged()))
	flags := []questionnaires.Flag{{Rule: "nevenfunctie-relatie-gemeente", Severity: questionnaires.LevelOranje, Questions: []string{"N1"}}}
	g := Graph(`Anna "<b>" de Vries`, orgs, flags)
	svg, err := SVG(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if !strings.HasPrefix(s, "<svg") || strings.Contains(s, "<script") {
		t.Fatalf("not a clean inline SVG: %.80s", s)
	}
	for _, want := range []string{"Sportpark De Linden", "[oranje]", "&lt;b&gt;", "bestuur"} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}
