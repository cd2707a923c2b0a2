package api_test

import (
	"bytes"
	"html"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/testenv"
	"github.com/weerbaar/weerbaar/pdf"
)

// Issue 13, part 4: the committee's advice report and the summary for the
// board, with the candidate's consent.

// Confidential values the fixture's file gets in reportFile; none may
// reach the board.
const (
	secretReasons  = "Redenen-geheim: de commissie twijfelt over zijn zakelijke relaties"
	secretNote     = "Notitie-geheim: gesprek met de wethouder gehad"
	secretHearing  = "Hoorzitting-geheim: licht uw relatie met de vastgoedhandel toe"
	secretReply    = "Reactie-geheim: mijn zwager zit in het bestuur van die stichting"
	openConditions = "Legt de functie bij de stichting neer vóór de installatie."
)

// reportFile works the profiled file through to a confirmed advice with
// conditions: a note, a hearing with a reply, a proposal and its
// confirmation. It returns the flag findings of the profile.
func reportFile(t *testing.T, f *fixture, cid string, release bool) []string {
	t.Helper()
	e, com := f.e, f.tok["committee"]
	prof := e.Must(200, "GET", v1+"/candidates/"+cid+"/profile", com, nil).Map(t)
	var findings, rules []string
	for _, fl := range prof["flags"].([]any) {
		m := fl.(map[string]any)
		findings = append(findings, m["finding"].(string))
		rules = append(rules, m["rule"].(string))
	}
	if len(rules) == 0 {
		t.Fatal("the sample answers raise no flags")
	}
	e.Must(201, "POST", v1+"/candidates/"+cid+"/notes", com, map[string]string{"body": secretNote})
	e.Must(201, "POST", v1+"/candidates/"+cid+"/hearing", com, map[string]any{"flags": rules[:1], "message": secretHearing})
	if cid == f.profiled {
		e.Must(200, "POST", v1+"/me/hearing", f.tok["candidate"], map[string]string{"reply": secretReply})
	}
	e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", com, map[string]any{"outcome": "positief_met_voorwaarden",
		"reasons": secretReasons, "conditions": openConditions, "release_to_board": release, "release_conditions": release})
	e.Must(200, "POST", v1+"/candidates/"+cid+"/decision/confirm", f.tok["committee2"], nil)
	return findings
}

// noSecrets fails when a confidential value of the file shows in body.
func noSecrets(t *testing.T, what string, body []byte, findings []string) {
	t.Helper()
	for _, s := range append([]string{secretReasons, secretNote, secretHearing, secretReply}, findings...) {
		for _, form := range []string{s, html.EscapeString(s)} {
			if bytes.Contains(body, []byte(form)) {
				t.Errorf("%s shows a confidential value %q", what, s)
			}
		}
	}
	for _, key := range []string{`"flags"`, `"level"`, `"profile"`, `"answers"`, `"reasons"`, `"notes"`, `"hearings"`, `"excerpts"`} {
		if bytes.Contains(body, []byte(key)) {
			t.Errorf("%s has a field %s", what, key)
		}
	}
}

// postForm posts a page form (a Bearer session needs no CSRF token).
func postForm(t *testing.T, e *apptest.Env, path, token string, form url.Values) apptest.Response {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := e.Sys.App.Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return apptest.Response{Status: resp.StatusCode, Body: b.Bytes(), Header: resp.Header}
}

// TestSummaryOnlyWithConsentAndRelease: the board reads the summary only
// when the advice is confirmed and released and the candidate consented,
// never a confidential value, and not after the consent is withdrawn.
func TestSummaryOnlyWithConsentAndRelease(t *testing.T) {
	f := newFixture(t)
	e, board, cand := f.e, f.tok["board"], f.tok["candidate"]
	summary := v1 + "/candidates/" + f.profiled + "/summary"
	page := "/bestuur/kandidaten/" + f.profiled + "/samenvatting"

	// Before the advice: nothing, for the board and the candidate.
	if code, _ := errCode(t, e.Must(404, "GET", summary, board, nil)); code != "geen_samenvatting" {
		t.Fatalf("code %s", code)
	}
	e.Must(404, "GET", v1+"/me/summary", cand, nil)
	if code, _ := errCode(t, e.Must(409, "POST", v1+"/me/summary/consent", cand, map[string]string{"version": "x"})); code != "geen_samenvatting" {
		t.Fatalf("consent without advice: %s", code)
	}

	findings := reportFile(t, f, f.profiled, true)

	// Confirmed and released, but no consent yet.
	e.Must(404, "GET", summary, board, nil)
	r := e.Must(200, "GET", page, board, nil)
	if !bytes.Contains(r.Body, []byte("Er is nog geen samenvatting")) {
		t.Fatalf("board page without consent: %s", r.Body)
	}
	noSecrets(t, "the board's page without consent", r.Body, findings)

	// The candidate reads the summary; a consent to another version is refused.
	mine := e.Must(200, "GET", v1+"/me/summary", cand, nil)
	noSecrets(t, "the candidate's summary", mine.Body, findings)
	var cs struct {
		Version string `json:"version"`
		Summary struct {
			Outcome  string `json:"outcome"`
			Measures string `json:"measures"`
			Checks   struct {
				Questionnaire bool   `json:"questionnaire"`
				VOG           string `json:"vog"`
			} `json:"checks"`
		} `json:"summary"`
		Released bool `json:"released"`
	}
	mine.JSON(t, &cs)
	if cs.Summary.Outcome != "positief_met_voorwaarden" || cs.Summary.Measures != openConditions || !cs.Summary.Checks.Questionnaire ||
		cs.Summary.Checks.VOG != "niet_aangevraagd" || !cs.Released {
		t.Fatalf("summary %s", mine.Body)
	}
	if code, _ := errCode(t, e.Must(409, "POST", v1+"/me/summary/consent", cand, map[string]string{"version": "0123456789abcdef"})); code != "samenvatting_gewijzigd" {
		t.Fatalf("code %s", code)
	}
	e.Must(422, "POST", v1+"/me/summary/consent", cand, map[string]string{})
	e.Must(200, "POST", v1+"/me/summary/consent", cand, map[string]string{"version": cs.Version})

	// Now the board reads it: the outcome and the measures, nothing else.
	r = e.Must(200, "GET", summary, board, nil)
	noSecrets(t, "the board's summary", r.Body, findings)
	got := r.Map(t)
	if got["outcome"] != "positief_met_voorwaarden" || got["measures"] != openConditions || got["available_to_board"] != true {
		t.Fatalf("board summary %s", r.Body)
	}
	r = e.Must(200, "GET", page, board, nil)
	noSecrets(t, "the board's summary page", r.Body, findings)
	for _, want := range []string{"positief met voorwaarden", html.EscapeString(openConditions), "Vragenlijst (weerbaarheidsscan) ingevuld en ingediend"} {
		if !bytes.Contains(r.Body, []byte(want)) {
			t.Errorf("board page lacks %q", want)
		}
	}
	// No Chromium in this system: the PDF says so.
	r = e.Must(503, "GET", page+".pdf", board, nil)
	if !bytes.Contains(r.Body, []byte("De PDF kan op deze server niet worden gemaakt")) {
		t.Fatalf("PDF without Chromium: %s", r.Body)
	}

	// The board's reads are in the access log, and so is the consent.
	log := e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/audit", f.tok["committee"], nil)
	for _, want := range []string{`"summary.consent"`, `"summary.read"`} {
		if !bytes.Contains(log.Body, []byte(want)) {
			t.Errorf("access log lacks %s", want)
		}
	}

	// The candidate withdraws on the page: the board reads nothing again.
	r = postForm(t, e, "/scan/samenvatting/intrekken", cand, url.Values{})
	if r.Status != 303 {
		t.Fatalf("withdraw: %d %s", r.Status, r.Body)
	}
	e.Must(404, "GET", summary, board, nil)
	if !bytes.Contains(e.Must(200, "GET", page, board, nil).Body, []byte("Er is nog geen samenvatting")) {
		t.Fatal("the board's page still shows the summary after the withdrawal")
	}
	// The committee still sees what the summary would be.
	com := e.Must(200, "GET", summary, f.tok["committee"], nil).Map(t)
	if com["available_to_board"] != false || com["consent_at"] != nil {
		t.Fatalf("committee's summary after withdrawal: %v", com)
	}
	if !bytes.Contains(e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/audit", f.tok["committee"], nil).Body, []byte(`"summary.withdraw"`)) {
		t.Error("the withdrawal is not in the access log")
	}

	// Consent on the page: a form without the tick is refused, with it the board reads again.
	r = postForm(t, e, "/scan/samenvatting/toestemming", cand, url.Values{"versie": {cs.Version}})
	if r.Status != 422 || !bytes.Contains(r.Body, []byte("Er is een probleem")) {
		t.Fatalf("consent without the tick: %d", r.Status)
	}
	if r = postForm(t, e, "/scan/samenvatting/toestemming", cand, url.Values{"versie": {cs.Version}, "akkoord": {"ja"}}); r.Status != 303 {
		t.Fatalf("consent on the page: %d %s", r.Status, r.Body)
	}
	e.Must(200, "GET", summary, board, nil)
	p := e.Must(200, "GET", "/scan/samenvatting", cand, nil)
	if !bytes.Contains(p.Body, []byte("Toestemming intrekken")) {
		t.Fatal("the candidate's page does not offer to withdraw")
	}
	if !bytes.Contains(e.Must(200, "GET", "/scan", cand, nil).Body, []byte(`href="/scan/samenvatting"`)) {
		t.Error("/scan does not link to the summary")
	}
}

// TestSummaryNotReleased: without release to the board, a consent shows
// the board nothing, and the candidate is told so.
func TestSummaryNotReleased(t *testing.T) {
	f := newFixture(t)
	e := f.e
	findings := reportFile(t, f, f.profiled, false)
	cs := e.Must(200, "GET", v1+"/me/summary", f.tok["candidate"], nil).Map(t)
	if cs["released"] != false || cs["summary"].(map[string]any)["measures_shared"] != false {
		t.Fatalf("summary %v", cs)
	}
	if _, ok := cs["summary"].(map[string]any)["measures"]; ok {
		t.Fatal("unreleased conditions in the summary")
	}
	e.Must(200, "POST", v1+"/me/summary/consent", f.tok["candidate"], map[string]any{"version": cs["version"]})
	e.Must(404, "GET", v1+"/candidates/"+f.profiled+"/summary", f.tok["board"], nil)
	r := e.Must(200, "GET", "/bestuur/kandidaten/"+f.profiled+"/samenvatting", f.tok["board"], nil)
	noSecrets(t, "the board's page", r.Body, findings)
	if bytes.Contains(r.Body, []byte(html.EscapeString(openConditions))) {
		t.Fatal("unreleased conditions on the board's page")
	}
	if !bytes.Contains(e.Must(200, "GET", "/scan/samenvatting", f.tok["candidate"], nil).Body, []byte("deelt dit advies niet met het bestuur")) {
		t.Error("the candidate is not told that the board reads nothing")
	}
}

// TestReportContent: the committee's report holds the whole file, and
// every read is logged.
func TestReportContent(t *testing.T) {
	f := newFixture(t)
	e, com := f.e, f.tok["committee"]
	findings := reportFile(t, f, f.profiled, true)
	r := e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/report", com, nil)
	for _, want := range append([]string{secretReasons, secretHearing, secretReply, `"confirmed_by":"committee2"`, `"proposed_by":"committee"`,
		`"party":"Partij A"`, `"domain":"nevenfuncties"`, `"sources":[]`, `"references":[]`, `"interview":null`}, findings[0]) {
		if !bytes.Contains(r.Body, []byte(want)) && !bytes.Contains(r.Body, []byte(strings.ReplaceAll(want, `"`, `\"`))) {
			t.Errorf("report lacks %s", want)
		}
	}
	if bytes.Contains(r.Body, []byte(secretNote)) {
		t.Error("the report holds the committee's working notes")
	}
	p := e.Must(200, "GET", "/commissie/kandidaten/"+f.profiled+"/rapport", com, nil)
	for _, want := range []string{"Vertrouwelijk — alleen voor de selectiecommissie", "Adviesrapport: Piet", html.EscapeString(secretReasons),
		html.EscapeString(secretReply), html.EscapeString(findings[0]), "committee2", "De PDF kan op deze server niet worden gemaakt"} {
		if !bytes.Contains(p.Body, []byte(want)) {
			t.Errorf("report page lacks %q", want)
		}
	}
	for _, hidden := range []string{"Onderzoek in open bronnen", "rapport-referenties", "rapport-gesprek"} {
		if bytes.Contains(p.Body, []byte(hidden)) {
			t.Errorf("report page shows the empty section %q", hidden)
		}
	}
	// Without Chromium, both PDFs answer 503 with the message.
	r = e.Must(503, "GET", v1+"/candidates/"+f.profiled+"/report.pdf", com, nil)
	if code, _ := errCode(t, r); code != "pdf_niet_beschikbaar" || !bytes.Contains(r.Body, []byte(api.PDFUnavailableMessage)) {
		t.Fatalf("report.pdf without Chromium: %s", r.Body)
	}
	e.Must(503, "GET", "/commissie/kandidaten/"+f.profiled+"/rapport.pdf", com, nil)

	var log []struct {
		Action string `json:"action"`
	}
	e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/audit", com, nil).JSON(t, &log)
	n := 0
	for _, ev := range log {
		if ev.Action == "report.read" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d report.read events, want 2 (API and page; a PDF that was not made read nothing)", n)
	}
}

// TestReportAccess: the report is the committee's; the summary is the
// board's and the committee's; another party, a recused member and the
// candidates read neither.
func TestReportAccess(t *testing.T) {
	f := newFixture(t)
	e := f.e
	reportFile(t, f, f.profiled, true)
	cs := e.Must(200, "GET", v1+"/me/summary", f.tok["candidate"], nil).Map(t)
	e.Must(200, "POST", v1+"/me/summary/consent", f.tok["candidate"], map[string]any{"version": cs["version"]})
	e.AddMember(f.tok["admin"], f.pid, map[string]any{"email": "recused@test.nl", "name": "Ria Recused", "role": "commissie", "password": "wachtwoord-van-test-1"})
	f.tok["recusedCommittee"] = e.Login("recused@test.nl", "wachtwoord-van-test-1")
	e.Must(201, "POST", v1+"/candidates/"+f.profiled+"/recusal", f.tok["recusedCommittee"], map[string]string{"reason": "Familie"})

	c := "/candidates/" + f.profiled
	tests := []struct {
		path string
		want map[string]int // principal → status
	}{
		{v1 + c + "/report", map[string]int{"committee": 200, "board": 403, "recusedCommittee": 404, "otherCommittee": 404, "otherBoard": 404, "candidate": 404, "otherCandidate": 404, "admin": 404}},
		{v1 + c + "/report.pdf", map[string]int{"committee": 503, "board": 403, "recusedCommittee": 404, "otherCommittee": 404, "candidate": 404, "admin": 404}},
		{v1 + c + "/summary", map[string]int{"board": 200, "committee": 200, "recusedCommittee": 404, "otherBoard": 404, "otherCommittee": 404, "candidate": 404, "otherCandidate": 404, "admin": 404}},
		{"/commissie/kandidaten/" + f.profiled + "/rapport", map[string]int{"committee": 200, "board": 403, "recusedCommittee": 404, "otherCommittee": 404, "candidate": 404}},
		{"/bestuur/kandidaten/" + f.profiled + "/samenvatting", map[string]int{"board": 200, "committee": 403, "otherBoard": 404, "candidate": 404, "otherCandidate": 404}},
		{v1 + "/me/summary", map[string]int{"candidate": 200, "otherCandidate": 404, "board": 403, "committee": 403}},
	}
	for _, tc := range tests {
		for who, want := range tc.want {
			t.Run(tc.path+" as "+who, func(t *testing.T) {
				if r := e.Do("GET", tc.path, f.tok[who], nil); r.Status != want {
					t.Fatalf("status %d, want %d: %.200s", r.Status, want, r.Body)
				}
			})
		}
	}
	// The other candidate's summary endpoint is their own (no advice: 404),
	// never Piet's.
	if r := e.Do("GET", v1+"/me/summary", f.tok["otherCandidate"], nil); bytes.Contains(r.Body, []byte("Piet")) {
		t.Fatal("another candidate reads Piet's summary")
	}
}

// TestReportPDF: with Chromium, the report and the summary are real PDFs.
func TestReportPDF(t *testing.T) {
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = pdf.DefaultChromium
	}
	if !pdf.Executable(path) {
		testenv.Skip(t, "Chromium ("+path+")", "install it (apt-get install chromium) or point $CHROMIUM at a Chrome/Chromium binary")
	}
	f := newFixture(t, apptest.WithChromium(path))
	e := f.e
	reportFile(t, f, f.profiled, true)
	cs := e.Must(200, "GET", v1+"/me/summary", f.tok["candidate"], nil).Map(t)
	e.Must(200, "POST", v1+"/me/summary/consent", f.tok["candidate"], map[string]any{"version": cs["version"]})
	for _, tc := range []struct{ path, token string }{
		{v1 + "/candidates/" + f.profiled + "/report.pdf", f.tok["committee"]},
		{"/commissie/kandidaten/" + f.profiled + "/rapport.pdf", f.tok["committee"]},
		{"/bestuur/kandidaten/" + f.profiled + "/samenvatting.pdf", f.tok["board"]},
	} {
		start := time.Now()
		r := e.Must(200, "GET", tc.path, tc.token, nil)
		if !bytes.HasPrefix(r.Body, []byte("%PDF-")) || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("%s: not a PDF (%s): %.40q", tc.path, r.Header.Get("Content-Type"), r.Body)
		}
		t.Logf("%s: %d bytes in %v", tc.path, len(r.Body), time.Since(start).Round(time.Millisecond))
	}
	if !bytes.Contains(e.Must(200, "GET", "/commissie/kandidaten/"+f.profiled+"/rapport", f.tok["committee"], nil).Body, []byte("Download als PDF")) {
		t.Error("the report page does not offer the PDF")
	}
	// No summary for the other candidate: the PDF route sends the board to the page that says so.
	if r := e.Do("GET", "/bestuur/kandidaten/"+f.progress+"/samenvatting.pdf", f.tok["board"], nil); r.Status != 303 {
		t.Fatalf("summary PDF without a summary: %d", r.Status)
	}
}
