package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/secure"
)

// Errors the API maps to HTTP statuses.
var (
	ErrNotFound       = errors.New("niet gevonden")
	ErrDuplicate      = errors.New("bestaat al")
	ErrGone           = errors.New("niet meer geldig")
	ErrBadCredentials = errors.New("onjuiste inloggegevens")
	ErrConsent        = errors.New("toestemming ontbreekt")
)

// ValidationError lists invalid fields (422).
type ValidationError struct {
	Message string
	Fields  map[string]string
}

func (e *ValidationError) Error() string { return e.Message }

// Actor is who performs an action, for authorization and the audit log.
type Actor struct {
	ID   string
	Role string
}

// SystemActor is the worker.
var SystemActor = Actor{ID: "system", Role: "system"}

// Store is the only way into the database.
type Store struct {
	db      *gorm.DB
	dialect string
	keys    *secure.Keyring
	forms   *questionnaires.Registry
	now     func() time.Time
}

// Options tune a Store.
type Options struct {
	// Now replaces the clock in tests.
	Now func() time.Time
}

// NewStore wires a Store.
func NewStore(db *gorm.DB, dialect string, keys *secure.Keyring, forms *questionnaires.Registry, opt Options) *Store {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, dialect: dialect, keys: keys, forms: forms, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Forms returns the questionnaire registry.
func (s *Store) Forms() *questionnaires.Registry { return s.forms }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Ping checks the database.
func (s *Store) Ping(ctx context.Context) error { return Ping(ctx, s.db) }

func newID() string { return uuid.NewString() }

func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.db.WithContext(ctx).Transaction(fn)
}

// notFound turns gorm's not-found into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrDuplicate
	}
	return err
}

// audit appends an event to the party's hash chain inside tx. The party row
// update serialises writers per party, so the chain never forks.
func (s *Store) audit(tx *gorm.DB, partyID string, candidateID *string, actor Actor, action string) error {
	res := tx.Model(&Party{}).Where("id = ?", partyID).UpdateColumn("audit_seq", gorm.Expr("audit_seq + 1"))
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	var p Party
	if err := tx.Select("id", "audit_seq", "audit_head").First(&p, "id = ?", partyID).Error; err != nil {
		return err
	}
	ev := AuditEvent{
		ID: newID(), PartyID: partyID, Seq: p.AuditSeq, CandidateID: candidateID,
		ActorID: actor.ID, ActorRole: actor.Role, Action: action, CreatedAt: s.now(), PrevHash: p.AuditHead,
	}
	ev.Hash = ChainHash(ev)
	if err := tx.Create(&ev).Error; err != nil {
		return err
	}
	return tx.Model(&Party{}).Where("id = ?", partyID).UpdateColumn("audit_head", ev.Hash).Error
}

// ChainHash is the hash of one audit event over its content and its
// predecessor's hash.
func ChainHash(ev AuditEvent) string {
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

// AuditRead records a read of confidential content outside any other transaction.
func (s *Store) AuditRead(ctx context.Context, c *Candidate, actor Actor, action string) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return s.audit(tx, c.PartyID, &c.ID, actor, action) })
}

// cipher opens the candidate's data key.
func (s *Store) cipher(c *Candidate) (*secure.Cipher, error) {
	if len(c.DataKey) == 0 {
		return nil, fmt.Errorf("candidate %s has no data key", c.ID)
	}
	dk, err := s.keys.Unwrap(c.ID, c.DataKey)
	if err != nil {
		return nil, err
	}
	return secure.NewCipher(dk)
}

func (s *Store) seal(c *Candidate, plaintext []byte, aad string) ([]byte, error) {
	ci, err := s.cipher(c)
	if err != nil {
		return nil, err
	}
	return ci.Seal(plaintext, c.ID+":"+aad)
}

func (s *Store) open(c *Candidate, ciphertext []byte, aad string) ([]byte, error) {
	ci, err := s.cipher(c)
	if err != nil {
		return nil, err
	}
	return ci.Open(ciphertext, c.ID+":"+aad)
}

// AuditEvents lists a candidate's events, oldest first.
func (s *Store) AuditEvents(ctx context.Context, candidateID string) ([]AuditEvent, error) {
	var evs []AuditEvent
	err := s.db.WithContext(ctx).Where("candidate_id = ?", candidateID).Order("seq").Find(&evs).Error
	return evs, err
}

// VerifyAudit walks a party's chain and returns the seq of the first broken
// link, or 0 when the chain is intact.
func (s *Store) VerifyAudit(ctx context.Context, partyID string) (int64, error) {
	var evs []AuditEvent
	if err := s.db.WithContext(ctx).Where("party_id = ?", partyID).Order("seq").Find(&evs).Error; err != nil {
		return 0, err
	}
	prev := ""
	for i, ev := range evs {
		if ev.Seq != int64(i+1) || ev.PrevHash != prev || ChainHash(ev) != ev.Hash {
			return ev.Seq, nil
		}
		prev = ev.Hash
	}
	return 0, nil
}
