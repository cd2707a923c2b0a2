package api_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/internal/sample"
)

// profileOf waits until pred holds for the committee's view of the profile.
func (f *fixture) profileUntil(t *testing.T, cid string, within time.Duration, pred func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(within)
	var last map[string]any
	for time.Now().Before(deadline) {
		r := f.e.Do("GET", v1+"/candidates/"+cid+"/profile", f.tok["committee"], nil)
		if r.Status == 200 {
			last = r.Map(t)
			if pred(last) {
				return last
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("profile condition not met within %v; last: %v", within, last)
	return nil
}

func domainLevel(p map[string]any, d string) string {
	return p["domains"].(map[string]any)[d].(map[string]any)["level"].(string)
}

func hasFlag(p map[string]any, rule string) bool {
	for _, f := range p["flags"].([]any) {
		if f.(map[string]any)["rule"] == rule {
			return true
		}
	}
	return false
}

func TestVOG(t *testing.T) {
	f := newFixture(t)
	e, com, cid := f.e, f.tok["committee"], f.profiled
	vog := func(body map[string]any) int { return e.Do("PUT", v1+"/candidates/"+cid+"/vog", com, body).Status }
	today := time.Now().Format("2006-01-02")

	if s := vog(map[string]any{"status": "afgegeven", "issued_on": today}); s != 409 {
		t.Fatalf("niet_gevraagd → afgegeven: %d, want 409", s)
	}
	if s := vog(map[string]any{"status": "klaargezet", "klaargezet_on": today}); s != 200 {
		t.Fatalf("klaargezet: %d", s)
	}
	if s := vog(map[string]any{"status": "aangevraagd", "requested_on": today}); s != 200 {
		t.Fatalf("aangevraagd: %d", s)
	}
	if s := vog(map[string]any{"status": "afgegeven"}); s != 422 {
		t.Fatalf("afgegeven without date: %d, want 422", s)
	}
	start := time.Now()
	if s := vog(map[string]any{"status": "voornemen_tot_weigering"}); s != 200 {
		t.Fatalf("voornemen: %d", s)
	}
	f.profileUntil(t, cid, 2*time.Second, func(p map[string]any) bool { return domainLevel(p, "vog") == "rood" && hasFlag(p, "vog-weigering") })
	t.Logf("VOG change → profile VOG domain rood in %v", time.Since(start).Round(time.Millisecond))

	old := time.Now().AddDate(0, 0, -200).Format("2006-01-02")
	if s := vog(map[string]any{"status": "afgegeven", "issued_on": old, "validated_by": "Cees"}); s != 200 {
		t.Fatalf("afgegeven: %d", s)
	}
	got := e.Must(200, "GET", v1+"/candidates/"+cid+"/vog", com, nil).Map(t)
	if got["verlopen"] != true || got["screening_profile"] != "01 politieke ambtsdragers" {
		t.Fatalf("VOG view: %v", got)
	}
	f.profileUntil(t, cid, 2*time.Second, func(p map[string]any) bool {
		return domainLevel(p, "vog") == "oranje" && hasFlag(p, "vog-verlopen") && !hasFlag(p, "vog-weigering")
	})
	// The party allows older VOGs: every profile recompiles without the flag.
	e.Must(403, "PATCH", v1+"/parties/"+f.pid, com, map[string]int{"max_vog_age_days": 365})
	e.Must(200, "PATCH", v1+"/parties/"+f.pid, f.tok["board"], map[string]int{"max_vog_age_days": 365})
	f.profileUntil(t, cid, 2*time.Second, func(p map[string]any) bool { return domainLevel(p, "vog") == "geen" })
	if e.Must(200, "GET", v1+"/candidates/"+cid+"/vog", com, nil).Map(t)["verlopen"] != false {
		t.Fatal("still verlopen after raising the maximum age")
	}
}

func TestHearing(t *testing.T) {
	f := newFixture(t)
	e, c1, c2, cid, cand := f.e, f.tok["committee"], f.tok["committee2"], f.profiled, f.tok["candidate"]
	negative := map[string]any{"outcome": "negatief", "reasons": "Onvoldoende weerbaar."}

	r := e.Must(409, "POST", v1+"/candidates/"+cid+"/decision", c1, negative)
	if code, _ := errCode(t, r); code != "hoor_en_wederhoor" {
		t.Fatalf("code %q", code)
	}
	e.Must(404, "GET", v1+"/me/hearing", cand, nil)
	e.Must(422, "POST", v1+"/candidates/"+cid+"/hearing", c1, map[string]any{"flags": []string{"bestaat-niet"}, "message": "x"})
	e.Must(201, "POST", v1+"/candidates/"+cid+"/hearing", c1, map[string]any{"flags": []string{"criminele-contacten-verleden", "schulden-gesprek"}, "message": "Wilt u hierop reageren?"})
	e.Must(409, "POST", v1+"/candidates/"+cid+"/hearing", c1, map[string]any{"flags": []string{"bedreigd"}, "message": "Nog een"})
	mine := e.Must(200, "GET", v1+"/me/hearing", cand, nil).Map(t)
	if mine["message"] != "Wilt u hierop reageren?" || len(mine["flags"].([]any)) != 2 || mine["reply"] != nil {
		t.Fatalf("candidate's hearing view: %v", mine)
	}
	if fl := mine["flags"].([]any)[0].(map[string]any); fl["ask"] == "" || fl["finding"] == "" {
		t.Fatalf("flag without finding/ask: %v", fl)
	}
	e.Must(403, "POST", v1+"/candidates/"+cid+"/hearing", f.tok["board"], map[string]any{"flags": []string{"bedreigd"}, "message": "x"})
	e.Must(409, "POST", v1+"/candidates/"+cid+"/decision", c1, negative) // not yet answered
	e.Must(200, "POST", v1+"/me/hearing", cand, map[string]string{"reply": "Mijn broer zat vroeger in de problemen; geen contact meer."})
	e.Must(409, "POST", v1+"/me/hearing", cand, map[string]string{"reply": "Nog iets"})
	prof := e.Must(200, "GET", v1+"/candidates/"+cid+"/profile", c2, nil).Map(t)
	hs := prof["hearings"].([]any)
	if len(hs) != 1 || !strings.Contains(hs[0].(map[string]any)["reply"].(string), "geen contact meer") {
		t.Fatalf("reply not in the profile view: %v", hs)
	}
	e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", c1, negative)
	e.Must(200, "POST", v1+"/candidates/"+cid+"/decision/confirm", c2, nil)

	t.Run("window passed without reply", func(t *testing.T) {
		e := e.With(t)
		cid := f.progressToProfiled(t)
		e.Must(201, "POST", v1+"/candidates/"+cid+"/hearing", c1, map[string]any{"flags": []string{"bedreigd"}, "message": "Reactie?"})
		e.Must(409, "POST", v1+"/candidates/"+cid+"/decision", c1, negative)
		// The hearing notice carries a fresh link that retires the older one.
		e.WaitMail("bo@test.nl", "Vragen van de selectiecommissie")
		f.clock.Advance(8 * 24 * time.Hour)
		defer f.clock.Advance(-8 * 24 * time.Hour)
		// Sessions and the hearing link have expired meanwhile: the
		// candidate asks for a new link.
		if r := e.Do("POST", v1+"/invitations/"+e.InvitationToken("bo@test.nl")+"/accept", "", nil); r.Status != 410 {
			t.Fatalf("hearing link after the reply window: %d, want 410", r.Status)
		}
		e.Must(202, "POST", v1+"/links", "", map[string]string{"email": "bo@test.nl"})
		e.WaitMail("bo@test.nl", "Nieuwe link")
		bo := e.Must(201, "POST", v1+"/invitations/"+e.InvitationToken("bo@test.nl")+"/accept", "", nil).Map(t)["token"].(string)
		c1 := e.Login("committee@test.nl", "wachtwoord-van-test-1")
		r := e.Must(409, "POST", v1+"/me/hearing", bo, map[string]string{"reply": "te laat"})
		if code, _ := errCode(t, r); code != "termijn_verstreken" {
			t.Fatalf("code %q", code)
		}
		e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", c1, negative)
	})
}

// progressToProfiled completes and submits the in-progress candidate "Bo".
func (f *fixture) progressToProfiled(t *testing.T) string {
	t.Helper()
	f.e.Must(200, "PATCH", v1+"/me/answers", f.tok["otherCandidate"], map[string]any{"answers": sample.Flagged()})
	f.e.Must(200, "POST", v1+"/me/submit", f.tok["otherCandidate"], nil)
	f.waitStatus(t, f.progress, "profiled")
	return f.progress
}

func TestRecusal(t *testing.T) {
	f := newFixture(t)
	e, c1, c2, cid := f.e, f.tok["committee"], f.tok["committee2"], f.profiled
	e.Must(422, "POST", v1+"/candidates/"+cid+"/recusal", c1, map[string]string{"reason": ""})
	e.Must(403, "POST", v1+"/candidates/"+cid+"/recusal", f.tok["board"], map[string]string{"reason": "x"})
	e.Must(201, "POST", v1+"/candidates/"+cid+"/recusal", c1, map[string]string{"reason": "Hij is mijn zwager."})

	// Every candidate URL is 404 for the recused member; the list omits it.
	for _, rt := range handlerRoutes(f) {
		if rt.Access != api.CandidateScope || !slices.Contains(rt.Roles, "commissie") {
			continue
		}
		r := e.Do(rt.Method, strings.Replace(rt.Path, ":cid", cid, 1), c1, "{}")
		if r.Status != 404 {
			t.Errorf("%s %s for the recused member: %d, want 404", rt.Method, rt.Path, r.Status)
		}
	}
	var list []map[string]any
	e.Must(200, "GET", v1+"/rounds/"+f.rid+"/candidates", c1, nil).JSON(t, &list)
	for _, row := range list {
		if row["id"] == cid {
			t.Fatal("recused file still in the list")
		}
	}
	ov := e.Must(200, "GET", v1+"/rounds/"+f.rid+"/overview", c1, nil).Map(t)
	if ov["total"].(float64) != float64(len(list)) {
		t.Fatalf("overview counts the recused file: %v", ov)
	}
	// The other member sees who stepped aside and why; it is audited.
	rs := e.Must(200, "GET", v1+"/candidates/"+cid+"/recusals", c2, nil)
	if !strings.Contains(string(rs.Body), "zwager") || !strings.Contains(string(rs.Body), "committee") {
		t.Fatalf("recusals: %s", rs.Body)
	}
	if !strings.Contains(string(e.Must(200, "GET", v1+"/candidates/"+cid+"/audit", c2, nil).Body), "recusal.create") {
		t.Fatal("recusal not audited")
	}
	// With one eligible member left, c2 decides alone and the decision says so.
	d := e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", c2, map[string]any{"outcome": "positief", "reasons": "In orde.", "release_to_board": true}).Map(t)
	if d["single_member"] != true || d["status"] != "bevestigd" {
		t.Fatalf("single-member decision: %v", d)
	}
	if adv := e.Must(200, "GET", v1+"/candidates/"+cid, f.tok["board"], nil).Map(t)["advice"].(map[string]any); adv["outcome"] != "positief" {
		t.Fatalf("board advice: %v", adv)
	}
}

func TestFourEyes(t *testing.T) {
	f := newFixture(t)
	e, c1, c2, cid, board := f.e, f.tok["committee"], f.tok["committee2"], f.profiled, f.tok["board"]
	boardAdvice := func() any { return e.Must(200, "GET", v1+"/candidates/"+cid, board, nil).Map(t)["advice"] }

	e.Must(422, "POST", v1+"/candidates/"+cid+"/decision", c1, map[string]any{"outcome": "positief_met_voorwaarden", "reasons": "x"})
	e.Must(409, "POST", v1+"/candidates/"+cid+"/decision/confirm", c2, nil) // nothing proposed
	d := e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", c1, map[string]any{"outcome": "positief", "reasons": "Eerste voorstel", "release_to_board": true}).Map(t)
	if d["status"] != "voorgesteld" || d["single_member"] != false {
		t.Fatalf("proposal: %v", d)
	}
	e.Must(409, "POST", v1+"/candidates/"+cid+"/decision", c2, map[string]any{"outcome": "positief", "reasons": "Tweede"})
	if boardAdvice() != nil {
		t.Fatal("board sees a proposal")
	}
	e.Must(204, "POST", v1+"/candidates/"+cid+"/decision/reject", c2, nil)
	e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", c1, map[string]any{"outcome": "positief_met_voorwaarden", "reasons": "Goed",
		"conditions": "Training weerbaarheid volgen.", "release_to_board": true, "release_conditions": true})
	r := e.Must(409, "POST", v1+"/candidates/"+cid+"/decision/confirm", c1, nil)
	if code, _ := errCode(t, r); code != "vier_ogen" {
		t.Fatalf("own confirmation code %q", code)
	}
	if boardAdvice() != nil {
		t.Fatal("board sees the advice before confirmation")
	}
	e.Must(200, "POST", v1+"/candidates/"+cid+"/decision/confirm", c2, nil)
	adv := boardAdvice().(map[string]any)
	if diff := cmp.Diff(map[string]any{"outcome": "positief_met_voorwaarden", "conditions": "Training weerbaarheid volgen.", "decided_at": adv["decided_at"]}, adv); diff != "" {
		t.Fatalf("board advice (-want +got):\n%s", diff)
	}
	got := e.Must(200, "GET", v1+"/candidates/"+cid+"/decision", c1, nil).Map(t)
	if got["reasons"] != "Goed" || got["status"] != "bevestigd" {
		t.Fatalf("committee decision: %v", got)
	}
	e.Must(409, "POST", v1+"/candidates/"+cid+"/decision", c1, map[string]any{"outcome": "positief", "reasons": "x"})

	t.Run("unreleased advice stays with the committee", func(t *testing.T) {
		cid := f.progressToProfiled(t)
		e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", c1, map[string]any{"outcome": "positief", "reasons": "x", "release_to_board": false})
		e.Must(200, "POST", v1+"/candidates/"+cid+"/decision/confirm", c2, nil)
		if adv := e.Must(200, "GET", v1+"/candidates/"+cid, board, nil).Map(t)["advice"]; adv != nil {
			t.Fatalf("unreleased advice visible: %v", adv)
		}
	})
}

func TestReopenAndHistory(t *testing.T) {
	f := newFixture(t)
	e, c1, cid, cand := f.e, f.tok["committee"], f.profiled, f.tok["candidate"]
	e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", c1, map[string]any{"outcome": "positief", "reasons": "x"})
	e.Must(200, "POST", v1+"/candidates/"+cid+"/reopen", c1, map[string]string{"message": "Wilt u vraag F6 nog eens bekijken?"})
	if d := e.Do("GET", v1+"/candidates/"+cid+"/decision", c1, nil); d.Status != 404 {
		t.Fatalf("proposal survived the reopen: %s", d.Body)
	}
	q := e.Must(200, "GET", v1+"/me/questionnaire", cand, nil).Map(t)
	if q["reopen_message"] != "Wilt u vraag F6 nog eens bekijken?" || q["editable"] != true {
		t.Fatalf("candidate view after reopen: %v %v", q["reopen_message"], q["editable"])
	}
	e.Must(200, "PATCH", v1+"/me/answers", cand, map[string]any{"answers": map[string]any{"F6": true}})
	e.Must(200, "POST", v1+"/me/submit", cand, nil)
	hist := f.historyUntil(t, cid, 2)
	ch := hist[1]["changes"].(map[string]any)
	assertChanges(t, ch, []string{"F6"}, []string{"fiscaal-geschil"}, nil)
	if hist[0]["changes"] != nil || hist[1]["compared_with"] != "vorige_versie" {
		t.Fatalf("history: %v", hist)
	}
}

func (f *fixture) historyUntil(t *testing.T, cid string, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		var hist []map[string]any
		f.e.Must(200, "GET", v1+"/candidates/"+cid+"/history", f.tok["committee"], nil).JSON(t, &hist)
		if len(hist) >= n {
			return hist
		}
		if time.Now().After(deadline) {
			t.Fatalf("history has %d versions, want %d", len(hist), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func assertChanges(t *testing.T, ch map[string]any, answers, added, removed []string) {
	t.Helper()
	ids := func(key, field string) []string {
		out := []string{}
		for _, x := range ch[key].([]any) {
			out = append(out, x.(map[string]any)[field].(string))
		}
		return out
	}
	if answers == nil {
		answers = []string{}
	}
	if added == nil {
		added = []string{}
	}
	if removed == nil {
		removed = []string{}
	}
	got := [][]string{ids("answers", "question"), ids("flags_added", "rule"), ids("flags_removed", "rule")}
	if diff := cmp.Diff([][]string{answers, added, removed}, got); diff != "" {
		t.Fatalf("changes [answers, added, removed] (-want +got):\n%s", diff)
	}
}

// TestRescreen is the herhaalscan walk: round 1 decided, a new round from
// it, the previous answers prefilled, one answer changed, and the new
// profile shows exactly that change against the previous scan.
func TestRescreen(t *testing.T) {
	f := newFixture(t)
	e, c1, c2, cid, board := f.e, f.tok["committee"], f.tok["committee2"], f.profiled, f.tok["board"]
	// A third member steps aside from Piet: the herhaalscan must stay closed to them.
	e.AddMember(f.tok["admin"], f.pid, map[string]any{"email": "c3@test.nl", "name": "Cas", "role": "commissie", "password": "wachtwoord-van-test-1"})
	c3 := e.Login("c3@test.nl", "wachtwoord-van-test-1")
	e.Must(201, "POST", v1+"/candidates/"+cid+"/recusal", c3, map[string]string{"reason": "Zwager"})
	e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", c1, map[string]any{"outcome": "positief", "reasons": "ok", "release_to_board": true})
	e.Must(200, "POST", v1+"/candidates/"+cid+"/decision/confirm", c2, nil)
	// Bo gets an unreleased positive advice: the default selection must not
	// reveal it to the board.
	bo := f.progressToProfiled(t)
	e.Must(201, "POST", v1+"/candidates/"+bo+"/decision", c1, map[string]any{"outcome": "positief", "reasons": "ok", "release_to_board": false})
	e.Must(200, "POST", v1+"/candidates/"+bo+"/decision/confirm", c2, nil)

	deadline := time.Now().Add(90 * 24 * time.Hour).Format("2006-01-02")
	e.Must(403, "POST", v1+"/rounds/"+f.rid+"/rescreen", c1, map[string]any{"name": "Herhaalscan 2028", "deadline": deadline})
	res := e.Must(201, "POST", v1+"/rounds/"+f.rid+"/rescreen", board, map[string]any{"name": "Herhaalscan 2028", "deadline": deadline}).Map(t)
	cands := res["candidates"].([]any)
	if len(cands) != 1 || cands[0].(map[string]any)["email"] != "piet@test.nl" {
		t.Fatalf("re-screened: %v (want only the candidate with a released positive advice)", cands)
	}
	newID := cands[0].(map[string]any)["id"].(string)
	e.Must(404, "GET", v1+"/candidates/"+newID, c3, nil)

	// The candidate opens the new invitation: answers are prefilled.
	var tok string
	dl := time.Now().Add(5 * time.Second)
	for tok == "" {
		n := 0
		for _, m := range e.Mails() {
			if m.ToAddr == "piet@test.nl" && strings.Contains(m.BodyText, "/uitnodiging/") {
				if n++; n == 2 {
					tok = strings.Fields(m.BodyText[strings.Index(m.BodyText, "/uitnodiging/")+len("/uitnodiging/"):])[0]
				}
			}
		}
		if time.Now().After(dl) {
			t.Fatal("no second invitation for the herhaalscan")
		}
		time.Sleep(10 * time.Millisecond)
	}
	sess := e.Must(201, "POST", v1+"/invitations/"+tok+"/accept", "", nil).Map(t)
	if sess["candidate"].(map[string]any)["id"] != newID {
		t.Fatalf("the newest invitation should open the herhaalscan: %v", sess)
	}
	ct := sess["token"].(string)
	q := e.Must(200, "GET", v1+"/me/questionnaire", ct, nil).Map(t)
	if len(q["missing"].([]any)) != 0 || q["answers"].(map[string]any)["N5"] != sample.Flagged()["N5"] {
		t.Fatalf("answers not prefilled: missing %v", q["missing"])
	}
	e.Must(200, "POST", v1+"/me/consent", ct, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", ct, map[string]any{"answers": map[string]any{"D4": true}})
	e.Must(200, "POST", v1+"/me/submit", ct, nil)

	hist := f.historyUntil(t, newID, 1)
	if hist[0]["compared_with"] != "vorige_scan" {
		t.Fatalf("first version not compared with the previous scan: %v", hist[0])
	}
	assertChanges(t, hist[0]["changes"].(map[string]any), []string{"D4"}, nil, []string{"geen-tweestapsverificatie"})
	prof := e.Must(200, "GET", v1+"/candidates/"+newID+"/profile", c1, nil).Map(t)
	pc := prof["changes"].(map[string]any)
	if pc["compared_with"] != "vorige_scan" {
		t.Fatalf("profile changes: %v", pc)
	}
	assertChanges(t, pc["changes"].(map[string]any), []string{"D4"}, nil, []string{"geen-tweestapsverificatie"})
}

func TestRoundOverview(t *testing.T) {
	f := newFixture(t)
	e, c1, board := f.e, f.tok["committee"], f.tok["board"]
	ov := e.Must(200, "GET", v1+"/rounds/"+f.rid+"/overview", c1, nil).Map(t)
	st := ov["status"].(map[string]any)
	if st["profiled"] != 1.0 || st["in_progress"] != 1.0 || st["invited"] != 1.0 || ov["level"].(map[string]any)["oranje"] != 1.0 || ov["vog"].(map[string]any)["niet_gevraagd"] != 3.0 {
		t.Fatalf("overview: %v", ov)
	}
	bo := e.Must(200, "GET", v1+"/rounds/"+f.rid+"/overview", board, nil)
	assertBoardSafeBody(t, bo.Body)
	e.Must(403, "GET", v1+"/rounds/"+f.rid+"/candidates?level=rood", board, nil)
	e.Must(403, "GET", v1+"/rounds/"+f.rid+"/candidates?sort=level", board, nil)
	e.Must(422, "GET", v1+"/rounds/"+f.rid+"/candidates?sort=lengte", c1, nil)
	count := func(q string) int {
		var rows []map[string]any
		e.Must(200, "GET", v1+"/rounds/"+f.rid+"/candidates?"+q, c1, nil).JSON(t, &rows)
		return len(rows)
	}
	tests := []struct {
		q    string
		want int
	}{
		{"level=oranje", 1}, {"level=rood", 0}, {"level=geen_profiel", 2}, {"status=invited,in_progress", 2},
		{"vog=niet_gevraagd", 3}, {"vog=aangevraagd", 0}, {"level=oranje&status=invited", 0},
	}
	for _, tt := range tests {
		if got := count(tt.q); got != tt.want {
			t.Errorf("%s: %d rows, want %d", tt.q, got, tt.want)
		}
	}
	e.Must(200, "PUT", v1+"/candidates/"+f.profiled+"/vog", c1, map[string]string{"status": "aangevraagd"})
	if got := count("vog=aangevraagd"); got != 1 {
		t.Errorf("vog=aangevraagd after update: %d", got)
	}
}

func assertBoardSafeBody(t *testing.T, body []byte) {
	t.Helper()
	for _, k := range []string{`"level"`, `"vog"`, `"flags"`, `"oranje"`} {
		if strings.Contains(string(body), k) {
			t.Fatalf("board overview contains %s: %s", k, body)
		}
	}
}
