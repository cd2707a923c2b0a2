package api_test

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/models"
)

var membershipLink = regexp.MustCompile(`/account/(?:lidmaatschap|instellen)/([A-Za-z0-9_-]{43})`)

// memberLinkToken waits for the first mail to addr whose subject contains
// subject and returns the token of its account link.
func memberLinkToken(t *testing.T, e *apptest.Env, addr, subject string) string {
	t.Helper()
	m := e.WaitMail(addr, subject)
	tok := membershipLink.FindStringSubmatch(m.BodyText)
	if tok == nil {
		t.Fatalf("no account link in the mail %q to %s:\n%s", m.Subject, addr, m.BodyText)
	}
	return tok[1]
}

// useMailedLink posts body with the token of a mail to addr (subject
// containing subject) to path until one works, newest mail first: after a
// resend only the newest link does, and the older mail may still be on
// its way. It returns the token that worked.
func useMailedLink(t *testing.T, e *apptest.Env, addr, subject, path string, body map[string]string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ms := e.Mails()
		for i := len(ms) - 1; i >= 0; i-- {
			m := membershipLink.FindStringSubmatch(ms[i].BodyText)
			if ms[i].ToAddr != addr || !strings.Contains(ms[i].Subject, subject) || m == nil {
				continue
			}
			body["token"] = m[1]
			if r := e.Do("POST", path, "", body); r.Status == 200 {
				return m[1]
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no working link in the mails %q to %s", subject, addr)
	return ""
}

// memberByEmail finds a row of the party's member list.
func memberByEmail(t *testing.T, e *apptest.Env, pid, token, email string) map[string]any {
	t.Helper()
	var ms []map[string]any
	e.Must(200, "GET", v1+"/parties/"+pid+"/members", token, nil).JSON(t, &ms)
	for _, m := range ms {
		if m["email"] == email {
			return m
		}
	}
	return nil
}

// noMailDue fails when the worker could still send uid an account mail
// (set-up or acceptance): what the outbox holds is what the worker sends.
func noMailDue(t *testing.T, e *apptest.Env, uid string) {
	t.Helper()
	var mids []string
	if err := e.Sys.DB.Table("memberships").Where("user_id = ?", uid).Pluck("id", &mids).Error; err != nil {
		t.Fatal(err)
	}
	ts, err := e.Sys.Store.OutboxTasks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range ts {
		var p models.MailPayload
		if task.Type != models.TaskMail || json.Unmarshal([]byte(task.Payload), &p) != nil {
			continue
		}
		if p.Kind == models.MailSetup && p.UserID == uid {
			t.Fatalf("a set-up mail is due for %s before confirmation", uid)
		}
		if p.Kind == models.MailMembership && slices.Contains(mids, p.MembershipID) {
			t.Fatalf("an acceptance mail is due for %s before confirmation", uid)
		}
	}
}

// TestLeak_BoardOrAdminMakesCommitteeLogin (issue 11, finding 6): neither the
// board nor the admin can give an address they control a committee login.
// A new committee member needs the confirmation of another, active
// committee member (for a party's first committee: the admin, and the
// board is told); until then there is no mail and no access; every
// committee member is told of every change; the committee sees who added
// and confirmed whom.
func TestLeak_BoardOrAdminMakesCommitteeLogin(t *testing.T) {
	f := newFixture(t)

	t.Run("a board proposal waits for a committee member", func(t *testing.T) {
		e := f.e.With(t)
		r := e.Must(201, "POST", v1+"/parties/"+f.pid+"/members", f.tok["board"], map[string]string{"email": "tweede-adres@bestuur.test", "name": "Nep Lid", "role": "commissie"}).Map(t)
		if r["status"] != "wacht_op_bevestiging" || r["active"] != false || r["email_status"] != nil {
			t.Fatalf("board's committee proposal: %v, want status wacht_op_bevestiging without a mail", r)
		}
		uid := r["id"].(string)
		noMailDue(t, e, uid)
		// Every committee member is told, with the address, so they can see
		// whose address it is.
		for _, c := range []string{"committee@test.nl", "committee2@test.nl"} {
			m := e.WaitMail(c, "Voorstel nieuw lid selectiecommissie: Nep Lid")
			if !strings.Contains(m.BodyText, "tweede-adres@bestuur.test") || !strings.Contains(m.BodyText, "board") {
				t.Fatalf("proposal notice to %s lacks the address or the proposer:\n%s", c, m.BodyText)
			}
		}
		e.Must(403, "POST", v1+"/parties/"+f.pid+"/members/"+uid+"/confirm", f.tok["board"], nil)
		if code, _ := errCode(t, e.Must(409, "POST", v1+"/parties/"+f.pid+"/members/"+uid+"/confirm", f.tok["admin"], nil)); code != "commissie_bevestigt" {
			t.Fatalf("admin confirming while the party has a committee: %s", code)
		}
		noMailDue(t, e, uid)
		c := e.Must(200, "POST", v1+"/parties/"+f.pid+"/members/"+uid+"/confirm", f.tok["committee"], nil).Map(t)
		if c["status"] != "uitgenodigd" || c["confirmed_by"] != "committee" {
			t.Fatalf("after confirmation: %v", c)
		}
		e.WaitMail("tweede-adres@bestuur.test", "Uw account")
		e.WaitMail("committee2@test.nl", "Nieuw lid selectiecommissie bevestigd: Nep Lid")
		row := memberByEmail(t, e, f.pid, f.tok["committee"], "tweede-adres@bestuur.test")
		if row == nil || row["added_by"] != "board" || row["confirmed_by"] != "committee" || row["added_at"] == nil || row["confirmed_at"] == nil {
			t.Fatalf("member list row: %v", row)
		}
	})

	t.Run("an admin's password gives no access until confirmed", func(t *testing.T) {
		e := f.e.With(t)
		r := e.Must(201, "POST", v1+"/parties/"+f.pid+"/members", f.tok["admin"], map[string]string{"email": "beheerder-eigen@test.nl", "name": "Eigen", "role": "commissie", "password": "wachtwoord-van-beheer-1"}).Map(t)
		if r["status"] != "wacht_op_bevestiging" || r["active"] != false {
			t.Fatalf("admin's committee member with a password: %v", r)
		}
		if tok := e.Do("POST", v1+"/session", "", map[string]string{"email": "beheerder-eigen@test.nl", "password": "wachtwoord-van-beheer-1"}); tok.Status == 201 {
			s := tok.Map(t)["token"].(string)
			e.Must(404, "GET", v1+"/parties/"+f.pid+"/rounds", s, nil)
			e.Must(404, "GET", v1+"/candidates/"+f.profiled+"/profile", s, nil)
			e.Must(404, "GET", "/commissie/partij/"+f.pid, s, nil)
		}
		uid := r["id"].(string)
		e.Must(200, "POST", v1+"/parties/"+f.pid+"/members/"+uid+"/reject", f.tok["committee2"], nil)
		e.WaitMail("committee@test.nl", "Afgewezen: nieuw lid selectiecommissie Eigen")
		if row := memberByEmail(t, e, f.pid, f.tok["committee"], "beheerder-eigen@test.nl"); row != nil {
			t.Fatalf("rejected proposal still listed: %v", row)
		}
	})

	t.Run("an existing account proposed for the committee gets no mail until confirmed", func(t *testing.T) {
		e := f.e.With(t)
		r := e.Must(201, "POST", v1+"/parties/"+f.pid+"/members", f.tok["board"], map[string]string{"email": "otherboard@test.nl", "name": "Bestaand Account", "role": "commissie"}).Map(t)
		if r["status"] != "wacht_op_bevestiging" {
			t.Fatalf("existing account proposed: %v", r)
		}
		uid := r["id"].(string)
		noMailDue(t, e, uid)
		e.Must(404, "GET", v1+"/parties/"+f.pid+"/rounds", f.tok["otherBoard"], nil)
		e.Must(200, "POST", v1+"/parties/"+f.pid+"/members/"+uid+"/confirm", f.tok["committee2"], nil)
		tok := memberLinkToken(t, e, "otherboard@test.nl", "Uitnodiging voor de selectiecommissie")
		e.Must(404, "GET", v1+"/parties/"+f.pid+"/rounds", f.tok["otherBoard"], nil)
		e.Must(200, "POST", v1+"/account/accept", "", map[string]string{"token": tok})
		e.Must(200, "GET", v1+"/parties/"+f.pid+"/rounds", f.tok["otherBoard"], nil)
	})

	t.Run("a committee member cannot confirm their own proposal", func(t *testing.T) {
		e := f.e.With(t)
		r := e.Must(201, "POST", v1+"/parties/"+f.pid+"/members", f.tok["committee"], map[string]string{"email": "derde@test.nl", "name": "Derde Lid", "role": "commissie"}).Map(t)
		uid := r["id"].(string)
		if code, _ := errCode(t, e.Must(409, "POST", v1+"/parties/"+f.pid+"/members/"+uid+"/confirm", f.tok["committee"], nil)); code != "eigen_voorstel" {
			t.Fatalf("own proposal: %s", code)
		}
		e.Must(422, "POST", v1+"/parties/"+f.pid+"/members", f.tok["committee"], map[string]string{"email": "bestuur-via-commissie@test.nl", "name": "B", "role": "bestuur"})
		// The committee page lists the pending proposal with its actions;
		// confirming there works like the API.
		page := e.Must(200, "GET", "/commissie/partij/"+f.pid+"/leden", f.tok["committee2"], nil)
		for _, want := range []string{"Derde Lid", "derde@test.nl", "Voorstellen die wachten op bevestiging", "Voorgesteld door", "/leden/" + uid + "/bevestigen", "/leden/" + uid + "/afwijzen", "Toegevoegd door"} {
			if !strings.Contains(string(page.Body), want) {
				t.Fatalf("committee page lacks %q", want)
			}
		}
		if r := e.Do("POST", "/commissie/partij/"+f.pid+"/leden/"+uid+"/bevestigen", f.tok["committee2"], nil); r.Status != 303 {
			t.Fatalf("confirm on the page: %d %s", r.Status, r.Body)
		}
		if row := memberByEmail(t, e, f.pid, f.tok["board"], "derde@test.nl"); row["status"] != "uitgenodigd" || row["confirmed_by"] != "committee2" {
			t.Fatalf("after the page's confirmation: %v", row)
		}
	})

	t.Run("a first committee needs the admin and the board is told", func(t *testing.T) {
		e := f.e.With(t)
		pid := e.Must(201, "POST", v1+"/parties", f.tok["admin"], map[string]string{"name": "Nieuwe Partij"}).Map(t)["id"].(string)
		e.Must(201, "POST", v1+"/parties/"+pid+"/members", f.tok["admin"], map[string]string{"email": "bestuur@nieuw.test", "name": "Bea", "role": "bestuur", "password": "wachtwoord-van-test-1"})
		board := e.Login("bestuur@nieuw.test", "wachtwoord-van-test-1")
		r := e.Must(201, "POST", v1+"/parties/"+pid+"/members", board, map[string]string{"email": "eerste@nieuw.test", "name": "Eerste", "role": "commissie"}).Map(t)
		if r["status"] != "wacht_op_bevestiging" {
			t.Fatalf("first committee member proposed by the board: %v", r)
		}
		e.Must(200, "POST", v1+"/parties/"+pid+"/members/"+r["id"].(string)+"/confirm", f.tok["admin"], nil)
		m := e.WaitMail("bestuur@nieuw.test", "Nieuw lid van de selectiecommissie: Eerste")
		if !strings.Contains(m.BodyText, "eerste@nieuw.test") {
			t.Fatalf("board notice lacks the address:\n%s", m.BodyText)
		}
		e.WaitMail("eerste@nieuw.test", "Uw account")
	})
}

// TestLeak_AddMemberRevealsOtherPartyUser (issue 11, finding 14): adding a
// member by e-mail answers the same for a known and an unknown address,
// never shows the existing account's name or activity, and another party's
// user joins only by accepting through a link in a mail.
func TestLeak_AddMemberRevealsOtherPartyUser(t *testing.T) {
	f := newFixture(t)
	e := f.e
	add := func(email string) map[string]any {
		return e.Must(201, "POST", v1+"/parties/"+f.pid+"/members", f.tok["board"], map[string]string{"email": email, "name": "Getypte Naam", "role": "bestuur"}).Map(t)
	}
	known, unknown := add("OtherCommittee@test.nl"), add("onbekend@test.nl")
	strip := func(m map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			if k != "id" && k != "email" && !strings.HasSuffix(k, "_at") {
				out[k] = v
			}
		}
		return out
	}
	if diff := cmp.Diff(strip(unknown), strip(known)); diff != "" {
		t.Fatalf("known and unknown address answer differently (-unknown +known):\n%s", diff)
	}
	if known["name"] != "Getypte Naam" || known["active"] != false {
		t.Fatalf("known address: %v", known)
	}
	kid := known["id"].(string)

	// Resending answers the same too (it used to say "actief").
	if diff := cmp.Diff(strip(e.Must(200, "POST", v1+"/parties/"+f.pid+"/members/"+unknown["id"].(string)+"/resend", f.tok["board"], nil).Map(t)),
		strip(e.Must(200, "POST", v1+"/parties/"+f.pid+"/members/"+kid+"/resend", f.tok["board"], nil).Map(t))); diff != "" {
		t.Fatalf("resend differs (-unknown +known):\n%s", diff)
	}

	// Not a member until they accept.
	other := f.tok["otherCommittee"]
	e.Must(404, "GET", v1+"/parties/"+f.pid+"/rounds", other, nil)
	if ms := e.Must(200, "GET", v1+"/me", other, nil).Map(t)["user"].(map[string]any)["memberships"].([]any); len(ms) != 1 {
		t.Fatalf("memberships before accepting: %v", ms)
	}
	// The list shows what the board typed, not the other party's account.
	for _, who := range []string{"board", "committee", "admin"} {
		row := memberByEmail(t, e, f.pid, f.tok[who], "othercommittee@test.nl")
		if row == nil || row["name"] != "Getypte Naam" || row["active"] != false || row["status"] != "uitgenodigd" {
			t.Fatalf("%s's member list row: %v", who, row)
		}
	}
	if body := string(e.Must(200, "GET", v1+"/parties/"+f.pid+"/members", f.tok["board"], nil).Body); strings.Contains(body, `"otherCommittee"`) {
		t.Fatalf("member list shows the other party's name: %s", body)
	}

	// The mail's link is the acceptance.
	e.Must(404, "POST", v1+"/account/accept", "", map[string]string{"token": "onbekend-token-onbekend-token-onbekend-token"})
	tok := useMailedLink(t, e, "othercommittee@test.nl", "Uitnodiging", v1+"/account/accept", map[string]string{})
	e.Must(410, "POST", v1+"/account/accept", "", map[string]string{"token": tok})
	e.Must(200, "GET", v1+"/parties/"+f.pid+"/rounds", other, nil)
	if row := memberByEmail(t, e, f.pid, f.tok["board"], "othercommittee@test.nl"); row["status"] != "actief" || row["active"] != true {
		t.Fatalf("after accepting: %v", row)
	}

	// A new address: the set-up link is the acceptance.
	useMailedLink(t, e, "onbekend@test.nl", "Uw account", v1+"/account/setup", map[string]string{"password": "wachtwoord-van-nieuw-1"})
	e.Must(200, "GET", v1+"/parties/"+f.pid+"/rounds", e.Login("onbekend@test.nl", "wachtwoord-van-nieuw-1"), nil)
	if row := memberByEmail(t, e, f.pid, f.tok["board"], "onbekend@test.nl"); row["status"] != "actief" {
		t.Fatalf("after set-up: %v", row)
	}
}
