package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/e2e"
	"github.com/weerbaar/weerbaar/internal/sample"
)

// TestDossierSources: a new committee member sets up the account, logs in,
// opens a candidate's open-source research from the file, records three
// checks (one a finding, after a refused first try) and sees the finding
// in the profile as the committee's own. Every page passes axe at 1280 and
// 375 px; screenshots go to e2e/screenshots/.
func TestDossierSources(t *testing.T) {
	s := start(t)
	e := s.e
	board := e.Login(boardEmail, boardPass)
	const addr, pass = "cor@test.nl", "een zin van een paar woorden"
	e.Must(201, "POST", v1+"/parties/"+s.pid+"/members", s.admin, map[string]any{"email": addr, "name": "Cor Commissie", "role": "commissie"})
	link := setupPath(t, e, addr)
	rid := e.Must(201, "POST", v1+"/parties/"+s.pid+"/rounds", board, map[string]string{"name": "Raad 2026", "office": "raadslid",
		"deadline": time.Now().AddDate(0, 2, 0).Format("2006-01-02")}).Map(t)["id"].(string)
	cid := e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Anna de Vries", "email": "anna@test.nl"}).Map(t)["id"].(string)
	tok := e.Must(201, "POST", v1+"/invitations/"+e.InvitationToken("anna@test.nl")+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/consent", tok, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", tok, map[string]any{"answers": sample.Flagged()})
	e.Must(200, "POST", v1+"/me/submit", tok, nil)

	p := s.b.Tab(t)
	p.Go(s.base + link)
	p.Fill("Nieuw wachtwoord", pass)
	p.Fill("Herhaal het wachtwoord", pass)
	p.Press("Wachtwoord opslaan")
	p.Fill("E-mailadres", addr)
	p.Fill("Wachtwoord", pass)
	p.Press("Inloggen")
	com := e.Login(addr, pass)
	for end := time.Now().Add(10 * time.Second); e.Do("GET", v1+"/candidates/"+cid+"/profile", com, nil).Status != 200; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("no profile")
		}
	}

	p.Go(s.base + "/commissie/kandidaten/" + cid)
	if !strings.Contains(p.Text(), "0 van 8 bronnen nagekeken") {
		t.Errorf("the file page does not say how many sources were checked")
	}
	p.Follow("Openbronnenonderzoek")
	if got := path(t, p); got != "/commissie/kandidaten/"+cid+"/openbronnen" {
		t.Fatalf("at %s", got)
	}
	p.Check("openbronnen-leeg")

	// A finding without its text and question, and a link that is none.
	k := p.Within("#src-kadaster")
	k.Fill("Wat vond u?", "Perceel aan de Dorpsstraat, bestemmingsplan in procedure.")
	k.Fill("Link naar wat u vond", "kadaster perceel 123")
	k.Choose("Is dit een bevinding voor het profiel?", "rood")
	k.Press("Opslaan")
	if p.Status() != 422 {
		t.Fatalf("status %d, want 422", p.Status())
	}
	if f := p.Focused(); !strings.Contains(f, "error-summary") {
		t.Errorf("focus is on %s, want the error summary", f)
	}
	// The summary follows the form, each link to its field, which says the same.
	type sumLink struct{ Href, Invalid, Message, Text string }
	links := e2e.Eval[[]sumLink](p, `[...document.querySelectorAll('[data-error-summary] a')].map(a => {
		const f = document.getElementById(a.hash.slice(1));
		return {Href: a.getAttribute('href'), Invalid: f ? f.getAttribute('aria-invalid') || '' : '', Text: a.textContent.trim(),
			Message: f ? (f.getAttribute('aria-describedby') || '').split(/\s+/).map(i => (document.getElementById(i) || {}).textContent || '').join(' ') : ''};
	})`)
	var hrefs []string
	for _, l := range links {
		hrefs = append(hrefs, l.Href)
		if l.Invalid != "true" || !strings.Contains(l.Message, l.Text) {
			t.Errorf("field %s: aria-invalid %q, described by %q, want it to repeat %q", l.Href, l.Invalid, l.Message, l.Text)
		}
	}
	if got, want := strings.Join(hrefs, " "), "#src-kadaster-link #src-kadaster-finding #src-kadaster-ask"; got != want {
		t.Errorf("summary links %s, want %s", got, want)
	}
	p.Check("openbronnen-fout")

	k = p.Within("#src-kadaster")
	k.Fill("Link naar wat u vond", "https://www.kadaster.nl/perceel/123")
	k.Fill("De bevinding", "Eigenaar van grond in een lopend bestemmingsplan.")
	k.Fill("Vraag aan de kandidaat", "Hoe voorkomt u dat u over uw eigen grond besluit?")
	k.Press("Opslaan")
	if !strings.Contains(p.Text(), "Wat u vond bij Kadaster is opgeslagen.") {
		t.Errorf("no confirmation:\n%.600s", p.Text())
	}
	kvk := p.Within("#src-kvk")
	kvk.Fill("Wat vond u?", "Niets gevonden.")
	kvk.Press("Opslaan")
	own := p.Within("#src-nieuw")
	own.Fill("Titel van de zoekopdracht", "Zoekmachine op naam en woonplaats")
	own.Fill("Wat vond u?", "Een interview in de lokale krant uit 2015, niets bijzonders.")
	own.Press("Zoekopdracht opslaan")
	text := p.Text()
	for _, want := range []string{"3 van 8 bronnen nagekeken", "Eigen zoekopdracht 1: Zoekmachine op naam en woonplaats", "door Cor Commissie"} {
		if !strings.Contains(text, want) {
			t.Errorf("the checklist lacks %q", want)
		}
	}
	p.Check("openbronnen-ingevuld")

	p.Follow("Terug naar het dossier van Anna de Vries")
	text = p.Text()
	for _, want := range []string{"3 van 8 bronnen nagekeken", "Openbronnenonderzoek (bevindingen van de commissie)",
		"Eigenaar van grond in een lopend bestemmingsplan.", "Dit is geen antwoord van de kandidaat."} {
		if !strings.Contains(text, want) {
			t.Errorf("the file page lacks %q", want)
		}
	}
	p.Go(s.base + "/commissie/kandidaten/" + cid + "#domein-openbronnen")
	p.Check("dossier-bevinding")
}
