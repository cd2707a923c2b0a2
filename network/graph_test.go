package network

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/weerbaar/weerbaar/questionnaires"
)

func TestGraph(t *testing.T) {
	orgs := Extract(questionnaires.Answers{
		"K2": []any{map[string]any{"werkgever": "Gemeente Eindhoven", "functie": "jurist", "bij_deze_gemeente": true}},
		"N1": []any{
			n1("Stichting Sportpark Noord", "", "bestuur", true),
			n1("Voedselbank", "", "lid", false),
		},
		"G1": []any{map[string]any{"soort": "vergunning", "jaar": 2023.0, "status": "lopend"}},
	})
	flags := []questionnaires.Flag{
		{Rule: "werkt-bij-gemeente", Severity: questionnaires.LevelBlok, Questions: []string{"K2"}},
		{Rule: "nevenfunctie-relatie-gemeente", Severity: questionnaires.LevelInfo, Questions: []string{"N1"},
			Excerpts: map[string]string{"N1": "Stichting Sportpark Noord; Voedselbank"}},
		{Rule: RuleOverlap, Severity: questionnaires.LevelOranje, Questions: []string{"N1"},
			Excerpts: map[string]string{"N1": "Stichting Sportpark Noord"}},
		{Rule: "procedure-lopend", Severity: questionnaires.LevelOranje, Questions: []string{"G1"}},
		{Rule: "digitaal", Severity: questionnaires.LevelRood, Questions: []string{"D1"}},
	}
	got := Graph("Anna de Vries", orgs, flags)
	want := GraphModel{
		Nodes: []Node{
			{ID: "kandidaat", Label: "Anna de Vries", Kind: "kandidaat", Level: questionnaires.LevelBlok},
			{ID: "org-1", Label: "Gemeente Eindhoven", Kind: "organisatie", Level: questionnaires.LevelBlok},
			{ID: "org-2", Label: "Stichting Sportpark Noord", Kind: "organisatie", Level: questionnaires.LevelOranje},
			{ID: "org-3", Label: "Voedselbank", Kind: "organisatie", Level: questionnaires.LevelInfo},
			{ID: "gemeente", Label: "Gemeente", Kind: "gemeente", Level: questionnaires.LevelOranje},
		},
		Edges: []Edge{
			{From: "kandidaat", To: "org-1", Label: "werkt er"},
			{From: "kandidaat", To: "org-2", Label: "bestuur"},
			{From: "kandidaat", To: "org-3", Label: "lid"},
			{From: "kandidaat", To: "gemeente", Label: "aanvraag of procedure: vergunning, 2023, loopt nog"},
			{From: "org-1", To: "gemeente", Label: "werkt bij de gemeente"},
			{From: "org-2", To: "gemeente", Label: "subsidie, opdracht of vergunning"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Graph (-want +got):\n%s", diff)
	}

	// No orgs, no flags: only the candidate, level geen.
	empty := Graph("X", nil, nil)
	if diff := cmp.Diff(GraphModel{Nodes: []Node{{ID: "kandidaat", Label: "X", Kind: "kandidaat", Level: questionnaires.LevelGeen}}, Edges: []Edge{}}, empty); diff != "" {
		t.Error(diff)
	}
}

func TestGraphOverlapFlagsFromIndex(t *testing.T) {
	ix := NewIndex()
	a := questionnaires.Answers{"N1": []any{n1("Stichting Sportpark Noord", "", "bestuur", false), n1("Voedselbank", "", "lid", false)}}
	ix.Put(member("a", "p1", "A", a))
	ix.Put(member("b", "p1", "B", questionnaires.Answers{"N1": []any{n1("Sportpark Noord", "", "bestuur", false)}}))
	m := member("a", "p1", "A", a)
	g := Graph("A", m.Orgs, OverlapFlags(ix.Overlaps("a", nil)))
	levels := map[string]questionnaires.Level{}
	for _, n := range g.Nodes {
		levels[n.Label] = n.Level
	}
	want := map[string]questionnaires.Level{"A": "oranje", "Stichting Sportpark Noord": "oranje", "Voedselbank": "geen"}
	if diff := cmp.Diff(want, levels); diff != "" {
		t.Error(diff)
	}
}

func TestRoundGraph(t *testing.T) {
	members := []Member{
		member("a", "p1", "Anna", questionnaires.Answers{"N1": []any{
			n1("Stichting Sportpark Noord", "41234567", "bestuur", false),
			n1("Voedselbank", "", "lid", false),
			n1("Schaakclub", "", "lid", false),
		}, "G1": []any{map[string]any{"soort": "subsidie", "jaar": 2024.0, "status": "lopend"}}}),
		member("b", "p1", "Bram", questionnaires.Answers{"N1": []any{n1("SV Noord", "4123 4567", "toezicht", false)},
			"G1": []any{map[string]any{"soort": "subsidie", "jaar": 2024.0, "status": "lopend"}}}),
		member("c", "p1", "Cem", questionnaires.Answers{
			"K2": []any{map[string]any{"werkgever": "Voedselbank", "functie": "kok", "bij_deze_gemeente": false}},
			"N1": []any{n1("VOEDSELBANK (stichting)", "", "vrijwilliger", false)},
		}),
		member("d", "p2", "Dirk", questionnaires.Answers{"N1": []any{n1("Voedselbank", "", "lid", true), n1("Schaakclub", "", "lid", false)}}),
	}
	got := RoundGraph(members)
	want := GraphModel{
		Nodes: []Node{
			{ID: "kandidaat-a", Label: "Anna", Kind: "kandidaat", Level: "geen"},
			{ID: "kandidaat-b", Label: "Bram", Kind: "kandidaat", Level: "geen"},
			{ID: "kandidaat-c", Label: "Cem", Kind: "kandidaat", Level: "geen"},
			{ID: "kandidaat-d", Label: "Dirk", Kind: "kandidaat", Level: "geen"},
			{ID: "org-1", Label: "Stichting Sportpark Noord", Kind: "organisatie", Level: "oranje"},
			{ID: "org-2", Label: "Voedselbank", Kind: "organisatie", Level: "info"},
		},
		Edges: []Edge{
			{From: "kandidaat-a", To: "org-1", Label: "bestuur"},
			{From: "kandidaat-b", To: "org-1", Label: "toezicht"},
			{From: "kandidaat-a", To: "org-2", Label: "lid"},
			{From: "kandidaat-c", To: "org-2", Label: "werkt er, vrijwilliger"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RoundGraph (-want +got):\n%s", diff)
	}
}
