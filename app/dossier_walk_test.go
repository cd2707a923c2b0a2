package app_test

import (
	"bytes"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/mail/smtptest"
)

// The confidential values of the dossier the API walk builds.
const (
	dwSourceResult = "Perceel aan de Dorpsstraat, bestemmingsplan in procedure (kadaster 123)."
	dwFinding      = "Eigenaar van grond in een lopend bestemmingsplan (walk)."
	dwFindingAsk   = "Hoe voorkomt u dat u over uw eigen grond besluit (walk)?"
	dwKvKResult    = "Eenmanszaak Vries Advies sinds 2019 (walk)."
	dwOwnTitle     = "Zoekmachine op naam (walk)"
	dwOwnResult    = "Een interview in de lokale krant uit 2015 (walk)."
	dwRef1, dwRef2 = "Karel Kok-Walk", "Sara Smit-Walk"
	dwRef1Mail     = "karel@ref.nl"
	dwRef2Mail     = "sara@ref.nl"
	dwRefRelation  = "leidinggevende bij de thuiszorg (walk)"
	dwMeasure      = "Legt de bestuursfunctie bij Stichting Sportpark De Linden neer vóór de installatie."
	dwNote         = "Geldzaken ruim toegelicht: een lening bij familie (walk-notitie)."
	dwAttendees    = "Cees Commissie en Carla Commissie (walk-aanwezig)"
	dwReasons      = "Open in het gesprek; de nevenfunctie wordt neergelegd (walk-redenen)."
)

// dwRefAnswer is a referent's answer set; the open answers carry the
// referent's number so each can be searched for.
func dwRefAnswer(n string) map[string]any {
	return map[string]any{"R1": "werk", "R2": "langer_dan_5", "R3": "Leidinggevende, acht jaar (referent " + n + ")",
		"R4": "Vraagt altijd om bonnetjes (referent " + n + ").", "R5": "Blijft rustig bij kritiek (referent " + n + ").",
		"R6": "Zegt nee tegen vrienden (referent " + n + ").", "R7": "nee", "R8": false}
}

// TestDossierWalkAPI is issue 13's walk over the JSON API (with mail over
// an in-process SMTP server): three open-source checks (one finding), two
// references asked, named with consent, sent and answered, the interview
// with a measure, "positief met voorwaarden" with the measure as condition
// and four eyes, the candidate's consent, the board's summary. Then: the
// board, the candidate and each referent read nothing confidential on any
// route open to them (and are refused the others), and every read of the
// committee and the board is in the file's access log with the reader's role.
func TestDossierWalkAPI(t *testing.T) {
	srv := smtptest.Start(t)
	e := apptest.Start(t, apptest.WithSMTP(srv.URL()))
	e.StartWorker()
	const pw = "wachtwoord-voor-de-walk-1"

	// Accounts: a board member, a committee member who sets up the account
	// from the mail, and a second committee member for the four eyes.
	admin := e.Admin()
	pid := e.Must(201, "POST", v1+"/parties", admin, map[string]string{"name": "Partij Walk"}).Map(t)["id"].(string)
	e.Must(201, "POST", v1+"/parties/"+pid+"/members", admin, map[string]any{"email": "bestuur@walk.nl", "name": "Bert Bestuur", "role": "bestuur", "password": pw})
	e.Must(201, "POST", v1+"/parties/"+pid+"/members", admin, map[string]any{"email": "c1@walk.nl", "name": "Cees Commissie", "role": "commissie"})
	e.Must(200, "POST", v1+"/account/setup", "", map[string]string{"token": linkToken(t, waitMail(t, srv, "c1@walk.nl", "").Text), "password": pw})
	e.AddMember(admin, pid, map[string]any{"email": "c2@walk.nl", "name": "Carla Commissie", "role": "commissie", "password": pw})
	board, c1, c2 := e.Login("bestuur@walk.nl", pw), e.Login("c1@walk.nl", pw), e.Login("c2@walk.nl", pw)

	// The board invites; the candidate fills in and submits.
	rid := e.Must(201, "POST", v1+"/parties/"+pid+"/rounds", board, map[string]string{"name": "Raad 2026", "office": "raadslid",
		"deadline": time.Now().AddDate(0, 2, 0).Format("2006-01-02")}).Map(t)["id"].(string)
	cid := e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Anna de Vries", "email": "anna@walk.nl"}).Map(t)["id"].(string)
	cand := e.Must(201, "POST", v1+"/invitations/"+linkToken(t, waitMail(t, srv, "anna@walk.nl", "Uitnodiging").Text)+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/consent", cand, map[string]int{"privacy_version": 1})
	answers := sample.Flagged()
	e.Must(200, "PATCH", v1+"/me/answers", cand, map[string]any{"answers": answers})
	e.Must(200, "POST", v1+"/me/submit", cand, nil)
	file := v1 + "/candidates/" + cid
	var prof map[string]any
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if r := e.Do("GET", file+"/profile", c1, nil); r.Status == 200 {
			prof = r.Map(t)
			break
		}
		if time.Now().After(end) {
			t.Fatal("no profile within 10 s")
		}
	}

	// The committee's open-source research: three checks, one a finding.
	e.Must(201, "PUT", file+"/sources", c1, map[string]any{"source": "kadaster", "result": dwSourceResult, "link": "https://www.kadaster.nl/perceel/123",
		"severity": "rood", "finding": dwFinding, "ask": dwFindingAsk})
	e.Must(201, "PUT", file+"/sources", c1, map[string]any{"source": "kvk", "result": dwKvKResult})
	e.Must(201, "PUT", file+"/sources", c1, map[string]any{"source": "eigen_zoekopdracht", "title": dwOwnTitle, "result": dwOwnResult})
	var srcs struct{ Checked, Total int }
	e.Must(200, "GET", file+"/sources", c1, nil).JSON(t, &srcs)
	if srcs.Checked != 3 || srcs.Total != 8 {
		t.Fatalf("sources checked %d of %d, want 3 of 8", srcs.Checked, srcs.Total)
	}

	// References: asked, named with consent (through a requested link: the
	// invitation link died on submit), sent, answered by both.
	e.Must(201, "POST", file+"/references", c1, map[string]any{"count": 2})
	waitMail(t, srv, "anna@walk.nl", "Referenties gevraagd")
	e.Must(202, "POST", v1+"/links", "", map[string]string{"email": "anna@walk.nl"})
	cand = e.Must(201, "POST", v1+"/invitations/"+linkToken(t, waitMail(t, srv, "anna@walk.nl", "Nieuwe link").Text)+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "PUT", v1+"/me/references", cand, map[string]any{"consent": true, "referents": []map[string]string{
		{"name": dwRef1, "email": dwRef1Mail, "relation": dwRefRelation},
		{"name": dwRef2, "email": dwRef2Mail, "relation": "bestuur van de voetbalclub"}}})
	e.Must(200, "POST", file+"/references/send", c1, map[string]any{})
	refTok := map[string]string{}
	for n, addr := range map[string]string{"1": dwRef1Mail, "2": dwRef2Mail} {
		tok := referentTokenIn(t, waitMail(t, srv, addr, "Verzoek om een referentie").Text)
		refTok[n] = tok
		form := e.Must(200, "GET", v1+"/references/"+tok, "", nil)
		if m := form.Map(t); m["candidate"] != "Anna de Vries" {
			t.Errorf("referent %s's form names %v", n, m["candidate"])
		}
		other := map[string]string{"1": dwRef2, "2": dwRef1}[n]
		dwNoneOf(t, "referent "+n+"'s form", form.Body, []string{dwFinding, dwSourceResult, answers["N5"].(string), "Stichting Sportpark De Linden", other, "anna@walk.nl"})
		e.Must(200, "POST", v1+"/references/"+tok, "", map[string]any{"answers": dwRefAnswer(n)})
	}
	var refs struct {
		Answered  int `json:"answered"`
		Referents []struct {
			Name    string         `json:"name"`
			Answers map[string]any `json:"answers"`
		} `json:"referents"`
	}
	rr := e.Must(200, "GET", file+"/references", c1, nil)
	rr.JSON(t, &refs)
	for _, n := range []string{"1", "2"} {
		if !bytes.Contains(rr.Body, []byte("Vraagt altijd om bonnetjes (referent "+n+").")) {
			t.Errorf("the committee does not read referent %s's answer: %s", n, rr.Body)
		}
	}

	// The interview: a measure on the side job's flag, a note on the debts.
	var iv struct {
		Flags []struct{ Rule string } `json:"flags"`
	}
	e.Must(200, "GET", file+"/interview", c1, nil).JSON(t, &iv)
	rules := map[string]bool{}
	for _, f := range iv.Flags {
		rules[f.Rule] = true
	}
	if !rules["nevenfunctie-relatie-gemeente"] || !rules["schulden-gesprek"] {
		t.Fatalf("interview flags %v lack the sample's", rules)
	}
	e.Must(200, "PUT", file+"/interview", c1, map[string]any{"held_on": time.Now().AddDate(0, 0, -1).Format("2006-01-02"), "attendees": dwAttendees,
		"resolutions": []map[string]string{
			{"rule": "nevenfunctie-relatie-gemeente", "resolution": "maatregel_afgesproken", "measure": dwMeasure},
			{"rule": "schulden-gesprek", "resolution": "afdoende_toegelicht", "note": dwNote}}})

	// The advice: the measure becomes the condition; a second member confirms.
	e.Must(201, "POST", file+"/decision", c1, map[string]any{"outcome": "positief_met_voorwaarden", "reasons": dwReasons,
		"conditions_from_measures": true, "release_to_board": true, "release_conditions": true})
	e.Must(409, "POST", file+"/decision/confirm", c1, nil)
	e.Must(200, "POST", file+"/decision/confirm", c2, nil)
	dec := e.Must(200, "GET", file+"/decision", c1, nil).Map(t)
	if c, _ := dec["conditions"].(string); !strings.Contains(c, dwMeasure) {
		t.Errorf("the conditions %q do not hold the measure", c)
	}

	// The candidate consents to the summary; the board reads it.
	sum := e.Must(200, "GET", v1+"/me/summary", cand, nil).Map(t)
	e.Must(200, "POST", v1+"/me/summary/consent", cand, map[string]any{"version": sum["version"]})
	bs := e.Must(200, "GET", file+"/summary", board, nil).Map(t)
	if bs["outcome"] != "positief_met_voorwaarden" || !strings.Contains(bs["measures"].(string), dwMeasure) {
		t.Errorf("the board's summary: %v", bs)
	}
	if ch, _ := bs["checks"].(map[string]any); ch["open_sources"] != true || ch["references"] != float64(2) || ch["interview"] != true {
		t.Errorf("the board's summary checks: %v", bs["checks"])
	}

	// The committee's reads (each one logged).
	for _, p := range []string{"/profile", "/answers", "/sources", "/references", "/interview", "/report", "/summary"} {
		r := e.Must(200, "GET", file+p, c2, nil)
		if p == "/report" {
			for _, want := range []string{dwFinding, dwMeasure, dwNote, dwAttendees, dwReasons, "Vraagt altijd om bonnetjes (referent 2)."} {
				if !bytes.Contains(r.Body, []byte(want)) {
					t.Errorf("the committee's report lacks %q", want)
				}
			}
		}
	}

	// ---- Nobody reads what they should not.
	var findings []string
	for _, f := range prof["flags"].([]any) {
		findings = append(findings, f.(map[string]any)["finding"].(string))
	}
	answerTexts := []string{"Zorggroep Noord", "wijkverpleegkundige", "Stichting Sportpark De Linden", "41234567", answers["N5"].(string),
		"Basisschool De Regenboog", "leerkracht", "liever_in_gesprek", "ja_verleden"}
	committeeOnly := []string{dwSourceResult, dwFinding, dwFindingAsk, dwKvKResult, dwOwnTitle, dwOwnResult, "kadaster.nl/perceel",
		dwNote, dwAttendees, dwReasons}
	for _, n := range []string{"1", "2"} {
		for _, v := range dwRefAnswer(n) {
			if s, ok := v.(string); ok && strings.Contains(s, "referent") {
				committeeOnly = append(committeeOnly, s)
			}
		}
	}
	committeeOnly = append(committeeOnly, findings...)
	forBoard := append(append(append([]string{}, committeeOnly...), answerTexts...), dwRef1, dwRef2, dwRef1Mail, dwRef2Mail, dwRefRelation)
	forCandidate := committeeOnly // the candidate's own answers and referents are the candidate's
	forReferent := append(append([]string{}, committeeOnly...), answerTexts...)

	type access struct {
		who, method, path string
		status            int
	}
	c := "/commissie/kandidaten/" + cid
	table := []access{
		// The board: the workflow, the released advice and the summary.
		{"board", "GET", file, 200},
		{"board", "GET", v1 + "/rounds/" + rid + "/candidates", 200},
		{"board", "GET", v1 + "/rounds/" + rid + "/overview", 200},
		{"board", "GET", v1 + "/parties/" + pid + "/rounds", 200},
		{"board", "GET", file + "/summary", 200},
		{"board", "GET", "/bestuur/partij/" + pid, 200},
		{"board", "GET", "/bestuur/ronde/" + rid, 200},
		{"board", "GET", "/bestuur/kandidaten/" + cid, 200},
		{"board", "GET", "/bestuur/kandidaten/" + cid + "/samenvatting", 200},
		{"board", "GET", "/bestuur/kandidaten/" + cid + "/samenvatting.pdf", 503}, // no Chromium in this system
		// ... and none of the committee's.
		{"board", "GET", file + "/profile", 403}, {"board", "GET", file + "/answers", 403}, {"board", "GET", file + "/sources", 403},
		{"board", "GET", file + "/references", 403}, {"board", "GET", file + "/interview", 403}, {"board", "GET", file + "/report", 403},
		{"board", "GET", file + "/report.pdf", 403}, {"board", "GET", file + "/decision", 403}, {"board", "GET", file + "/notes", 403},
		{"board", "GET", file + "/hearing", 403}, {"board", "GET", file + "/history", 403}, {"board", "GET", file + "/audit", 403},
		{"board", "GET", file + "/vog", 403}, {"board", "GET", file + "/network", 403}, {"board", "GET", v1 + "/rounds/" + rid + "/network", 403},
		{"board", "PUT", file + "/sources", 403}, {"board", "PUT", file + "/interview", 403}, {"board", "POST", file + "/references", 403},
		{"board", "GET", c, 403}, {"board", "GET", c + "/openbronnen", 403}, {"board", "GET", c + "/referenties", 403},
		{"board", "GET", c + "/gesprek", 403}, {"board", "GET", c + "/rapport", 403}, {"board", "GET", c + "/antwoorden", 403},
		{"board", "GET", c + "/logboek", 403}, {"board", "GET", c + "/leidraad", 403},
		{"board", "GET", v1 + "/me/references", 403}, {"board", "GET", v1 + "/me/summary", 403},

		// The candidate: every /me route and page.
		{"candidate", "GET", v1 + "/me", 200},
		{"candidate", "GET", v1 + "/me/questionnaire", 200},
		{"candidate", "GET", v1 + "/me/export", 200},
		{"candidate", "GET", v1 + "/me/hearing", 404}, // no hearing was opened: geen_hoorzitting
		{"candidate", "GET", v1 + "/me/references", 200},
		{"candidate", "GET", v1 + "/me/summary", 200},
		{"candidate", "GET", "/scan", 200},
		{"candidate", "GET", "/scan/export", 200},
		{"candidate", "GET", "/scan/reactie", 200},
		{"candidate", "GET", "/scan/referenties", 200},
		{"candidate", "GET", "/scan/samenvatting", 200},
		{"candidate", "GET", "/scan/controleren", 200},
		// ... and nothing of the committee's or the board's.
		{"candidate", "GET", file, 404}, {"candidate", "GET", file + "/sources", 404}, {"candidate", "GET", file + "/references", 404},
		{"candidate", "GET", file + "/interview", 404}, {"candidate", "GET", file + "/report", 404}, {"candidate", "GET", file + "/summary", 404},
		{"candidate", "GET", file + "/profile", 404}, {"candidate", "GET", file + "/audit", 404},
		{"candidate", "GET", c, 404}, {"candidate", "GET", c + "/referenties", 404}, {"candidate", "GET", c + "/rapport", 404},
		{"candidate", "GET", "/bestuur/kandidaten/" + cid + "/samenvatting", 404},
	}
	// Each referent: the link is used up, and the token is no session.
	for _, n := range []string{"1", "2"} {
		who := "referent" + n
		table = append(table,
			access{who, "GET", v1 + "/references/" + refTok[n], 410},
			access{who, "POST", v1 + "/references/" + refTok[n], 410},
			access{who, "GET", "/referentie/" + refTok[n], 410},
			access{who, "GET", v1 + "/me", 401},
			access{who, "GET", v1 + "/me/references", 401},
			access{who, "GET", v1 + "/me/summary", 401},
			access{who, "GET", v1 + "/me/export", 401},
			access{who, "GET", file, 401},
			access{who, "GET", file + "/references", 401},
			access{who, "GET", file + "/report", 401},
			access{who, "GET", file + "/summary", 401},
			access{who, "GET", file + "/sources", 401},
			access{who, "GET", file + "/interview", 401},
			access{who, "GET", "/scan/referenties", 303}, // the login page
			access{who, "GET", c + "/referenties", 303},
			access{who, "GET", "/bestuur/kandidaten/" + cid + "/samenvatting", 303},
		)
	}
	tokens := map[string]string{"board": board, "candidate": cand, "referent1": refTok["1"], "referent2": refTok["2"]}
	secrets := map[string][]string{"board": forBoard, "candidate": forCandidate, "referent1": forReferent, "referent2": forReferent}
	for _, a := range table {
		tok := tokens[a.who]
		if strings.HasPrefix(a.path, v1+"/references/") || strings.HasPrefix(a.path, "/referentie/") {
			tok = "" // the referent's own link: the token is in the path
		}
		var body any
		if a.method != "GET" {
			body = map[string]any{}
		}
		r := e.Do(a.method, a.path, tok, body)
		if r.Status != a.status {
			t.Errorf("%s %s %s: status %d, want %d: %.200s", a.who, a.method, a.path, r.Status, a.status, r.Body)
		}
		got := r.Body
		if a.who == "board" || a.who == "candidate" {
			// The measure is the agreed condition the summary shares; it
			// names the foundation, whose answer behind it stays secret.
			got = bytes.ReplaceAll(bytes.ReplaceAll(got, []byte(dwMeasure), nil), []byte(html.EscapeString(dwMeasure)), nil)
		}
		dwNoneOf(t, a.who+" "+a.method+" "+a.path, got, secrets[a.who])
	}
	// The candidate sees who was asked and that they answered.
	mine := e.Must(200, "GET", v1+"/me/references", cand, nil)
	if !bytes.Contains(mine.Body, []byte(dwRef1)) || !bytes.Contains(mine.Body, []byte(dwRef2)) {
		t.Errorf("the candidate does not see who was asked: %s", mine.Body)
	}

	// ---- Every read is in the access log, by the right role.
	type ev struct {
		ActorName string `json:"actor_name"`
		ActorRole string `json:"actor_role"`
		Action    string `json:"action"`
	}
	var log []ev
	e.Must(200, "GET", file+"/audit", c1, nil).JSON(t, &log)
	seen := map[string]int{}
	for _, x := range log {
		seen[x.Action+" "+x.ActorRole]++
		seen[x.Action+" "+x.ActorRole+" "+x.ActorName]++
	}
	for _, want := range []string{
		"profile.read commissie Carla Commissie", "answers.read commissie Carla Commissie", "sources.read commissie Carla Commissie",
		"references.read commissie Carla Commissie", "interview.read commissie Carla Commissie", "report.read commissie Carla Commissie",
		"summary.read commissie Carla Commissie",
		"profile.read commissie Cees Commissie", "sources.read commissie Cees Commissie", "references.read commissie Cees Commissie",
		"interview.read commissie Cees Commissie", "decision.read commissie Cees Commissie",
		"summary.read bestuur Bert Bestuur",
		"audit.read commissie Cees Commissie",
		"export.read kandidaat",
		"sources.create commissie Cees Commissie", "references.request commissie Cees Commissie", "references.name kandidaat",
		"references.send commissie Cees Commissie", "references.answer referent",
		"interview.update commissie Cees Commissie", "decision.propose commissie Cees Commissie", "decision.confirm commissie Carla Commissie",
		"summary.consent kandidaat",
	} {
		if seen[want] == 0 {
			t.Errorf("the access log lacks %q", want)
		}
	}
	if n := seen["references.answer referent"]; n != 2 {
		t.Errorf("the access log holds %d referent answers, want 2", n)
	}
	if t.Failed() {
		var all []string
		for k := range seen {
			all = append(all, k)
		}
		t.Logf("access log entries: %q", all)
	}
	// The board's refused reads read nothing, so they log nothing of the file.
	for _, x := range log {
		if x.ActorRole == "bestuur" && x.Action != "summary.read" && strings.HasSuffix(x.Action, ".read") {
			t.Errorf("the log holds a board read %q: the board read more than the summary", x.Action)
		}
	}
}

// dwNoneOf fails when body holds one of the values (as is, HTML-escaped or
// JSON-escaped).
func dwNoneOf(t *testing.T, what string, body []byte, values []string) {
	t.Helper()
	for _, v := range values {
		for _, form := range []string{v, html.EscapeString(v), strings.ReplaceAll(v, "&", `\u0026`)} {
			if bytes.Contains(body, []byte(form)) {
				t.Errorf("%s shows the confidential %q", what, v)
				break
			}
		}
	}
}
