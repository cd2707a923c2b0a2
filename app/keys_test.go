package app_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/app"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/models"
)

// answeredCandidate makes a candidate with saved answers through the API.
func answeredCandidate(t *testing.T, e *apptest.Env, p *party, email string) string {
	t.Helper()
	cid := p.invite(t, "K", email)
	tok := e.Must(201, "POST", v1+"/invitations/"+e.InvitationToken(email)+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/consent", tok, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", tok, map[string]any{"answers": sample.Flagged()})
	return cid
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestCryptoShredding: a copy of the database taken before a candidate is
// deleted can no longer be decrypted for that candidate once its key is
// gone; before the deletion the same copy could be read.
func TestCryptoShredding(t *testing.T) {
	e := apptest.Start(t, apptest.Embedded())
	e.StartWorker()
	cid := answeredCandidate(t, e, newParty(t, e, time.Now().Add(30*24*time.Hour)), "shred@test.nl")
	ctx := context.Background()
	if err := e.Sys.DB.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		t.Fatal(err)
	}
	backupDir := t.TempDir()
	copyFile(t, e.Cfg.SQLitePath(), filepath.Join(backupDir, "weerbaar.db"))

	// Open the backup with the same master key and the live key store.
	openBackup := func() *app.System {
		cfg := e.Cfg
		cfg.DataDir = backupDir
		cfg.KeystoreURL = e.Cfg.KeystorePath()
		s, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{StoreOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	readBackup := func() error {
		s := openBackup()
		c, err := s.Store.Candidate(ctx, cid)
		if err != nil {
			return err
		}
		ans, err := s.Store.Answers(ctx, c)
		if err == nil && ans["N5"] != sample.Flagged()["N5"] {
			t.Fatalf("backup decrypted to something else: %v", ans["N5"])
		}
		return err
	}
	if err := readBackup(); err != nil {
		t.Fatalf("the backup should be readable before the deletion: %v", err)
	}
	if err := e.Sys.Store.DeleteCandidate(ctx, models.SystemActor, cid, "test"); err != nil {
		t.Fatal(err)
	}
	if err := readBackup(); !errors.Is(err, models.ErrShredded) {
		t.Fatalf("backup still readable after the key was deleted: %v", err)
	}
}

// TestKeyRotationWhileServing: the service runs with the new master key
// and the old one as previous; `weerbaar keys rotate` re-wraps every key
// while reads go on; afterwards the old key is not needed and not enough.
func TestKeyRotationWhileServing(t *testing.T) {
	e := apptest.Start(t, apptest.Embedded())
	e.StartWorker()
	var ids []string
	p := newParty(t, e, time.Now().Add(30*24*time.Hour))
	for _, m := range []string{"a@test.nl", "b@test.nl", "c@test.nl"} {
		ids = append(ids, answeredCandidate(t, e, p, m))
	}
	oldKey := e.Cfg.MasterKey
	e.Sys.Close()

	b := make([]byte, 32)
	_, _ = rand.Read(b)
	newKey := base64.StdEncoding.EncodeToString(b)
	ctx := context.Background()
	open := func(master, previous string) *app.System {
		cfg := e.Cfg
		cfg.MasterKey, cfg.PreviousKeys = master, previous
		s, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{StoreOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	readAll := func(s *app.System) error {
		for _, id := range ids {
			c, err := s.Store.Candidate(ctx, id)
			if err != nil {
				return err
			}
			if _, err := s.Store.Answers(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}
	serving := open(newKey, oldKey)
	var stop atomic.Bool
	var reads, failures atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			if err := readAll(serving); err != nil {
				failures.Add(1)
			}
			reads.Add(1)
		}
	}()
	rotator := open(newKey, oldKey)
	n, err := rotator.Store.RotateKeys(ctx)
	// The data keys plus the key store's platform secrets (audit key, …).
	if err != nil || n <= len(ids) {
		t.Fatalf("rotated %d keys (%v), want the %d data keys and the secrets", n, err, len(ids))
	}
	time.Sleep(50 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if failures.Load() > 0 || reads.Load() == 0 {
		t.Fatalf("%d of %d reads failed during rotation", failures.Load(), reads.Load())
	}
	if n, _ := rotator.Store.RotateKeys(ctx); n != 0 {
		t.Fatalf("second rotation re-wrapped %d keys", n)
	}
	if err := readAll(open(newKey, "")); err != nil {
		t.Fatalf("new key alone cannot read: %v", err)
	}
	// With the old key alone the service does not even start (it cannot
	// open the key store's audit key), and cannot read.
	cfg := e.Cfg
	cfg.MasterKey, cfg.PreviousKeys = oldKey, ""
	if s, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{StoreOnly: true}); err == nil {
		t.Cleanup(s.Close)
		if err := readAll(s); err == nil {
			t.Fatal("the old key alone can still read after rotation")
		}
	}
}
