package models

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/testenv"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/secure"
)

// TestPurgeRechecksTheLockedFile: the purge deletes what its list named
// only when the locked file is still due: an expired invitation that the
// board resent after the list was made stays.
func TestPurgeRechecksTheLockedFile(t *testing.T) {
	ctx := context.Background()
	db, dialect, err := Open(testenv.DSN(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = Close(db) })
	if err := Migrate(ctx, db, dialect); err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	kr, _ := secure.NewKeyring(key)
	forms, err := questionnaires.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	clock := time.Now()
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	later := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }
	st := NewStore(db, dialect, kr, forms, Options{Now: now})

	op := Actor{ID: "cli", Role: RoleAdmin}
	p, err := st.CreateParty(ctx, op, "P")
	if err != nil {
		t.Fatal(err)
	}
	r, err := st.CreateRound(ctx, op, p.ID, NewRound{Name: "R", Office: "raadslid", Deadline: now().Add(24 * time.Hour), QuestionnaireID: "weerbaarheidsscan"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.Invite(ctx, op, r, "K", "k@t.nl")
	if err != nil {
		t.Fatal(err)
	}
	later(2 * 24 * time.Hour)
	if n, err := st.ExpireDue(ctx); err != nil || n != 1 {
		t.Fatalf("expire: %d %v", n, err)
	}
	later(30 * 24 * time.Hour)
	items, err := st.RetentionDue(ctx)
	if err != nil || len(items) != 1 || items[0].CandidateID != c.ID {
		t.Fatalf("due: %v %v", items, err)
	}
	// The board resends the invitation before the purge reaches the file.
	if _, err := st.Resend(ctx, op, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.purgeItem(ctx, items[0]); !errors.Is(err, errNotDueNow) {
		t.Fatalf("purge of a resent invitation: %v, want errNotDueNow", err)
	}
	if _, err := st.Candidate(ctx, c.ID); err != nil {
		t.Fatalf("resent invitation deleted: %v", err)
	}
}
