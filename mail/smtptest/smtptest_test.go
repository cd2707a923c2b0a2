package smtptest

import (
	"net/smtp"
	"strings"
	"testing"
	"time"
)

func TestParseMultipart(t *testing.T) {
	srv := Start(t)
	raw := strings.ReplaceAll(`From: a@example.org
To: b@example.org
Subject: =?UTF-8?q?=C3=A9=C3=A9n_test?=
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="out"

--out
Content-Type: multipart/alternative; boundary="in"

--in
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Hallo =C3=A9=C3=A9n lange regel die door quoted-printable is afgebroken =
en hier verder gaat.
--in
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: base64

PHA+SGFsbG8gw6nDqW48L3A+
--in--
--out--
`, "\n", "\r\n")
	if err := smtp.SendMail(srv.Addr(), nil, "a@example.org", []string{"b@example.org", "c@example.org"}, []byte(raw)); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
	got := srv.WaitFor(t, 1, 2*time.Second)[0]
	if got.Subject != "één test" {
		t.Errorf("Subject = %q", got.Subject)
	}
	if want := "Hallo één lange regel die door quoted-printable is afgebroken en hier verder gaat."; got.Text != want {
		t.Errorf("Text = %q, want %q", got.Text, want)
	}
	if got.HTML != "<p>Hallo één</p>" {
		t.Errorf("HTML = %q", got.HTML)
	}
	if got.From != "a@example.org" || len(got.To) != 2 || got.To[1] != "c@example.org" {
		t.Errorf("envelope %q → %q", got.From, got.To)
	}
	if len(got.Raw) == 0 {
		t.Errorf("Raw is empty")
	}
}

func TestStopRestart(t *testing.T) {
	srv := Start(t)
	srv.Stop()
	if err := smtp.SendMail(srv.Addr(), nil, "a@example.org", []string{"b@example.org"}, []byte("Subject: x\r\n\r\nx\r\n")); err == nil {
		t.Fatalf("send to a stopped server worked")
	}
	srv.Restart(t)
	if err := smtp.SendMail(srv.Addr(), nil, "a@example.org", []string{"b@example.org"}, []byte("Subject: x\r\n\r\nx\r\n")); err != nil {
		t.Fatalf("after Restart: %v", err)
	}
	if !strings.HasPrefix(srv.URL(), "smtp://127.0.0.1:") || !strings.HasSuffix(srv.URL(), "?tls=none") {
		t.Errorf("URL = %q", srv.URL())
	}
}
