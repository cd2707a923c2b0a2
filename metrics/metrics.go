// Package metrics holds Weerbaar's Prometheus metrics: HTTP latency by
// route, task durations and failures by type, and queue depth.
package metrics

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics is one registry (no package globals: tests run several systems).
type Metrics struct {
	Registry *prometheus.Registry
	http     *prometheus.HistogramVec
	tasks    *prometheus.HistogramVec
	failures *prometheus.CounterVec
}

// New registers the metrics; depth reports the queue's pending and
// scheduled/retry tasks when scraped (nil: no queue metric).
func New(depth func() (map[string]int, error)) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		http: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "weerbaar_http_request_duration_seconds", Help: "HTTP request latency by route pattern, method and status.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method", "status"}),
		tasks: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "weerbaar_task_duration_seconds", Help: "Task handler duration by type.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 5, 15},
		}, []string{"type"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "weerbaar_task_failures_total", Help: "Failed task runs by type.",
		}, []string{"type"}),
	}
	m.Registry.MustRegister(m.http, m.tasks, m.failures, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if depth != nil {
		m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "weerbaar_queue_depth", Help: "Tasks waiting in the queue (pending, scheduled and retry).",
		}, func() float64 {
			d, err := depth()
			if err != nil {
				return -1
			}
			return float64(d["pending"] + d["scheduled"] + d["retry"])
		}))
	}
	return m
}

// HTTP is the Fiber middleware; it labels by route pattern, never by the
// raw path (ids and tokens stay out of the metrics).
func (m *Metrics) HTTP(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		if fe, ok := err.(*fiber.Error); ok {
			status = fe.Code
		}
	}
	route := c.Route().Path
	if route == "" || route == "/" && c.Path() != "/" {
		route = "other"
	}
	m.http.WithLabelValues(route, c.Method(), strconv.Itoa(status)).Observe(time.Since(start).Seconds())
	return err
}

// Tasks is the asynq middleware for durations and failures by type.
func (m *Metrics) Tasks(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		start := time.Now()
		err := next.ProcessTask(ctx, t)
		m.tasks.WithLabelValues(t.Type()).Observe(time.Since(start).Seconds())
		if err != nil {
			m.failures.WithLabelValues(t.Type()).Inc()
		}
		return err
	})
}
