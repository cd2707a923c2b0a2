package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/gofiber/fiber/v2"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/api/web"
	"github.com/weerbaar/weerbaar/mail"
	"github.com/weerbaar/weerbaar/metrics"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/pdf"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/secure"
	"github.com/weerbaar/weerbaar/worker"
)

// System is a wired Weerbaar: the parts each subcommand starts.
type System struct {
	Cfg     Config
	Log     *slog.Logger
	DB      *gorm.DB
	Store   *models.Store
	Redis   asynq.RedisConnOpt
	Client  *asynq.Client
	Queue   *worker.Queue
	Worker  *worker.Worker
	App     *fiber.App
	Metrics *metrics.Metrics
	mini    *miniredis.Miniredis
	rdb     redis.UniversalClient
	srv     *asynq.Server
	sched   *asynq.Scheduler
	// stopRelay stops the outbox relay (nil when it is not running).
	stopRelay func()
	closers   []func()
}

// DefaultMemoryLimit is the Go runtime's soft memory limit of the service
// processes when GOMEMLIMIT is not set.
const DefaultMemoryLimit = 100 << 20

// LimitMemory applies DefaultMemoryLimit unless GOMEMLIMIT is set. The live
// heap is some tens of MB even under load, but with the default GC pacing
// alone the API grew past 200 MB of RSS in the benchmark. The service
// commands call it; tests do not (many systems share one test process).
func LimitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(DefaultMemoryLimit)
	}
}

// Options adjust Open for tests and subcommands.
type Options struct {
	// Migrate applies pending migrations (embedded mode and `migrate`);
	// otherwise a schema that is behind refuses to start.
	Migrate bool
	// Now replaces the clock.
	Now func() time.Time
	// StoreOnly skips Redis, the queue and the API (admin CLI commands).
	StoreOnly bool
	// Forms replaces the embedded questionnaires (tests: a system from
	// before a questionnaire version existed).
	Forms *questionnaires.Registry
}

// Open wires the system from cfg.
func Open(ctx context.Context, cfg Config, log *slog.Logger, opt Options) (_ *System, err error) {
	s := &System{Cfg: cfg, Log: log}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	forms, err := questionnaires.LoadEmbedded()
	if err != nil {
		return nil, fmt.Errorf("questionnaires: %w", err)
	}
	if opt.Forms != nil {
		forms = opt.Forms
	}
	// The interview guide's dilemma cases: checked now, not at the first guide.
	if _, err := questionnaires.LoadDilemmas(); err != nil {
		return nil, fmt.Errorf("dilemmas: %w", err)
	}
	keys, err := s.keyring()
	if err != nil {
		return nil, err
	}
	dsn := cfg.DatabaseURL
	if cfg.Embedded() {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, err
		}
		dsn = cfg.SQLitePath()
	}
	db, dialect, err := models.Open(dsn, log)
	if err != nil {
		return nil, err
	}
	s.DB = db
	s.closers = append(s.closers, func() { _ = models.Close(db) })
	pool := models.Pool{MaxOpen: cfg.DBMaxOpenConns, MaxIdle: cfg.DBMaxIdleConns, MaxLifetime: cfg.DBConnMaxLifetime}
	if err := models.SetPool(db, pool); err != nil {
		return nil, err
	}
	if opt.Migrate {
		if err := models.Migrate(ctx, db, dialect); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
	} else if err := models.CheckSchema(ctx, db, dialect); err != nil {
		return nil, err
	}
	ksDSN := cfg.KeystoreURL
	switch {
	case ksDSN != "":
	case cfg.Embedded():
		ksDSN = cfg.KeystorePath()
	default:
		ksDSN = cfg.DatabaseURL
		log.Warn("no KEYSTORE_URL: data keys are kept in the main database, so its backups can still be decrypted after a candidate is deleted; use a separate database for KEYSTORE_URL")
	}
	ks, err := models.OpenKeyStore(ctx, ksDSN, log)
	if err != nil {
		return nil, fmt.Errorf("key store: %w", err)
	}
	s.closers = append(s.closers, func() { _ = ks.Close() })
	if err := ks.SetPool(pool); err != nil {
		return nil, err
	}
	s.Store = models.NewStore(db, dialect, keys, forms, models.Options{Now: opt.Now, KeyStore: ks})
	carried, err := s.Store.PrepareAudit(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	if carried.Rechained > 0 || len(carried.Broken) > 0 {
		log.Warn("audit key created: existing audit chains verified and re-chained under it", "rechained", carried.Rechained, "broken", len(carried.Broken))
	}
	for party, seq := range carried.Broken {
		log.Warn("audit chain was already broken before it was keyed; left as it is", "party", party, "seq", seq)
	}
	if n, err := s.Store.SealLegacy(ctx); err != nil {
		return nil, fmt.Errorf("seal plain values left by migration 00011: %w", err)
	} else if n > 0 {
		log.Warn("sealed plain candidate values of an older version with their data keys", "values", n)
	}
	if opt.StoreOnly {
		return s, nil
	}

	if !cfg.RedisConfigured() {
		m, err := worker.StartEmbeddedRedis()
		if err != nil {
			return nil, fmt.Errorf("embedded redis: %w", err)
		}
		s.mini = m
		s.closers = append(s.closers, m.Close)
		s.Redis = asynq.RedisClientOpt{Addr: m.Addr()}
	} else if s.Redis, err = cfg.RedisOpt(); err != nil {
		return nil, err
	}
	s.rdb = s.Redis.MakeRedisClient().(redis.UniversalClient)
	s.closers = append(s.closers, func() { _ = s.rdb.Close() })
	s.Client = asynq.NewClient(s.Redis)
	s.closers = append(s.closers, func() { _ = s.Client.Close() })
	s.Queue = worker.NewQueue(s.Client, cfg.Queue)
	var sender mail.Sender = worker.Outbox{Store: s.Store}
	if cfg.SMTPURL != "" {
		smtp, err := mail.NewSMTP(cfg.SMTPURL, cfg.MailFrom)
		if err != nil {
			return nil, err
		}
		sender = smtp
		log.Info("mail via SMTP", "smtp", mail.Redacted(cfg.SMTPURL))
	} else if !cfg.Dev {
		log.Warn("no SMTP_URL: mails are kept in the outbox table and not sent")
	}
	s.Worker = worker.New(s.Store, s.Queue, log, sender, cfg.BaseURL, cfg.ReconcileEvery)
	insp := asynq.NewInspector(s.Redis)
	s.closers = append(s.closers, func() { _ = insp.Close() })
	s.Metrics = metrics.New(func() (map[string]int, error) {
		depth := map[string]int{"pending": 0, "scheduled": 0, "retry": 0}
		for _, q := range []string{cfg.Queue, worker.ProfilesQueue(cfg.Queue)} {
			qi, err := insp.GetQueueInfo(q)
			if errors.Is(err, asynq.ErrQueueNotFound) {
				continue // nothing was ever queued there
			}
			if err != nil {
				return nil, err
			}
			depth["pending"] += qi.Pending
			depth["scheduled"] += qi.Scheduled
			depth["retry"] += qi.Retry
		}
		return depth, nil
	})
	mon := api.NewQueueMonitor(s.Redis)
	s.closers = append(s.closers, func() { _ = mon.Close() })
	app, h := api.New(api.Deps{Metrics: s.Metrics, QueueMonitor: mon, Store: s.Store, Log: log, Dev: cfg.Dev, BaseURL: cfg.BaseURL,
		Ready: func(ctx context.Context) error { return s.rdb.Ping(ctx).Err() }, Limiter: api.NewLimiter(s.rdb, cfg.Queue), RequireTOTP: cfg.RequireTOTP,
		PDF: pdf.New(cfg.Chromium, cfg.PDFTimeout)})
	if cfg.Chromium != "" && !pdf.Executable(cfg.Chromium) {
		log.Warn("WEERBAAR_CHROMIUM is not an executable file: the report and summary PDFs answer 503", "path", cfg.Chromium)
	}
	if _, err := web.Mount(app, h, cfg.Dev); err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	s.App = app
	{
		// Every process that changes state relays its outbox (woken after
		// its own commits) and picks up what others left (its poll).
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.Worker.Relay.Run(ctx)
		}()
		s.stopRelay = func() { cancel(); <-done }
		s.closers = append(s.closers, s.StopRelay)
	}
	return s, nil
}

// StopRelay stops this process's outbox relay: committed follow-up tasks
// stay in the outbox for another process (fault tests: the process dies
// between commit and enqueue).
func (s *System) StopRelay() {
	if s.stopRelay != nil {
		s.stopRelay()
		s.stopRelay = nil
	}
}

func (s *System) keyring() (*secure.Keyring, error) {
	var previous [][]byte
	for _, p := range strings.Split(s.Cfg.PreviousKeys, ",") {
		if strings.TrimSpace(p) == "" {
			continue
		}
		k, err := secure.ParseMasterKey(p)
		if err != nil {
			return nil, fmt.Errorf("WEERBAAR_PREVIOUS_MASTER_KEYS: %w", err)
		}
		previous = append(previous, k)
	}
	if s.Cfg.MasterKey != "" {
		k, err := secure.ParseMasterKey(s.Cfg.MasterKey)
		if err != nil {
			return nil, fmt.Errorf("WEERBAAR_MASTER_KEY: %w", err)
		}
		return secure.NewKeyring(k, previous...)
	}
	if !s.Cfg.Embedded() {
		return nil, errors.New("WEERBAAR_MASTER_KEY is required with DATABASE_URL")
	}
	k, created, err := secure.LoadOrCreateMasterKey(s.Cfg.MasterKeyPath())
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	if created {
		s.Log.Warn("a new master key was created; back it up: without it the candidate data cannot be read", "path", s.Cfg.MasterKeyPath())
	}
	return secure.NewKeyring(k, previous...)
}

// StartWorker runs the asynq server and the schedule (reconciler: outbox
// leases that ran out and audit anchors; reminders; expiry; retention).
func (s *System) StartWorker() error {
	s.srv = asynq.NewServer(s.Redis, worker.ServerConfig(s.Cfg.Queue, s.Cfg.WorkerConcurrency, s.Cfg.RetryBase, s.Log))
	mux := s.Worker.Mux()
	if s.Metrics != nil {
		mux.Use(s.Metrics.Tasks)
	}
	if err := s.srv.Start(mux); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	sched, err := worker.Scheduler(s.Redis, s.Cfg.Queue, s.Cfg.ReconcileEvery, s.Cfg.ScanEvery, s.Log)
	if err != nil {
		return err
	}
	if err := sched.Start(); err != nil {
		return fmt.Errorf("start scheduler: %w", err)
	}
	s.sched = sched
	// A restart (or a lost embedded queue) is reconciled at once, not only
	// at the next tick: every outbox task is queued again (those still
	// queued are no-ops).
	if _, err := s.Worker.Relay.FlushAll(context.Background()); err != nil {
		s.Log.Warn("initial outbox relay failed", "error", err.Error())
	}
	if _, err := s.Worker.Reconcile(context.Background()); err != nil {
		s.Log.Warn("initial reconcile failed", "error", err.Error())
	}
	return nil
}

// RestartEmbeddedRedis stops the in-process Redis and starts it again on
// the same address; flush drops everything it held (a lost queue). For
// fault tests.
func (s *System) RestartEmbeddedRedis(flush bool) error {
	if s.mini == nil {
		return errors.New("not running the embedded Redis")
	}
	if flush {
		s.mini.FlushAll()
	}
	s.mini.Close()
	return s.mini.Restart()
}

// StopWorker finishes in-flight tasks and stops.
func (s *System) StopWorker() {
	if s.sched != nil {
		s.sched.Shutdown()
		s.sched = nil
	}
	if s.srv != nil {
		s.srv.Shutdown()
		s.srv = nil
	}
}

// Serve runs the HTTP server until ctx ends, then drains in-flight requests.
func (s *System) Serve(ctx context.Context) error {
	if s.Cfg.PprofAddr != "" {
		startPprof(s.Cfg.PprofAddr, s.Log)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.App.Listen(s.Cfg.ListenAddr) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return s.App.ShutdownWithTimeout(30 * time.Second)
	}
}

// Close releases everything (worker first, so tasks finish on a live DB).
func (s *System) Close() {
	s.StopWorker()
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
	s.closers = nil
}
