package models

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// The audit log is a chain per party: each event carries the HMAC (keyed
// with the key store's audit secret, never in the main database) of its
// content and its predecessor's hash, and parties.audit_seq/audit_head name
// the newest link. Verification walks the chain, compares its end with the
// party row and with the anchor in the key store, so an edited event (even
// with the chain recomputed) and deleted newest events are both found.

// chainHash is the keyed hash of one audit event.
func chainHash(key []byte, ev AuditEvent) string {
	h := hmac.New(sha256.New, key)
	writeChainParts(h, ev)
	return hex.EncodeToString(h.Sum(nil))
}

// unkeyedChainHash is the hash the chain used before it was keyed (SHA-256
// over the same parts); only PrepareAudit reads it, to carry old chains over.
func unkeyedChainHash(ev AuditEvent) string {
	h := sha256.New()
	writeChainParts(h, ev)
	return hex.EncodeToString(h.Sum(nil))
}

func writeChainParts(h interface{ Write([]byte) (int, error) }, ev AuditEvent) {
	cand := ""
	if ev.CandidateID != nil {
		cand = *ev.CandidateID
	}
	for _, part := range []string{ev.PrevHash, ev.PartyID, strconv.FormatInt(ev.Seq, 10), cand, ev.ActorID, ev.ActorRole, ev.Action, ev.CreatedAt.UTC().Format(time.RFC3339Nano), ev.ID} {
		fmt.Fprintf(h, "%d:%s|", len(part), part)
	}
}

func (s *Store) auditKey(ctx context.Context) ([]byte, error) {
	key, _, err := s.secret(ctx, secretAudit)
	return key, err
}

// audit appends an event to the party's hash chain inside tx. The party row
// update serialises writers per party, so the chain never forks.
func (s *Store) audit(tx *gorm.DB, partyID string, candidateID *string, actor Actor, action string) error {
	key, err := s.auditKey(tx.Statement.Context)
	if err != nil {
		return err
	}
	// One round trip takes the lock and reads the head (the lock is held
	// until commit, so the fewer statements under it the better).
	var p Party
	if err := tx.Raw("UPDATE parties SET audit_seq = audit_seq + 1 WHERE id = ? RETURNING audit_seq, audit_head", partyID).Scan(&p).Error; err != nil {
		return err
	}
	if p.AuditSeq == 0 {
		return ErrNotFound
	}
	return s.writeAudit(tx, s.auditEvent(key, partyID, p.AuditSeq, p.AuditHead, candidateID, actor, action))
}

// writeAudit writes an event whose seq the transaction holds (it raised
// audit_seq under the party row's lock) and makes it the head, in one
// round trip (a batch).
func (s *Store) writeAudit(tx *gorm.DB, ev AuditEvent) error {
	_, err := s.execBatch(tx, stmt{sql: insertAuditEvent + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", args: auditArgs(ev)},
		stmt{sql: `UPDATE parties SET audit_head = ? WHERE id = ?`, args: []any{ev.Hash, ev.PartyID}})
	return err
}

// auditTail is an audit event that rides at the end of a batch (auditAfter)
// and is finished after it (finish).
type auditTail struct {
	key []byte
	ev  AuditEvent // the event after the head the caller read
	// seq and head are the party row as the batch left it.
	seq  sql.NullInt64
	head sql.NullString
}

// auditAfter is audit for the end of a batch (execBatch), without round
// trips of its own when the party's chain did not move: the caller read
// the head (seq, head) in its transaction without locking the party row,
// and the event is chained after it. On PostgreSQL two statements go at
// the end of the batch: the party row's update, which raises audit_seq
// (taking the row's lock, last as locks.go wants) and sets the new head
// only if the head is still the one read, and the event, written only if
// it did. finish then writes the event after the actual head when another
// transaction appended meanwhile: the batch holds its seq already, so that
// costs one round trip under the lock, not two. On SQLite (one writer, no
// round trips) finish simply calls audit.
func (s *Store) auditAfter(tx *gorm.DB, batch []stmt, partyID string, seq int64, head string, candidateID *string, actor Actor, action string) ([]stmt, *auditTail, error) {
	key, err := s.auditKey(tx.Statement.Context)
	if err != nil {
		return nil, nil, err
	}
	t := &auditTail{key: key, ev: s.auditEvent(key, partyID, seq+1, head, candidateID, actor, action)}
	if s.dialect != Postgres {
		return batch, t, nil
	}
	batch = append(batch, stmt{sql: `UPDATE parties SET audit_seq = audit_seq + 1,
		audit_head = CASE WHEN audit_seq = ? AND audit_head = ? THEN ? ELSE audit_head END WHERE id = ?`,
		args: []any{seq, head, t.ev.Hash, partyID}, returning: "audit_seq, audit_head", into: []any{&t.seq, &t.head}})
	return append(batch, stmt{sql: insertAuditEvent + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? {after} WHERE audit_head = ?",
		args: append(auditArgs(t.ev), t.ev.Hash), after: len(batch)}), t, nil
}

// finish completes the audit event of a batch that ran.
func (s *Store) finish(tx *gorm.DB, t *auditTail) error {
	switch {
	case s.dialect != Postgres:
		return s.audit(tx, t.ev.PartyID, t.ev.CandidateID, Actor{ID: t.ev.ActorID, Role: t.ev.ActorRole}, t.ev.Action)
	case !t.seq.Valid:
		return ErrNotFound // no party row
	case t.head.String == t.ev.Hash:
		return nil // chained in the batch
	}
	ev := s.auditEvent(t.key, t.ev.PartyID, t.seq.Int64, t.head.String, t.ev.CandidateID, Actor{ID: t.ev.ActorID, Role: t.ev.ActorRole}, t.ev.Action)
	return s.writeAudit(tx, ev)
}

const insertAuditEvent = `INSERT INTO audit_events (id, party_id, seq, candidate_id, actor_id, actor_role, action, created_at, prev_hash, hash)`

func auditArgs(ev AuditEvent) []any {
	return []any{ev.ID, ev.PartyID, ev.Seq, ev.CandidateID, ev.ActorID, ev.ActorRole, ev.Action, ev.CreatedAt, ev.PrevHash, ev.Hash}
}

// auditEvent is the link after (seq-1, prev) of a party's chain.
func (s *Store) auditEvent(key []byte, partyID string, seq int64, prev string, candidateID *string, actor Actor, action string) AuditEvent {
	ev := AuditEvent{
		ID: newID(), PartyID: partyID, Seq: seq, CandidateID: candidateID,
		ActorID: actor.ID, ActorRole: actor.Role, Action: action, CreatedAt: s.now(), PrevHash: prev,
	}
	ev.Hash = chainHash(key, ev)
	return ev
}

// AuditEvents lists a candidate's events, oldest first.
func (s *Store) AuditEvents(ctx context.Context, candidateID string) ([]AuditEvent, error) {
	var evs []AuditEvent
	err := s.db.WithContext(ctx).Where("candidate_id = ?", candidateID).Order("seq").Find(&evs).Error
	return evs, err
}

// brokenLink returns the seq of the first bad link of a chain that should
// end at (seq, head), or 0: a missing event (gap or truncation), a wrong
// predecessor, a hash that valid refuses, or an end that is not the head.
func brokenLink(evs []AuditEvent, seq int64, head string, valid func(AuditEvent) bool) int64 {
	prev := ""
	for i, ev := range evs {
		if ev.Seq != int64(i+1) {
			return int64(i + 1) // the first missing event
		}
		if ev.PrevHash != prev || !valid(ev) {
			return ev.Seq
		}
		prev = ev.Hash
	}
	n := int64(len(evs))
	switch {
	case n < seq:
		return n + 1 // the newest events are gone
	case n > seq:
		return seq + 1
	case prev != head:
		return max(n, 1)
	}
	return 0
}

func (s *Store) partyChain(db *gorm.DB, partyID string) ([]AuditEvent, error) {
	var evs []AuditEvent
	err := db.Where("party_id = ?", partyID).Order("seq").Find(&evs).Error
	return evs, err
}

// VerifyAudit walks a party's chain and returns the seq of the first broken
// link, or 0 when the chain is intact: every hash must be the keyed hash of
// its event, the chain must end at the party's stored sequence and head,
// and it must still hold the newest head the key store has seen. An intact
// chain moves that anchor forward.
func (s *Store) VerifyAudit(ctx context.Context, partyID string) (int64, error) {
	key, err := s.auditKey(ctx)
	if err != nil {
		return 0, err
	}
	db := s.db.WithContext(ctx)
	var p Party
	if err := db.Select("id", "audit_seq", "audit_head").Take(&p, "id = ?", partyID).Error; err != nil {
		return 0, notFound(err)
	}
	evs, err := s.partyChain(db, partyID)
	if err != nil {
		return 0, err
	}
	bad := brokenLink(evs, p.AuditSeq, p.AuditHead, func(ev AuditEvent) bool { return hmac.Equal([]byte(chainHash(key, ev)), []byte(ev.Hash)) })
	if s.keystore == nil {
		return bad, nil
	}
	a, err := s.keystore.Anchor(ctx, partyID)
	if err != nil {
		return 0, err
	}
	if a != nil {
		at := int64(0)
		switch {
		case int64(len(evs)) < a.Seq:
			at = int64(len(evs)) + 1
		case evs[a.Seq-1].Hash != a.Head:
			at = a.Seq
		}
		if at > 0 && (bad == 0 || at < bad) {
			bad = at
		}
	}
	if bad == 0 && p.AuditSeq > 0 {
		err = s.keystore.MoveAnchor(ctx, partyID, p.AuditSeq, p.AuditHead)
	}
	return bad, err
}

// AnchorAudit records every party's current chain head in the key store
// (the reconciler does it periodically), so that events deleted later are
// found even when the party row is rewound with them.
func (s *Store) AnchorAudit(ctx context.Context) error {
	if s.keystore == nil {
		return nil
	}
	var ps []Party
	if err := s.db.WithContext(ctx).Select("id", "audit_seq", "audit_head").Where("audit_seq > 0").Find(&ps).Error; err != nil {
		return err
	}
	for _, p := range ps {
		if err := s.keystore.MoveAnchor(ctx, p.ID, p.AuditSeq, p.AuditHead); err != nil {
			return err
		}
	}
	return nil
}

// AuditCarryOver is what PrepareAudit did with the chains written before
// the chain was keyed.
type AuditCarryOver struct {
	Rechained int              // parties whose chain was verified and re-chained under the key
	Broken    map[string]int64 // party → first broken link: left as they are, verify reports them
}

// PrepareAudit makes sure the audit key exists. When this call creates it
// (the first start of a version with a keyed chain), every existing chain
// is verified as it was written (unkeyed SHA-256, or already keyed by a
// replica that started at the same moment) and, when intact, re-chained
// once under the key. A chain that was broken already stays as it is. It
// never re-chains again once the key exists.
func (s *Store) PrepareAudit(ctx context.Context) (AuditCarryOver, error) {
	out := AuditCarryOver{Broken: map[string]int64{}}
	key, created, err := s.secret(ctx, secretAudit)
	if err != nil || !created {
		return out, err
	}
	var ps []Party
	if err := s.db.WithContext(ctx).Select("id").Where("audit_seq > 0").Find(&ps).Error; err != nil {
		return out, err
	}
	for _, p := range ps {
		var bad int64
		err := s.tx(ctx, func(tx *gorm.DB) error {
			var cur Party
			if err := tx.Raw("UPDATE parties SET audit_seq = audit_seq WHERE id = ? RETURNING audit_seq, audit_head", p.ID).Scan(&cur).Error; err != nil {
				return err
			}
			evs, err := s.partyChain(tx, p.ID)
			if err != nil {
				return err
			}
			bad = brokenLink(evs, cur.AuditSeq, cur.AuditHead, func(ev AuditEvent) bool {
				return ev.Hash == unkeyedChainHash(ev) || ev.Hash == chainHash(key, ev)
			})
			if bad != 0 {
				return nil
			}
			prev := ""
			for _, ev := range evs {
				ev.PrevHash = prev
				ev.Hash = chainHash(key, ev)
				if err := tx.Model(&AuditEvent{}).Where("id = ?", ev.ID).Updates(map[string]any{"prev_hash": ev.PrevHash, "hash": ev.Hash}).Error; err != nil {
					return err
				}
				prev = ev.Hash
			}
			return tx.Model(&Party{}).Where("id = ?", p.ID).UpdateColumn("audit_head", prev).Error
		})
		if err != nil {
			return out, err
		}
		if bad != 0 {
			out.Broken[p.ID] = bad
		} else {
			out.Rechained++
		}
	}
	return out, nil
}
