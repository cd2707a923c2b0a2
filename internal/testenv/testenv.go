// Package testenv gives tests their backends: a fresh SQLite file or a fresh
// PostgreSQL schema per test, and miniredis or a real Redis with a queue of
// their own.
package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Environment variables.
const (
	// RequireEnv turns every skip for a missing service into a failure (.ci/run sets it).
	RequireEnv  = "WEERBAAR_REQUIRE_SERVICES"
	DatabaseEnv = "TEST_DATABASE_URL"
	RedisEnv    = "TEST_REDIS_URL"
)

// Skip skips a test that needs something this machine lacks, or fails it
// when RequireEnv is set.
func Skip(t testing.TB, what, how string) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s is required (%s=1) but missing: %s", what, RequireEnv, how)
	}
	t.Skipf("skipped: needs %s; %s", what, how)
}

func random() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Postgres reports whether TEST_DATABASE_URL is set.
func Postgres() bool { return os.Getenv(DatabaseEnv) != "" }

// RequirePostgres returns a DSN of a fresh schema, or skips.
func RequirePostgres(t testing.TB) string {
	t.Helper()
	if !Postgres() {
		Skip(t, "PostgreSQL", "set TEST_DATABASE_URL=postgres://user@127.0.0.1:5432/db?sslmode=disable (bash .ci/run does)")
	}
	return PostgresSchema(t)
}

// PostgresSchema creates a schema that is dropped after the test and
// returns a DSN whose search_path points at it.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(DatabaseEnv)
	schema := "t_" + random()
	db, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("connect %s: %v", DatabaseEnv, err)
	}
	if err := db.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_ = db.Exec("DROP SCHEMA " + schema + " CASCADE").Error
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL", DatabaseEnv)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// DSN is a fresh database for one test: a PostgreSQL schema when
// TEST_DATABASE_URL is set, else a new SQLite file.
func DSN(t testing.TB) string {
	t.Helper()
	if Postgres() {
		return PostgresSchema(t)
	}
	return filepath.Join(t.TempDir(), "test.db")
}

// RedisURL is TEST_REDIS_URL or "" (the caller then uses miniredis).
func RedisURL() string { return os.Getenv(RedisEnv) }

// Queue is a queue name of this test's own, so tests can share one Redis.
func Queue(t testing.TB) string {
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	if len(name) > 40 {
		name = name[:40]
	}
	return fmt.Sprintf("t_%s_%s", name, random())
}
