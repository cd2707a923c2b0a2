package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// TestQuickEmbedded runs the whole benchmark small and short in embedded
// mode, so that it cannot rot: the seed, every scenario and the table. It
// checks that no request failed and every submit got its profile, not the
// speeds (those are for `make bench`).
func TestQuickEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs load for ~20 s; run without -short")
	}
	rep, err := run(context.Background(), options{Mode: "embedded", Quick: true, Work: t.TempDir()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	m := rep.Embedded
	if m == nil || m.Data.Candidates == 0 || m.Data.Profiles == 0 || m.Data.AuditEvents == 0 {
		t.Fatalf("empty data set: %+v", m)
	}
	for name, r := range map[string]result{"autosave": m.Autosave, "ceiling": m.AutosaveMax, "round list": m.RoundList, "profile read": m.ProfileRead, "submit": m.Submit} {
		if r.Requests == 0 || failures(r) > 0 {
			t.Errorf("%s: %d requests, status codes %v, errors %v", name, r.Requests, r.Codes, r.Errors)
		}
	}
	if m.SubmitPending > 0 || m.SubmitP95 == 0 {
		t.Errorf("submits without a profile: %d (p95 %v)", m.SubmitPending, m.SubmitP95)
	}
	if rep.EvalPerSec <= 0 || rep.BarePerSec <= 0 {
		t.Errorf("no Evaluate figures: %+v", rep)
	}
	md := rep.Markdown()
	for _, want := range []string{"| Scenario |", "Evaluate", "Autosave", "Submit burst", "round list", "peak RSS"} {
		if !strings.Contains(md, want) {
			t.Errorf("table lacks %q:\n%s", want, md)
		}
	}
}
