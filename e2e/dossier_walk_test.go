package e2e_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/e2e"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/mail/smtptest"
)

// What the people of the dossier walk type. The confidential values are
// searched for on the board's pages and on the summary.
const (
	dwCandidate, dwEmail = "Anna de Vries", "anna@test.nl"
	dwCom1, dwCom1Name   = "cor@test.nl", "Cor Commissie"
	dwCom2, dwCom2Name   = "daan@test.nl", "Daan de Tweede"
	dwPass               = "een zin van een paar woorden"
	dwRound              = "Gemeenteraad 2026"

	dwFindingResult = "Perceel aan de Dorpsstraat, bestemmingsplan in procedure."
	dwFinding       = "Eigenaar van grond in een lopend bestemmingsplan."
	dwFindingAsk    = "Hoe voorkomt u dat u over uw eigen grond besluit?"
	dwKvKResult     = "Eenmanszaak Vries Advies sinds 2019, geen bijzonderheden."
	dwOwnTitle      = "Zoekmachine op naam en woonplaats"
	dwOwnResult     = "Een interview in de lokale krant uit 2015 over het sportpark."

	dwRef1, dwRef1Email = "Karel Kok", "karel@ref.nl"
	dwRef2, dwRef2Email = "Sara Smit", "sara@ref.nl"
	dwRef1Rel           = "leidinggevende bij de thuiszorg"
	dwRef2Rel           = "bestuur van de voetbalclub"

	dwMeasure   = "Legt de bestuursfunctie bij Stichting Sportpark De Linden neer vóór de installatie."
	dwNote      = "Geldzaken ruim toegelicht: een lening bij familie, netjes afgelost."
	dwAttendees = "Cor Commissie en Daan de Tweede, de kandidaat"
	dwReasons   = "Open in het gesprek; de nevenfunctie is het enige risico en wordt neergelegd."
)

// dwRefAnswers are the referents' answers to the open questions.
var dwRefAnswers = [2][4]string{
	{"Haar leidinggevende bij de thuiszorg, acht jaar lang", "Zorgvuldig: ze vraagt altijd om bonnetjes.", "Rustig, ze luistert eerst en zegt dan wat ze vindt.", "Ze zegt duidelijk nee, ook tegen vrienden."},
	{"Samen in het bestuur van de voetbalclub", "Ze hield de kas van de club bij, tot op de cent.", "Bij ruzie in het bestuur bleef ze kalm.", "Haar broer kreeg geen voorrang bij de kantinedienst."},
}

// TestDossierWalk is issue 13's walk as new users make it, in the browser
// only: the board invites, the candidate fills in and submits the scan,
// a committee member who sets up the account records three open-source
// checks (one finding) and asks for two references, the candidate names
// two referents and consents, the committee sends, both referents answer
// through the links in their mails (over an in-process SMTP server), the
// committee records the interview with a measure, proposes "positief met
// voorwaarden" with the measure as its condition, a second member
// confirms, the candidate consents to the summary and the board reads the
// summary, and only that. Every page gets axe at 1280 and 375 px and its
// screenshots (e2e/screenshots/TestDossierWalk/).
func TestDossierWalk(t *testing.T) {
	t0 := time.Now()
	step := func(what string) { t.Logf("%5.1fs  %s", time.Since(t0).Seconds(), what) }

	// ---- Before the story: the system, a party, its board member and the
	// committee (the first member gets a set-up mail, as a new user).
	b := e2e.New(t)
	srv := smtptest.Start(t)
	e := apptest.Start(t, apptest.WithSMTP(srv.URL()))
	e.StartWorker()
	base := e.Listen()
	admin := e.Admin()
	pid := e.Must(201, "POST", v1+"/parties", admin, map[string]string{"name": "Partij Weerbaar"}).Map(t)["id"].(string)
	e.Must(201, "POST", v1+"/parties/"+pid+"/members", admin, map[string]any{"email": boardEmail, "name": "Bea Bestuur", "role": "bestuur", "password": boardPass})
	e.Must(201, "POST", v1+"/parties/"+pid+"/members", admin, map[string]any{"email": dwCom1, "name": dwCom1Name, "role": "commissie"})
	e.AddMember(admin, pid, map[string]any{"email": dwCom2, "name": dwCom2Name, "role": "commissie", "password": dwPass})

	pages := 0
	var tabs []*e2e.Tab
	tab := func() *e2e.Tab { p := b.Tab(t); tabs = append(tabs, p); return p }
	see := func(p *e2e.Tab, name string) { t.Helper(); pages++; check(t, p, name) }
	seeAt := func(p *e2e.Tab, name string, status int) { t.Helper(); pages++; checkAt(t, p, name, status) }
	mail := func(to, subject string) smtptest.Received {
		t.Helper()
		for end := time.Now().Add(15 * time.Second); time.Now().Before(end); time.Sleep(30 * time.Millisecond) {
			ms := srv.Messages()
			for i := len(ms) - 1; i >= 0; i-- {
				if len(ms[i].To) == 1 && ms[i].To[0] == to && strings.Contains(ms[i].Subject, subject) {
					return ms[i]
				}
			}
		}
		t.Fatalf("no mail %q to %s over SMTP", subject, to)
		return smtptest.Received{}
	}
	linkIn := func(m smtptest.Received, re *regexp.Regexp) string {
		t.Helper()
		l := re.FindString(m.Text)
		if l == "" {
			t.Fatalf("the mail %q to %v has no link:\n%s", m.Subject, m.To, m.Text)
		}
		return l
	}

	// ---- 1. The board: a round and the invitation.
	step("board: log in, create a round, invite the candidate")
	board := tab()
	var boardPages []shown
	boardSees := func(name string) {
		t.Helper()
		see(board, name)
		boardPages = append(boardPages, shown{name, board.URL(), board.Text(), board.HTML()})
	}
	login(t, board, base, boardEmail, boardPass)
	pages++
	boardSees("bestuur-rondes")
	deadline := time.Now().AddDate(0, 2, 0)
	board.Fill("Naam van de ronde", dwRound)
	board.Choose("Voor welke functie is de ronde?", "Raadslid")
	board.Fill("Dag", itoa(deadline.Day()))
	board.Fill("Maand", itoa(int(deadline.Month())))
	board.Fill("Jaar", itoa(deadline.Year()))
	board.Press("Ronde aanmaken")
	roundPath := path(t, board)
	boardSees("bestuur-ronde")
	board.Fill("Naam", dwCandidate)
	board.Fill("E-mailadres", dwEmail)
	board.Press("Uitnodiging versturen")
	wantText(t, board, "De uitnodiging aan "+dwCandidate+" wordt verstuurd")
	boardSees("bestuur-uitgenodigd")

	// ---- 2. The candidate: the scan, through the link in the mail.
	step("candidate: the invitation mail, consent, eight steps, submit")
	cand := tab()
	k := &keyboard{t: t, p: cand}
	cand.Go(base + linkIn(mail(dwEmail, "Uitnodiging"), walkLink))
	see(cand, "kandidaat-uitnodiging")
	k.press(`form[action^="/uitnodiging/"] button[type=submit]`, "Start de scan")
	k.at("/scan")
	see(cand, "kandidaat-toestemming")
	k.tick("akkoord", "ja")
	k.press(`form[action="/scan/toestemming"] button[type=submit]`, "Akkoord en beginnen")
	k.at("/scan/stap/1")
	fillFlaggedScan(t, k, see)
	wantText(t, cand, "Controleer uw antwoorden", ansSideOrg, ansN5)
	see(cand, "kandidaat-controleren")
	k.press(`form[action="/scan/indienen"] button[type=submit]`, "Versturen")
	k.at("/scan/ontvangen")
	wantText(t, cand, "Uw scan is ingediend")
	see(cand, "kandidaat-ontvangen")

	// ---- 3. The first committee member: a new account, the file, the
	// open-source research and the request for references.
	step("committee 1: set up the account, open the file")
	com1 := tab()
	com1.Go(base + linkIn(mail(dwCom1, ""), setupLink))
	see(com1, "commissie1-instellen")
	com1.Fill("Nieuw wachtwoord", dwPass)
	com1.Fill("Herhaal het wachtwoord", dwPass)
	com1.Press("Wachtwoord opslaan")
	wantText(t, com1, "Uw wachtwoord is ingesteld")
	see(com1, "commissie1-inloggen")
	com1.Fill("E-mailadres", dwCom1)
	com1.Fill("Wachtwoord", dwPass)
	com1.Press("Inloggen")
	if got, want := path(t, com1), "/commissie/partij/"+pid; got != want {
		t.Fatalf("the new member is at %s after logging in, want %s", got, want)
	}
	see(com1, "commissie1-rondes")
	followInTable(t, com1, dwRound)
	for until := time.Now().Add(15 * time.Second); !strings.Contains(com1.Text(), "Profiel klaar"); com1.Go(com1.URL()) {
		if time.Now().After(until) {
			t.Fatalf("no profile after 15 s:\n%.600s", com1.Text())
		}
		time.Sleep(200 * time.Millisecond)
	}
	see(com1, "commissie1-ronde")
	followInTable(t, com1, dwCandidate)
	filePath := path(t, com1)
	wantText(t, com1, "Risicoprofiel", "0 van 8 bronnen nagekeken")
	see(com1, "commissie1-dossier")

	step("committee 1: three open-source checks, one with a finding")
	com1.Follow("Openbronnenonderzoek")
	see(com1, "openbronnen-leeg")
	kad := com1.Within("#src-kadaster")
	kad.Fill("Wat vond u?", dwFindingResult)
	kad.Fill("Link naar wat u vond", "https://www.kadaster.nl/perceel/123")
	kad.Choose("Is dit een bevinding voor het profiel?", "rood")
	kad.Fill("De bevinding", dwFinding)
	kad.Fill("Vraag aan de kandidaat", dwFindingAsk)
	kad.Press("Opslaan")
	wantText(t, com1, "Wat u vond bij Kadaster is opgeslagen.")
	see(com1, "openbronnen-bevinding")
	kvk := com1.Within("#src-kvk")
	kvk.Fill("Wat vond u?", dwKvKResult)
	kvk.Press("Opslaan")
	own := com1.Within("#src-nieuw")
	own.Fill("Titel van de zoekopdracht", dwOwnTitle)
	own.Fill("Wat vond u?", dwOwnResult)
	own.Press("Zoekopdracht opslaan")
	wantText(t, com1, "3 van 8 bronnen nagekeken", "Eigen zoekopdracht 1: "+dwOwnTitle, "door "+dwCom1Name)
	see(com1, "openbronnen-drie")
	com1.Follow("Terug naar het dossier van " + dwCandidate)
	wantText(t, com1, "3 van 8 bronnen nagekeken", "Openbronnenonderzoek (bevindingen van de commissie)", dwFinding, "Dit is geen antwoord van de kandidaat.")
	see(com1, "commissie1-dossier-bevinding")

	step("committee 1: ask for two references")
	com1.Follow("Referenties")
	see(com1, "commissie-referenties-vragen")
	com1.Fill("Aantal referenten", "2")
	com1.Press("Vraag referenties aan")
	wantText(t, com1, "De kandidaat krijgt een e-mail", "Nog niet genoemd")
	see(com1, "commissie-referenties-gevraagd")

	// ---- 4. The candidate names the referents: the mail says how to get
	// in (the invitation link died on submit).
	step("candidate: the request mail, a new link, two referents with consent")
	asked := mail(dwEmail, "Referenties gevraagd")
	if !strings.Contains(asked.Text, "/link-aanvragen") {
		t.Errorf("the candidate's notice does not say how to get in:\n%s", asked.Text)
	}
	cand.Close()
	cand = tab()
	cand.Go(base + "/link-aanvragen")
	see(cand, "link-aanvragen")
	cand.Fill("E-mailadres", dwEmail)
	cand.Press("Link aanvragen")
	wantText(t, cand, "krijgt u binnen een paar minuten een e-mail")
	see(cand, "link-aanvragen-verstuurd")
	cand.Go(base + linkIn(mail(dwEmail, "Nieuwe link"), walkLink))
	see(cand, "kandidaat-nieuwe-link")
	cand.Press("Naar uw scan")
	see(cand, "kandidaat-overzicht-referenties")
	cand.Follow("Referenties")
	see(cand, "kandidaat-referenties")
	for i, r := range []struct{ name, email, rel string }{{dwRef1, dwRef1Email, dwRef1Rel}, {dwRef2, dwRef2Email, dwRef2Rel}} {
		f := cand.Within("form fieldset.list-item:nth-of-type(" + itoa(i+1) + ")")
		f.Fill("Naam", r.name)
		f.Fill("E-mailadres", r.email)
		f.Fill("Hoe kent deze persoon u?", r.rel)
	}
	cand.Choose("Toestemming", "Ik geef de selectiecommissie toestemming")
	cand.Press("Referenten opslaan")
	wantText(t, cand, dwRef1, dwRef2, "Nog niet gevraagd")
	see(cand, "kandidaat-referenten-genoemd")

	// ---- 5. The committee sends; both referents answer from their mails.
	step("committee 1: send the requests")
	com1.Go(base + filePath + "/referenties")
	wantText(t, com1, dwRef1, dwRef2)
	com1.Press("Verzoeken versturen")
	wantText(t, com1, "De verzoeken zijn verstuurd", "Gevraagd, nog geen antwoord")
	see(com1, "commissie-referenties-verstuurd")

	step("referents: answer through the links in their mails")
	for i, r := range []struct{ name, email string }{{dwRef1, dwRef1Email}, {dwRef2, dwRef2Email}} {
		m := mail(r.email, "Verzoek om een referentie")
		if strings.Contains(m.Text, dwEmail) {
			t.Errorf("the mail to %s holds the candidate's address", r.email)
		}
		ref := tab()
		ref.Go(base + linkIn(m, refLinkRe))
		wantText(t, ref, "Referentie voor "+dwCandidate, "Wat gebeurt er met uw antwoorden?")
		if txt := ref.Text(); strings.Contains(txt, dwFinding) || strings.Contains(txt, ansSideOrg) {
			t.Errorf("the referent's page shows something of the file")
		}
		see(ref, "referent-"+itoa(i+1)+"-vragen")
		ref.Choose("In welke rol kent u de kandidaat?", []string{"Via het werk", "Via een vereniging"}[i])
		ref.Choose("Hoe lang kent u de kandidaat?", "Langer dan 5 jaar")
		ref.Fill("Wat deed u samen met de kandidaat?", dwRefAnswers[i][0])
		ref.Fill("Hoe gaat de kandidaat om met regels, geld en afspraken?", dwRefAnswers[i][1])
		ref.Fill("Hoe reageert de kandidaat op druk, kritiek of een conflict?", dwRefAnswers[i][2])
		ref.Fill("Hoe gaat de kandidaat om met de belangen van vrienden, familie of zakenrelaties?", dwRefAnswers[i][3])
		ref.Choose("Is er iets dat de selectiecommissie over de kandidaat moet weten?", "Nee")
		ref.Choose("Mag de selectiecommissie u bellen voor een korte toelichting?", "Nee")
		ref.Press("Antwoorden versturen")
		wantText(t, ref, "Bedankt voor uw antwoorden")
		see(ref, "referent-"+itoa(i+1)+"-bedankt")
	}

	step("committee 1: read the answers, record the interview")
	com1.Go(base + filePath + "/referenties")
	wantText(t, com1, dwRefAnswers[0][1], dwRefAnswers[1][1], "Beantwoord")
	see(com1, "commissie-referenties-antwoorden")

	// ---- 6. The interview record: a measure on one flag, a note on another.
	com1.Go(base + filePath)
	com1.Follow("Gespreksverslag: 0 van")
	see(com1, "gesprek-leeg")
	heads := e2e.Eval[[]string](com1, `[...document.querySelectorAll('.interview-flag h3 .finding')].map(h => h.textContent.trim())`)
	measureAt, noteAt := -1, -1
	for i, h := range heads {
		switch {
		case strings.Contains(h, "Stichting") || strings.Contains(h, "nevenfunctie") || strings.Contains(h, "gemeente"):
			if measureAt < 0 {
				measureAt = i
			}
		case strings.Contains(strings.ToLower(h), "geld") || strings.Contains(strings.ToLower(h), "schuld") || strings.Contains(strings.ToLower(h), "financi"):
			if noteAt < 0 {
				noteAt = i
			}
		}
	}
	if measureAt < 0 || noteAt < 0 {
		t.Logf("flags on the interview page: %q", heads)
		measureAt, noteAt = 0, 1
	}
	com1.Fill("Datum van het gesprek (niet verplicht)", time.Now().AddDate(0, 0, -1).Format("02-01-2006"))
	com1.Fill("Wie waren erbij? (niet verplicht)", dwAttendees)
	row := com1.Within("section[aria-labelledby='signaal-" + itoa(measureAt) + "-kop']")
	row.Choose("Wat kwam er uit het gesprek?", "Maatregel afgesproken")
	row.Fill("Afgesproken maatregel (niet verplicht)", dwMeasure)
	row = com1.Within("section[aria-labelledby='signaal-" + itoa(noteAt) + "-kop']")
	row.Choose("Wat kwam er uit het gesprek?", "Afdoende toegelicht")
	row.Fill("Toelichting", dwNote)
	com1.Press("Gespreksverslag opslaan")
	wantText(t, com1, "Het gespreksverslag is opgeslagen", "2 van")
	see(com1, "gesprek-opgeslagen")

	// ---- 7. The advice: the conditions start from the measure.
	step("committee 1: propose positief met voorwaarden with the measure")
	com1.Follow("Terug naar het dossier van " + dwCandidate)
	if v := e2e.Eval[string](com1, `document.getElementById('advice-conditions').value`); v != "- "+dwMeasure {
		t.Errorf("the conditions start as %q, want the measure", v)
	}
	com1.Choose("Wat is uw advies?", "Positief met voorwaarden")
	com1.Fill("Redenen", dwReasons)
	com1.Choose("Wat mag het bestuur zien na bevestiging?", "Het bestuur mag de uitkomst zien")
	com1.Choose("Wat mag het bestuur zien na bevestiging?", "Het bestuur mag ook de voorwaarden zien")
	com1.Press("Advies voorstellen")
	wantText(t, com1, "Voorstel: Positief met voorwaarden", dwReasons, dwMeasure, "Een tweede commissielid moet het bevestigen")
	see(com1, "commissie1-advies-voorgesteld")

	step("committee 2: confirm, read the report")
	com2 := tab()
	login(t, com2, base, dwCom2, dwPass)
	pages++
	followInTable(t, com2, dwRound)
	see(com2, "commissie2-ronde")
	followInTable(t, com2, dwCandidate)
	wantText(t, com2, "Voorstel: Positief met voorwaarden", dwCom1Name, dwReasons)
	see(com2, "commissie2-dossier")
	com2.Press("Advies bevestigen")
	wantText(t, com2, "Advies: Positief met voorwaarden", dwCom2Name)
	see(com2, "commissie2-advies-bevestigd")
	com2.Follow("Adviesrapport om af te drukken of als PDF")
	wantText(t, com2, "Vertrouwelijk — alleen voor de selectiecommissie", dwFinding, dwRefAnswers[0][1], dwMeasure, dwNote, "Aanwezig: "+dwAttendees, dwReasons)
	see(com2, "rapport")

	// ---- 8. The candidate consents to the summary.
	step("candidate: read the summary, consent")
	cand.Go(base + "/scan")
	cand.Follow("Samenvatting voor het bestuur: lezen en toestemming geven")
	see(cand, "kandidaat-samenvatting")
	candSummary := cand.Text()
	cand.Choose("Toestemming", "Ik geef toestemming om deze samenvatting met het partijbestuur te delen")
	cand.Press("Toestemming geven")
	wantText(t, cand, "Toestemming intrekken")
	see(cand, "kandidaat-samenvatting-toestemming")
	cand.Go(base + "/scan/referenties")
	candRefs := cand.Text()
	if !strings.Contains(candRefs, "Beantwoord") {
		t.Errorf("the candidate does not see that the referents answered:\n%.600s", candRefs)
	}
	see(cand, "kandidaat-referenties-beantwoord")

	// ---- 9. The board reads the summary, and only that.
	step("board: the round, the candidate, the summary")
	board.Go(base + roundPath)
	boardSees("bestuur-ronde-advies")
	followInTable(t, board, dwCandidate)
	wantText(t, board, "Positief met voorwaarden")
	boardSees("bestuur-kandidaat")
	board.Follow("Samenvatting van de screening")
	wantText(t, board, "Samenvatting van de screening: "+dwCandidate, "positief met voorwaarden", dwMeasure,
		"Onderzoek in openbare bronnen", "2 referenten hebben gereageerd", "Gesprek met de selectiecommissie")
	boardSees("bestuur-samenvatting")
	board.PrintMedia(true)
	board.Screenshot("bestuur-samenvatting-afgedrukt")
	board.PrintMedia(false)
	// The board's other doors to the file stay shut.
	for _, p := range []string{filePath, filePath + "/openbronnen", filePath + "/referenties", filePath + "/gesprek", filePath + "/rapport"} {
		board.Go(base + p)
		if st := board.Status(); st != 403 && st != 404 {
			t.Errorf("the board opens %s: status %d", p, st)
		}
	}
	board.Go(base + filePath + "/rapport")
	seeAt(board, "bestuur-rapport-geweigerd", board.Status())

	confidential := []string{dwFindingResult, dwFinding, dwFindingAsk, dwKvKResult, dwOwnTitle, dwOwnResult,
		dwRef1, dwRef2, dwRef1Email, dwRef2Email, dwRef1Rel, dwRef2Rel, dwNote, dwAttendees, dwReasons,
		ansEmployer, ansJob, ansSideOrg, ansSideKvK, ansN5, ansPartnerOrg, ansPartnerJob}
	for _, a := range dwRefAnswers {
		confidential = append(confidential, a[:]...)
	}
	levelWord := regexp.MustCompile(`(?i)\b(oranje|rood|blok)\b`)
	for _, pg := range boardPages {
		// The measure names the foundation: it is the agreed condition the
		// board may read; the answer behind it is not.
		text, html := strings.ReplaceAll(pg.text, dwMeasure, ""), strings.ReplaceAll(pg.html, dwMeasure, "")
		for _, sec := range confidential {
			if strings.Contains(text, sec) || strings.Contains(html, sec) {
				t.Errorf("board page %s (%s) shows %q", pg.name, pg.url, sec)
			}
		}
		if m := levelWord.FindString(pg.text); m != "" {
			t.Errorf("board page %s (%s) shows the level word %q", pg.name, pg.url, m)
		}
	}
	// The candidate read the same summary text, and never the committee's
	// reasons, notes or the referents' answers.
	for _, sec := range append([]string{dwFinding, dwFindingResult, dwNote, dwReasons}, dwRefAnswers[0][1], dwRefAnswers[1][1]) {
		if strings.Contains(candSummary, sec) || strings.Contains(candRefs, sec) {
			t.Errorf("the candidate's summary or references page shows %q", sec)
		}
	}

	for i, p := range tabs {
		if d := p.Dialogs(); len(d) > 0 {
			t.Errorf("tab %d opened JavaScript dialogs: %v", i+1, d)
		}
	}
	t.Logf("pages checked: %d (axe at 1280 and 375 px on each: %d runs)", pages, 2*pages)
	step("done")
}

// fillFlaggedScan fills in the eight steps with sample.Flagged()'s
// answers, by keyboard, from step 1 to the review page.
func fillFlaggedScan(t *testing.T, k *keyboard, see func(*e2e.Tab, string)) {
	t.Helper()
	k.tick("K1", "raadslid")
	k.typeIn("K2-0-werkgever", ansEmployer)
	k.typeIn("K2-0-functie", ansJob)
	k.typeIn("K2-0-uren_per_week", "28")
	k.typeIn("K2-0-sinds", "2016-02-01")
	k.choose("K2.0.bij_deze_gemeente", "nee")
	k.choose("K3", "ja")
	see(k.p, "kandidaat-stap-1")
	k.next(2)
	k.typeIn("N1-0-organisatie", ansSideOrg)
	k.typeIn("N1-0-kvk", ansSideKvK)
	k.choose("N1.0.rol", "bestuur")
	k.choose("N1.0.betaald", "nee")
	k.typeIn("N1-0-uren_per_maand", "6")
	k.typeIn("N1-0-sinds", "2018-03-01")
	k.choose("N1.0.relatie_gemeente", "ja")
	k.tick("N2.leeg", "ja")
	k.tick("N3", "geen")
	k.choose("N4", "nee")
	k.typeIn("N5", ansN5)
	see(k.p, "kandidaat-stap-2")
	k.next(3)
	k.tick("F1.leeg", "ja")
	k.tick("F2.leeg", "ja")
	k.choose("F3", "liever_in_gesprek")
	k.choose("F4", "nee")
	k.choose("F5", "nee")
	k.choose("F6", "nee")
	see(k.p, "kandidaat-stap-3")
	k.next(4)
	k.choose("NT1.0.relatie", "partner")
	k.typeIn("NT1-0-werkgever", ansPartnerOrg)
	k.typeIn("NT1-0-functie", ansPartnerJob)
	k.choose("NT1.0.relatie_gemeente", "nee")
	k.choose("NT2", "nee")
	k.tick("NT3", "sport")
	k.choose("NT4", "ja_verleden")
	k.choose("NT5", "nee")
	k.choose("NT6", "nee")
	see(k.p, "kandidaat-stap-4")
	k.next(5)
	k.tick("G1.leeg", "ja")
	k.choose("G2", "nee")
	k.choose("G3", "nee")
	k.tick("G4", "geen")
	see(k.p, "kandidaat-stap-5")
	k.next(6)
	for _, id := range []string{"V1", "V2", "V3", "V4", "V5"} {
		k.choose(id, "nee")
	}
	k.choose("V6", "ja")
	k.choose("V7", "ja")
	see(k.p, "kandidaat-stap-6")
	k.next(7)
	k.tick("D1.leeg", "ja")
	k.choose("D2", "nee")
	k.choose("D3", "nee")
	k.choose("D4", "nee")
	k.choose("D5", "nee")
	see(k.p, "kandidaat-stap-7")
	k.next(8)
	k.choose("W1", "ja")
	k.tick("W1_soort", "online")
	k.choose("W2", "nee")
	k.choose("W3", "geen")
	k.choose("W4", "4")
	k.choose("W5", "ja")
	see(k.p, "kandidaat-stap-8")
	k.next(0)
}

func itoa(n int) string { return strconv.Itoa(n) }
