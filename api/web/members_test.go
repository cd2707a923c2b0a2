package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/models"
)

var acceptLinkRe = regexp.MustCompile(`/account/lidmaatschap/([A-Za-z0-9_-]{43})`)

// TestCommitteeMemberPages: the committee's member page lists who added
// and confirmed whom, takes a proposal (with errors in the page), lets
// another member confirm it; the acceptance page asks a password only of
// an account without one, and works once.
func TestCommitteeMemberPages(t *testing.T) {
	f := newComFix(t)
	e := f.e
	base := "/commissie/partij/" + f.pid + "/leden"

	r := f.page(t, "com1", "GET", base, nil)
	for _, want := range []string{"<h1>Leden van de selectiecommissie</h1>", "Anna de Vries", "Bram Jansen", "Toegevoegd door", "Bevestigd door",
		`href="` + base + `" aria-current="page"`, "Nieuw commissielid voorstellen"} {
		if r.Status != 200 || !strings.Contains(r.Body, want) {
			t.Fatalf("member page (%d) lacks %q", r.Status, want)
		}
	}

	r = f.page(t, "com1", "POST", base, url.Values{"name": {""}, "email": {"geen-adres"}})
	for _, want := range []string{"Er is een probleem", "Vul de naam van het nieuwe commissielid in.", "Vul een geldig e-mailadres in", `value="geen-adres"`} {
		if r.Status != 422 || !strings.Contains(r.Body, want) {
			t.Fatalf("refused proposal (%d) lacks %q", r.Status, want)
		}
	}
	if r = f.page(t, "com1", "POST", base, url.Values{"name": {"Cas Nieuw"}, "email": {"cas@test.nl"}}); r.Status != 303 {
		t.Fatalf("proposal: %d", r.Status)
	}
	if r = f.page(t, "com1", "POST", base, url.Values{"name": {"Cas"}, "email": {"cas@test.nl"}}); r.Status != 409 || !strings.Contains(r.Body, "al lid van de partij") {
		t.Fatalf("second proposal of the same address: %d", r.Status)
	}
	var uid string
	ms, err := e.Sys.Store.Members(t.Context(), f.pid)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Email == "cas@test.nl" {
			uid = m.UserID
		}
	}
	own := f.page(t, "com1", "GET", base, nil).Body
	if !strings.Contains(own, "Dit is uw eigen voorstel") || strings.Contains(own, uid+"/bevestigen") || !strings.Contains(own, "Voorstel intrekken") {
		t.Fatal("the proposer is offered to confirm their own proposal")
	}
	if r = f.page(t, "com1", "POST", base+"/"+uid+"/bevestigen", url.Values{}); r.Status != 409 {
		t.Fatalf("own proposal confirmed on the page: %d", r.Status)
	}
	if r = f.page(t, "com2", "POST", base+"/"+uid+"/bevestigen", url.Values{}); r.Status != 303 {
		t.Fatalf("confirm: %d", r.Status)
	}
	if r = f.page(t, "board", "GET", base, nil); r.Status != 403 {
		t.Fatalf("board on the committee's member page: %d", r.Status)
	}
	e.WaitMail("cas@test.nl", "Uw account")

	// An account of another party without a password yet, added by this
	// party's board: the acceptance page asks for a password.
	other, err := e.Sys.Store.CreateParty(t.Context(), models_admin(), "Partij B")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.Sys.Store.AddMember(t.Context(), models_admin(), other.ID, "np@test.nl", "Nora", models.RoleBestuur, nil); err != nil {
		t.Fatal(err)
	}
	e.Must(201, "POST", comV1+"/parties/"+f.pid+"/members", f.tok["board"], map[string]string{"email": "np@test.nl", "name": "Nora P", "role": "bestuur"})
	m := e.WaitMail("np@test.nl", "Uitnodiging voor het partijbestuur")
	link := acceptLinkRe.FindString(m.BodyText)
	if link == "" {
		t.Fatalf("no acceptance link:\n%s", m.BodyText)
	}
	anon := page{t: t, e: e, jar: map[string]string{}}
	form := anon.get(link)
	if !strings.Contains(form, "Partij A wil u toevoegen aan het partijbestuur") || !strings.Contains(form, `name="password2"`) {
		t.Fatalf("acceptance page:\n%s", form)
	}
	csrf := csrfRe.FindStringSubmatch(form)[1]
	if _, body := anon.post(link, url.Values{"password": {"kort"}, "password2": {"anders"}, "_csrf": {csrf}}, 422); !strings.Contains(body, "ten minste 12 tekens") {
		t.Fatal("short password not refused in the page")
	}
	if loc, _ := anon.post(link, url.Values{"password": {"een-lang-wachtwoord-1"}, "password2": {"een-lang-wachtwoord-1"}, "_csrf": {csrf}}, 303); loc != "/inloggen" {
		t.Fatalf("after accepting: %s", loc)
	}
	e.Must(200, "GET", comV1+"/parties/"+f.pid+"/rounds", e.Login("np@test.nl", "een-lang-wachtwoord-1"), nil)
	if status, _, _ := anon.do("GET", link, nil); status != 410 {
		t.Fatalf("used link: %d, want 410", status)
	}
}
