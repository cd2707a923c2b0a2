package e2e_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/e2e"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
)

// idleClock is the server's clock, moved by the test.
type idleClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *idleClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.off) }
func (c *idleClock) Advance(d time.Duration) { c.mu.Lock(); c.off += d; c.mu.Unlock() }

// idleTab is a tab whose Date.now runs ahead with the server's clock: the
// page's scripts read the time through Date.now, so moving both moves the
// idle warning's countdown without waiting.
type idleTab struct {
	*e2e.Tab
	t    *testing.T
	ck   *idleClock
	skew time.Duration // how far this document's Date.now is ahead
}

// Go opens a page: a new document starts with the real Date.now.
func (p *idleTab) Go(url string) { p.Tab.Go(url); p.skew = 0 }

// Move advances the server's clock and the page's Date.now by d.
func (p *idleTab) Move(d time.Duration) {
	p.t.Helper()
	p.ck.Advance(d)
	p.skew += d
	e2e.Eval[bool](p.Tab, fmt.Sprintf(`(() => {
		if (!window.__realNow) { window.__realNow = Date.now.bind(Date); Date.now = () => window.__realNow() + (window.__skew || 0); }
		window.__skew = %d; return true; })()`, p.skew.Milliseconds()))
}

// NewPage is after a navigation the test did not make with Go (a link,
// a form): the new document's Date.now is real again.
func (p *idleTab) NewPage() { p.skew = 0 }

// waitFor polls a JavaScript condition for a few seconds (the warning
// checks the time every second).
func (p *idleTab) waitFor(what, js string) {
	p.t.Helper()
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if e2e.Eval[bool](p.Tab, js) {
			return
		}
		if time.Now().After(end) {
			p.t.Fatalf("%s: waited 5 s for %s", p.URL(), what)
		}
	}
}

const (
	jsDialogOpen   = `document.querySelector('[data-idle-dialog]').open && !document.querySelector('[data-idle-warning]').hidden`
	jsDialogClosed = `!document.querySelector('[data-idle-dialog]').open`
	jsDialogEnded  = `document.querySelector('[data-idle-dialog]').open && !document.querySelector('[data-idle-ended]').hidden`
	jsDialogText   = `document.querySelector('[data-idle-dialog]').innerText.replace(/\s+/g, ' ')`
	jsMeStatus     = `fetch('/api/v1/me', {credentials: 'same-origin'}).then(r => r.status)`
)

func idleSite(t *testing.T) (*site, *idleClock) {
	t.Helper()
	b := e2e.New(t)
	ck := &idleClock{}
	e := apptest.Start(t, apptest.WithClock(ck.Now))
	e.StartWorker()
	s := &site{e: e, base: e.Listen(), b: b, admin: e.Admin()}
	s.pid = e.Must(201, "POST", v1+"/parties", s.admin, map[string]string{"name": "Partij Weerbaar"}).Map(t)["id"].(string)
	e.Must(201, "POST", v1+"/parties/"+s.pid+"/members", s.admin,
		map[string]any{"email": boardEmail, "name": "Bea Bestuur", "role": "bestuur", "password": boardPass})
	return s, ck
}

// checkWarning: the warning is open, focus is on "Ingelogd blijven", the
// text says why and when, the countdown runs, and axe passes with the
// dialog open at 1280 and 375 px.
func checkWarning(t *testing.T, p *idleTab, name, minutes string) {
	t.Helper()
	p.waitFor("the idle warning", jsDialogOpen)
	if f := p.Focused(); !strings.Contains(f, "Ingelogd blijven") {
		t.Errorf("with the warning open focus is on %s, want the button Ingelogd blijven", f)
	}
	text := e2e.Eval[string](p.Tab, jsDialogText)
	for _, w := range []string{"U bent al een tijd niet actief. Over " + minutes + " wordt u uitgelogd om uw gegevens te beschermen.", "Tijd over: 1:", "Ingelogd blijven", "Nu uitloggen"} {
		if !strings.Contains(text, w) {
			t.Errorf("the warning does not say %q: %s", w, text)
		}
	}
	if live := e2e.Eval[string](p.Tab, `document.querySelector('[data-idle-countdown]').closest('[aria-live]') ? 'live' : ''`); live != "" {
		t.Error("the countdown is inside a live region: it would be announced every second")
	}
	if role := e2e.Eval[bool](p.Tab, `document.querySelector('[data-idle-dialog]').matches(':modal')`); !role {
		t.Error("the warning is not a modal dialog")
	}
	check(t, p.Tab, name)
}

// TestIdleWarningCommittee: a committee member (idle 30 minutes) types a
// note and leaves it; with the clocks moved the warning appears 2 minutes
// before the end; "Ingelogd blijven" (keyboard) extends the server's
// session and gives focus back; past the end the page says the session
// ended; signing in again leads back to the file with the note put back.
// Saving the note, and logging out, clear what was kept.
func TestIdleWarningCommittee(t *testing.T) {
	s, ck := idleSite(t)
	e := s.e
	const comEmail, comPass = "c@test.nl", "wachtwoord-van-de-commissie-1"
	const note = "Vraag naar de nevenfunctie bij de stichting"
	board := e.Login(boardEmail, boardPass)
	e.AddMember(s.admin, s.pid, map[string]any{"email": comEmail, "name": "Cor Commissie", "role": "commissie", "password": comPass})
	rid := e.Must(201, "POST", v1+"/parties/"+s.pid+"/rounds", board, map[string]string{"name": "Raad 2026", "office": "raadslid", "deadline": time.Now().AddDate(0, 2, 0).Format("2006-01-02")}).Map(t)["id"].(string)
	cid := e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Anna de Vries", "email": "anna@test.nl"}).Map(t)["id"].(string)
	tok := e.Must(201, "POST", v1+"/invitations/"+e.InvitationToken("anna@test.nl")+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/consent", tok, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", tok, map[string]any{"answers": sample.Flagged()})
	e.Must(200, "POST", v1+"/me/submit", tok, nil)

	p := &idleTab{Tab: s.b.Tab(t), t: t, ck: ck}
	signIn := func() {
		p.Fill("E-mailadres", comEmail)
		p.Fill("Wachtwoord", comPass)
		p.Press("Inloggen")
		p.NewPage()
	}
	p.Go(s.base + "/inloggen")
	signIn()
	file := "/commissie/kandidaten/" + cid
	p.Go(s.base + file)
	for end := time.Now().Add(10 * time.Second); !strings.Contains(p.Text(), "Nieuwe notitie"); p.Go(s.base + file) {
		if time.Now().After(end) {
			t.Fatal("the file has no note form")
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.Fill("Nieuwe notitie", note)

	// 28 minutes later: the warning, with focus in it.
	p.Move(28*time.Minute + 10*time.Second)
	checkWarning(t, p, "waarschuwing-commissie", "2 minuten")

	// "Ingelogd blijven" by keyboard: the dialog closes, focus goes back to
	// the note, and the server's session lives past the old deadline.
	p.Keys("Enter")
	p.waitFor("the warning to close", jsDialogClosed)
	if f := p.Focused(); !strings.Contains(f, "textarea#note-body") {
		t.Errorf("after Ingelogd blijven focus is on %s, want the note it was on", f)
	}
	p.Move(5 * time.Minute) // 33 minutes after the last page: past the old end
	if st := e2e.Eval[int](p.Tab, jsMeStatus); st != 200 {
		t.Errorf("a request after the old deadline: %d, want 200 (the session was extended)", st)
	}

	// The server said 30 minutes from that request; let them pass.
	p.Move(28*time.Minute + 10*time.Second)
	p.waitFor("the warning again", jsDialogOpen)
	p.Move(2 * time.Minute)
	p.waitFor("the ended state", jsDialogEnded)
	text := e2e.Eval[string](p.Tab, jsDialogText)
	for _, w := range []string{"U bent uitgelogd", "U was te lang niet actief", "Opnieuw inloggen"} {
		if !strings.Contains(text, w) {
			t.Errorf("the ended state does not say %q: %s", w, text)
		}
	}
	if f := p.Focused(); !strings.Contains(f, "U bent uitgelogd") {
		t.Errorf("in the ended state focus is on %s, want its heading", f)
	}
	if st := e2e.Eval[int](p.Tab, jsMeStatus); st != 401 {
		t.Errorf("the server's session after the end: %d, want 401", st)
	}
	check(t, p.Tab, "sessie-beeindigd-commissie")

	// Sign in again: back at the file, the note is back.
	p.Follow("Opnieuw inloggen")
	p.NewPage()
	if got := path(t, p.Tab); got != "/inloggen" {
		t.Fatalf("Opnieuw inloggen leads to %s", got)
	}
	signIn()
	if got := path(t, p.Tab); got != file {
		t.Fatalf("after signing in again the browser is at %s, want %s", got, file)
	}
	if v := e2e.Eval[string](p.Tab, `document.getElementById('note-body').value`); v != note {
		t.Errorf("after signing in again the note holds %q, want %q", v, note)
	}
	wantText(t, p.Tab, "We hebben uw niet-opgeslagen invoer teruggezet")
	if n := e2e.Eval[int](p.Tab, `Object.keys(sessionStorage).filter(k => k.startsWith('weerbaar.invoer.') && /anna|vries|@|`+cid+`/i.test(k)).length`); n != 0 {
		t.Error("a storage key names the candidate or the file")
	}
	if pw := e2e.Eval[string](p.Tab, `Object.keys(sessionStorage).map(k => sessionStorage.getItem(k)).join(' ')`); strings.Contains(pw, comPass) {
		t.Error("the password is in sessionStorage")
	}
	check(t, p.Tab, "invoer-teruggezet")

	// Saved: nothing to put back any more.
	p.Press("Notitie opslaan")
	p.NewPage()
	p.Go(s.base + file)
	if v := e2e.Eval[string](p.Tab, `document.getElementById('note-body').value`); v != "" || strings.Contains(p.Text(), "teruggezet") {
		t.Errorf("after saving the note the form holds %q again", v)
	}
	wantText(t, p.Tab, note) // the saved note

	// Typed, then logged out: gone from the tab.
	p.Fill("Nieuwe notitie", "nog een gedachte")
	p.Press("Uitloggen")
	p.NewPage()
	if n := e2e.Eval[int](p.Tab, `Object.keys(sessionStorage).filter(k => k.startsWith('weerbaar.')).length`); n != 0 {
		t.Errorf("after logging out sessionStorage still holds %d items of Weerbaar", n)
	}

	// "Nu uitloggen" in the warning, by keyboard: logged out, nothing kept.
	signIn()
	p.Go(s.base + file)
	p.Fill("Nieuwe notitie", "een derde gedachte")
	p.Move(28*time.Minute + 10*time.Second)
	p.waitFor("the warning", jsDialogOpen)
	p.Keys("Tab")
	if f := p.Focused(); !strings.Contains(f, "Nu uitloggen") {
		t.Fatalf("Tab in the warning goes to %s, want Nu uitloggen", f)
	}
	p.Keys("Enter")
	p.NewPage()
	if got := path(t, p.Tab); got != "/inloggen" {
		t.Errorf("Nu uitloggen leads to %s, want /inloggen", got)
	}
	wantText(t, p.Tab, "U bent uitgelogd.")
	if n := e2e.Eval[int](p.Tab, `Object.keys(sessionStorage).filter(k => k.startsWith('weerbaar.')).length`); n != 0 {
		t.Errorf("after Nu uitloggen sessionStorage still holds %d items of Weerbaar", n)
	}
}

// TestIdleWarningCandidate: a candidate (idle 2 hours) types an answer
// (the scan's autosave keeps it on the server, and keeps the session
// alive: the page learns that); the warning appears; Escape stays signed
// in; past the end the page says so and offers a new link; with the new
// link in the same tab the candidate is back on the step with the answer.
func TestIdleWarningCandidate(t *testing.T) {
	s, ck := idleSite(t)
	e := s.e
	const email, answer = "anna@test.nl", "Ik leg mijn functie bij de stichting neer."
	board := e.Login(boardEmail, boardPass)
	rid := e.Must(201, "POST", v1+"/parties/"+s.pid+"/rounds", board, map[string]string{"name": "Raad 2026", "office": "raadslid", "deadline": time.Now().AddDate(0, 2, 0).Format("2006-01-02")}).Map(t)["id"].(string)
	e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Anna de Vries", "email": email})
	token := e.InvitationToken(email)

	p := &idleTab{Tab: s.b.Tab(t), t: t, ck: ck}
	p.Go(s.base + "/uitnodiging/" + token)
	p.Press("Start de scan")
	p.NewPage()
	api := e.Must(201, "POST", v1+"/invitations/"+token+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/consent", api, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", api, map[string]any{"answers": sample.Flagged()})
	step := "/scan/stap/2"
	p.Go(s.base + step)
	p.Fill("Welke nevenfuncties legt u neer bij verkiezing of benoeming?", answer)
	p.waitFor("the autosave", `(document.querySelector('[data-autosave]') || {}).textContent.includes('Opgeslagen')`)

	// Nearly two hours later: the warning; Escape stays.
	p.Move(118*time.Minute + 10*time.Second)
	checkWarning(t, p, "waarschuwing-kandidaat", "2 minuten")
	p.Keys("Escape")
	p.waitFor("the warning to close", jsDialogClosed)
	p.Move(10 * time.Minute)
	if st := e2e.Eval[int](p.Tab, jsMeStatus); st != 200 {
		t.Errorf("a request after the old deadline: %d, want 200 (Escape extended the session)", st)
	}

	// The page's own request (above) renewed the session: the page knows.
	p.Move(110 * time.Minute)
	if e2e.Eval[bool](p.Tab, `document.querySelector('[data-idle-dialog]').open`) {
		t.Error("the warning shows although the session was renewed by a request 110 minutes ago")
	}
	p.Move(9*time.Minute + 55*time.Second)
	p.waitFor("the warning again", jsDialogOpen)
	p.Move(2 * time.Minute)
	p.waitFor("the ended state", jsDialogEnded)
	text := e2e.Eval[string](p.Tab, jsDialogText)
	for _, w := range []string{"U bent uitgelogd", "Vraag een nieuwe inloglink aan"} {
		if !strings.Contains(text, w) {
			t.Errorf("the ended state does not say %q: %s", w, text)
		}
	}
	check(t, p.Tab, "sessie-beeindigd-kandidaat")

	// A new link, opened in the same tab: back on the step, the answer is there.
	p.Follow("Vraag een nieuwe inloglink aan")
	p.NewPage()
	p.Fill("E-mailadres", email)
	p.Press("Link aanvragen")
	p.Go(s.base + "/uitnodiging/" + newestLink(t, s, accessLinkRe, email, "Nieuwe link"))
	p.Press("Naar uw scan")
	p.NewPage()
	for end := time.Now().Add(5 * time.Second); path(t, p.Tab) != step; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("after the new link the candidate is at %s, want back at %s", path(t, p.Tab), step)
		}
	}
	p.waitFor("the step's form", `!!document.getElementById('N5')`)
	if v := e2e.Eval[string](p.Tab, `document.getElementById('N5').value`); v != answer {
		t.Errorf("after signing in again the answer holds %q, want %q", v, answer)
	}
}
