package web

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestIdleDialogLanguage: the idle warning is in the page's language (a
// candidate's page in English), says when the session ends, and a short
// session warns earlier than two minutes before.
func TestIdleDialogLanguage(t *testing.T) {
	p := &Pages{}
	if err := p.parse(); err != nil {
		t.Fatal(err)
	}
	render := func(lang string, idle time.Duration) string {
		t.Helper()
		tm, ok := p.page(lang, "scan_link")
		if !ok {
			t.Fatal("no scan_link template")
		}
		w := WarnBefore(idle)
		v := View{Title: "x", Lang: lang, User: "Piet", Role: "kandidaat", CSRF: "c",
			Idle: &IdleInfo{EndsAt: time.Now().Add(idle), SecondsLeft: int(idle / time.Second), IdleSeconds: int(idle / time.Second),
				WarnSeconds: int(w / time.Second), WarnMinutes: max(1, int(w/time.Minute)), DraftKey: "abc", SignIn: "/link-aanvragen", Candidate: true},
			Data: linkData{}}
		var buf bytes.Buffer
		if err := tm.ExecuteTemplate(&buf, "layout.html", v); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	en := render("en", 2*time.Hour)
	for _, s := range []string{"Stay signed in", "Sign out now", "In 2 minutes you will be signed out to protect your data.",
		"Request a new sign-in link", `data-session-warn="120"`, `data-session-idle-left="7200"`, `src="/static/idle.js"`, `<dialog`} {
		if !strings.Contains(en, s) {
			t.Errorf("English page lacks %q", s)
		}
	}
	if strings.Contains(en, "Ingelogd blijven") {
		t.Error("English page has the Dutch button")
	}
	nl := render("nl", 2*time.Minute)
	for _, s := range []string{"Ingelogd blijven", "Nu uitloggen", "Over 1 minuut wordt u uitgelogd", `data-session-warn="24"`} {
		if !strings.Contains(nl, s) {
			t.Errorf("Dutch page of a short session lacks %q", s)
		}
	}
	for idle, want := range map[time.Duration]time.Duration{30 * time.Minute: 2 * time.Minute, 2 * time.Hour: 2 * time.Minute,
		5 * time.Minute: time.Minute, time.Minute: 20 * time.Second} {
		if got := WarnBefore(idle); got != want {
			t.Errorf("WarnBefore(%v) = %v, want %v", idle, got, want)
		}
	}
}
