package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// parsed renders a questionnaire file with its rules as JSON.
func parsed(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	d, err := questionnaires.Parse(filepath.Base(file), data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	b, err := json.Marshal(struct {
		*questionnaires.Definition
		Rules []questionnaires.Rule `json:"rules"`
	}{d, d.Rules})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestApplyReproducesTranslation: applying the English of the translated
// questionnaire to its Dutch-only original (as a new version copied from
// the old would be) gives the translated questionnaire.
func TestApplyReproducesTranslation(t *testing.T) {
	for _, name := range []string{"weerbaarheidsscan.yaml", "referentie.yaml"} {
		orig := filepath.Join("..", "..", "..", "questionnaires", "testdata", "dutch-baseline", name)
		translated := filepath.Join("..", "..", "..", "questionnaires", name)
		data, err := os.ReadFile(orig)
		if err != nil {
			t.Fatal(err)
		}
		tmp := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := apply(tmp, []string{translated}); err != nil {
			t.Fatal(err)
		}
		if got, want := parsed(t, tmp), parsed(t, translated); got != want {
			t.Errorf("%s: applied file differs from the translation", name)
		}
	}
}

func TestApplyPairsAndFlowLines(t *testing.T) {
	dir := t.TempDir()
	src := `id: t
version: 1
title: Titel
privacy:
  version: 1
  text: |-
    Eerste alinea.

    Tweede: alinea.
sections:
  - id: s
    title: Sectie
    intro: >-
      Een lange
      inleiding.
    questions:
      - id: Q1
        type: list
        text: "Lijst: met dubbele punt" # a comment stays
        item: Regel
        fields:
          - {id: a, type: text, text: "Één", name: "het ene"}
          - {id: b, type: text, text: Twee, name: het andere}
`
	pairs := `- nl: Titel
  en: Title
- nl: |-
    Eerste alinea.

    Tweede: alinea.
  en: |-
    First paragraph.

    Second: paragraph.
- nl: Sectie
  en: 'Section #1'
- nl: Een lange inleiding.
  en: A long introduction.
- nl: "Lijst: met dubbele punt"
  en: "List: with a colon"
- nl: Één
  en: One "quoted"
- nl: het ene
  en: the one
- nl: Twee
  en: Two
- nl: Regel
  en: Line
`
	file := filepath.Join(dir, "t.yaml")
	dict := filepath.Join(dir, "pairs.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dict, []byte(pairs), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := apply(file, []string{dict}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(file)
	d, err := questionnaires.Parse("t.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	q, _ := d.Question("Q1")
	a, _ := q.Field("a")
	b, _ := q.Field("b")
	checks := []struct{ got, want questionnaires.Text }{
		{d.Title, questionnaires.Text{NL: "Titel", EN: "Title"}},
		{d.Privacy.Text, questionnaires.Text{NL: "Eerste alinea.\n\nTweede: alinea.", EN: "First paragraph.\n\nSecond: paragraph."}},
		{d.Sections[0].Title, questionnaires.Text{NL: "Sectie", EN: "Section #1"}},
		{d.Sections[0].Intro, questionnaires.Text{NL: "Een lange inleiding.", EN: "A long introduction."}},
		{q.Text, questionnaires.Text{NL: "Lijst: met dubbele punt", EN: "List: with a colon"}},
		{a.Text, questionnaires.Text{NL: "Één", EN: `One "quoted"`}},
		{a.Name, questionnaires.Text{NL: "het ene", EN: "the one"}},
		{b.Text, questionnaires.Text{NL: "Twee", EN: "Two"}},
		{b.Name, questionnaires.Text{NL: "het andere"}}, // not in the pairs: left alone
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("got %+v, want %+v", c.got, c.want)
		}
	}
	if !strings.Contains(string(data), `nl: "Lijst: met dubbele punt" # a comment stays`) {
		t.Errorf("comment lost:\n%s", data)
	}
}
