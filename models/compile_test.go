package models_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/worker"
)

// roundTrips counts what a Store sends to the database: statements,
// transactions begun and committed, statements by their first word. It
// wraps the connection pool of a *gorm.DB (see countRoundTrips).
type roundTrips struct {
	mu         sync.Mutex
	statements []string
	begins     int
	commits    int
}

func (r *roundTrips) add(q string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statements = append(r.statements, strings.Join(strings.Fields(q), " "))
}

// total is every round trip: the statements plus BEGIN and COMMIT.
func (r *roundTrips) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.statements) + r.begins + r.commits
}

func (r *roundTrips) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statements, r.begins, r.commits = nil, 0, 0
}

func (r *roundTrips) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for i, s := range r.statements {
		if len(s) > 140 {
			s = s[:140] + "…"
		}
		fmt.Fprintf(&b, "\n  %2d %s", i+1, s)
	}
	return b.String()
}

type countingPool struct {
	gorm.ConnPool
	db *sql.DB
	rt *roundTrips
}

func (p countingPool) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	p.rt.add(q)
	return p.ConnPool.ExecContext(ctx, q, args...)
}

func (p countingPool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	p.rt.add(q)
	return p.ConnPool.QueryContext(ctx, q, args...)
}

func (p countingPool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	p.rt.add(q)
	return p.ConnPool.QueryRowContext(ctx, q, args...)
}

func (p countingPool) GetDBConn() (*sql.DB, error) { return p.db, nil }

func (p countingPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	tx, err := p.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	p.rt.mu.Lock()
	p.rt.begins++
	p.rt.mu.Unlock()
	return &countingTx{countingConn: countingConn{ConnPool: tx, rt: p.rt}, tx: tx}, nil
}

// countingConn counts the statements of a transaction; it begins none
// (gorm tells a transaction by a pool that cannot begin one).
type countingConn struct {
	gorm.ConnPool
	rt *roundTrips
}

func (p countingConn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	p.rt.add(q)
	return p.ConnPool.ExecContext(ctx, q, args...)
}

func (p countingConn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	p.rt.add(q)
	return p.ConnPool.QueryContext(ctx, q, args...)
}

func (p countingConn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	p.rt.add(q)
	return p.ConnPool.QueryRowContext(ctx, q, args...)
}

type countingTx struct {
	countingConn
	tx *sql.Tx
}

func (t *countingTx) Commit() error {
	t.rt.mu.Lock()
	t.rt.commits++
	t.rt.mu.Unlock()
	return t.tx.Commit()
}

func (t *countingTx) Rollback() error { return t.tx.Rollback() }

// countRoundTrips makes db (and so the Store built on it) count its round
// trips from here on.
func countRoundTrips(t *testing.T, db *gorm.DB) *roundTrips {
	t.Helper()
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	rt := &roundTrips{}
	p := countingPool{ConnPool: sqlDB, db: sqlDB, rt: rt}
	db.Config.ConnPool = p
	db.Statement.ConnPool = p
	t.Cleanup(func() { db.Config.ConnPool, db.Statement.ConnPool = sqlDB, sqlDB })
	return rt
}

// writes lists the statements that write.
func (r *roundTrips) writes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, s := range r.statements {
		if !strings.HasPrefix(s, "SELECT ") {
			out = append(out, s)
		}
	}
	return out
}

// TestCompileRoundTrips: a profile compile is one transaction of few round
// trips (the worker's throughput is bound by them: issue 12 counted 24 and
// two transactions, plus two key-store reads), and a repeated compile of
// the same revision (asynq delivers at least once) writes nothing but the
// removal of its outbox task.
func TestCompileRoundTrips(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		ctx := context.Background()
		f := newConcFile(t, st, db, 2)
		f.answered(t)
		c, err := st.Submit(ctx, f.cand(t))
		if err != nil {
			t.Fatal(err)
		}
		rt := countRoundTrips(t, db)
		in, wrote, err := worker.CompileProfile(ctx, st, c.ID, c.Revision)
		if err != nil || in == nil || !wrote {
			t.Fatalf("compile: %v (input %v, wrote %v)", err, in != nil, wrote)
		}
		t.Logf("first compile: %d round trips (%d statements, %d transactions):%s", rt.total(), len(rt.statements), rt.begins, rt)
		// PostgreSQL: BEGIN, lock, the round (once per process), the file,
		// the writes (one batch), COMMIT. SQLite runs the batch statement
		// by statement (in process, no round trips).
		want := 6
		if db.Dialector.Name() != models.Postgres {
			want = 13
		}
		if rt.begins != 1 || rt.commits != 1 || rt.total() > want {
			t.Errorf("first compile: %d transactions, %d round trips, want 1 and at most %d", rt.begins, rt.total(), want)
		}
		if got := f.cand(t).Status; got != models.StatusProfiled {
			t.Errorf("status %s after the compile", got)
		}
		if got := actions(t, st, c.ID); countOf(got, "profile.compile") != 1 {
			t.Errorf("audit events %v, want one profile.compile", got)
		}
		if seq, err := st.VerifyAudit(ctx, f.party.ID); err != nil || seq != 0 {
			t.Errorf("audit chain broken at %d (%v)", seq, err)
		}
		if ids := outboxIDs(t, st); !slices.ContainsFunc(ids, func(id string) bool { return strings.Contains(id, "profile_ready") }) ||
			slices.Contains(ids, models.CompileTaskID(c.ID, c.Revision)) {
			t.Errorf("outbox after the compile: %v (want the profile-ready mails, not the compile)", ids)
		}

		before := f.cand(t)
		if err := db.Exec("INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at) VALUES (?, ?, ?, ?, 0, ?)",
			models.CompileTaskID(c.ID, c.Revision), models.TaskCompile, "{}", st.Now(), st.Now()).Error; err != nil {
			t.Fatal(err)
		}
		rt.reset()
		in, wrote, err = worker.CompileProfile(ctx, st, c.ID, c.Revision)
		if err != nil || in == nil || wrote {
			t.Fatalf("second compile: %v (input %v, wrote %v)", err, in != nil, wrote)
		}
		t.Logf("same revision again: %d round trips (%d statements, %d transactions):%s", rt.total(), len(rt.statements), rt.begins, rt)
		if w := rt.writes(); len(w) != 1 || !strings.HasPrefix(w[0], "DELETE FROM task_outbox") {
			t.Errorf("the repeated compile wrote %q, want only its outbox task removed", w)
		}
		if after := f.cand(t); !after.UpdatedAt.Equal(before.UpdatedAt) || !bytes.Equal(after.Network, before.Network) {
			t.Error("the repeated compile rewrote the candidate row")
		}
		if ids := outboxIDs(t, st); slices.Contains(ids, models.CompileTaskID(c.ID, c.Revision)) {
			t.Errorf("outbox after the repeated compile: %v", ids)
		}
	})
}

// TestCompileOnePartyAtOnce: compiles of many files of one party at the
// same moment (a burst of submits, a changed VOG age) all land, each with
// its audit event, on an intact chain: the event is appended in the
// compile's batch when the chain's head is still the one read, after the
// new head otherwise.
func TestCompileOnePartyAtOnce(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		ctx := context.Background()
		f := newConcFile(t, st, db, 1)
		batch := make([]models.BulkCandidate, racers)
		for i := range batch {
			batch[i] = models.BulkCandidate{Name: fmt.Sprintf("K%d", i), Email: fmt.Sprintf("k%d@t.nl", i), Status: models.StatusSubmitted, Answers: sample.Flagged()}
		}
		cs, err := st.BulkInsert(ctx, operator, f.round, batch)
		if err != nil {
			t.Fatal(err)
		}
		errs := race(db, len(cs), func(i int) error {
			in, wrote, err := worker.CompileProfile(ctx, st, cs[i].ID, cs[i].Revision)
			if err == nil && (in == nil || !wrote) {
				err = fmt.Errorf("compile %d did nothing", i)
			}
			return err
		})
		tally(t, errs)
		if seq, err := st.VerifyAudit(ctx, f.party.ID); err != nil || seq != 0 {
			t.Errorf("audit chain broken at %d (%v)", seq, err)
		}
		for _, c := range cs {
			if got := actions(t, st, c.ID); countOf(got, "profile.compile") != 1 {
				t.Errorf("%s: audit events %v, want one profile.compile", c.Name, got)
			}
		}
		if n := count(t, db, "SELECT count(*) FROM candidates WHERE round_id = ? AND status = ?", f.round.ID, models.StatusProfiled); n != int64(len(cs)) {
			t.Errorf("%d of %d profiled", n, len(cs))
		}
		if n := count(t, db, "SELECT count(*) FROM task_outbox WHERE type = ?", models.TaskCompile); n != 0 {
			t.Errorf("%d compile tasks left in the outbox", n)
		}
	})
}

// TestCompileStaleWritesNothing: the compile of a revision that is
// superseded, or of a file that moved on (reopened), writes nothing (no
// network either) and removes its outbox task.
func TestCompileStaleWritesNothing(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		ctx := context.Background()
		f := newConcFile(t, st, db, 2)
		f.answered(t)
		c, err := st.Submit(ctx, f.cand(t))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Reopen(ctx, f.members[0], f.cand(t), "Vul N1 aan."); err != nil {
			t.Fatal(err)
		}
		for _, rev := range []int{c.Revision, f.cand(t).Revision + 1} { // reopened; not yet there
			if err := db.Exec("INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING",
				models.CompileTaskID(c.ID, rev), models.TaskCompile, "{}", st.Now(), st.Now()).Error; err != nil {
				t.Fatal(err)
			}
			in, wrote, err := worker.CompileProfile(ctx, st, c.ID, rev)
			if err != nil || in != nil || wrote {
				t.Fatalf("revision %d: %v (input %v, wrote %v), want nothing done", rev, err, in != nil, wrote)
			}
			if slices.Contains(outboxIDs(t, st), models.CompileTaskID(c.ID, rev)) {
				t.Errorf("revision %d: its outbox task stayed", rev)
			}
		}
		k := f.cand(t)
		if len(k.Network) != 0 || k.Status != models.StatusInProgress {
			t.Errorf("after the stale compiles: status %s, network of %d bytes", k.Status, len(k.Network))
		}
		for _, tbl := range []string{"profiles", "network_keys"} {
			if n := count(t, db, "SELECT count(*) FROM "+tbl+" WHERE candidate_id = ?", c.ID); n != 0 {
				t.Errorf("%d rows in %s", n, tbl)
			}
		}
	})
}
