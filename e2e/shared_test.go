package e2e_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/e2e"
	"github.com/weerbaar/weerbaar/internal/apptest"
)

const (
	v1         = "/api/v1"
	boardEmail = "bestuur@test.nl"
	boardPass  = "wachtwoord-van-het-bestuur-1"
)

// site is a running system served on a loopback port, with a browser, an
// admin, a party and a board member who has a password.
type site struct {
	e     *apptest.Env
	base  string
	b     *e2e.Browser
	admin string // admin API token
	pid   string
}

func start(t *testing.T) *site {
	t.Helper()
	b := e2e.New(t) // first: skips before the system starts when Chromium is missing
	e := apptest.Start(t)
	e.StartWorker()
	s := &site{e: e, base: e.Listen(), b: b, admin: e.Admin()}
	s.pid = e.Must(201, "POST", v1+"/parties", s.admin, map[string]string{"name": "Partij Weerbaar"}).Map(t)["id"].(string)
	e.Must(201, "POST", v1+"/parties/"+s.pid+"/members", s.admin,
		map[string]any{"email": boardEmail, "name": "Bea Bestuur", "role": "bestuur", "password": boardPass})
	return s
}

func path(t *testing.T, p *e2e.Tab) string {
	t.Helper()
	u, err := url.Parse(p.URL())
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

func TestLoginPage(t *testing.T) {
	s := start(t)
	p := s.b.Tab(t)
	p.Go(s.base + "/inloggen")
	if p.Status() != 200 {
		t.Fatalf("GET /inloggen: status %d", p.Status())
	}
	if title := p.Title(); !strings.HasPrefix(title, "Inloggen") {
		t.Errorf("title %q, want it to start with Inloggen", title)
	}
	p.Check("inloggen")
}

func TestLoginErrorSummary(t *testing.T) {
	s := start(t)
	p := s.b.Tab(t)
	p.Go(s.base + "/inloggen")

	t.Run("empty", func(t *testing.T) {
		p := p.With(t)
		p.Press("Inloggen")
		if p.Status() != 422 {
			t.Errorf("status %d, want 422", p.Status())
		}
		checkSummary(t, p, "email", "password")
		p.Check("inloggen-leeg")
	})

	t.Run("wrong password", func(t *testing.T) {
		p := p.With(t)
		p.Fill("E-mailadres", boardEmail)
		p.Fill("Wachtwoord", "niet-het-goede-wachtwoord")
		p.Press("Inloggen")
		if p.Status() != 401 {
			t.Errorf("status %d, want 401", p.Status())
		}
		checkSummary(t, p, "email")
		if !strings.Contains(p.Text(), "klopt niet") {
			t.Errorf("no message that the e-mail or password is wrong:\n%s", p.Text())
		}
		if v := e2e.Eval[string](p, `document.getElementById('email').value`); v != boardEmail {
			t.Errorf("e-mail field holds %q after the failed login, want the entered %q", v, boardEmail)
		}
		if v := e2e.Eval[string](p, `document.getElementById('password').value`); v != "" {
			t.Errorf("password field is filled again after the failed login")
		}
		p.Follow("Het e-mailadres of het wachtwoord klopt niet")
		if u := p.URL(); !strings.HasSuffix(u, "#email") {
			t.Errorf("the summary link went to %s, want #email", u)
		}
		p.Check("inloggen-fout")
	})
}

// checkSummary: the error summary has focus, and links to each field in
// order; each field is marked invalid and described by its message.
func checkSummary(t *testing.T, p *e2e.Tab, fields ...string) {
	t.Helper()
	if f := p.Focused(); !strings.Contains(f, "error-summary") || !strings.Contains(f, "Er is een probleem") {
		t.Errorf("focus is on %s, want the error summary", f)
	}
	type link struct{ Href, Text, Field, Invalid, DescribedBy, Message string }
	links := e2e.Eval[[]link](p, `[...document.querySelectorAll('[data-error-summary] a')].map(a => {
		const id = decodeURIComponent(a.hash.slice(1)), f = document.getElementById(id);
		const by = f ? (f.getAttribute('aria-describedby') || '') : '';
		return {Href: a.getAttribute('href'), Text: a.textContent.trim(), Field: f ? f.tagName + '#' + f.id : '',
			Invalid: f ? f.getAttribute('aria-invalid') || '' : '', DescribedBy: by,
			Message: by.split(/\s+/).map(i => (document.getElementById(i) || {}).textContent || '').join(' ')};
	})`)
	if len(links) != len(fields) {
		t.Fatalf("error summary has %d links %+v, want one for each of %v", len(links), links, fields)
	}
	for i, l := range links {
		switch {
		case l.Href != "#"+fields[i]:
			t.Errorf("summary link %d goes to %q, want #%s", i+1, l.Href, fields[i])
		case l.Field != "INPUT#"+fields[i]:
			t.Errorf("summary link %q points at %q, not at the input", l.Text, l.Field)
		case l.Invalid != "true":
			t.Errorf("field %s is not aria-invalid", fields[i])
		case !strings.Contains(l.Message, l.Text):
			t.Errorf("field %s is described by %q (%q), which does not repeat the summary's %q", fields[i], l.DescribedBy, l.Message, l.Text)
		}
	}
}

func TestLoginByKeyboard(t *testing.T) {
	s := start(t)
	p := s.b.Tab(t)
	p.Go(s.base + "/inloggen")
	step := func(keys []string, want string) {
		t.Helper()
		p.Keys(keys...)
		if f := p.Focused(); !strings.Contains(f, want) {
			t.Fatalf("after %v focus is on %s, want %s", keys, f, want)
		}
	}
	step([]string{"Tab"}, `"Direct naar de inhoud"`)
	step([]string{"Enter"}, "main#inhoud")
	step([]string{"Tab"}, "input#email")
	step([]string{boardEmail, "Tab"}, "input#password")
	step([]string{"Shift+Tab"}, "input#email")
	step([]string{"Tab", boardPass}, "input#password")
	p.Keys("Enter")
	if got, want := path(t, p), "/bestuur/partij/"+s.pid; got != want {
		t.Fatalf("after logging in by keyboard the browser is at %s, want %s", got, want)
	}

	// A fresh browser context has no session.
	q := s.b.Tab(t)
	q.Go(s.base + "/")
	if got := path(t, q); got != "/inloggen" {
		t.Errorf("a new browser went to %s, want /inloggen", got)
	}
}

func TestNotFoundPage(t *testing.T) {
	s := start(t)
	p := s.b.Tab(t)
	p.Go(s.base + "/bestaat-niet")
	if p.Status() != 404 {
		t.Errorf("status %d, want 404", p.Status())
	}
	p.Check("404")
	p.Follow("Naar de startpagina")
	if got := path(t, p); got != "/inloggen" {
		t.Errorf("the start page link led to %s, want /inloggen when logged out", got)
	}
}

var setupLink = regexp.MustCompile(`/account/instellen/[A-Za-z0-9_-]+`)

// setupPath waits for the account set-up mail to addr and returns the link's path.
func setupPath(t *testing.T, e *apptest.Env, addr string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ms := e.Mails()
		for i := len(ms) - 1; i >= 0; i-- {
			if m := setupLink.FindString(ms[i].BodyText); ms[i].ToAddr == addr && m != "" {
				return m
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("no account set-up mail to %s in /dev/mail", addr)
	return ""
}

func TestAccountSetup(t *testing.T) {
	s := start(t)
	const addr, pass = "commissie@test.nl", "een zin van een paar woorden"
	s.e.Must(201, "POST", v1+"/parties/"+s.pid+"/members", s.admin,
		map[string]any{"email": addr, "name": "Cor Commissie", "role": "commissie"})
	link := setupPath(t, s.e, addr)

	p := s.b.Tab(t)
	p.Go(s.base + link)
	p.Check("instellen")

	p.Fill("Nieuw wachtwoord", "kort")
	p.Fill("Herhaal het wachtwoord", "anders")
	p.Press("Wachtwoord opslaan")
	if p.Status() != 422 {
		t.Errorf("a too short password: status %d, want 422", p.Status())
	}
	if f := p.Focused(); !strings.Contains(f, "error-summary") {
		t.Errorf("focus is on %s, want the error summary", f)
	}
	p.Check("instellen-fout")

	p.Fill("Nieuw wachtwoord", pass)
	p.Fill("Herhaal het wachtwoord", pass)
	p.Press("Wachtwoord opslaan")
	if got := path(t, p); got != "/inloggen" {
		t.Fatalf("after setting the password the browser is at %s, want /inloggen", got)
	}
	if !strings.Contains(p.Text(), "Uw wachtwoord is ingesteld") {
		t.Errorf("no confirmation after setting the password:\n%s", p.Text())
	}
	p.Check("inloggen-na-instellen")

	p.Fill("E-mailadres", addr)
	p.Fill("Wachtwoord", pass)
	p.Press("Inloggen")
	if got, want := path(t, p), "/commissie/partij/"+s.pid; got != want {
		t.Errorf("after logging in the committee member is at %s, want %s", got, want)
	}

	// The link works once.
	q := s.b.Tab(t)
	q.Go(s.base + link)
	q.Fill("Nieuw wachtwoord", pass)
	q.Fill("Herhaal het wachtwoord", pass)
	q.Press("Wachtwoord opslaan")
	if q.Status() != 410 || !strings.Contains(q.Text(), "al gebruikt") {
		t.Errorf("a used set-up link: status %d, want 410 and a message that it was used:\n%s", q.Status(), q.Text())
	}
}

var (
	inlineScript = regexp.MustCompile(`(?is)<script\b([^>]*)>`)
	styleAttr    = regexp.MustCompile(`(?i)<[a-z][^>]*\sstyle\s*=`)
	handlerAttr  = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)
	styleElement = regexp.MustCompile(`(?i)<style\b`)
)

// TestContentSecurityPolicy: every page sends a CSP without 'unsafe-inline'
// and has no inline script, style element, style= or on…= attribute (which
// that CSP would block), and the browser reports no violation.
func TestContentSecurityPolicy(t *testing.T) {
	s := start(t)
	p := s.b.Tab(t)
	check := func(what string) {
		t.Helper()
		csp := p.Header("Content-Security-Policy")
		switch {
		case csp == "":
			t.Errorf("%s: no Content-Security-Policy header", what)
		case strings.Contains(csp, "unsafe-inline"), strings.Contains(csp, "unsafe-eval"):
			t.Errorf("%s: CSP allows inline code: %s", what, csp)
		case !strings.Contains(csp, "default-src") && !strings.Contains(csp, "script-src"):
			t.Errorf("%s: CSP restricts no scripts: %s", what, csp)
		}
		html := p.Source()
		for _, m := range inlineScript.FindAllStringSubmatch(html, -1) {
			if !strings.Contains(strings.ToLower(m[1]), "src=") {
				t.Errorf("%s: inline script: %s", what, m[0])
			}
		}
		for _, re := range []*regexp.Regexp{styleAttr, handlerAttr, styleElement} {
			for _, m := range re.FindAllString(html, 5) {
				t.Errorf("%s: inline style or handler: %s", what, m)
			}
		}
		for _, pr := range p.Problems() {
			t.Errorf("%s: the browser reported: %s", what, pr)
		}
	}

	p.Go(s.base + "/inloggen")
	check("login page")
	p.Press("Inloggen")
	check("login page with errors")
	p.Go(s.base + "/bestaat-niet")
	check("404 page")

	s.e.Must(201, "POST", v1+"/parties/"+s.pid+"/members", s.admin,
		map[string]any{"email": "nieuw@test.nl", "name": "Nieuw Lid", "role": "bestuur"})
	p.Go(s.base + setupPath(t, s.e, "nieuw@test.nl"))
	check("account set-up page")

	p.Go(s.base + "/inloggen")
	p.Fill("E-mailadres", boardEmail)
	p.Fill("Wachtwoord", boardPass)
	p.Press("Inloggen")
	check("board start page " + path(t, p))
}

var resetLink = regexp.MustCompile(`/wachtwoord-herstellen/[A-Za-z0-9_-]+`)

// TestPasswordPages: a board member changes the password (with the errors
// on the way), then forgets it, asks for a reset link and follows the
// mailed link to choose a new one.
func TestPasswordPages(t *testing.T) {
	s := start(t)
	const changed, reset = "een nieuw wachtwoord voor het bestuur", "het wachtwoord na de herstel-link"
	p := s.b.Tab(t)
	login(t, p, s.base, boardEmail, boardPass)

	t.Run("change", func(t *testing.T) {
		p := p.With(t)
		p.Follow("Wachtwoord wijzigen")
		if got := path(t, p); got != "/account/wachtwoord" {
			t.Fatalf("the header link went to %s, want /account/wachtwoord", got)
		}
		check(t, p, "wachtwoord-wijzigen")
		p.Press("Wachtwoord wijzigen")
		checkSummary(t, p, "current_password", "password")
		checkAt(t, p, "wachtwoord-wijzigen-leeg", 422)
		p.Fill("Huidig wachtwoord", "niet-het-goede-wachtwoord")
		p.Fill("Nieuw wachtwoord", changed)
		p.Fill("Herhaal het nieuwe wachtwoord", changed)
		p.Press("Wachtwoord wijzigen")
		checkSummary(t, p, "current_password")
		checkAt(t, p, "wachtwoord-wijzigen-fout", 422)
		p.Fill("Huidig wachtwoord", boardPass)
		p.Fill("Nieuw wachtwoord", changed)
		p.Fill("Herhaal het nieuwe wachtwoord", changed)
		p.Press("Wachtwoord wijzigen")
		wantText(t, p, "Uw wachtwoord is gewijzigd")
		check(t, p, "wachtwoord-gewijzigd")
		s.e.With(t).WaitMail(boardEmail, "Uw wachtwoord voor Weerbaar is gewijzigd")
	})

	t.Run("forgotten", func(t *testing.T) {
		q := s.b.Tab(t)
		q.Go(s.base + "/inloggen")
		q.Follow("Wachtwoord vergeten?")
		if got := path(t, q); got != "/wachtwoord-vergeten" {
			t.Fatalf("the login page's link went to %s", got)
		}
		check(t, q, "wachtwoord-vergeten")
		q.Press("Stuur mij een link")
		checkSummary(t, q, "email")
		checkAt(t, q, "wachtwoord-vergeten-leeg", 422)
		q.Fill("E-mailadres", boardEmail)
		q.Press("Stuur mij een link")
		wantText(t, q, "Kijk in uw e-mail")
		check(t, q, "wachtwoord-vergeten-verstuurd")

		link := resetLink.FindString(s.e.With(t).WaitMail(boardEmail, "Nieuw wachtwoord kiezen").BodyText)
		if link == "" {
			t.Fatal("the reset mail has no link")
		}
		q.Go(s.base + link)
		check(t, q, "wachtwoord-herstellen")
		q.Fill("Nieuw wachtwoord", "kort")
		q.Fill("Herhaal het wachtwoord", "anders")
		q.Press("Nieuw wachtwoord opslaan")
		checkSummary(t, q, "password", "password2")
		checkAt(t, q, "wachtwoord-herstellen-fout", 422)
		q.Fill("Nieuw wachtwoord", reset)
		q.Fill("Herhaal het wachtwoord", reset)
		q.Press("Nieuw wachtwoord opslaan")
		if got := path(t, q); got != "/inloggen" {
			t.Fatalf("after the reset the browser is at %s, want /inloggen", got)
		}
		wantText(t, q, "Uw nieuwe wachtwoord is ingesteld")
		check(t, q, "inloggen-na-herstellen")
		q.Fill("E-mailadres", boardEmail)
		q.Fill("Wachtwoord", reset)
		q.Press("Inloggen")
		if got, want := path(t, q), "/bestuur/partij/"+s.pid; got != want {
			t.Errorf("after logging in with the new password the board member is at %s, want %s", got, want)
		}
		// The reset ended the other session.
		p := p.With(t)
		p.Go(s.base + "/account/wachtwoord")
		if got := path(t, p); got != "/inloggen" {
			t.Errorf("the session from before the reset still opens %s", got)
		}
	})
}
