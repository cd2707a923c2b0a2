package e2e_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/e2e"
	"github.com/weerbaar/weerbaar/internal/sample"
)

// The people of the walk (set up through the JSON API before the story
// starts) and what they type. Everything the candidate and the committee
// type is listed, so the board's pages can be searched for it.
const (
	com1Email, com1Name = "carla@test.nl", "Carla Commissie"
	com2Email, com2Name = "daan@test.nl", "Daan de Tweede"
	com3Email, com3Name = "eva@test.nl", "Eva de Derde" // proposed by the board, confirmed on the members page
	com3Recusal         = "Jansen is mijn zwager."
	comPass             = "wachtwoord-van-de-commissie-1"

	walkRound     = "Gemeenteraad 2026"
	walkCandidate = "<script>alert(1)</script> Jansen"
	walkEmail     = "jansen@test.nl"

	// The candidate's answers (sample.Flagged(), plus a second job added
	// with the list's "Nog een baan toevoegen").
	ansEmployer   = "Zorggroep Noord"
	ansJob        = "wijkverpleegkundige"
	ansEmployer2  = "Praktijk Vitaal"
	ansJob2       = "leefstijlcoach"
	ansSideOrg    = "Stichting Sportpark De Linden"
	ansSideKvK    = "41234567"
	ansN5         = "Ik stop als voorzitter van de sportstichting als ik word gekozen."
	ansPartnerOrg = "Basisschool De Regenboog"
	ansPartnerJob = "leerkracht"

	hearingMessage = "Wij willen graag meer weten over de sportstichting en over uw geldzaken."
	hearingReply   = "De stichting krijgt subsidie van de gemeente. Over mijn geldzaken vertel ik graag meer in het gesprek."
	walkNote       = "Gesprek gevoerd op dinsdag; kandidaat was open en goed voorbereid."
	walkReasons    = "Open over de nevenfunctie en de geldzaken, en bereid de voorzittersrol neer te leggen."
	walkConditions = "Volgt binnen drie maanden de training integriteit van de partij."
	vogProfile     = "01 politieke ambtsdragers"
	vogChecker     = "Cor Controle"
)

// TestRoleWalks is one selection round in one system, walked by the board,
// the candidate (keyboard only) and two committee members, each in their
// own browser context.
func TestRoleWalks(t *testing.T) {
	t0 := time.Now()
	step := func(what string) { t.Logf("%5.1fs  %s", time.Since(t0).Seconds(), what) }

	// ---- Before the story: accounts through the JSON API.
	s := start(t) // admin, party, board member with a password
	for _, m := range []struct{ email, name string }{{com1Email, com1Name}, {com2Email, com2Name}} {
		s.e.AddMember(s.admin, s.pid,
			map[string]any{"email": m.email, "name": m.name, "role": "commissie", "password": comPass})
	}
	// Member 3 already has an account, as a board member of another
	// party: joining this party's committee goes through an acceptance link.
	other := s.e.Must(201, "POST", v1+"/parties", s.admin, map[string]string{"name": "Partij Elders"}).Map(t)["id"].(string)
	s.e.Must(201, "POST", v1+"/parties/"+other+"/members", s.admin,
		map[string]any{"email": com3Email, "name": com3Name, "role": "bestuur", "password": comPass})
	var tabs []*e2e.Tab // every tab, for the dialog check at the end
	tab := func() *e2e.Tab { p := s.b.Tab(t); tabs = append(tabs, p); return p }

	// ---- 1. Board: round, invitations, status board.
	step("board: log in, create a round, invite")
	board := tab()
	var boardPages []shown
	boardSees := func(name string) {
		t.Helper()
		check(t, board, name)
		boardPages = append(boardPages, shown{name, board.URL(), board.Text(), board.HTML()})
	}
	login(t, board, s.base, boardEmail, boardPass)
	if got, want := path(t, board), "/bestuur/partij/"+s.pid; got != want {
		t.Fatalf("board after login at %s, want %s", got, want)
	}
	boardSees("bestuur-rondes-leeg")

	deadline := time.Now().AddDate(0, 2, 0)
	board.Fill("Naam van de ronde", walkRound)
	board.Choose("Voor welke functie is de ronde?", "Raadslid")
	board.Fill("Dag", fmt.Sprint(deadline.Day()))
	board.Fill("Maand", fmt.Sprint(int(deadline.Month())))
	board.Fill("Jaar", fmt.Sprint(deadline.Year()))
	board.Press("Ronde aanmaken")
	if !strings.HasPrefix(path(t, board), "/bestuur/ronde/") {
		t.Fatalf("after creating the round the board is at %s", board.URL())
	}
	roundPath := path(t, board)
	wantText(t, board, "De ronde "+walkRound+" is aangemaakt", "Functie: Raadslid", "Er zijn nog geen kandidaten uitgenodigd")
	boardSees("bestuur-ronde-nieuw")

	board.Fill("Naam", walkCandidate)
	board.Fill("E-mailadres", walkEmail)
	board.Press("Uitnodiging versturen")
	if path(t, board) != roundPath {
		t.Fatalf("after inviting the board is at %s", board.URL())
	}
	wantText(t, board, "De uitnodiging aan "+walkCandidate+" wordt verstuurd")
	boardSees("bestuur-ronde-een-uitgenodigd")

	board.Fill("Plak de lijst", "Anna de Vries;anna@test.nl\nBram Bakker;bram@test.nl")
	board.Press("Voorbeeld bekijken")
	wantText(t, board, "Voorbeeld: 2 van 2 regels kunnen worden uitgenodigd", "Anna de Vries", "bram@test.nl", "In orde")
	onlyOnce(t, board, "De uitnodiging aan "+walkCandidate+" wordt verstuurd")
	boardSees("bestuur-lijst-voorbeeld")
	board.Press("2 uitnodiging(en) versturen")
	if path(t, board) != roundPath {
		t.Fatalf("after sending the list the board is at %s", board.URL())
	}
	wantText(t, board, "2 uitnodiging(en) worden verstuurd", "Uitgenodigd: 3", walkCandidate, "Anna de Vries", "Bram Bakker")
	if n := e2e.Eval[int](board, `document.querySelectorAll('main table tbody tr').length`); n != 3 {
		t.Errorf("the status board lists %d candidates, want 3", n)
	}
	boardSees("bestuur-ronde-drie-uitgenodigd")

	// ---- 2. Candidate, keyboard only: the first half, then away.
	step("candidate: landing, consent, steps 1-4 by keyboard")
	invite := s.base + "/uitnodiging/" + s.e.InvitationToken(walkEmail)
	cand := tab()
	k := &keyboard{t: t, p: cand}
	cand.Go(invite)
	check(t, cand, "kandidaat-uitnodiging")
	k.press(`form[action^="/uitnodiging/"] button[type=submit]`, "Start de scan")
	k.at("/scan")
	wantText(t, cand, "Privacyverklaring", "Alleen de selectiecommissie leest uw antwoorden")
	check(t, cand, "kandidaat-toestemming")
	// Tab past the box to the button, come back with Shift+Tab, tick it.
	k.tabTo(`form[action="/scan/toestemming"] button[type=submit]`)
	cand.Keys("Shift+Tab")
	k.tick("akkoord", "ja")
	cand.Keys("Tab")
	k.enter("Akkoord en beginnen")
	k.at("/scan/stap/1")

	// Stap 1: Kandidatuur.
	wantText(t, cand, "Stap 1 van 8 — Kandidatuur")
	k.tick("K1", "raadslid")
	k.typeIn("K2-0-werkgever", ansEmployer)
	k.typeIn("K2-0-functie", ansJob)
	k.typeIn("K2-0-uren_per_week", "28")
	k.typeIn("K2-0-sinds", "2016-02-01")
	k.choose("K2.0.bij_deze_gemeente", "nee")
	k.press("#K2-toevoegen", "Nog een baan toevoegen")
	if f := k.focused(); !strings.HasPrefix(f, "input#K2-1-werkgever") {
		t.Fatalf("after „Nog een baan toevoegen” focus is on %s, want the new row's first field", f)
	}
	wantText(t, cand, "Baan 2")
	k.typeIn("K2-1-werkgever", ansEmployer2)
	k.typeIn("K2-1-functie", ansJob2)
	k.typeIn("K2-1-uren_per_week", "4")
	k.typeIn("K2-1-sinds", "2021-05-01")
	k.choose("K2.1.bij_deze_gemeente", "nee")
	k.choose("K3", "ja")
	check(t, cand, "kandidaat-stap-1-lijst")
	k.next(2)

	// Stap 2: Nevenfuncties.
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
	k.typeIn("N5", ansN5) // shown live once N1 has an item
	check(t, cand, "kandidaat-stap-2")
	k.next(3)

	// Stap 3: Financieel.
	k.tick("F1.leeg", "ja")
	k.tick("F2.leeg", "ja")
	k.choose("F3", "liever_in_gesprek")
	k.choose("F4", "nee")
	k.choose("F5", "nee")
	k.choose("F6", "nee")
	check(t, cand, "kandidaat-stap-3")
	k.next(4)

	// Stap 4: Netwerk.
	k.choose("NT1.0.relatie", "partner")
	k.typeIn("NT1-0-werkgever", ansPartnerOrg)
	k.typeIn("NT1-0-functie", ansPartnerJob)
	k.choose("NT1.0.relatie_gemeente", "nee")
	k.choose("NT2", "nee")
	k.tick("NT3", "sport")
	k.choose("NT4", "ja_verleden")
	k.choose("NT5", "nee")
	k.choose("NT6", "nee")
	check(t, cand, "kandidaat-stap-4")
	k.next(5)
	wantText(t, cand, "Stap 5 van 8")

	// The candidate closes the browser: the session cookie goes with it.
	step("candidate: close the browser, come back with the invitation link")
	cand.Close()
	cand = tab()
	k = &keyboard{t: t, p: cand}
	cand.Go(invite)
	if strings.Contains(cand.Text(), "Uitloggen") {
		t.Fatalf("a new browser still has the candidate's session")
	}
	k.press(`form[action^="/uitnodiging/"] button[type=submit]`, "Start de scan")
	k.at("/scan")
	wantText(t, cand, "Uw weerbaarheidsscan", "Welkom, "+walkCandidate+".", "Verder met de scan")
	for _, label := range []string{"Stap 1: Kandidatuur", "Stap 2: Nevenfuncties", "Stap 3: Financieel", "Stap 4: Netwerk"} {
		if st := stepStatus(cand, label); st != "Klaar" {
			t.Errorf("overview after coming back: %q is %q, want Klaar", label, st)
		}
	}
	if st := stepStatus(cand, "Stap 5: Relatie met de gemeente"); st != "Nog niet klaar" {
		t.Errorf("overview after coming back: step 5 is %q, want Nog niet klaar", st)
	}
	checkEscapedName(t, cand)
	check(t, cand, "kandidaat-overzicht-hervat")
	k.press(`main a.button[href^="/scan/stap/"]`, "Verder met de scan")
	k.at("/scan/stap/5")
	// One step back: the answers of step 4 are still there.
	k.press(`button[name=actie][value=vorige]`, "Vorige stap")
	k.at("/scan/stap/4")
	k.wantValue("NT1-0-werkgever", ansPartnerOrg)
	k.wantValue("NT1-0-functie", ansPartnerJob)
	k.wantChecked("NT1.0.relatie", "partner")
	k.wantChecked("NT3", "sport")
	k.wantChecked("NT4", "ja_verleden")
	check(t, cand, "kandidaat-stap-4-hervat")
	k.next(5)

	// Stap 5: Relatie met de gemeente.
	step("candidate: steps 5-8, review, submit")
	k.tick("G1.leeg", "ja")
	k.choose("G2", "nee")
	k.choose("G3", "nee")
	k.tick("G4", "geen")
	check(t, cand, "kandidaat-stap-5")
	k.next(6)

	// Stap 6: Verleden en VOG.
	for _, id := range []string{"V1", "V2", "V3", "V4", "V5"} {
		k.choose(id, "nee")
	}
	k.choose("V6", "ja")
	k.choose("V7", "ja")
	check(t, cand, "kandidaat-stap-6")
	k.next(7)

	// Stap 7: Digitaal.
	k.tick("D1.leeg", "ja")
	k.choose("D2", "nee")
	k.choose("D3", "nee")
	k.choose("D4", "nee")
	k.choose("D5", "nee")
	check(t, cand, "kandidaat-stap-7")
	k.next(8)

	// Stap 8: Weerbaarheid.
	k.choose("W1", "ja")
	k.tick("W1_soort", "online") // shown live after W1 = ja
	k.choose("W2", "nee")
	k.choose("W3", "geen")
	k.choose("W4", "4")
	k.choose("W5", "ja")
	check(t, cand, "kandidaat-stap-8")
	k.next(0)

	// Controleren and indienen.
	wantText(t, cand, "Controleer uw antwoorden", ansEmployer, ansEmployer2, ansSideOrg, ansN5, ansPartnerOrg, "Versturen")
	if strings.Contains(cand.Text(), "Nog niet beantwoord") {
		t.Errorf("the review page shows unanswered questions after a complete walk")
	}
	check(t, cand, "kandidaat-controleren")
	k.press(`form[action="/scan/indienen"] button[type=submit]`, "Versturen")
	k.at("/scan/ontvangen")
	wantText(t, cand, "Uw scan is ingediend", "Wat gebeurt er nu?")
	check(t, cand, "kandidaat-ontvangen")

	// ---- 3. Committee member 1: overview, profile, guide, hearing.
	step("committee 1: round overview, candidate page, guide, note, VOG, hearing")
	com1 := tab()
	login(t, com1, s.base, com1Email, comPass)
	if got, want := path(t, com1), "/commissie/partij/"+s.pid; got != want {
		t.Fatalf("committee member after login at %s, want %s", got, want)
	}
	check(t, com1, "commissie-rondes")
	followInTable(t, com1, walkRound)
	// The worker makes the profile; a member reloads until it is there.
	type row struct{ Name, Status, Level string }
	rows := func() []row {
		return e2e.Eval[[]row](com1, `[...document.querySelectorAll('table.candidates tbody tr')].map(tr => ({
			Name: tr.cells[0].innerText.trim(), Status: tr.cells[1].innerText.trim(), Level: tr.cells[2].innerText.trim()}))`)
	}
	for until := time.Now().Add(15 * time.Second); ; {
		if rs := rows(); len(rs) > 0 && rs[0].Status == "Profiel klaar" {
			break
		}
		if time.Now().After(until) {
			t.Fatalf("no profile after 15 s; rows: %+v", rows())
		}
		time.Sleep(200 * time.Millisecond)
		com1.Go(com1.URL())
	}
	rs := rows()
	if len(rs) != 3 || rs[0].Name != walkCandidate || rs[0].Level != "oranje" {
		t.Errorf("round overview rows %+v: want 3, the profiled %q first with the level word „oranje”", rs, walkCandidate)
	}
	for _, r := range rs[1:] {
		if r.Level == "oranje" || r.Status == "Profiel klaar" {
			t.Errorf("an invited candidate shows %+v", r)
		}
	}
	if l := e2e.Eval[string](com1, `(document.querySelector('.legend') || {textContent: ''}).textContent.replace(/\s+/g, ' ').trim()`); l != "Niveaus, van laag naar hoog: geen · info · oranje · rood · blok" {
		t.Errorf("the round overview's legend reads %q", l)
	}
	if v := e2e.Eval[string](com1, `document.getElementById('filter-sort').value`); v != "level" {
		t.Errorf("the overview is sorted by %q, want level", v)
	}
	check(t, com1, "commissie-ronde")

	followInTable(t, com1, walkCandidate)
	candPath := path(t, com1)
	wantText(t, com1, "Totaalniveau", "Risicoprofiel", "De antwoorden hierachter", "Vraag in het gesprek:")
	flags := e2e.Eval[[]walkFlag](com1, `[...document.querySelectorAll('#profiel .flag')].map(f => ({Rule: f.dataset.rule,
		Level: (f.querySelector('.level') || {}).textContent || '', Finding: (f.querySelector('.finding') || {}).textContent || '',
		Ask: (f.querySelector('.ask') || {}).textContent || '',
		Answers: [...f.querySelectorAll('.answer-quote')].map(q => q.innerText.replace(/\s+/g, ' ').trim())}))`)
	byRule := map[string]walkFlag{}
	for _, f := range flags {
		byRule[f.Rule] = f
	}
	for _, want := range sample.FlaggedRules {
		f, ok := byRule[want[0]]
		switch {
		case !ok:
			t.Errorf("the profile lacks the flag %s; flags: %v", want[0], keys(byRule))
		case strings.TrimSpace(f.Level) != want[1]:
			t.Errorf("flag %s shows level %q, want %q", want[0], f.Level, want[1])
		case !strings.HasPrefix(f.Ask, "Vraag in het gesprek: ") || len(f.Ask) < 30:
			t.Errorf("flag %s has no interview question: %q", want[0], f.Ask)
		case len(f.Answers) == 0:
			t.Errorf("flag %s (%s) shows no answers behind it", want[0], f.Finding)
		}
	}
	for rule, want := range map[string]string{
		"nevenfunctie-relatie-gemeente": ansSideOrg,
		"nevenfuncties-neerleggen":      ansN5,
		"schulden-gesprek":              "Dat bespreek ik liever in het gesprek",
		"criminele-contacten-verleden":  "Ja, in het verleden",
		"bedreigd":                      "Online",
	} {
		if f := byRule[rule]; !strings.Contains(strings.Join(f.Answers, " | "), want) {
			t.Errorf("flag %s quotes %q, want the answer %q", rule, f.Answers, want)
		}
	}
	checkEscapedName(t, com1)
	check(t, com1, "commissie-kandidaat")

	com1.Follow("Gespreksleidraad om af te drukken")
	wantText(t, com1, "Gespreksleidraad: "+walkCandidate, "Afgedrukt door "+com1Name, "Aantekeningen:")
	if n := e2e.Eval[int](com1, `document.querySelectorAll('.guide-domain .flag').length`); n != len(sample.FlaggedRules) {
		t.Errorf("the guide has %d flags, want %d", n, len(sample.FlaggedRules))
	}
	check(t, com1, "commissie-leidraad")
	com1.Follow("Terug naar het dossier van")
	if path(t, com1) != candPath {
		t.Fatalf("the guide's back link went to %s", com1.URL())
	}

	com1.Fill("Nieuwe notitie", walkNote)
	com1.Press("Notitie opslaan")
	wantText(t, com1, walkNote, com1Name)
	check(t, com1, "commissie-notitie")

	com1.Choose("Nieuwe status", "Klaargezet")
	com1.Fill("Klaargezet op", time.Now().Format("02-01-2006"))
	com1.Fill("Screeningsprofiel", vogProfile)
	com1.Fill("Gecontroleerd door", vogChecker)
	com1.Press("VOG-status opslaan")
	wantText(t, com1, vogProfile, vogChecker)
	check(t, com1, "commissie-vog")

	hearing := com1.Within(`form[action$="/hoorzitting"]`)
	hearing.Choose("Over welke signalen wilt u de kandidaat horen?", "oranje "+findingOf(t, byRule, "nevenfunctie-relatie-gemeente"))
	hearing.Choose("Over welke signalen wilt u de kandidaat horen?", "oranje "+findingOf(t, byRule, "schulden-gesprek"))
	mailsBefore := len(s.e.Mails())
	hearing.Fill("Bericht aan de kandidaat", hearingMessage)
	hearing.Press("Vragen aan kandidaat versturen")
	wantText(t, com1, hearingMessage, "De kandidaat heeft nog niet gereageerd.", "Er loopt al een hoorzitting")
	check(t, com1, "commissie-hoorzitting-geopend")

	// ---- 4. Candidate: the hearing mail's fresh link, the reply.
	step("candidate: hearing reply through the link in the new mail")
	link := hearingLink(t, s, mailsBefore)
	if s.base+link == invite {
		t.Errorf("the hearing mail repeats the old invitation link")
	}
	cand2 := tab()
	k = &keyboard{t: t, p: cand2}
	cand2.Go(s.base + link)
	wantText(t, cand2, "Vragen van de selectiecommissie", "De selectiecommissie heeft vragen over een paar antwoorden uit uw scan")
	check(t, cand2, "kandidaat-uitnodiging-hoorzitting")
	k.press(`form[action^="/uitnodiging/"] button[type=submit]`, "Naar uw scan")
	k.at("/scan")
	wantText(t, cand2, "Uw scan is ingediend", "De selectiecommissie heeft vragen voor u")
	check(t, cand2, "kandidaat-overzicht-vragen")
	k.press(`main .notice a[href="/scan/reactie"]`, "Naar de vragen van de commissie")
	k.at("/scan/reactie")
	wantText(t, cand2, hearingMessage, findingOf(t, byRule, "nevenfunctie-relatie-gemeente"), findingOf(t, byRule, "schulden-gesprek"))
	if n := e2e.Eval[int](cand2, `document.querySelectorAll('.hearing-flags > li').length`); n != 2 {
		t.Errorf("the hearing page shows %d flags, want 2", n)
	}
	if txt := cand2.Text(); regexp.MustCompile(`(?i)\b(oranje|rood|blok)\b`).MatchString(txt) {
		t.Errorf("the candidate's hearing page shows a level word")
	}
	check(t, cand2, "kandidaat-reactie")
	k.typeIn("reactie", hearingReply)
	k.press(`form[action="/scan/reactie"] button[type=submit]`, "Reactie versturen")
	k.at("/scan/reactie")
	wantText(t, cand2, "Uw reactie", hearingReply)
	if strings.Contains(cand2.Text(), "Reactie versturen") {
		t.Errorf("the reply form is still offered after replying")
	}
	check(t, cand2, "kandidaat-reactie-verstuurd")

	// ---- 5. Committee: advice proposed by member 1, confirmed by member 2.
	step("committee: propose and confirm the advice")
	com1.Go(s.base + candPath)
	wantText(t, com1, "Reactie van de kandidaat", hearingReply)
	check(t, com1, "commissie-reactie-gelezen")
	com1.Choose("Wat is uw advies?", "Positief met voorwaarden")
	com1.Fill("Redenen", walkReasons)
	com1.Fill("Voorwaarden", walkConditions)
	com1.Choose("Wat mag het bestuur zien na bevestiging?", "Het bestuur mag de uitkomst zien")
	com1.Choose("Wat mag het bestuur zien na bevestiging?", "Het bestuur mag ook de voorwaarden zien")
	com1.Press("Advies voorstellen")
	wantText(t, com1, "Voorstel: Positief met voorwaarden", walkReasons, walkConditions, "Een tweede commissielid moet het bevestigen")
	check(t, com1, "commissie-advies-voorgesteld")

	com2 := tab()
	login(t, com2, s.base, com2Email, comPass)
	check(t, com2, "commissie2-rondes")
	followInTable(t, com2, walkRound)
	wantText(t, com2, "Voorstel: positief met voorwaarden (wacht op bevestiging)")
	check(t, com2, "commissie2-ronde")
	followInTable(t, com2, walkCandidate)
	wantText(t, com2, "Voorstel: Positief met voorwaarden", com1Name, walkReasons)
	check(t, com2, "commissie2-kandidaat")
	com2.Press("Advies bevestigen")
	wantText(t, com2, "Advies: Positief met voorwaarden", com2Name)
	check(t, com2, "commissie2-advies-bevestigd")

	// ---- 6. Board: the outcome, and nothing of the file.
	step("board: released outcome; nothing of the file on the board's pages")
	board.Follow("Rondes")
	onlyOnce(t, board, "2 uitnodiging(en) worden verstuurd")
	boardSees("bestuur-rondes-na-advies")
	followInTable(t, board, walkRound)
	if board.Status() != 200 {
		// Reported by check below; the board still opens the candidate's
		// page (by its address) so the privacy checks run.
		boardSees("bestuur-ronde-met-advies")
		board.Go(s.base + "/bestuur/kandidaten/" + strings.TrimPrefix(candPath, "/commissie/kandidaten/"))
	} else {
		jrow := e2e.Eval[string](board, `(() => { const a = [...document.querySelectorAll('main table tbody tr')].find(tr => tr.cells[0].innerText.includes('Jansen')); return a ? a.innerText : ''; })()`)
		if !strings.Contains(jrow, "Positief met voorwaarden") || !strings.Contains(jrow, walkConditions) {
			t.Errorf("the board's row for %s does not show the released outcome and conditions: %q", walkCandidate, jrow)
		}
		checkEscapedName(t, board)
		boardSees("bestuur-ronde-met-advies")
		followInTable(t, board, walkCandidate)
	}
	wantText(t, board, "Positief met voorwaarden", walkConditions)
	boardSees("bestuur-kandidaat")

	secrets := []string{ansEmployer, ansJob, ansEmployer2, ansJob2, ansSideOrg, ansSideKvK, ansN5, ansPartnerOrg, ansPartnerJob,
		"2016-02-01", "2018-03-01", hearingMessage, hearingReply, walkNote, walkReasons, vogProfile, vogChecker, "Klaargezet"}
	for _, f := range flags {
		secrets = append(secrets, f.Finding)
	}
	levelWord := regexp.MustCompile(`(?i)\b(oranje|rood|blok)\b`)
	for _, pg := range boardPages {
		for _, sec := range secrets {
			if strings.Contains(pg.text, sec) {
				t.Errorf("board page %s (%s) shows %q", pg.name, pg.url, sec)
			}
		}
		if m := levelWord.FindString(pg.text); m != "" {
			t.Errorf("board page %s (%s) shows the level word %q", pg.name, pg.url, m)
		}
		for _, mark := range []string{`class="level`, "data-rule=", "answer-quote", "/commissie/"} {
			if strings.Contains(pg.html, mark) {
				t.Errorf("board page %s (%s) holds %q in its HTML", pg.name, pg.url, mark)
			}
		}
	}

	// ---- 7. Members: the board proposes a committee member, member 2
	// confirms on the members page, the new member accepts by mail.
	step("members: board proposes, committee 2 confirms, the new member accepts")
	boardTok := s.e.Login(boardEmail, boardPass)
	s.e.Must(201, "POST", v1+"/parties/"+s.pid+"/members", boardTok, map[string]any{"email": com3Email, "name": com3Name, "role": "commissie"})
	com2.Follow("Commissieleden")
	if got, want := path(t, com2), "/commissie/partij/"+s.pid+"/leden"; got != want {
		t.Fatalf("the Commissieleden link went to %s, want %s", got, want)
	}
	wantText(t, com2, com3Name, com3Email, "Voorgesteld door", "Bea Bestuur", com1Name, com2Name)
	check(t, com2, "commissie-leden-voorstel")
	com2.Within(`form[action$="/leden"]`).Press("Commissielid voorstellen")
	if com2.Status() != 422 {
		t.Errorf("an empty proposal: status %d, want 422", com2.Status())
	}
	checkSummary(t, com2, "name", "email")
	checkAt(t, com2, "commissie-leden-voorstel-fout", 422)
	com2.Press("Voorstel bevestigen: " + com3Name)
	wantText(t, com2, "U hebt het nieuwe commissielid bevestigd", "Uitgenodigd, nog niet aanvaard")
	check(t, com2, "commissie-leden-bevestigd")

	memberLink := regexp.MustCompile(`/account/lidmaatschap/[A-Za-z0-9_-]+`).FindString(s.e.WaitMail(com3Email, "Uitnodiging voor").BodyText)
	if memberLink == "" {
		t.Fatalf("the membership mail to %s has no link", com3Email)
	}
	com3 := tab()
	com3.Go(s.base + memberLink)
	wantText(t, com3, "Partij Weerbaar wil u toevoegen aan de selectiecommissie")
	check(t, com3, "lidmaatschap")
	com3.Press("Uitnodiging aanvaarden")
	if got := path(t, com3); got != "/inloggen" {
		t.Fatalf("after accepting the new member is at %s, want /inloggen", com3.URL())
	}
	wantText(t, com3, "U hebt de uitnodiging aanvaard")
	check(t, com3, "inloggen-na-lidmaatschap")
	com3.Fill("E-mailadres", com3Email)
	com3.Fill("Wachtwoord", comPass)
	com3.Press("Inloggen")
	com3.Go(s.base + "/commissie/partij/" + s.pid + "/leden")
	if n := e2e.Eval[int](com3, `[...document.querySelectorAll('[aria-label^="Tabel met de leden van de selectiecommissie"] tbody tr')].filter(tr => tr.innerText.includes('Actief')).length`); n != 3 {
		t.Errorf("the members page lists %d active committee members, want 3", n)
	}
	wantText(t, com3, "Er zijn geen voorstellen die wachten op bevestiging")
	check(t, com3, "commissie3-leden")

	// ---- 8. Candidate: the invitation link died on submit; a new one by e-mail.
	step("candidate: a new link at /link-aanvragen")
	cand3 := tab()
	cand3.Go(s.base + "/link-aanvragen")
	check(t, cand3, "link-aanvragen")
	cand3.Press("Link aanvragen")
	checkSummary(t, cand3, "email")
	checkAt(t, cand3, "link-aanvragen-fout", 422)
	mailsBefore = len(s.e.Mails())
	cand3.Fill("E-mailadres", walkEmail)
	cand3.Press("Link aanvragen")
	wantText(t, cand3, "krijgt u binnen een paar minuten een e-mail")
	check(t, cand3, "link-aanvragen-verstuurd")
	newLink := mailLink(t, s, walkEmail, "Nieuwe link voor uw weerbaarheidsscan", mailsBefore)
	cand3.Go(s.base + newLink)
	wantText(t, cand3, "Uw weerbaarheidsscan", "Met deze link opent u uw eigen scan")
	check(t, cand3, "kandidaat-uitnodiging-nieuwe-link")
	cand3.Within(`form[action^="/uitnodiging/"]`).Press("Naar uw scan")
	if got := path(t, cand3); got != "/scan" {
		t.Fatalf("the new link led to %s, want /scan", cand3.URL())
	}
	wantText(t, cand3, "Uw scan is ingediend", "Advies gegeven")
	check(t, cand3, "kandidaat-overzicht-na-advies")

	// ---- 9. A recusal holds for the person: member 3 steps aside from
	// Jansen's file; the herhaalscan's new file shows it.
	step("committee: a recusal carried over to the herhaalscan")
	cid := strings.TrimPrefix(candPath, "/commissie/kandidaten/")
	tok3 := s.e.Login(com3Email, comPass)
	s.e.Must(201, "POST", v1+"/candidates/"+cid+"/recusal", tok3, map[string]string{"reason": com3Recusal})
	res := s.e.Must(201, "POST", v1+"/rounds/"+strings.TrimPrefix(roundPath, "/bestuur/ronde/")+"/rescreen", boardTok,
		map[string]any{"name": "Herhaalscan 2027", "deadline": time.Now().AddDate(0, 3, 0).Format("2006-01-02"), "candidates": []string{cid}}).Map(t)
	newFile := res["candidates"].([]any)[0].(map[string]any)["id"].(string)
	if st := s.e.Do("GET", v1+"/candidates/"+newFile, tok3, nil).Status; st != 404 {
		t.Errorf("the recused member opens the herhaalscan's file: status %d, want 404", st)
	}
	com1.Go(s.base + "/commissie/kandidaten/" + newFile)
	wantText(t, com1, com3Name, com3Recusal, "Een terugtrekking geldt voor alle scans van deze kandidaat")
	check(t, com1, "commissie-herhaalscan-terugtrekking")

	for i, p := range tabs {
		if d := p.Dialogs(); len(d) > 0 {
			t.Errorf("tab %d opened JavaScript dialogs: %v", i+1, d)
		}
	}
	step("done")
}

// check is Tab.Check, but a finding fails the test without stopping the
// walk, so one run reports every page's problems.
func check(t *testing.T, p *e2e.Tab, name string) {
	t.Helper()
	checkAt(t, p, name, 200)
}

// checkAt is check for a page that answers with the status (422 for a
// form with errors).
func checkAt(t *testing.T, p *e2e.Tab, name string, status int) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(softStop); !ok {
				panic(r)
			}
		}
	}()
	if st := p.Status(); st != status {
		t.Errorf("check %s: %s answered with status %d: %s", name, p.URL(), st,
			e2e.Eval[string](p, `(document.querySelector('main') || document.body).innerText.replace(/\s+/g, ' ').slice(0, 200)`))
	}
	p.With(softT{t}).Check(name)
}

// softT turns Fatal into Error plus a panic that check recovers.
type softT struct{ *testing.T }

type softStop struct{}

func (s softT) Fatalf(format string, args ...any) {
	s.T.Helper()
	s.T.Errorf(format, args...)
	panic(softStop{})
}

func (s softT) Fatal(args ...any) {
	s.T.Helper()
	s.T.Error(args...)
	panic(softStop{})
}

func (s softT) FailNow() {
	s.T.Fail()
	panic(softStop{})
}

// followInTable opens the table link whose text is text, by focusing it and
// pressing Enter. (Tab.Follow clicks the centre of the link's bounding box,
// which misses a link that wraps over two lines in a narrow table column.)
func followInTable(t *testing.T, p *e2e.Tab, text string) {
	t.Helper()
	js, _ := json.Marshal(text)
	got := e2e.Eval[string](p, `(() => {
		const want = `+string(js)+`, norm = (s) => s.replace(/\s+/g, ' ').trim();
		const links = [...document.querySelectorAll('main table a[href]')].filter((a) => a.offsetWidth || a.offsetHeight);
		const a = links.find((a) => norm(a.textContent) === want);
		if (!a) return 'no table link reads ' + want + '; links: ' + links.map((a) => norm(a.textContent)).join(' | ');
		a.focus();
		return document.activeElement === a ? '' : 'the link does not take focus';
	})()`)
	if got != "" {
		t.Fatalf("%s: %s", p.URL(), got)
	}
	p.Keys("Enter")
}

// shown is a board page as the board member saw it.
type shown struct{ name, url, text, html string }

func login(t *testing.T, p *e2e.Tab, base, email, pass string) {
	t.Helper()
	p.Go(base + "/inloggen")
	check(t, p, "inloggen-"+strings.Split(email, "@")[0])
	p.Fill("E-mailadres", email)
	p.Fill("Wachtwoord", pass)
	p.Press("Inloggen")
}

// onlyOnce: a message shown after an action (a flash) is not shown again
// on a later page.
func onlyOnce(t *testing.T, p *e2e.Tab, msg string) {
	t.Helper()
	if strings.Contains(p.Text(), msg) {
		t.Errorf("%s: the one-time message %q from an earlier page is shown again", p.URL(), msg)
	}
}

func wantText(t *testing.T, p *e2e.Tab, want ...string) {
	t.Helper()
	text := p.Text()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: the page does not say %q", p.URL(), w)
		}
	}
}

// checkEscapedName: the hostile name reads as text, and the page holds no
// element it could have made.
func checkEscapedName(t *testing.T, p *e2e.Tab) {
	t.Helper()
	if !strings.Contains(p.Text(), walkCandidate) {
		t.Errorf("%s: the name %q is not shown as text", p.URL(), walkCandidate)
	}
	if n := e2e.Eval[int](p, `[...document.scripts].filter(s => s.textContent.includes('alert(1)')).length`); n > 0 {
		t.Errorf("%s: the name became a script element", p.URL())
	}
	if src := p.Source(); strings.Contains(src, "<script>alert(1)") {
		t.Errorf("%s: the page source holds the name unescaped", p.URL())
	}
}

// stepStatus is the status word next to a step on the candidate's overview.
func stepStatus(p *e2e.Tab, label string) string {
	js, _ := json.Marshal(label)
	return e2e.Eval[string](p, `(() => { const li = [...document.querySelectorAll('.step-list li')].find(li => li.querySelector('a').textContent.trim() === `+string(js)+`);
		return li ? li.querySelector('.step-status').textContent.trim() : 'no such step'; })()`)
}

// walkFlag is a flag on the committee's candidate page.
type walkFlag struct {
	Rule, Level, Finding, Ask string
	Answers                   []string
}

func findingOf(t *testing.T, flags map[string]walkFlag, rule string) string {
	t.Helper()
	f, ok := flags[rule]
	if !ok || f.Finding == "" {
		t.Fatalf("no flag %s on the committee's page", rule)
	}
	return strings.Join(strings.Fields(f.Finding), " ")
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

var walkLink = regexp.MustCompile(`/uitnodiging/[A-Za-z0-9_-]{43}`)

// hearingLink waits for the hearing notice to the candidate that arrived
// after the first `after` mails, and returns its link's path.
func hearingLink(t *testing.T, s *site, after int) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		ms := s.e.Mails()
		for i := len(ms) - 1; i >= after && i >= 0; i-- {
			if ms[i].ToAddr == walkEmail && strings.HasPrefix(ms[i].Subject, "Vragen van de selectiecommissie") {
				if m := walkLink.FindString(ms[i].BodyText); m != "" {
					return m
				}
				t.Fatalf("the hearing notice has no link:\n%s", ms[i].BodyText)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no hearing notice to %s within 15 s", walkEmail)
	return ""
}

// mailLink waits for a mail to addr whose subject starts with subject,
// arrived after the first `after` mails, and returns its /uitnodiging/ link.
func mailLink(t *testing.T, s *site, addr, subject string, after int) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		ms := s.e.Mails()
		for i := len(ms) - 1; i >= after && i >= 0; i-- {
			if ms[i].ToAddr == addr && strings.HasPrefix(ms[i].Subject, subject) {
				if m := walkLink.FindString(ms[i].BodyText); m != "" {
					return m
				}
				t.Fatalf("the mail %q has no link:\n%s", ms[i].Subject, ms[i].BodyText)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no mail %q to %s within 15 s", subject, addr)
	return ""
}

// keyboard drives a tab with keys only: Tab and Shift+Tab to move, Space
// and arrow keys to choose, Enter to press, typing into the focused field.
type keyboard struct {
	t *testing.T
	p *e2e.Tab
}

// maxTabs bounds one search for an element (the review page has a
// "Wijzigen" link per question).
const maxTabs = 160

type focusState struct {
	Match, Checked bool
	Desc, Text     string
}

func (k *keyboard) state(css string) focusState {
	k.t.Helper()
	sel, _ := json.Marshal(css)
	return e2e.Eval[focusState](k.p, `(() => {
		const a = document.activeElement;
		if (!a || a === document.body || a === document.documentElement) return {Desc: 'body (nothing focused)'};
		let d = a.tagName.toLowerCase() + (a.id ? '#' + a.id : '');
		if (a.name) d += '[name=' + a.name + ']';
		if (a.type === 'radio' || a.type === 'checkbox') d += '[value=' + a.value + ']';
		return {Match: a.matches(`+string(sel)+`), Checked: !!a.checked, Desc: d, Text: a.textContent.replace(/\s+/g, ' ').trim()};
	})()`)
}

func (k *keyboard) focused() string { k.t.Helper(); return k.state("*").Desc }

// tabTo presses Tab until the focused element matches css.
func (k *keyboard) tabTo(css string) focusState {
	k.t.Helper()
	var trail []string
	for i := 0; i <= maxTabs; i++ {
		st := k.state(css)
		if st.Match {
			return st
		}
		trail = append(trail, st.Desc)
		k.p.Keys("Tab")
	}
	if len(trail) > 30 {
		trail = append(trail[:10], append([]string{"…"}, trail[len(trail)-20:]...)...)
	}
	k.t.Fatalf("%s: %d Tab presses did not reach %s; focus went:\n    %s", k.p.URL(), maxTabs, css, strings.Join(trail, "\n    "))
	return focusState{}
}

func choiceCSS(name, value string) string {
	return fmt.Sprintf(`input[name=%q][value=%q]`, name, value)
}

// tick checks a checkbox with Space.
func (k *keyboard) tick(name, value string) {
	k.t.Helper()
	css := choiceCSS(name, value)
	if !k.tabTo(css).Checked {
		k.p.Keys("Space")
	}
	if !k.state(css).Checked {
		k.t.Fatalf("%s: Space did not check %s", k.p.URL(), css)
	}
}

// choose tabs into a radio group and moves with the arrow keys to the
// option (which checks it); Space checks the first option.
func (k *keyboard) choose(name, value string) {
	k.t.Helper()
	css := choiceCSS(name, value)
	k.tabTo(fmt.Sprintf(`input[type=radio][name=%q]`, name))
	for i := 0; !k.state(css).Match; i++ {
		if i > 10 {
			k.t.Fatalf("%s: the arrow keys did not reach %s (focus on %s)", k.p.URL(), css, k.focused())
		}
		k.p.Keys("ArrowDown")
	}
	if !k.state(css).Checked {
		k.p.Keys("Space")
	}
	if !k.state(css).Checked {
		k.t.Fatalf("%s: %s is focused but not checked", k.p.URL(), css)
	}
}

// typeIn tabs to the field with the id and types the text.
func (k *keyboard) typeIn(id, text string) {
	k.t.Helper()
	k.tabTo("#" + id)
	k.p.Keys(text)
	k.wantValue(id, text)
}

// press tabs to the button or link and presses Enter; label is what it
// must say.
func (k *keyboard) press(css, label string) {
	k.t.Helper()
	if st := k.tabTo(css); !strings.HasPrefix(st.Text, label) {
		k.t.Fatalf("%s: %s reads %q, want %q", k.p.URL(), css, st.Text, label)
	}
	k.p.Keys("Enter")
}

// enter presses Enter on the focused button, which must read label.
func (k *keyboard) enter(label string) {
	k.t.Helper()
	if st := k.state("*"); !strings.HasPrefix(st.Text, label) {
		k.t.Fatalf("%s: focus is on %s %q, want %q", k.p.URL(), st.Desc, st.Text, label)
	}
	k.p.Keys("Enter")
}

// next presses "Opslaan en verder" and expects step n (0: the review).
func (k *keyboard) next(n int) {
	k.t.Helper()
	k.press(`button.button[name=actie][value=verder]`, "Opslaan en verder")
	want := fmt.Sprintf("/scan/stap/%d", n)
	if n == 0 {
		want = "/scan/controleren"
	}
	k.at(want)
}

// at fails unless the tab is at the path.
func (k *keyboard) at(want string) {
	k.t.Helper()
	if got := path(k.t, k.p); got != want {
		summary := e2e.Eval[string](k.p, `(document.querySelector('[data-error-summary]') || {innerText: ''}).innerText`)
		k.t.Fatalf("the candidate is at %s, want %s\n%s", k.p.URL(), want, summary)
	}
}

func (k *keyboard) wantValue(id, want string) {
	k.t.Helper()
	js, _ := json.Marshal(id)
	if got := e2e.Eval[string](k.p, `document.getElementById(`+string(js)+`).value`); got != want {
		k.t.Errorf("%s: #%s holds %q, want %q", k.p.URL(), id, got, want)
	}
}

func (k *keyboard) wantChecked(name, value string) {
	k.t.Helper()
	js, _ := json.Marshal(choiceCSS(name, value))
	if !e2e.Eval[bool](k.p, `!!(document.querySelector(`+string(js)+`) || {}).checked`) {
		k.t.Errorf("%s: %s is not checked", k.p.URL(), choiceCSS(name, value))
	}
}
