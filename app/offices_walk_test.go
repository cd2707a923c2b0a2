package app_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/mail/smtptest"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// Issue 14 item 1: a round per office walked end to end, and running rounds
// staying on questionnaire version 1 (docs/domain/ambten.md).

// officeAnswers is sample.Clean() for office on version 2: the municipal
// legal questions swapped for the province's or the waterschap's.
func officeAnswers(office string) map[string]any {
	a := sample.Clean()
	a["K1"] = []any{office}
	switch questionnaires.OfficeLevel(office) {
	case questionnaires.LevelProvincie:
		delete(a, "K3")
		delete(a, "N3")
		delete(a, "N4")
		a["K2P"], a["K3P"], a["N3P"], a["N4P"] = "nee", true, []any{"geen"}, false
	case questionnaires.LevelWaterschap:
		delete(a, "K3")
		delete(a, "N3")
		delete(a, "N4")
		a["K2W"], a["N3W"], a["N4W"] = false, []any{"geen"}, false
	}
	if questionnaires.IsExecutive(office) {
		a["F7"] = false
	}
	return a
}

type officeWalk struct {
	office   string
	trigger  map[string]any
	rule     string // the office's finding the committee must see
	severity string
	law      string
}

var officeWalks = []officeWalk{
	{"raadslid", map[string]any{"N4": true, "N4_toelichting": "Mijn drukkerij levert aan de gemeente."}, "verboden-handelingen", "rood", "Gemeentewet art. 15, 41c"},
	{"wethouder", map[string]any{"F7": true, "F7_toelichting": "Aandelen in een aannemer die voor de gemeente bouwt."}, "financiele-belangen-bestuurder", "rood",
		"Wetsvoorstel Wet bevorderen integriteit en functioneren decentraal bestuur (tweede tranche), 2026; nog geen wet"},
	{"commissielid", map[string]any{"N3": []any{"burgemeester"}}, "nevenfunctie-onverenigbaar", "blok", "Gemeentewet art. 13, 36b"},
	{"statenlid", map[string]any{"N4P": true, "N4P_toelichting": "Mijn bedrijf maait bermen voor de provincie."}, "verboden-handelingen-statenlid", "rood", "Provinciewet art. 15"},
	{"gedeputeerde", map[string]any{"N3P": []any{"gemeentebestuur"}}, "onverenigbaar-gedeputeerde", "blok", "Provinciewet art. 35c"},
	{"waterschap_ab", map[string]any{"N3W": []any{"dijkgraaf"}}, "onverenigbaar-waterschap", "blok", "Waterschapswet art. 31"},
	{"waterschap_db", map[string]any{"N4W": true, "N4W_toelichting": "Ik verpacht grond aan het waterschap."}, "verboden-handelingen-waterschap-db", "blok", "Waterschapswet art. 33"},
}

// TestOfficeRoundsWalk: for every office the board creates a round and
// invites; the candidate accepts from the mail (over SMTP), answers so that
// the office's rule fires, submits; the worker compiles; the committee reads
// the finding with its article; one member proposes and another confirms an
// advice; the board reads the advice and nothing else.
func TestOfficeRoundsWalk(t *testing.T) {
	srv := smtptest.Start(t)
	e := apptest.Start(t, apptest.WithSMTP(srv.URL()))
	e.StartWorker()
	const pw = "wachtwoord-voor-de-ambten-1"
	admin := e.Admin()
	pid := e.Must(201, "POST", v1+"/parties", admin, map[string]string{"name": "Partij Ambten"}).Map(t)["id"].(string)
	e.Must(201, "POST", v1+"/parties/"+pid+"/members", admin, map[string]any{"email": "bestuur@ambten.nl", "name": "Bert Bestuur", "role": "bestuur", "password": pw})
	e.AddMember(admin, pid, map[string]any{"email": "c1@ambten.nl", "name": "Cees Commissie", "role": "commissie", "password": pw})
	e.AddMember(admin, pid, map[string]any{"email": "c2@ambten.nl", "name": "Carla Commissie", "role": "commissie", "password": pw})
	board, c1, c2 := e.Login("bestuur@ambten.nl", pw), e.Login("c1@ambten.nl", pw), e.Login("c2@ambten.nl", pw)
	deadline := time.Now().AddDate(0, 2, 0).Format("2006-01-02")

	for i, w := range officeWalks {
		t.Run(w.office, func(t *testing.T) {
			rr := e.Must(201, "POST", v1+"/parties/"+pid+"/rounds", board, map[string]string{"name": "Ronde " + w.office, "office": w.office, "deadline": deadline}).Map(t)
			if rr["questionnaire_version"] != float64(2) || rr["office"] != w.office {
				t.Fatalf("new round: %v", rr)
			}
			rid := rr["id"].(string)
			email := fmt.Sprintf("kandidaat%d@ambten.nl", i)
			cid := e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Kandidaat " + w.office, "email": email}).Map(t)["id"].(string)
			cand := e.Must(201, "POST", v1+"/invitations/"+linkToken(t, waitMail(t, srv, email, "Uitnodiging").Text)+"/accept", "", nil).Map(t)["token"].(string)
			q := e.Must(200, "GET", v1+"/me/questionnaire", cand, nil).Map(t)
			if def := q["questionnaire"].(map[string]any); def["version"] != float64(2) {
				t.Fatalf("candidate gets questionnaire version %v", def["version"])
			}
			e.Must(200, "POST", v1+"/me/consent", cand, map[string]int{"privacy_version": 1})
			a := officeAnswers(w.office)
			for k, v := range w.trigger {
				a[k] = v
			}
			e.Must(200, "PATCH", v1+"/me/answers", cand, map[string]any{"answers": a})
			// The office decides which legal questions are shown.
			vis := e.Must(200, "GET", v1+"/me/questionnaire", cand, nil).Map(t)["visible"].(map[string]any)
			level := questionnaires.OfficeLevel(w.office)
			if vis["N3"] != (level == "gemeente") || vis["N3P"] != (level == "provincie") || vis["N3W"] != (level == "waterschap") ||
				vis["F7"] != questionnaires.IsExecutive(w.office) {
				t.Fatalf("visible for %s: N3 %v N3P %v N3W %v F7 %v", w.office, vis["N3"], vis["N3P"], vis["N3W"], vis["F7"])
			}
			e.Must(200, "POST", v1+"/me/submit", cand, nil)

			var prof map[string]any
			for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
				if r := e.Do("GET", v1+"/candidates/"+cid+"/profile", c1, nil); r.Status == 200 {
					prof = r.Map(t)
					break
				}
				if time.Since(start) > 10*time.Second {
					t.Fatal("no profile within 10s")
				}
			}
			var found map[string]any
			var rules []string
			for _, f := range prof["flags"].([]any) {
				fm := f.(map[string]any)
				rules = append(rules, fm["rule"].(string))
				if fm["rule"] == w.rule {
					found = fm
				}
			}
			if found == nil {
				t.Fatalf("committee does not see %s; flags %v", w.rule, rules)
			}
			if found["severity"] != w.severity || found["law"] != w.law || prof["overall"] != w.severity {
				t.Fatalf("finding %v (overall %v), want %s with law %q", found, prof["overall"], w.severity, w.law)
			}
			// The committee's page shows the article too.
			req := httptest.NewRequest("GET", "/commissie/kandidaten/"+cid, nil)
			req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: c1})
			resp, err := e.Sys.App.Test(req, 30_000)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(page), "Wettelijke grondslag:</strong> "+html.EscapeString(w.law)) {
				t.Errorf("committee page (status %d) lacks the article %q", resp.StatusCode, w.law)
			}

			e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", c2, map[string]any{"outcome": "positief_met_voorwaarden",
				"reasons": "Zie het gesprek.", "conditions": "Lost het punt op voor de installatie.", "release_to_board": true})
			e.Must(409, "POST", v1+"/candidates/"+cid+"/decision/confirm", c2, nil)
			e.Must(200, "POST", v1+"/candidates/"+cid+"/decision/confirm", c1, nil)
			bc := e.Must(200, "GET", v1+"/candidates/"+cid, board, nil)
			assertBoardSafe(t, "board after decision", bc.Body)
			if adv, _ := bc.Map(t)["advice"].(map[string]any); adv == nil || adv["outcome"] != "positief_met_voorwaarden" {
				t.Fatalf("board does not read the advice: %s", bc.Body)
			}
			if strings.Contains(string(bc.Body), w.rule) || strings.Contains(string(bc.Body), w.law) {
				t.Fatalf("board reads the finding: %s", bc.Body)
			}
			for _, p := range []string{"profile", "answers"} {
				e.Must(403, "GET", v1+"/candidates/"+cid+"/"+p, board, nil)
			}
		})
	}
}

// TestRoundsStayOnVersion1: a round created while only version 1 existed
// keeps version 1 after version 2 is deployed (its candidate gets version 1's
// questions, its compile uses version 1's rules), a new round gets version 2,
// and version 1 refuses the new offices with a Dutch 422.
func TestRoundsStayOnVersion1(t *testing.T) {
	all, err := questionnaires.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	var old []*questionnaires.Definition
	for _, d := range all.All() {
		if !(d.ID == "weerbaarheidsscan" && d.Version >= 2) {
			old = append(old, d)
		}
	}
	v1only, err := questionnaires.NewRegistry(old...)
	if err != nil {
		t.Fatal(err)
	}
	srv := smtptest.Start(t)
	before := apptest.Start(t, apptest.WithSMTP(srv.URL()), apptest.WithForms(v1only))
	const pw = "wachtwoord-voor-versie-1"
	admin := before.Admin()
	pid := before.Must(201, "POST", v1+"/parties", admin, map[string]string{"name": "Partij Versie"}).Map(t)["id"].(string)
	before.Must(201, "POST", v1+"/parties/"+pid+"/members", admin, map[string]any{"email": "bestuur@versie.nl", "name": "Bert", "role": "bestuur", "password": pw})
	before.AddMember(admin, pid, map[string]any{"email": "c1@versie.nl", "name": "Cees", "role": "commissie", "password": pw})
	board := before.Login("bestuur@versie.nl", pw)
	deadline := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	oldRound := before.Must(201, "POST", v1+"/parties/"+pid+"/rounds", board, map[string]string{"name": "Oud", "office": "wethouder", "deadline": deadline}).Map(t)
	if oldRound["questionnaire_version"] != float64(1) {
		t.Fatalf("round before version 2: %v", oldRound)
	}
	r := before.Must(422, "POST", v1+"/parties/"+pid+"/rounds", board, map[string]string{"name": "Staten", "office": "statenlid", "deadline": deadline})
	if !strings.Contains(string(r.Body), "Versie 1 is alleen voor raadslid, wethouder en commissielid") {
		t.Fatalf("refusal of a provincial office on version 1: %s", r.Body)
	}
	oldCid := before.Must(201, "POST", v1+"/rounds/"+oldRound["id"].(string)+"/candidates", board, map[string]string{"name": "Olga Oud", "email": "oud@versie.nl"}).Map(t)["id"].(string)

	// Version 2 is deployed: the same database, the embedded questionnaires.
	after := before.Second()
	after.StartWorker()
	c1 := after.Login("c1@versie.nl", pw)
	board = after.Login("bestuur@versie.nl", pw)
	newRound := after.Must(201, "POST", v1+"/parties/"+pid+"/rounds", board, map[string]string{"name": "Nieuw", "office": "wethouder", "deadline": deadline}).Map(t)
	if newRound["questionnaire_version"] != float64(2) {
		t.Fatalf("new round: %v", newRound)
	}
	newCid := after.Must(201, "POST", v1+"/rounds/"+newRound["id"].(string)+"/candidates", board, map[string]string{"name": "Nina Nieuw", "email": "nieuw@versie.nl"}).Map(t)["id"].(string)

	walk := func(email, cid string, version float64, answers map[string]any) map[string]any {
		t.Helper()
		cand := after.Must(201, "POST", v1+"/invitations/"+linkToken(t, waitMail(t, srv, email, "Uitnodiging").Text)+"/accept", "", nil).Map(t)["token"].(string)
		q := after.Must(200, "GET", v1+"/me/questionnaire", cand, nil).Map(t)
		def := q["questionnaire"].(map[string]any)
		if def["version"] != version {
			t.Fatalf("%s gets version %v, want %v", email, def["version"], version)
		}
		if _, hasF7 := q["visible"].(map[string]any)["F7"]; hasF7 != (version == 2) {
			t.Fatalf("%s: question F7 present = %v on version %v", email, hasF7, version)
		}
		after.Must(200, "POST", v1+"/me/consent", cand, map[string]int{"privacy_version": 1})
		after.Must(200, "PATCH", v1+"/me/answers", cand, map[string]any{"answers": answers})
		after.Must(200, "POST", v1+"/me/submit", cand, nil)
		for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(20 * time.Millisecond) {
			if r := after.Do("GET", v1+"/candidates/"+cid+"/profile", c1, nil); r.Status == 200 {
				return r.Map(t)
			}
		}
		t.Fatalf("no profile for %s", email)
		return nil
	}
	rulesOf := func(p map[string]any) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, f := range p["flags"].([]any) {
			fm := f.(map[string]any)
			out[fm["rule"].(string)] = fm
		}
		return out
	}
	// The same answers (a wethouder refusing the VOG), one round each.
	a := sample.Clean()
	a["K1"], a["V7"] = []any{"wethouder"}, false
	oldProf := walk("oud@versie.nl", oldCid, 1, a)
	a2 := officeAnswers("wethouder")
	a2["V7"], a2["F7"], a2["F7_toelichting"] = false, true, "Aandelen in een aannemer."
	newProf := walk("nieuw@versie.nl", newCid, 2, a2)
	if oldProf["questionnaire_version"] != float64(1) || newProf["questionnaire_version"] != float64(2) {
		t.Fatalf("profile versions: old %v new %v", oldProf["questionnaire_version"], newProf["questionnaire_version"])
	}
	oldRules, newRules := rulesOf(oldProf), rulesOf(newProf)
	if f := oldRules["vog-geen-toestemming-w"]; f == nil || f["law"] != nil {
		t.Errorf("version 1 compile: %v (version 1 rules carry no law)", oldRules)
	}
	if _, ok := oldRules["financiele-belangen-bestuurder"]; ok {
		t.Error("version 1 compile used a version 2 rule")
	}
	if f := newRules["financiele-belangen-bestuurder"]; f == nil || f["severity"] != "rood" {
		t.Errorf("version 2 compile lacks the financial-interest finding: %v", newRules)
	}
	if _, ok := newRules["vog-geen-toestemming-w"]; !ok {
		t.Errorf("version 2 compile lacks the wethouder's VOG finding: %v", newRules)
	}
}
