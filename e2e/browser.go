// Package e2e drives Weerbaar's pages in headless Chromium (chromedp) for
// browser tests: a Browser per test, a Tab per "person at a screen", and
// actions in the words a user would use (fill in the field labelled X, press
// the button Y). Every wait is bounded, so a test stops by itself.
//
// Chromium is /usr/bin/chromium or $CHROMIUM; axe-core comes from
// node_modules at the repository root (npm ci). Without them the tests skip,
// or fail under WEERBAAR_REQUIRE_SERVICES=1 (see internal/testenv).
//
// Run:
//
//	npm ci                          # once: node_modules/axe-core
//	go test ./e2e/ -v -count=1      # screenshots land in e2e/screenshots/<test>/
//
// A test starts the system with apptest, serves it with Listen, and drives
// it:
//
//	b := e2e.New(t)
//	e := apptest.Start(t); e.StartWorker(); base := e.Listen()
//	p := b.Tab(t)
//	p.Go(base + "/inloggen")
//	p.Fill("E-mailadres", "bestuur@test.nl")
//	p.Press("Inloggen")
//	p.Check("start") // axe, screenshots, no sideways scrolling at 375 px, no CSP report
package e2e

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/weerbaar/weerbaar/internal/testenv"
)

// helpersJS defines E, the page-side helpers (finding fields, buttons and
// links by their text, describing elements, measuring overflow).
//
//go:embed helpers.js
var helpersJS string

// Bounds of the waits.
const (
	// Wait bounds one action: a navigation, a query, a page load.
	Wait = 10 * time.Second
	// startWait bounds starting Chromium and opening a tab.
	startWait = 30 * time.Second
	// grace is how long an action that should not navigate waits to see
	// whether it did anyway.
	grace = 200 * time.Millisecond
)

// The viewports Screenshot and Check use.
const (
	DesktopWidth, DesktopHeight = 1280, 900
	MobileWidth, MobileHeight   = 375, 800
)

// DefaultChromium is where Debian's chromium package installs the browser.
const DefaultChromium = "/usr/bin/chromium"

// ChromiumPath is $CHROMIUM, else DefaultChromium.
func ChromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return DefaultChromium
}

// Browser is one headless Chromium process for one test.
type Browser struct {
	t   testing.TB
	ctx context.Context // holds the browser; tabs are its children
}

// New starts Chromium for the test and stops it when the test ends. It
// skips (or fails under WEERBAAR_REQUIRE_SERVICES=1) when Chromium is missing.
func New(t testing.TB) *Browser {
	t.Helper()
	path := ChromiumPath()
	if st, err := os.Stat(path); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		testenv.Skip(t, "Chromium ("+path+")", "install it (apt-get install chromium) or point $CHROMIUM at a Chrome/Chromium binary")
	}
	out := &lockedBuffer{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // needed as root; harmless otherwise in a throw-away test browser
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// Keep the browser off the network: without these it calls home
		// (component updates, sync, QUIC probes) and floods a closed network.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.WindowSize(DesktopWidth, DesktopHeight),
		chromedp.CombinedOutput(out),
		// No UserDataDir option: chromedp makes a fresh temporary profile
		// per browser and removes it when the browser stops.
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx,
		chromedp.WithLogf(out.printf), chromedp.WithErrorf(out.printf))
	t.Cleanup(func() {
		bcancel()
		acancel() // also waits for the process to exit
	})
	timer := time.AfterFunc(startWait, acancel)
	err := chromedp.Do(bctx) // starts the browser
	timer.Stop()
	if err != nil {
		t.Fatalf("start Chromium %s: %v\n%s", path, err, out.tail(20))
	}
	return &Browser{t: t, ctx: bctx}
}

// Tab opens a tab in a fresh browser context: its own cookie jar and
// storage, as if the user had closed the browser and opened it again. The
// tab closes when t ends. The viewport starts at desktop size.
func (b *Browser) Tab(t testing.TB) *Tab {
	t.Helper()
	st := &tabState{}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(st.listen))
	t.Cleanup(cancel)
	timer := time.AfterFunc(startWait, cancel)
	err := chromedp.Do(ctx) // opens the tab
	timer.Stop()
	if err != nil {
		t.Fatalf("open a browser tab: %v", err)
	}
	st.mu.Lock()
	st.ctx = ctx
	st.main = cdp.FrameID(chromedp.FromContext(ctx).Target.TargetID)
	st.mu.Unlock()
	p := &Tab{t: t, ctx: ctx, st: st, cancel: cancel}
	p.Viewport(DesktopWidth, DesktopHeight)
	return p
}

// Close closes the tab and its browser context (cookies and storage go with
// it), as a user closing the browser. The Tab must not be used afterwards.
func (p *Tab) Close() { p.cancel() }

// Tab is one browser tab. Its methods fail the test (t.Fatal) with the
// page's URL and h1 when something is not as expected.
type Tab struct {
	t      testing.TB
	ctx    context.Context
	cancel context.CancelFunc
	st     *tabState
	scope  string // CSS selector that Fill, Choose, Press and Follow search in; "" is the whole page
}

// Within returns the same tab with Fill, Choose, Press and Follow limited to
// the first element matching the CSS selector (e.g. one row of a table).
func (p *Tab) Within(css string) *Tab {
	cp := *p
	cp.scope = css
	return &cp
}

// With returns the same tab reporting to another test (a subtest).
func (p *Tab) With(t testing.TB) *Tab {
	cp := *p
	cp.t = t
	return &cp
}

// tabState is what the event listener learns about the tab.
type tabState struct {
	mu   sync.Mutex
	ctx  context.Context
	main cdp.FrameID

	started  int  // main-frame loads started (or cross-document navigations started)
	stopped  int  // main-frame loads stopped
	sameDoc  int  // same-document navigations (fragment links)
	loading  bool // between frameStartedLoading and frameStoppedLoading
	resp     *network.Response
	respID   network.RequestID
	problems []string // CSP violations and uncaught exceptions of the current document
	dialogs  []string // every JavaScript dialog the tab opened ("alert: 1")
	w, h     int
}

type counters struct {
	started, stopped, sameDoc int
	loading                   bool
}

func (s *tabState) snapshot() counters {
	s.mu.Lock()
	defer s.mu.Unlock()
	return counters{s.started, s.stopped, s.sameDoc, s.loading}
}

// listen runs in the tab's event loop: it must return fast and send no command.
func (s *tabState) listen(ev any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	isMain := func(id cdp.FrameID) bool { return s.main != "" && id == s.main }
	switch ev := ev.(type) {
	case *page.EventFrameStartedLoading:
		if isMain(ev.FrameID) {
			s.started++
			s.loading = true
		}
	case *page.EventFrameStoppedLoading:
		if isMain(ev.FrameID) {
			s.stopped++
			s.loading = false
		}
	case *page.EventFrameStartedNavigating:
		if isMain(ev.FrameID) {
			switch ev.NavigationType {
			case page.FrameStartedNavigatingNavigationTypeSameDocument, page.FrameStartedNavigatingNavigationTypeHistorySameDocument:
			default:
				s.started++
			}
		}
	case *page.EventNavigatedWithinDocument:
		if isMain(ev.FrameID) {
			s.sameDoc++
		}
	case *page.EventFrameNavigated:
		if ev.Frame != nil && ev.Frame.ParentID == "" && ev.Type != page.NavigationTypeBackForwardCacheRestore {
			s.problems = nil
		}
	case *log.EventEntryAdded:
		if e := ev.Entry; e != nil && (e.Source == log.EntrySourceSecurity || e.Source == log.EntrySourceViolation || strings.Contains(e.Text, "Content Security Policy") ||
			(e.Source == log.EntrySourceNetwork && e.Level == log.EntryLevelError && !strings.Contains(e.Text, "status of 4") && !strings.Contains(e.Text, "status of 5"))) {
			s.problems = append(s.problems, fmt.Sprintf("%s (%s) %s", e.Source, e.Level, e.Text))
		}
	case *network.EventResponseReceived:
		if ev.Type == network.ResourceTypeDocument && isMain(ev.FrameID) {
			s.resp, s.respID = ev.Response, ev.RequestID
		}
		// A subresource (style, script, image, icon) that failed is what
		// the console shows as "Failed to load resource"; a document with
		// an error status is a page the test opened on purpose, and a
		// fetch answers a script (autosave's 422, the idle test's probe of
		// an ended session) that handles the status itself.
		if r := ev.Response; r != nil && r.Status >= 400 && ev.Type != network.ResourceTypeDocument &&
			ev.Type != network.ResourceTypeFetch && ev.Type != network.ResourceTypeXHR {
			s.problems = append(s.problems, fmt.Sprintf("request failed: %d %s (%s)", r.Status, pathOnly(r.URL), ev.Type))
		}
	case *runtime.EventExceptionThrown:
		if d := ev.ExceptionDetails; d != nil {
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			s.problems = append(s.problems, fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg))
		}
	case *page.EventJavascriptDialogOpening:
		s.dialogs = append(s.dialogs, fmt.Sprintf("%s: %s", ev.Type, ev.Message))
		// Accept alerts and confirms (data-confirm forms), as a user who
		// means it would. Commands cannot run in the listener.
		ctx := s.ctx
		go func() {
			if ctx == nil {
				return
			}
			c, cancel := context.WithTimeout(ctx, Wait)
			defer cancel()
			_, _ = chromedp.Call(c, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}()
	}
}

// fail stops the test with the message and where the browser is.
func (p *Tab) fail(format string, args ...any) {
	p.t.Helper()
	p.t.Fatalf("%s\n    page: %s", fmt.Sprintf(format, args...), p.where())
}

// where describes the current page for failure messages; it never fails.
func (p *Tab) where() string {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[struct{ URL, H1, Title string }](
		`({URL: location.href, H1: ((document.querySelector('h1') || {}).textContent || '').replace(/\s+/g, ' ').trim(), Title: document.title})`))
	if err != nil {
		return fmt.Sprintf("(unknown: %v)", err)
	}
	return fmt.Sprintf("%s — h1 %q, title %q", v.URL, v.H1, v.Title)
}

// do runs actions with the Wait bound.
func (p *Tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Wait)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.fail("%s: %v", what, err)
	}
}

// Eval evaluates a JavaScript expression in the page (awaiting a promise)
// and decodes its JSON value into T; it fails the test on an exception.
func Eval[T any](p *Tab, js string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Wait)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.fail("evaluate %s: %v", abbreviate(js, 120), err)
	}
	return v
}

// call runs one of the helpers in helpersJS with JSON arguments.
func call[T any](p *Tab, fn string, args ...any) T {
	p.t.Helper()
	parts := make([]string, len(args))
	for i, a := range args {
		b, _ := json.Marshal(a)
		parts[i] = string(b)
	}
	return Eval[T](p, "(() => {\n"+helpersJS+"\nreturn "+fn+"("+strings.Join(parts, ", ")+");\n})()")
}

// Go opens the URL and waits until the page has loaded.
func (p *Tab) Go(url string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Wait)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(url)); err != nil {
		p.fail("open %s: %v", url, err)
	}
	p.waitLoaded("open " + url)
}

// waitLoaded waits until the document has a body and has finished loading
// (so deferred scripts and DOMContentLoaded handlers have run).
func (p *Tab) waitLoaded(what string) {
	p.t.Helper()
	deadline := time.Now().Add(Wait)
	for {
		ctx, cancel := context.WithTimeout(p.ctx, Wait)
		ready, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === 'complete' && !!document.body`))
		cancel()
		if err == nil && ready {
			return
		}
		if time.Now().After(deadline) {
			p.fail("%s: the page did not finish loading within %s (last error: %v)", what, Wait, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// settle waits after an action for the page load it caused. When a load is
// expected (a submit button, a link to another page) it waits up to Wait for
// it to start; otherwise it only looks for a short grace period.
func (p *Tab) settle(before counters, expected bool, what string) {
	p.t.Helper()
	start := time.Now()
	for {
		now := p.st.snapshot()
		switch {
		case now.started > before.started:
			if now.stopped > before.stopped && !now.loading {
				p.waitLoaded(what)
				return
			}
		case now.sameDoc > before.sameDoc:
			return
		case !expected && time.Since(start) > grace:
			return
		}
		if time.Since(start) > Wait {
			if now.started > before.started {
				p.fail("%s: the new page did not finish loading within %s", what, Wait)
			}
			p.fail("%s: expected a new page, but none started loading within %s", what, Wait)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Viewport sets the size of the page area in CSS pixels. Widths up to 480
// emulate a mobile device (the meta viewport applies).
func (p *Tab) Viewport(w, h int) {
	p.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if w <= 480 {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulatePortrait)
	}
	p.do(fmt.Sprintf("set the viewport to %dx%d", w, h), chromedp.EmulateViewport(int64(w), int64(h), opts...))
	p.st.mu.Lock()
	p.st.w, p.st.h = w, h
	p.st.mu.Unlock()
	// Let layout settle (two animation frames).
	Eval[chromedp.Void](p, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
}

func (p *Tab) viewport() (int, int) {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	return p.st.w, p.st.h
}

// Fill finds the input, textarea or select whose visible <label> text is
// label (exactly, else as a prefix, e.g. without "(niet verplicht)"), focuses
// it and types value into it (replacing what was there). For a select,
// value is the text of the option to pick.
func (p *Tab) Fill(label, value string) {
	p.t.Helper()
	r := call[found](p, "E.field", p.scope, label)
	if r.Error != "" {
		p.fail("fill in %q: %s", label, r.Error)
	}
	if r.Tag == "SELECT" {
		res := call[found](p, "E.selectOption", value)
		if res.Error != "" {
			p.fail("fill in %q (%s): %s", label, r.Desc, res.Error)
		}
		return
	}
	Eval[chromedp.Void](p, `(() => { const el = document.activeElement; el.value = ''; el.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`)
	p.do(fmt.Sprintf("type into %s", r.Desc), chromedp.KeyEvent(value))
	got := Eval[string](p, `document.activeElement.value`)
	want := value
	if r.Type != "textarea" {
		want = strings.TrimSpace(strings.ReplaceAll(value, "\n", ""))
		got = strings.TrimSpace(got)
	}
	if got != want {
		p.fail("fill in %q (%s): typed %q but the field holds %q", label, r.Desc, value, got)
	}
}

// Choose checks the radio button or checkbox labelled optionLabel inside
// the fieldset whose legend is groupLegend (exact, else prefix matches).
// A checkbox that is already checked stays checked.
func (p *Tab) Choose(groupLegend, optionLabel string) {
	p.t.Helper()
	r := call[found](p, "E.choice", p.scope, groupLegend, optionLabel)
	if r.Error != "" {
		p.fail("choose %q in %q: %s", optionLabel, groupLegend, r.Error)
	}
	if !r.Checked {
		before := p.st.snapshot()
		p.do("click "+r.Desc, chromedp.MouseClickXY(r.X, r.Y))
		p.settle(before, false, "choose "+optionLabel)
	}
	if !call[bool](p, "E.isChecked", p.scope, groupLegend, optionLabel) {
		p.fail("choose %q in %q: clicked %s but it is not checked", optionLabel, groupLegend, r.Desc)
	}
}

// Press clicks the button (<button>, <input type=submit|button>) whose text
// is buttonText (exact, else prefix) with the mouse, and waits for the page
// it leads to, if any.
func (p *Tab) Press(buttonText string) {
	p.t.Helper()
	p.click("E.button", buttonText, "press")
}

// Follow clicks the link whose text is linkText (exact, else prefix) and
// waits for the page it leads to.
func (p *Tab) Follow(linkText string) {
	p.t.Helper()
	p.click("E.link", linkText, "follow")
}

func (p *Tab) click(fn, text, verb string) {
	p.t.Helper()
	r := call[found](p, fn, p.scope, text)
	if r.Error != "" {
		p.fail("%s %q: %s", verb, text, r.Error)
	}
	before := p.st.snapshot()
	p.do("click "+r.Desc, chromedp.MouseClickXY(r.X, r.Y))
	p.settle(before, r.Nav, fmt.Sprintf("%s %q", verb, text))
}

// keyNames are the names Keys understands; anything else is typed as text.
var keyNames = map[string]string{
	"Tab": kb.Tab, "Enter": kb.Enter, "Space": " ", "Escape": kb.Escape, "Backspace": kb.Backspace,
	"Delete": kb.Delete, "ArrowUp": kb.ArrowUp, "ArrowDown": kb.ArrowDown, "ArrowLeft": kb.ArrowLeft,
	"ArrowRight": kb.ArrowRight, "Home": kb.Home, "End": kb.End, "PageUp": kb.PageUp, "PageDown": kb.PageDown,
}

// Keys presses keys on whatever has focus. Each argument is a key name
// (Tab, Shift+Tab, Enter, Space, Escape, Backspace, Delete, Arrow{Up,Down,
// Left,Right}, Home, End, PageUp, PageDown; Shift+ works with each) or text
// to type. After Enter or Space it waits for the page that key leads to.
func (p *Tab) Keys(keys ...string) {
	p.t.Helper()
	for _, k := range keys {
		name, shift := k, false
		if rest, ok := strings.CutPrefix(k, "Shift+"); ok {
			if _, known := keyNames[rest]; known {
				name, shift = rest, true
			}
		}
		seq, named := keyNames[name]
		if !named {
			p.do(fmt.Sprintf("type %q", k), chromedp.KeyEvent(k))
			continue
		}
		var opts []chromedp.KeyOption
		if shift {
			opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
		}
		activates := name == "Enter" || name == "Space"
		expect := false
		if activates && !shift {
			expect = call[bool](p, "E.keyNavigates", name)
		}
		before := p.st.snapshot()
		p.do("press "+k, chromedp.KeyEvent(seq, opts...))
		if activates {
			p.settle(before, expect, "press "+k+" on the focused element")
		}
	}
}

// Focused describes document.activeElement: tag#id[name=…][type=…] and
// its label or text in quotes, e.g. `input#email[name=email][type=email] "E-mailadres"`.
func (p *Tab) Focused() string {
	p.t.Helper()
	return call[string](p, "E.describe", nil)
}

// Text is document.body.innerText (what a user reads).
func (p *Tab) Text() string {
	p.t.Helper()
	return Eval[string](p, `document.body.innerText`)
}

// HTML is the current DOM serialised (document.documentElement.outerHTML).
func (p *Tab) HTML() string {
	p.t.Helper()
	return Eval[string](p, `document.documentElement.outerHTML`)
}

// Source is the current document as the server sent it (before scripts ran).
func (p *Tab) Source() string {
	p.t.Helper()
	p.st.mu.Lock()
	id := p.st.respID
	p.st.mu.Unlock()
	if id == "" {
		p.fail("source: no document response seen")
	}
	ctx, cancel := context.WithTimeout(p.ctx, Wait)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: id})
	if err != nil {
		p.fail("source: %v", err)
	}
	return string(res.Body)
}

// URL is the address of the page.
func (p *Tab) URL() string {
	p.t.Helper()
	return Eval[string](p, `location.href`)
}

// Title is document.title.
func (p *Tab) Title() string {
	p.t.Helper()
	return Eval[string](p, `document.title`)
}

// Status is the HTTP status of the current document (0 if unknown).
func (p *Tab) Status() int {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	if p.st.resp == nil {
		return 0
	}
	return int(p.st.resp.Status)
}

// Header is a response header of the current document ("" if absent).
func (p *Tab) Header(name string) string {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	if p.st.resp == nil {
		return ""
	}
	for k, v := range p.st.resp.Headers {
		if strings.EqualFold(k, name) {
			return fmt.Sprint(v)
		}
	}
	return ""
}

// Dialogs are the JavaScript dialogs (alert, confirm, prompt) the tab has
// opened since it was opened, as "type: message".
func (p *Tab) Dialogs() []string {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	return append([]string(nil), p.st.dialogs...)
}

// Problems are the CSP violations and uncaught exceptions the browser
// reported for the current document.
func (p *Tab) Problems() []string {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	return append([]string(nil), p.st.problems...)
}

// axeTags are the rule sets Axe runs: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

type axeViolation struct {
	ID, Impact, Help, HelpURL string
	Nodes                     []struct{ Target, HTML, Summary string }
}

var axeSource struct {
	once sync.Once
	path string
	src  []byte
	err  error
}

// axe runs axe-core and returns the serious and critical violations as
// text ("" when there are none).
func (p *Tab) axe(name string) string {
	p.t.Helper()
	axeSource.once.Do(func() {
		root, err := RepoRoot()
		if err != nil {
			axeSource.err = err
			return
		}
		axeSource.path = filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
		axeSource.src, axeSource.err = os.ReadFile(axeSource.path)
	})
	if axeSource.err != nil {
		testenv.Skip(p.t, "axe-core ("+axeSource.path+")", "run npm ci at the repository root")
	}
	if !Eval[bool](p, `typeof window.axe === 'object'`) {
		ctx, cancel := context.WithTimeout(p.ctx, Wait)
		_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axeSource.src)))
		cancel()
		if err != nil {
			p.fail("axe %s: inject axe-core: %v", name, err)
		}
	}
	tags, _ := json.Marshal(axeTags)
	vs := Eval[[]axeViolation](p, `axe.run(document, {runOnly: {type: 'tag', values: `+string(tags)+`}, resultTypes: ['violations']}).then(r =>
		r.violations.map(v => ({ID: v.id, Impact: v.impact || '', Help: v.help, HelpURL: v.helpUrl,
			Nodes: v.nodes.map(n => ({Target: n.target.map(String).join(' '), HTML: n.html.slice(0, 160), Summary: (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 300)}))})))`)
	var bad, minor strings.Builder
	for _, v := range vs {
		b := &minor
		if v.Impact == "serious" || v.Impact == "critical" {
			b = &bad
		}
		fmt.Fprintf(b, "\n  [%s] %s: %s (%s)", v.Impact, v.ID, v.Help, v.HelpURL)
		for i, n := range v.Nodes {
			if i == 8 {
				fmt.Fprintf(b, "\n      … and %d more", len(v.Nodes)-i)
				break
			}
			fmt.Fprintf(b, "\n      at %s: %s\n        %s", n.Target, n.HTML, n.Summary)
		}
	}
	if minor.Len() > 0 {
		p.t.Logf("axe %s: moderate/minor findings:%s", name, minor.String())
	}
	if bad.Len() == 0 {
		return ""
	}
	return fmt.Sprintf("axe %s: serious or critical accessibility violations:%s", name, bad.String())
}

// Screenshot saves full-page PNGs at desktop width and at 375 px as
// e2e/screenshots/<test>/<name>-desktop.png and <name>-375.png.
func (p *Tab) Screenshot(name string) {
	p.t.Helper()
	root, err := RepoRoot()
	if err != nil {
		p.fail("screenshot %s: %v", name, err)
	}
	dir := filepath.Join(root, "e2e", "screenshots", filepath.FromSlash(safePath(p.t.Name())))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	w, h := p.viewport()
	defer p.Viewport(w, h)
	for _, v := range []struct {
		suffix string
		w, h   int
	}{{"desktop", DesktopWidth, DesktopHeight}, {fmt.Sprint(MobileWidth), MobileWidth, MobileHeight}} {
		p.Viewport(v.w, v.h)
		png := p.fullPage(name)
		file := filepath.Join(dir, safePath(name)+"-"+v.suffix+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
}

// fullPage captures the whole document (not just the viewport), including
// anything that overflows to the right.
func (p *Tab) fullPage(name string) []byte {
	p.t.Helper()
	size := Eval[struct{ W, H float64 }](p, `({W: Math.max(document.documentElement.scrollWidth, innerWidth), H: Math.min(16000, Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0, innerHeight))})`)
	ctx, cancel := context.WithTimeout(p.ctx, Wait)
	defer cancel()
	res, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		Clip:                  &page.Viewport{Width: size.W, Height: size.H, Scale: 1},
		CaptureBeyondViewport: ptr(true),
		FromSurface:           ptr(true),
	})
	if err != nil {
		p.fail("screenshot %s: %v", name, err)
	}
	return res.Data
}

// Check is the standard page check: the screenshots, axe and pa11y at
// desktop width and at 375 px, no horizontal scrolling at 375 px, and no CSP
// violation, uncaught exception or failed request (a 404 for /favicon.ico,
// say) reported by the browser. It reports all findings at once.
func (p *Tab) Check(name string) {
	p.t.Helper()
	w, h := p.viewport()
	p.Screenshot(name)
	var findings []string
	if r := p.axe(name); r != "" {
		findings = append(findings, r)
	}
	if r := p.pa11yErrors(name); r != "" {
		findings = append(findings, r)
	}
	p.Viewport(MobileWidth, MobileHeight)
	if r := p.axe(fmt.Sprintf("%s at %d px", name, MobileWidth)); r != "" {
		findings = append(findings, r)
	}
	if r := p.pa11yErrors(fmt.Sprintf("%s at %d px", name, MobileWidth)); r != "" {
		findings = append(findings, r)
	}
	over := call[overflow](p, "E.overflow", MobileWidth)
	p.Viewport(w, h)
	if over.ScrollWidth > MobileWidth {
		findings = append(findings, fmt.Sprintf("check %s: the page scrolls sideways at %d px (scrollWidth %d); too wide:\n      %s",
			name, MobileWidth, over.ScrollWidth, strings.Join(over.Offenders, "\n      ")))
	}
	if probs := p.Problems(); len(probs) > 0 {
		findings = append(findings, fmt.Sprintf("check %s: the browser reported:\n      %s", name, strings.Join(probs, "\n      ")))
	}
	if len(findings) > 0 {
		p.fail("%s", strings.Join(findings, "\n"))
	}
}

type found struct {
	Error   string
	Desc    string
	Tag     string
	Type    string
	X, Y    float64
	Nav     bool
	Checked bool
}

type overflow struct {
	ScrollWidth int
	Offenders   []string
}

// RepoRoot is the nearest directory above the working directory that holds
// go.mod (the repository root, when tests run in e2e/).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// safePath keeps letters, digits, '-', '_', '.' and '/' (subtests become
// subdirectories); everything else becomes '_'.
func safePath(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '/':
			return r
		case r == '.':
			return '_'
		}
		return '_'
	}, s)
}

func abbreviate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// lockedBuffer collects Chromium's output and chromedp's log lines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) printf(format string, args ...any) {
	_, _ = fmt.Fprintf(b, format+"\n", args...)
}

func (b *lockedBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	lines := strings.Split(strings.TrimRight(b.buf.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// PrintMedia switches the tab to the print stylesheet (on) or back to the
// screen (off), so a screenshot shows the page as it prints.
func (p *Tab) PrintMedia(on bool) {
	p.t.Helper()
	media := ""
	if on {
		media = "print"
	}
	ctx, cancel := context.WithTimeout(p.ctx, Wait)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media}); err != nil {
		p.fail("emulate %q media: %v", media, err)
	}
}
