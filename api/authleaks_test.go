package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/secure"
)

func testAdmin() models.Actor { return models.Actor{ID: "test", Role: models.RoleAdmin} }

// deviceCookie is the name of the cookie that marks a browser as known.
const deviceCookie = "weerbaar_apparaat"

// rawDo sends a request with exactly the given headers (no defaults).
func rawDo(t *testing.T, e *apptest.Env, method, path string, headers map[string]string, body string) apptest.Response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := e.Sys.App.Test(req, 30_000)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return apptest.Response{Status: resp.StatusCode, Body: out, Header: resp.Header}
}

// cookieValue returns the value a response sets for a cookie ("" if none).
func cookieValue(h http.Header, name string) string {
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if ck.Name == name && ck.MaxAge >= 0 {
			return ck.Value
		}
	}
	return ""
}

// TestLeak_TOTPPasswordSessionAfterEnrolment (finding 4): a session made with
// the password alone before enrolment does not gain full access once the
// user enrols elsewhere; enrolment ends the user's other sessions, and a
// password-only session never counts as two-step.
func TestLeak_TOTPPasswordSessionAfterEnrolment(t *testing.T) {
	ck := &clock{}
	e := apptest.Start(t, apptest.RequireTOTP(), apptest.WithClock(ck.Now))
	ctx := context.Background()
	p, err := e.Sys.Store.CreateParty(ctx, testAdmin(), "P")
	if err != nil {
		t.Fatal(err)
	}
	pw := "wachtwoord-van-test-1"
	u, _, err := e.Sys.Store.AddMember(ctx, testAdmin(), p.ID, "c@t.nl", "Cor", "commissie", &pw)
	if err != nil {
		t.Fatal(err)
	}
	rounds := v1 + "/parties/" + p.ID + "/rounds"
	old := e.Login("c@t.nl", pw) // password only, before enrolment
	enrol := e.Login("c@t.nl", pw)
	e.Must(403, "GET", rounds, old, nil)
	secret := e.Must(201, "POST", v1+"/me/totp", enrol, nil).Map(t)["secret"].(string)
	e.Must(200, "POST", v1+"/me/totp/confirm", enrol, map[string]string{"code": secure.TOTPCode(secret, ck.Now())})
	// The session that showed the code works.
	e.Must(200, "GET", rounds, enrol, nil)

	t.Run("older password session ended", func(t *testing.T) {
		e := e.With(t)
		if r := e.Do("GET", rounds, old, nil); r.Status != 401 {
			t.Fatalf("password-only session after enrolment elsewhere: %d %s", r.Status, r.Body)
		}
	})
	t.Run("password-only session stays limited", func(t *testing.T) {
		e := e.With(t)
		// A session without the second factor (made in a race with the
		// enrolment, or before an upgrade) is no session of an enrolled
		// user at all.
		tok, err := e.Sys.Store.CreateSession(ctx, &u.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r := e.Do("GET", rounds, tok, nil); r.Status != 401 {
			t.Fatalf("password-only session: %d %s", r.Status, r.Body)
		}
		e.Must(401, "GET", v1+"/me", tok, nil)
	})
	t.Run("login with code has full access", func(t *testing.T) {
		e := e.With(t)
		ck.Advance(31 * time.Second)
		r := e.Must(201, "POST", v1+"/session", "", map[string]string{"email": "c@t.nl", "password": pw, "code": secure.TOTPCode(secret, ck.Now())})
		e.Must(200, "GET", rounds, r.Map(t)["token"].(string), nil)
	})
}

// TestLeak_LoginCSRF (finding 12): the JSON API refuses a cross-site
// POST /session and /invitations/{t}/accept, and both need
// application/json; nothing is consumed and no cookie is set.
func TestLeak_LoginCSRF(t *testing.T) {
	e := apptest.Start(t)
	e.StartWorker()
	admin := e.Admin()
	pid := e.Must(201, "POST", v1+"/parties", admin, map[string]string{"name": "P"}).Map(t)["id"].(string)
	pw := "wachtwoord-van-test-1"
	e.Must(201, "POST", v1+"/parties/"+pid+"/members", admin, map[string]string{"email": "b@t.nl", "name": "B", "role": "bestuur", "password": pw})
	board := e.Login("b@t.nl", pw)
	deadline := time.Now().Add(30 * 24 * time.Hour).Format("2006-01-02")
	rid := e.Must(201, "POST", v1+"/parties/"+pid+"/rounds", board, map[string]string{"name": "R", "office": "raadslid", "deadline": deadline}).Map(t)["id"].(string)
	e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Kim", "email": "kim@t.nl"})
	accept := v1 + "/invitations/" + e.InvitationToken("kim@t.nl") + "/accept"
	login := `{"email":"b@t.nl","password":"` + pw + `"}`
	jsonCT := map[string]string{"Content-Type": "application/json"}
	with := func(extra map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range jsonCT {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		path    string
		headers map[string]string
		body    string
		status  int
	}{
		{"session from another origin", v1 + "/session", with(map[string]string{"Origin": "https://evil.example"}), login, 403},
		{"session with origin null", v1 + "/session", with(map[string]string{"Origin": "null"}), login, 403},
		{"session cross-site fetch", v1 + "/session", with(map[string]string{"Sec-Fetch-Site": "cross-site"}), login, 403},
		{"session same-site fetch", v1 + "/session", with(map[string]string{"Sec-Fetch-Site": "same-site"}), login, 403},
		{"session as a text/plain form", v1 + "/session", map[string]string{"Content-Type": "text/plain"}, login, 415},
		{"session as a urlencoded form", v1 + "/session", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "email=b%40t.nl&password=" + pw, 415},
		{"session without content type", v1 + "/session", nil, login, 415},
		{"accept from another origin", accept, with(map[string]string{"Origin": "https://evil.example"}), "", 403},
		{"accept cross-site fetch", accept, with(map[string]string{"Sec-Fetch-Site": "cross-site"}), "", 403},
		{"accept as a form", accept, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "", 415},
		{"accept without content type", accept, nil, "", 415},
		// Every public write: another site must not make a visitor's
		// browser ask for links or resets (mail bombing) either.
		{"link request from another origin", v1 + "/links", with(map[string]string{"Origin": "https://evil.example"}), `{"email":"kim@t.nl"}`, 403},
		{"link request as text/plain", v1 + "/links", map[string]string{"Content-Type": "text/plain"}, `{"email":"kim@t.nl"}`, 415},
		{"reset request cross-site", v1 + "/password/reset", with(map[string]string{"Sec-Fetch-Site": "cross-site"}), `{"email":"b@t.nl"}`, 403},
		{"reset request as text/plain", v1 + "/password/reset", map[string]string{"Content-Type": "text/plain"}, `{"email":"b@t.nl"}`, 415},
		{"account set-up as a form", v1 + "/account/setup", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "token=x&password=y", 415},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rawDo(t, e, "POST", tc.path, tc.headers, tc.body)
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			errCode(t, r)
			if v := cookieValue(r.Header, api.SessionCookie); v != "" {
				t.Fatal("a refused request set a session cookie")
			}
		})
	}
	t.Run("same origin and plain clients still work", func(t *testing.T) {
		for _, h := range []map[string]string{
			with(map[string]string{"Origin": "http://weerbaar.test", "Sec-Fetch-Site": "same-origin"}),
			with(map[string]string{"Sec-Fetch-Site": "none"}),
			jsonCT, // curl, scripts
			{"Content-Type": "application/json; charset=utf-8"},
		} {
			if r := rawDo(t, e, "POST", v1+"/session", h, login); r.Status != 201 {
				t.Fatalf("login %v: %d %s", h, r.Status, r.Body)
			}
		}
		if r := rawDo(t, e, "POST", accept, jsonCT, ""); r.Status != 201 {
			t.Fatalf("accept: %d %s", r.Status, r.Body)
		}
	})
}

// TestLeak_CSRFTokenInQueryString (finding 13): the CSRF token counts only from
// the header or a form body, never from the query string.
func TestLeak_CSRFTokenInQueryString(t *testing.T) {
	f := newFixture(t)
	tok := f.tok["otherCandidate"]
	cookie := api.SessionCookie + "=" + tok
	csrf := api.CSRFToken(tok)
	answers := `{"answers":{}}`
	for _, tc := range []struct {
		name    string
		method  string
		path    string
		headers map[string]string
		body    string
		status  int
	}{
		{"API write, token in header", "PATCH", v1 + "/me/answers", map[string]string{"Cookie": cookie, "Content-Type": "application/json", "X-CSRF-Token": csrf}, answers, 200},
		{"API write, token in query", "PATCH", v1 + "/me/answers?_csrf=" + csrf, map[string]string{"Cookie": cookie, "Content-Type": "application/json"}, answers, 403},
		{"page form, token in query", "POST", "/uitloggen?_csrf=" + csrf, map[string]string{"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, "x=1", 403},
		{"page form without body, token in query", "POST", "/uitloggen?_csrf=" + csrf, map[string]string{"Cookie": cookie}, "", 403},
		{"login form, token in query", "POST", "/inloggen?_csrf=0123456789abcdef0123456789abcdef", map[string]string{"Cookie": "weerbaar_formulier=0123456789abcdef0123456789abcdef", "Content-Type": "application/x-www-form-urlencoded"}, "email=a%40b.nl&password=x", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rawDo(t, f.e, tc.method, tc.path, tc.headers, tc.body)
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
		})
	}
	// The session survived the refused logout.
	f.e.Must(200, "GET", v1+"/me", tok, nil)
	// A form body still carries it.
	r := rawDo(t, f.e, "POST", "/uitloggen", map[string]string{"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, "_csrf="+csrf)
	if r.Status != 303 {
		t.Fatalf("logout with the token in the body: %d %s", r.Status, r.Body)
	}
}

// TestLeak_LockoutByWrongPasswords (finding 15): wrong passwords
// from one client do not lock the owner out of a known device.
func TestLeak_LockoutByWrongPasswords(t *testing.T) {
	apptest.ClearOfLimitWindow(15*time.Minute, 90*time.Second)
	e := apptest.Start(t)
	e.Admin()
	body := func(pw string) string {
		return `{"email":"admin@weerbaar.test","password":"` + pw + `"}`
	}
	jsonCT := map[string]string{"Content-Type": "application/json"}
	// The owner logs in once on their own browser: it keeps the cookies
	// it gets (except the session).
	first := rawDo(t, e, "POST", v1+"/session", jsonCT, body("beheerder-wachtwoord-1"))
	if first.Status != 201 {
		t.Fatalf("first login: %d", first.Status)
	}
	device := cookieValue(first.Header, deviceCookie)
	// An attacker tries many passwords from a client without that cookie.
	limited := false
	for i := 0; i < 12; i++ {
		switch r := rawDo(t, e, "POST", v1+"/session", jsonCT, body("fout-fout-fout")); r.Status {
		case 401:
		case 429:
			limited = true
		default:
			t.Fatalf("attempt %d: %d %s", i, r.Status, r.Body)
		}
	}
	if !limited {
		t.Fatal("guessing passwords is not limited")
	}
	// The attacker's client stays throttled, even with the right password.
	if r := rawDo(t, e, "POST", v1+"/session", jsonCT, body("beheerder-wachtwoord-1")); r.Status != 429 {
		t.Fatalf("guessing client with the right password: %d", r.Status)
	}
	// The owner's known device still gets in with the right password.
	own := map[string]string{"Content-Type": "application/json"}
	if device != "" {
		own["Cookie"] = deviceCookie + "=" + device
	}
	if r := rawDo(t, e, "POST", v1+"/session", own, body("beheerder-wachtwoord-1")); r.Status != 201 {
		t.Fatalf("owner on a known device: %d %s", r.Status, r.Body)
	}
	// A forged device cookie is just an unknown client.
	forged := map[string]string{"Content-Type": "application/json", "Cookie": deviceCookie + "=" + strings.Repeat("a", 43)}
	for i := 0; i < 10; i++ {
		if r := rawDo(t, e, "POST", v1+"/session", forged, body("fout-fout-fout")); r.Status == 429 {
			return
		}
	}
	t.Fatal("a forged device cookie escapes the limit")
}
