package worker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/weerbaar/weerbaar/mail"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/network"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// Worker runs the task handlers.
type Worker struct {
	store  *models.Store
	queue  *Queue
	log    *slog.Logger
	sender mail.Sender
	links  Links
	// Relay moves the outbox to the queue.
	Relay *Relay
}

// New wires a Worker; sender delivers mail (SMTP, or the dev outbox);
// lease is how long a queued outbox task may take before it is queued again.
func New(store *models.Store, queue *Queue, log *slog.Logger, sender mail.Sender, baseURL string, lease time.Duration) *Worker {
	return &Worker{store: store, queue: queue, log: log, sender: sender, links: Links{Base: baseURL}, Relay: NewRelay(store, queue, log, lease)}
}

// Mux registers every handler.
func (w *Worker) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(TypeProfileCompile, w.HandleProfileCompile)
	mux.HandleFunc(TypeMailSend, w.HandleMailSend)
	mux.HandleFunc(TypeRemindersScan, w.HandleRemindersScan)
	mux.HandleFunc(TypeExpireScan, w.HandleExpireScan)
	mux.HandleFunc(TypeRetention, w.HandleRetention)
	mux.HandleFunc(TypeReconcile, w.HandleReconcile)
	return mux
}

// ServerConfig is the asynq server configuration for this worker; retries
// back off exponentially from retryBase up to 10 minutes.
func ServerConfig(queue string, concurrency int, retryBase time.Duration, log *slog.Logger) asynq.Config {
	if retryBase <= 0 {
		retryBase = time.Second
	}
	if concurrency <= 0 {
		concurrency = 10
	}
	return asynq.Config{
		Concurrency:     concurrency,
		Queues:          map[string]int{ProfilesQueue(queue): 5, queue: 1},
		Logger:          slogAdapter{log.With("component", "asynq")},
		LogLevel:        asynq.WarnLevel,
		ShutdownTimeout: 20 * time.Second,
		// Poll an empty queue often: a submitted profile should be ready in well
		// under a second (one cheap Redis call per interval per worker).
		TaskCheckInterval:        50 * time.Millisecond,
		DelayedTaskCheckInterval: time.Second,
		RetryDelayFunc: func(n int, err error, t *asynq.Task) time.Duration {
			d := retryBase * time.Duration(1<<min(n, 12))
			return min(d, 10*time.Minute)
		},
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			// Payloads hold only ids, but errors are logged without them anyway.
			log.Warn("task failed", "type", t.Type(), "error", err.Error())
		}),
	}
}

// HandleProfileCompile evaluates the candidate's answers into a profile.
func (w *Worker) HandleProfileCompile(ctx context.Context, t *asynq.Task) error {
	var p CompilePayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.CandidateID == "" {
		return fmt.Errorf("bad payload: %v: %w", err, asynq.SkipRetry)
	}
	start := time.Now()
	in, wrote, err := CompileProfile(ctx, w.store, p.CandidateID, p.Revision)
	if err != nil || in == nil {
		return err
	}
	w.log.Info("profile compiled", "candidate", p.CandidateID, "revision", p.Revision, "new_version", wrote, "ms", time.Since(start).Milliseconds())
	return nil
}

// CompileProfile evaluates a candidate's revision and stores the profile
// and network, in one transaction (models.Store.CompileRevision). It
// returns a nil input when there is nothing to do (deleted, superseded or
// moved on meanwhile) and whether a new profile version was written. The
// benchmark seed calls it directly. The compile's outbox task is done with
// the same transaction, or when there is nothing to do.
func CompileProfile(ctx context.Context, s *models.Store, candidateID string, revision int) (*models.CompileInput, bool, error) {
	return s.CompileRevision(ctx, candidateID, revision, func(in *models.CompileInput) (*models.Compiled, error) {
		// Answers hidden by show_if are not part of the submission: no flag,
		// excerpt, stored version or network may come from them.
		in.Answers = models.VisibleAnswers(in.Def, in.Answers)
		// Encoded once: for the input hash and for the profile's copy.
		ansJSON, err := json.Marshal(in.Answers)
		if err != nil {
			return nil, err
		}
		prof, hash, err := compile(in, s.Now(), ansJSON)
		if err != nil {
			return nil, fmt.Errorf("evaluate: %w", err)
		}
		return &models.Compiled{Profile: prof, InputHash: hash, Answers: in.Answers, AnswersJSON: ansJSON, Network: Network(in)}, nil
	})
}

// Network extracts the organisations from the visible answers (the
// netwerkkaart and overlaps).
func Network(in *models.CompileInput) []network.Org {
	visible := in.Def.Visible(in.Answers)
	ans := questionnaires.Answers{}
	for k, v := range in.Answers {
		if visible[k] {
			ans[k] = v
		}
	}
	return network.Extract(ans)
}

// SaveNetwork stores the organisations of the visible answers with their
// index rows in a transaction of its own (the demo seed, tests; the worker
// stores them with the profile, see CompileProfile).
func SaveNetwork(ctx context.Context, s *models.Store, in *models.CompileInput) error {
	return s.SaveNetwork(ctx, in.Candidate, Network(in))
}

// Compile runs the pure evaluation and hashes its inputs.
func Compile(in *models.CompileInput, now time.Time) (questionnaires.Profile, string, error) {
	return compile(in, now, nil)
}

// compile is Compile with the answers already encoded as json.Marshal
// encodes them (nil: encode them here); the hash is the same either way.
func compile(in *models.CompileInput, now time.Time, ansJSON []byte) (questionnaires.Profile, string, error) {
	ectx := questionnaires.Context{Office: in.Round.Office, Deadline: in.Round.Deadline, Now: now, MaxVOGAgeDays: in.Party.MaxVOGAgeDays}
	var vog *questionnaires.VOG
	if in.VOG != nil {
		vog = &questionnaires.VOG{Status: in.VOG.Status}
		if in.VOG.IssuedOn != nil {
			if d, err := time.Parse(time.DateOnly, *in.VOG.IssuedOn); err == nil {
				vog.IssuedOn = &d
			}
		}
	}
	prof, err := questionnaires.Evaluate(in.Def, in.Answers, vog, ectx)
	if err != nil {
		return prof, "", err
	}
	// Time-dependent rules are folded in through their derived booleans, so a
	// passing deadline also produces a new input hash.
	h := sha256.New()
	enc := json.NewEncoder(h)
	var answers any = in.Answers
	if ansJSON != nil {
		answers = json.RawMessage(ansJSON)
	}
	_ = enc.Encode(map[string]any{
		"q": in.Def.ID, "v": in.Def.Version, "office": in.Round.Office, "answers": answers, "vog": vog,
		"deadline_passed": !in.Round.Deadline.IsZero() && in.Round.Deadline.Before(now),
		"vog_expired":     vog != nil && vog.IssuedOn != nil && now.Sub(*vog.IssuedOn) > time.Duration(in.Party.MaxVOGAgeDays)*24*time.Hour,
	})
	return prof, hex.EncodeToString(h.Sum(nil)), nil
}

// HandleReconcile relays the outbox tasks that are due (a lease that ran
// out: Redis lost the task, or the process that queued it died) and anchors
// the audit chains.
func (w *Worker) HandleReconcile(ctx context.Context, _ *asynq.Task) error {
	n, err := w.Reconcile(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.log.Info("reconciler queued outbox tasks", "tasks", n)
	}
	return nil
}

// Reconcile queues the outbox tasks that are due and anchors the audit
// chains; it returns how many tasks it queued (duplicates of queued tasks
// are no-ops). Every follow-up of a state change has its outbox row, so
// there is nothing left to guess from the database: the reminders and
// expiry are the scheduled scans (time-based, no state change causes them).
func (w *Worker) Reconcile(ctx context.Context) (int, error) {
	n, err := w.Relay.Flush(ctx)
	if err != nil {
		return n, err
	}
	// Last, so that a key store that is down delays no other work: anchor
	// the audit chains' heads in the key store (a read of the party rows);
	// deleting events later then fails verification.
	return n, w.store.AnchorAudit(ctx)
}

// Scheduler runs the reconciler, the reminder scan and the expiry scan
// periodically; Unique keeps several schedulers (replicas) from piling up
// the same periodic task, and the mails' TaskIDs and delivery rows keep a
// reminder from going out twice.
func Scheduler(redis asynq.RedisConnOpt, queue string, reconcileEvery, scanEvery time.Duration, log *slog.Logger) (*asynq.Scheduler, error) {
	s := asynq.NewScheduler(redis, &asynq.SchedulerOpts{Location: time.UTC, Logger: slogAdapter{log.With("component", "scheduler")}, LogLevel: asynq.WarnLevel})
	for _, e := range []struct {
		every time.Duration
		task  *asynq.Task
	}{
		{reconcileEvery, NewReconcileTask()},
		{scanEvery, asynq.NewTask(TypeRemindersScan, nil)},
		{scanEvery, asynq.NewTask(TypeExpireScan, nil)},
		{time.Hour, asynq.NewTask(TypeRetention, nil)},
	} {
		if _, err := s.Register(fmt.Sprintf("@every %s", e.every), e.task, asynq.Queue(queue), asynq.Unique(e.every), asynq.MaxRetry(0)); err != nil {
			return nil, err
		}
	}
	return s, nil
}
