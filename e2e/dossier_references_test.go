package e2e_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/e2e"
	"github.com/weerbaar/weerbaar/internal/sample"
)

var (
	refLinkRe    = regexp.MustCompile(`/referentie/([A-Za-z0-9_-]{43})`)
	accessLinkRe = regexp.MustCompile(`/uitnodiging/([A-Za-z0-9_-]{43})`)
)

// newestLink waits for the newest dev-outbox mail to addr whose subject
// contains subject and returns the token its link carries.
func newestLink(t *testing.T, s *site, re *regexp.Regexp, addr, subject string) string {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(30 * time.Millisecond) {
		ms := s.e.Mails()
		for i := len(ms) - 1; i >= 0; i-- {
			if m := re.FindStringSubmatch(ms[i].BodyText); ms[i].ToAddr == addr && strings.Contains(ms[i].Subject, subject) && m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no mail %q to %s", subject, addr)
	return ""
}

func wantOnPage(t *testing.T, p *e2e.Tab, want ...string) {
	t.Helper()
	text := p.Text()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q", p.URL(), w)
		}
	}
}

// TestReferencePagesInBrowser: as new users would, the committee asks for
// references, the candidate names two referents (after a refused first
// try), the committee sends, a referent answers (after a refused first
// try), and the committee reads the answer. Every page passes axe at 1280
// and 375 px without sideways scrolling.
func TestReferencePagesInBrowser(t *testing.T) {
	s := start(t)
	e := s.e
	board := e.Login(boardEmail, boardPass)
	e.Must(201, "POST", v1+"/parties/"+s.pid+"/members", s.admin, map[string]any{"email": "c@test.nl", "name": "Cor Commissie", "role": "commissie", "password": boardPass})
	rid := e.Must(201, "POST", v1+"/parties/"+s.pid+"/rounds", board, map[string]string{"name": "Raad 2026", "office": "raadslid", "deadline": time.Now().AddDate(0, 2, 0).Format("2006-01-02")}).Map(t)["id"].(string)
	cid := e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Anna de Vries", "email": "anna@test.nl"}).Map(t)["id"].(string)
	tok := e.Must(201, "POST", v1+"/invitations/"+e.InvitationToken("anna@test.nl")+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/consent", tok, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", tok, map[string]any{"answers": sample.Flagged()})
	e.Must(200, "POST", v1+"/me/submit", tok, nil)

	// The committee asks.
	com := s.b.Tab(t)
	com.Go(s.base + "/inloggen")
	com.Fill("E-mailadres", "c@test.nl")
	com.Fill("Wachtwoord", boardPass)
	com.Press("Inloggen")
	com.Go(s.base + "/commissie/kandidaten/" + cid)
	com.Follow("Referenties")
	com.Check("commissie-referenties-vragen")
	com.Fill("Aantal referenten", "2")
	com.Press("Vraag referenties aan")
	wantOnPage(t, com, "De kandidaat krijgt een e-mail", "Nog niet genoemd")

	// The candidate, whose invitation link died on submit, asks for a new
	// link as the notice says, and names the referents.
	cand := s.b.Tab(t)
	cand.Go(s.base + "/link-aanvragen")
	cand.Fill("E-mailadres", "anna@test.nl")
	cand.Press("Link aanvragen")
	cand.Go(s.base + "/uitnodiging/" + newestLink(t, s, accessLinkRe, "anna@test.nl", "Nieuwe link"))
	cand.Press("Naar uw scan")
	cand.Follow("Referenties")
	cand.Check("kandidaat-referenties")
	cand.Press("Referenten opslaan")
	wantOnPage(t, cand, "Er is een probleem", "Vul de naam van referent 1 in.", "Zet een vinkje")
	cand.Check("kandidaat-referenties-fouten")
	for i, r := range []struct{ name, email, rel string }{{"Karel Kok", "karel@ref.nl", "werkgever"}, {"Sara Smit", "sara@ref.nl", "bestuur van de voetbalclub"}} {
		f := cand.Within("form fieldset.list-item:nth-of-type(" + string(rune('1'+i)) + ")")
		f.Fill("Naam", r.name)
		f.Fill("E-mailadres", r.email)
		f.Fill("Hoe kent deze persoon u?", r.rel)
	}
	cand.Choose("Toestemming", "Ik geef de selectiecommissie toestemming")
	cand.Press("Referenten opslaan")
	wantOnPage(t, cand, "Karel Kok", "Sara Smit", "Nog niet gevraagd")

	// The committee sends.
	com.Go(s.base + "/commissie/kandidaten/" + cid + "/referenties")
	com.Press("Verzoeken versturen")
	wantOnPage(t, com, "De verzoeken zijn verstuurd", "Gevraagd, nog geen antwoord")

	// A referent answers through the link in the mail.
	ref := s.b.Tab(t)
	ref.Go(s.base + "/referentie/" + newestLink(t, s, refLinkRe, "karel@ref.nl", "Verzoek om een referentie"))
	wantOnPage(t, ref, "Referentie voor Anna de Vries", "Wat gebeurt er met uw antwoorden?")
	ref.Check("referent-vragen")
	ref.Press("Antwoorden versturen")
	wantOnPage(t, ref, "Er is een probleem")
	ref.Check("referent-fouten")
	ref.Choose("In welke rol kent u de kandidaat?", "Via het werk")
	ref.Choose("Hoe lang kent u de kandidaat?", "Langer dan 5 jaar")
	ref.Fill("Wat deed u samen met de kandidaat?", "Haar leidinggevende bij de thuiszorg")
	ref.Fill("Hoe gaat de kandidaat om met regels, geld en afspraken?", "Zorgvuldig: ze vraagt altijd om bonnetjes.")
	ref.Fill("Hoe reageert de kandidaat op druk, kritiek of een conflict?", "Rustig, ze luistert eerst.")
	ref.Fill("Hoe gaat de kandidaat om met de belangen van vrienden, familie of zakenrelaties?", "Ze zegt duidelijk nee.")
	ref.Choose("Is er iets dat de selectiecommissie over de kandidaat moet weten?", "Nee")
	ref.Choose("Mag de selectiecommissie u bellen voor een korte toelichting?", "Ja")
	ref.Press("Antwoorden versturen")
	wantOnPage(t, ref, "Bedankt voor uw antwoorden")
	ref.Check("referent-bedankt")

	// The committee reads the answer; the candidate sees only the status.
	com.Go(s.base + "/commissie/kandidaten/" + cid + "/referenties")
	wantOnPage(t, com, "Zorgvuldig: ze vraagt altijd om bonnetjes.", "Beantwoord")
	com.Check("commissie-referenties-antwoorden")
	cand.Go(s.base + "/scan/referenties")
	if strings.Contains(cand.Text(), "bonnetjes") {
		t.Error("the candidate reads a referent's answer")
	}
	wantOnPage(t, cand, "Beantwoord")
	cand.Check("kandidaat-referenties-status")
}
