package migrations_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLeak_RecusalAcrossLinkedFilesBackfill: migration 00010 carries a
// recusal made before it on one file of a herhaalscan chain over to every
// linked file (both ways, any length), once.
func TestLeak_RecusalAcrossLinkedFilesBackfill(t *testing.T) {
	ctx := context.Background()
	db, p := openAt(t, 9)
	now := time.Now().UTC()
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("INSERT INTO parties (id, name, created_at) VALUES ('p', 'P', ?)", now)
	for _, r := range []string{"r1", "r2", "r3", "r4"} {
		exec("INSERT INTO rounds (id, party_id, name, office, deadline, questionnaire_id, questionnaire_version, created_by, created_at) VALUES (?, 'p', ?, 'raadslid', ?, 'q', 1, 'u', ?)", r, r, now, now)
	}
	// a ← b ← c is one person over three rounds; d is someone else.
	for _, c := range []struct{ id, round, prev string }{{"a", "r1", ""}, {"b", "r2", "a"}, {"c", "r3", "b"}, {"d", "r4", ""}} {
		var prev any
		if c.prev != "" {
			prev = c.prev
		}
		exec("INSERT INTO candidates (id, party_id, round_id, name, email, status, created_at, updated_at, previous_id) VALUES (?, 'p', ?, 'X', ?, 'decided', ?, ?, ?)", c.id, c.round, c.id+"@x.nl", now, now, prev)
	}
	exec("INSERT INTO recusals (id, candidate_id, user_id, reason, created_at) VALUES ('r-b', 'b', 'u1', ?, ?)", []byte("sealed"), now)
	exec("INSERT INTO recusals (id, candidate_id, user_id, reason, created_at) VALUES ('r-c', 'c', 'u2', ?, ?)", []byte("sealed"), now)
	exec("INSERT INTO recusals (id, candidate_id, user_id, reason, created_at) VALUES ('r-a', 'a', 'u2', ?, ?)", []byte("sealed"), now)
	if _, err := p.UpTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	type row struct{ CandidateID, UserID string }
	var got []row
	if err := db.Raw("SELECT candidate_id, user_id FROM recusals ORDER BY candidate_id, user_id").Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	want := []row{{"a", "u1"}, {"a", "u2"}, {"b", "u1"}, {"b", "u2"}, {"c", "u1"}, {"c", "u2"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("recusals after 00010 (-want +got):\n%s", diff)
	}
}
