// Package models holds the gorm models and the Store: every query, every
// transaction and every state transition of Weerbaar.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/weerbaar/weerbaar/migrations"
)

// Dialects.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// DialectOf tells which dialect a DSN needs: postgres:// URLs and key=value
// DSNs are PostgreSQL, anything else is a SQLite file path.
func DialectOf(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") || strings.Contains(dsn, "host=") {
		return Postgres
	}
	return SQLite
}

// Open connects to the database. SQLite runs in WAL mode with a busy timeout
// and a single connection, so writers never fight over the file lock.
func Open(dsn string, log *slog.Logger) (*gorm.DB, string, error) {
	dialect := DialectOf(dsn)
	cfg := &gorm.Config{
		TranslateError: true,
		// Parameterized queries keep answer values out of slow-query logs.
		Logger: logger.New(slogWriter{log}, logger.Config{
			SlowThreshold:             500 * time.Millisecond,
			LogLevel:                  logger.Warn,
			IgnoreRecordNotFoundError: true,
			ParameterizedQueries:      true,
		}),
		NowFunc: func() time.Time { return time.Now().UTC() },
	}
	var d gorm.Dialector
	switch dialect {
	case Postgres:
		d = postgres.Open(dsn)
	default:
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		d = sqlite.Open(dsn + sep + "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	}
	db, err := gorm.Open(d, cfg)
	if err != nil {
		return nil, "", fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, "", err
	}
	if dialect == SQLite {
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	return db, dialect, nil
}

type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Printf(format string, args ...any) {
	if w.log != nil {
		w.log.Warn("database", "detail", fmt.Sprintf(format, args...))
	}
}

// Provider is the goose provider of the main schema; tests that check a
// migration on old data migrate up to the version before it with it.
func Provider(db *gorm.DB, dialect string) (*goose.Provider, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	gd := goose.DialectSQLite3
	if dialect == Postgres {
		gd = goose.DialectPostgres
	}
	return goose.NewProvider(gd, sqlDB, migrations.FS(dialect))
}

// Migrate applies all pending migrations.
func Migrate(ctx context.Context, db *gorm.DB, dialect string) error {
	p, err := Provider(db, dialect)
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// ErrSchemaBehind is returned by CheckSchema when migrations are pending.
var ErrSchemaBehind = errors.New("database schema is behind: run `weerbaar migrate` first")

// CheckSchema refuses a database whose schema is older than this binary.
func CheckSchema(ctx context.Context, db *gorm.DB, dialect string) error {
	p, err := Provider(db, dialect)
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if pending {
		cur, _ := p.GetDBVersion(ctx)
		return fmt.Errorf("%w (database at version %d)", ErrSchemaBehind, cur)
	}
	return nil
}

// Ping checks the connection for /readyz.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close closes the pool.
func Close(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

var _ = sql.ErrNoRows
