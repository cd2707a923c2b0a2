package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/weerbaar/weerbaar/migrations"
)

// DataKey is one candidate's wrapped data key in the key store.
type DataKey struct {
	CandidateID string `gorm:"primaryKey"`
	Wrapped     []byte
	CreatedAt   time.Time
}

func (DataKey) TableName() string { return "data_keys" }

// ErrShredded: the candidate's data key is gone, so its data cannot be read.
var ErrShredded = errors.New("data key deleted: the candidate's data can no longer be decrypted")

// KeyStore keeps the wrapped data keys apart from the data they open.
type KeyStore struct {
	db      *gorm.DB
	dialect string
}

// OpenKeyStore connects to (and migrates) the key store.
func OpenKeyStore(ctx context.Context, dsn string, log *slog.Logger) (*KeyStore, error) {
	db, dialect, err := Open(dsn, log)
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	gd := goose.DialectSQLite3
	if dialect == Postgres {
		gd = goose.DialectPostgres
	}
	p, err := goose.NewProvider(gd, sqlDB, migrations.FS("keys/"+dialect), goose.WithTableName("goose_keys_version"))
	if err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	if _, err := p.Up(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("migrate key store: %w", err)
	}
	return &KeyStore{db: db, dialect: dialect}, nil
}

// Close closes the key store's pool.
func (k *KeyStore) Close() error { return Close(k.db) }

// Get returns a wrapped data key, or ErrShredded.
func (k *KeyStore) Get(ctx context.Context, candidateID string) ([]byte, error) {
	// Every read of a file starts here: the row is scanned directly.
	var wrapped []byte
	err := k.db.WithContext(ctx).Raw("SELECT wrapped FROM data_keys WHERE candidate_id = ?", candidateID).Row().Scan(&wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrShredded
	}
	return wrapped, err
}

// GetMany returns the wrapped data keys of several candidates in one query;
// a shredded candidate is missing from the map.
func (k *KeyStore) GetMany(ctx context.Context, candidateIDs []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(candidateIDs))
	for from := 0; from < len(candidateIDs); from += 500 {
		var ds []DataKey
		if err := k.db.WithContext(ctx).Where("candidate_id IN ?", candidateIDs[from:min(from+500, len(candidateIDs))]).Find(&ds).Error; err != nil {
			return nil, err
		}
		for _, d := range ds {
			out[d.CandidateID] = d.Wrapped
		}
	}
	return out, nil
}

// Put stores a new wrapped data key.
func (k *KeyStore) Put(ctx context.Context, candidateID string, wrapped []byte) error {
	return k.db.WithContext(ctx).Create(&DataKey{CandidateID: candidateID, Wrapped: wrapped, CreatedAt: time.Now().UTC()}).Error
}

// Delete shreds a candidate: without its key nothing of it can be read.
func (k *KeyStore) Delete(ctx context.Context, candidateID string) error {
	return k.db.WithContext(ctx).Where("candidate_id = ?", candidateID).Delete(&DataKey{}).Error
}

// Replace swaps a wrapped key if it is still the old one (key rotation
// while the service runs).
func (k *KeyStore) Replace(ctx context.Context, candidateID string, old, wrapped []byte) (bool, error) {
	res := k.db.WithContext(ctx).Model(&DataKey{}).Where("candidate_id = ? AND wrapped = ?", candidateID, old).Update("wrapped", wrapped)
	return res.RowsAffected == 1, res.Error
}

// All lists every stored key, in pages, for rotation and sweeps.
func (k *KeyStore) All(ctx context.Context, fn func(DataKey) error) error {
	last := ""
	for {
		var ds []DataKey
		if err := k.db.WithContext(ctx).Where("candidate_id > ?", last).Order("candidate_id").Limit(500).Find(&ds).Error; err != nil {
			return err
		}
		for _, d := range ds {
			if err := fn(d); err != nil {
				return err
			}
		}
		if len(ds) < 500 {
			return nil
		}
		last = ds[len(ds)-1].CandidateID
	}
}

// Secret is one wrapped platform secret in the key store.
type Secret struct {
	Name      string `gorm:"primaryKey"`
	Wrapped   []byte
	CreatedAt time.Time
}

func (Secret) TableName() string { return "secrets" }

// Secret returns a wrapped platform secret, or ErrNotFound.
func (k *KeyStore) Secret(ctx context.Context, name string) ([]byte, error) {
	var s Secret
	if err := k.db.WithContext(ctx).Take(&s, "name = ?", name).Error; err != nil {
		return nil, notFound(err)
	}
	return s.Wrapped, nil
}

// AddSecret stores a wrapped secret unless one of that name exists; it
// reports whether this call created it (two processes starting at once
// agree on the first one).
func (k *KeyStore) AddSecret(ctx context.Context, name string, wrapped []byte) (bool, error) {
	res := k.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&Secret{Name: name, Wrapped: wrapped, CreatedAt: time.Now().UTC()})
	return res.RowsAffected == 1, res.Error
}

// Secrets lists every wrapped secret (key rotation).
func (k *KeyStore) Secrets(ctx context.Context) ([]Secret, error) {
	var ss []Secret
	err := k.db.WithContext(ctx).Order("name").Find(&ss).Error
	return ss, err
}

// ReplaceSecret swaps a wrapped secret if it is still the old one.
func (k *KeyStore) ReplaceSecret(ctx context.Context, name string, old, wrapped []byte) (bool, error) {
	res := k.db.WithContext(ctx).Model(&Secret{}).Where("name = ? AND wrapped = ?", name, old).Update("wrapped", wrapped)
	return res.RowsAffected == 1, res.Error
}

// AuditAnchor is the newest head of a party's audit chain the key store
// has seen.
type AuditAnchor struct {
	PartyID   string `gorm:"primaryKey"`
	Seq       int64
	Head      string
	UpdatedAt time.Time
}

func (AuditAnchor) TableName() string { return "audit_anchors" }

// Anchor returns a party's anchor, or nil.
func (k *KeyStore) Anchor(ctx context.Context, partyID string) (*AuditAnchor, error) {
	var a AuditAnchor
	err := k.db.WithContext(ctx).Take(&a, "party_id = ?", partyID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return &a, err
}

// MoveAnchor records a newer head; an older or equal seq changes nothing.
func (k *KeyStore) MoveAnchor(ctx context.Context, partyID string, seq int64, head string) error {
	return k.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "party_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"seq", "head", "updated_at"}),
		Where:     clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "audit_anchors.seq < excluded.seq"}}},
	}).Create(&AuditAnchor{PartyID: partyID, Seq: seq, Head: head, UpdatedAt: time.Now().UTC()}).Error
}
