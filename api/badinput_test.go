package api_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/internal/apptest"
)

// TestBadInput: every endpoint that takes a body answers malformed JSON
// with 400 and the JSON error shape; each other kind of bad input gets its
// status and loses nothing saved before.
func TestBadInput(t *testing.T) {
	f := newFixture(t)
	e := f.e
	cand := f.tok["otherCandidate"] // in progress, consent given

	t.Run("malformed JSON on every body route", func(t *testing.T) {
		who := map[api.Access]string{api.AdminOnly: "admin", api.CandidateSelf: "otherCandidate"}
		for _, rt := range handlerRoutes(f) {
			if rt.Method == "GET" || rt.Method == "DELETE" || strings.HasSuffix(rt.Path, "/resend") || strings.HasSuffix(rt.Path, "/revoke") ||
				strings.HasSuffix(rt.Path, "/submit") || strings.HasSuffix(rt.Path, "/totp") || strings.HasSuffix(rt.Path, "/confirm") || strings.HasSuffix(rt.Path, "/reject") || strings.HasSuffix(rt.Path, "/withdraw") || strings.HasSuffix(rt.Path, "/accept") || strings.HasSuffix(rt.Path, "/session/extend") {
				continue // no body
			}
			if strings.HasPrefix(rt.Path, api.QueueMonitorPath+"/") {
				continue // asynqmon's own API, not ours (TestQueueMonitorTasks)
			}
			p := who[rt.Access]
			if p == "" {
				p = "committee"
				if strings.Contains(strings.Join(rt.Roles, ","), "bestuur") {
					p = "board"
				}
			}
			path := strings.NewReplacer(":pid", f.pid, ":rid", f.rid, ":cid", f.profiled).Replace(rt.Path)
			t.Run(rt.Method+" "+rt.Path, func(t *testing.T) {
				r := e.Do(rt.Method, path, f.tok[p], `{"name": "kapot`)
				if r.Status != 400 {
					t.Fatalf("status %d, want 400: %s", r.Status, r.Body)
				}
				if code, _ := errCode(t, r); code != "ongeldige_json" {
					t.Fatalf("code %q", code)
				}
			})
		}
	})

	saved := map[string]any{"K3": true, "N5": "Niets."}
	e.Must(200, "PATCH", v1+"/me/answers", cand, map[string]any{"answers": saved})
	answersNow := func() map[string]any {
		return e.Must(200, "GET", v1+"/me/questionnaire", cand, nil).Map(t)["answers"].(map[string]any)
	}

	tests := []struct {
		name   string
		method string
		path   string
		who    string
		body   any
		status int
		field  string // a field that must be named in error.fields
	}{
		{"unknown question id", "PATCH", "/me/answers", "otherCandidate", map[string]any{"answers": map[string]any{"X99": true}}, 422, "X99"},
		{"wrong type yesno", "PATCH", "/me/answers", "otherCandidate", map[string]any{"answers": map[string]any{"K3": "ja"}}, 422, "K3"},
		{"unknown option", "PATCH", "/me/answers", "otherCandidate", map[string]any{"answers": map[string]any{"F3": "misschien"}}, 422, "F3"},
		{"bad date in list", "PATCH", "/me/answers", "otherCandidate", map[string]any{"answers": map[string]any{"K2": []any{map[string]any{"werkgever": "A", "functie": "B", "uren_per_week": 10, "sinds": "2023-02-30", "bij_deze_gemeente": false}}}}, 422, "K2"},
		{"scale out of range", "PATCH", "/me/answers", "otherCandidate", map[string]any{"answers": map[string]any{"W4": 7}}, 422, "W4"},
		{"one valid one invalid is atomic", "PATCH", "/me/answers", "otherCandidate", map[string]any{"answers": map[string]any{"K3": false, "N4": "nee"}}, 422, "N4"},
		{"answers not an object", "PATCH", "/me/answers", "otherCandidate", map[string]any{"answers": []int{1}}, 422, "answers"},
		{"incomplete submit lists ids", "POST", "/me/submit", "otherCandidate", nil, 422, "K1"},
		{"consent wrong version", "POST", "/me/consent", "otherCandidate", map[string]int{"privacy_version": 9}, 422, "privacy_version"},
		{"invite bad email", "POST", "/rounds/" + f.rid + "/candidates", "board", map[string]string{"name": "A", "email": "geen-adres"}, 422, "email"},
		{"invite missing name", "POST", "/rounds/" + f.rid + "/candidates", "board", map[string]string{"email": "a@b.nl"}, 422, "name"},
		{"round deadline in the past", "POST", "/parties/" + f.pid + "/rounds", "board", map[string]string{"name": "R", "office": "raadslid", "deadline": "2001-01-01"}, 422, "deadline"},
		{"round unknown office", "POST", "/parties/" + f.pid + "/rounds", "board", map[string]string{"name": "R", "office": "koning", "deadline": "2099-01-01"}, 422, "office"},
		{"member bad role", "POST", "/parties/" + f.pid + "/members", "board", map[string]string{"name": "R", "email": "r@r.nl", "role": "baas"}, 422, "role"},
		{"vog bad status", "PUT", "/candidates/" + f.profiled + "/vog", "committee", map[string]string{"status": "prima"}, 422, "status"},
		{"vog bad date", "PUT", "/candidates/" + f.profiled + "/vog", "committee", map[string]string{"status": "aangevraagd", "requested_on": "31-12-2025"}, 422, "requested_on"},
		{"decision bad outcome", "POST", "/candidates/" + f.profiled + "/decision", "committee", map[string]string{"outcome": "ja", "reasons": "x"}, 422, "outcome"},
		{"note empty", "POST", "/candidates/" + f.profiled + "/notes", "committee", map[string]string{"body": ""}, 422, "body"},
		{"decide before profile", "POST", "/candidates/" + f.progress + "/decision", "committee", map[string]any{"outcome": "positief", "reasons": "x"}, 409, ""},
		{"resend after submit", "POST", "/candidates/" + f.profiled + "/resend", "board", nil, 409, ""},
		{"revoke after submit", "POST", "/candidates/" + f.profiled + "/revoke", "board", nil, 409, ""},
		{"submit twice", "POST", "/me/submit", "candidate", nil, 409, ""},
		{"answer after submit", "PATCH", "/me/answers", "candidate", map[string]any{"answers": map[string]any{"K3": false}}, 409, ""},
		{"reopen before submit", "POST", "/candidates/" + f.progress + "/reopen", "committee", map[string]string{"message": "x"}, 409, ""},
		{"board cannot set a member's password", "POST", "/parties/" + f.pid + "/members", "board", map[string]string{"name": "C", "email": "c3@test.nl", "role": "commissie", "password": "een-eigen-wachtwoord-1"}, 422, "password"},
		{"duplicate member", "POST", "/parties/" + f.pid + "/members", "board", map[string]string{"name": "B", "email": "board@test.nl", "role": "bestuur"}, 409, ""},
		{"unknown invitation", "POST", "/invitations/bestaat-niet/accept", "", nil, 404, ""},
		{"login wrong password", "POST", "/session", "", map[string]string{"email": "board@test.nl", "password": "fout-fout-fout"}, 401, ""},
		{"login unknown email", "POST", "/session", "", map[string]string{"email": "niemand@test.nl", "password": "fout-fout-fout"}, 401, ""},
		{"unknown candidate", "GET", "/candidates/00000000-0000-0000-0000-000000000000", "committee", nil, 404, ""},
		{"wrong role", "POST", "/rounds/" + f.rid + "/candidates", "committee", map[string]string{"name": "A", "email": "a@b.nl"}, 403, ""},
		{"other party", "GET", "/candidates/" + f.profiled + "/profile", "otherCommittee", nil, 404, ""},
		{"no session", "GET", "/me", "", nil, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Do(tt.method, v1+tt.path, f.tok[tt.who], tt.body)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			_, fields := errCode(t, r)
			if tt.field != "" {
				msg, _ := fields[tt.field].(string)
				if msg == "" {
					t.Fatalf("error.fields lacks %q: %s", tt.field, r.Body)
				}
			}
		})
	}
	if diff := cmp.Diff(saved, answersNow()); diff != "" {
		t.Fatalf("rejected requests changed saved answers (-before +after):\n%s", diff)
	}

	t.Run("same answer for unknown e-mail and wrong password", func(t *testing.T) {
		a := e.Do("POST", v1+"/session", "", map[string]string{"email": "board@test.nl", "password": "fout-fout-fout"})
		b := e.Do("POST", v1+"/session", "", map[string]string{"email": "niemand@test.nl", "password": "fout-fout-fout"})
		if string(a.Body) != string(b.Body) {
			t.Fatalf("account enumeration: %s vs %s", a.Body, b.Body)
		}
	})

	t.Run("oversize body", func(t *testing.T) {
		base := strings.TrimPrefix(e.Listen(), "http://")
		big := `{"answers":{"N5":"` + strings.Repeat("a", api.BodyLimit) + `"}}`
		// A raw connection: the server answers 413 as soon as it sees the
		// length and may close before the body is written.
		conn, err := net.Dial("tcp", base)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "PATCH %s/me/answers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", v1, cand, len(big))
		_, _ = conn.Write([]byte(big)) // may fail once the server has answered
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 413 {
			t.Fatalf("status %d, want 413: %s", resp.StatusCode, body)
		}
		errCode(t, apptest.Response{Status: resp.StatusCode, Body: body})
	})

	t.Run("too long answer", func(t *testing.T) {
		r := e.Do("PATCH", v1+"/me/answers", cand, map[string]any{"answers": map[string]any{"N5": strings.Repeat("a", 6000)}})
		if r.Status != 422 {
			t.Fatalf("status %d, want 422", r.Status)
		}
	})

	t.Run("revoked invitation", func(t *testing.T) {
		id := e.Must(201, "POST", v1+"/rounds/"+f.rid+"/candidates", f.tok["board"], map[string]string{"name": "R", "email": "rev@test.nl"}).Map(t)["id"].(string)
		tok := e.InvitationToken("rev@test.nl")
		e.Must(200, "POST", v1+"/candidates/"+id+"/revoke", f.tok["board"], nil)
		r := e.Do("POST", v1+"/invitations/"+tok+"/accept", "", nil)
		if r.Status != 410 {
			t.Fatalf("status %d, want 410: %s", r.Status, r.Body)
		}
		e.Must(409, "POST", v1+"/candidates/"+id+"/revoke", f.tok["board"], nil)
	})

	t.Run("resend invalidates the old link", func(t *testing.T) {
		old := f.invitedToken
		e.Must(200, "POST", v1+"/candidates/"+f.invited+"/resend", f.tok["board"], nil)
		e.Must(404, "POST", v1+"/invitations/"+old+"/accept", "", nil)
		deadline := time.Now().Add(5 * time.Second)
		for e.InvitationToken("ivo@test.nl") == old {
			if time.Now().After(deadline) {
				t.Fatal("no new invitation mail")
			}
			time.Sleep(20 * time.Millisecond)
		}
		e.Must(201, "POST", v1+"/invitations/"+e.InvitationToken("ivo@test.nl")+"/accept", "", nil)
	})

	t.Run("expired invitation", func(t *testing.T) {
		e.Must(201, "POST", v1+"/rounds/"+f.rid+"/candidates", f.tok["board"], map[string]string{"name": "E", "email": "exp@test.nl"})
		tok := e.InvitationToken("exp@test.nl")
		f.clock.Advance(15 * 24 * time.Hour)
		defer f.clock.Advance(-15 * 24 * time.Hour)
		r := e.Do("POST", v1+"/invitations/"+tok+"/accept", "", nil)
		if r.Status != 410 {
			t.Fatalf("status %d, want 410: %s", r.Status, r.Body)
		}
		if code, _ := errCode(t, r); code != "verlopen" {
			t.Fatalf("code %q", code)
		}
	})

	t.Run("cookie session needs the CSRF token for writes", func(t *testing.T) {
		tok := f.tok["board"]
		do := func(csrf string) int {
			req := httptest.NewRequest("POST", v1+"/rounds/"+f.rid+"/candidates", bytes.NewBufferString(`{"name":"C","email":"csrf@test.nl"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Cookie", api.SessionCookie+"="+tok)
			if csrf != "" {
				req.Header.Set(api.CSRFHeader, csrf)
			}
			resp, err := e.Sys.App.Test(req, 10_000)
			if err != nil {
				t.Fatal(err)
			}
			return resp.StatusCode
		}
		if s := do(""); s != 403 {
			t.Fatalf("without CSRF token: %d, want 403", s)
		}
		if s := do("verkeerd"); s != 403 {
			t.Fatalf("wrong CSRF token: %d, want 403", s)
		}
		if s := do(api.CSRFToken(tok)); s != 201 {
			t.Fatalf("with CSRF token: %d, want 201", s)
		}
		req := httptest.NewRequest("GET", v1+"/me", nil)
		req.Header.Set("Cookie", api.SessionCookie+"="+tok)
		resp, _ := e.Sys.App.Test(req, 10_000)
		if resp.StatusCode != 200 {
			t.Fatalf("cookie GET: %d", resp.StatusCode)
		}
	})
}

func TestLogout(t *testing.T) {
	f := newFixture(t)
	tok := f.tok["board"]
	f.e.Must(204, "DELETE", v1+"/session", tok, nil)
	f.e.Must(401, "GET", v1+"/me", tok, nil)

	// Log out everywhere ends the other sessions too, not other people's.
	a := f.e.Login("committee@test.nl", "wachtwoord-van-test-1")
	b := f.e.Login("committee@test.nl", "wachtwoord-van-test-1")
	f.e.Must(204, "DELETE", v1+"/sessions", a, nil)
	f.e.Must(401, "GET", v1+"/me", b, nil)
	f.e.Must(200, "GET", v1+"/me", f.tok["committee2"], nil)
}

// TestIdleTimeout: a committee session ends after 30 idle minutes, a
// board session lasts longer; every session ends after 12 hours.
func TestIdleTimeout(t *testing.T) {
	f := newFixture(t)
	f.clock.Advance(31 * time.Minute)
	f.e.Must(401, "GET", v1+"/me", f.tok["committee"], nil)
	f.e.Must(200, "GET", v1+"/me", f.tok["board"], nil)
	f.e.Must(200, "GET", v1+"/me", f.tok["otherCandidate"], nil)
	for i := 0; i < 12; i++ { // active every hour, yet the day ends it
		f.clock.Advance(time.Hour)
		r := f.e.Do("GET", v1+"/me", f.tok["board"], nil)
		if i < 10 && r.Status != 200 {
			t.Fatalf("active board session ended after %d h", i+1)
		}
		if i == 11 && r.Status != 401 {
			t.Fatal("session outlived its 12 hours")
		}
	}
}

func TestCandidateWithdraw(t *testing.T) {
	f := newFixture(t)
	f.e.Must(200, "POST", v1+"/me/withdraw", f.tok["otherCandidate"], nil)
	f.e.Must(409, "POST", v1+"/me/withdraw", f.tok["otherCandidate"], nil)
	f.e.Must(409, "PATCH", v1+"/me/answers", f.tok["otherCandidate"], map[string]any{"answers": map[string]any{"K3": true}})
	if s := f.e.Must(200, "GET", v1+"/candidates/"+f.progress, f.tok["board"], nil).Map(t)["status"]; s != "withdrawn" {
		t.Fatalf("board sees status %v", s)
	}
}
