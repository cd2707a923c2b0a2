package app_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/app"
	"github.com/weerbaar/weerbaar/internal/testenv"
	"github.com/weerbaar/weerbaar/models"
)

// TestRefusesSchemaBehind: serve/worker (no Migrate) refuse an unmigrated
// database with a message that says what to do.
func TestRefusesSchemaBehind(t *testing.T) {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	cfg := app.Config{DataDir: t.TempDir(), MasterKey: base64.StdEncoding.EncodeToString(key), Queue: "x"}
	if testenv.Postgres() {
		cfg.DatabaseURL = testenv.PostgresSchema(t)
	}
	_, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{StoreOnly: true})
	if !errors.Is(err, models.ErrSchemaBehind) || !strings.Contains(err.Error(), "weerbaar migrate") {
		t.Fatalf("got %v, want ErrSchemaBehind", err)
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		server  bool
		wantErr string
	}{
		{"embedded defaults", nil, false, ""},
		{"server needs everything", map[string]string{"DATABASE_URL": "postgres://x"}, true, "REDIS_URL, WEERBAAR_MASTER_KEY"},
		{"server complete", map[string]string{"DATABASE_URL": "postgres://x", "REDIS_URL": "redis://y", "WEERBAAR_MASTER_KEY": "k"}, true, ""},
		{"bad concurrency", map[string]string{"WORKER_CONCURRENCY": "nul"}, false, "WORKER_CONCURRENCY"},
		{"bad log level", map[string]string{"LOG_LEVEL": "luid"}, false, "LOG_LEVEL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := app.FromEnv(func(k string) string { return tt.env[k] })
			if err == nil {
				err = cfg.Validate(tt.server)
			}
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if tt.env == nil && (cfg.ListenAddr != "127.0.0.1:8080" || cfg.BaseURL != "http://127.0.0.1:8080" || cfg.DataDir != "./weerbaar-data" || cfg.LogFormat != "text") {
				t.Fatalf("defaults: %+v", cfg)
			}
		})
	}
}
