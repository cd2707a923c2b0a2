package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/weerbaar/weerbaar/models"
)

func outboxIDs(t *testing.T, st *models.Store) []string {
	t.Helper()
	ts, err := st.OutboxTasks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, task := range ts {
		ids = append(ids, task.TaskID)
	}
	return ids
}

// TestOutbox_FollowUpsCommitWithTheirChange: a state change's follow-up
// tasks are in the outbox exactly when the change committed, and the relay
// is woken after the commit.
func TestOutbox_FollowUpsCommitWithTheirChange(t *testing.T) {
	st, _, _ := newStore(t)
	ctx := context.Background()
	c := candidateWithAnswers(t, st)
	// candidateWithAnswers sent the invitation synchronously
	// (IssueInvitation): its delivery finished its task.
	if ids := outboxIDs(t, st); len(ids) != 0 {
		t.Fatalf("outbox after the sent invitation: %v", ids)
	}
	select { // drain the signals of the set-up
	case <-st.Wake():
	default:
	}

	k, err := st.Submit(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	// (listed by creation, then task id)
	want := []string{models.MailTaskID(models.MailPayload{Kind: models.MailReceipt, CandidateID: k.ID, Seq: k.Revision}), models.CompileTaskID(k.ID, k.Revision)}
	if diff := cmp.Diff(want, outboxIDs(t, st)); diff != "" {
		t.Fatalf("outbox after submit (-want +got):\n%s", diff)
	}
	select {
	case <-st.Wake():
	case <-time.After(5 * time.Second):
		t.Fatal("the relay was not woken after the submit committed")
	}
	// A second submit is refused (409): its transaction writes nothing.
	if _, err := st.Submit(ctx, k); err == nil {
		t.Fatal("second submit accepted")
	}
	if diff := cmp.Diff(want, outboxIDs(t, st)); diff != "" {
		t.Fatalf("outbox after the refused submit (-want +got):\n%s", diff)
	}
}

// TestOutbox_ClaimsAreDisjoint: relays claiming at the same time (replicas;
// on PostgreSQL with FOR UPDATE SKIP LOCKED) each get other rows, every row
// once per lease.
func TestOutbox_ClaimsAreDisjoint(t *testing.T) {
	st, db, _ := newStore(t)
	ctx := context.Background()
	const n = 300
	now := st.Now()
	rows := make([]models.OutboxTask, n)
	for i := range rows {
		rows[i] = models.OutboxTask{TaskID: fmt.Sprintf("test:%03d", i), Type: "test", Payload: "{}", DueAt: now, CreatedAt: now}
	}
	if err := db.Create(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	claimed := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ts, err := st.ClaimTasks(ctx, st.Now(), 7, time.Hour)
				if err != nil {
					errs <- err
					return
				}
				if len(ts) == 0 {
					return
				}
				mu.Lock()
				for _, task := range ts {
					claimed[task.TaskID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(claimed) != n {
		t.Fatalf("%d of %d rows claimed", len(claimed), n)
	}
	for id, k := range claimed {
		if k != 1 {
			t.Errorf("%s claimed %d times within its lease", id, k)
		}
	}
	// Leased rows are not due again until the lease ends; then they are.
	if ts, err := st.ClaimTasks(ctx, st.Now(), 1000, time.Hour); err != nil || len(ts) != 0 {
		t.Fatalf("claimed %d leased rows again (%v)", len(ts), err)
	}
	ts, err := st.ClaimTasks(ctx, st.Now().Add(2*time.Hour), 1000, time.Hour)
	if err != nil || len(ts) != n {
		t.Fatalf("after the lease: claimed %d of %d (%v)", len(ts), n, err)
	}
	if ts[0].Attempts != 2 {
		t.Errorf("attempts = %d, want 2", ts[0].Attempts)
	}
	// Done rows leave.
	for _, task := range ts {
		if err := st.TaskDone(ctx, task.TaskID); err != nil {
			t.Fatal(err)
		}
	}
	if ids := outboxIDs(t, st); len(ids) != 0 {
		t.Fatalf("%d rows left after done", len(ids))
	}
	if err := st.TaskDone(ctx, "test:000"); err != nil && !errors.Is(err, models.ErrNotFound) {
		t.Fatal(err)
	}
}
