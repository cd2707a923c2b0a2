package api_test

import (
	"testing"
)

// TestCandidateLanguage (issue 14): the candidate's own view carries its
// language; PATCH /api/v1/me sets it for the caller only; anything but
// "nl" or "en" is 422 in the error shape; the board may give a language at
// invite; no role but the candidate can set it; the export carries it;
// the committee's profile of the candidate is unchanged by it.
func TestCandidateLanguage(t *testing.T) {
	f := newFixture(t)
	e := f.e
	cand, other := f.tok["candidate"], f.tok["otherCandidate"]
	lang := func(tok string) any {
		t.Helper()
		return e.Must(200, "GET", v1+"/me", tok, nil).Map(t)["candidate"].(map[string]any)["language"]
	}
	if lang(cand) != "nl" || lang(other) != "nl" {
		t.Fatalf("default language: %v, %v", lang(cand), lang(other))
	}
	profileBefore := e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/profile", f.tok["committee"], nil).Body

	for _, bad := range []any{map[string]string{"language": "de"}, map[string]string{"language": "En"}, map[string]string{"language": ""}, map[string]any{}} {
		r := e.Do("PATCH", v1+"/me", cand, bad)
		if r.Status != 422 {
			t.Fatalf("%v: status %d, want 422: %s", bad, r.Status, r.Body)
		}
		if code, fields := errCode(t, r); code != "validatie" || fields["language"] == nil || fields["language"] == "" {
			t.Errorf("%v: %s %v", bad, code, fields)
		}
	}
	if r := e.Do("PATCH", v1+"/me", cand, `{"language": "en"`); r.Status != 400 {
		t.Errorf("broken JSON: %d", r.Status)
	}

	// Nobody else can: users get 403 (not a candidate), anonymous 401;
	// the route names no id, so a candidate can only change itself.
	for _, who := range []string{"admin", "board", "committee", "otherBoard", "otherCommittee"} {
		if r := e.Do("PATCH", v1+"/me", f.tok[who], map[string]string{"language": "en"}); r.Status != 403 {
			t.Errorf("%s: status %d, want 403", who, r.Status)
		}
	}
	if r := e.Do("PATCH", v1+"/me", "", map[string]string{"language": "en"}); r.Status != 401 {
		t.Errorf("anonymous: status %d, want 401", r.Status)
	}
	if lang(cand) != "nl" {
		t.Fatalf("a refused request changed the language")
	}

	got := e.Must(200, "PATCH", v1+"/me", cand, map[string]string{"language": "en"}).Map(t)
	if c := got["candidate"].(map[string]any); c["language"] != "en" || c["id"] != f.profiled {
		t.Errorf("PATCH /me: %v", got)
	}
	if lang(cand) != "en" || lang(other) != "nl" || lang(f.tok["foreignCandidate"]) != "nl" {
		t.Errorf("after PATCH: %v %v %v", lang(cand), lang(other), lang(f.tok["foreignCandidate"]))
	}
	if exp := e.Must(200, "GET", v1+"/me/export", cand, nil).Map(t); exp["candidate"].(map[string]any)["language"] != "en" {
		t.Errorf("export lacks the language: %v", exp["candidate"])
	}
	// The committee reads the same (Dutch) profile as before.
	if after := e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/profile", f.tok["committee"], nil).Body; string(after) != string(profileBefore) {
		t.Errorf("the language changed the committee's profile:\n%s\n%s", profileBefore, after)
	}
	e.Must(200, "PATCH", v1+"/me", cand, map[string]string{"language": "nl"})
	if lang(cand) != "nl" {
		t.Errorf("back to Dutch failed")
	}

	// The board may invite in English; other values are refused.
	inv := v1 + "/rounds/" + f.rid + "/candidates"
	r := e.Do("POST", inv, f.tok["board"], map[string]string{"name": "Eva", "email": "eva@test.nl", "language": "english"})
	if r.Status != 422 {
		t.Fatalf("invite with a bad language: %d %s", r.Status, r.Body)
	}
	if code, fields := errCode(t, r); code != "validatie" || fields["language"] == nil {
		t.Errorf("invite: %s %v", code, fields)
	}
	e.Must(201, "POST", inv, f.tok["board"], map[string]string{"name": "Eva", "email": "eva@test.nl", "language": "en"})
	eva := f.accept("eva@test.nl")
	if lang(eva) != "en" {
		t.Errorf("invited in English: %v", lang(eva))
	}
	e.Must(201, "POST", inv, f.tok["board"], map[string]string{"name": "Wim", "email": "wim@test.nl"})
	if wim := f.accept("wim@test.nl"); lang(wim) != "nl" {
		t.Errorf("invited without a language: %v", lang(wim))
	}
}
