package models_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/models"
)

// unkeyedHash is the chain hash as anyone can compute it from the rows
// alone: SHA-256 over the event and its predecessor's hash (what the chain
// used before it was keyed, and what an attacker without the key can do).
func unkeyedHash(ev models.AuditEvent) string {
	cand := ""
	if ev.CandidateID != nil {
		cand = *ev.CandidateID
	}
	h := sha256.New()
	for _, part := range []string{ev.PrevHash, ev.PartyID, strconv.FormatInt(ev.Seq, 10), cand, ev.ActorID, ev.ActorRole, ev.Action, ev.CreatedAt.UTC().Format(time.RFC3339Nano), ev.ID} {
		fmt.Fprintf(h, "%d:%s|", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// partyEvents reads a party's whole chain straight from the table.
func partyEvents(t *testing.T, db *gorm.DB, partyID string) []models.AuditEvent {
	t.Helper()
	var evs []models.AuditEvent
	if err := db.Where("party_id = ?", partyID).Order("seq").Find(&evs).Error; err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestLeak_AuditTruncationAndRewrite (issue 11, finding 7): someone with
// write access to the database edits an event and recomputes the chain
// from there (and the party's head), or deletes the newest events; `audit
// verify` must report both.
func TestLeak_AuditTruncationAndRewrite(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, db *gorm.DB, evs []models.AuditEvent) int64 // returns the seq verify must name
	}{
		{"rewrite and recompute the chain", func(t *testing.T, db *gorm.DB, evs []models.AuditEvent) int64 {
			from := len(evs) - 3
			evs[from].ActorID = "iemand-anders"
			prev := evs[from].PrevHash
			for i := from; i < len(evs); i++ {
				evs[i].PrevHash = prev
				evs[i].Hash = unkeyedHash(evs[i])
				prev = evs[i].Hash
				if err := db.Model(&models.AuditEvent{}).Where("id = ?", evs[i].ID).
					Updates(map[string]any{"actor_id": evs[i].ActorID, "prev_hash": evs[i].PrevHash, "hash": evs[i].Hash}).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Model(&models.Party{}).Where("id = ?", evs[0].PartyID).UpdateColumn("audit_head", prev).Error; err != nil {
				t.Fatal(err)
			}
			return evs[from].Seq
		}},
		{"delete the newest events", func(t *testing.T, db *gorm.DB, evs []models.AuditEvent) int64 {
			last := evs[len(evs)-2:]
			for _, ev := range last {
				if err := db.Where("id = ?", ev.ID).Delete(&models.AuditEvent{}).Error; err != nil {
					t.Fatal(err)
				}
			}
			return last[0].Seq
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, db, _ := newStore(t)
			c := candidateWithAnswers(t, st)
			ctx := context.Background()
			for i := 0; i < 3; i++ {
				if err := st.AuditRead(ctx, c, actor, "profile.read"); err != nil {
					t.Fatal(err)
				}
			}
			if seq, err := st.VerifyAudit(ctx, c.PartyID); err != nil || seq != 0 {
				t.Fatalf("untouched chain broken at %d: %v", seq, err)
			}
			want := tc.tamper(t, db, partyEvents(t, db, c.PartyID))
			seq, err := st.VerifyAudit(ctx, c.PartyID)
			if err != nil {
				t.Fatal(err)
			}
			if seq != want {
				t.Fatalf("audit verify after tampering: broken at %d, want %d (0 = not detected)", seq, want)
			}
		})
	}
}
