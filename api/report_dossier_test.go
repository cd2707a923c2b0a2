package api_test

import (
	"bytes"
	"html"
	"testing"
)

// TestReportHoldsTheDossier: the committee's report carries the open-source
// research and the interview record once they are recorded (the parts were
// built apart; the report's sections were empty until they were joined),
// and the board's summary still names none of it.
func TestReportHoldsTheDossier(t *testing.T) {
	f := newFixture(t)
	e, com := f.e, f.tok["committee"]
	path := v1 + "/candidates/" + f.profiled
	finding := "Eigenaar van grond in een lopend bestemmingsplan."
	e.Must(201, "PUT", path+"/sources", com, map[string]any{"source": "kadaster", "result": "Perceel aan de Dorpsstraat.",
		"severity": "rood", "finding": finding, "ask": "Hoe voorkomt u dat u over uw eigen grond besluit?"})
	e.Must(201, "PUT", path+"/sources", com, map[string]any{"source": "kvk", "result": "Niets gevonden."})
	iv := f.interview(t)
	measure := "Legt de bestuursfunctie bij de stichting neer vóór de installatie."
	note := "Afdoende uitgelegd in het gesprek."
	e.Must(200, "PUT", path+"/interview", com, map[string]any{"held_on": "2025-03-14", "attendees": "Anna, Bram",
		"resolutions": []res{{"rule": iv.Flags[0].Rule, "resolution": "maatregel_afgesproken", "measure": measure},
			{"rule": iv.Flags[1].Rule, "resolution": "afdoende_toegelicht", "note": note}}})
	findings := reportFile(t, f, f.profiled, true)

	r := e.Must(200, "GET", path+"/report", com, nil)
	for _, want := range []string{finding, "Perceel aan de Dorpsstraat.", "Niets gevonden.", measure, note, `"held_on":"2025-03-14`, `"attendees":"Anna, Bram"`, `"severity":"rood"`} {
		if !bytes.Contains(r.Body, []byte(want)) {
			t.Errorf("report JSON lacks %q", want)
		}
	}
	p := e.Must(200, "GET", "/commissie/kandidaten/"+f.profiled+"/rapport", com, nil)
	for _, want := range []string{"Onderzoek in open bronnen", "rapport-gesprek", html.EscapeString(finding), html.EscapeString(measure), html.EscapeString(note), "Aanwezig:</strong> <span class=\"pre-line\">Anna, Bram"} {
		if !bytes.Contains(p.Body, []byte(want)) {
			t.Errorf("report page lacks %q", want)
		}
	}

	// The candidate consents; the board's summary says the research and the
	// interview were done, and nothing of what they found.
	sum := e.Must(200, "GET", v1+"/me/summary", f.tok["candidate"], nil).Map(t)
	e.Must(200, "POST", v1+"/me/summary/consent", f.tok["candidate"], map[string]any{"version": sum["version"]})
	b := e.Must(200, "GET", path+"/summary", f.tok["board"], nil)
	noSecrets(t, "board summary", b.Body, append(findings, finding, note, "Perceel aan de Dorpsstraat.", "Anna, Bram"))
	for _, want := range []string{`"open_sources":true`, `"interview":true`} {
		if !bytes.Contains(b.Body, []byte(want)) {
			t.Errorf("board summary lacks %s: %s", want, b.Body)
		}
	}
}
