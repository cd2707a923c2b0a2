package models

import (
	"time"

	"gorm.io/gorm"
)

// Pool sizes a PostgreSQL connection pool. Every replica holds its own
// pool, so the sum over all replicas must stay below the server's
// max_connections.
type Pool struct {
	MaxOpen     int           // connections open at most (in use + idle)
	MaxIdle     int           // idle connections kept for reuse
	MaxLifetime time.Duration // a connection is closed after this long (0: never)
}

// SetPool applies p to a PostgreSQL pool; zero counts keep Open's setting.
// A SQLite database keeps its single connection.
func SetPool(db *gorm.DB, p Pool) error {
	if db.Dialector.Name() != Postgres {
		return nil
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	if p.MaxOpen > 0 {
		sqlDB.SetMaxOpenConns(p.MaxOpen)
	}
	if p.MaxIdle > 0 {
		sqlDB.SetMaxIdleConns(p.MaxIdle)
	}
	sqlDB.SetConnMaxLifetime(p.MaxLifetime)
	return nil
}

// SetPool sizes the key store's pool (see SetPool).
func (k *KeyStore) SetPool(p Pool) error { return SetPool(k.db, p) }
