package main

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// proc is a Weerbaar process started from the built binary.
type proc struct {
	name string
	cmd  *exec.Cmd
	rss  *rssSampler
}

func startProc(ctx context.Context, bin, name, logPath string, env []string, args ...string) (*proc, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{name: name, cmd: cmd, rss: newRSSSampler(cmd.Process.Pid)}
	return p, nil
}

func (p *proc) stop() {
	p.rss.stop()
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

// waitReady polls /readyz until the process answers 200.
func waitReady(ctx context.Context, base string, p *proc) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if p.cmd.ProcessState != nil {
			return fmt.Errorf("%s exited: %v", p.name, p.cmd.ProcessState)
		}
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/readyz", nil)
		if r, err := http.DefaultClient.Do(req); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready after 60 s", p.name)
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// rssSampler records the peak resident set size of a process, read from
// /proc every 100 ms (VmHWM also covers the moments between samples).
type rssSampler struct {
	pid  int
	peak atomic.Int64 // kB
	quit chan struct{}
	once sync.Once
}

func newRSSSampler(pid int) *rssSampler {
	s := &rssSampler{pid: pid, quit: make(chan struct{})}
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.quit:
				return
			case <-t.C:
				s.sample()
			}
		}
	}()
	return s
}

func (s *rssSampler) sample() {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.pid))
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && (k == "VmHWM" || k == "VmRSS") {
			if n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64); err == nil && n > s.peak.Load() {
				s.peak.Store(n)
			}
		}
	}
}

// peakMB is the highest RSS seen so far, in MiB.
func (s *rssSampler) peakMB() float64 {
	s.sample()
	return float64(s.peak.Load()) / 1024
}

func (s *rssSampler) stop() { s.once.Do(func() { close(s.quit) }) }

// result is one scenario's outcome.
type result struct {
	Requests   uint64
	Throughput float64 // successful requests/s
	P50, P95   time.Duration
	P99, Max   time.Duration
	Success    float64
	Errors     []string
	Codes      map[string]int
}

// attack runs targeter at rate for d (rate 0: as fast as workers allow).
func attack(name string, tr vegeta.Targeter, rate float64, d time.Duration, workers uint64) result {
	// At most 256 connections, as a reverse proxy in front of the API would
	// keep: requests beyond them wait in the client, and that wait counts
	// in their latency (the rate stays open-loop).
	opts := []func(*vegeta.Attacker){vegeta.KeepAlive(true), vegeta.Timeout(30 * time.Second), vegeta.Connections(256), vegeta.MaxConnections(256)}
	pace := vegeta.Rate{Freq: int(rate), Per: time.Second}
	if rate <= 0 {
		pace = vegeta.Rate{Freq: 0}
		opts = append(opts, vegeta.Workers(workers), vegeta.MaxWorkers(workers))
	} else {
		opts = append(opts, vegeta.Workers(workers))
	}
	at := vegeta.NewAttacker(opts...)
	var m vegeta.Metrics
	var start time.Time
	perSec := map[int]time.Duration{} // worst latency of the requests sent in each second
	var firstFail []string
	for res := range at.Attack(tr, pace, d, name) {
		if res.Error == vegeta.ErrNoTargets.Error() {
			continue // the once targeter ran out: not a request
		}
		if start.IsZero() || res.Timestamp.Before(start) {
			start = res.Timestamp
		}
		sec := int(res.Timestamp.Sub(start) / time.Second)
		perSec[sec] = max(perSec[sec], res.Latency)
		if res.Code >= 400 && len(firstFail) < 3 {
			firstFail = append(firstFail, fmt.Sprintf("%d %s", res.Code, res.Body))
		}
		m.Add(res)
	}
	m.Close()
	var line []string
	for sec := range len(perSec) {
		line = append(line, fmt.Sprintf("%d", perSec[sec].Milliseconds()))
	}
	slog.Info("worst latency per second (ms)", "scenario", name, "ms", strings.Join(line, " "))
	if len(firstFail) > 0 {
		slog.Warn("failed requests", "scenario", name, "first", strings.Join(firstFail, " | "))
	}
	ok := 0
	for code, n := range m.StatusCodes {
		if strings.HasPrefix(code, "2") {
			ok += n
		}
	}
	r := result{Requests: m.Requests, Throughput: float64(ok) / max(m.Duration.Seconds(), 1e-9), P50: m.Latencies.P50, P95: m.Latencies.P95,
		P99: m.Latencies.P99, Max: m.Latencies.Max, Success: m.Success, Errors: m.Errors, Codes: m.StatusCodes}
	return r
}

func bearer(tok string) http.Header {
	return http.Header{"Authorization": {"Bearer " + tok}, "Content-Type": {"application/json"}}
}

// roundRobin cycles over prepared targets; safe for vegeta's workers.
func roundRobin(ts []vegeta.Target) vegeta.Targeter {
	var i atomic.Uint64
	return func(t *vegeta.Target) error {
		*t = ts[(i.Add(1)-1)%uint64(len(ts))]
		return nil
	}
}

// once hands out each target once, then ends the attack.
func once(ts []vegeta.Target) vegeta.Targeter {
	var i atomic.Uint64
	return func(t *vegeta.Target) error {
		n := i.Add(1) - 1
		if n >= uint64(len(ts)) {
			return vegeta.ErrNoTargets
		}
		*t = ts[n]
		return nil
	}
}
