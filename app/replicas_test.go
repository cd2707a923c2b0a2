package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/worker"
)

// compileRuns reads the "profile compiled" log lines of one worker: per
// candidate, how often the handler reached SaveProfile and how often that
// wrote a new profile version.
func compileRuns(t *testing.T, logs string) (runs, wrote map[string]int) {
	t.Helper()
	runs, wrote = map[string]int{}, map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(logs))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l struct {
			Msg        string `json:"msg"`
			Candidate  string `json:"candidate"`
			NewVersion bool   `json:"new_version"`
		}
		if json.Unmarshal(sc.Bytes(), &l) != nil || l.Msg != "profile compiled" {
			continue
		}
		runs[l.Candidate]++
		if l.NewVersion {
			wrote[l.Candidate]++
		}
	}
	return runs, wrote
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// compileTasksLeft counts profile:compile tasks still pending, active,
// scheduled or waiting for a retry on the shared queue.
func compileTasksLeft(t *testing.T, insp *asynq.Inspector, queue string) int {
	t.Helper()
	n := 0
	lists := []func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error){insp.ListPendingTasks, insp.ListActiveTasks, insp.ListScheduledTasks, insp.ListRetryTasks}
	for _, list := range lists {
		ts, err := list(worker.ProfilesQueue(queue), asynq.PageSize(1000))
		if errors.Is(err, asynq.ErrQueueNotFound) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, ti := range ts {
			if ti.Type == worker.TypeProfileCompile {
				n++
			}
		}
	}
	return n
}

// drain waits until no compile task is left on the queue.
func drain(t *testing.T, insp *asynq.Inspector, queue string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for compileTasksLeft(t, insp, queue) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d compile tasks still queued", compileTasksLeft(t, insp, queue))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// compileEffects is what one compile of a revision leaves in the database.
type compileEffects struct {
	versions, current, audits, ready, readyMails, receipts int
}

func effectsOf(t *testing.T, e *apptest.Env, c *models.Candidate, mails []models.OutboxMail) compileEffects {
	t.Helper()
	ctx := context.Background()
	var f compileEffects
	var err error
	if f.versions, err = e.Sys.Store.ProfileVersions(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	var cur int64
	if err := e.Sys.DB.Model(&models.ProfileRecord{}).Where("candidate_id = ? AND is_current = ?", c.ID, true).Count(&cur).Error; err != nil {
		t.Fatal(err)
	}
	f.current = int(cur)
	evs, err := e.Sys.Store.AuditEvents(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.Action == "profile.compile" {
			f.audits++
		}
	}
	ds, err := e.Sys.Store.Deliveries(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Kind == models.MailProfileReady {
			f.ready++
		}
	}
	for _, m := range mails {
		switch {
		case strings.HasPrefix(m.Subject, "Profiel klaar: "+c.Name+" "):
			f.readyMails++
		case m.ToAddr == c.Email && strings.HasPrefix(m.Subject, "Uw weerbaarheidsscan is ontvangen"):
			f.receipts++
		}
	}
	return f
}

// TestTwoWorkersCompileOnce runs two replicas (each its own Store, database
// pool, API, asynq server and scheduler, as two processes would) on one
// database and one Redis queue. Candidates submit in a burst through both
// APIs while both processes re-enqueue the same compiles and run the
// reconciler in a tight loop; afterwards every candidate has exactly one
// profile version, one compile audit event and one "profile ready" mail per
// committee member. A redelivered compile (asynq is at-least-once: a task
// whose lease ran out runs again while the first run may still be busy)
// running in both processes at once still writes one version.
func TestTwoWorkersCompileOnce(t *testing.T) {
	for _, m := range []struct {
		name string
		opt  apptest.Option
	}{
		{"embedded", apptest.Embedded()},
		{"server", apptest.Server()},
	} {
		t.Run(m.name, func(t *testing.T) { twoWorkers(t, m.opt) })
	}
}

func twoWorkers(t *testing.T, mode apptest.Option) {
	const n = 40         // candidates
	const recompile = 12 // of which get a VOG change raced by redeliveries
	ctx := context.Background()
	var log1, log2 syncBuffer
	e := apptest.Start(t, mode, apptest.WithLog(&log1))
	e2 := e.Second(apptest.WithLog(&log2))
	envs := []*apptest.Env{e, e2}
	p := newParty(t, e, time.Now().Add(30*24*time.Hour))
	e.StartWorker()
	e2.StartWorker()
	insp := asynq.NewInspector(e.Sys.Redis)
	defer insp.Close()

	// n candidates with complete answers, invited through both APIs.
	type cand struct {
		id, email, token string
		env              *apptest.Env
	}
	cands := make([]*cand, n)
	for i := range cands {
		c := &cand{email: fmt.Sprintf("k%02d@replica.nl", i), env: envs[i%2]}
		c.id = c.env.Must(201, "POST", v1+"/rounds/"+p.rid+"/candidates", p.board, map[string]string{"name": fmt.Sprintf("Kandidaat %02d", i), "email": c.email}).Map(t)["id"].(string)
		cands[i] = c
	}
	for _, c := range cands {
		// Accepted through the store: the token endpoints are rate limited
		// per address (in Redis, so across both replicas).
		tok, _, err := c.env.Sys.Store.AcceptInvitation(ctx, e.InvitationToken(c.email))
		if err != nil {
			t.Fatal(err)
		}
		c.token = tok
		c.env.Must(200, "POST", v1+"/me/consent", c.token, map[string]int{"privacy_version": 1})
		c.env.Must(200, "PATCH", v1+"/me/answers", c.token, map[string]any{"answers": sample.Flagged()})
	}

	// Both processes reconcile as fast as they can while the burst runs.
	hammer := func() (stop func()) {
		done := make(chan struct{})
		var wg sync.WaitGroup
		for _, env := range envs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-done:
						return
					case <-time.After(10 * time.Millisecond):
					}
					if _, err := env.Sys.Worker.Reconcile(ctx); err != nil {
						t.Errorf("reconcile: %v", err)
						return
					}
				}
			}()
		}
		return func() { close(done); wg.Wait() }
	}
	stop := hammer()

	// The burst: every candidate submits at once, half through each API;
	// right after, both processes enqueue the same compile again.
	var wg sync.WaitGroup
	for _, c := range cands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.env.Must(200, "POST", v1+"/me/submit", c.token, nil)
			k, err := e.Sys.Store.Candidate(ctx, c.id)
			if err != nil {
				t.Error(err)
				return
			}
			for range 3 {
				for _, env := range envs {
					if err := env.Sys.Queue.EnqueueCompile(ctx, c.id, k.Revision); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	for _, c := range cands {
		for end := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			k, err := e.Sys.Store.Candidate(ctx, c.id)
			if err != nil {
				t.Fatal(err)
			}
			if k.Status == models.StatusProfiled {
				break
			}
			if time.Now().After(end) {
				t.Fatalf("%s not profiled (status %s)", c.email, k.Status)
			}
		}
	}
	stop()
	settle := func() {
		drain(t, insp, e.Cfg.Queue)
		outboxEmpty(t, e) // the notices' mails are done
		drain(t, insp, e.Cfg.Queue)
	}
	settle()

	check := func(phase string, want compileEffects, only map[string]bool) {
		t.Helper()
		mails, err := e.Sys.Store.OutboxMails(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cands {
			if only != nil && !only[c.id] {
				continue
			}
			k, err := e.Sys.Store.Candidate(ctx, c.id)
			if err != nil {
				t.Fatal(err)
			}
			if got := effectsOf(t, e, k, mails); got != want {
				t.Errorf("%s: %s: %+v, want %+v", phase, c.email, got, want)
			}
		}
	}
	// What one compile of a submitted file leaves: one version (current),
	// one audit event, and with two committee members two profile-ready
	// deliveries and mails; the submit itself sent one receipt.
	once := compileEffects{versions: 1, current: 1, audits: 1, ready: 2, readyMails: 2, receipts: 1}
	check("burst", once, nil)
	runs1, wrote1 := compileRuns(t, log1.String())
	runs2, wrote2 := compileRuns(t, log2.String())
	for _, c := range cands {
		if w := wrote1[c.id] + wrote2[c.id]; w != 1 {
			t.Errorf("%s: %d compiles wrote a profile version, want 1", c.email, w)
		}
	}
	burstRuns := sum(runs1) + sum(runs2)
	t.Logf("burst of %d submits: %d profile versions written (worker 1: %d, worker 2: %d); %d compile runs (worker 1: %d, worker 2: %d), the %d extra runs (a re-enqueue after the task had finished) wrote nothing",
		n, sum(wrote1)+sum(wrote2), sum(wrote1), sum(wrote2), burstRuns, sum(runs1), sum(runs2), burstRuns-n)

	// The re-enqueue race after the fact: a finished task's id is free
	// again, so these run once more, and must change nothing.
	for _, c := range cands {
		k, err := e.Sys.Store.Candidate(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		for _, env := range envs {
			if err := env.Sys.Queue.EnqueueCompile(ctx, c.id, k.Revision); err != nil {
				t.Fatal(err)
			}
			if _, err := env.Sys.Worker.Reconcile(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	settle()
	check("re-enqueued", once, nil)
	runs1, wrote1 = compileRuns(t, log1.String())
	runs2, wrote2 = compileRuns(t, log2.String())
	t.Logf("re-enqueued from both processes: %d more compile runs, %d more versions written", sum(runs1)+sum(runs2)-burstRuns, sum(wrote1)+sum(wrote2)-n)

	// A redelivered compile: a VOG change bumps the revision (and the API
	// enqueues it) while both processes also run the same task directly.
	on := time.Now().Format(time.DateOnly)
	raced := map[string]bool{}
	for i, c := range cands[:recompile] {
		raced[c.id] = true
		api := envs[i%2]
		var wg sync.WaitGroup
		api.Must(200, "PUT", v1+"/candidates/"+c.id+"/vog", p.c1, map[string]any{"status": "aangevraagd", "requested_on": on})
		k, err := e.Sys.Store.Candidate(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		task, _ := worker.NewProfileCompileTask(c.id, k.Revision)
		for _, env := range envs {
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := env.Sys.Worker.HandleProfileCompile(ctx, task); err != nil {
						t.Errorf("redelivered compile: %v", err)
					}
				}()
			}
		}
		wg.Wait()
	}
	settle()
	// A recompile of a profiled file writes a version and an audit event
	// but sends no new profile-ready mail.
	check("redelivered recompile", compileEffects{versions: 2, current: 1, audits: 2, ready: 2, readyMails: 2, receipts: 1}, raced)
	notRaced := map[string]bool{}
	for _, c := range cands[recompile:] {
		notRaced[c.id] = true
	}
	check("untouched", once, notRaced)
	if bad, err := e.Sys.Store.VerifyAudit(ctx, p.pid); err != nil || bad != 0 {
		t.Fatalf("audit chain broken at %d (%v) after two writers", bad, err)
	}
}

// TestTwoWorkersPurgeOnce: the hourly retention purge may run in several
// worker replicas at once; each file is deleted once, with one audit
// event, and neither run fails because the other was first.
func TestTwoWorkersPurgeOnce(t *testing.T) {
	for _, m := range []struct {
		name string
		opt  apptest.Option
	}{
		{"embedded", apptest.Embedded()},
		{"server", apptest.Server()},
	} {
		t.Run(m.name, func(t *testing.T) {
			const n = 12
			ctx := context.Background()
			ck := &clock{}
			e := apptest.Start(t, m.opt, apptest.WithClock(ck.Now))
			e2 := e.Second(apptest.WithClock(ck.Now))
			p := newParty(t, e, time.Now().Add(30*24*time.Hour))
			ids := make([]string, n)
			for i := range ids {
				ids[i] = p.invite(t, "K", fmt.Sprintf("w%02d@replica.nl", i))
				c, err := e.Sys.Store.Candidate(ctx, ids[i])
				if err != nil {
					t.Fatal(err)
				}
				if err := e.Sys.Store.Withdraw(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			ck.Set(time.Now().Add(29 * 24 * time.Hour)) // past the 28 days for withdrawn files
			var wg sync.WaitGroup
			var mu sync.Mutex
			purged := 0
			for range 3 {
				for _, env := range []*apptest.Env{e, e2} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						k, err := env.Sys.Store.PurgeDue(ctx)
						if err != nil {
							t.Errorf("purge: %v", err)
						}
						mu.Lock()
						purged += k
						mu.Unlock()
					}()
				}
			}
			wg.Wait()
			if purged != n {
				t.Errorf("%d files purged in all, want %d", purged, n)
			}
			for _, id := range ids {
				if _, err := e.Sys.Store.Candidate(ctx, id); !errors.Is(err, models.ErrNotFound) {
					t.Errorf("%s still there: %v", id, err)
				}
				evs, err := e.Sys.Store.AuditEvents(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				deletes := 0
				for _, ev := range evs {
					if strings.HasPrefix(ev.Action, "candidate.delete") {
						deletes++
					}
				}
				if deletes != 1 {
					t.Errorf("%s: %d delete events, want 1", id, deletes)
				}
			}
			if bad, err := e.Sys.Store.VerifyAudit(ctx, p.pid); err != nil || bad != 0 {
				t.Fatalf("audit chain broken at %d (%v)", bad, err)
			}
		})
	}
}
