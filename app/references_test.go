package app_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/mail/smtptest"
)

var referentRe = regexp.MustCompile(`/referentie/([A-Za-z0-9_-]{43})`)

func referentTokenIn(t *testing.T, text string) string {
	t.Helper()
	m := referentRe.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no referent link in mail:\n%s", text)
	}
	return m[1]
}

// TestReferencesOverSMTP: the whole reference flow with real SMTP and two
// replicas scanning for reminders under a moved clock: the request mails
// arrive with a working link, the link works once, each reminder stage
// goes out exactly once with a new link (the old one stops working), no
// reminder after the answer, and the link answers 410 after its term.
func TestReferencesOverSMTP(t *testing.T) {
	srv := smtptest.Start(t)
	ck := &clock{}
	e := apptest.Start(t, apptest.WithSMTP(srv.URL()), apptest.WithClock(ck.Now))
	e2 := e.Second(apptest.WithClock(ck.Now))
	e.StartWorker()
	e2.StartWorker()
	deadline := time.Now().Add(10 * 24 * time.Hour)
	p := newParty(t, e, deadline)
	cid := p.invite(t, "Piet", "piet@mail.nl")
	tok := e.Must(201, "POST", v1+"/invitations/"+linkToken(t, waitMail(t, srv, "piet@mail.nl", "Uitnodiging").Text)+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/consent", tok, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", tok, map[string]any{"answers": sample.Clean()})
	e.Must(200, "POST", v1+"/me/submit", tok, nil)

	refs := v1 + "/candidates/" + cid + "/references"
	e.Must(201, "POST", refs, p.c1, map[string]any{})
	asked := waitMail(t, srv, "piet@mail.nl", "Referenties gevraagd")
	if !strings.Contains(asked.Text, "/link-aanvragen") {
		t.Errorf("the candidate's notice does not say how to get in:\n%s", asked.Text)
	}
	// The candidate's invitation link died on submit: a requested link opens the scan.
	e.Must(202, "POST", v1+"/links", "", map[string]string{"email": "piet@mail.nl"})
	tok = e.Must(201, "POST", v1+"/invitations/"+linkToken(t, waitMail(t, srv, "piet@mail.nl", "Nieuwe link").Text)+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "PUT", v1+"/me/references", tok, map[string]any{"consent": true, "referents": []map[string]string{
		{"name": "Karel Kok", "email": "karel@ref.nl", "relation": "werkgever"},
		{"name": "Sara Smit", "email": "sara@ref.nl", "relation": "vereniging"}}})
	sentAt := time.Now()
	e.Must(200, "POST", refs+"/send", p.c1, map[string]any{"days": 14})
	karelMail := waitMail(t, srv, "karel@ref.nl", "Verzoek om een referentie")
	saraMail := waitMail(t, srv, "sara@ref.nl", "Verzoek om een referentie")
	for _, m := range []string{karelMail.Text, saraMail.Text} {
		for _, bad := range []string{"piet@mail.nl", "profiel", "antwoorden van"} {
			if strings.Contains(m, bad) {
				t.Errorf("referent mail contains %q", bad)
			}
		}
	}
	karel := referentTokenIn(t, karelMail.Text)
	sara := referentTokenIn(t, saraMail.Text)
	e.Must(200, "GET", v1+"/references/"+karel, "", nil)
	e.Must(200, "POST", v1+"/references/"+karel, "", map[string]any{"answers": map[string]any{"R1": "werk", "R2": "1_tot_5", "R3": "Collega",
		"R4": "Netjes.", "R5": "Rustig.", "R6": "Goed.", "R7": "nee", "R8": false}})
	e.Must(410, "POST", v1+"/references/"+karel, "", map[string]any{"answers": map[string]any{"R1": "werk"}})

	scanBoth := func() {
		var wg sync.WaitGroup
		for i := 0; i < 5; i++ {
			for _, sys := range []*apptest.Env{e, e2} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := sys.Sys.Worker.HandleRemindersScan(context.Background(), nil); err != nil {
						t.Error(err)
					}
				}()
			}
		}
		wg.Wait()
		for end := time.Now().Add(20 * time.Second); len(followUpsQueued(t, e)) > 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("reminder mails never finished: %v", followUpsQueued(t, e))
			}
		}
	}
	count := func(who string) int { return len(mailsTo(srv, who, "Herinnering: referentie")) }

	ck.Set(sentAt.Add(3 * 24 * time.Hour)) // 11 days left: nothing due
	scanBoth()
	if count("sara@ref.nl")+count("karel@ref.nl") != 0 {
		t.Fatal("a reminder 11 days before the end")
	}
	ck.Set(sentAt.Add(8 * 24 * time.Hour)) // 6 days left: the first reminder
	scanBoth()
	scanBoth()
	if got := count("sara@ref.nl"); got != 1 {
		t.Fatalf("first stage: %d reminders to Sara, want 1", got)
	}
	if got := count("karel@ref.nl"); got != 0 {
		t.Fatalf("Karel answered and got %d reminders", got)
	}
	// The reminder's link replaces the request's.
	e.Must(404, "GET", v1+"/references/"+sara, "", nil)
	sara = referentTokenIn(t, mailsTo(srv, "sara@ref.nl", "Herinnering: referentie")[0].Text)
	e.Must(200, "GET", v1+"/references/"+sara, "", nil)

	ck.Set(sentAt.Add(12*24*time.Hour + 12*time.Hour)) // 36 hours left: the last reminder
	scanBoth()
	if got := count("sara@ref.nl"); got != 2 {
		t.Fatalf("last stage: %d reminders to Sara in all, want 2", got)
	}
	last := mailsTo(srv, "sara@ref.nl", "Herinnering: referentie")
	if !strings.Contains(last[1].Text, "nog 2 dagen") {
		t.Errorf("last reminder:\n%s", last[1].Text)
	}
	sara = referentTokenIn(t, last[1].Text)
	scanBoth()
	if got := count("sara@ref.nl"); got != 2 {
		t.Fatalf("%d reminders after a second scan, want 2", got)
	}

	// After the term: 410, and no more reminders.
	ck.Set(sentAt.Add(15 * 24 * time.Hour))
	e.Must(410, "GET", v1+"/references/"+sara, "", nil)
	scanBoth()
	if got := count("sara@ref.nl"); got != 2 {
		t.Fatalf("%d reminders after expiry", got)
	}
}
