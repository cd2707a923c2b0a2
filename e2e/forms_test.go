package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/e2e"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// summaryFocus: after a failed submit the summary's heading has focus, the
// page title starts with "Fout:", and each link of the summary, followed,
// puts focus on the field it names (the first input of a group), which is
// described by the same message. It returns the fields in order.
func summaryFocus(t *testing.T, p *e2e.Tab) []string {
	t.Helper()
	if f := p.Focused(); !strings.HasPrefix(f, "h2#error-summary-title") || !strings.Contains(f, "Er is een probleem") {
		t.Errorf("focus is on %s, want the summary's heading", f)
	}
	if tabindex := e2e.Eval[string](p, `document.getElementById('error-summary-title').getAttribute('tabindex') || ''`); tabindex != "-1" {
		t.Errorf("the summary's heading has tabindex %q, want -1", tabindex)
	}
	if title := p.Title(); !strings.HasPrefix(title, "Fout: ") {
		t.Errorf("title %q does not start with \"Fout: \"", title)
	}
	type link struct{ Text, ID string }
	links := e2e.Eval[[]link](p, `[...document.querySelectorAll('[data-error-summary] a')].map(a => ({Text: a.textContent.trim(), ID: decodeURIComponent(a.hash.slice(1))}))`)
	if len(links) == 0 {
		t.Fatal("the error summary has no links")
	}
	var ids []string
	summary := p.Within("[data-error-summary]")
	for _, l := range links {
		summary.Follow(l.Text)
		type focus struct{ ID, Tag, Message string }
		got := e2e.Eval[focus](p, `(() => { const el = document.activeElement;
			const g = el.closest('fieldset[aria-describedby]'), by = (el.getAttribute('aria-describedby') || (g ? g.getAttribute('aria-describedby') : '') || '');
			return {ID: el.id, Tag: el.tagName, Message: by.split(/\s+/).map(i => (document.getElementById(i) || {}).textContent || '').join(' ')}; })()`)
		if got.ID != l.ID {
			t.Errorf("summary link %q: focus on %s#%s, want #%s", l.Text, got.Tag, got.ID, l.ID)
			continue
		}
		if !strings.Contains(got.Message, l.Text) {
			t.Errorf("field #%s is described by %q, not by the summary's %q", l.ID, got.Message, l.Text)
		}
		ids = append(ids, l.ID)
	}
	return ids
}

// TestFormConventions: the NL Design System form conventions in a real
// browser (issue 15): a committee form and a scan step sent with errors,
// the scan's autosave that never shows or hides an error while the
// candidate types, only once they leave the field, and the review's change
// link that brings the candidate to the field and back to the review.
func TestFormConventions(t *testing.T) {
	s := start(t)
	e := s.e
	board := e.Login(boardEmail, boardPass)
	const comAddr, comPass = "cor@test.nl", "een zin van een paar woorden"
	e.Must(201, "POST", v1+"/parties/"+s.pid+"/members", s.admin, map[string]any{"email": comAddr, "name": "Cor Commissie", "role": "commissie", "password": comPass})
	rid := e.Must(201, "POST", v1+"/parties/"+s.pid+"/rounds", board, map[string]string{"name": "Raad 2026", "office": "raadslid",
		"deadline": time.Now().AddDate(0, 2, 0).Format("2006-01-02")}).Map(t)["id"].(string)
	cid := e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Anna de Vries", "email": "anna@test.nl"}).Map(t)["id"].(string)
	tok := e.Must(201, "POST", v1+"/invitations/"+e.InvitationToken("anna@test.nl")+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/consent", tok, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", tok, map[string]any{"answers": sample.Flagged()})
	e.Must(200, "POST", v1+"/me/submit", tok, nil)
	e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Bo Bakker", "email": "bo@test.nl"})

	t.Run("committee form", func(t *testing.T) {
		com := e.Login(comAddr, comPass)
		for end := time.Now().Add(10 * time.Second); e.Do("GET", v1+"/candidates/"+cid+"/profile", com, nil).Status != 200; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatal("no profile")
			}
		}
		p := s.b.Tab(t)
		p.Go(s.base + "/inloggen")
		p.Fill("E-mailadres", comAddr)
		p.Fill("Wachtwoord", comPass)
		p.Press("Inloggen")
		p.Go(s.base + "/commissie/kandidaten/" + cid + "/openbronnen")
		k := p.Within("#src-kadaster")
		k.Fill("Wat vond u?", "Perceel aan de Dorpsstraat.")
		k.Fill("Link naar wat u vond", "kadaster perceel 123")
		k.Choose("Is dit een bevinding voor het profiel?", "rood")
		k.Press("Opslaan")
		if p.Status() != 422 {
			t.Fatalf("status %d, want 422", p.Status())
		}
		if ids := summaryFocus(t, p); len(ids) < 2 {
			t.Errorf("summary links to %v, want the link and the finding's fields at least", ids)
		}
		p.Check("vormen-openbronnen-fout")
	})

	// The candidate opens the invitation in the browser and starts.
	p := s.b.Tab(t)
	p.Go(s.base + "/uitnodiging/" + e.InvitationToken("bo@test.nl"))
	p.Press("Start de scan")
	e2e.Eval[bool](p, `document.getElementById('akkoord').click() || true`)
	p.Press("Akkoord en beginnen")
	if got := path(t, p); got != "/scan/stap/1" {
		t.Fatalf("after consent at %s", got)
	}

	t.Run("scan step", func(t *testing.T) {
		p := p.With(t)
		if title := p.Title(); !strings.HasPrefix(title, "Stap 1 van 8") {
			t.Errorf("step title %q, want it to start with \"Stap 1 van 8\"", title)
		}
		if prog := e2e.Eval[string](p, `(document.querySelector('main .progress') || {textContent: ''}).textContent`); !strings.HasPrefix(strings.TrimSpace(prog), "Stap 1 van 8") {
			t.Errorf("above the form: %q, want \"Stap 1 van 8 — …\"", prog)
		}
		job := p.Within("#q-K2")
		job.Fill("Werkgever", "Bakkerij Bakker")
		job.Fill("Uren per week", "veel")
		p.Press("Opslaan en verder")
		if p.Status() != 422 {
			t.Fatalf("status %d, want 422", p.Status())
		}
		ids := summaryFocus(t, p)
		// The server names one problem per question: the first of the row.
		want := map[string]bool{"K2-0-functie": true}
		for _, id := range ids {
			delete(want, id)
		}
		if len(want) > 0 {
			t.Errorf("summary links to %v, missing %v", ids, want)
		}
		p.Check("vormen-stap-fout")
	})

	t.Run("no errors while typing", func(t *testing.T) {
		p := p.With(t)
		p.Go(s.base + "/scan/stap/2")
		// "Ja" shows the follow-up question; its answer may have 5000 characters.
		e2e.Eval[bool](p, `document.getElementById('N4').click() || true`)
		e2e.Eval[bool](p, `(() => { const el = document.getElementById('N4_toelichting'); el.focus();
			el.value = 'a'.repeat(`+itoa(questionnaires.DefaultMaxLongText)+`); el.setSelectionRange(el.value.length, el.value.length); return true; })()`)
		p.Keys("b", "c") // one too many, typed: the autosave refuses it
		time.Sleep(2 * time.Second)
		state := func() (msg, invalid, focus string) {
			type st struct{ Msg, Invalid, Focus string }
			r := e2e.Eval[st](p, `(() => { const q = document.getElementById('q-N4_toelichting'), m = q.querySelector('.error-message');
				return {Msg: m ? m.textContent : '', Invalid: document.getElementById('N4_toelichting').getAttribute('aria-invalid') || '', Focus: document.activeElement.id}; })()`)
			return r.Msg, r.Invalid, r.Focus
		}
		if msg, inv, focus := state(); msg != "" || inv != "" || focus != "N4_toelichting" {
			t.Errorf("while typing: error %q, aria-invalid %q, focus #%s; want no error and focus in the field", msg, inv, focus)
		}
		if st := e2e.Eval[string](p, `document.querySelector('[data-autosave]').textContent`); strings.Contains(st, "Niet opgeslagen") {
			t.Errorf("while typing the status line says %q", st)
		}
		p.Keys("Tab") // leave the field: now the error shows
		var msg, inv string
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
			if msg, inv, _ = state(); msg != "" {
				break
			}
		}
		if !strings.Contains(msg, itoa(questionnaires.DefaultMaxLongText)) || inv != "true" {
			t.Errorf("after leaving the field: error %q, aria-invalid %q; want the server's message and aria-invalid", msg, inv)
		}
		// Fixing it while typing keeps the message until the field is left.
		e2e.Eval[bool](p, `(() => { const el = document.getElementById('N4_toelichting'); el.focus(); el.setSelectionRange(el.value.length, el.value.length); return true; })()`)
		p.Keys("Backspace", "Backspace")
		time.Sleep(2 * time.Second)
		if msg, _, _ := state(); msg == "" {
			t.Error("the error went away while the candidate was still typing")
		}
		p.Keys("Tab")
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
			if msg, inv, _ = state(); msg == "" {
				break
			}
		}
		if msg != "" || inv != "" {
			t.Errorf("after the fix and leaving the field: error %q, aria-invalid %q", msg, inv)
		}
	})

	t.Run("change link", func(t *testing.T) {
		p := p.With(t)
		p.Go(s.base + "/scan/controleren")
		if got := e2e.Eval[string](p, `(document.querySelector('form[action="/scan/indienen"] button') || {textContent: ''}).textContent.trim()`); got != "Versturen" {
			t.Errorf("the review's button reads %q, want Versturen", got)
		}
		p.Within("dd:has(#wijzig-K3)").Follow("Wijzigen")
		if got := path(t, p); got != "/scan/stap/1" {
			t.Fatalf("the change link of K3 went to %s", got)
		}
		if f := e2e.Eval[string](p, `document.activeElement.id`); f != "K3" {
			t.Errorf("after the change link focus is on %s, want #K3 (the first option of the question)", p.Focused())
		}
		e2e.Eval[bool](p, `document.getElementById('K3-nee').click() || true`)
		p.Press("Opslaan en terug naar uw antwoorden")
		if got := path(t, p); got != "/scan/controleren" {
			t.Errorf("after saving the step the candidate is at %s, want back at the review", got)
		}
		p.Check("vormen-controleren")
	})
}
