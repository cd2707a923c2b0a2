package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/worker"
)

// loadRates are the scenarios' request rates (per second).
type loadRates struct {
	Autosave, RoundList, ProfileRead, Submit float64
}

// modeResult is one mode's figures.
type modeResult struct {
	Mode                 string
	Data                 *seeded
	Rates                loadRates
	PgbenchTPS           float64
	PgbenchCmd           string
	NoopTasks            float64
	Autosave             result
	AutosaveMax          result
	AutosaveSerial       result // one client in a loop: the latency floor
	Scaling              []scalePoint
	RoundList            result
	ProfileRead          result
	Submit               result
	SubmitP50, SubmitP95 time.Duration
	SubmitPending        int
	CompileRate          float64
	CompileN             int
	APIPeakMB            float64
	WorkerPeakMB         float64
}

// scenarios runs the load scenarios against a started service. q is nil in
// embedded mode (its Redis lives inside the process).
func scenarios(ctx context.Context, m *modeResult, fx *fixtures, db dbCounter, q *worker.Queue, rates loadRates, d time.Duration, log *slog.Logger) error {
	m.Rates = rates
	log.Info("warm-up")
	attack("warmup", roundRobin(fx.autosave), 50, time.Second, 8)

	// Capacity first, on a service without backlog; each scenario then
	// starts after a pause in which the previous one's queue drains.
	serial := attack("autosave-serial", roundRobin(fx.autosave), 0, 3*time.Second, 1)
	m.AutosaveSerial = serial
	log.Info("autosave PATCH, one client in a loop", "req/s", int(serial.Throughput), "p50", serial.P50, "p99", serial.P99)
	for _, n := range []uint64{2, 4, 8, 16, 32, 64} {
		r := attack(fmt.Sprintf("autosave-%d", n), roundRobin(fx.autosave), 0, 3*time.Second, n)
		log.Info("autosave PATCH scaling", "clients", n, "req/s", int(r.Throughput), "p50", r.P50, "p99", r.P99)
		m.Scaling = append(m.Scaling, scalePoint{Clients: n, Result: r})
	}
	log.Info("autosave PATCH as fast as it goes (ceiling)")
	m.AutosaveMax = attack("autosave-max", roundRobin(fx.autosave), 0, d, 32)
	pause()
	log.Info("autosave PATCH at the goal rate", "rate", int(rates.Autosave))
	m.Autosave = attack("autosave", roundRobin(fx.autosave), rates.Autosave, d, 64)
	pause()
	log.Info("committee round list (500 candidates)", "rate", rates.RoundList)
	m.RoundList = attack("round-list", roundRobin(fx.roundList), rates.RoundList, d, 8)
	pause()
	log.Info("committee profile read", "rate", rates.ProfileRead)
	m.ProfileRead = attack("profile-read", roundRobin(fx.profileRead), rates.ProfileRead, d, 16)
	pause()

	log.Info("submit burst", "rate", rates.Submit, "candidates", len(fx.submit))
	m.Submit = attack("submit", once(fx.submit), rates.Submit, d+5*time.Second, 16)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		lat, pending, err := db.submitLatencies(ctx, fx.submitIDs)
		if err != nil {
			return err
		}
		if pending == 0 || time.Now().After(deadline) {
			slices.Sort(lat)
			m.SubmitP50, m.SubmitP95, m.SubmitPending = quantile(lat, 0.50), quantile(lat, 0.95), pending
			break
		}
		time.Sleep(200 * time.Millisecond)
	}

	if q != nil && fx.compileN > 0 {
		log.Info("worker compile throughput", "n", fx.compileN)
		cs, err := fx.add(fx.compileN, models.StatusSubmitted, "werk")
		if err != nil {
			return err
		}
		ids := make([]string, len(cs))
		start := time.Now()
		for i, c := range cs {
			ids[i] = c.ID
			if err := q.EnqueueCompile(ctx, c.ID, c.Revision); err != nil {
				return err
			}
		}
		for {
			n, err := db.count(ctx, "candidates", "status = 'profiled' AND id IN ?", ids)
			if err != nil {
				return err
			}
			if int(n) == len(ids) {
				break
			}
			if time.Since(start) > 5*time.Minute {
				return fmt.Errorf("compile: %d of %d profiled after 5 min", n, len(ids))
			}
			time.Sleep(50 * time.Millisecond)
		}
		m.CompileRate, m.CompileN = float64(len(ids))/time.Since(start).Seconds(), len(ids)
	}
	return nil
}

// scalePoint is the autosave throughput at a number of clients.
type scalePoint struct {
	Clients uint64
	Result  result
}

func pause() { time.Sleep(3 * time.Second) }

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}
