// Package api is the Fiber application: the JSON API under /api/v1, the
// health endpoints and (in dev mode) the mail outbox.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/weerbaar/weerbaar/metrics"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/pdf"
	"github.com/weerbaar/weerbaar/screening"
)

// Deps are the Handler's dependencies.
type Deps struct {
	Store *models.Store
	// Screening is the application layer the handlers call for every use
	// case (the same one the pages call); New makes one over Store if nil.
	Screening *screening.Service
	Log       *slog.Logger
	Dev       bool
	BaseURL   string
	// Ready checks the other backends (Redis) for /readyz.
	Ready func(ctx context.Context) error
	// Limiter counts login and link attempts (shared through Redis).
	Limiter *Limiter
	// RequireTOTP makes two-step verification mandatory for whoever can
	// read candidate files (committee, admin): server mode.
	RequireTOTP bool
	// Metrics, when set, records HTTP latency and serves /metrics (admin).
	Metrics *metrics.Metrics
	// QueueMonitor, when set, is asynqmon (NewQueueMonitor), served to the
	// platform admin under QueueMonitorPath.
	QueueMonitor http.Handler
	// PDF prints the report and summary pages (nil or without Chromium:
	// the PDF routes answer 503).
	PDF *pdf.Printer
}

// Handler holds every HTTP handler's dependencies.
type Handler struct {
	store         *models.Store
	app           *screening.Service
	log           *slog.Logger
	dev           bool
	secureCookies bool
	ready         func(ctx context.Context) error
	base          string
	htmlErrors    HTMLErrors
	limiter       *Limiter
	requireTOTP   bool
	metrics       *metrics.Metrics
	queueMon      fiber.Handler
	queueMonCSP   string
	pdf           *pdf.Printer
	documents     Documents
}

// SetHTMLErrors installs the page error renderer.
func (h *Handler) SetHTMLErrors(fn HTMLErrors) { h.htmlErrors = fn }

// Screening returns the application layer (for the page handlers).
func (h *Handler) Screening() *screening.Service { return h.app }

// Store returns the store (for the page handlers).
func (h *Handler) Store() *models.Store { return h.store }

// Log returns the logger.
func (h *Handler) Log() *slog.Logger { return h.log }

// BodyLimit caps request bodies (413 above it).
const BodyLimit = 256 * 1024

// New builds the Fiber app with all routes.
func New(d Deps) (*fiber.App, *Handler) {
	h := &Handler{store: d.Store, app: d.Screening, log: d.Log, dev: d.Dev,
		secureCookies: strings.HasPrefix(d.BaseURL, "https://"), ready: d.Ready, base: strings.TrimRight(d.BaseURL, "/"), limiter: d.Limiter, requireTOTP: d.RequireTOTP, metrics: d.Metrics, pdf: d.PDF}
	if h.app == nil {
		h.app = screening.New(d.Store)
	}
	if d.QueueMonitor != nil {
		h.queueMon = adaptor.HTTPHandler(d.QueueMonitor)
		h.queueMonCSP = queueMonitorCSP(d.QueueMonitor)
	}
	app := fiber.New(fiber.Config{
		AppName:               "weerbaar",
		BodyLimit:             BodyLimit,
		ErrorHandler:          errorHandler(d.Log, h),
		DisableStartupMessage: true,
		// Values from c.Params/c.Body outlive handlers (goroutines, locals).
		Immutable: true,
	})
	app.Use(recover.New(recover.Config{EnableStackTrace: false}))
	if d.Metrics != nil {
		app.Use(d.Metrics.HTTP)
	}
	app.Use(func(c *fiber.Ctx) error {
		c.Set("X-Content-Type-Options", "nosniff")
		c.Set("Referrer-Policy", "no-referrer")
		c.Set("Cache-Control", "no-store")
		c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		c.Set("X-Frame-Options", "DENY")
		if h.secureCookies {
			// Behind https (BASE_URL): browsers must never fall back to http.
			c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return c.Next()
	})
	app.Use(refuseControlChars)
	app.Use(h.authenticate)
	for _, rt := range h.Routes() {
		app.Add(rt.Method, rt.Path, h.Handlers(rt)...)
	}
	if d.Dev {
		app.Get("/dev/mail", h.devMail)
	}
	return app, h
}

// serveMetrics exposes the Prometheus metrics to the platform admin.
func (h *Handler) serveMetrics(c *fiber.Ctx) error {
	if h.metrics == nil {
		return errNotFound
	}
	return adaptor.HTTPHandler(promhttp.HandlerFor(h.metrics.Registry, promhttp.HandlerOpts{}))(c)
}

func (h *Handler) healthz(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) }

func (h *Handler) readyz(c *fiber.Ctx) error {
	checks := fiber.Map{"database": "ok", "redis": "ok"}
	ok := true
	if err := h.store.Ping(c.UserContext()); err != nil {
		checks["database"], ok = "onbereikbaar", false
	}
	if h.ready != nil {
		if err := h.ready(c.UserContext()); err != nil {
			checks["redis"], ok = "onbereikbaar", false
		}
	}
	if !ok {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "niet_gereed", "checks": checks})
	}
	return c.JSON(fiber.Map{"status": "ok", "checks": checks})
}

func (h *Handler) devMail(c *fiber.Ctx) error {
	ms, err := h.store.OutboxMails(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(ms)
}
