package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
)

func TestBoardPages(t *testing.T) {
	e := apptest.Start(t)
	e.StartWorker()
	admin := e.Admin()
	pid := e.Must(201, "POST", "/api/v1/parties", admin, map[string]string{"name": "Partij Zuid"}).Map(t)["id"].(string)
	pw := "wachtwoord-voor-test-1"
	for _, m := range [][2]string{{"b@zuid.nl", "bestuur"}, {"c@zuid.nl", "commissie"}} {
		e.Must(201, "POST", "/api/v1/parties/"+pid+"/members", admin, map[string]string{"email": m[0], "name": m[1], "role": m[1], "password": pw})
	}
	board := page{t: t, e: e, token: e.Login("b@zuid.nl", pw), jar: map[string]string{}}

	// Create a round through the form: errors first, then valid.
	_, body := board.post("/bestuur/partij/"+pid+"/rondes", url.Values{"name": {""}, "deadline-day": {"31"}, "deadline-month": {"2"}, "deadline-year": {"2030"}}, 422)
	for _, want := range []string{"Er is een probleem", "Vul de naam van de ronde in", "Deze datum bestaat niet", `href="#name"`} {
		if !strings.Contains(body, want) {
			t.Errorf("round form errors lack %q", want)
		}
	}
	y := time.Now().AddDate(0, 2, 0)
	loc, _ := board.post("/bestuur/partij/"+pid+"/rondes", url.Values{"name": {"Raad 2027"}, "office": {"raadslid"},
		"deadline-day": {itoa(y.Day())}, "deadline-month": {itoa(int(y.Month()))}, "deadline-year": {itoa(y.Year())}}, 303)
	rid := strings.TrimPrefix(loc, "/bestuur/ronde/")
	if len(rid) != 36 {
		t.Fatalf("redirect %q", loc)
	}
	round := board.get(loc)
	if !strings.Contains(round, "De ronde Raad 2027 is aangemaakt") {
		t.Error("no confirmation after creating the round")
	}

	// Invite one (with an escaped name), then a CSV with per-row errors.
	board.post("/bestuur/ronde/"+rid+"/uitnodigen", url.Values{"name": {"<script>alert(1)</script>"}, "email": {"x@zuid.nl"}}, 303)
	_, body = board.post("/bestuur/ronde/"+rid+"/uitnodigen", url.Values{"name": {"Dubbel"}, "email": {"x@zuid.nl"}}, 422)
	if !strings.Contains(body, "al uitgenodigd") {
		t.Error("duplicate invite not refused")
	}
	csv := "naam;e-mail\nAnna;anna@zuid.nl\nBram;geen-adres\n;leeg@zuid.nl\nAnna twee;anna@zuid.nl\nOud;x@zuid.nl\nCem;cem@zuid.nl\n"
	_, body = board.post("/bestuur/ronde/"+rid+"/csv", url.Values{"csv": {csv}}, 200)
	for _, want := range []string{"2 van 6 regels", "Dit is geen geldig e-mailadres", "De naam ontbreekt", "Dubbel: staat ook op regel 2", "Al uitgenodigd in deze ronde", "2 uitnodiging(en) versturen"} {
		if !strings.Contains(body, want) {
			t.Errorf("CSV preview lacks %q", want)
		}
	}
	board.post("/bestuur/ronde/"+rid+"/csv/versturen", url.Values{"csv": {"Anna;anna@zuid.nl\nCem;cem@zuid.nl"}}, 303)
	round = board.get("/bestuur/ronde/" + rid)
	if strings.Contains(round, "<script>alert(1)") || !strings.Contains(round, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("candidate name not escaped on the status board")
	}
	for _, n := range []string{"Anna", "Cem", "Uitgenodigd: <strong>3</strong>"} {
		if !strings.Contains(round, n) {
			t.Errorf("status board lacks %q", n)
		}
	}

	// Anna fills in and submits; the board's pages show status only.
	tok := e.Must(201, "POST", "/api/v1/invitations/"+e.InvitationToken("anna@zuid.nl")+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", "/api/v1/me/consent", tok, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", "/api/v1/me/answers", tok, map[string]any{"answers": sample.Flagged()})
	e.Must(200, "POST", "/api/v1/me/submit", tok, nil)
	com := e.Login("c@zuid.nl", pw)
	var cid string
	for deadline := time.Now().Add(5 * time.Second); cid == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var rows []map[string]any
		e.Must(200, "GET", "/api/v1/rounds/"+rid+"/candidates", com, nil).JSON(t, &rows)
		for _, r := range rows {
			if r["email"] == "anna@zuid.nl" && r["status"] == "profiled" {
				cid = r["id"].(string)
			}
		}
	}
	if cid == "" {
		t.Fatal("Anna never profiled")
	}
	e.Must(201, "POST", "/api/v1/candidates/"+cid+"/notes", com, map[string]string{"body": "Geheime notitie"})
	e.Must(201, "POST", "/api/v1/candidates/"+cid+"/decision", com, map[string]any{"outcome": "positief", "reasons": "Geheime reden", "release_to_board": true})
	for _, path := range []string{"/bestuur/partij/" + pid, "/bestuur/ronde/" + rid, "/bestuur/kandidaten/" + cid} {
		body := strings.ToLower(board.get(path))
		for _, secret := range []string{"oranje", "rood", "blok", "sportpark", "zorggroep", "geheime notitie", "geheime reden", "signaal", "level", "vog-", "aangevraagd"} {
			if strings.Contains(body, secret) {
				t.Errorf("board page %s contains %q", path, secret)
			}
		}
	}
	if !strings.Contains(board.get("/bestuur/kandidaten/"+cid), "Positief") {
		t.Error("board does not see the released advice")
	}
	// The board cannot open committee pages or another party's round.
	if s, _, _ := board.do("GET", "/api/v1/candidates/"+cid+"/profile", nil); s != 403 {
		t.Errorf("board profile: %d", s)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestPrivacyPage(t *testing.T) {
	e := apptest.Start(t)
	body := (page{t: t, e: e}).get("/privacy")
	for _, want := range []string{"<h1>Privacyverklaring voor kandidaten</h1>", "selectiecommissie", "Versie 1"} {
		if !strings.Contains(body, want) {
			t.Errorf("privacy page lacks %q", want)
		}
	}
}
