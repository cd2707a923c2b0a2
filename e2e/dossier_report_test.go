package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/e2e"
	"github.com/weerbaar/weerbaar/internal/sample"
)

// TestDossierReport walks issue 13, part 4 in the browser: the committee
// opens the advice report from the file (and looks at it as printed), the
// candidate reads the summary and consents, the board reads the summary.
// Every page gets axe at 1280 and 375 px; screenshots go to
// e2e/screenshots/TestDossierReport/.
func TestDossierReport(t *testing.T) {
	s := start(t)
	e := s.e
	const pass = "wachtwoord-van-de-commissie-1"
	for _, m := range []struct{ email, name string }{{"carla@test.nl", "Carla Commissie"}, {"daan@test.nl", "Daan de Tweede"}} {
		s.e.AddMember(s.admin, s.pid, map[string]any{"email": m.email, "name": m.name, "role": "commissie", "password": pass})
	}
	boardTok := e.Login(boardEmail, boardPass)
	deadline := time.Now().Add(40 * 24 * time.Hour).Format("2006-01-02")
	rid := e.Must(201, "POST", v1+"/parties/"+s.pid+"/rounds", boardTok, map[string]string{"name": "Gemeenteraad 2026", "office": "raadslid", "deadline": deadline}).Map(t)["id"].(string)
	cid := e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", boardTok, map[string]string{"name": "Jansen", "email": "jansen@test.nl"}).Map(t)["id"].(string)

	// The candidate opens the invitation in the browser (their session);
	// the answers go in through the API to keep the walk short.
	token := e.InvitationToken("jansen@test.nl")
	cand := s.b.Tab(t)
	cand.Go(s.base + "/uitnodiging/" + token)
	cand.Press("Start de scan")
	ct := e.Must(201, "POST", v1+"/invitations/"+token+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/consent", ct, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", ct, map[string]any{"answers": sample.Flagged()})
	e.Must(200, "POST", v1+"/me/submit", ct, nil)
	com1, com2 := e.Login("carla@test.nl", pass), e.Login("daan@test.nl", pass)
	for i := 0; ; i++ {
		if e.Must(200, "GET", v1+"/candidates/"+cid, com1, nil).Map(t)["status"] == "profiled" {
			break
		}
		if i > 500 {
			t.Fatal("the file never got its profile")
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", com1, map[string]any{"outcome": "positief_met_voorwaarden",
		"reasons": "Open over de nevenfunctie.", "conditions": "Volgt binnen drie maanden de training integriteit.",
		"release_to_board": true, "release_conditions": true})
	e.Must(200, "POST", v1+"/candidates/"+cid+"/decision/confirm", com2, nil)

	// The committee: from the file to the report, on screen and as printed.
	com := s.b.Tab(t)
	login(t, com, s.base, "carla@test.nl", pass)
	com.Go(s.base + "/commissie/kandidaten/" + cid)
	com.Follow("Adviesrapport om af te drukken of als PDF")
	check(t, com, "rapport")
	if text := com.Text(); !strings.Contains(text, "Vertrouwelijk — alleen voor de selectiecommissie") || !strings.Contains(text, "Daan de Tweede") {
		t.Errorf("the report lacks its header or who confirmed:\n%s", text)
	}
	com.PrintMedia(true)
	com.Screenshot("rapport-afgedrukt")
	if nav := e2e.Eval[bool](com, `getComputedStyle(document.querySelector('.site-nav')).display !== 'none'`); nav {
		t.Error("the navigation prints")
	}
	com.PrintMedia(false)

	// The candidate: from /scan to the summary; consent needs the tick.
	cand.Go(s.base + "/scan")
	cand.Follow("Samenvatting voor het bestuur: lezen en toestemming geven")
	check(t, cand, "samenvatting-kandidaat")
	cand.Press("Toestemming geven")
	checkAt(t, cand, "samenvatting-kandidaat-fout", 422)
	cand.Choose("Toestemming", "Ik geef toestemming om deze samenvatting met het partijbestuur te delen")
	cand.Press("Toestemming geven")
	check(t, cand, "samenvatting-kandidaat-gegeven")
	if !strings.Contains(cand.Text(), "Toestemming intrekken") {
		t.Errorf("after consenting, no way to withdraw:\n%s", cand.Text())
	}

	// The board: the candidate's page links to the summary.
	board := s.b.Tab(t)
	login(t, board, s.base, boardEmail, boardPass)
	board.Go(s.base + "/bestuur/kandidaten/" + cid)
	board.Follow("Samenvatting van de screening")
	check(t, board, "samenvatting-bestuur")
	text := board.Text()
	for _, want := range []string{"positief met voorwaarden", "Volgt binnen drie maanden de training integriteit."} {
		if !strings.Contains(text, want) {
			t.Errorf("the board's summary lacks %q", want)
		}
	}
	for _, secret := range []string{"Open over de nevenfunctie.", "oranje", "rood"} {
		if strings.Contains(text, secret) {
			t.Errorf("the board's summary shows %q", secret)
		}
	}
	board.PrintMedia(true)
	board.Screenshot("samenvatting-bestuur-afgedrukt")
	board.PrintMedia(false)

}
