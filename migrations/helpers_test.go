package migrations_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/internal/testenv"
	"github.com/weerbaar/weerbaar/models"
)

// openAt opens a fresh database (SQLite, or a PostgreSQL schema) migrated
// up to version, for a test of the migration after it on old data; the
// provider migrates on.
func openAt(t *testing.T, version int64) (*gorm.DB, *goose.Provider) {
	t.Helper()
	db, dialect, err := models.Open(testenv.DSN(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	p, err := models.Provider(db, dialect)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(context.Background(), version); err != nil {
		t.Fatal(err)
	}
	return db, p
}
