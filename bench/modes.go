package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/weerbaar/weerbaar/app"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/worker"
)

// moduleRoot is the repository root, so the bench runs from anywhere
// (make bench, or go test in bench/).
func moduleRoot(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil || len(out) == 0 {
		return "."
	}
	return filepath.Dir(string(out[:len(out)-1]))
}

func build(ctx context.Context, bin string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/weerbaar")
	cmd.Dir = moduleRoot(ctx)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v: %s", err, out)
	}
	return nil
}

var benchLine = regexp.MustCompile(`(?m)^Benchmark(Evaluate|BareRules)\s+\d+\s+([0-9.]+) ns/op`)

// evaluateBench runs the pure Evaluate and the bare rule loop on one core.
func evaluateBench(ctx context.Context, rep *report, quick bool) error {
	bt := "2s"
	if quick {
		bt = "200ms"
	}
	// Three rounds each, best of three: a micro-benchmark on a shared
	// machine is disturbed upwards only.
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", "^Benchmark(Evaluate|BareRules)$", "-benchtime", bt, "-count", "3", "-cpu", "1", "./questionnaires")
	cmd.Dir = moduleRoot(ctx)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go test -bench: %v: %s", err, out)
	}
	ns := map[string]float64{}
	for _, m := range benchLine.FindAllSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(string(m[2]), 64)
		if k := string(m[1]); ns[k] == 0 || v < ns[k] {
			ns[k] = v
		}
	}
	if ns["Evaluate"] == 0 || ns["BareRules"] == 0 {
		return fmt.Errorf("benchmark output without both results: %s", out)
	}
	rep.EvalPerSec, rep.BarePerSec = 1e9/ns["Evaluate"], 1e9/ns["BareRules"]
	return nil
}

// onServer runs fn with a connection to the maintenance database of dsn's
// server (CREATE and DROP DATABASE cannot run inside the target itself).
func onServer(ctx context.Context, dsn string, fn func(db *gorm.DB) error) error {
	admin, err := gorm.Open(postgres.Open(withDatabase(dsn, "postgres")), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return err
	}
	defer func() {
		if s, err := admin.DB(); err == nil {
			s.Close()
		}
	}()
	return fn(admin.WithContext(ctx))
}

// ensureDatabase creates db on dsn's server when it does not exist.
func ensureDatabase(ctx context.Context, dsn, db string) error {
	return onServer(ctx, dsn, func(admin *gorm.DB) error {
		var n int64
		if err := admin.Raw("SELECT count(*) FROM pg_database WHERE datname = ?", db).Scan(&n).Error; err != nil || n > 0 {
			return err
		}
		return admin.Exec(`CREATE DATABASE "` + db + `"`).Error
	})
}

func dropDatabase(ctx context.Context, dsn, db string) error {
	return onServer(ctx, dsn, func(admin *gorm.DB) error {
		return admin.Exec(`DROP DATABASE IF EXISTS "` + db + `" WITH (FORCE)`).Error
	})
}

// environ turns the processes' settings into KEY=value pairs.
func environ(env map[string]string) []string {
	list := make([]string, 0, len(env))
	for k, v := range env {
		list = append(list, k+"="+v)
	}
	return list
}

// masterKey returns the benchmark's own master key, kept beside the data
// set so that a cached data set stays readable; fresh reports a new key.
func masterKey(path string) (key string, fresh bool, err error) {
	if b, err := os.ReadFile(path); err == nil {
		return string(b), false, nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", false, err
	}
	key = base64.StdEncoding.EncodeToString(buf)
	return key, true, os.WriteFile(path, []byte(key), 0o600)
}

func serverRun(ctx context.Context, o options, bin string, rep *report, log *slog.Logger) error {
	dbName := databaseName(o.DatabaseURL)
	key, fresh, err := masterKey(filepath.Join(o.Work, "server-master.key"))
	if err != nil {
		return err
	}
	if fresh || o.Fresh || o.Quick {
		if err := dropDatabase(ctx, o.DatabaseURL, dbName); err != nil {
			return err
		}
	}
	if err := ensureDatabase(ctx, o.DatabaseURL, dbName); err != nil {
		return err
	}
	ropt, err := asynq.ParseRedisURI(o.RedisURL)
	if err != nil {
		return err
	}
	rdb := ropt.MakeRedisClient().(redis.UniversalClient)
	defer rdb.Close()
	if err := rdb.FlushDB(ctx).Err(); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	addr, err := freePort()
	if err != nil {
		return err
	}
	env := map[string]string{"DATABASE_URL": o.DatabaseURL, "REDIS_URL": o.RedisURL, "WEERBAAR_MASTER_KEY": key, "LISTEN_ADDR": addr,
		"BASE_URL": "http://" + addr, "REQUIRE_TOTP": "0", "LOG_FORMAT": "json", "PPROF_ADDR": os.Getenv("BENCH_PPROF_ADDR")}
	cfg, err := app.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		return err
	}
	sys, err := app.Open(ctx, cfg, log, app.Options{Migrate: true, StoreOnly: true})
	if err != nil {
		return err
	}
	defer sys.Close()
	spec := seedSpec{Parties: o.Parties, Candidates: o.Candidates, BigRound: min(500, o.Candidates/2)}
	log.Info("seeding the national data set (once; reused by later runs)", "parties", spec.Parties, "candidates", spec.Candidates)
	sd, err := seedNational(ctx, sys.Store, dbCounter{sys.DB}, spec, log)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	m := &modeResult{Mode: "server", Data: sd}
	rep.Server = m

	log.Info("baseline: pgbench -N")
	pgd := 10 * time.Second
	if o.Quick {
		pgd = 2 * time.Second
	}
	if m.PgbenchTPS, m.PgbenchCmd, err = pgbenchTPS(ctx, o.DatabaseURL, 8, pgd); err != nil {
		return err
	}
	log.Info("baseline: no-op asynq tasks")
	nNoop := 20000
	if o.Quick {
		nNoop = 2000
	}
	if m.NoopTasks, err = noopTaskRate(ctx, ropt, nNoop, cfg.WorkerConcurrency); err != nil {
		return err
	}

	fx, err := prepare(ctx, sys.Store, dbCounter{sys.DB}, sd, "http://"+addr, int(50*o.Duration.Seconds()), 2000)
	if err != nil {
		return err
	}
	list := environ(env)
	api, err := startProc(ctx, bin, "api", filepath.Join(o.Work, "server-api.log"), list, "serve")
	if err != nil {
		return err
	}
	defer api.stop()
	wk, err := startProc(ctx, bin, "worker", filepath.Join(o.Work, "server-worker.log"), list, "worker")
	if err != nil {
		return err
	}
	defer wk.stop()
	if err := waitReady(ctx, "http://"+addr, api); err != nil {
		return err
	}
	rates := loadRates{Autosave: 0.5 * m.PgbenchTPS, RoundList: 20, ProfileRead: 100, Submit: 50}
	q := worker.NewQueue(asynq.NewClient(ropt), cfg.Queue)
	if err := scenarios(ctx, m, fx, dbCounter{sys.DB}, q, rates, o.Duration, log); err != nil {
		return err
	}
	m.APIPeakMB, m.WorkerPeakMB = api.rss.peakMB(), wk.rss.peakMB()
	return nil
}

func embeddedRun(ctx context.Context, o options, bin string, rep *report, log *slog.Logger) error {
	dir := filepath.Join(o.Work, "embedded")
	if o.Fresh || o.Quick {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	addr, err := freePort()
	if err != nil {
		return err
	}
	env := map[string]string{"WEERBAAR_DATA": dir, "LISTEN_ADDR": addr, "BASE_URL": "http://" + addr, "LOG_FORMAT": "json"}
	cfg, err := app.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		return err
	}
	sys, err := app.Open(ctx, cfg, log, app.Options{Migrate: true, StoreOnly: true})
	if err != nil {
		return err
	}
	spec := seedSpec{Parties: max(o.Parties/10, 2), Candidates: o.Candidates / 10, BigRound: min(500, o.Candidates/20)}
	log.Info("seeding the embedded data set (a tenth)", "parties", spec.Parties, "candidates", spec.Candidates)
	sd, err := seedNational(ctx, sys.Store, dbCounter{sys.DB}, spec, log)
	if err != nil {
		sys.Close()
		return fmt.Errorf("seed: %w", err)
	}
	m := &modeResult{Mode: "embedded", Data: sd}
	rep.Embedded = m
	submits := int(5 * o.Duration.Seconds())
	fx, err := prepare(ctx, sys.Store, dbCounter{sys.DB}, sd, "http://"+addr, submits, 0)
	sys.Close()
	if err != nil {
		return err
	}
	p, err := startProc(ctx, bin, "all-in-one", filepath.Join(o.Work, "embedded.log"), environ(env))
	if err != nil {
		return err
	}
	defer p.stop()
	if err := waitReady(ctx, "http://"+addr, p); err != nil {
		return err
	}
	// A tenth of the server's load; the autosave rate is a tenth of the goal
	// level (0.5 × pgbench) or, without a server run, of the issue's
	// nominal 1,200 requests/s.
	goal := 1200.0
	if rep.Server != nil {
		goal = 0.5 * rep.Server.PgbenchTPS
	}
	rates := loadRates{Autosave: goal / 10, RoundList: 2, ProfileRead: 10, Submit: 5}
	// Scenarios read the database through their own handle: SQLite allows it.
	db, err := app.Open(ctx, cfg, log, app.Options{StoreOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := scenarios(ctx, m, fx, dbCounter{db.DB}, nil, rates, o.Duration, log); err != nil {
		return err
	}
	m.APIPeakMB = p.rss.peakMB()
	return nil
}

// fixtures are the per-run sessions and candidates of the scenarios.
type fixtures struct {
	autosave, roundList, profileRead, submit []vegeta.Target
	submitIDs                                []string
	compileN                                 int
	// add inserts n fresh candidates with status over the rounds.
	add func(n int, status models.Status, prefix string) ([]models.Candidate, error)
}

// prepare creates sessions (as a login or an accepted invitation would) and
// fresh candidates for the submit burst and the compile scenario.
func prepare(ctx context.Context, st *models.Store, db dbCounter, sd *seeded, base string, submits, compiles int) (*fixtures, error) {
	fx := &fixtures{}
	for i, id := range sd.InProgress {
		tok, err := st.CreateSession(ctx, nil, &id)
		if err != nil {
			return nil, err
		}
		body := fmt.Sprintf(`{"answers":{"N5":"Ik stop als voorzitter als ik word gekozen (versie %d)."}}`, i)
		fx.autosave = append(fx.autosave, vegeta.Target{Method: "PATCH", URL: base + "/api/v1/me/answers", Body: []byte(body), Header: bearer(tok)})
	}
	com, err := st.CreateSession(ctx, &sd.Committee, nil)
	if err != nil {
		return nil, err
	}
	fx.roundList = []vegeta.Target{{Method: "GET", URL: base + "/api/v1/rounds/" + sd.BigRound + "/candidates", Header: bearer(com)}}
	for _, id := range sd.Profiled {
		fx.profileRead = append(fx.profileRead, vegeta.Target{Method: "GET", URL: base + "/api/v1/candidates/" + id + "/profile", Header: bearer(com)})
	}
	if len(fx.autosave) == 0 || len(fx.profileRead) == 0 {
		return nil, errors.New("data set has no candidates in progress or no profiles in the big round")
	}
	// Fresh candidates spread over up to 50 parties, as a national evening is.
	roundIDs, err := db.ids(ctx, `SELECT r.id FROM rounds r JOIN parties p ON p.id = r.party_id WHERE p.name LIKE ? AND r.id <> ? ORDER BY p.name LIMIT 50`,
		seedPartyPrefix+"%", sd.BigRound)
	if err != nil {
		return nil, err
	}
	if len(roundIDs) == 0 {
		roundIDs = []string{sd.BigRound}
	}
	var rounds []*models.Round
	for _, id := range roundIDs {
		r, err := st.Round(ctx, id)
		if err != nil {
			return nil, err
		}
		rounds = append(rounds, r)
	}
	stamp := time.Now().UnixNano()
	add := func(n int, status models.Status, prefix string) ([]models.Candidate, error) {
		var out []models.Candidate
		per := (n + len(rounds) - 1) / len(rounds)
		for ri, r := range rounds {
			k := min(per, n-len(out))
			if k <= 0 {
				break
			}
			batch := make([]models.BulkCandidate, k)
			rnd := newRand(uint64(stamp) + uint64(ri))
			for i := range batch {
				batch[i] = models.BulkCandidate{Name: fmt.Sprintf("%s %d-%d", prefix, ri, i), Email: fmt.Sprintf("%s-%d-%d-%d@bench.weerbaar.test", prefix, stamp, ri, i),
					Status: status, Answers: answerMix(rnd, true)}
			}
			cs, err := st.BulkInsert(ctx, models.Actor{ID: "bench", Role: models.RoleAdmin}, r, batch)
			if err != nil {
				return nil, err
			}
			out = append(out, cs...)
		}
		return out, nil
	}
	ready, err := add(submits, models.StatusInProgress, "indiener")
	if err != nil {
		return nil, err
	}
	for _, c := range ready {
		tok, err := st.CreateSession(ctx, nil, &c.ID)
		if err != nil {
			return nil, err
		}
		fx.submitIDs = append(fx.submitIDs, c.ID)
		fx.submit = append(fx.submit, vegeta.Target{Method: "POST", URL: base + "/api/v1/me/submit", Header: bearer(tok)})
	}
	// The compile scenario inserts its submitted candidates when it starts,
	// so that the worker cannot take them early.
	fx.compileN, fx.add = compiles, add
	return fx, nil
}

func databaseName(dsn string) string {
	m := regexp.MustCompile(`^[a-z]+://[^/]*/([^?]+)`).FindStringSubmatch(dsn)
	if m == nil {
		return "weerbaar_bench"
	}
	return m[1]
}

func withDatabase(dsn, db string) string {
	return regexp.MustCompile(`^([a-z]+://[^/]*/)([^?]*)`).ReplaceAllString(dsn, "${1}"+db)
}
