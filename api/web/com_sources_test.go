package web_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestComSourcesPage: the checklist page records a check per source, shows
// a refusal at its own fields with what was typed kept, and the finding
// shows on the file page as the committee's own, ready for a hearing.
func TestComSourcesPage(t *testing.T) {
	f := newComFix(t)
	page := "/commissie/kandidaten/" + f.cid + "/openbronnen"
	file := "/commissie/kandidaten/" + f.cid

	body := f.must(t, 200, "com1", "GET", file, nil)
	comHas(t, body, `href="`+page+`"`, "0 van 8 bronnen nagekeken")

	body = f.must(t, 200, "com1", "GET", page, nil)
	comHas(t, body, "Openbronnenonderzoek: "+comEsc("<script>alert(1)</script>"), "0 van 8 bronnen nagekeken",
		"Handelsregister (KvK)", "Kadaster", "Centraal Insolventieregister", "rechtspraak.nl", "Nieuwsberichten", "Sociale media",
		"Register van nevenfuncties van de gemeente", "Nieuwe eigen zoekopdracht", `id="src-kvk-result"`, `id="src-nieuw-title"`)
	comLacks(t, body, "<script>alert(1)</script>")

	// A refusal: each message at its field, the entered text kept.
	r := f.page(t, "com1", "POST", page, url.Values{"source": {"kadaster"}, "result": {"Perceel <Dorpsstraat>"}, "link": {"javascript:alert(1)"},
		"checked_on": {"31-02-2025"}, "severity": {"rood"}})
	if r.Status != 422 {
		t.Fatalf("status %d", r.Status)
	}
	comHas(t, r.Body, "Er is een probleem", `href="#src-kadaster-link"`, `href="#src-kadaster-on"`, `href="#src-kadaster-finding"`,
		`href="#src-kadaster-ask"`, comEsc("Perceel <Dorpsstraat>"), `id="src-kadaster-severity-3" name="severity" value="rood" checked`)

	// Recorded: back to the source on the page.
	r = f.page(t, "com1", "POST", page, url.Values{"source": {"kadaster"}, "result": {"Perceel aan de Dorpsstraat."}, "checked_on": {"3-2-2025"},
		"link": {"https://www.kadaster.nl/x"}, "severity": {"oranje"}, "finding": {"Grond in een lopend bestemmingsplan."}, "ask": {"Hoe houdt u dit gescheiden?"}})
	if r.Status != 303 || r.Location != page+"#src-kadaster" {
		t.Fatalf("status %d to %q: %s", r.Status, r.Location, r.Body)
	}
	f.must(t, 303, "com2", "POST", page, url.Values{"source": {"eigen_zoekopdracht"}, "title": {"Zoekmachine"}, "result": {"Niets gevonden."}})
	body = f.must(t, 200, "com1", "GET", page, nil)
	comHas(t, body, "2 van 8 bronnen nagekeken", "Nagekeken op 3 februari 2025 door Anna de Vries", "https://www.kadaster.nl/x",
		"Eigen zoekopdracht 1: Zoekmachine", "door Bram Jansen", `value="oranje" checked`)

	// The file page: the count, the finding under Openbronnenonderzoek as
	// the committee's own, and the finding offered for a hearing.
	body = f.must(t, 200, "com1", "GET", file, nil)
	comHas(t, body, "2 van 8 bronnen nagekeken", "Openbronnenonderzoek (bevindingen van de commissie)", "Grond in een lopend bestemmingsplan.",
		"Bevinding uit het openbronnenonderzoek van de selectiecommissie: Kadaster, nagekeken op 3 februari 2025. Dit is geen antwoord van de kandidaat.",
		"Grond in een lopend bestemmingsplan. (bevinding uit openbronnenonderzoek)", `name="flags" value="openbron:`)
	// The printable guide shows it the same way.
	comHas(t, f.must(t, 200, "com1", "GET", file+"/leidraad", nil), "Grond in een lopend bestemmingsplan.", "Dit is geen antwoord van de kandidaat.")

	// The access log page names the actions in Dutch.
	comHas(t, f.must(t, 200, "com1", "GET", file+"/logboek", nil), "Openbronnenonderzoek gelezen", "Bron nagekeken (openbronnenonderzoek)")

	// Put to the candidate from the file page's hearing form; the
	// candidate reads the finding, the question and where it came from.
	i := strings.Index(body, `name="flags" value="openbron:`)
	rule := body[i+len(`name="flags" value="`):]
	rule = rule[:strings.IndexByte(rule, '"')]
	f.must(t, 303, "com1", "POST", file+"/hoorzitting", url.Values{"flags": {rule}, "message": {"Wilt u dit toelichten?"}})
	comHas(t, f.must(t, 200, "candidate", "GET", "/scan/reactie", nil), "Grond in een lopend bestemmingsplan.", "Hoe houdt u dit gescheiden?",
		"Dit staat niet in uw antwoorden. De commissie vond het zelf in openbare bronnen")
	comLacks(t, f.must(t, 200, "candidate", "GET", "/scan/reactie", nil), "Dorpsstraat", "kadaster.nl")

	// The board sees none of it.
	if r := f.page(t, "board", "GET", page, nil); r.Status != 403 || strings.Contains(r.Body, "Dorpsstraat") {
		t.Fatalf("board: %d", r.Status)
	}
}
