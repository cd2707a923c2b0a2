package app_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/mail/smtptest"
)

// dutchWord finds a Dutch marker word (issue 14's list) in a text.
var dutchWord = regexp.MustCompile(`(?i)\b(de|het|uw|een|niet)\b`)

// englishOnly fails when a received mail is not wholly English: the HTML
// is lang=en and the text has no Dutch marker words outside the names,
// the Dutch routes in the links and the one paragraph a referent's mail
// carries in Dutch on purpose.
func englishOnly(t *testing.T, m smtptest.Received, names ...string) {
	t.Helper()
	if !strings.Contains(m.HTML, `<html lang="en">`) {
		t.Errorf("%q: html not lang=en", m.Subject)
	}
	text := regexp.MustCompile(`https?://\S+`).ReplaceAllString(m.Subject+"\n"+m.Text, " ")
	text = regexp.MustCompile(`(?m)^Dit verzoek is er ook in het Nederlands.*$`).ReplaceAllString(text, " ")
	for _, n := range names {
		text = strings.ReplaceAll(text, n, " ")
	}
	if w := dutchWord.FindAllString(text, -1); len(w) > 0 {
		t.Errorf("%q has Dutch words %q:\n%s", m.Subject, w, m.Text)
	}
}

func meLanguage(t *testing.T, e *apptest.Env, tok string) string {
	t.Helper()
	return e.Must(200, "GET", v1+"/me", tok, nil).Map(t)["candidate"].(map[string]any)["language"].(string)
}

func fieldError(t *testing.T, r apptest.Response, field string) string {
	t.Helper()
	var body struct {
		Error struct {
			Code, Message string
			Fields        map[string]string
		}
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || r.Status != 422 || body.Error.Code != "validatie" || body.Error.Message == "" {
		t.Fatalf("want 422 validatie, got %d %s", r.Status, r.Body)
	}
	return body.Error.Fields[field]
}

// TestEnglishMailsOverSMTP (issue 14): the board may invite in English;
// a candidate invited in Dutch gets a Dutch invitation that points to
// English and can switch (PATCH /api/v1/me), and the next mail is then
// English; the candidate's and its referents' mails arrive in English
// over real SMTP; committee and board mails stay Dutch; and the profile
// the committee reads has the same Dutch findings as a Dutch candidate's.
func TestEnglishMailsOverSMTP(t *testing.T) {
	srv := smtptest.Start(t)
	e := apptest.Start(t, apptest.WithSMTP(srv.URL()))
	e.StartWorker()
	p := newParty(t, e, time.Now().Add(10*24*time.Hour))
	invite := v1 + "/rounds/" + p.rid + "/candidates"

	// The board's language at invite: validated, English first mail.
	bad := e.Do("POST", invite, p.board, map[string]string{"name": "Xavier", "email": "x@mail.nl", "language": "de"})
	if msg := fieldError(t, bad, "language"); !strings.Contains(msg, "nl") || !strings.Contains(msg, "en") {
		t.Errorf("language refusal %q does not name the choices", msg)
	}
	emmaID := e.Must(201, "POST", invite, p.board, map[string]string{"name": "Emma Brown", "email": "emma@mail.nl", "language": "en"}).Map(t)["id"].(string)
	m := waitMail(t, srv, "emma@mail.nl", "Invitation to the resilience scan – Partij Noord")
	englishOnly(t, m, "Emma Brown", "Partij Noord", "Raad")
	if !strings.Contains(m.Text, "Dear Emma Brown,") || !strings.Contains(m.Text, "for the office of municipal councillor") || strings.Contains(m.Text, "also available in English") {
		t.Errorf("English invitation:\n%s", m.Text)
	}
	emma := e.Must(201, "POST", v1+"/invitations/"+linkToken(t, m.Text)+"/accept", "", nil).Map(t)["token"].(string)
	if got := meLanguage(t, e, emma); got != "en" {
		t.Errorf("invited in English: GET /me language %q", got)
	}

	// Invited in Dutch (no language): Dutch, with the English pointer.
	daanID := p.invite(t, "Daan", "daan@mail.nl")
	m = waitMail(t, srv, "daan@mail.nl", "Uitnodiging weerbaarheidsscan – Partij Noord")
	if !strings.Contains(m.Text, "Beste Daan,") || !strings.Contains(m.Text, "This invitation is also available in English") || !strings.Contains(m.HTML, `<p lang="en"`) {
		t.Errorf("Dutch invitation lacks the English paragraph:\n%s", m.Text)
	}
	daan := e.Must(201, "POST", v1+"/invitations/"+linkToken(t, m.Text)+"/accept", "", nil).Map(t)["token"].(string)
	p.invite(t, "Nora", "nora@mail.nl")
	nora := e.Must(201, "POST", v1+"/invitations/"+linkToken(t, waitMail(t, srv, "nora@mail.nl", "Uitnodiging").Text)+"/accept", "", nil).Map(t)["token"].(string)
	if got := meLanguage(t, e, daan); got != "nl" {
		t.Errorf("default language %q", got)
	}

	// The candidate chooses; bad values are refused in the error shape;
	// only a candidate's own session can, and only for itself.
	for _, body := range []any{map[string]string{"language": "fr"}, map[string]string{"language": "EN"}, map[string]string{}, map[string]int{"language": 1}} {
		r := e.Do("PATCH", v1+"/me", daan, body)
		if r.Status == 400 {
			continue // not a string: bad JSON for the field
		}
		if msg := fieldError(t, r, "language"); msg == "" {
			t.Errorf("%v: no message on the field", body)
		}
	}
	for _, who := range []string{p.board, p.c1, p.admin} {
		e.Must(403, "PATCH", v1+"/me", who, map[string]string{"language": "en"})
	}
	e.Must(401, "PATCH", v1+"/me", "", map[string]string{"language": "en"})
	got := e.Must(200, "PATCH", v1+"/me", daan, map[string]string{"language": "en"}).Map(t)
	if c := got["candidate"].(map[string]any); c["language"] != "en" || c["id"] != daanID || got["type"] != "kandidaat" {
		t.Errorf("PATCH /me = %v", got)
	}
	if meLanguage(t, e, daan) != "en" || meLanguage(t, e, nora) != "nl" || meLanguage(t, e, emma) != "en" {
		t.Errorf("a language change touched another candidate")
	}
	// The board's and the committee's views of the file do not change.
	e.Must(200, "GET", v1+"/candidates/"+daanID, p.board, nil)

	// Same answers for all three; the receipts follow the row at send time.
	for _, tok := range []string{emma, daan, nora} {
		e.Must(200, "POST", v1+"/me/consent", tok, map[string]int{"privacy_version": 1})
		e.Must(200, "PATCH", v1+"/me/answers", tok, map[string]any{"answers": sample.Flagged()})
		e.Must(200, "POST", v1+"/me/submit", tok, nil)
	}
	englishOnly(t, waitMail(t, srv, "emma@mail.nl", "Your resilience scan has been received"), "Emma Brown", "Partij Noord", "Raad")
	englishOnly(t, waitMail(t, srv, "daan@mail.nl", "Your resilience scan has been received"), "Daan", "Partij Noord", "Raad")
	waitMail(t, srv, "nora@mail.nl", "Uw weerbaarheidsscan is ontvangen")
	// The committee's notices stay Dutch, also about an English candidate.
	m = waitMail(t, srv, "c1@noord.nl", "Profiel klaar: Emma Brown")
	if !strings.Contains(m.HTML, `<html lang="nl">`) || !strings.Contains(m.Text, "Beste c1,") {
		t.Errorf("committee mail not Dutch:\n%s", m.Text)
	}

	// The committee reads the English candidate's findings in Dutch: the
	// same profile as the Dutch candidate with the same answers.
	noraID := ""
	var list []map[string]any
	e.Must(200, "GET", invite, p.c1, nil).JSON(t, &list)
	for _, c := range list {
		if c["name"] == "Nora" {
			noraID = c["id"].(string)
		}
	}
	if noraID == "" {
		t.Fatal("Nora not in the round list")
	}
	flags := func(cid string) []any {
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if r := e.Do("GET", v1+"/candidates/"+cid+"/profile", p.c1, nil); r.Status == 200 {
				if fl, _ := r.Map(t)["flags"].([]any); len(fl) > 0 {
					return fl
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("no profile for %s", cid)
		return nil
	}
	// netwerk-overlap findings name the other candidates: left out.
	own := func(fl []any) []any {
		var out []any
		for _, f := range fl {
			if f.(map[string]any)["rule"] != "netwerk-overlap" {
				out = append(out, f)
			}
		}
		return out
	}
	enFlags, nlFlags := own(flags(emmaID)), own(flags(noraID))
	if len(enFlags) < 3 || !reflect.DeepEqual(enFlags, nlFlags) {
		t.Errorf("the English candidate's profile differs from the Dutch one's:\n%v\n%v", enFlags, nlFlags)
	}
	dutch := 0
	for _, f := range enFlags {
		if dutchWord.MatchString(f.(map[string]any)["finding"].(string)) {
			dutch++
		}
	}
	if dutch == 0 {
		t.Errorf("no finding of the English candidate's profile reads Dutch: %v", enFlags)
	}

	// Hearing notice, new link and the reference flow in English.
	e.Must(201, "POST", v1+"/candidates/"+emmaID+"/hearing", p.c1, map[string]any{"flags": []string{enFlags[0].(map[string]any)["rule"].(string)}, "message": "Kunt u dit toelichten?"})
	englishOnly(t, waitMail(t, srv, "emma@mail.nl", "Questions from the selection committee"), "Emma Brown", "Partij Noord")
	e.Must(201, "POST", v1+"/candidates/"+emmaID+"/references", p.c1, map[string]any{})
	englishOnly(t, waitMail(t, srv, "emma@mail.nl", "References requested – Partij Noord"), "Emma Brown", "Partij Noord", "Raad")
	e.Must(202, "POST", v1+"/links", "", map[string]string{"email": "emma@mail.nl"})
	m = waitMail(t, srv, "emma@mail.nl", "New link for your resilience scan")
	englishOnly(t, m, "Emma Brown", "Partij Noord", "Raad")
	emma = e.Must(201, "POST", v1+"/invitations/"+linkToken(t, m.Text)+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "PUT", v1+"/me/references", emma, map[string]any{"consent": true, "referents": []map[string]string{
		{"name": "John Miller", "email": "john@ref.nl", "relation": "werkgever"},
		{"name": "Sara Smit", "email": "sara@ref.nl", "relation": "vereniging"}}})
	e.Must(200, "POST", v1+"/candidates/"+emmaID+"/references/send", p.c1, map[string]any{"days": 14})
	m = waitMail(t, srv, "john@ref.nl", "Request for a reference for Emma Brown – Partij Noord")
	englishOnly(t, m, "Emma Brown", "John Miller", "Partij Noord")
	if !strings.Contains(m.Text, "Dear John Miller,") || !strings.Contains(m.Text, "Dit verzoek is er ook in het Nederlands") || !strings.Contains(m.HTML, `<p lang="nl"`) {
		t.Errorf("referent mail:\n%s", m.Text)
	}
	if !regexp.MustCompile(`/referentie/[A-Za-z0-9_-]{43}`).MatchString(m.Text) {
		t.Errorf("referent mail without its link")
	}
}
