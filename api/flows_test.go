package api_test

// Regression tests of issue 11, candidate file flows: each is named after
// its finding and failed on the code before the fix.

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/api/web"
	"github.com/weerbaar/weerbaar/internal/sample"
)

const testPW = "wachtwoord-van-test-1"

// addCommittee adds a committee member to party A and logs them in.
func (f *fixture) addCommittee(t *testing.T, email, name string) string {
	t.Helper()
	f.e.AddMember(f.tok["admin"], f.pid, map[string]any{"email": email, "name": name, "role": "commissie", "password": testPW})
	return f.e.Login(email, testPW)
}

// decidePositive gives a file a confirmed, released positive advice.
func (f *fixture) decidePositive(t *testing.T, cid string) {
	t.Helper()
	f.e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", f.tok["committee"], map[string]any{"outcome": "positief", "reasons": "In orde.", "release_to_board": true})
	f.e.Must(200, "POST", v1+"/candidates/"+cid+"/decision/confirm", f.tok["committee2"], nil)
}

// rescreenPiet decides Piet's file and re-screens him; it returns the new file.
func (f *fixture) rescreenPiet(t *testing.T) (newRound, newFile string) {
	t.Helper()
	f.decidePositive(t, f.profiled)
	deadline := time.Now().Add(90 * 24 * time.Hour).Format("2006-01-02")
	res := f.e.Must(201, "POST", v1+"/rounds/"+f.rid+"/rescreen", f.tok["board"], map[string]any{"name": "Herhaalscan", "deadline": deadline, "candidates": []string{f.profiled}}).Map(t)
	return res["round"].(map[string]any)["id"].(string), res["candidates"].([]any)[0].(map[string]any)["id"].(string)
}

// committeeCandidateRoutes are the JSON and page routes that take a candidate id.
func committeeCandidateRoutes(t *testing.T, f *fixture) []api.Route {
	t.Helper()
	var out []api.Route
	for _, rt := range append(handlerRoutes(f), pageRoutes(t, f)...) {
		if rt.Access == api.CandidateScope && slices.Contains(rt.Roles, "commissie") {
			out = append(out, rt)
		}
	}
	return out
}

// TestLeak_RecusalAcrossLinkedFiles: a recusal holds for the person across
// every linked file (previous_id chain, both ways), whenever it is made.
func TestLeak_RecusalAcrossLinkedFiles(t *testing.T) {
	f := newFixture(t)
	e := f.e
	// Bo shares Piet's organisations, so Bo's file names Piet in overlaps.
	bo := f.progressToProfiled(t)
	oldRound, oldFile := f.rid, f.profiled
	newRound, newFile := f.rescreenPiet(t)
	onNew := f.addCommittee(t, "c3@test.nl", "Cas")  // recuses on the herhaalscan
	onOld := f.addCommittee(t, "c4@test.nl", "Dirk") // recuses on the earlier file
	e.Must(201, "POST", v1+"/candidates/"+newFile+"/recusal", onNew, map[string]string{"reason": "Zwager"})
	e.Must(201, "POST", v1+"/candidates/"+oldFile+"/recusal", onOld, map[string]string{"reason": "Buurman"})

	routes := committeeCandidateRoutes(t, f)
	for _, tc := range []struct {
		name, tok, hidden string
	}{
		{"recused on the new file, the old one is gone", onNew, oldFile},
		{"recused on the old file, the new one is gone", onOld, newFile},
		{"recused on the new file, the new one is gone", onNew, newFile},
		{"recused on the old file, the old one is gone", onOld, oldFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := e.With(t)
			for _, rt := range routes {
				path := strings.NewReplacer(":cid", tc.hidden).Replace(rt.Path)
				if r := e.Do(rt.Method, path, tc.tok, "{}"); r.Status != 404 {
					t.Errorf("%s %s: %d, want 404", rt.Method, rt.Path, r.Status)
				}
			}
			for _, rid := range []string{oldRound, newRound} {
				for _, p := range []string{v1 + "/rounds/" + rid + "/candidates", v1 + "/rounds/" + rid + "/network", v1 + "/rounds/" + rid + "/network?formaat=svg",
					"/commissie/ronde/" + rid, "/commissie/ronde/" + rid + "/kaart.svg", "/commissie/partij/" + f.pid} {
					if r := e.Must(200, "GET", p, tc.tok, nil); strings.Contains(string(r.Body), tc.hidden) || strings.Contains(string(r.Body), "Piet") {
						t.Errorf("GET %s names the person the member stepped aside from", p)
					}
				}
			}
			// Bo's file shares organisations with Piet: the overlaps must not name him.
			for _, p := range []string{v1 + "/candidates/" + bo + "/profile", v1 + "/candidates/" + bo + "/network", "/commissie/kandidaten/" + bo, "/commissie/kandidaten/" + bo + "/leidraad"} {
				if r := e.Must(200, "GET", p, tc.tok, nil); strings.Contains(string(r.Body), "Piet") {
					t.Errorf("GET %s names Piet in the overlaps", p)
				}
			}
		})
	}
	// A member who did not step aside still sees Piet in Bo's overlaps.
	if r := e.Must(200, "GET", v1+"/candidates/"+bo+"/network", f.tok["committee"], nil); !strings.Contains(string(r.Body), "Piet") {
		t.Fatalf("test premise: Bo's network should name Piet: %s", r.Body)
	}
}

// boardSnapshot is everything the board sees of a candidate and its round.
func (f *fixture) boardSnapshot(t *testing.T, cid string) map[string]string {
	t.Helper()
	b := f.tok["board"]
	out := map[string]string{}
	for _, p := range []string{v1 + "/candidates/" + cid, v1 + "/rounds/" + f.rid + "/candidates", v1 + "/rounds/" + f.rid + "/overview",
		v1 + "/parties/" + f.pid + "/rounds", "/bestuur/kandidaten/" + cid, "/bestuur/ronde/" + f.rid, "/bestuur/partij/" + f.pid} {
		// The session's own clock (idle warning, issue 15) moves with every
		// request; it says nothing about the file.
		out[p] = sessionClock.ReplaceAllString(string(f.e.Must(200, "GET", p, b, nil).Body), "")
	}
	return out
}

var sessionClock = regexp.MustCompile(` data-session-idle-(?:end|left)="[^"]*"`)

// TestLeak_BoardLearnsHearingOpened: the board's view (JSON and pages) does
// not change on any committee-only act. A reopen changes the workflow
// status, and only that.
func TestLeak_BoardLearnsHearingOpened(t *testing.T) {
	f := newFixture(t)
	e, c1, cid := f.e, f.tok["committee"], f.profiled
	acts := []struct {
		name   string
		act    func(t *testing.T)
		reopen bool
	}{
		{"vog", func(t *testing.T) {
			e.Must(200, "PUT", v1+"/candidates/"+cid+"/vog", c1, map[string]string{"status": "aangevraagd", "requested_on": time.Now().Format("2006-01-02")})
		}, false},
		{"note", func(t *testing.T) {
			e.Must(201, "POST", v1+"/candidates/"+cid+"/notes", c1, map[string]string{"body": "Notitie"})
		}, false},
		{"hearing", func(t *testing.T) {
			e.Must(201, "POST", v1+"/candidates/"+cid+"/hearing", c1, map[string]any{"flags": []string{"bedreigd"}, "message": "Wilt u reageren?"})
			e.WaitMail("piet@test.nl", "Vragen van de selectiecommissie") // the notice is sent
		}, false},
		{"hearing reply", func(t *testing.T) {
			e.Must(200, "POST", v1+"/me/hearing", f.tok["candidate"], map[string]string{"reply": "Dat klopt."})
		}, false},
		{"proposal", func(t *testing.T) {
			e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", c1, map[string]any{"outcome": "negatief", "reasons": "Nee.", "release_to_board": true})
		}, false},
		{"proposal rejected", func(t *testing.T) {
			e.Must(204, "POST", v1+"/candidates/"+cid+"/decision/reject", f.tok["committee2"], nil)
		}, false},
		{"reopen", func(t *testing.T) {
			e.Must(200, "POST", v1+"/candidates/"+cid+"/reopen", c1, map[string]string{"message": "GEHEIM-TERUGSTUURBERICHT"})
			e.WaitMail("piet@test.nl", "teruggestuurd") // the notice with its own link is sent
		}, true},
	}
	for _, a := range acts {
		t.Run(a.name, func(t *testing.T) {
			before := f.boardSnapshot(t, cid)
			a.act(t)
			after := f.boardSnapshot(t, cid)
			for p, b := range before {
				got := after[p]
				if a.reopen {
					// The status moves (and with it counts and buttons);
					// nothing else about the reopen may show.
					if strings.Contains(got, "GEHEIM-TERUGSTUURBERICHT") {
						t.Errorf("%s shows the reopen message", p)
					}
					if p != v1+"/candidates/"+cid {
						continue
					}
					var bm, am map[string]any
					mustUnmarshal(t, b, &bm)
					mustUnmarshal(t, got, &am)
					if am["status"] != "in_progress" {
						t.Errorf("status after reopen: %v", am["status"])
					}
					delete(bm, "status")
					delete(am, "status")
					if diff := cmp.Diff(bm, am); diff != "" {
						t.Errorf("board's %s changed after reopen beyond its status (-before +after):\n%s", p, diff)
					}
					continue
				}
				if diff := cmp.Diff(b, got); diff != "" {
					t.Errorf("board's %s changed after %s (-before +after):\n%s", p, a.name, diff)
				}
			}
		})
	}
}

var linkToken = regexp.MustCompile(`/uitnodiging/([A-Za-z0-9_-]{43})`)

// newestLink waits for the newest mail to addr with subject and returns its link token.
func newestLink(t *testing.T, f *fixture, addr, subject string) string {
	t.Helper()
	m := f.e.WaitMail(addr, subject)
	ms := f.e.Mails()
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].ToAddr == addr && strings.Contains(ms[i].Subject, subject) {
			m = ms[i]
			break
		}
	}
	tok := linkToken.FindStringSubmatch(m.BodyText)
	if tok == nil {
		t.Fatalf("mail %q has no link", m.Subject)
	}
	return tok[1]
}

// TestLeak_LinksOfSubmittedFilesNeverExpire: an invitation link dies when
// the file is submitted, every link dies on expiry in every state, a
// hearing notice carries its own link, and a candidate asks for a new
// short-lived link by e-mail address (same answer for unknown addresses).
func TestLeak_LinksOfSubmittedFilesNeverExpire(t *testing.T) {
	f := newFixture(t)
	e, c1 := f.e, f.tok["committee"]
	invitation := e.InvitationToken("piet@test.nl") // the link Piet submitted with

	t.Run("invitation link dies on submit", func(t *testing.T) {
		r := e.Do("POST", v1+"/invitations/"+invitation+"/accept", "", nil)
		if r.Status != 410 {
			t.Fatalf("old invitation link after submit: %d, want 410: %s", r.Status, r.Body)
		}
		if r := e.Do("POST", "/uitnodiging/"+invitation, "", nil); r.Status == 303 && r.Header.Get("Location") == "/scan" {
			t.Fatal("the invitation page opened a session after submit")
		}
	})

	t.Run("hearing link expires with the reply window", func(t *testing.T) {
		e := e.With(t)
		e.Must(201, "POST", v1+"/candidates/"+f.profiled+"/hearing", c1, map[string]any{"flags": []string{"bedreigd"}, "message": "Reactie?"})
		tok := newestLink(t, f, "piet@test.nl", "Vragen van de selectiecommissie")
		e.Must(201, "POST", v1+"/invitations/"+tok+"/accept", "", nil)
		f.clock.Advance(8 * 24 * time.Hour)
		defer f.clock.Advance(-8 * 24 * time.Hour)
		if r := e.Do("POST", v1+"/invitations/"+tok+"/accept", "", nil); r.Status != 410 {
			t.Fatalf("hearing link after the reply window: %d, want 410", r.Status)
		}
	})

	t.Run("new link by e-mail address", func(t *testing.T) {
		e := e.With(t)
		known := e.Must(202, "POST", v1+"/links", "", map[string]string{"email": "Piet@Test.nl"})
		unknown := e.Must(202, "POST", v1+"/links", "", map[string]string{"email": "niemand@test.nl"})
		if string(known.Body) != string(unknown.Body) {
			t.Fatalf("known and unknown addresses answer differently: %s / %s", known.Body, unknown.Body)
		}
		tok := newestLink(t, f, "piet@test.nl", "Nieuwe link")
		for _, m := range e.Mails() {
			if m.ToAddr == "niemand@test.nl" {
				t.Fatal("a mail went to an unknown address")
			}
		}
		sess := e.Must(201, "POST", v1+"/invitations/"+tok+"/accept", "", nil).Map(t)
		if sess["candidate"].(map[string]any)["id"] != f.profiled {
			t.Fatalf("the new link opens another file: %v", sess)
		}
		e.Must(200, "GET", v1+"/me/export", sess["token"].(string), nil)
		f.clock.Advance(2 * time.Hour)
		defer f.clock.Advance(-2 * time.Hour)
		if r := e.Do("POST", v1+"/invitations/"+tok+"/accept", "", nil); r.Status != 410 {
			t.Fatalf("new link after its lifetime: %d, want 410", r.Status)
		}
	})

	t.Run("reopen notice carries a link of its own", func(t *testing.T) {
		e := e.With(t)
		e.Must(200, "POST", v1+"/candidates/"+f.profiled+"/reopen", c1, map[string]string{"message": "Kijkt u N5 nog eens na?"})
		tok := newestLink(t, f, "piet@test.nl", "teruggestuurd")
		sess := e.Must(201, "POST", v1+"/invitations/"+tok+"/accept", "", nil).Map(t)["token"].(string)
		e.Must(200, "PATCH", v1+"/me/answers", sess, map[string]any{"answers": map[string]any{"N5": "Aangepast."}})
		if r := e.Do("POST", v1+"/invitations/"+invitation+"/accept", "", nil); r.Status != 410 {
			t.Fatalf("the old invitation link came back with the reopen: %d", r.Status)
		}
	})

	t.Run("page", func(t *testing.T) {
		if r := e.Do("GET", "/link-aanvragen", "", nil); r.Status != 200 || !strings.Contains(string(r.Body), "<h1>") {
			t.Fatalf("GET /link-aanvragen: %d", r.Status)
		}
	})
}

// TestLeak_RescreenOfWithdrawnCandidate: only candidates with consent and a
// confirmed decision are carried over; the new file's answers are not
// readable by the committee before the candidate consents and submits.
func TestLeak_RescreenOfWithdrawnCandidate(t *testing.T) {
	f := newFixture(t)
	e, board := f.e, f.tok["board"]
	e.Must(200, "PATCH", v1+"/me/answers", f.tok["otherCandidate"], map[string]any{"answers": map[string]any{"N5": "GEHEIM-TERUGGETROKKEN"}})
	e.Must(200, "POST", v1+"/me/withdraw", f.tok["otherCandidate"], nil)
	e.Must(200, "POST", v1+"/candidates/"+f.invited+"/revoke", board, nil)
	deadline := time.Now().Add(90 * 24 * time.Hour).Format("2006-01-02")
	for name, ids := range map[string][]string{
		"withdrawn": {f.progress}, "revoked": {f.invited}, "profiled, not decided": {f.profiled},
	} {
		t.Run(name, func(t *testing.T) {
			r := f.e.With(t).Do("POST", v1+"/rounds/"+f.rid+"/rescreen", board, map[string]any{"name": "H", "deadline": deadline, "candidates": ids})
			if r.Status != 422 {
				t.Fatalf("rescreen of a %s candidate: %d, want 422: %s", name, r.Status, r.Body)
			}
		})
	}
	_, newFile := f.rescreenPiet(t)
	r := e.Do("GET", v1+"/candidates/"+newFile+"/answers", f.tok["committee"], nil)
	if r.Status == 200 && strings.Contains(string(r.Body), "sportstichting") {
		t.Fatalf("prefilled answers readable before the candidate accepted and consented: %s", r.Body)
	}
	if p := e.Do("GET", "/commissie/kandidaten/"+newFile+"/antwoorden", f.tok["committee"], nil); strings.Contains(string(p.Body), "sportstichting") {
		t.Fatal("the answers page shows the prefilled answers")
	}
}

// TestLeak_DraftsAndHiddenAnswersServed: the committee sees the last
// submitted version only, without answers hidden by show_if.
func TestLeak_DraftsAndHiddenAnswersServed(t *testing.T) {
	f := newFixture(t)
	e, c1 := f.e, f.tok["committee"]
	ans := sample.Flagged()
	ans["F4_toelichting"] = "GEHEIM-VERBORGEN" // F4 is false: the question is hidden
	e.Must(200, "PATCH", v1+"/me/answers", f.tok["otherCandidate"], map[string]any{"answers": ans})
	e.Must(200, "POST", v1+"/me/submit", f.tok["otherCandidate"], nil)
	f.waitStatus(t, f.progress, "profiled")
	views := func(cid string) []string {
		return []string{v1 + "/candidates/" + cid + "/answers", v1 + "/candidates/" + cid + "/profile", v1 + "/candidates/" + cid + "/history",
			"/commissie/kandidaten/" + cid, "/commissie/kandidaten/" + cid + "/antwoorden", "/commissie/kandidaten/" + cid + "/geschiedenis", "/commissie/kandidaten/" + cid + "/leidraad"}
	}
	for _, p := range views(f.progress) {
		if r := e.Do("GET", p, c1, nil); strings.Contains(string(r.Body), "GEHEIM-VERBORGEN") {
			t.Errorf("GET %s serves an answer hidden by show_if", p)
		}
	}

	// Reopened: the candidate's drafts stay with the candidate.
	e.Must(200, "POST", v1+"/candidates/"+f.profiled+"/reopen", c1, map[string]string{"message": "Kijkt u N5 nog eens na?"})
	e.Must(200, "PATCH", v1+"/me/answers", f.tok["candidate"], map[string]any{"answers": map[string]any{"N5": "GEHEIM-CONCEPT"}})
	got := e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/answers", c1, nil).Map(t)
	if got["answers"].(map[string]any)["N5"] != sample.Flagged()["N5"] {
		t.Errorf("answers after reopen: N5 = %v, want the submitted %v", got["answers"].(map[string]any)["N5"], sample.Flagged()["N5"])
	}
	for _, p := range views(f.profiled) {
		if r := e.Do("GET", p, c1, nil); strings.Contains(string(r.Body), "GEHEIM-CONCEPT") {
			t.Errorf("GET %s serves the candidate's draft", p)
		}
	}
	// Never submitted: nothing to read.
	if r := e.Do("GET", v1+"/candidates/"+f.invited+"/answers", c1, nil); r.Status != 404 {
		t.Errorf("answers of a file never submitted: %d, want 404", r.Status)
	}
}

// TestLeak_AccessLogGaps: every committee read of file content is in the
// file's access log.
func TestLeak_AccessLogGaps(t *testing.T) {
	f := newFixture(t)
	e, c1, cid := f.e, f.tok["committee"], f.profiled
	e.Must(200, "PUT", v1+"/candidates/"+cid+"/vog", c1, map[string]string{"status": "aangevraagd"})
	e.Must(201, "POST", v1+"/candidates/"+cid+"/recusal", f.addCommittee(t, "c3@test.nl", "Cas"), map[string]string{"reason": "Zwager"})
	e.Must(201, "POST", v1+"/candidates/"+cid+"/hearing", c1, map[string]any{"flags": []string{"bedreigd"}, "message": "Reactie?"})
	e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", c1, map[string]any{"outcome": "positief", "reasons": "In orde."})
	actions := func() []string {
		evs, err := e.Sys.Store.AuditEvents(context.Background(), cid)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, ev := range evs {
			out = append(out, ev.Action)
		}
		return out
	}
	tests := []struct {
		path string
		want []string
	}{
		{v1 + "/candidates/" + cid, []string{"candidate.read"}},
		{v1 + "/candidates/" + cid + "/vog", []string{"vog.read"}},
		{v1 + "/candidates/" + cid + "/decision", []string{"decision.read"}},
		{v1 + "/candidates/" + cid + "/recusals", []string{"recusals.read"}},
		{v1 + "/candidates/" + cid + "/audit", []string{"audit.read"}},
		{v1 + "/rounds/" + f.rid + "/network", []string{"network.read"}},
		{v1 + "/rounds/" + f.rid + "/network?formaat=svg", []string{"network.read"}},
		{"/commissie/ronde/" + f.rid, []string{"network.read"}},
		{"/commissie/ronde/" + f.rid + "/kaart.svg", []string{"network.read"}},
		{"/commissie/kandidaten/" + cid, []string{"profile.read", "network.read", "hearing.read", "vog.read", "notes.read", "recusals.read", "decision.read"}},
		{"/commissie/kandidaten/" + cid + "/leidraad", []string{"profile.read", "network.read"}},
		{"/commissie/kandidaten/" + cid + "/logboek", []string{"audit.read"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			before := len(actions())
			e.With(t).Must(200, "GET", tt.path, c1, nil)
			added := actions()[before:]
			for _, w := range tt.want {
				if !slices.Contains(added, w) {
					t.Errorf("GET %s logged %v, want %s among them", tt.path, added, w)
				}
			}
		})
	}
}

// TestSubmitReturnsSubmittedAt: POST /me/submit answers with the real time.
func TestSubmitReturnsSubmittedAt(t *testing.T) {
	f := newFixture(t)
	f.e.Must(200, "PATCH", v1+"/me/answers", f.tok["otherCandidate"], map[string]any{"answers": sample.Flagged()})
	got := f.e.Must(200, "POST", v1+"/me/submit", f.tok["otherCandidate"], nil).Map(t)
	at, ok := got["submitted_at"].(string)
	if !ok {
		t.Fatalf("submitted_at = %v", got["submitted_at"])
	}
	if ts, err := time.Parse(time.RFC3339Nano, at); err != nil || time.Since(ts) > time.Minute {
		t.Fatalf("submitted_at %q is not the submit time", at)
	}
}

// pageRoutes is the page route table of the running app.
func pageRoutes(t *testing.T, f *fixture) []api.Route {
	t.Helper()
	app, h := api.New(api.Deps{Store: f.e.Sys.Store, Log: f.e.Sys.Log})
	pages, err := web.Mount(app, h, false)
	if err != nil {
		t.Fatal(err)
	}
	return pages.Routes()
}

func mustUnmarshal(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
}
