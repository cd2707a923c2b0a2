package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// report is one bench run.
type report struct {
	Started    time.Time
	Took       time.Duration
	Machine    string
	Quick      bool
	EvalPerSec float64
	BarePerSec float64
	Server     *modeResult
	Embedded   *modeResult
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func mark(ok bool) string {
	if ok {
		return "✅"
	}
	return "❌"
}

// failures counts the requests that did not get a 2xx.
func failures(r result) int {
	n := 0
	for code, c := range r.Codes {
		if !strings.HasPrefix(code, "2") {
			n += c
		}
	}
	return n
}

func codes(r result) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(r.Codes)) {
		parts = append(parts, fmt.Sprintf("%s×%d", k, r.Codes[k]))
	}
	return strings.Join(parts, " ")
}

// Markdown renders the results table.
func (r *report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Benchmark %s\n\n", r.Started.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "Machine: %s. Whole run: %s.", r.Machine, r.Took.Round(time.Second))
	if r.Quick {
		b.WriteString(" **Quick run (smoke test): small data set, short scenarios; the figures say little.**")
	}
	b.WriteString("\n\n| Scenario | Measured | Baseline (same run) | Ratio | Goal | |\n|---|---|---|---|---|---|\n")
	ratio := r.EvalPerSec / r.BarePerSec
	fmt.Fprintf(&b, "| `Evaluate`, stored answers → profile, 1 core | %.0f profiles/s | bare loop over the same compiled rules: %.0f runs/s | %.2f× | ≥ 50,000/s and ≥ 0.35× | %s |\n",
		r.EvalPerSec, r.BarePerSec, ratio, mark(r.EvalPerSec >= 50000 && ratio >= 0.35))
	if m := r.Server; m != nil {
		m.rows(&b, true)
	}
	if m := r.Embedded; m != nil {
		m.rows(&b, false)
	}
	for _, m := range []*modeResult{r.Server, r.Embedded} {
		if m == nil {
			continue
		}
		d := m.Data
		fmt.Fprintf(&b, "\n%s data set: %d candidates, %d answers (encrypted), %d profiles, %d audit events.", m.Mode, d.Candidates, d.Answers, d.Profiles, d.AuditEvents)
		if d.SeedTime > 0 {
			fmt.Fprintf(&b, " Seeded in %s (profiles compiled in-process at %.0f/s).", d.SeedTime.Round(time.Second), d.CompileRate)
		}
		if m.PgbenchCmd != "" {
			fmt.Fprintf(&b, " Baseline command: `%s`.", m.PgbenchCmd)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (m *modeResult) rows(b *strings.Builder, server bool) {
	tag := "server"
	if !server {
		tag = "embedded, ⅒ load"
	}
	row := func(name, measured, base, ratio, goal string, ok bool) {
		fmt.Fprintf(b, "| %s (%s) | %s | %s | %s | %s | %s |\n", name, tag, measured, base, ratio, goal, mark(ok))
	}
	errs := func(r result) string {
		if n := failures(r); n > 0 {
			return fmt.Sprintf(", **%d failed** (%s)", n, codes(r))
		}
		return ""
	}
	a := m.Autosave
	if server {
		rt := a.Throughput / m.PgbenchTPS
		row(fmt.Sprintf("Autosave `PATCH /me/answers` at %.0f/s", m.Rates.Autosave), fmt.Sprintf("%.0f req/s, p99 %s%s", a.Throughput, ms(a.P99), errs(a)),
			fmt.Sprintf("`pgbench -N`: %.0f tps", m.PgbenchTPS), fmt.Sprintf("%.2f×", rt), "≥ 0.5×, p99 ≤ 50 ms", rt >= 0.49 && a.P99 <= 50*time.Millisecond && failures(a) == 0)
		mx := m.AutosaveMax
		row("Autosave ceiling (as fast as it goes, 32 clients)", fmt.Sprintf("%.0f req/s, p99 %s%s", mx.Throughput, ms(mx.P99), errs(mx)),
			fmt.Sprintf("`pgbench -N`: %.0f tps", m.PgbenchTPS), fmt.Sprintf("%.2f×", mx.Throughput/m.PgbenchTPS), "(capacity)", failures(mx) == 0)
		var pts []string
		for _, p := range m.Scaling {
			pts = append(pts, fmt.Sprintf("%d: %.0f", p.Clients, p.Result.Throughput))
		}
		row("Autosave by clients (req/s)", strings.Join(pts, ", "), "—", "—", "(scaling)", true)
		se := m.AutosaveSerial
		row("Autosave, one client in a loop", fmt.Sprintf("%.0f req/s, p50 %s, p99 %s%s", se.Throughput, ms(se.P50), ms(se.P99), errs(se)),
			"—", "—", "(latency floor)", failures(se) == 0)
		cr := m.CompileRate / m.PgbenchTPS
		row(fmt.Sprintf("Worker `profile:compile`, %d queued", m.CompileN), fmt.Sprintf("%.0f profiles/s", m.CompileRate),
			fmt.Sprintf("`pgbench -N`: %.0f tps; no-op task: %.0f/s", m.PgbenchTPS, m.NoopTasks), fmt.Sprintf("%.2f× (%.2f× no-op)", cr, m.CompileRate/m.NoopTasks), "≥ 0.4×", cr >= 0.4)
	} else {
		row(fmt.Sprintf("Autosave `PATCH /me/answers` at %.0f/s", m.Rates.Autosave), fmt.Sprintf("%.0f req/s, p99 %s%s", a.Throughput, ms(a.P99), errs(a)), "—", "—", "no errors", failures(a) == 0)
		mx := m.AutosaveMax
		row("Autosave ceiling (as fast as it goes, 32 clients)", fmt.Sprintf("%.0f req/s, p99 %s%s", mx.Throughput, ms(mx.P99), errs(mx)), "—", "—", "(the ceiling)", failures(mx) == 0)
	}
	s := m.Submit
	row(fmt.Sprintf("Submit burst, %.0f submits/s → profile", m.Rates.Submit), fmt.Sprintf("p50 %s, p95 %s, %d submits, %d without profile%s", ms(m.SubmitP50), ms(m.SubmitP95), s.Requests, m.SubmitPending, errs(s)),
		"—", "—", "p95 ≤ 500 ms", m.SubmitP95 <= 500*time.Millisecond && m.SubmitPending == 0 && failures(s) == 0)
	l := m.RoundList
	row(fmt.Sprintf("Committee round list, 500 of %d candidates, %.0f/s", m.Data.Candidates, m.Rates.RoundList), fmt.Sprintf("p50 %s, p95 %s%s", ms(l.P50), ms(l.P95), errs(l)),
		"—", "—", "p95 ≤ 50 ms", l.P95 <= 50*time.Millisecond && failures(l) == 0)
	p := m.ProfileRead
	row(fmt.Sprintf("Committee profile read (audited), %.0f/s", m.Rates.ProfileRead), fmt.Sprintf("p50 %s, p95 %s, p99 %s%s", ms(p.P50), ms(p.P95), ms(p.P99), errs(p)),
		"—", "—", "no errors", failures(p) == 0)
	rss := fmt.Sprintf("%.0f MB", m.APIPeakMB)
	if server {
		rss += fmt.Sprintf(" (worker %.0f MB)", m.WorkerPeakMB)
	}
	name := "API process peak RSS"
	if !server {
		name = "All-in-one process peak RSS"
	}
	row(name, rss, "—", "—", "≤ 150 MB", m.APIPeakMB <= 150)
}
