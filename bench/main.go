// Command bench seeds national-scale data (100,000 candidates over 500
// parties) and measures Weerbaar's hot paths against baselines measured in
// the same run on the same machine: pgbench -N on the same PostgreSQL, a
// no-op asynq task on the same Redis, and a bare loop over the compiled
// rules. `make bench` runs it; see the README's "Prestaties" section.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// options are the command-line flags.
type options struct {
	Mode        string // server, embedded or both
	DatabaseURL string
	RedisURL    string
	Parties     int
	Candidates  int
	Duration    time.Duration
	Out         string
	Work        string // cache dir: built binary, master key, embedded data
	Quick       bool   // small and short: the smoke test
	Fresh       bool   // drop the seeded data set first
}

func main() {
	var o options
	flag.StringVar(&o.Mode, "mode", "both", "server (PostgreSQL + Redis), embedded (SQLite + in-process Redis) or both")
	flag.StringVar(&o.DatabaseURL, "db", "postgres://postgres@127.0.0.1:5432/weerbaar_bench?sslmode=disable", "PostgreSQL database for the data set (created when missing)")
	flag.StringVar(&o.RedisURL, "redis", "redis://127.0.0.1:6379/14", "Redis database for the benchmark (flushed at the start)")
	flag.IntVar(&o.Parties, "parties", 500, "parties in the server data set (embedded: a tenth)")
	flag.IntVar(&o.Candidates, "candidates", 100000, "candidates in the server data set (embedded: a tenth)")
	flag.DurationVar(&o.Duration, "duration", 15*time.Second, "length of each load scenario")
	flag.StringVar(&o.Out, "out", "bench/RESULTS.md", "where to write the results table")
	flag.StringVar(&o.Work, "work", "", "work directory (default: the user cache dir)")
	flag.BoolVar(&o.Quick, "quick", false, "a small data set and short scenarios (smoke test)")
	flag.BoolVar(&o.Fresh, "fresh", false, "seed the data set anew")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	rep, err := run(ctx, o, log)
	if err != nil {
		log.Error("bench failed", "error", err.Error())
		os.Exit(1)
	}
	fmt.Print(rep.Markdown())
	if o.Out != "" {
		if err := os.WriteFile(o.Out, []byte(rep.Markdown()), 0o644); err != nil {
			log.Error("writing results", "error", err.Error())
			os.Exit(1)
		}
	}
}

func run(ctx context.Context, o options, log *slog.Logger) (*report, error) {
	if o.Work == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		o.Work = filepath.Join(dir, "weerbaar-bench")
	}
	if err := os.MkdirAll(o.Work, 0o700); err != nil {
		return nil, err
	}
	if o.Quick {
		o.Parties, o.Candidates, o.Duration = 5, 1200, 2*time.Second
	}
	rep := &report{Started: time.Now(), Quick: o.Quick}
	rep.Machine = machine()
	bin := filepath.Join(o.Work, "weerbaar")
	log.Info("building the binary", "path", bin)
	if err := build(ctx, bin); err != nil {
		return nil, err
	}
	log.Info("Evaluate against the bare rule loop")
	if err := evaluateBench(ctx, rep, o.Quick); err != nil {
		return nil, err
	}
	if o.Mode == "server" || o.Mode == "both" {
		if err := serverRun(ctx, o, bin, rep, log); err != nil {
			return nil, fmt.Errorf("server mode: %w", err)
		}
	}
	if o.Mode == "embedded" || o.Mode == "both" {
		if err := embeddedRun(ctx, o, bin, rep, log); err != nil {
			return nil, fmt.Errorf("embedded mode: %w", err)
		}
	}
	rep.Took = time.Since(rep.Started)
	return rep, nil
}

func machine() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	model, cores := "", 0
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok {
			switch strings.TrimSpace(k) {
			case "model name":
				model = strings.TrimSpace(v)
			case "processor":
				cores++
			}
		}
	}
	return fmt.Sprintf("%d × %s", cores, model)
}
