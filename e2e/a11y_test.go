package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/e2e"
	"github.com/weerbaar/weerbaar/internal/testenv"
)

// TestMain prints what pa11y found over the whole run (the figures of the
// README: checks, pages, errors, warnings, notices, time spent).
func TestMain(m *testing.M) {
	code := m.Run()
	t := &e2e.Pa11yTally
	t.Lock()
	if t.Checks > 0 {
		fmt.Printf("pa11y: %d checks of %d pages (1280 and 375 px): %d errors, %d warnings, %d notices; %s in HTML_CodeSniffer\n",
			t.Checks, len(t.Pages), t.Errors, t.Warnings, t.Notices, t.Took.Round(time.Millisecond))
	}
	t.Unlock()
	os.Exit(code)
}

// TestAccessibilityStatement: the toegankelijkheidsverklaring is public,
// linked from the footer, in English with ?lang=en, and checked by both
// engines; the favicon is served (no 404 in the console).
func TestAccessibilityStatement(t *testing.T) {
	s := start(t)
	p := s.b.Tab(t)
	p.Go(s.base + "/inloggen")
	p.Follow("Toegankelijkheid")
	if got := path(t, p); got != "/toegankelijkheid" {
		t.Fatalf("the footer link led to %s, want /toegankelijkheid", got)
	}
	if p.Status() != 200 || !strings.HasPrefix(p.Title(), "Toegankelijkheidsverklaring") {
		t.Fatalf("status %d, title %q", p.Status(), p.Title())
	}
	text := p.Text()
	for _, want := range []string{"WCAG 2.1", "EN 301 549", "voldoet gedeeltelijk", "axe-core", "pa11y", "1280", "375",
		"toetsenbord", "Bekende knelpunten", "PDF", "selectiecommissie", "Laatst gecontroleerd op 7 december 2026"} {
		if !strings.Contains(text, want) {
			t.Errorf("the statement does not say %q", want)
		}
	}
	p.Check("toegankelijkheid")

	p.Go(s.base + "/toegankelijkheid?lang=en")
	if lang := e2e.Eval[string](p, `document.documentElement.lang`); lang != "en" {
		t.Errorf("?lang=en: <html lang=%q>", lang)
	}
	en := p.Text()
	for _, want := range []string{"Accessibility statement", "partially compliant", "Known issues", "Last checked on 7 December 2026"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English statement does not say %q", want)
		}
	}
	if strings.Contains(en, "Bekende knelpunten") {
		t.Error("the English statement still has Dutch headings")
	}
	p.Check("toegankelijkheid-en")

	// Logged in, the footer of every page links it (the board's start page).
	q := s.b.Tab(t)
	q.Go(s.base + "/inloggen")
	q.Fill("E-mailadres", boardEmail)
	q.Fill("Wachtwoord", boardPass)
	q.Press("Inloggen")
	if n := e2e.Eval[int](q, `document.querySelectorAll('footer a[href="/toegankelijkheid"]').length`); n != 1 {
		t.Errorf("%s: %d footer links to /toegankelijkheid, want 1", q.URL(), n)
	}
	if n := e2e.Eval[int](q, `document.querySelectorAll('link[rel="icon"]').length`); n < 1 {
		t.Errorf("%s: no <link rel=icon>", q.URL())
	}
	q.Check("bestuur-start")

	// The icons themselves.
	for _, f := range []struct{ path, ctype, magic string }{
		{"/favicon.ico", "image/x-icon", "\x00\x00\x01\x00"},
		{"/static/favicon.svg", "image/svg+xml", "<svg"},
	} {
		res, err := http.Get(s.base + f.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), f.ctype) || !bytes.HasPrefix(body, []byte(f.magic)) {
			t.Errorf("GET %s: %d %q, starts %q", f.path, res.StatusCode, res.Header.Get("Content-Type"), body[:min(len(body), 8)])
		}
	}
}

// pa11yFixture is a page with known HTML_CodeSniffer errors (the two kinds
// issue 15 found, and a few more), served outside the application.
const pa11yFixture = `<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Fouten voor pa11y</title></head>
<body><main>
<h1>Fouten voor pa11y</h1>
<form method="post" action="/niets">
  <button type="submit" name="actie" value="verder"></button>
  <label for="email">E-mailadres</label>
  <input id="email" name="email" type="email" autocomplete="username">
  <label for="naam">Naam</label>
  <input id="naam" name="naam" autocomplete="voornaam">
  <input id="zonder-label" name="x">
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
</form>
</main></body></html>`

// TestPa11yCLIMatches runs the real pa11y CLI (node, Debian's Chromium)
// against a page with known errors and two public pages of the application,
// and the walks' integration (pa11y's runner injected into the chromedp tab)
// against the same URLs: both must report the same errors (code and
// selector) and the same numbers of warnings and notices.
func TestPa11yCLIMatches(t *testing.T) {
	root, err := e2e.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cli := filepath.Join(root, "node_modules", "pa11y", "bin", "pa11y.js")
	if _, err := os.Stat(cli); err != nil {
		testenv.Skip(t, "pa11y ("+cli+")", "run PUPPETEER_SKIP_DOWNLOAD=1 npm ci at the repository root")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Skip(t, "node", "install nodejs")
	}
	s := start(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, pa11yFixture)
	}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	fixture := "http://" + ln.Addr().String() + "/fouten"

	cfg := filepath.Join(t.TempDir(), "pa11y.json")
	cfgJSON, _ := json.Marshal(map[string]any{
		"chromeLaunchConfig": map[string]any{"executablePath": e2e.ChromiumPath(), "args": []string{"--no-sandbox", "--disable-gpu"}},
		"timeout":            60000,
	})
	if err := os.WriteFile(cfg, cfgJSON, 0o600); err != nil {
		t.Fatal(err)
	}
	p := s.b.Tab(t)
	for _, u := range []string{fixture, s.base + "/inloggen", s.base + "/toegankelijkheid"} {
		cmd := exec.Command(node, cli, "--config", cfg, "--standard", e2e.Pa11yStandard, "--runner", "htmlcs",
			"--include-warnings", "--include-notices", "--reporter", "json", u)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "PUPPETEER_SKIP_DOWNLOAD=1")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		start := time.Now()
		err := cmd.Run()
		// Exit status 2: pa11y found errors; anything else non-zero failed.
		if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 2) {
			t.Fatalf("pa11y %s: %v\n%s\n%s", u, err, errb.String(), out.String())
		}
		var cliIssues []struct{ Code, Type, Selector string }
		if err := json.Unmarshal(out.Bytes(), &cliIssues); err != nil {
			t.Fatalf("pa11y %s: output is not JSON: %v\n%s", u, err, out.String())
		}
		p.Go(u)
		ours := p.Pa11y(u)
		var cliErr []string
		cliCount, ourCount := map[string]int{}, map[string]int{}
		for _, is := range cliIssues {
			cliCount[is.Type]++
			if is.Type == "error" {
				cliErr = append(cliErr, is.Code+" "+is.Selector)
			}
		}
		sort.Strings(cliErr)
		for _, is := range ours {
			ourCount[is.Type]++
		}
		ourErr := e2e.Pa11yErrorKeys(ours)
		t.Logf("pa11y CLI %s (%s): %v; the walks' runner: %v", u, time.Since(start).Round(time.Millisecond), cliCount, ourCount)
		if !reflect.DeepEqual(cliErr, ourErr) {
			t.Errorf("%s: the CLI's errors\n  %s\ndiffer from the walks' runner's\n  %s", u, strings.Join(cliErr, "\n  "), strings.Join(ourErr, "\n  "))
		}
		if !reflect.DeepEqual(cliCount, ourCount) {
			t.Errorf("%s: the CLI counts %v, the walks' runner %v", u, cliCount, ourCount)
		}
		if u == fixture {
			want := []string{
				"WCAG2AA.Principle1.Guideline1_3.1_3_5.H98",             // autocomplete=username on type=email
				"WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.Button.Name", // the nameless button
				"WCAG2AA.Principle1.Guideline1_1.1_1_1.H37",             // img without alt
				"WCAG2AA.Principle1.Guideline1_3.1_3_1.F68",             // input without label
			}
			for _, code := range want {
				found := false
				for _, k := range ourErr {
					found = found || strings.HasPrefix(k, code+" ")
				}
				if !found {
					t.Errorf("the fixture's errors lack %s: %v", code, ourErr)
				}
			}
		} else if len(ourErr) > 0 {
			t.Errorf("%s: pa11y errors: %v", u, ourErr)
		}
	}
}
