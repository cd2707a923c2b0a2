package migrations_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestOneAtATimeSettlesDuplicates: migration 00013 settles what a race
// left twice before its unique indexes exist: the oldest pending proposal
// stays (later ones are rejected by the system), the newest profile stays
// current, the newest hearing link stays; nothing else changes.
func TestOneAtATimeSettlesDuplicates(t *testing.T) {
	ctx := context.Background()
	db, p := openAt(t, 11)
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("INSERT INTO parties (id, name, created_at) VALUES ('p', 'P', ?)", t0)
	exec("INSERT INTO rounds (id, party_id, name, office, deadline, questionnaire_id, questionnaire_version, created_by, created_at) VALUES ('r', 'p', 'R', 'raadslid', ?, 'q', 1, 'u', ?)", t0, t0)
	for _, c := range []string{"a", "b"} {
		exec("INSERT INTO candidates (id, party_id, round_id, email_hash, status, created_at, updated_at) VALUES (?, 'p', 'r', ?, 'profiled', ?, ?)", c, "h-"+c, t0, t0)
	}
	for _, d := range []struct {
		id, cand, status string
		min              int
	}{{"d1", "a", "voorgesteld", 2}, {"d2", "a", "voorgesteld", 1}, {"d3", "a", "afgewezen", 0}, {"d4", "b", "voorgesteld", 3}} {
		exec("INSERT INTO decisions (id, candidate_id, reasons, decided_by, created_at, status) VALUES (?, ?, ?, 'u', ?, ?)", d.id, d.cand, []byte{1}, at(d.min), d.status)
	}
	for _, pr := range []struct {
		id, cand string
		current  bool
		min      int
	}{{"p1", "a", true, 1}, {"p2", "a", true, 2}, {"p3", "a", false, 0}, {"p4", "b", true, 0}} {
		exec("INSERT INTO profiles (id, candidate_id, revision, questionnaire_version, input_hash, body, is_current, compiled_at) VALUES (?, ?, 1, 1, 'h', ?, ?, ?)", pr.id, pr.cand, []byte{1}, pr.current, at(pr.min))
	}
	for _, l := range []struct {
		id, cand, purpose string
		min               int
	}{{"l1", "a", "hearing", 1}, {"l2", "a", "hearing", 2}, {"l3", "a", "access", 1}, {"l4", "a", "access", 2}, {"l5", "b", "reopen", 1}} {
		exec("INSERT INTO candidate_links (id, candidate_id, purpose, created_at) VALUES (?, ?, ?, ?)", l.id, l.cand, l.purpose, at(l.min))
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	type dec struct{ ID, Status string }
	var ds []dec
	if err := db.Raw("SELECT id, status FROM decisions ORDER BY id").Scan(&ds).Error; err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dec{{"d1", "afgewezen"}, {"d2", "voorgesteld"}, {"d3", "afgewezen"}, {"d4", "voorgesteld"}}, ds); diff != "" {
		t.Errorf("decisions after 00013 (-want +got):\n%s", diff)
	}
	type prof struct {
		ID        string
		IsCurrent bool
	}
	var ps []prof
	if err := db.Raw("SELECT id, is_current FROM profiles ORDER BY id").Scan(&ps).Error; err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]prof{{"p1", false}, {"p2", true}, {"p3", false}, {"p4", true}}, ps); diff != "" {
		t.Errorf("profiles after 00013 (-want +got):\n%s", diff)
	}
	var ls []string
	if err := db.Raw("SELECT id FROM candidate_links ORDER BY id").Scan(&ls).Error; err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"l2", "l3", "l4", "l5"}, ls); diff != "" {
		t.Errorf("links after 00013 (-want +got):\n%s", diff)
	}
	// And the indexes hold from now on.
	if err := db.Exec("INSERT INTO decisions (id, candidate_id, reasons, decided_by, created_at, status) VALUES ('d5', 'b', ?, 'u', ?, 'voorgesteld')", []byte{1}, at(9)).Error; err == nil {
		t.Error("a second pending proposal was accepted after 00013")
	}
	if _, err := p.DownTo(ctx, 12); err != nil {
		t.Fatalf("down: %v", err)
	}
}
