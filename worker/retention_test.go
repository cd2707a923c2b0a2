package worker_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/models"
)

// TestRetention: a decided file goes after the party's period (183 days by
// default), a withdrawn one after 28 days; nothing earlier; the audit chain
// survives the deletion.
func TestRetention(t *testing.T) {
	// The clock is read by the system's goroutines too (the relay): atomic.
	var off atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(off.Load())) }
	e := apptest.Start(t, apptest.WithClock(now))
	ctx := context.Background()
	st := e.Sys.Store
	decided := finishAndProfile(t, e, prepare(t, e))
	com := models.Actor{ID: "c", Role: models.RoleCommissie}
	if _, err := st.ProposeDecision(ctx, com, decided, models.Proposal{Outcome: "positief", Reasons: "ok"}); err != nil {
		t.Fatal(err)
	}
	withdrawn := prepareIn(t, e, decided.RoundID, "w@test.nl")
	if err := st.Withdraw(ctx, withdrawn); err != nil {
		t.Fatal(err)
	}

	due := func() map[string]bool {
		items, err := st.RetentionDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, it := range items {
			m[it.CandidateID] = true
		}
		return m
	}
	off.Store(int64(27 * 24 * time.Hour))
	if d := due(); len(d) != 0 {
		t.Fatalf("due after 27 days: %v", d)
	}
	off.Store(int64(29 * 24 * time.Hour))
	if d := due(); !d[withdrawn.ID] || d[decided.ID] {
		t.Fatalf("after 29 days want only the withdrawn file: %v", d)
	}
	off.Store(int64(184 * 24 * time.Hour))
	if d := due(); !d[decided.ID] {
		t.Fatalf("decided file not due after 184 days: %v", d)
	}
	n, err := st.PurgeDue(ctx)
	if err != nil || n != 2 {
		t.Fatalf("purged %d: %v", n, err)
	}
	if _, err := st.Candidate(ctx, decided.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("decided file still there: %v", err)
	}
	if seq, err := st.VerifyAudit(ctx, decided.PartyID); err != nil || seq != 0 {
		t.Fatalf("audit chain after deletion: broken at %d (%v)", seq, err)
	}
	if d := due(); len(d) != 0 {
		t.Fatalf("still due after purge: %v", d)
	}
}

// finishAndProfile submits and compiles synchronously.
func finishAndProfile(t *testing.T, e *apptest.Env, c *models.Candidate) *models.Candidate {
	t.Helper()
	ctx := context.Background()
	id := finish(t, e, c, false)
	in, err := e.Sys.Store.CompileInput(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	prof, hash, err := workerCompile(in, e.Sys.Store.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Sys.Store.SaveProfile(ctx, id, in.Candidate.Revision, prof, in.Answers, hash); err != nil {
		t.Fatal(err)
	}
	k, err := e.Sys.Store.Candidate(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
