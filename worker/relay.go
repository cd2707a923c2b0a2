package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/weerbaar/weerbaar/models"
)

// Relay moves the task outbox (models/outbox.go) to asynq under the tasks'
// own TaskIDs. A task stays in the outbox until it has done its work, so a
// row that was queued is queued again once its lease runs out: a Redis that
// lost its queue, or a process that died before or after queueing, loses
// nothing, and a task still queued makes the second enqueue a no-op (its
// TaskID). Every API and worker process runs one; on PostgreSQL they claim
// disjoint rows (FOR UPDATE SKIP LOCKED).
type Relay struct {
	store *models.Store
	queue *Queue
	log   *slog.Logger
	// Lease is how long a queued task may take before it is queued again.
	Lease time.Duration
	// Poll is how often Run looks for rows besides being woken by a commit
	// of this process (rows of other processes, leases that ran out).
	Poll time.Duration
	// Batch is how many rows one claim takes.
	Batch int
}

// NewRelay wires a relay; lease <= 0 means 30 seconds.
func NewRelay(store *models.Store, queue *Queue, log *slog.Logger, lease time.Duration) *Relay {
	if lease <= 0 {
		lease = 30 * time.Second
	}
	return &Relay{store: store, queue: queue, log: log, Lease: lease, Poll: min(time.Second, lease), Batch: 200}
}

// Run relays until ctx ends: at once after this process committed outbox
// rows, and every Poll.
func (r *Relay) Run(ctx context.Context) {
	t := time.NewTicker(r.Poll)
	defer t.Stop()
	for {
		if _, err := r.Flush(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("outbox relay: tasks not queued yet; trying again", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-r.store.Wake():
		case <-t.C:
		}
	}
}

// Flush queues every outbox task that is due and returns how many it queued.
func (r *Relay) Flush(ctx context.Context) (int, error) {
	return r.flush(ctx, func() time.Time { return r.store.Now() })
}

// FlushAll queues every outbox task now, leased or not (a restart: the
// queue may have been lost with the process that held it).
func (r *Relay) FlushAll(ctx context.Context) (int, error) {
	// Rows claimed from here on are due after start+Lease: not again.
	cutoff := r.store.Now().Add(r.Lease - time.Millisecond)
	return r.flush(ctx, func() time.Time { return cutoff })
}

func (r *Relay) flush(ctx context.Context, before func() time.Time) (int, error) {
	n := 0
	for {
		ts, err := r.store.ClaimTasks(ctx, before(), r.Batch, r.Lease)
		if err != nil {
			return n, err
		}
		for i, t := range ts {
			if err := r.enqueue(ctx, t); err != nil {
				// The queue refused (Redis down?): this and the rest of the
				// batch are due again soon.
				ids := make([]string, 0, len(ts)-i)
				for _, rest := range ts[i:] {
					ids = append(ids, rest.TaskID)
				}
				if rerr := r.store.RetryTasks(context.WithoutCancel(ctx), ids, r.store.Now().Add(r.Poll)); rerr != nil {
					r.log.Warn("outbox relay: could not hand back tasks (their lease runs out instead)", "error", rerr.Error())
				}
				return n, err
			}
			n++
		}
		if len(ts) < r.Batch {
			return n, nil
		}
	}
}

// enqueue queues one outbox task with the options its constructor gives it
// (TaskID, queue, retries).
func (r *Relay) enqueue(ctx context.Context, t models.OutboxTask) error {
	switch t.Type {
	case models.TaskCompile:
		var p CompilePayload
		if err := json.Unmarshal([]byte(t.Payload), &p); err != nil || p.CandidateID == "" {
			return r.drop(ctx, t, err)
		}
		return r.queue.EnqueueCompile(ctx, p.CandidateID, p.Revision)
	case models.TaskMail:
		var p MailPayload
		if err := json.Unmarshal([]byte(t.Payload), &p); err != nil || p.Kind == "" {
			return r.drop(ctx, t, err)
		}
		return r.queue.EnqueueMail(ctx, p)
	}
	// A type of a newer version: left for a process that knows it.
	r.log.Warn("outbox relay: unknown task type; left in the outbox", "type", t.Type)
	return nil
}

// drop removes a row that can never run (its payload does not decode).
func (r *Relay) drop(ctx context.Context, t models.OutboxTask, err error) error {
	r.log.Error("outbox relay: undecodable task removed", "type", t.Type, "error", fmt.Sprint(err))
	return r.store.TaskDone(ctx, t.TaskID)
}
