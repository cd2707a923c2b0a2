package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestQuestionnaireCheck(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"questionnaire", "check", "../../questionnaires/weerbaarheidsscan.yaml"}, env(nil), nil, &out, &out); err != nil {
		t.Fatalf("shipped questionnaire: %v\n%s", err, out.String())
	}
	bad := filepath.Join(t.TempDir(), "kapot.yaml")
	src, err := os.ReadFile("../../questionnaires/weerbaarheidsscan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), `when: F3 == "ja"`, `when: F3 == "ja" &&`, 1)
	if broken == string(src) {
		t.Fatal("test could not break the file")
	}
	if err := os.WriteFile(bad, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = run(context.Background(), []string{"questionnaire", "check", bad}, env(nil), nil, &out, &out)
	if exitCode(err) != 1 {
		t.Fatalf("exit %d (%v), want 1", exitCode(err), err)
	}
	if !strings.Contains(out.String(), "kapot.yaml") || !strings.Contains(out.String(), "schulden") {
		t.Fatalf("problem does not name the file and rule:\n%s", out.String())
	}
}

func TestAdminCLI(t *testing.T) {
	e := env(map[string]string{"WEERBAAR_DATA": t.TempDir()})
	ctx := context.Background()
	lastLine := func(s string) string {
		lines := strings.Split(strings.TrimSpace(s), "\n")
		return lines[len(lines)-1]
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"admin", "create-admin", "--email", "a@b.nl", "--name", "A", "--password-stdin"}, e, strings.NewReader("een-goed-wachtwoord\n"), &out, &out); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"admin", "create-party", "--name", "Partij"}, e, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	pid := lastLine(out.String())
	if len(pid) != 36 {
		t.Fatalf("party id %q", pid)
	}
	out.Reset()
	if err := run(ctx, []string{"admin", "add-member", "--party", pid, "--email", "c@b.nl", "--name", "C", "--role", "commissie", "--password-stdin"}, e, strings.NewReader("een-goed-wachtwoord\n"), &out, &out); err != nil {
		t.Fatal(err)
	}
	if len(lastLine(out.String())) != 36 {
		t.Fatalf("user id %q", out.String())
	}
	err := run(ctx, []string{"admin", "add-member", "--party", pid, "--email", "d@b.nl", "--name", "D", "--role", "koning", "--password-stdin"}, e, strings.NewReader("een-goed-wachtwoord\n"), &out, &out)
	if exitCode(err) != 2 {
		t.Fatalf("bad role: exit %d", exitCode(err))
	}
	if err := run(ctx, []string{"admin", "create-admin", "--email", "x@b.nl", "--name", "X", "--password-stdin"}, e, strings.NewReader("kort\n"), &out, &out); err == nil {
		t.Fatal("short password accepted")
	}
	out.Reset()
	if err := run(ctx, []string{"audit", "verify"}, e, nil, &out, &out); err != nil {
		t.Fatalf("audit verify: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "in orde") {
		t.Fatalf("audit verify output: %s", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"retention", "--dry-run"}, e, nil, &out, &out); err != nil || !strings.Contains(out.String(), "proefdraai") {
		t.Fatalf("retention --dry-run: %v\n%s", err, out.String())
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestDemo starts `weerbaar demo`, logs in with every printed login and
// stops it with a signal-like cancel.
func TestDemo(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo"}, env(map[string]string{"WEERBAAR_DATA": t.TempDir(), "LISTEN_ADDR": addr}), nil, out, out)
	}()
	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("demo not ready: %v\n%s", err, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, l := range demoLogins {
		if !strings.Contains(out.String(), l.email) || !strings.Contains(out.String(), l.password) {
			t.Errorf("demo output lacks login %s", l.email)
		}
		body := fmt.Sprintf(`{"email":%q,"password":%q}`, l.email, l.password)
		resp, err := http.Post(base+"/api/v1/session", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 201 {
			t.Errorf("login %s: %d", l.email, resp.StatusCode)
		}
	}
	resp, err := http.Get(base + "/dev/mail")
	if err != nil {
		t.Fatal(err)
	}
	var mails []map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&mails)
	resp.Body.Close()
	if len(mails) < 5 {
		t.Errorf("dev outbox has %d mails, want the 5 invitations", len(mails))
	}
	statenlid := false // the provincial round of questionnaire version 2
	for _, m := range mails {
		statenlid = statenlid || (m["to"] == "eva@demo.weerbaar.nl" && strings.Contains(fmt.Sprint(m["text"]), "functie van lid van Provinciale Staten"))
	}
	if !statenlid {
		t.Error("demo lacks the invitation to the Provinciale Staten round")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("demo exit: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not shut down")
	}
}
