package models

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/secure"
)

// Errors the application layer (screening.Explain) turns into the Dutch
// text users read and the API into HTTP statuses.
var (
	ErrNotFound       = errors.New("not found")
	ErrDuplicate      = errors.New("already exists")
	ErrGone           = errors.New("no longer valid")
	ErrBadCredentials = errors.New("wrong credentials")
	ErrConsent        = errors.New("consent missing")
)

// ValidationError lists invalid fields (422). Code names the refusal and
// each field maps to a reason code; models holds no text users read, the
// application layer (screening/messages.go) does.
type ValidationError struct {
	Code   string
	Fields map[string]string
	// Params are values the message names (the unknown flags).
	Params []string
}

func (e *ValidationError) Error() string { return "validation: " + e.Code }

// Actor is who performs an action, for authorization and the audit log.
type Actor struct {
	ID   string
	Role string
}

// SystemActor is the worker.
var SystemActor = Actor{ID: "system", Role: "system"}

// Store is the only way into the database.
type Store struct {
	db       *gorm.DB
	dialect  string
	keys     *secure.Keyring
	keystore *KeyStore
	forms    *questionnaires.Registry
	now      func() time.Time
	// sec caches the key store's platform secrets (see secrets.go).
	sec *secretCache
	// roundForms caches round id → pinned questionnaire: a round's
	// questionnaire id and version never change once it exists, and the
	// autosave path would otherwise read the round on every request.
	roundForms *sync.Map
	// rounds caches round id → round and questionnaire for the compile
	// (CompileRevision): nothing changes a round once it exists.
	rounds *sync.Map
	// wake tells this process's outbox relay that a transaction committed
	// follow-up tasks (see outbox.go).
	wake chan struct{}
}

// Options tune a Store.
type Options struct {
	// Now replaces the clock in tests.
	Now func() time.Time
	// KeyStore keeps the data keys outside the main database; without it
	// they are kept in candidates.data_key (no crypto-shredding of backups).
	KeyStore *KeyStore
}

// NewStore wires a Store.
func NewStore(db *gorm.DB, dialect string, keys *secure.Keyring, forms *questionnaires.Registry, opt Options) *Store {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, dialect: dialect, keys: keys, keystore: opt.KeyStore, forms: forms, roundForms: new(sync.Map), rounds: new(sync.Map), sec: &secretCache{vals: map[string][]byte{}}, wake: make(chan struct{}, 1), now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Forms returns the questionnaire registry.
func (s *Store) Forms() *questionnaires.Registry { return s.forms }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Ping checks the database.
func (s *Store) Ping(ctx context.Context) error { return Ping(ctx, s.db) }

func newID() string { return uuid.NewString() }

// tx runs fn in a transaction; when fn wrote outbox tasks, the relay is
// woken after the commit.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	f := &outboxFlag{}
	err := s.db.WithContext(context.WithValue(ctx, outboxKey{}, f)).Transaction(fn)
	if err == nil && f.wrote {
		s.wakeRelay()
	}
	return err
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

// AuditRead records a read of confidential content outside any other transaction.
func (s *Store) AuditRead(ctx context.Context, c *Candidate, actor Actor, action string) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return s.audit(tx, c.PartyID, &c.ID, actor, action) })
}

// cipher opens the candidate's data key.
func (s *Store) cipher(c *Candidate) (*secure.Cipher, error) {
	if c.ci != nil {
		return c.ci, nil
	}
	wrapped := c.DataKey
	if s.keystore != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var err error
		if wrapped, err = s.keystore.Get(ctx, c.ID); err != nil {
			return nil, err
		}
	}
	ci, err := s.unwrapCipher(c.ID, wrapped)
	if err != nil {
		return nil, err
	}
	c.ci = ci
	return ci, nil
}

// unwrapCipher opens a candidate's wrapped data key.
func (s *Store) unwrapCipher(candidateID string, wrapped []byte) (*secure.Cipher, error) {
	if len(wrapped) == 0 {
		return nil, fmt.Errorf("candidate %s has no data key", candidateID)
	}
	dk, err := s.keys.Unwrap(candidateID, wrapped)
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

// newDataKey gives a new candidate its data key: in the key store when
// there is one, else on the row.
func (s *Store) newDataKey(ctx context.Context, c *Candidate) error {
	_, wrapped, err := s.keys.NewDataKey(c.ID)
	if err != nil {
		return err
	}
	if s.keystore != nil {
		c.DataKey = nil
		return s.keystore.Put(ctx, c.ID, wrapped)
	}
	c.DataKey = wrapped
	return nil
}

// RotateKeys re-wraps every data key and sealed secret that is not under
// the current master key yet. It works while the service runs (each swap is
// conditional on the old value) and returns how many it re-wrapped.
func (s *Store) RotateKeys(ctx context.Context) (int, error) {
	n := 0
	if s.keystore != nil {
		err := s.keystore.All(ctx, func(d DataKey) error {
			if s.keys.IsCurrent(d.Wrapped) {
				return nil
			}
			re, err := s.keys.Rewrap(d.Wrapped, secure.DataKeyAAD(d.CandidateID))
			if err != nil {
				return fmt.Errorf("candidate %s: %w", d.CandidateID, err)
			}
			ok, err := s.keystore.Replace(ctx, d.CandidateID, d.Wrapped, re)
			if ok {
				n++
			}
			return err
		})
		if err != nil {
			return n, err
		}
	}
	m, err := s.rotateSecrets(ctx)
	n += m
	if err != nil {
		return n, err
	}
	var cs []Candidate
	if err := s.db.WithContext(ctx).Select("id", "data_key").Where("data_key IS NOT NULL").Find(&cs).Error; err != nil {
		return n, err
	}
	for _, c := range cs {
		if len(c.DataKey) == 0 || s.keys.IsCurrent(c.DataKey) {
			continue
		}
		re, err := s.keys.Rewrap(c.DataKey, secure.DataKeyAAD(c.ID))
		if err != nil {
			return n, fmt.Errorf("candidate %s: %w", c.ID, err)
		}
		res := s.db.WithContext(ctx).Model(&Candidate{}).Where("id = ? AND data_key = ?", c.ID, c.DataKey).UpdateColumn("data_key", re)
		if res.Error != nil {
			return n, res.Error
		}
		n += int(res.RowsAffected)
	}
	var us []User
	if err := s.db.WithContext(ctx).Select("id", "totp_secret").Where("totp_secret IS NOT NULL").Find(&us).Error; err != nil {
		return n, err
	}
	for _, u := range us {
		if len(u.TOTPSecret) == 0 || s.keys.IsCurrent(u.TOTPSecret) {
			continue
		}
		re, err := s.keys.Rewrap(u.TOTPSecret, secure.SecretAAD("totp:"+u.ID))
		if err != nil {
			return n, fmt.Errorf("user %s: %w", u.ID, err)
		}
		res := s.db.WithContext(ctx).Model(&User{}).Where("id = ? AND totp_secret = ?", u.ID, u.TOTPSecret).UpdateColumn("totp_secret", re)
		if res.Error != nil {
			return n, res.Error
		}
		n += int(res.RowsAffected)
	}
	return n, nil
}
