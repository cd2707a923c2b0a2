package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var refLinkRe = regexp.MustCompile(`/referentie/([A-Za-z0-9_-]{43})`)

func (f *comFix) referentToken(t *testing.T, addr string) string {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		for _, m := range f.e.Mails() {
			if mm := refLinkRe.FindStringSubmatch(m.BodyText); m.ToAddr == addr && mm != nil {
				return mm[1]
			}
		}
	}
	t.Fatalf("no referent mail for %s", addr)
	return ""
}

// TestReferencePages walks the reference flow through the pages without
// JavaScript: the committee asks, the candidate names, the committee
// sends, the referent answers once; who sees what.
func TestReferencePages(t *testing.T) {
	f := newComFix(t)
	file := "/commissie/kandidaten/" + f.cid
	refs := file + "/referenties"
	comHas(t, f.must(t, 200, "com1", "GET", file, nil), `href="`+refs+`"`, "nog niet gevraagd")
	comHas(t, f.must(t, 200, "com1", "GET", refs, nil), "Vraag referenties aan", `name="aantal"`)
	f.must(t, 403, "board", "GET", refs, nil)

	body := f.must(t, 422, "com1", "POST", refs+"/vragen", url.Values{"aantal": {"twee"}})
	comHas(t, body, "Er is een probleem", `href="#aantal"`)
	body = f.must(t, 422, "com1", "POST", refs+"/vragen", url.Values{"aantal": {"9"}})
	comHas(t, body, "Kies 1 tot en met 5 referenten.")
	if r := f.page(t, "com1", "POST", refs+"/vragen", url.Values{"aantal": {"2"}}); r.Status != 303 {
		t.Fatalf("request: %d %s", r.Status, r.Body)
	}
	comHas(t, f.must(t, 200, "com1", "GET", file, nil), "de kandidaat noemt nog namen")

	// The candidate names the referents.
	comHas(t, f.must(t, 200, "candidate", "GET", "/scan", nil), `href="/scan/referenties"`)
	comHas(t, f.must(t, 200, "candidate", "GET", "/scan/referenties", nil), `id="ref-0-name"`, `id="ref-1-relation"`, `id="toestemming"`, "Referent 2")
	body = f.must(t, 422, "candidate", "POST", "/scan/referenties", url.Values{"ref-0-name": {"Karel Kok"}, "ref-0-email": {"piet@test.nl"}})
	comHas(t, body, "Er is een probleem", `href="#toestemming"`, `href="#ref-1-name"`, `value="Karel Kok"`)
	form := url.Values{"toestemming": {"ja"},
		"ref-0-name": {"Karel Kok"}, "ref-0-email": {"karel@ref.nl"}, "ref-0-relation": {"werkgever"},
		"ref-1-name": {"Sara Smit"}, "ref-1-email": {"sara@ref.nl"}, "ref-1-relation": {"vereniging"}}
	if r := f.page(t, "candidate", "POST", "/scan/referenties", form); r.Status != 303 {
		t.Fatalf("name: %d %s", r.Status, r.Body)
	}
	comHas(t, f.must(t, 200, "com1", "GET", refs, nil), "Karel Kok", "sara@ref.nl", "Verzoeken versturen")

	// The committee sends; the referent answers through the link.
	if r := f.page(t, "com1", "POST", refs+"/versturen", url.Values{"dagen": {"14"}}); r.Status != 303 {
		t.Fatalf("send: %d %s", r.Status, r.Body)
	}
	tok := f.referentToken(t, "karel@ref.nl")
	anon := page{t: t, e: f.e, jar: map[string]string{}}
	body = anon.get("/referentie/" + tok)
	comHas(t, body, "Referentie voor "+comEsc("<script>alert(1)</script>"), "Wat gebeurt er met uw antwoorden?", `name="R4"`, "Antwoorden versturen")
	comLacks(t, body, "<script>alert(1)</script>", comEsc(comNote5), "sara@ref.nl")
	if st, _, _ := anon.do("POST", "/referentie/"+tok, url.Values{"R1": {"werk"}}); st != 403 {
		t.Fatalf("answer without the form token: %d", st)
	}
	csrf := anon.jar["weerbaar_formulier"]
	_, body = anon.post("/referentie/"+tok, url.Values{"_csrf": {csrf}, "R1": {"werk"}, "R4": {"Netjes."}}, 422)
	comHas(t, body, "Er is een probleem", `href="#R2"`, `href="#R8"`, "Netjes.")
	answers := url.Values{"_csrf": {csrf}, "R1": {"werk"}, "R2": {"1_tot_5"}, "R3": {"Collega"}, "R4": {"Houdt zich aan ANTWOORD-OP-PAGINA."},
		"R5": {"Rustig."}, "R6": {"Goed."}, "R7": {"nee"}, "R7_toelichting": {""}, "R8": {"nee"}, "R8_telefoon": {""}}
	_, body = anon.post("/referentie/"+tok, answers, 200)
	comHas(t, body, "Bedankt voor uw antwoorden")
	if st, body, _ := anon.do("GET", "/referentie/"+tok, nil); st != 410 || !strings.Contains(body, "al beantwoord") {
		t.Fatalf("used link: %d", st)
	}

	// The committee reads the answer beside the profile; the candidate
	// sees only that Karel answered; the board sees nothing.
	comHas(t, f.must(t, 200, "com1", "GET", refs, nil), "ANTWOORD-OP-PAGINA", "Via het werk", "Beantwoord")
	comHas(t, f.must(t, 200, "com1", "GET", file, nil), "1 van 2 beantwoord")
	body = f.must(t, 200, "candidate", "GET", "/scan/referenties", nil)
	comHas(t, body, "Karel Kok", "Beantwoord", "Gevraagd, nog geen antwoord")
	comLacks(t, body, "ANTWOORD-OP-PAGINA", `name="ref-0-name"`)
	comLacks(t, f.must(t, 403, "board", "GET", refs, nil), "ANTWOORD-OP-PAGINA", "Karel")
	comHas(t, f.must(t, 200, "com1", "GET", file+"/logboek", nil), "Referenties gelezen", "Referent heeft geantwoord", "Referent")
}
