package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/e2e"
	"github.com/weerbaar/weerbaar/internal/sample"
)

// TestInterviewRecord: a committee member records the interview in the
// browser as a new user would (from the file, by label), sees the refusal
// summary, saves, and finds the measure in the advice form; the interview
// page, its refusal and the guide with dilemma cases pass axe at 1280 px
// and 375 px. Screenshots go to e2e/screenshots/.
func TestInterviewRecord(t *testing.T) {
	s := start(t)
	e := s.e
	board := e.Login(boardEmail, boardPass)
	e.Must(201, "POST", v1+"/parties/"+s.pid+"/members", s.admin, map[string]any{"email": "c@test.nl", "name": "Cor Commissie", "role": "commissie", "password": boardPass})
	rid := e.Must(201, "POST", v1+"/parties/"+s.pid+"/rounds", board, map[string]string{"name": "Raad 2026", "office": "raadslid", "deadline": time.Now().AddDate(0, 2, 0).Format("2006-01-02")}).Map(t)["id"].(string)
	cid := e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Anna de Vries", "email": "anna@test.nl"}).Map(t)["id"].(string)
	tok := e.Must(201, "POST", v1+"/invitations/"+e.InvitationToken("anna@test.nl")+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/consent", tok, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", tok, map[string]any{"answers": sample.Flagged()})
	e.Must(200, "POST", v1+"/me/submit", tok, nil)
	com := e.Login("c@test.nl", boardPass)
	for end := time.Now().Add(10 * time.Second); e.Do("GET", v1+"/candidates/"+cid+"/profile", com, nil).Status != 200; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("no profile")
		}
	}

	p := s.b.Tab(t)
	p.Go(s.base + "/inloggen")
	p.Fill("E-mailadres", "c@test.nl")
	p.Fill("Wachtwoord", boardPass)
	p.Press("Inloggen")
	p.Go(s.base + "/commissie/kandidaten/" + cid)
	p.Follow("Gespreksverslag: 0 van")
	if got := path(t, p); got != "/commissie/kandidaten/"+cid+"/gesprek" {
		t.Fatalf("link leads to %s", got)
	}
	check(t, p, "gesprek")

	// A measure chosen without the measure: the summary says so.
	row := p.Within("section[aria-labelledby='signaal-0-kop']")
	row.Choose("Wat kwam er uit het gesprek?", "Maatregel afgesproken")
	p.Press("Gespreksverslag opslaan")
	checkAt(t, p, "gesprek-fout", 422)
	if txt := p.Text(); !strings.Contains(txt, "Er is een probleem") || !strings.Contains(txt, "Schrijf op welke maatregel is afgesproken") {
		t.Errorf("refusal: %.300s", txt)
	}

	row = p.Within("section[aria-labelledby='signaal-0-kop']")
	row.Fill("Afgesproken maatregel (niet verplicht)", "Legt bestuursfunctie bij Stichting Sportpark De Linden neer vóór installatie")
	p.Fill("Datum van het gesprek (niet verplicht)", "14-03-2025")
	p.Fill("Wie waren erbij? (niet verplicht)", "Cor Commissie, de kandidaat")
	row = p.Within("section[aria-labelledby='signaal-2-kop']")
	row.Choose("Wat kwam er uit het gesprek?", "Zorg blijft")
	row.Fill("Toelichting", "Wil niet vertellen over de schulden")
	p.Press("Gespreksverslag opslaan")
	check(t, p, "gesprek-opgeslagen")
	if txt := p.Text(); !strings.Contains(txt, "Het gespreksverslag is opgeslagen") || !strings.Contains(txt, "2 van") {
		t.Errorf("after saving: %.300s", txt)
	}

	// The file: the advice form starts from the measure.
	p.Follow("Terug naar het dossier van Anna de Vries")
	if v := e2e.Eval[string](p, `document.getElementById('advice-conditions').value`); v != "- Legt bestuursfunctie bij Stichting Sportpark De Linden neer vóór installatie" {
		t.Errorf("conditions start as %q", v)
	}
	p.Go(s.base + "/commissie/kandidaten/" + cid + "#advies")
	check(t, p, "dossier-advies")

	p.Go(s.base + "/commissie/kandidaten/" + cid + "/leidraad")
	check(t, p, "leidraad-dilemmas")
	if txt := p.Text(); !strings.Contains(txt, "Dilemma’s om voor te leggen") || !strings.Contains(txt, "Subsidie voor uw eigen stichting") {
		t.Errorf("guide: no dilemma cases")
	}
}
