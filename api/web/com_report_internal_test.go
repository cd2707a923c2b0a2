package web

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/screening"
)

// TestReportShowsFilledSections: the sections the other parts of issue 13
// fill (open sources, references, interview) appear when they hold
// something, and the printable document carries its own styles and no
// scripts.
func TestReportShowsFilledSections(t *testing.T) {
	p := &Pages{}
	if err := p.parse(); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	r := &screening.Report{Candidate: screening.ReportCandidate{ID: "k1", Name: "Piet", Status: "decided"}, Party: "Partij A",
		Round: screening.ReportRound{Name: "Raad 2026", Office: "raadslid"}, GeneratedAt: now,
		VOG: screening.ReportVOG{Status: "afgegeven", ScreeningProfile: "01 politieke ambtsdragers"}}
	data := func() View {
		return View{Title: "Adviesrapport", Styles: []string{"committee.css", "report.css"}, Scripts: []string{"committee.js"}, BodyClass: "report",
			Data: map[string]any{"R": r, "Base": "/commissie/kandidaten/k1", "DomainNL": comDomainNL, "VOGNL": comVOGNL,
				"OutcomeNL": comOutcomeNL, "ResolutionNL": reportResolutionNL, "PDF": false, "PDFMessage": "geen pdf"}}
	}
	empty, err := p.document("committee_report", data())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"rapport-bronnen", "rapport-referenties", "rapport-gesprek"} {
		if bytes.Contains(empty, []byte(s)) {
			t.Errorf("empty section %s shown", s)
		}
	}
	answered := now
	r.Sources = []screening.ReportSource{{Source: "Handelsregister (KvK)", CheckedBy: "Cor", CheckedAt: now, Found: "Eenmanszaak sinds 2019", Finding: "Bestuurder van een failliete bv", Severity: "oranje"}}
	r.References = []screening.ReportReference{{Name: "Anne Referent", Status: "beantwoord", AskedAt: now, AnsweredAt: &answered,
		Answers: []screening.ReportAnswer{{Question: "Hoe kent u de kandidaat?", Answer: "Uit de buurtvereniging"}}}}
	r.Interview = &screening.ReportInterview{HeldOn: &now, Resolutions: []screening.ReportResolution{{Rule: "r1", Finding: "Nevenfunctie", Resolution: "maatregel_afgesproken", Note: "Legt de functie neer"}}}
	filled, err := p.document("committee_report", data())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Onderzoek in open bronnen", "Bestuurder van een failliete bv", "Anne Referent", "Uit de buurtvereniging",
		"Het gesprek", "Maatregel afgesproken", "Legt de functie neer", "14 maart 2026"} {
		if !bytes.Contains(filled, []byte(s)) {
			t.Errorf("filled report lacks %q", s)
		}
	}
	doc := string(filled)
	if strings.Contains(doc, "<script") || strings.Contains(doc, `rel="stylesheet"`) {
		t.Error("the printable document loads scripts or stylesheets")
	}
	for _, css := range []string{"@page report", ".level-rood", ".report-section"} {
		if !strings.Contains(doc, css) {
			t.Errorf("the printable document lacks the inlined %q", css)
		}
	}
}
