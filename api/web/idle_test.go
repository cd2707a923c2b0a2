package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/internal/apptest"
)

type idleClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *idleClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.off) }
func (c *idleClock) Advance(d time.Duration) { c.mu.Lock(); c.off += d; c.mu.Unlock() }

type idleResp struct {
	Status int
	Body   string
	Header http.Header
}

// idleReq sends a request with the session cookie; csrf "" sends none.
func idleReq(t *testing.T, e *apptest.Env, method, path, cookie, csrf string) idleResp {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: cookie})
	}
	if csrf != "" {
		req.Header.Set(api.CSRFHeader, csrf)
	}
	resp, err := e.Sys.App.Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return idleResp{Status: resp.StatusCode, Body: string(b), Header: resp.Header}
}

type idleState struct {
	IdleEndsAt  time.Time `json:"idle_ends_at"`
	ExpiresAt   time.Time `json:"expires_at"`
	IdleSeconds int       `json:"idle_seconds"`
	SecondsLeft int       `json:"seconds_left"`
}

func extendByPage(t *testing.T, e *apptest.Env, tok string) (int, idleState) {
	t.Helper()
	r := idleReq(t, e, "POST", "/sessie/verlengen", tok, api.CSRFToken(tok))
	var st idleState
	if r.Status == 200 {
		if err := json.Unmarshal([]byte(r.Body), &st); err != nil {
			t.Fatalf("keep-alive answer %q: %v", r.Body, err)
		}
		if h := r.Header.Get(api.IdleHeader); h != strconv.Itoa(st.SecondsLeft) {
			t.Errorf("keep-alive header %s = %q, body says %d", api.IdleHeader, h, st.SecondsLeft)
		}
	}
	return r.Status, st
}

var idleLeftAttr = regexp.MustCompile(`data-session-idle-left="(\d+)"`)

// TestSessionKeepAlive: the page says when the session ends idle; POST
// /sessie/verlengen (CSRF) and POST /api/v1/session/extend move the idle
// deadline of the caller's own session, never past its absolute lifetime;
// every role can use it, anonymous callers and ended sessions get 401.
func TestSessionKeepAlive(t *testing.T) {
	ck := &idleClock{}
	e := apptest.Start(t, apptest.WithClock(ck.Now))
	e.StartWorker()
	admin := e.Admin()
	pid := e.Must(201, "POST", comV1+"/parties", admin, map[string]string{"name": "Partij A"}).Map(t)["id"].(string)
	const pw = "wachtwoord-van-test-1"
	for _, m := range []struct{ who, role string }{{"board", "bestuur"}, {"com1", "commissie"}, {"com2", "commissie"}} {
		e.AddMember(admin, pid, map[string]any{"email": m.who + "@test.nl", "name": m.who, "role": m.role, "password": pw})
	}
	login := func(who string) string { return e.Login(who+"@test.nl", pw) }
	deadline := time.Now().Add(60 * 24 * time.Hour).Format("2006-01-02")
	board := login("board")
	rid := e.Must(201, "POST", comV1+"/parties/"+pid+"/rounds", board, map[string]string{"name": "R", "office": "raadslid", "deadline": deadline}).Map(t)["id"].(string)
	e.Must(201, "POST", comV1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Piet", "email": "piet@test.nl"})
	e.Must(201, "POST", comV1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Bo", "email": "bo@test.nl"})
	cand := e.Must(201, "POST", comV1+"/invitations/"+e.InvitationToken("piet@test.nl")+"/accept", "", nil).Map(t)["token"].(string)

	t.Run("page tells the deadline", func(t *testing.T) {
		com := login("com1")
		r := idleReq(t, e, "GET", "/commissie/partij/"+pid, com, "")
		if r.Status != 200 {
			t.Fatalf("committee start page: %d", r.Status)
		}
		m := idleLeftAttr.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatal("the page has no data-session-idle-left")
		}
		if left, _ := strconv.Atoi(m[1]); left < 1790 || left > 1800 {
			t.Errorf("a fresh committee session has %d s left, want about 30 minutes", left)
		}
		for _, s := range []string{`data-session-warn="120"`, "Over 2 minuten wordt u uitgelogd om uw gegevens te beschermen.", "Ingelogd blijven", "Nu uitloggen",
			`href="/inloggen?terug=%2Fcommissie%2Fpartij%2F` + pid + `"`, `src="/static/idle.js"`} {
			if !strings.Contains(r.Body, s) {
				t.Errorf("the committee page lacks %q", s)
			}
		}
		if h := r.Header.Get(api.IdleHeader); h == "" {
			t.Errorf("no %s header on an authenticated page", api.IdleHeader)
		}
		// Not logged in: no warning, no script.
		r = idleReq(t, e, "GET", "/inloggen", "", "")
		if strings.Contains(r.Body, "data-session-idle") || strings.Contains(r.Body, "idle.js") || r.Header.Get(api.IdleHeader) != "" {
			t.Error("the login page of an anonymous visitor has the idle warning")
		}
	})

	t.Run("keep-alive extends the own session", func(t *testing.T) {
		com, other := login("com1"), login("com2")
		ck.Advance(25 * time.Minute)
		// Without the CSRF token: refused, and nothing extended.
		if r := idleReq(t, e, "POST", "/sessie/verlengen", com, ""); r.Status != 403 {
			t.Errorf("keep-alive without CSRF token: %d, want 403", r.Status)
		}
		if r := idleReq(t, e, "POST", "/sessie/verlengen", com, api.CSRFToken(other)); r.Status != 403 {
			t.Errorf("keep-alive with another session's CSRF token: %d, want 403", r.Status)
		}
		st, body := extendByPage(t, e, com)
		if st != 200 {
			t.Fatalf("keep-alive: %d", st)
		}
		if body.SecondsLeft < 1795 || body.SecondsLeft > 1800 || body.IdleSeconds != 1800 {
			t.Errorf("after the keep-alive %d s left (idle %d), want 30 minutes", body.SecondsLeft, body.IdleSeconds)
		}
		if d := body.IdleEndsAt.Sub(ck.Now().Add(30 * time.Minute)); d < -5*time.Second || d > 5*time.Second {
			t.Errorf("idle_ends_at %v, want about now + 30 min", body.IdleEndsAt)
		}
		// Past the old deadline: the extended session works, the other
		// member's (not extended) does not.
		ck.Advance(10 * time.Minute)
		if r := e.Do("GET", comV1+"/me", com, nil); r.Status != 200 {
			t.Errorf("the extended session after its old deadline: %d, want 200", r.Status)
		}
		if r := e.Do("GET", comV1+"/me", other, nil); r.Status != 401 {
			t.Errorf("another member's session was extended too: %d, want 401", r.Status)
		}
		// An ended session cannot be revived.
		if st, _ := extendByPage(t, e, other); st != 401 {
			t.Errorf("keep-alive of an ended session: %d, want 401", st)
		}
	})

	t.Run("background requests are told, not needed", func(t *testing.T) {
		com := login("com1")
		ck.Advance(10 * time.Minute)
		r := e.Do("GET", comV1+"/me", com, nil)
		left, err := strconv.Atoi(r.Header.Get(api.IdleHeader))
		if err != nil || left < 1795 {
			t.Errorf("a request 10 minutes in says %q s left, want the renewed 30 minutes", r.Header.Get(api.IdleHeader))
		}
	})

	t.Run("every role, and the API", func(t *testing.T) {
		for who, tok := range map[string]string{"admin": e.Login("admin@weerbaar.test", "beheerder-wachtwoord-1"), "board": login("board"), "committee": login("com1"), "candidate": cand} {
			if st, _ := extendByPage(t, e, tok); st != 200 {
				t.Errorf("%s: page keep-alive %d, want 200", who, st)
			}
			r := e.Do("POST", comV1+"/session/extend", tok, nil)
			if r.Status != 200 {
				t.Errorf("%s: API keep-alive %d, want 200: %s", who, r.Status, r.Body)
				continue
			}
			var st idleState
			r.JSON(t, &st)
			want := map[string]int{"admin": 1800, "committee": 1800, "board": 7200, "candidate": 7200}[who]
			if st.IdleSeconds != want || st.SecondsLeft < want-5 {
				t.Errorf("%s: API keep-alive says idle %d, %d s left; want %d", who, st.IdleSeconds, st.SecondsLeft, want)
			}
		}
	})

	t.Run("anonymous", func(t *testing.T) {
		if r := idleReq(t, e, "POST", "/sessie/verlengen", "", ""); r.Status != 401 {
			t.Errorf("anonymous page keep-alive: %d, want 401", r.Status)
		}
		if r := idleReq(t, e, "POST", "/sessie/verlengen", "geen-sessie", "x"); r.Status != 401 {
			t.Errorf("page keep-alive with an unknown cookie: %d, want 401", r.Status)
		}
		if r := e.Do("POST", comV1+"/session/extend", "", nil); r.Status != 401 {
			t.Errorf("anonymous API keep-alive: %d, want 401", r.Status)
		}
		if r := e.Do("POST", comV1+"/session/extend", "geen-sessie", nil); r.Status != 401 {
			t.Errorf("API keep-alive with an unknown token: %d, want 401", r.Status)
		}
	})

	t.Run("absolute lifetime caps it", func(t *testing.T) {
		// A candidate (idle 2 h, lifetime 12 h) who keeps saying "stay".
		tok := e.Must(201, "POST", comV1+"/invitations/"+e.InvitationToken("bo@test.nl")+"/accept", "", nil).Map(t)["token"].(string)
		var last idleState
		for i := 0; i < 6; i++ {
			ck.Advance(110 * time.Minute)
			st, body := extendByPage(t, e, tok)
			if st != 200 {
				t.Fatalf("keep-alive %d after %v: %d", i+1, time.Duration(i+1)*110*time.Minute, st)
			}
			last = body
		}
		// 11 h in: the idle deadline is the absolute end (1 h away), not 2 h.
		if !last.IdleEndsAt.Equal(last.ExpiresAt) || last.SecondsLeft > 3600 || last.SecondsLeft < 3500 {
			t.Errorf("11 h in: idle end %v, expires %v, %d s left; want the idle end capped at the absolute end",
				last.IdleEndsAt, last.ExpiresAt, last.SecondsLeft)
		}
		ck.Advance(61 * time.Minute)
		if st, _ := extendByPage(t, e, tok); st != 401 {
			t.Errorf("keep-alive after the absolute lifetime: %d, want 401", st)
		}
	})
}

// TestLoginPageSendsSignedInBack: "Opnieuw inloggen" after signing in in
// another tab leads back to the page, not to the start.
func TestLoginPageSendsSignedInBack(t *testing.T) {
	e := apptest.Start(t)
	admin := e.Admin()
	r := idleReq(t, e, "GET", "/inloggen?terug=%2Faccount%2Fwachtwoord", admin, "")
	if r.Status != 303 || r.Header.Get("Location") != "/account/wachtwoord" {
		t.Errorf("signed in, /inloggen?terug=…: %d to %q, want 303 to /account/wachtwoord", r.Status, r.Header.Get("Location"))
	}
	r = idleReq(t, e, "GET", "/inloggen?terug=%2F%2Fevil.example", admin, "")
	if loc := r.Header.Get("Location"); loc != "/" {
		t.Errorf("signed in, a foreign terug: to %q, want /", loc)
	}
}
