package app_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/mail/smtptest"
	"github.com/weerbaar/weerbaar/worker"
)

const v1 = "/api/v1"

var linkRe = regexp.MustCompile(`/(uitnodiging|account/instellen)/([A-Za-z0-9_-]{43})`)

func linkToken(t *testing.T, text string) string {
	t.Helper()
	m := linkRe.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no link in mail:\n%s", text)
	}
	return m[2]
}

// clock is a controllable clock for the store.
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.off) }
func (c *clock) Set(to time.Time) {
	c.mu.Lock()
	c.off = time.Until(to)
	c.mu.Unlock()
}

type party struct {
	e                    *apptest.Env
	pid, rid             string
	admin, board, c1, c2 string
	pw                   string
}

func newParty(t *testing.T, e *apptest.Env, deadline time.Time) *party {
	t.Helper()
	p := &party{e: e, pw: "wachtwoord-voor-mail-1"}
	p.admin = e.Admin()
	p.pid = e.Must(201, "POST", v1+"/parties", p.admin, map[string]string{"name": "Partij Noord"}).Map(t)["id"].(string)
	for _, m := range []struct{ email, role string }{{"bestuur@noord.nl", "bestuur"}, {"c1@noord.nl", "commissie"}, {"c2@noord.nl", "commissie"}} {
		e.AddMember(p.admin, p.pid, map[string]any{"email": m.email, "name": strings.Split(m.email, "@")[0], "role": m.role, "password": p.pw})
	}
	p.board, p.c1, p.c2 = e.Login("bestuur@noord.nl", p.pw), e.Login("c1@noord.nl", p.pw), e.Login("c2@noord.nl", p.pw)
	p.rid = e.Must(201, "POST", v1+"/parties/"+p.pid+"/rounds", p.board, map[string]string{"name": "Raad", "office": "raadslid", "deadline": deadline.Format(time.RFC3339)}).Map(t)["id"].(string)
	return p
}

func (p *party) invite(t *testing.T, name, email string) string {
	return p.e.Must(201, "POST", v1+"/rounds/"+p.rid+"/candidates", p.board, map[string]string{"name": name, "email": email}).Map(t)["id"].(string)
}

// mailsTo filters received mails by recipient and subject fragment.
func mailsTo(srv *smtptest.Server, to, subject string) []smtptest.Received {
	var out []smtptest.Received
	for _, m := range srv.Messages() {
		if len(m.To) == 1 && m.To[0] == to && strings.Contains(m.Subject, subject) {
			out = append(out, m)
		}
	}
	return out
}

func waitMail(t *testing.T, srv *smtptest.Server, to, subject string) smtptest.Received {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ms := mailsTo(srv, to, subject); len(ms) > 0 {
			return ms[len(ms)-1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no mail %q to %s; got %d mails", subject, to, len(srv.Messages()))
	return smtptest.Received{}
}

// TestMailTemplatesOverSMTP: every mail arrives over real SMTP at the right
// recipient with the right subject; links work when followed through the
// API; no mail carries answers, levels, flags, VOG details or outcomes.
func TestMailTemplatesOverSMTP(t *testing.T) {
	srv := smtptest.Start(t)
	ck := &clock{}
	e := apptest.Start(t, apptest.WithSMTP(srv.URL()), apptest.WithClock(ck.Now))
	e.StartWorker()
	deadline := time.Now().Add(10 * 24 * time.Hour)
	p := newParty(t, e, deadline)

	// Account set-up.
	e.AddMember(p.board, p.pid, map[string]any{"email": "nieuw@noord.nl", "name": "Nina Nieuw", "role": "commissie"})
	m := waitMail(t, srv, "nieuw@noord.nl", "Uw account")
	e.Must(200, "POST", v1+"/account/setup", "", map[string]string{"token": linkToken(t, m.Text), "password": p.pw})
	e.Login("nieuw@noord.nl", p.pw)

	// Invitation → accept.
	cid := p.invite(t, "Anna", "anna@mail.nl")
	m = waitMail(t, srv, "anna@mail.nl", "Uitnodiging")
	if !strings.Contains(m.Subject, "Partij Noord") || !strings.Contains(m.HTML, "href=") {
		t.Fatalf("invitation: %q", m.Subject)
	}
	anna := e.Must(201, "POST", v1+"/invitations/"+linkToken(t, m.Text)+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/consent", anna, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", anna, map[string]any{"answers": sample.Flagged()})

	// Reminder (3 days before the deadline): a fresh link that works.
	ck.Set(deadline.Add(-60 * time.Hour))
	m = waitMail(t, srv, "anna@mail.nl", "Herinnering")
	anna = e.Must(201, "POST", v1+"/invitations/"+linkToken(t, m.Text)+"/accept", "", nil).Map(t)["token"].(string)
	ck.Set(time.Now())

	// Submission receipt; profile ready to every committee member.
	e.Must(200, "POST", v1+"/me/submit", anna, nil)
	waitMail(t, srv, "anna@mail.nl", "ontvangen")
	for _, c := range []string{"c1@noord.nl", "c2@noord.nl", "nieuw@noord.nl"} {
		m = waitMail(t, srv, c, "Profiel klaar")
		if !strings.Contains(m.Text, "/commissie/kandidaten/"+cid) {
			t.Fatalf("profile-ready mail without the file link:\n%s", m.Text)
		}
	}

	// Hearing notice with a link that opens the hearing.
	e.Must(200, "PUT", v1+"/candidates/"+cid+"/vog", p.c1, map[string]string{"status": "aangevraagd"})
	e.Must(200, "PUT", v1+"/candidates/"+cid+"/vog", p.c1, map[string]string{"status": "voornemen_tot_weigering"})
	e.Must(201, "POST", v1+"/candidates/"+cid+"/hearing", p.c1, map[string]any{"flags": []string{"bedreigd"}, "message": "Wilt u uitleggen wat er gebeurde?"})
	m = waitMail(t, srv, "anna@mail.nl", "Vragen van de selectiecommissie")
	hs := e.Must(201, "POST", v1+"/invitations/"+linkToken(t, m.Text)+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "GET", v1+"/me/hearing", hs, nil)
	e.Must(200, "POST", v1+"/me/hearing", hs, map[string]string{"reply": "Ik werd online uitgescholden."})

	// Advice available to the board (no outcome).
	e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", p.c1, map[string]any{"outcome": "negatief", "reasons": "Vertrouwelijke reden XYZ", "release_to_board": true})
	e.Must(200, "POST", v1+"/candidates/"+cid+"/decision/confirm", p.c2, nil)
	waitMail(t, srv, "bestuur@noord.nl", "Advies beschikbaar")

	forbidden := []string{"oranje", "rood", "blok", "negatief", "positief", "voornemen", "weigering", "Vertrouwelijke reden", "Sportpark", "Zorggroep",
		"uitgescholden", "Wilt u uitleggen", "bedreigd", "schulden", "criminele"}
	if len(srv.Messages()) < 9 {
		t.Fatalf("only %d mails", len(srv.Messages()))
	}
	for _, msg := range srv.Messages() {
		body := strings.ToLower(msg.Subject + msg.Text + msg.HTML)
		for _, f := range forbidden {
			if strings.Contains(body, strings.ToLower(f)) {
				t.Errorf("mail %q to %v contains %q", msg.Subject, msg.To, f)
			}
		}
	}
}

// TestMailFaults: SMTP down when the invitation goes out → retried →
// delivered exactly once when it is back; a permanent 5xx → the board sees
// "e-mail niet afgeleverd" and can resend.
func TestMailFaults(t *testing.T) {
	srv := smtptest.Start(t)
	e := apptest.Start(t, apptest.WithSMTP(srv.URL()))
	e.StartWorker()
	p := newParty(t, e, time.Now().Add(20*24*time.Hour))

	srv.Stop()
	cid := p.invite(t, "Bram", "bram@mail.nl")
	// A failed attempt: the mail task is back for a retry.
	waitRetry(t, e)
	st := e.Must(200, "GET", v1+"/candidates/"+cid, p.board, nil).Map(t)
	if st["email_status"] != "wordt_verzonden" {
		t.Fatalf("while SMTP is down: %v", st["email_status"])
	}
	srv.Restart(t)
	waitMail(t, srv, "bram@mail.nl", "Uitnodiging")
	// Would a duplicate arrive? Not once the outbox task is done and no
	// mail task is left on the queue.
	outboxEmpty(t, e)
	for end := time.Now().Add(10 * time.Second); len(followUpsQueued(t, e)) > 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("mail tasks never finished: %v", followUpsQueued(t, e))
		}
	}
	if n := len(mailsTo(srv, "bram@mail.nl", "Uitnodiging")); n != 1 {
		t.Fatalf("%d invitations after recovery, want exactly 1", n)
	}
	if s := e.Must(200, "GET", v1+"/candidates/"+cid, p.board, nil).Map(t)["email_status"]; s != "verzonden" {
		t.Fatalf("after delivery: %v", s)
	}

	srv.RejectRecipients(550, "5.1.1 mailbox unknown")
	bad := p.invite(t, "Onbekend", "bestaat-niet@mail.nl")
	var view map[string]any
	for deadline := time.Now().Add(5 * time.Second); ; {
		view = e.Must(200, "GET", v1+"/candidates/"+bad, p.board, nil).Map(t)
		if view["email_status"] == "niet_afgeleverd" || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if view["email_status"] != "niet_afgeleverd" || !strings.Contains(view["email_error"].(string), "e-mail niet afgeleverd") {
		t.Fatalf("board view after a 550: %v / %v", view["email_status"], view["email_error"])
	}
	assertBoardSafe(t, "board view with mail problem", e.Must(200, "GET", v1+"/rounds/"+p.rid+"/candidates", p.board, nil).Body)
	srv.RejectRecipients(0, "")
	e.Must(200, "POST", v1+"/candidates/"+bad+"/resend", p.board, nil)
	waitMail(t, srv, "bestaat-niet@mail.nl", "Uitnodiging")
}

// TestReminders: with a controllable clock and two workers on one database
// and Redis, exactly one reminder per stage per candidate, none after
// submission or withdrawal; past the deadline the rest expires.
func TestReminders(t *testing.T) {
	srv := smtptest.Start(t)
	ck := &clock{}
	e := apptest.Start(t, apptest.WithSMTP(srv.URL()), apptest.WithClock(ck.Now))
	e2 := e.Second(apptest.WithClock(ck.Now))
	e.StartWorker()
	e2.StartWorker()
	deadline := time.Now().Add(10 * 24 * time.Hour)
	p := newParty(t, e, deadline)
	ids := map[string]string{}
	for _, n := range []string{"a", "b", "c", "d"} {
		ids[n] = p.invite(t, n, n+"@mail.nl")
	}
	tokens := map[string]string{}
	for _, n := range []string{"b", "c", "d"} {
		tokens[n] = e.Must(201, "POST", v1+"/invitations/"+linkToken(t, waitMail(t, srv, n+"@mail.nl", "Uitnodiging").Text)+"/accept", "", nil).Map(t)["token"].(string)
	}
	waitMail(t, srv, "a@mail.nl", "Uitnodiging")
	// c submits, d withdraws.
	e.Must(200, "POST", v1+"/me/consent", tokens["c"], map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", tokens["c"], map[string]any{"answers": sample.Clean()})
	e.Must(200, "POST", v1+"/me/submit", tokens["c"], nil)
	e.Must(200, "POST", v1+"/me/withdraw", tokens["d"], nil)

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
		// The scans queued their mails before they returned: wait until no
		// mail task is left (pending, running or retrying), not a while.
		for end := time.Now().Add(20 * time.Second); len(followUpsQueued(t, e)) > 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("reminder mails never finished: %v", followUpsQueued(t, e))
			}
		}
	}
	count := func(who string) int { return len(mailsTo(srv, who+"@mail.nl", "Herinnering")) }

	ck.Set(deadline.Add(-5 * 24 * time.Hour)) // nothing due yet
	scanBoth()
	for _, n := range []string{"a", "b", "c", "d"} {
		if count(n) != 0 {
			t.Fatalf("%s got a reminder 5 days before the deadline", n)
		}
	}
	ck.Set(deadline.Add(-60 * time.Hour)) // 3-day stage
	scanBoth()
	want := map[string]int{"a": 1, "b": 1, "c": 0, "d": 0}
	for n, w := range want {
		if got := count(n); got != w {
			ds, _ := e.Sys.Store.Deliveries(context.Background(), ids[n])
			c, _ := e.Sys.Store.Candidate(context.Background(), ids[n])
			t.Errorf("3-day stage: %s got %d reminders, want %d (deliveries %+v; cand %s exp %v seq %d/%d)", n, got, w, ds, c.Status, c.InviteExpiresAt, c.InviteSeq, c.InviteSentSeq)
		}
	}
	ck.Set(deadline.Add(-12 * time.Hour)) // 1-day stage
	scanBoth()
	want = map[string]int{"a": 2, "b": 2, "c": 0, "d": 0}
	for n, w := range want {
		if got := count(n); got != w {
			t.Errorf("1-day stage: %s got %d reminders in all, want %d", n, got, w)
		}
	}
	last := mailsTo(srv, "a@mail.nl", "Herinnering")
	if !strings.Contains(last[len(last)-1].Text, "nog 1 dag") {
		t.Errorf("1-day reminder text:\n%s", last[len(last)-1].Text)
	}

	// Past the deadline: a and b expire; the link answers 410.
	ck.Set(deadline.Add(time.Hour))
	if err := e.Sys.Worker.HandleExpireScan(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for n, want := range map[string]string{"a": "expired", "b": "expired", "c": "profiled", "d": "withdrawn"} {
		if s := e.Must(200, "GET", v1+"/candidates/"+ids[n], e.Login("c1@noord.nl", p.pw), nil).Map(t)["status"]; s != want {
			t.Errorf("%s: status %v, want %s", n, s, want)
		}
	}
	e.Must(410, "POST", v1+"/invitations/"+linkToken(t, last[len(last)-1].Text)+"/accept", "", nil)
}

// waitRetry waits until a mail task has failed once and waits for its
// retry (the event, not a guess at how long an attempt takes).
func waitRetry(t *testing.T, e *apptest.Env) {
	t.Helper()
	insp := asynq.NewInspector(e.Sys.Redis)
	defer insp.Close()
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ts, err := insp.ListRetryTasks(e.Cfg.Queue)
		if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
			t.Fatal(err)
		}
		for _, ti := range ts {
			if ti.Type == worker.TypeMailSend && ti.Retried > 0 {
				return
			}
		}
		if time.Now().After(end) {
			t.Fatal("the mail task never failed and waited for a retry")
		}
	}
}
