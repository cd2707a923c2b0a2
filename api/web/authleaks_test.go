package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/internal/apptest"
)

var backRe = regexp.MustCompile(`name="terug" value="([^"]*)"`)

// sameOrigin reports whether a browser following Location stays on the
// site: browsers drop tabs and newlines from URLs, treat "\" as "/" and
// trim leading spaces and control characters.
func sameOrigin(loc string) bool {
	cleaned := strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, loc)
	cleaned = strings.TrimLeftFunc(cleaned, func(r rune) bool { return r <= ' ' })
	u, err := url.Parse(cleaned)
	if err != nil {
		return false
	}
	base, _ := url.Parse("http://weerbaar.test/inloggen")
	r := base.ResolveReference(u)
	return r.Scheme == "http" && r.Host == "weerbaar.test"
}

// TestLeak_OpenRedirectAfterLogin (finding 11): after login the "terug" address
// is followed only when it is a path on this site after normalising.
func TestLeak_OpenRedirectAfterLogin(t *testing.T) {
	e := apptest.Start(t)
	ctx := t.Context()
	pw := "wachtwoord-van-test-1"
	for i, tc := range []struct {
		name, rawQuery string
		want           string // the expected Location ("" = anything on this site except the input)
	}{
		{"tab before a second slash", "terug=/%09/evil.example", "/"},
		{"newline before a second slash", "terug=/%0a/evil.example", "/"},
		{"carriage return and newline", "terug=/%0d%0a/evil.example/x", "/"},
		{"protocol-relative", "terug=//evil.example", "/"},
		{"backslash", "terug=/%5Cevil.example", "/"},
		{"tab and backslash", "terug=/%09%5Cevil.example", "/"},
		{"absolute URL", "terug=https://evil.example/", "/"},
		{"encoded slashes", "terug=/%252F%252Fevil.example", ""},
		{"own page", "terug=%2Fbestuur%2Fpartij%2Fabc%3Ftab%3D1", "/bestuur/partij/abc?tab=1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			email := "u" + strconv.Itoa(i) + "@t.nl"
			if _, err := e.Sys.Store.CreateUser(ctx, email, "U", pw, false); err != nil {
				t.Fatal(err)
			}
			anon := page{t: t, e: e, jar: map[string]string{}}
			form := anon.get("/inloggen?" + tc.rawQuery)
			q, _ := url.ParseQuery(tc.rawQuery)
			back := ""
			if m := backRe.FindStringSubmatch(form); m != nil {
				back = html.UnescapeString(m[1])
			}
			if back != "" && !sameOrigin(back) {
				t.Errorf("login form keeps an off-site return address %q", back)
			}
			// Post the raw value, as an attacker's page would.
			loc, _ := anon.post("/inloggen", url.Values{"email": {email}, "password": {pw}, "terug": {q.Get("terug")}, "_csrf": {csrfRe.FindStringSubmatch(form)[1]}}, 303)
			if !sameOrigin(loc) || strings.ContainsAny(loc, "\t\r\n\\") {
				t.Fatalf("login sends the browser to %q", loc)
			}
			if tc.want != "" && loc != tc.want {
				t.Fatalf("Location %q, want %q", loc, tc.want)
			}
		})
	}
}

// TestLeak_TOTPSecretRotatesOnGet (also-finding): opening the enrolment page
// again shows the same unconfirmed secret; only a confirmed code changes
// anything.
func TestLeak_TOTPSecretRotatesOnGet(t *testing.T) {
	e := apptest.Start(t)
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
	secret := func() string {
		m := secretRe.FindStringSubmatch(com.get("/account/tweestaps"))
		if m == nil {
			t.Fatal("enrolment page shows no key")
		}
		return strings.ReplaceAll(m[1], " ", "")
	}
	first := secret()
	if again := secret(); again != first {
		t.Fatalf("every GET made a new secret: %s then %s", first, again)
	}
}

var resetLinkRe = regexp.MustCompile(`/wachtwoord-herstellen/([A-Za-z0-9_-]{43})`)

// TestPassword_ChangeAndResetPages (also-finding): the same password change
// and reset as the API, on the pages.
func TestPassword_ChangeAndResetPages(t *testing.T) {
	e := apptest.Start(t)
	e.StartWorker()
	ctx := t.Context()
	p, err := e.Sys.Store.CreateParty(ctx, models_admin(), "P")
	if err != nil {
		t.Fatal(err)
	}
	pw := "wachtwoord-van-test-1"
	if _, _, err := e.Sys.Store.AddMember(ctx, models_admin(), p.ID, "b@t.nl", "Bea", "bestuur", &pw); err != nil {
		t.Fatal(err)
	}
	board := page{t: t, e: e, token: e.Login("b@t.nl", pw), jar: map[string]string{}}
	if home := board.get("/account/wachtwoord"); !strings.Contains(home, `autocomplete="current-password"`) {
		t.Fatal("change form lacks the current password")
	}
	_, body := board.post("/account/wachtwoord", url.Values{"current_password": {"fout-fout-fout"}, "password": {"nieuw-wachtwoord-1"}, "password2": {"nieuw-wachtwoord-1"}}, 422)
	if !strings.Contains(body, "Uw huidige wachtwoord klopt niet.") || !strings.Contains(body, "Er is een probleem") {
		t.Fatalf("wrong current password not explained:\n%s", body)
	}
	_, body = board.post("/account/wachtwoord", url.Values{"current_password": {pw}, "password": {"nieuw-wachtwoord-1"}, "password2": {"anders-wachtwoord-1"}}, 422)
	if !strings.Contains(body, "niet gelijk") {
		t.Fatal("different passwords not explained")
	}
	if loc, _ := board.post("/account/wachtwoord", url.Values{"current_password": {pw}, "password": {"nieuw-wachtwoord-1"}, "password2": {"nieuw-wachtwoord-1"}}, 303); loc != "/" {
		t.Fatalf("after the change: %s", loc)
	}
	e.WaitMail("b@t.nl", "gewijzigd")

	anon := page{t: t, e: e, jar: map[string]string{}}
	login := anon.get("/inloggen")
	if !strings.Contains(login, `href="/wachtwoord-vergeten"`) {
		t.Fatal("login page lacks the reset link")
	}
	forgot := anon.get("/wachtwoord-vergeten")
	_, sent := anon.post("/wachtwoord-vergeten", url.Values{"email": {"b@t.nl"}, "_csrf": {csrfRe.FindStringSubmatch(forgot)[1]}}, 200)
	_, unknown := anon.post("/wachtwoord-vergeten", url.Values{"email": {"niemand@t.nl"}, "_csrf": {csrfRe.FindStringSubmatch(forgot)[1]}}, 200)
	if !strings.Contains(sent, "Kijk in uw e-mail") || sent != unknown {
		t.Fatal("the reset page answers differently for a known address")
	}
	m := resetLinkRe.FindStringSubmatch(e.WaitMail("b@t.nl", "Nieuw wachtwoord").BodyText)
	if m == nil {
		t.Fatal("no reset link")
	}
	form := anon.get("/wachtwoord-herstellen/" + m[1])
	csrf := csrfRe.FindStringSubmatch(form)[1]
	if loc, _ := anon.post("/wachtwoord-herstellen/"+m[1], url.Values{"password": {"herstelde-wachtwoord-1"}, "password2": {"herstelde-wachtwoord-1"}, "_csrf": {csrf}}, 303); loc != "/inloggen" {
		t.Fatalf("after the reset: %s", loc)
	}
	if status, _, _ := anon.do("POST", "/wachtwoord-herstellen/"+m[1], url.Values{"password": {"nog-een-wachtwoord-1"}, "password2": {"nog-een-wachtwoord-1"}, "_csrf": {csrf}}); status != 410 {
		t.Fatalf("a used reset link: %d", status)
	}
	e.Login("b@t.nl", "herstelde-wachtwoord-1")
	if status, _, h := board.do("GET", "/account/wachtwoord", nil); status != 303 || !strings.HasPrefix(h.Get("Location"), "/inloggen") {
		t.Fatalf("old session after the reset: %d", status)
	}
}
