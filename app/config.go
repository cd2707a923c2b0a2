// Package app wires Weerbaar together: config → validate → database →
// Store → API and worker. cmd/weerbaar and the end-to-end tests use it.
package app

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/weerbaar/weerbaar/pdf"
)

// Config is read from the environment (see the README's table).
type Config struct {
	DataDir           string        // WEERBAAR_DATA
	DatabaseURL       string        // DATABASE_URL
	RedisURL          string        // REDIS_URL
	MasterKey         string        // WEERBAAR_MASTER_KEY
	PreviousKeys      string        // WEERBAAR_PREVIOUS_MASTER_KEYS (comma-separated, during rotation)
	KeystoreURL       string        // KEYSTORE_URL
	ListenAddr        string        // LISTEN_ADDR
	BaseURL           string        // BASE_URL
	Dev               bool          // WEERBAAR_DEV
	LogFormat         string        // LOG_FORMAT: json|text
	PprofAddr         string        // PPROF_ADDR: loopback address for Go's profiler (none: off)
	LogLevel          slog.Level    // LOG_LEVEL
	Queue             string        // WEERBAAR_QUEUE
	WorkerConcurrency int           // WORKER_CONCURRENCY
	ReconcileEvery    time.Duration // RECONCILE_INTERVAL
	ScanEvery         time.Duration // SCAN_INTERVAL (reminders, expiry)
	SMTPURL           string        // SMTP_URL
	MailFrom          string        // MAIL_FROM
	RetryBase         time.Duration // RETRY_BASE (first retry delay)
	RequireTOTP       bool          // REQUIRE_TOTP (default: on in server mode)

	// PostgreSQL pool of each process (server mode; SQLite keeps one connection).
	DBMaxOpenConns    int           // DB_MAX_OPEN_CONNS
	DBMaxIdleConns    int           // DB_MAX_IDLE_CONNS
	DBConnMaxLifetime time.Duration // DB_CONN_MAX_LIFETIME

	// Redis with failover or sharding, instead of REDIS_URL (see redis.go).
	RedisSentinelAddrs    []string // REDIS_SENTINEL_ADDRS (host:port,…)
	RedisSentinelMaster   string   // REDIS_SENTINEL_MASTER
	RedisSentinelPassword string   // REDIS_SENTINEL_PASSWORD (the sentinels' own)
	RedisClusterAddrs     []string // REDIS_CLUSTER_ADDRS (host:port,…)
	RedisUsername         string   // REDIS_USERNAME (master or cluster nodes)
	RedisPassword         string   // REDIS_PASSWORD (master or cluster nodes)
	RedisTLS              bool     // REDIS_TLS

	// PDFs of the advice report and the board summary (pdf package).
	Chromium   string        // WEERBAAR_CHROMIUM (default /usr/bin/chromium when present; "" or missing: no PDFs)
	PDFTimeout time.Duration // WEERBAAR_PDF_TIMEOUT (default 30s)
}

// Embedded reports whether the database is the SQLite file in DataDir.
func (c Config) Embedded() bool { return c.DatabaseURL == "" }

// FromEnv reads the configuration.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		DataDir:      getenv("WEERBAAR_DATA"),
		DatabaseURL:  getenv("DATABASE_URL"),
		RedisURL:     getenv("REDIS_URL"),
		MasterKey:    getenv("WEERBAAR_MASTER_KEY"),
		PreviousKeys: getenv("WEERBAAR_PREVIOUS_MASTER_KEYS"),
		KeystoreURL:  getenv("KEYSTORE_URL"),
		ListenAddr:   getenv("LISTEN_ADDR"),
		BaseURL:      strings.TrimRight(getenv("BASE_URL"), "/"),
		Dev:          getenv("WEERBAAR_DEV") == "1" || getenv("WEERBAAR_DEV") == "true",
		LogFormat:    getenv("LOG_FORMAT"),
		Queue:        getenv("WEERBAAR_QUEUE"),
		SMTPURL:      getenv("SMTP_URL"),
		MailFrom:     getenv("MAIL_FROM"),
		PprofAddr:    getenv("PPROF_ADDR"),
	}
	if c.DataDir == "" {
		c.DataDir = "./weerbaar-data"
	}
	if c.ListenAddr == "" {
		c.ListenAddr = "127.0.0.1:8080"
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.ListenAddr
	}
	if c.Queue == "" {
		c.Queue = "default"
	}
	if c.LogFormat == "" {
		c.LogFormat = "text"
		if !c.Embedded() {
			c.LogFormat = "json"
		}
	}
	if v := getenv("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return c, fmt.Errorf("LOG_LEVEL: %w", err)
		}
	}
	c.WorkerConcurrency = 10
	if v := getenv("WORKER_CONCURRENCY"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, errors.New("WORKER_CONCURRENCY must be a positive number")
		}
		c.WorkerConcurrency = n
	}
	c.ReconcileEvery = 30 * time.Second
	if v := getenv("RECONCILE_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			return c, errors.New("RECONCILE_INTERVAL must be a duration of at least 1s, e.g. 30s")
		}
		c.ReconcileEvery = d
	}
	var err error
	if c.ScanEvery, err = duration(getenv, "SCAN_INTERVAL", 5*time.Minute); err != nil {
		return c, err
	}
	if c.RetryBase, err = duration(getenv, "RETRY_BASE", 2*time.Second); err != nil {
		return c, err
	}
	c.RequireTOTP = !c.Embedded()
	switch getenv("REQUIRE_TOTP") {
	case "1", "true":
		c.RequireTOTP = true
	case "0", "false":
		c.RequireTOTP = false
	}
	if err := c.poolFromEnv(getenv); err != nil {
		return c, err
	}
	if err := c.redisFromEnv(getenv); err != nil {
		return c, err
	}
	c.Chromium = getenv("WEERBAAR_CHROMIUM")
	if c.Chromium == "" && pdf.Executable(pdf.DefaultChromium) {
		c.Chromium = pdf.DefaultChromium
	}
	if c.PDFTimeout, err = duration(getenv, "WEERBAAR_PDF_TIMEOUT", pdf.DefaultTimeout); err != nil {
		return c, err
	}
	if c.SMTPURL != "" && c.MailFrom == "" {
		return c, errors.New("MAIL_FROM is required with SMTP_URL (e.g. \"Weerbaar <noreply@partij.nl>\")")
	}
	return c, nil
}

// poolFromEnv reads the PostgreSQL pool size; every replica opens up to
// DB_MAX_OPEN_CONNS connections (and as many again for a key store on the
// same server). The default is small on purpose: with 20 per pool the
// benchmark's autosave throughput fell from 1,430 to 570 requests/s when
// clients went from 8 to 32 (backends queueing on PostgreSQL's WAL locks);
// with 8 it rose to 1,660. Requests beyond the pool wait in the process.
func (c *Config) poolFromEnv(getenv func(string) string) error {
	var err error
	if c.DBMaxOpenConns, err = positive(getenv, "DB_MAX_OPEN_CONNS", 8); err != nil {
		return err
	}
	if c.DBMaxIdleConns, err = positive(getenv, "DB_MAX_IDLE_CONNS", c.DBMaxOpenConns); err != nil {
		return err
	}
	if c.DBMaxIdleConns > c.DBMaxOpenConns {
		return fmt.Errorf("DB_MAX_IDLE_CONNS (%d) may not exceed DB_MAX_OPEN_CONNS (%d)", c.DBMaxIdleConns, c.DBMaxOpenConns)
	}
	c.DBConnMaxLifetime, err = duration(getenv, "DB_CONN_MAX_LIFETIME", 30*time.Minute)
	return err
}

func positive(getenv func(string) string, name string, def int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s must be a positive number, e.g. %d", name, def)
	}
	return n, nil
}

func duration(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s must be a duration such as 30s or 5m", name)
	}
	return d, nil
}

// Validate checks what server mode needs.
func (c Config) Validate(server bool) error {
	if !server {
		return nil
	}
	var missing []string
	if c.DatabaseURL == "" {
		missing = append(missing, "DATABASE_URL")
	}
	if !c.RedisConfigured() {
		missing = append(missing, "REDIS_URL")
	}
	if c.MasterKey == "" {
		missing = append(missing, "WEERBAAR_MASTER_KEY")
	}
	if len(missing) > 0 {
		err := fmt.Errorf("server mode needs %s", strings.Join(missing, ", "))
		if !c.RedisConfigured() {
			err = fmt.Errorf("%w (Redis: REDIS_URL, or REDIS_SENTINEL_ADDRS with REDIS_SENTINEL_MASTER, or REDIS_CLUSTER_ADDRS)", err)
		}
		return err
	}
	return nil
}

// SQLitePath is the embedded database file.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "weerbaar.db") }

// KeystorePath is the embedded key store (kept apart from the database).
func (c Config) KeystorePath() string { return filepath.Join(c.DataDir, "keys.db") }

// MasterKeyPath is the embedded master key file.
func (c Config) MasterKeyPath() string { return filepath.Join(c.DataDir, "master.key") }

// NewLogger builds the slog logger.
func NewLogger(c Config, w *os.File) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
