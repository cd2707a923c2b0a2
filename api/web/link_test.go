package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/internal/sample"
)

// TestLeak_LinksOfSubmittedFilesNeverExpirePages: on the pages, the
// invitation link stops working when the scan is submitted, and the
// candidate asks for a new link by address on /link-aanvragen (the same
// answer for an unknown address).
func TestLeak_LinksOfSubmittedFilesNeverExpirePages(t *testing.T) {
	f := newScanFix(t)
	e := f.e
	email := "link@test.nl"
	_, cid := f.start(t, "Lies", email)
	invitation := e.InvitationToken(email)
	// Submit through the API with a session from the same link.
	tok := e.Must(201, "POST", "/api/v1/invitations/"+invitation+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "PATCH", "/api/v1/me/answers", tok, map[string]any{"answers": sample.Flagged()})
	e.Must(200, "POST", "/api/v1/me/submit", tok, nil)

	b := f.browser(t)
	landing := b.get("/uitnodiging/" + invitation)
	if status, body, _ := b.do("POST", "/uitnodiging/"+invitation, url.Values{"_csrf": {scanCSRF(t, landing)}}); status != 410 || !strings.Contains(body, "/link-aanvragen") {
		t.Fatalf("invitation link after submit: %d, want 410 pointing to /link-aanvragen", status)
	}

	form := b.get("/link-aanvragen")
	_, known := b.post("/link-aanvragen", form, url.Values{"email": {email}}, 200)
	form = b.get("/link-aanvragen")
	_, unknown := b.post("/link-aanvragen", form, url.Values{"email": {"onbekend@test.nl"}}, 200)
	if !strings.Contains(known, "Als dit e-mailadres bij ons bekend is") || strings.ReplaceAll(known, email, "") != strings.ReplaceAll(unknown, "onbekend@test.nl", "") {
		t.Fatal("the page answers differently for a known and an unknown address")
	}
	form = b.get("/link-aanvragen")
	if status, body, _ := b.do("POST", "/link-aanvragen", url.Values{"_csrf": {scanCSRF(t, form)}, "email": {""}}); status != 422 || !strings.Contains(body, "Vul uw e-mailadres in") {
		t.Fatalf("empty address: %d", status)
	}

	m := e.WaitMail(email, "Nieuwe link")
	i := strings.Index(m.BodyText, "/uitnodiging/")
	if i < 0 {
		t.Fatal("no link in the mail")
	}
	token := strings.Fields(m.BodyText[i+len("/uitnodiging/"):])[0]
	nb := f.browser(t)
	landing = nb.get("/uitnodiging/" + token)
	if loc, _ := nb.post("/uitnodiging/"+token, landing, url.Values{}, 303); loc != "/scan" {
		t.Fatalf("the new link went to %q", loc)
	}
	if home := nb.get("/scan"); !strings.Contains(home, "ingediend") {
		t.Fatal("the new link does not open the submitted scan")
	}
	if export := nb.get("/scan/export"); !strings.Contains(export, "Lies") {
		t.Fatal("export page")
	}
	_ = cid
}
