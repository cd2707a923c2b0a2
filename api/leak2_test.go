package api_test

// Regression tests of the second attack on the running service (after
// issue 11 was fixed): each is named after its finding and failed on the
// code before its fix.

import (
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
