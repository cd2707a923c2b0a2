package worker_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/worker"
)

// submitted brings one candidate to "submitted" without any worker running
// and returns the system and the candidate id.
func submitted(t *testing.T, opts ...apptest.Option) (*apptest.Env, string) {
	t.Helper()
	e := apptest.Start(t, opts...)
	return e, submit(t, e, true)
}

// submit walks a candidate to "submitted" (the submit writes the compile
// to the outbox; the system's relay queues it); enqueue also queues it
// directly, as a duplicate.
func submit(t *testing.T, e *apptest.Env, enqueue bool) string {
	t.Helper()
	return finish(t, e, prepare(t, e), enqueue)
}

// prepare brings a candidate to a complete, unsubmitted questionnaire.
func prepare(t *testing.T, e *apptest.Env) *models.Candidate {
	t.Helper()
	return prepareIn(t, e, "", "k@test.nl")
}

// prepareIn does so in round rid (a new party and round when empty).
func prepareIn(t *testing.T, e *apptest.Env, rid, email string) *models.Candidate {
	t.Helper()
	ctx := context.Background()
	st := e.Sys.Store
	admin := models.Actor{ID: "test", Role: models.RoleAdmin}
	var r *models.Round
	if rid == "" {
		p, err := st.CreateParty(ctx, admin, "P")
		if err != nil {
			t.Fatal(err)
		}
		if r, err = st.CreateRound(ctx, admin, p.ID, models.NewRound{Name: "R", Office: "raadslid", Deadline: time.Now().Add(30 * 24 * time.Hour), QuestionnaireID: "weerbaarheidsscan"}); err != nil {
			t.Fatal(err)
		}
	} else {
		var err error
		if r, err = st.Round(ctx, rid); err != nil {
			t.Fatal(err)
		}
	}
	c, err := st.Invite(ctx, admin, r, "K", email)
	if err != nil {
		t.Fatal(err)
	}

	if err != nil {
		t.Fatal(err)
	}
	var token string
	if err := st.IssueInvitation(ctx, c.ID, 1, func(mc *models.MailContext) error {
		token = mc.Token
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, c, err = st.AcceptInvitation(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Consent(ctx, c, 1); err != nil {
		t.Fatal(err)
	}
	raw := map[string]json.RawMessage{}
	for k, v := range sample.Flagged() {
		raw[k], _ = json.Marshal(v)
	}
	if _, err := st.SaveAnswers(ctx, c, raw); err != nil {
		t.Fatal(err)
	}
	return c
}

func finish(t *testing.T, e *apptest.Env, c *models.Candidate, enqueue bool) string {
	t.Helper()
	ctx := context.Background()
	c, err := e.Sys.Store.Submit(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if !enqueue {
		return c.ID
	}
	// A duplicate of what the relay queues:
	if err := e.Sys.Queue.EnqueueCompile(ctx, c.ID, c.Revision); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func waitProfiled(t *testing.T, e *apptest.Env, id string, within time.Duration) *models.Candidate {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		c, err := e.Sys.Store.Candidate(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status == models.StatusProfiled {
			return c
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("candidate not profiled within %v", within)
	return nil
}

// TestWorkerKilledBetweenSubmitAndCompile: the compile task is lost (the
// worker died and Redis lost its queue); the reconciler finds the submitted
// candidate in the database and the profile still appears.
func TestWorkerKilledBetweenSubmitAndCompile(t *testing.T) {
	e, id := submitted(t)
	insp := asynq.NewInspector(e.Sys.Redis)
	defer insp.Close()
	n, err := insp.DeleteAllPendingTasks(worker.ProfilesQueue(e.Cfg.Queue))
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("expected the one compile task pending, deleted %d", n)
	}
	e.StartWorker() // its first reconcile runs at start
	c := waitProfiled(t, e, id, 5*time.Second)
	if c.Level == nil || *c.Level != "oranje" {
		t.Fatalf("level = %v", c.Level)
	}
}

// TestReconcilerTick: the process that committed the submit never relays
// its outbox (its relay is stopped: it died between the commit and the
// enqueue) while the worker runs; the periodic reconciler (every second in
// tests) relays the outbox and the profile appears.
func TestReconcilerTick(t *testing.T) {
	e := apptest.Start(t)
	c := prepare(t, e)
	e.StartWorker()
	e.Sys.StopRelay()
	id := finish(t, e, c, false)
	waitProfiled(t, e, id, 5*time.Second)
}

// TestCompileIsIdempotent: the same revision compiled twice writes one
// profile version; a VOG change writes a second.
func TestCompileIsIdempotent(t *testing.T) {
	e, id := submitted(t)
	ctx := context.Background()
	e.StartWorker()
	c := waitProfiled(t, e, id, 5*time.Second)
	// Enqueue the same revision again and run the handler directly too.
	if err := e.Sys.Queue.EnqueueCompile(ctx, id, c.Revision); err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(map[string]any{"candidate_id": id, "revision": c.Revision})
	if err := e.Sys.Worker.HandleProfileCompile(ctx, asynq.NewTask("profile:compile", payload)); err != nil {
		t.Fatal(err)
	}
	compilesDone(t, e)
	if n := countProfiles(t, e, id); n != 1 {
		t.Fatalf("%d profile versions after duplicate compiles, want 1", n)
	}
	on := time.Now().Format("2006-01-02")
	com := models.Actor{ID: "x", Role: models.RoleCommissie}
	if _, _, err := e.Sys.Store.SetVOG(ctx, com, c, models.VOGInput{Status: "aangevraagd", RequestedOn: &on}); err != nil {
		t.Fatal(err)
	}
	_, c, err := e.Sys.Store.SetVOG(ctx, com, c, models.VOGInput{Status: "voornemen_tot_weigering"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Sys.Queue.EnqueueCompile(ctx, id, c.Revision); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		p, _, err := e.Sys.Store.Profile(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if p.Domains["vog"].Level == "rood" && p.Overall == "rood" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("VOG change did not recompile: vog=%s overall=%s", p.Domains["vog"].Level, p.Overall)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The "aangevraagd" compile may be superseded before it runs.
	if n := countProfiles(t, e, id); n != 2 && n != 3 {
		t.Fatalf("%d profile versions, want 2 or 3", n)
	}
}

// compilesDone waits until no compile is left: none in the outbox and
// none on the profiles queue.
func compilesDone(t *testing.T, e *apptest.Env) {
	t.Helper()
	insp := asynq.NewInspector(e.Sys.Redis)
	defer insp.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ts, err := e.Sys.Store.OutboxTasks(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		left := 0
		for _, task := range ts {
			if task.Type == worker.TypeProfileCompile {
				left++
			}
		}
		qi, err := insp.GetQueueInfo(worker.ProfilesQueue(e.Cfg.Queue))
		if err == nil {
			left += qi.Pending + qi.Active + qi.Retry + qi.Scheduled
		} else if !errors.Is(err, asynq.ErrQueueNotFound) {
			t.Fatal(err)
		}
		if left == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d compiles still waiting", left)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestBadPayloadIsNotRetried: a malformed task is skipped, not retried.
func TestBadPayloadIsNotRetried(t *testing.T) {
	e := apptest.Start(t)
	err := e.Sys.Worker.HandleProfileCompile(context.Background(), asynq.NewTask("profile:compile", []byte("{")))
	if err == nil || !errorsIsSkip(err) {
		t.Fatalf("want SkipRetry, got %v", err)
	}
}
