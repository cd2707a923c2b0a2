package api_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/weerbaar/weerbaar/internal/apptest"
)

var resetLink = regexp.MustCompile(`/wachtwoord-herstellen/([A-Za-z0-9_-]{43})`)

// TestPassword_ChangeAndReset (also-finding): an active account changes its
// password (the current one needed) or resets it through a mailed link;
// both are rate limited, audited, end other sessions and mail the owner.
// A reset request answers the same for known and unknown addresses.
func TestPassword_ChangeAndReset(t *testing.T) {
	apptest.ClearOfLimitWindow(15*time.Minute, 90*time.Second)
	apptest.ClearOfLimitWindow(time.Hour, 90*time.Second)
	e := apptest.Start(t)
	e.StartWorker()
	admin := e.Admin()
	pid := e.Must(201, "POST", v1+"/parties", admin, map[string]string{"name": "P"}).Map(t)["id"].(string)
	pw := "wachtwoord-van-test-1"
	e.Must(201, "POST", v1+"/parties/"+pid+"/members", admin, map[string]string{"email": "b@t.nl", "name": "Bea", "role": "bestuur", "password": pw})
	s1, s2 := e.Login("b@t.nl", pw), e.Login("b@t.nl", pw)
	audited := func(t *testing.T, action string) int {
		var n int64
		if err := e.Sys.DB.Table("audit_events").Where("party_id = ? AND action = ?", pid, action).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	notices := func(t *testing.T) int {
		n := 0
		for _, m := range e.With(t).Mails() {
			if m.ToAddr == "b@t.nl" && strings.Contains(m.Subject, "wachtwoord") && strings.Contains(m.Subject, "gewijzigd") {
				if strings.Contains(m.BodyText, pw) || strings.Contains(m.BodyText, "nieuw-wachtwoord") {
					t.Fatal("a notice contains a password")
				}
				n++
			}
		}
		return n
	}

	t.Run("change", func(t *testing.T) {
		e := e.With(t)
		r := e.Must(422, "POST", v1+"/me/password", s1, map[string]string{"current_password": "fout-fout-fout", "new_password": "nieuw-wachtwoord-1"})
		if _, fields := errCode(t, r); fields["current_password"] == nil {
			t.Fatalf("wrong current password not named: %s", r.Body)
		}
		r = e.Must(422, "POST", v1+"/me/password", s1, map[string]string{"current_password": pw, "new_password": "kort"})
		if _, fields := errCode(t, r); fields["new_password"] == nil {
			t.Fatalf("short password not named: %s", r.Body)
		}
		e.Login("b@t.nl", pw) // nothing changed yet
		e.Must(200, "POST", v1+"/me/password", s1, map[string]string{"current_password": pw, "new_password": "nieuw-wachtwoord-1"})
		e.Must(200, "GET", v1+"/me", s1, nil) // this session stays
		e.Must(401, "GET", v1+"/me", s2, nil) // the others end
		e.Must(401, "POST", v1+"/session", "", map[string]string{"email": "b@t.nl", "password": pw})
		e.Login("b@t.nl", "nieuw-wachtwoord-1")
		e.WaitMail("b@t.nl", "gewijzigd")
		if n := audited(t, "account.password_change"); n != 1 {
			t.Fatalf("%d audit events for the change", n)
		}
	})

	t.Run("reset", func(t *testing.T) {
		e := e.With(t)
		known := e.Must(202, "POST", v1+"/password/reset", "", map[string]string{"email": "B@t.nl "})
		unknown := e.Must(202, "POST", v1+"/password/reset", "", map[string]string{"email": "niemand@t.nl"})
		if diff := cmp.Diff(string(known.Body), string(unknown.Body)); diff != "" {
			t.Fatalf("known and unknown addresses answer differently:\n%s", diff)
		}
		m := e.WaitMail("b@t.nl", "Nieuw wachtwoord")
		tok := resetLink.FindStringSubmatch(m.BodyText)
		if tok == nil {
			t.Fatalf("no reset link in %q", m.BodyText)
		}
		for _, m := range e.Mails() {
			if m.ToAddr == "niemand@t.nl" {
				t.Fatal("mail to an unknown address")
			}
		}
		e.Must(422, "POST", v1+"/password/reset/confirm", "", map[string]string{"token": tok[1], "password": "kort"})
		e.Must(410, "POST", v1+"/password/reset/confirm", "", map[string]string{"token": "geraden", "password": "herstelde-wachtwoord-1"})
		e.Must(200, "POST", v1+"/password/reset/confirm", "", map[string]string{"token": tok[1], "password": "herstelde-wachtwoord-1"})
		e.Must(401, "GET", v1+"/me", s1, nil) // every session ends
		e.Must(410, "POST", v1+"/password/reset/confirm", "", map[string]string{"token": tok[1], "password": "nog-een-wachtwoord-1"})
		e.Login("b@t.nl", "herstelde-wachtwoord-1")
		if n := audited(t, "account.password_reset"); n != 1 {
			t.Fatalf("%d audit events for the reset", n)
		}
		// Wait for the second notice (change, then reset).
		for end := time.Now().Add(10 * time.Second); notices(t) < 2; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("%d notices to the owner, want 2", notices(t))
			}
		}
	})

	t.Run("rate limited", func(t *testing.T) {
		e := e.With(t)
		tok := e.Login("b@t.nl", "herstelde-wachtwoord-1")
		limited := false
		for i := 0; i < 8; i++ {
			if r := e.Do("POST", v1+"/me/password", tok, map[string]string{"current_password": "fout-fout-fout", "new_password": "nieuw-wachtwoord-2"}); r.Status == 429 {
				limited = true
			}
		}
		if !limited {
			t.Fatal("guessing the current password is not limited")
		}
		for i := 0; i < 4; i++ {
			if r := e.Do("POST", v1+"/password/reset", "", map[string]string{"email": "veel@t.nl"}); r.Status == 429 {
				return
			}
		}
		t.Fatal("reset requests for one address are not limited")
	})
}
