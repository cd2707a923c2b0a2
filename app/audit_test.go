package app_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/app"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/models"
)

// sha256Chain rewrites a party's chain as the unkeyed SHA-256 chain that
// versions before the keyed chain wrote (the same parts, no key).
func sha256Chain(t *testing.T, db *gorm.DB, partyID string) []models.AuditEvent {
	t.Helper()
	var evs []models.AuditEvent
	if err := db.Where("party_id = ?", partyID).Order("seq").Find(&evs).Error; err != nil {
		t.Fatal(err)
	}
	prev := ""
	for i := range evs {
		ev := &evs[i]
		ev.PrevHash = prev
		cand := ""
		if ev.CandidateID != nil {
			cand = *ev.CandidateID
		}
		h := sha256.New()
		for _, part := range []string{ev.PrevHash, ev.PartyID, strconv.FormatInt(ev.Seq, 10), cand, ev.ActorID, ev.ActorRole, ev.Action, ev.CreatedAt.UTC().Format(time.RFC3339Nano), ev.ID} {
			fmt.Fprintf(h, "%d:%s|", len(part), part)
		}
		ev.Hash = hex.EncodeToString(h.Sum(nil))
		prev = ev.Hash
		if err := db.Model(&models.AuditEvent{}).Where("id = ?", ev.ID).Updates(map[string]any{"prev_hash": ev.PrevHash, "hash": ev.Hash}).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Model(&models.Party{}).Where("id = ?", partyID).UpdateColumn("audit_head", prev).Error; err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestAuditKeyOutsideDatabase (issue 11, finding 7): the chain's key lives
// in the key store, wrapped by the master key. Chains written before it was
// keyed are verified and re-chained once; one that was broken already stays
// broken; deleting the newest events is found even with the party row
// rewound (the key store's anchor); the chain verifies after a key rotation
// with the new master key alone.
func TestAuditKeyOutsideDatabase(t *testing.T) {
	e := apptest.Start(t, apptest.Embedded())
	e.StartWorker()
	ctx := context.Background()
	good := newParty(t, e, time.Now().Add(30*24*time.Hour))
	cid := answeredCandidate(t, e, good, "keten@test.nl")
	bad := e.Must(201, "POST", v1+"/parties", good.admin, map[string]string{"name": "Partij Zuid"}).Map(t)["id"].(string)
	e.Sys.StopWorker()

	// An old installation: unkeyed chains, no audit key in the key store.
	sha256Chain(t, e.Sys.DB, good.pid)
	sha256Chain(t, e.Sys.DB, bad)
	if err := e.Sys.DB.Exec("UPDATE audit_events SET action = 'niets' WHERE party_id = ? AND seq = 1", bad).Error; err != nil {
		t.Fatal(err)
	}
	ks, _, err := models.Open(e.Cfg.KeystorePath(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer models.Close(ks)
	for _, tbl := range []string{"secrets", "audit_anchors"} {
		if err := ks.Exec("DELETE FROM " + tbl).Error; err != nil {
			t.Fatal(err)
		}
	}
	e.Sys.Close()

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
	s := open(e.Cfg.MasterKey, "")
	if seq, err := s.Store.VerifyAudit(ctx, good.pid); err != nil || seq != 0 {
		t.Fatalf("an intact unkeyed chain was not carried over: broken at %d (%v)", seq, err)
	}
	if seq, err := s.Store.VerifyAudit(ctx, bad); err != nil || seq != 1 {
		t.Fatalf("a chain broken before it was keyed: broken at %d (%v), want 1", seq, err)
	}

	// Deleting the newest events and rewinding the party row with them: the
	// key store's anchor (moved by the reconciler) finds it.
	c, err := s.Store.Candidate(ctx, cid)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := s.Store.AuditRead(ctx, c, models.Actor{ID: "lezer", Role: models.RoleCommissie}, "profile.read"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Store.AnchorAudit(ctx); err != nil {
		t.Fatal(err)
	}
	var evs []models.AuditEvent
	if err := s.DB.Where("party_id = ?", good.pid).Order("seq").Find(&evs).Error; err != nil {
		t.Fatal(err)
	}
	n := len(evs)
	gone, keep := evs[n-2:], evs[n-3]
	if err := s.DB.Where("party_id = ? AND seq > ?", good.pid, keep.Seq).Delete(&models.AuditEvent{}).Error; err != nil {
		t.Fatal(err)
	}
	rewind := func(seq int64, head string) {
		if err := s.DB.Model(&models.Party{}).Where("id = ?", good.pid).UpdateColumns(map[string]any{"audit_seq": seq, "audit_head": head}).Error; err != nil {
			t.Fatal(err)
		}
	}
	rewind(keep.Seq, keep.Hash)
	if seq, err := s.Store.VerifyAudit(ctx, good.pid); err != nil || seq != gone[0].Seq {
		t.Fatalf("events deleted with the party row rewound: broken at %d (%v), want %d", seq, err, gone[0].Seq)
	}
	if err := s.DB.Create(&gone).Error; err != nil {
		t.Fatal(err)
	}
	rewind(gone[1].Seq, gone[1].Hash)
	if seq, err := s.Store.VerifyAudit(ctx, good.pid); err != nil || seq != 0 {
		t.Fatalf("restored chain: broken at %d (%v)", seq, err)
	}

	// Key rotation re-wraps the audit key: the new master key alone verifies.
	newKey := newMasterKey(t)
	if _, err := open(newKey, e.Cfg.MasterKey).Store.RotateKeys(ctx); err != nil {
		t.Fatal(err)
	}
	rotated := open(newKey, "")
	if seq, err := rotated.Store.VerifyAudit(ctx, good.pid); err != nil || seq != 0 {
		t.Fatalf("after key rotation: broken at %d (%v)", seq, err)
	}

	// The carry-over happened once: an unkeyed chain written now is refused.
	sha256Chain(t, rotated.DB, good.pid)
	if seq, err := open(newKey, "").Store.VerifyAudit(ctx, good.pid); err != nil || seq != 1 {
		t.Fatalf("an unkeyed chain written after the carry-over: broken at %d (%v), want 1", seq, err)
	}
}

func newMasterKey(t *testing.T) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}
