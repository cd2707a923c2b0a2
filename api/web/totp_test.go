package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/secure"
)

var secretRe = regexp.MustCompile(`<code>([A-Z2-7 ]+)</code>`)
var csrfRe = regexp.MustCompile(`name="_csrf" value="([0-9a-f]+)"`)

// TestTOTPPages: a committee member is sent to enrol, enrols with the QR
// page, and then logs in with password and code.
func TestTOTPPages(t *testing.T) {
	// The clock is read by the relay's goroutine too: atomic.
	var off atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(off.Load())) }
	e := apptest.Start(t, apptest.RequireTOTP(), apptest.WithClock(now))
	ctx := t.Context()
	p, err := e.Sys.Store.CreateParty(ctx, models_admin(), "P")
	if err != nil {
		t.Fatal(err)
	}
	pw := "wachtwoord-van-test-1"
	if _, _, err := e.Sys.Store.AddMember(ctx, models_admin(), p.ID, "c@t.nl", "Cor", "commissie", &pw); err != nil {
		t.Fatal(err)
	}
	com := page{t: t, e: e, token: e.Login("c@t.nl", pw), jar: map[string]string{}}
	if status, _, h := com.do("GET", "/commissie/partij/"+p.ID, nil); status != 303 || h.Get("Location") != "/account/tweestaps" {
		t.Fatalf("not sent to enrolment: %d %s", status, h.Get("Location"))
	}
	enrol := com.get("/account/tweestaps")
	m := secretRe.FindStringSubmatch(enrol)
	if m == nil || !strings.Contains(enrol, `src="data:image/png;base64,`) {
		t.Fatalf("enrolment page lacks QR or key:\n%s", enrol)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	_, body := com.post("/account/tweestaps", url.Values{"code": {secure.TOTPCode(secret, now())}}, 200)
	if strings.Count(body, "<li><code>") != 10 {
		t.Fatalf("recovery codes page:\n%s", body)
	}
	com.get("/commissie/partij/" + p.ID) // allowed now

	// A fresh login: password, then the code step.
	off.Add(int64(31 * time.Second))
	anon := page{t: t, e: e, jar: map[string]string{}}
	login := anon.get("/inloggen")
	form := url.Values{"email": {"c@t.nl"}, "password": {pw}, "_csrf": {csrfRe.FindStringSubmatch(login)[1]}}
	loc, _ := anon.post("/inloggen", form, 303)
	if !strings.HasPrefix(loc, "/inloggen/code") {
		t.Fatalf("no code step: %s", loc)
	}
	codePage := anon.get(loc)
	if !strings.Contains(codePage, `autocomplete="one-time-code"`) {
		t.Fatal("code page lacks the code field")
	}
	csrf := csrfRe.FindStringSubmatch(codePage)[1]
	_, bad := anon.post("/inloggen/code", url.Values{"code": {"000000"}, "_csrf": {csrf}}, 401)
	if !strings.Contains(bad, "De code klopt niet") {
		t.Fatal("wrong code not explained")
	}
	status, _, h := anon.do("POST", "/inloggen/code", url.Values{"code": {secure.TOTPCode(secret, now())}, "_csrf": {csrf}})
	if status != 303 {
		t.Fatalf("code step: %d", status)
	}
	var session string
	for _, ck := range h.Values("Set-Cookie") {
		if strings.HasPrefix(strings.TrimSpace(ck), api.SessionCookie+"=") {
			session = strings.SplitN(strings.TrimPrefix(strings.TrimSpace(ck), api.SessionCookie+"="), ";", 2)[0]
		}
	}
	if session == "" {
		t.Fatalf("no session cookie after the code: %v", h)
	}
	(page{t: t, e: e, token: session}).get("/commissie/partij/" + p.ID)
}
