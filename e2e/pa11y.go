package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/weerbaar/weerbaar/internal/testenv"
)

// pa11y is the second accessibility engine beside axe (issue 15): pa11y's
// HTML_CodeSniffer runner with the WCAG2AA standard.
//
// It runs in the tab the walk drives, in the same page state as axe (logged
// in, after the walk's clicks and typing), by injecting pa11y's own
// client-side scripts from node_modules and calling them exactly as pa11y's
// lib/pa11y.js does: lib/runner.js (window.__pa11y), then the htmlcs
// runner bundle (HTML_CodeSniffer's build plus
// window.__pa11y.runners.htmlcs = <lib/runners/htmlcs.js run>), then
// window.__pa11y.run(options). Running the pa11y node API instead would
// open a fresh browser per URL: it would need the session cookie, could not
// reach the state after a walk's interactions (an open details element, a
// form with errors after a POST), and would double the page loads. The
// pa11y CLI itself runs once in TestPa11yCLIMatches, to show this finds
// what the CLI finds.

// Pa11yStandard is the HTML_CodeSniffer standard the walks use.
const Pa11yStandard = "WCAG2AA"

// Pa11yIgnore lists the HTML_CodeSniffer codes the walks do not fail on,
// each with its reason. Keep it empty unless a rule is wrong for a page;
// fix the markup instead when you can.
var Pa11yIgnore = map[string]string{}

// Pa11yIssue is one finding as pa11y reports it.
type Pa11yIssue struct {
	Code, Type, Message, Context, Selector string
}

// Pa11yTally counts what pa11y found over every check of the test binary
// (for the README figures; TestMain prints it at the end of the run).
var Pa11yTally struct {
	sync.Mutex
	Checks, Errors, Warnings, Notices int
	Pages                             map[string]bool
	Took                              time.Duration
}

var pa11ySource struct {
	once    sync.Once
	path    string
	version string
	runner  string // lib/runner.js
	htmlcs  string // the htmlcs runner bundle, as pa11y builds it
	err     error
}

// loadPa11y reads pa11y's client-side scripts from node_modules.
func loadPa11y() {
	s := &pa11ySource
	root, err := RepoRoot()
	if err != nil {
		s.err = err
		return
	}
	dir := filepath.Join(root, "node_modules", "pa11y")
	s.path = dir
	read := func(p string) string {
		if s.err != nil {
			return ""
		}
		b, err := os.ReadFile(p)
		if err != nil {
			s.err = err
		}
		return string(b)
	}
	var pkg struct{ Version string }
	if raw := read(filepath.Join(dir, "package.json")); s.err == nil {
		if err := json.Unmarshal([]byte(raw), &pkg); err != nil {
			s.err = fmt.Errorf("%s/package.json: %w", dir, err)
			return
		}
	}
	s.version = pkg.Version
	s.runner = read(filepath.Join(dir, "lib", "runner.js"))
	runnerJS := read(filepath.Join(dir, "lib", "runners", "htmlcs.js"))
	// HTML_CodeSniffer: pa11y's own dependency (npm may hoist it).
	htmlcsPath := filepath.Join(dir, "node_modules", "@pa11y", "html_codesniffer", "build", "HTMLCS.js")
	if _, err := os.Stat(htmlcsPath); err != nil {
		htmlcsPath = filepath.Join(root, "node_modules", "@pa11y", "html_codesniffer", "build", "HTMLCS.js")
	}
	htmlcs := read(htmlcsPath)
	if s.err != nil {
		return
	}
	if !strings.Contains(runnerJS, "require.resolve('@pa11y/html_codesniffer/build/HTMLCS.js')") || !strings.Contains(runnerJS, "runner.run =") {
		s.err = fmt.Errorf("%s/lib/runners/htmlcs.js has changed shape (pa11y %s); update e2e/pa11y.go", dir, s.version)
		return
	}
	// pa11y's loadRunnerScript: the runner's scripts, then its run function
	// under window.__pa11y.runners. The run function comes out of the
	// CommonJS module through a small shim (module, require.resolve).
	s.htmlcs = ";" + htmlcs + ";\n;window.__pa11y.runners[\"htmlcs\"] = (function () {\n" +
		"const module = {exports: {}}; const exports = module.exports; const require = {resolve: p => p};\n" +
		runnerJS + "\n;return module.exports.run;\n})();\n"
}

// pa11yCheckTimeout bounds one HTML_CodeSniffer run (long pages on a busy
// machine take a few seconds).
const pa11yCheckTimeout = 60 * time.Second

// Pa11y runs pa11y's HTML_CodeSniffer runner (WCAG2AA) on the page as it is
// and returns every issue (errors, warnings and notices).
func (p *Tab) Pa11y(name string) []Pa11yIssue {
	p.t.Helper()
	pa11ySource.once.Do(loadPa11y)
	if pa11ySource.err != nil {
		testenv.Skip(p.t, "pa11y ("+pa11ySource.path+": "+pa11ySource.err.Error()+")", "run npm ci at the repository root (PUPPETEER_SKIP_DOWNLOAD=1 npm ci)")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(p.ctx, pa11yCheckTimeout)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.__pa11y === 'object' && typeof window.__pa11y.runners.htmlcs === 'function'`))
	if err != nil {
		p.fail("pa11y %s: %v", name, err)
	}
	if !loaded {
		for _, src := range []string{pa11ySource.runner, pa11ySource.htmlcs} {
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
				p.fail("pa11y %s: inject pa11y's runner: %v", name, err)
			}
		}
	}
	opts, _ := json.Marshal(map[string]any{
		"pa11yVersion": pa11ySource.version,
		"ignore":       []string{}, // warnings and notices too: counted, not failures
		"rootElement":  nil,
		"hideElements": nil,
		"rules":        []string{},
		"runners":      []string{"htmlcs"},
		"standard":     Pa11yStandard,
		"wait":         0,
	})
	res, err := chromedp.Run(ctx, chromedp.Evaluate[struct{ Issues []Pa11yIssue }](
		`window.__pa11y.run(`+string(opts)+`).then(r => ({Issues: r.issues.map(i => ({Code: i.code, Type: i.type, Message: i.message, Context: i.context || '', Selector: i.selector}))}))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		p.fail("pa11y %s: run: %v", name, err)
	}
	took := time.Since(start)
	var e, w, n int
	for _, is := range res.Issues {
		switch is.Type {
		case "error":
			e++
		case "warning":
			w++
		default:
			n++
		}
	}
	Pa11yTally.Lock()
	Pa11yTally.Checks++
	Pa11yTally.Errors += e
	Pa11yTally.Warnings += w
	Pa11yTally.Notices += n
	Pa11yTally.Took += took
	if Pa11yTally.Pages == nil {
		Pa11yTally.Pages = map[string]bool{}
	}
	Pa11yTally.Pages[pathOnly(p.URL())] = true
	Pa11yTally.Unlock()
	p.t.Logf("pa11y %s: %d errors, %d warnings, %d notices (%s)", name, e, w, n, took.Round(time.Millisecond))
	return res.Issues
}

// pa11yErrors runs pa11y and returns its errors (those not in Pa11yIgnore)
// as text, one per element with code and selector ("" when there are none).
func (p *Tab) pa11yErrors(name string) string {
	p.t.Helper()
	var b strings.Builder
	for _, is := range p.Pa11y(name) {
		if is.Type != "error" {
			continue
		}
		if _, ok := Pa11yIgnore[is.Code]; ok {
			continue
		}
		fmt.Fprintf(&b, "\n  %s\n      at %s: %s\n        %s", is.Code, is.Selector, abbreviate(is.Context, 160), abbreviate(is.Message, 300))
	}
	if b.Len() == 0 {
		return ""
	}
	return fmt.Sprintf("pa11y %s: HTML_CodeSniffer %s errors:%s", name, Pa11yStandard, b.String())
}

// Pa11yErrorKeys are the errors as "code selector" lines, sorted (to
// compare with the pa11y CLI).
func Pa11yErrorKeys(issues []Pa11yIssue) []string {
	var out []string
	for _, is := range issues {
		if is.Type == "error" {
			out = append(out, is.Code+" "+is.Selector)
		}
	}
	sort.Strings(out)
	return out
}

func pathOnly(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		} else {
			u = "/"
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}
