package migrations_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/internal/testenv"
	"github.com/weerbaar/weerbaar/models"
)

// columns lists table → columns of a migrated database.
func columns(t *testing.T, db *gorm.DB, dialect string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	type row struct{ TableName, ColumnName string }
	var rows []row
	var err error
	if dialect == models.Postgres {
		err = db.Raw(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`).Scan(&rows).Error
	} else {
		err = db.Raw(`SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`).Scan(&rows).Error
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		out[r.TableName] = append(out[r.TableName], r.ColumnName)
	}
	for k := range out {
		sort.Strings(out[k])
	}
	return out
}

func migrated(t *testing.T, dsn string) (*gorm.DB, string) {
	t.Helper()
	db, dialect, err := models.Open(dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	if err := models.Migrate(context.Background(), db, dialect); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	if err := models.CheckSchema(context.Background(), db, dialect); err != nil {
		t.Fatalf("schema after migrate: %v", err)
	}
	return db, dialect
}

// TestSchemasDoNotDrift fails when the PostgreSQL and SQLite migrations
// produce different tables or columns.
func TestSchemasDoNotDrift(t *testing.T) {
	pg := testenv.RequirePostgres(t)
	pdb, pd := migrated(t, pg)
	sdb, sd := migrated(t, filepath.Join(t.TempDir(), "drift.db"))
	if diff := cmp.Diff(columns(t, pdb, pd), columns(t, sdb, sd)); diff != "" {
		t.Fatalf("schemas drift (-postgres +sqlite):\n%s", diff)
	}
}

// TestSchemaBehindIsRefused: a database without the migrations is refused.
func TestSchemaBehindIsRefused(t *testing.T) {
	db, dialect, err := models.Open(testenv.DSN(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer models.Close(db)
	if err := models.CheckSchema(context.Background(), db, dialect); err == nil {
		t.Fatal("empty database accepted")
	}
}
