package api_test

// Regression tests of the second attack on the running service (after
// issue 11 was fixed): each is named after its finding and failed on the
// code before its fix.

import (
	"strings"
	"testing"
)

// TestLeak2_ReopenLinkOutlivesResubmission: the link in the "your scan was
// sent back" mail opens the file only while it is back with the candidate.
// Once the candidate submits again the file has left in_progress, and an
// old reopen mail must no longer open it (to export everything or
// withdraw), just as the invitation link dies on submit (finding 3).
func TestLeak2_ReopenLinkOutlivesResubmission(t *testing.T) {
	f := newFixture(t)
	e, c1 := f.e, f.tok["committee"]
	e.Must(200, "POST", v1+"/candidates/"+f.profiled+"/reopen", c1, map[string]string{"message": "Kijkt u N5 nog eens na?"})
	tok := newestLink(t, f, "piet@test.nl", "teruggestuurd")
	sess := e.Must(201, "POST", v1+"/invitations/"+tok+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "PATCH", v1+"/me/answers", sess, map[string]any{"answers": map[string]any{"N5": "Aangepast."}})
	e.Must(200, "POST", v1+"/me/submit", sess, nil)

	if r := e.Do("POST", v1+"/invitations/"+tok+"/accept", "", nil); r.Status != 410 {
		t.Fatalf("reopen link after the file was submitted again: %d, want 410: %s", r.Status, r.Body)
	}
	if r := e.Do("POST", "/uitnodiging/"+tok, "", nil); r.Status == 303 && r.Header.Get("Location") == "/scan" {
		t.Fatal("the invitation page opened a session with the reopen link after the new submission")
	}
}

// TestLeak2_BidiControls: finding 16 refuses control characters, but the
// Unicode direction overrides and isolates (U+202A–U+202E, U+2066–U+2069)
// went through. They are invisible and turn the text after them around
// ("Trojan Source"): a committee member proposed as "Karin\u202eeimmoC"
// reads as another person in the committee's confirmation notice, a
// candidate's name reads differently on the board's and the committee's
// pages and in mails. They are refused like the other control characters.
func TestLeak2_BidiControls(t *testing.T) {
	f := newFixture(t)
	e := f.e
	tests := []struct {
		name, method, path, who string
		body                    any
		field                   string
	}{
		{"override in a proposed committee member's name", "POST", "/parties/" + f.pid + "/members", "board", "{\"email\":\"nieuw@test.nl\",\"name\":\"Karin \u202eeissimmoC\",\"role\":\"commissie\"}", "name"},
		{"override in an invited name", "POST", "/rounds/" + f.rid + "/candidates", "board", "{\"name\":\"Jan \u202dJansen\",\"email\":\"jan@test.nl\"}", "name"},
		{"isolate in a text answer", "PATCH", "/me/answers", "otherCandidate", "{\"answers\":{\"N5\":\"Niets \u2067x\u2069\"}}", "N5"},
		{"embedding in a note", "POST", "/candidates/" + f.profiled + "/notes", "committee", "{\"body\":\"a\u202ab\"}", "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Do(tt.method, v1+tt.path, f.tok[tt.who], tt.body)
			if r.Status != 422 {
				t.Fatalf("status %d, want 422: %s", r.Status, r.Body)
			}
			if code, fields := errCode(t, r); code != "validatie" || fields[tt.field] == nil {
				t.Fatalf("want code validatie naming %q: %s", tt.field, r.Body)
			}
		})
	}
	// Right-to-left text itself (Arabic, Hebrew) and the plain marks stay allowed.
	e.Must(200, "PATCH", v1+"/me/answers", f.tok["otherCandidate"], map[string]any{"answers": map[string]any{"N5": "مرحبا \u200f שלום"}})
}

// TestLeak2_NumberLimitMessage: a number over its limit was answered
// "Gebruik ten hoogste 1825 tekens." (characters) instead of naming the
// number's limit.
func TestLeak2_NumberLimitMessage(t *testing.T) {
	f := newFixture(t)
	r := f.e.Do("PATCH", v1+"/parties/"+f.pid, f.tok["board"], map[string]any{"retention_decided_days": 999999})
	if r.Status != 422 {
		t.Fatalf("status %d, want 422: %s", r.Status, r.Body)
	}
	_, fields := errCode(t, r)
	msg, _ := fields["retention_decided_days"].(string)
	if msg == "" || strings.Contains(msg, "tekens") || !strings.Contains(msg, "1825") {
		t.Fatalf("message for a number over its limit: %q", msg)
	}
}

// TestLeak2_HearingLinkOutlivesReply: the link in a hearing notice served
// one purpose, the reply. Once the candidate replied, an old notice mail
// must no longer open the file (to export or withdraw); the candidate asks
// for a new link instead (finding 3).
func TestLeak2_HearingLinkOutlivesReply(t *testing.T) {
	f := newFixture(t)
	e, c1 := f.e, f.tok["committee"]
	e.Must(201, "POST", v1+"/candidates/"+f.profiled+"/hearing", c1, map[string]any{"flags": []string{"bedreigd"}, "message": "Wilt u reageren?"})
	tok := newestLink(t, f, "piet@test.nl", "Vragen van de selectiecommissie")
	sess := e.Must(201, "POST", v1+"/invitations/"+tok+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/hearing", sess, map[string]string{"reply": "Dat klopt, ik licht het toe."})
	if r := e.Do("POST", v1+"/invitations/"+tok+"/accept", "", nil); r.Status != 410 {
		t.Fatalf("hearing link after the reply: %d, want 410: %s", r.Status, r.Body)
	}
	// The session the link opened goes on (the candidate may read the reply).
	e.Must(200, "GET", v1+"/me/hearing", sess, nil)
}
