package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSources: the committee records its open-source checks; a finding
// joins the profile as an openbronnen flag of the committee's own and can
// be put to the candidate in a hearing; every read and write is logged.
func TestSources(t *testing.T) {
	f := newFixture(t)
	e, com, com2, cid := f.e, f.tok["committee"], f.tok["committee2"], f.profiled
	path := v1 + "/candidates/" + cid + "/sources"

	// A first check is new (201); recording it again updates it (200) and
	// keeps who and when of the last check.
	kvk := e.Must(201, "PUT", path, com, map[string]any{"source": "kvk", "result": "Niets gevonden.", "checked_on": "2025-01-10"}).Map(t)
	again := e.Must(200, "PUT", path, com2, map[string]any{"source": "kvk", "result": "Eenmanszaak Piet Bouw sinds 2019.", "link": "https://www.kvk.nl/zoeken/?q=piet"}).Map(t)
	if again["id"] != kvk["id"] || again["checked_on"] == "2025-01-10" || again["checked_by"] == kvk["checked_by"] {
		t.Fatalf("recheck did not update the same row with the last checker: %v then %v", kvk, again)
	}
	found := e.Must(201, "PUT", path, com, map[string]any{"source": "kadaster", "result": "Perceel aan de Dorpsstraat, bestemmingsplan in procedure.",
		"severity": "rood", "finding": "Eigenaar van grond in een lopend bestemmingsplan.", "ask": "Hoe voorkomt u dat u over uw eigen grond besluit?"}).Map(t)
	own1 := e.Must(201, "PUT", path, com, map[string]any{"source": "eigen_zoekopdracht", "title": "Zoekmachine", "result": "Niets bijzonders."}).Map(t)
	e.Must(201, "PUT", path, com, map[string]any{"source": "eigen_zoekopdracht", "title": "Krantenarchief", "result": "Interview uit 2015."})
	e.Must(200, "PUT", path, com, map[string]any{"source": "eigen_zoekopdracht", "id": own1["id"], "title": "Zoekmachine op naam", "result": "Niets."})
	e.Must(422, "PUT", path, com, map[string]any{"source": "eigen_zoekopdracht", "id": "bestaat-niet", "title": "x", "result": "y"})
	e.Must(422, "PUT", path, com, map[string]any{"source": "nieuws", "result": "x", "link": "javascript:alert(1)"})

	var list struct {
		Checked, Total int
		Sources        []struct {
			Source string
			Checks []map[string]any
		}
	}
	e.Must(200, "GET", path, com, nil).JSON(t, &list)
	counts := map[string]int{}
	for _, s := range list.Sources {
		counts[s.Source] = len(s.Checks)
	}
	want := map[string]int{"kvk": 1, "kadaster": 1, "insolventieregister": 0, "rechtspraak": 0, "nieuws": 0, "sociale_media": 0,
		"nevenfunctieregister": 0, "eigen_zoekopdracht": 2}
	if d := cmp.Diff(want, counts); d != "" || list.Checked != 3 || list.Total != 8 {
		t.Fatalf("checklist %d/%d (-want +got):\n%s", list.Checked, list.Total, d)
	}

	// The finding is a flag of domain openbronnen, the committee's own.
	rule := found["rule"].(string)
	if rule != "openbron:"+found["id"].(string) {
		t.Fatalf("rule %q", rule)
	}
	var prof struct {
		Overall string
		Domains map[string]struct {
			Level string
			Flags []map[string]any
		}
	}
	e.Must(200, "GET", v1+"/candidates/"+cid+"/profile", com, nil).JSON(t, &prof)
	ob := prof.Domains["openbronnen"]
	if ob.Level != "rood" || len(ob.Flags) != 1 {
		t.Fatalf("openbronnen domain: %+v", ob)
	}
	fl := ob.Flags[0]
	if fl["rule"] != rule || fl["source"] != "commissie" || fl["severity"] != "rood" || len(fl["questions"].([]any)) != 0 ||
		!strings.Contains(fl["why"].(string), "Kadaster") || !strings.Contains(fl["why"].(string), "geen antwoord van de kandidaat") {
		t.Fatalf("flag: %v", fl)
	}
	if prof.Overall != "rood" && prof.Overall != "blok" {
		t.Fatalf("overall %q does not count the finding", prof.Overall)
	}

	// The hearing takes the finding; the candidate reads it and its question.
	e.Must(422, "POST", v1+"/candidates/"+cid+"/hearing", com, map[string]any{"flags": []string{"openbron:bestaat-niet"}, "message": "x"})
	e.Must(201, "POST", v1+"/candidates/"+cid+"/hearing", com, map[string]any{"flags": []string{rule}, "message": "Wilt u hierop reageren?"})
	var mine struct{ Flags []map[string]any }
	e.Must(200, "GET", v1+"/me/hearing", f.tok["candidate"], nil).JSON(t, &mine)
	if len(mine.Flags) != 1 || mine.Flags[0]["finding"] != "Eigenaar van grond in een lopend bestemmingsplan." ||
		mine.Flags[0]["ask"] != "Hoe voorkomt u dat u over uw eigen grond besluit?" || mine.Flags[0]["source"] != "commissie" {
		t.Fatalf("candidate's hearing: %v", mine.Flags)
	}
	if b, _ := json.Marshal(mine); strings.Contains(string(b), "rood") || strings.Contains(string(b), "Dorpsstraat") {
		t.Fatalf("the candidate reads the level or what was found: %s", b)
	}

	// Reads and writes are in the access log.
	var log []map[string]any
	e.Must(200, "GET", v1+"/candidates/"+cid+"/audit", com, nil).JSON(t, &log)
	seen := map[string]int{}
	for _, ev := range log {
		seen[ev["action"].(string)]++
	}
	if seen["sources.read"] != 1 || seen["sources.create"] != 4 || seen["sources.update"] != 2 {
		t.Fatalf("access log: %v", seen)
	}
}

// TestSourcesAccess: only the party's committee, not recused, reads or
// writes the research: the board is refused (403), the candidate, another
// party, the admin and a recused member do not find it (404); none of them
// reads anything of it elsewhere.
func TestSourcesAccess(t *testing.T) {
	f := newFixture(t)
	e, cid := f.e, f.profiled
	path := v1 + "/candidates/" + cid + "/sources"
	secret := "Geheime-vondst-in-het-Kadaster"
	e.Must(201, "PUT", path, f.tok["committee"], map[string]any{"source": "kadaster", "result": secret, "severity": "oranje",
		"finding": secret + " bevinding", "ask": "Vraag?"})
	e.AddMember(f.tok["admin"], f.pid, map[string]any{"email": "recused@test.nl", "name": "Ria Recused", "role": "commissie", "password": "wachtwoord-van-test-1"})
	f.tok["recusedCommittee"] = e.Login("recused@test.nl", "wachtwoord-van-test-1")
	e.Must(201, "POST", v1+"/candidates/"+cid+"/recusal", f.tok["recusedCommittee"], map[string]string{"reason": "Buurman"})
	body := map[string]any{"source": "nieuws", "result": "x"}
	for _, tt := range []struct {
		who    string
		status int
	}{
		{"board", 403}, {"candidate", 404}, {"otherCandidate", 404}, {"otherCommittee", 404}, {"otherBoard", 404},
		{"admin", 404}, {"recusedCommittee", 404}, {"anonymous", 401},
	} {
		t.Run(tt.who, func(t *testing.T) {
			for _, m := range []string{"GET", "PUT"} {
				r := e.Do(m, path, f.tok[tt.who], body)
				if r.Status != tt.status || strings.Contains(string(r.Body), secret) {
					t.Fatalf("%s: status %d, want %d: %s", m, r.Status, tt.status, r.Body)
				}
				// The page too.
				if r := e.Do("GET", "/commissie/kandidaten/"+cid+"/openbronnen", f.tok[tt.who], nil); r.Status == 200 || strings.Contains(string(r.Body), secret) {
					t.Fatalf("page: status %d", r.Status)
				}
			}
		})
	}
	// What the board and the candidate can read elsewhere holds nothing of it.
	for _, r := range []struct{ who, path string }{
		{"board", v1 + "/candidates/" + cid}, {"board", v1 + "/rounds/" + f.rid + "/candidates"}, {"board", v1 + "/rounds/" + f.rid + "/overview"},
		{"candidate", v1 + "/me/export"}, {"candidate", v1 + "/me/questionnaire"},
	} {
		b := e.Must(200, "GET", r.path, f.tok[r.who], nil).Body
		if strings.Contains(string(b), secret) || strings.Contains(string(b), "openbron") {
			t.Fatalf("%s reads the research at %s: %s", r.who, r.path, b)
		}
	}
	// Nothing was written by the refused PUTs.
	var list struct{ Checked int }
	e.Must(200, "GET", path, f.tok["committee"], nil).JSON(t, &list)
	if list.Checked != 1 {
		t.Fatalf("checked %d, want 1", list.Checked)
	}
}

// TestSourcesClosedFile: a withdrawn file takes no more checks (409).
func TestSourcesClosedFile(t *testing.T) {
	f := newFixture(t)
	f.e.Must(200, "POST", v1+"/me/withdraw", f.tok["otherCandidate"], nil)
	r := f.e.Must(409, "PUT", v1+"/candidates/"+f.progress+"/sources", f.tok["committee"], map[string]any{"source": "kvk", "result": "x"})
	if code, _ := errCode(t, r); code != "ongeldige_stap" || !strings.Contains(string(r.Body), "teruggetrokken") {
		t.Fatalf("%s", r.Body)
	}
}
