package worker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/weerbaar/weerbaar/mail"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// Worker runs the task handlers.
type Worker struct {
	store   *models.Store
	queue   *Queue
	log     *slog.Logger
	baseURL string
	from    string
}

// New wires a Worker.
func New(store *models.Store, queue *Queue, log *slog.Logger, baseURL string) *Worker {
	return &Worker{store: store, queue: queue, log: log, baseURL: baseURL}
}

// Mux registers every handler.
func (w *Worker) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(TypeProfileCompile, w.HandleProfileCompile)
	mux.HandleFunc(TypeInvitationSend, w.HandleInvitationSend)
	mux.HandleFunc(TypeReconcile, w.HandleReconcile)
	return mux
}

// ServerConfig is the asynq server configuration for this worker.
func ServerConfig(queue string, concurrency int, log *slog.Logger) asynq.Config {
	if concurrency <= 0 {
		concurrency = 10
	}
	return asynq.Config{
		Concurrency:     concurrency,
		Queues:          map[string]int{queue: 1},
		Logger:          slogAdapter{log.With("component", "asynq")},
		LogLevel:        asynq.WarnLevel,
		ShutdownTimeout: 20 * time.Second,
		// Poll an empty queue often: a submitted profile should be ready in well
		// under a second (one cheap Redis call per interval per worker).
		TaskCheckInterval:        50 * time.Millisecond,
		DelayedTaskCheckInterval: time.Second,
		RetryDelayFunc: func(n int, err error, t *asynq.Task) time.Duration {
			d := time.Duration(1<<min(n, 8)) * time.Second
			return min(d, 5*time.Minute)
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
	in, err := w.store.CompileInput(ctx, p.CandidateID)
	if errors.Is(err, models.ErrNotFound) {
		return nil // deleted meanwhile
	}
	if err != nil {
		return err
	}
	if in.Candidate.Revision != p.Revision {
		return nil // superseded: the task for the newer revision does the work
	}
	prof, hash, err := Compile(in, w.store.Now())
	if err != nil {
		return fmt.Errorf("evaluate: %w", err)
	}
	wrote, err := w.store.SaveProfile(ctx, p.CandidateID, p.Revision, prof, in.Answers, hash)
	if errors.Is(err, models.ErrStale) {
		return nil
	}
	var te *models.TransitionError
	if errors.As(err, &te) {
		return nil
	}
	if err != nil {
		return err
	}
	w.log.Info("profile compiled", "candidate", p.CandidateID, "revision", p.Revision, "new_version", wrote, "ms", time.Since(start).Milliseconds())
	return nil
}

// Compile runs the pure evaluation and hashes its inputs.
func Compile(in *models.CompileInput, now time.Time) (questionnaires.Profile, string, error) {
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
	_ = enc.Encode(map[string]any{
		"q": in.Def.ID, "v": in.Def.Version, "office": in.Round.Office, "answers": in.Answers, "vog": vog,
		"deadline_passed": !in.Round.Deadline.IsZero() && in.Round.Deadline.Before(now),
		"vog_expired":     vog != nil && vog.IssuedOn != nil && now.Sub(*vog.IssuedOn) > time.Duration(in.Party.MaxVOGAgeDays)*24*time.Hour,
	})
	return prof, hex.EncodeToString(h.Sum(nil)), nil
}

// HandleInvitationSend creates the invitation token and mails the link.
func (w *Worker) HandleInvitationSend(ctx context.Context, t *asynq.Task) error {
	var p InvitationPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.CandidateID == "" {
		return fmt.Errorf("bad payload: %v: %w", err, asynq.SkipRetry)
	}
	err := w.store.IssueInvitation(ctx, p.CandidateID, p.Seq, func(txs *models.Store, c *models.Candidate, r *models.Round, party *models.Party, token string, exp time.Time) error {
		m := mail.Invitation(party.Name, c.Name, r.Name, w.baseURL+"/uitnodiging/"+token, exp)
		m.To = c.Email
		return Deliver(ctx, txs, m)
	})
	if errors.Is(err, models.ErrAlreadySent) || errors.Is(err, models.ErrNotFound) {
		return nil
	}
	if err == nil {
		w.log.Info("invitation sent", "candidate", p.CandidateID, "seq", p.Seq)
	}
	return err
}

// Deliver sends a mail. Until SMTP exists every mail goes to the dev outbox
// in the database (inside the caller's transaction).
func Deliver(ctx context.Context, txs *models.Store, m mail.Message) error {
	return txs.AddOutboxMail(ctx, m.To, m.Subject, m.Text)
}

// HandleReconcile re-enqueues what the database says is due, so Redis never
// holds the only copy of any work.
func (w *Worker) HandleReconcile(ctx context.Context, _ *asynq.Task) error {
	n, err := w.Reconcile(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.log.Info("reconciler re-enqueued work", "tasks", n)
	}
	return nil
}

// Reconcile enqueues due compiles and unsent invitations; it returns how
// many tasks it enqueued (duplicates of queued tasks are no-ops).
func (w *Worker) Reconcile(ctx context.Context) (int, error) {
	n := 0
	cs, err := w.store.DueCompiles(ctx, 1000)
	if err != nil {
		return n, err
	}
	for _, c := range cs {
		if err := w.queue.EnqueueCompile(ctx, c.ID, c.Revision); err != nil {
			return n, err
		}
		n++
	}
	is, err := w.store.DueInvitations(ctx, 1000)
	if err != nil {
		return n, err
	}
	for _, c := range is {
		if err := w.queue.EnqueueInvitation(ctx, c.ID, c.InviteSeq); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Scheduler runs the reconciler periodically; Unique keeps several
// schedulers (replicas) from piling up the same reconcile task.
func Scheduler(redis asynq.RedisConnOpt, queue string, every time.Duration, log *slog.Logger) (*asynq.Scheduler, error) {
	s := asynq.NewScheduler(redis, &asynq.SchedulerOpts{Location: time.UTC, Logger: slogAdapter{log.With("component", "scheduler")}, LogLevel: asynq.WarnLevel})
	_, err := s.Register(fmt.Sprintf("@every %s", every), NewReconcileTask(), asynq.Queue(queue), asynq.Unique(every), asynq.MaxRetry(0))
	return s, err
}
