// Package worker holds the asynq task types, their handlers, the outbox
// relay, the periodic reconciler and the embedded Redis for all-in-one mode.
package worker

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/hibiken/asynq"

	"github.com/weerbaar/weerbaar/models"
)

// Task types.
const (
	TypeProfileCompile = models.TaskCompile
	TypeReconcile      = "system:reconcile"
)

// CompilePayload names the candidate and the revision to compile.
type CompilePayload = models.CompilePayload

// NewProfileCompileTask compiles one revision of a candidate's file; the
// TaskID makes a second enqueue of the same revision a no-op.
func NewProfileCompileTask(candidateID string, revision int) (*asynq.Task, []asynq.Option) {
	b, _ := json.Marshal(CompilePayload{CandidateID: candidateID, Revision: revision})
	return asynq.NewTask(TypeProfileCompile, b), []asynq.Option{
		asynq.TaskID(models.CompileTaskID(candidateID, revision)), asynq.MaxRetry(10),
	}
}

// NewReconcileTask relays the outbox and anchors the audit chains.
func NewReconcileTask() *asynq.Task { return asynq.NewTask(TypeReconcile, nil) }

// Queue enqueues tasks on one asynq queue. It is what the API holds.
type Queue struct {
	client *asynq.Client
	name   string
}

// NewQueue wraps a client; name is the asynq queue ("default" in production,
// a unique name per test on a shared Redis).
func NewQueue(client *asynq.Client, name string) *Queue {
	if name == "" {
		name = "default"
	}
	return &Queue{client: client, name: name}
}

// ProfilesQueue is the queue of the profile compiles beside queue: the
// worker serves it five times as often as the mail queue, so that a burst
// of submits (each also queueing three mails) gets its profiles first.
func ProfilesQueue(queue string) string { return queue + "-profiles" }

func (q *Queue) enqueue(ctx context.Context, t *asynq.Task, opts []asynq.Option) error {
	return q.enqueueOn(ctx, q.name, t, opts)
}

func (q *Queue) enqueueOn(ctx context.Context, queue string, t *asynq.Task, opts []asynq.Option) error {
	_, err := q.client.EnqueueContext(ctx, t, append(opts, asynq.Queue(queue))...)
	if errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask) {
		return nil
	}
	return err
}

// EnqueueCompile asks for a profile compile of revision.
func (q *Queue) EnqueueCompile(ctx context.Context, candidateID string, revision int) error {
	t, opts := NewProfileCompileTask(candidateID, revision)
	return q.enqueueOn(ctx, ProfilesQueue(q.name), t, opts)
}
