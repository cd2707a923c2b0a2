package mail

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/weerbaar/weerbaar/mail/smtptest"
)

const testFrom = "Weerbaar <noreply@weerbaar.example.nl>"

func newTestSender(t *testing.T, rawURL string) *SMTP {
	t.Helper()
	s, err := NewSMTP(rawURL, testFrom)
	if err != nil {
		t.Fatalf("NewSMTP(%q): %v", rawURL, err)
	}
	return s
}

func testMessage() Message {
	m := Invitation(InvitationData{Party: "Partij Ö", Candidate: "Anna de Vries", Round: "Raad 2026", Office: "raadslid",
		Link: testLink, Expires: testExpires, Deadline: testDeadline})
	m.To = "Anna de Vries <anna@example.org>"
	return m
}

func TestSMTPSend(t *testing.T) {
	srv := smtptest.Start(t)
	s := newTestSender(t, srv.URL())
	m := testMessage()
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(t, 1, 2*time.Second)[0]
	if diff := cmp.Diff([]string{"anna@example.org"}, got.To); diff != "" {
		t.Errorf("envelope To (-want +got):\n%s", diff)
	}
	if got.From != "noreply@weerbaar.example.nl" {
		t.Errorf("envelope From = %q", got.From)
	}
	if got.Subject != m.Subject {
		t.Errorf("Subject = %q, want %q", got.Subject, m.Subject)
	}
	if diff := cmp.Diff(strings.TrimRight(m.Text, "\n"), strings.TrimRight(got.Text, "\n")); diff != "" {
		t.Errorf("text part (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(strings.TrimRight(m.HTML, "\n"), strings.TrimRight(got.HTML, "\n")); diff != "" {
		t.Errorf("html part (-want +got):\n%s", diff)
	}
	h := got.Header
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Errorf("Content-Type = %q, want multipart/alternative", ct)
	}
	if id := h.Get("Message-Id"); !strings.HasSuffix(id, "@weerbaar.example.nl>") {
		t.Errorf("Message-ID = %q", id)
	}
	if d, err := h.Date(); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date = %q (%v)", h.Get("Date"), err)
	}
	if from, err := h.AddressList("From"); err != nil || len(from) != 1 || from[0].Name != "Weerbaar" {
		t.Errorf("From = %q (%v)", h.Get("From"), err)
	}
	if to := h.Get("To"); !strings.Contains(to, "anna@example.org") {
		t.Errorf("To header = %q", to)
	}
}

func TestSMTPSendTextOnly(t *testing.T) {
	srv := smtptest.Start(t)
	s := newTestSender(t, srv.URL())
	m := Message{To: "a@example.org", Subject: "Test\r\nBcc: evil@example.org", Text: "Hallo, één regel.\n"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(t, 1, 2*time.Second)[0]
	if got.HTML != "" || strings.TrimSpace(got.Text) != "Hallo, één regel." {
		t.Errorf("got text %q html %q", got.Text, got.HTML)
	}
	if got.Subject != "Test Bcc: evil@example.org" || got.Header.Get("Bcc") != "" {
		t.Errorf("subject %q, Bcc %q: line break not stripped", got.Subject, got.Header.Get("Bcc"))
	}
	if diff := cmp.Diff([]string{"a@example.org"}, got.To); diff != "" {
		t.Errorf("envelope To (-want +got):\n%s", diff)
	}
}

func TestSMTPAuth(t *testing.T) {
	srv := smtptest.Start(t)
	s := newTestSender(t, "smtp://mailer:geheim@"+srv.Addr()+"?tls=none")
	if err := s.Send(context.Background(), testMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := srv.WaitFor(t, 1, 2*time.Second)[0].AuthUser; got != "mailer" {
		t.Errorf("AuthUser = %q, want mailer", got)
	}
}

func TestSMTPPermanentRecipient(t *testing.T) {
	srv := smtptest.Start(t)
	s := newTestSender(t, srv.URL())
	srv.RejectRecipients(550, "no such user")
	err := s.Send(context.Background(), testMessage())
	if !IsPermanent(err) {
		t.Fatalf("err = %v, want permanent", err)
	}
	var pe *PermanentError
	if !errors.As(err, &pe) || pe.Code != 550 || !strings.Contains(pe.Error(), "550") {
		t.Errorf("PermanentError = %+v", pe)
	}
	if !IsPermanent(errors.Join(errors.New("outer"), err)) {
		t.Errorf("IsPermanent does not see a wrapped error")
	}

	srv.RejectRecipients(450, "mailbox busy")
	if err := s.Send(context.Background(), testMessage()); err == nil || IsPermanent(err) {
		t.Errorf("450: err = %v, want temporary", err)
	}
	srv.RejectRecipients(0, "")
	if err := s.Send(context.Background(), testMessage()); err != nil {
		t.Errorf("accepting again: %v", err)
	}
	srv.WaitFor(t, 1, 2*time.Second)
}

func TestSMTPTemporaryData(t *testing.T) {
	srv := smtptest.Start(t)
	s := newTestSender(t, srv.URL())
	srv.RejectTemporarily(1)
	err := s.Send(context.Background(), testMessage())
	if err == nil || IsPermanent(err) {
		t.Fatalf("err = %v, want temporary", err)
	}
	if len(srv.Messages()) != 0 {
		t.Errorf("message stored despite 451")
	}
	if err := s.Send(context.Background(), testMessage()); err != nil {
		t.Fatalf("second send: %v", err)
	}
	srv.WaitFor(t, 1, 2*time.Second)
}

func TestSMTPServerDown(t *testing.T) {
	srv := smtptest.Start(t)
	s := newTestSender(t, srv.URL())
	srv.Stop()
	err := s.Send(context.Background(), testMessage())
	if err == nil || IsPermanent(err) {
		t.Fatalf("err = %v, want temporary", err)
	}
	srv.Restart(t)
	if err := s.Send(context.Background(), testMessage()); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	srv.WaitFor(t, 1, 2*time.Second)
}

func TestSMTPRequiredTLSWithoutStartTLS(t *testing.T) {
	srv := smtptest.Start(t)
	s := newTestSender(t, "smtp://"+srv.Addr()+"?tls=required")
	err := s.Send(context.Background(), testMessage())
	if err == nil || IsPermanent(err) || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("err = %v, want a temporary STARTTLS error", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d message(s) sent without TLS", n)
	}
}

func TestSMTPBadRecipient(t *testing.T) {
	srv := smtptest.Start(t)
	s := newTestSender(t, srv.URL())
	for _, to := range []string{"", "geen adres", "a@example.org\r\nBcc: b@example.org"} {
		m := testMessage()
		m.To = to
		if err := s.Send(context.Background(), m); !IsPermanent(err) {
			t.Errorf("To %q: err = %v, want permanent", to, err)
		}
	}
}

func TestSMTPRespectsContext(t *testing.T) {
	// A server that accepts connections but never greets.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	s := newTestSender(t, "smtp://"+l.Addr().String()+"?tls=none")

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Send(ctx, testMessage())
	if err == nil || IsPermanent(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a temporary deadline error", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v after its context ended", d)
	}

	cancelled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if err := s.Send(cancelled, testMessage()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: err = %v", err)
	}
}

func TestNewSMTP(t *testing.T) {
	type want struct {
		Host string
		Port int
		TLS  tlsMode
		User string
		Pass string
		From string
	}
	for _, tc := range []struct {
		url, from string
		want      want
		err       string // substring of the error; "" = no error
	}{
		{"smtp://mail.example.nl", testFrom, want{"mail.example.nl", 587, tlsOpportunistic, "", "", "noreply@weerbaar.example.nl"}, ""},
		{"smtp://mail.example.nl:2525", "noreply@x.nl", want{"mail.example.nl", 2525, tlsOpportunistic, "", "", "noreply@x.nl"}, ""},
		{"SMTP://mail.example.nl:25?tls=required", "noreply@x.nl", want{"mail.example.nl", 25, tlsRequired, "", "", "noreply@x.nl"}, ""},
		{"smtp://127.0.0.1:1025?tls=none", "noreply@x.nl", want{"127.0.0.1", 1025, tlsNone, "", "", "noreply@x.nl"}, ""},
		{"smtps://mail.example.nl", "noreply@x.nl", want{"mail.example.nl", 465, tlsImplicit, "", "", "noreply@x.nl"}, ""},
		{"smtps://mail.example.nl:4650?tls=required", "noreply@x.nl", want{"mail.example.nl", 4650, tlsImplicit, "", "", "noreply@x.nl"}, ""},
		{"smtp://user%40x.nl:p%40ss:w@mail.example.nl:587", "noreply@x.nl", want{"mail.example.nl", 587, tlsOpportunistic, "user@x.nl", "p@ss:w", "noreply@x.nl"}, ""},
		{"smtp://[::1]:25?tls=none", "noreply@x.nl", want{"::1", 25, tlsNone, "", "", "noreply@x.nl"}, ""},

		{"http://mail.example.nl", "noreply@x.nl", want{}, `SMTP_URL: unknown scheme "http"; use smtp:// or smtps://`},
		{"mail.example.nl:587", "noreply@x.nl", want{}, "SMTP_URL"},
		{"", "noreply@x.nl", want{}, "SMTP_URL is empty"},
		{"smtp://", "noreply@x.nl", want{}, "missing host"},
		{"smtp://:587", "noreply@x.nl", want{}, "missing host"},
		{"smtp://mail.example.nl:99999", "noreply@x.nl", want{}, "invalid port"},
		{"smtp://mail.example.nl?tls=maybe", "noreply@x.nl", want{}, "unknown tls"},
		{"smtp://mail.example.nl?tsl=none", "noreply@x.nl", want{}, "unknown parameter"},
		{"smtps://mail.example.nl?tls=none", "noreply@x.nl", want{}, "tls=none"},
		{"smtp://user@mail.example.nl", "noreply@x.nl", want{}, "without password"},
		{"smtp://mail.example.nl", "", want{}, "MAIL_FROM is empty"},
		{"smtp://mail.example.nl", "geen adres", want{}, "MAIL_FROM"},
		{"smtp://mail.example.nl", "Weerbaar <noreply@x.nl", want{}, "MAIL_FROM"},
		{"smtp://mail.example.nl", "noreply@x.nl\r\nBcc: a@b.nl", want{}, "MAIL_FROM"},
	} {
		t.Run(tc.url+" "+tc.from, func(t *testing.T) {
			s, err := NewSMTP(tc.url, tc.from)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewSMTP: %v", err)
			}
			got := want{s.host, s.port, s.tls, s.user, s.pass, s.from.Address}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if strings.Contains(s.String(), "p@ss") {
				t.Errorf("String() leaks the password: %s", s)
			}
		})
	}
}

func TestNewSMTPErrorHidesPassword(t *testing.T) {
	_, err := NewSMTP("smtp://user:geheim%zz@mail.example.nl", "noreply@x.nl")
	if err == nil || strings.Contains(err.Error(), "geheim") {
		t.Errorf("err = %v", err)
	}
}

func TestRedacted(t *testing.T) {
	for in, want := range map[string]string{
		"smtp://user:geheim@mail.example.nl:587?tls=required": "smtp://user:xxxxx@mail.example.nl:587?tls=required",
		"smtps://mail.example.nl":                             "smtps://mail.example.nl",
		"smtp://user:geheim%zz@mail.example.nl":               "(invalid SMTP_URL)",
	} {
		got := Redacted(in)
		if got != want || strings.Contains(got, "geheim") {
			t.Errorf("Redacted(%q) = %q, want %q", in, got, want)
		}
	}
}
