package api_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/weerbaar/weerbaar/screening"
)

// The interview record (issue 13, part 3) over the JSON API.

type interviewResp struct {
	HeldOn    *string `json:"held_on"`
	Attendees string  `json:"attendees"`
	Flags     []struct {
		Rule       string `json:"rule"`
		Domain     string `json:"domain"`
		Resolution *struct {
			Resolution, Note, Measure string
			RecordedBy                string `json:"recorded_by"`
		} `json:"resolution"`
	} `json:"flags"`
	Discussed, Total, Concerns int
	Measures                   []string
}

func (f *fixture) interview(t *testing.T) interviewResp {
	t.Helper()
	var out interviewResp
	f.e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/interview", f.tok["committee"], nil).JSON(t, &out)
	return out
}

type res = map[string]string

// TestInterviewValidation: every refusal names the field of the list
// entry, in Dutch, and nothing is saved.
func TestInterviewValidation(t *testing.T) {
	f := newFixture(t)
	iv := f.interview(t)
	if iv.Total < 3 || iv.Discussed != 0 || len(iv.Measures) != 0 {
		t.Fatalf("fresh record: %+v", iv)
	}
	a, b := iv.Flags[0].Rule, iv.Flags[1].Rule
	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"unknown resolution", map[string]any{"resolutions": []res{{"rule": a, "resolution": "prima", "note": "x"}}}, "resolutions[0].resolution"},
		{"measure missing", map[string]any{"resolutions": []res{{"rule": a, "resolution": "maatregel_afgesproken"}}}, "resolutions[0].measure"},
		{"note missing", map[string]any{"resolutions": []res{{"rule": a, "resolution": "afdoende_toegelicht"}}}, "resolutions[0].note"},
		{"concern without note", map[string]any{"resolutions": []res{{"rule": a, "resolution": "zorg_blijft", "note": "  "}}}, "resolutions[0].note"},
		{"measure without maatregel", map[string]any{"resolutions": []res{{"rule": a, "resolution": "zorg_blijft", "note": "x", "measure": "iets"}}}, "resolutions[0].measure"},
		{"same flag twice", map[string]any{"resolutions": []res{{"rule": b, "resolution": "zorg_blijft", "note": "x"}, {"rule": b, "resolution": "zorg_blijft", "note": "y"}}}, "resolutions[1].rule"},
		{"no rule", map[string]any{"resolutions": []res{{"resolution": "zorg_blijft", "note": "x"}}}, "resolutions[0].rule"},
		{"unknown flag", map[string]any{"resolutions": []res{{"rule": "bestaat-niet", "resolution": "zorg_blijft", "note": "x"}}}, "resolutions"},
		{"date ahead", map[string]any{"held_on": "2999-01-01"}, "held_on"},
		{"date format", map[string]any{"held_on": "14-03-2025"}, "held_on"},
		{"attendees too long", map[string]any{"attendees": strings.Repeat("a", 1001)}, "attendees"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := f.e.Do("PUT", v1+"/candidates/"+f.profiled+"/interview", f.tok["committee"], c.body)
			if r.Status != 422 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			code, fields := errCode(t, r)
			msg, _ := fields[c.field].(string)
			if code != "validatie" || msg == "" {
				t.Fatalf("code %s fields %v, want %s", code, fields, c.field)
			}
		})
	}
	if iv := f.interview(t); iv.Discussed != 0 || iv.HeldOn != nil {
		t.Fatalf("a refused request saved something: %+v", iv)
	}
}

// TestInterviewMeasuresBecomeConditions: the record is kept per flag
// (re-recording updates), the agreed measures fill the conditions of a
// "positief met voorwaarden" proposal, the proposal rules stay (four eyes,
// hearing before a negative advice), and after the advice the record is
// closed.
func TestInterviewMeasuresBecomeConditions(t *testing.T) {
	f := newFixture(t)
	iv := f.interview(t)
	flags := iv.Flags
	path := v1 + "/candidates/" + f.profiled
	com := f.tok["committee"]
	propose := func(body map[string]any) (int, map[string]any) {
		r := f.e.Do("POST", path+"/decision", com, body)
		return r.Status, r.Map(t)
	}

	// Without measures there is nothing to fill in.
	st, body := propose(map[string]any{"outcome": "positief_met_voorwaarden", "reasons": "Goed gesprek", "conditions_from_measures": true})
	if st != 422 || !strings.Contains(mustJSON(t, body), "conditions_from_measures") {
		t.Fatalf("no measures: %d %v", st, body)
	}

	measure := "Legt bestuursfunctie bij Stichting Sportpark De Linden neer vóór installatie"
	f.e.Must(200, "PUT", path+"/interview", com, map[string]any{"held_on": "2025-03-14", "attendees": "Anna, Bram",
		"resolutions": []res{
			{"rule": flags[0].Rule, "resolution": "maatregel_afgesproken", "measure": measure},
			{"rule": flags[1].Rule, "resolution": "afdoende_toegelicht", "note": "Uitgelegd"},
			{"rule": flags[2].Rule, "resolution": "zorg_blijft", "note": "Wil niet vertellen over de schulden"},
		}})
	// Re-recording a flag updates it; flags left out keep theirs.
	f.e.Must(200, "PUT", path+"/interview", com, map[string]any{"held_on": "2025-03-14", "attendees": "Anna, Bram",
		"resolutions": []res{{"rule": flags[1].Rule, "resolution": "afdoende_toegelicht", "note": "Goed uitgelegd"}}})
	iv = f.interview(t)
	if iv.Discussed != 3 || iv.Concerns != 1 || iv.Total != len(flags) || *iv.HeldOn != "2025-03-14" || iv.Attendees != "Anna, Bram" {
		t.Fatalf("record: %+v", iv)
	}
	if diff := cmp.Diff([]string{measure}, iv.Measures); diff != "" {
		t.Fatalf("measures (-want +got):\n%s", diff)
	}
	if got := iv.Flags[1].Resolution; got == nil || got.Note != "Goed uitgelegd" || got.RecordedBy == "" {
		t.Fatalf("re-recorded flag: %+v", got)
	}

	// The options do not weaken the rules: the measures belong to one
	// outcome, and a negative advice still needs a hearing.
	if st, body := propose(map[string]any{"outcome": "positief", "reasons": "x", "conditions_from_measures": true}); st != 422 {
		t.Fatalf("measures on a positive advice: %d %v", st, body)
	}
	if st, body := propose(map[string]any{"outcome": "negatief", "reasons": "Zorg blijft"}); st != 409 || body["error"].(map[string]any)["code"] != "hoor_en_wederhoor" {
		t.Fatalf("negative without hearing: %d %v", st, body)
	}

	// From the measures alone, then after conditions of one's own.
	st, body = propose(map[string]any{"outcome": "positief_met_voorwaarden", "reasons": "Goed gesprek", "conditions_from_measures": true})
	if st != 201 || body["conditions"] != screening.MeasuresText([]string{measure}) {
		t.Fatalf("from measures: %d %v", st, body)
	}
	f.e.Must(204, "POST", path+"/decision/reject", f.tok["committee2"], nil)
	st, body = propose(map[string]any{"outcome": "positief_met_voorwaarden", "reasons": "Goed gesprek", "conditions": "Volgt de integriteitstraining",
		"conditions_from_measures": true, "release_to_board": true, "release_conditions": true})
	if want := "Volgt de integriteitstraining\n- " + measure; st != 201 || body["conditions"] != want {
		t.Fatalf("own conditions and measures: %d %v, want %q", st, body, want)
	}
	// Four eyes: not the proposer, a second member confirms.
	if r := f.e.Do("POST", path+"/decision/confirm", com, nil); r.Status != 409 {
		t.Fatalf("own confirmation: %d", r.Status)
	}
	f.e.Must(200, "POST", path+"/decision/confirm", f.tok["committee2"], nil)
	// The board learns the released conditions, never the record.
	board := string(f.e.Must(200, "GET", path, f.tok["board"], nil).Body)
	if !strings.Contains(board, "Stichting Sportpark De Linden neer") || strings.Contains(board, "Goed uitgelegd") || strings.Contains(board, "schulden") {
		t.Errorf("board view: %s", board)
	}
	// The advice stands on the record: it is closed now.
	r := f.e.Do("PUT", path+"/interview", com, map[string]any{"resolutions": []res{{"rule": flags[3].Rule, "resolution": "zorg_blijft", "note": "x"}}})
	if code, _ := errCode(t, r); r.Status != 409 || code != "gesprek_gesloten" {
		t.Fatalf("after the advice: %d %s", r.Status, r.Body)
	}
}

// TestInterviewConfidential: only the party's committee reads or writes the
// record (board 403; the candidate, another party and a recused member
// 404), each read and write is in the access log, and nothing is stored
// in the clear.
func TestInterviewConfidential(t *testing.T) {
	f := newFixture(t)
	f.e.AddMember(f.tok["admin"], f.pid, map[string]any{"email": "recused@test.nl", "name": "Ria Recused", "role": "commissie", "password": "wachtwoord-van-test-1"})
	f.tok["recusedCommittee"] = f.e.Login("recused@test.nl", "wachtwoord-van-test-1")
	f.e.Must(201, "POST", v1+"/candidates/"+f.profiled+"/recusal", f.tok["recusedCommittee"], map[string]string{"reason": "Familie"})
	path := v1 + "/candidates/" + f.profiled + "/interview"
	iv := f.interview(t)
	secret := "Zwager heeft een bouwbedrijf dat voor de gemeente werkt"
	f.e.Must(200, "PUT", path, f.tok["committee"], map[string]any{"attendees": "Tante Truus",
		"resolutions": []res{{"rule": iv.Flags[0].Rule, "resolution": "zorg_blijft", "note": secret}}})
	body := map[string]any{"resolutions": []res{{"rule": iv.Flags[0].Rule, "resolution": "afdoende_toegelicht", "note": "overschreven"}}}
	for who, want := range map[string]int{"board": 403, "candidate": 404, "otherCandidate": 404, "otherBoard": 404, "otherCommittee": 404, "recusedCommittee": 404, "admin": 404, "anonymous": 401} {
		for _, m := range []string{"GET", "PUT"} {
			r := f.e.Do(m, path, f.tok[who], body)
			if r.Status != want || strings.Contains(string(r.Body), secret) {
				t.Errorf("%s %s: %d, want %d: %.200s", who, m, r.Status, want, r.Body)
			}
		}
	}
	if got := f.interview(t).Flags[0].Resolution; got == nil || got.Note != secret {
		t.Fatalf("someone else changed the record: %+v", got)
	}
	// The candidate's export does not hold the committee's record.
	if exp := string(f.e.Must(200, "GET", v1+"/me/export", f.tok["candidate"], nil).Body); strings.Contains(exp, secret) || strings.Contains(exp, "Tante Truus") {
		t.Error("the candidate's export holds the interview record")
	}
	log := string(f.e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/audit", f.tok["committee"], nil).Body)
	for _, a := range []string{`"action":"interview.read"`, `"action":"interview.update"`} {
		if !strings.Contains(log, a) {
			t.Errorf("access log lacks %s", a)
		}
	}
	// Sealed: the plain text is nowhere in the database.
	var n int64
	db := f.e.Sys.DB
	if err := db.Raw("SELECT count(*) FROM flag_resolutions WHERE note LIKE ? OR rule LIKE ?", "%Zwager%", "%"+iv.Flags[0].Rule+"%").Scan(&n).Error; err != nil || n != 0 {
		t.Errorf("plain text in flag_resolutions (%d, %v)", n, err)
	}
	if err := db.Raw("SELECT count(*) FROM interviews WHERE attendees LIKE ?", "%Truus%").Scan(&n).Error; err != nil || n != 0 {
		t.Errorf("plain text in interviews (%d, %v)", n, err)
	}
}
