package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/weerbaar/weerbaar/mail"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
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

// CompileProfile runs the compile use case (screening.Service.Compile) for
// a candidate's revision; the benchmark seed and tests call it directly.
func CompileProfile(ctx context.Context, s *models.Store, candidateID string, revision int) (*models.CompileInput, bool, error) {
	return screening.New(s).Compile(ctx, candidateID, revision)
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
