package main

import (
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hibiken/asynq"
)

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+)`)

// pgbenchTPS runs `pgbench -N` (the simple-update script: no contention on
// the branches table, like our autosaves on separate candidates) against a
// scratch database on the same PostgreSQL server as dsn.
func pgbenchTPS(ctx context.Context, dsn string, clients int, d time.Duration) (float64, string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return 0, "", err
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "5432"
	}
	user := u.User.Username()
	db := "weerbaar_pgbench"
	if err := ensureDatabase(ctx, dsn, db); err != nil {
		return 0, "", err
	}
	args := []string{"-h", host, "-p", port, "-U", user}
	if out, err := exec.CommandContext(ctx, "pgbench", append(args, "-i", "-q", "-s", "10", db)...).CombinedOutput(); err != nil {
		return 0, "", fmt.Errorf("pgbench -i: %v: %s", err, out)
	}
	cmdline := append(args, "-N", "-c", strconv.Itoa(clients), "-j", "2", "-T", strconv.Itoa(int(d.Seconds())), db)
	out, err := exec.CommandContext(ctx, "pgbench", cmdline...).CombinedOutput()
	if err != nil {
		return 0, "", fmt.Errorf("pgbench: %v: %s", err, out)
	}
	m := tpsLine.FindSubmatch(out)
	if m == nil {
		return 0, "", fmt.Errorf("pgbench: no tps in %s", out)
	}
	tps, err := strconv.ParseFloat(string(m[1]), 64)
	return tps, "pgbench " + strings.Join(cmdline[4:], " "), err
}

// noopTaskRate is the throughput of an asynq task that does nothing, on the
// same Redis and with the worker's concurrency: the ceiling of any task.
func noopTaskRate(ctx context.Context, opt asynq.RedisConnOpt, n, concurrency int) (float64, error) {
	queue := fmt.Sprintf("bench-noop-%d", time.Now().UnixNano())
	cli := asynq.NewClient(opt)
	defer cli.Close()
	for i := range n {
		if _, err := cli.EnqueueContext(ctx, asynq.NewTask("bench:noop", []byte(strconv.Itoa(i))), asynq.Queue(queue), asynq.MaxRetry(0)); err != nil {
			return 0, err
		}
	}
	var done atomic.Int64
	all := make(chan struct{})
	srv := asynq.NewServer(opt, asynq.Config{Concurrency: concurrency, Queues: map[string]int{queue: 1}, TaskCheckInterval: 10 * time.Millisecond,
		LogLevel: asynq.ErrorLevel})
	mux := asynq.NewServeMux()
	mux.HandleFunc("bench:noop", func(context.Context, *asynq.Task) error {
		if done.Add(1) == int64(n) {
			close(all)
		}
		return nil
	})
	start := time.Now()
	if err := srv.Start(mux); err != nil {
		return 0, err
	}
	defer srv.Shutdown()
	select {
	case <-all:
	case <-time.After(2 * time.Minute):
		return 0, fmt.Errorf("no-op tasks: %d of %d done after 2 min", done.Load(), n)
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	rate := float64(n) / time.Since(start).Seconds()
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	_, _ = insp.DeleteAllCompletedTasks(queue)
	_ = insp.DeleteQueue(queue, true)
	return rate, nil
}
