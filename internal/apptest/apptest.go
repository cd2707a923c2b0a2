// Package apptest starts a whole Weerbaar system for tests and talks to it
// over the HTTP contract.
package apptest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/weerbaar/weerbaar/app"
	"github.com/weerbaar/weerbaar/internal/testenv"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// Env is a running system.
type Env struct {
	T   testing.TB
	Sys *app.System
	Cfg app.Config
}

// Settings are what options may change before start.
type Settings struct {
	Cfg  *app.Config
	Opts *app.Options
	Log  io.Writer

	embedded, server bool
}

// Option tweaks the settings before start.
type Option func(*Settings)

// WithLog routes logs somewhere (e.g. a buffer for the log-leak test).
func WithLog(w io.Writer) Option { return func(s *Settings) { s.Log = w } }

// Embedded forces SQLite and miniredis even when test services are set.
func Embedded() Option {
	return func(s *Settings) { s.Cfg.DatabaseURL, s.Cfg.RedisURL, s.embedded = "", "", true }
}

// Server requires PostgreSQL and Redis (TEST_DATABASE_URL, TEST_REDIS_URL):
// it skips without them, or fails under WEERBAAR_REQUIRE_SERVICES=1.
func Server() Option {
	return func(s *Settings) { s.server = true }
}

// WithSMTP sends mail through an SMTP server instead of the dev outbox.
func WithSMTP(url string) Option {
	return func(s *Settings) { s.Cfg.SMTPURL, s.Cfg.MailFrom = url, "Weerbaar <noreply@weerbaar.test>" }
}

// RequireTOTP turns on mandatory two-step verification (server mode default).
func RequireTOTP() Option { return func(s *Settings) { s.Cfg.RequireTOTP = true } }

// WithChromium prints the report and summary PDFs with the Chromium at
// path (tests start without one: the PDF routes answer 503).
func WithChromium(path string) Option { return func(s *Settings) { s.Cfg.Chromium = path } }

// WithForms replaces the embedded questionnaires (e.g. without a newer version).
func WithForms(r *questionnaires.Registry) Option { return func(s *Settings) { s.Opts.Forms = r } }

// WithClock sets the store clock.
func WithClock(now func() time.Time) Option { return func(s *Settings) { s.Opts.Now = now } }

// Start opens a system on a fresh database (SQLite, or a PostgreSQL schema
// with TEST_DATABASE_URL) and Redis (miniredis, or TEST_REDIS_URL with a
// queue of its own). The worker is not started: call StartWorker.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	cfg := app.Config{
		DataDir: t.TempDir(), MasterKey: base64.StdEncoding.EncodeToString(key), ListenAddr: "127.0.0.1:0",
		BaseURL: "http://weerbaar.test", Dev: true, LogFormat: "json", Queue: testenv.Queue(t),
		WorkerConcurrency: 4, ReconcileEvery: time.Second, ScanEvery: time.Second, RetryBase: 50 * time.Millisecond, RedisURL: testenv.RedisURL(),
	}
	o := app.Options{Migrate: true}
	st := Settings{Cfg: &cfg, Opts: &o, Log: io.Discard}
	for _, opt := range opts {
		opt(&st)
	}
	if st.server && (!testenv.Postgres() || testenv.RedisURL() == "") {
		testenv.Skip(t, "PostgreSQL and Redis (server mode)", "set TEST_DATABASE_URL and TEST_REDIS_URL (bash .ci/run does)")
	}
	if testenv.Postgres() && !st.embedded {
		cfg.DatabaseURL = testenv.PostgresSchema(t)
	}
	log := slog.New(slog.NewJSONHandler(st.Log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sys, err := app.Open(context.Background(), cfg, log, o)
	if err != nil {
		t.Fatalf("open system: %v", err)
	}
	t.Cleanup(sys.Close)
	return &Env{T: t, Sys: sys, Cfg: cfg}
}

// Second opens another system (API and worker, as a second replica) on the
// same database, Redis and queue.
func (e *Env) Second(opts ...Option) *Env {
	e.T.Helper()
	cfg := e.Cfg
	if cfg.RedisURL == "" {
		cfg.RedisURL = "redis://" + e.Sys.Redis.(asynq.RedisClientOpt).Addr
	}
	o := app.Options{}
	st := Settings{Cfg: &cfg, Opts: &o, Log: io.Discard}
	for _, opt := range opts {
		opt(&st)
	}
	log := slog.New(slog.NewJSONHandler(st.Log, nil))
	sys, err := app.Open(context.Background(), cfg, log, o)
	if err != nil {
		e.T.Fatalf("open second system: %v", err)
	}
	e.T.Cleanup(sys.Close)
	return &Env{T: e.T, Sys: sys, Cfg: cfg}
}

// With returns the same system reporting to another test (a subtest).
func (e *Env) With(t testing.TB) *Env {
	cp := *e
	cp.T = t
	return &cp
}

// StartWorker runs the worker until the test ends.
func (e *Env) StartWorker() {
	e.T.Helper()
	if err := e.Sys.StartWorker(); err != nil {
		e.T.Fatalf("start worker: %v", err)
	}
}

// Response is a decoded reply.
type Response struct {
	Status int
	Body   []byte
	Header http.Header
}

// JSON decodes the body into v.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as an object.
func (r Response) Map(t testing.TB) map[string]any {
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// Do sends a request with a Bearer token (if any); body is marshalled
// unless it is a string or []byte.
func (e *Env) Do(method, path, token string, body any) Response {
	e.T.Helper()
	var rd io.Reader
	var sent []byte
	switch b := body.(type) {
	case nil:
	case string:
		sent = []byte(b)
	case []byte:
		sent = b
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.T.Fatal(err)
		}
		sent = buf
	}
	if body != nil {
		rd = bytes.NewReader(sent)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil || (method != http.MethodGet && method != http.MethodHead) {
		// A JSON client says so even without a body (login and accept
		// refuse anything else: login CSRF).
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.Sys.App.Test(req, 30_000)
	if err != nil {
		e.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	e.checkContract(Exchange{Method: method, Path: path, ReqHeader: req.Header, ReqBody: sent,
		Status: resp.StatusCode, Header: resp.Header, Body: out})
	return Response{Status: resp.StatusCode, Body: out, Header: resp.Header}
}

// Must is Do that fails the test unless the status matches.
func (e *Env) Must(status int, method, path, token string, body any) Response {
	e.T.Helper()
	r := e.Do(method, path, token, body)
	if r.Status != status {
		e.T.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.Body)
	}
	return r
}

// Admin creates a platform admin and returns a session token.
func (e *Env) Admin() string {
	e.T.Helper()
	if _, err := e.Sys.Store.CreateUser(context.Background(), "admin@weerbaar.test", "Beheerder", "beheerder-wachtwoord-1", true); err != nil {
		e.T.Fatal(err)
	}
	return e.Login("admin@weerbaar.test", "beheerder-wachtwoord-1")
}

// Login returns a session token.
func (e *Env) Login(email, password string) string {
	e.T.Helper()
	r := e.Must(201, "POST", "/api/v1/session", "", map[string]string{"email": email, "password": password})
	return r.Map(e.T)["token"].(string)
}

// AddMember adds a party member through the API as the holder of token
// (admin or board). A committee member who must be confirmed (the party has
// an active committee) is confirmed at once by an active committee member
// of the party other than the proposer, as that member would on the
// committee's page; tests about the confirmation itself use the API.
func (e *Env) AddMember(token, pid string, body map[string]any) Response {
	e.T.Helper()
	r := e.Must(201, "POST", "/api/v1/parties/"+pid+"/members", token, body)
	var v struct{ ID, Status string }
	r.JSON(e.T, &v)
	if v.Status != models.MemberPending {
		return r
	}
	ctx := context.Background()
	ms, err := e.Sys.Store.Members(ctx, pid)
	if err != nil {
		e.T.Fatal(err)
	}
	for _, m := range ms {
		if m.Role == models.RoleCommissie && m.Active && m.UserID != v.ID {
			if _, err := e.Sys.Store.ConfirmMember(ctx, models.Actor{ID: m.UserID, Role: models.RoleCommissie}, pid, v.ID); err != nil {
				e.T.Fatalf("confirm the new committee member: %v", err)
			}
			// The confirmation's mails are outbox tasks of its
			// transaction: the system's relay queues them.
			return r
		}
	}
	e.T.Fatalf("no active committee member in party %s to confirm %s", pid, v.ID)
	return r
}

// Mails returns the dev outbox.
func (e *Env) Mails() []models.OutboxMail {
	e.T.Helper()
	var ms []models.OutboxMail
	e.Must(200, "GET", "/dev/mail", "", nil).JSON(e.T, &ms)
	return ms
}

var inviteLink = regexp.MustCompile(`/uitnodiging/([A-Za-z0-9_-]{43})`)

// WaitMail waits until a mail to addr whose subject contains subject is in
// the outbox. Tests call it before InvitationToken when a mail that issues
// a fresh link (and so retires the older one) is still on its way.
func (e *Env) WaitMail(addr, subject string) models.OutboxMail {
	e.T.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range e.Mails() {
			if m.ToAddr == addr && strings.Contains(m.Subject, subject) {
				return m
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.T.Fatalf("no mail %q for %s", subject, addr)
	return models.OutboxMail{}
}

// InvitationToken waits for the newest invitation mail to addr and returns
// the token from its link.
func (e *Env) InvitationToken(addr string) string {
	e.T.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ms := e.Mails()
		for i := len(ms) - 1; i >= 0; i-- {
			if m := inviteLink.FindStringSubmatch(ms[i].BodyText); ms[i].ToAddr == addr && m != nil {
				return m[1]
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.T.Fatalf("no invitation mail for %s", addr)
	return ""
}

// Listen serves the app on a loopback port until the test ends and
// returns its base URL (for what app.Test cannot show, e.g. body limits).
func (e *Env) Listen() string {
	e.T.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.T.Fatal(err)
	}
	go func() { _ = e.Sys.App.Listener(ln) }()
	e.T.Cleanup(func() { _ = e.Sys.App.Shutdown() })
	return "http://" + ln.Addr().String()
}

// ClearOfLimitWindow waits, when the current fixed rate-limit window of
// length w ends within margin, until the next one has started: a test that
// counts attempts up to a limit must not see the count reset halfway (the
// limiter's windows are aligned to the clock, as Truncate is).
func ClearOfLimitWindow(w, margin time.Duration) {
	if wait := time.Until(time.Now().Truncate(w).Add(w)); wait < margin {
		time.Sleep(wait + 50*time.Millisecond)
	}
}
