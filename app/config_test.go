package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/weerbaar/weerbaar/app"
	"github.com/weerbaar/weerbaar/internal/apptest"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestConfigPool: the PostgreSQL pool settings, their defaults and their
// validation.
func TestConfigPool(t *testing.T) {
	cfg, err := app.FromEnv(envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DBMaxOpenConns != 8 || cfg.DBMaxIdleConns != 8 || cfg.DBConnMaxLifetime != 30*time.Minute {
		t.Fatalf("defaults: open %d idle %d lifetime %v", cfg.DBMaxOpenConns, cfg.DBMaxIdleConns, cfg.DBConnMaxLifetime)
	}
	cfg, err = app.FromEnv(envOf(map[string]string{"DB_MAX_OPEN_CONNS": "6"}))
	if err != nil || cfg.DBMaxOpenConns != 6 || cfg.DBMaxIdleConns != 6 {
		t.Fatalf("a small pool keeps at most as many idle: %+v %v", cfg, err)
	}
	cfg, err = app.FromEnv(envOf(map[string]string{"DB_MAX_OPEN_CONNS": "40", "DB_MAX_IDLE_CONNS": "15", "DB_CONN_MAX_LIFETIME": "1h"}))
	if err != nil || cfg.DBMaxOpenConns != 40 || cfg.DBMaxIdleConns != 15 || cfg.DBConnMaxLifetime != time.Hour {
		t.Fatalf("set: %+v %v", cfg, err)
	}
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"DB_MAX_OPEN_CONNS": "0"}, "DB_MAX_OPEN_CONNS must be a positive number"},
		{map[string]string{"DB_MAX_OPEN_CONNS": "-3"}, "DB_MAX_OPEN_CONNS must be a positive number"},
		{map[string]string{"DB_MAX_OPEN_CONNS": "twintig"}, "DB_MAX_OPEN_CONNS must be a positive number"},
		{map[string]string{"DB_MAX_IDLE_CONNS": "0"}, "DB_MAX_IDLE_CONNS must be a positive number"},
		{map[string]string{"DB_MAX_OPEN_CONNS": "5", "DB_MAX_IDLE_CONNS": "8"}, "DB_MAX_IDLE_CONNS (8) may not exceed DB_MAX_OPEN_CONNS (5)"},
		{map[string]string{"DB_CONN_MAX_LIFETIME": "30"}, "DB_CONN_MAX_LIFETIME must be a duration"},
		{map[string]string{"DB_CONN_MAX_LIFETIME": "-1m"}, "DB_CONN_MAX_LIFETIME must be a duration"},
	} {
		if _, err := app.FromEnv(envOf(tt.env)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: err = %v, want %q", tt.env, err, tt.want)
		}
	}
}

// TestPoolApplied: Open sizes the PostgreSQL pools (database and key store)
// from the config; SQLite keeps its single connection.
func TestPoolApplied(t *testing.T) {
	pool := func(s *apptest.Settings) {
		s.Cfg.DBMaxOpenConns, s.Cfg.DBMaxIdleConns, s.Cfg.DBConnMaxLifetime = 7, 3, time.Minute
	}
	e := apptest.Start(t, apptest.Embedded(), pool)
	db, _ := e.Sys.DB.DB()
	if n := db.Stats().MaxOpenConnections; n != 1 {
		t.Fatalf("SQLite pool: %d connections, want 1", n)
	}
	e = apptest.Start(t, apptest.Server(), pool)
	db, _ = e.Sys.DB.DB()
	if n := db.Stats().MaxOpenConnections; n != 7 {
		t.Fatalf("PostgreSQL pool: %d connections, want 7", n)
	}
}

// TestConfigRedis: one Redis (REDIS_URL), Sentinel or Cluster, each turned
// into the asynq connection option the queue, worker, inspector and rate
// limiter share. No Sentinel or Cluster is needed: nothing connects.
func TestConfigRedis(t *testing.T) {
	server := map[string]string{"DATABASE_URL": "postgres://x", "WEERBAAR_MASTER_KEY": "k"}
	with := func(m map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range server {
			out[k] = v
		}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	open := func(t *testing.T, env map[string]string) asynq.RedisConnOpt {
		t.Helper()
		cfg, err := app.FromEnv(envOf(env))
		if err == nil {
			err = cfg.Validate(true)
		}
		if err != nil {
			t.Fatal(err)
		}
		ro, err := cfg.RedisOpt()
		if err != nil {
			t.Fatal(err)
		}
		// What Open does for the rate limiter: must not panic, any topology.
		rdb := ro.MakeRedisClient().(redis.UniversalClient)
		_ = rdb.Close()
		return ro
	}

	t.Run("url", func(t *testing.T) {
		ro, ok := open(t, with(map[string]string{"REDIS_URL": "redis://:geheim@redis:6379/2"})).(asynq.RedisClientOpt)
		if !ok || ro.Addr != "redis:6379" || ro.DB != 2 || ro.Password != "geheim" {
			t.Fatalf("%+v", ro)
		}
	})
	t.Run("sentinel", func(t *testing.T) {
		ro, ok := open(t, with(map[string]string{"REDIS_SENTINEL_ADDRS": " s1:26379, s2:26379 ,s3:26379", "REDIS_SENTINEL_MASTER": "weerbaar",
			"REDIS_SENTINEL_PASSWORD": "wachter", "REDIS_PASSWORD": "geheim", "REDIS_TLS": "1"})).(asynq.RedisFailoverClientOpt)
		if !ok || ro.MasterName != "weerbaar" || strings.Join(ro.SentinelAddrs, ",") != "s1:26379,s2:26379,s3:26379" ||
			ro.SentinelPassword != "wachter" || ro.Password != "geheim" || ro.TLSConfig == nil {
			t.Fatalf("%+v", ro)
		}
	})
	t.Run("cluster", func(t *testing.T) {
		ro, ok := open(t, with(map[string]string{"REDIS_CLUSTER_ADDRS": "c1:6379,c2:6379,[::1]:6380", "REDIS_USERNAME": "weerbaar", "REDIS_PASSWORD": "geheim"})).(asynq.RedisClusterClientOpt)
		if !ok || len(ro.Addrs) != 3 || ro.Addrs[2] != "[::1]:6380" || ro.Username != "weerbaar" || ro.Password != "geheim" || ro.TLSConfig != nil {
			t.Fatalf("%+v", ro)
		}
	})
	t.Run("embedded", func(t *testing.T) {
		cfg, err := app.FromEnv(envOf(nil))
		if err != nil {
			t.Fatal(err)
		}
		if ro, err := cfg.RedisOpt(); cfg.RedisConfigured() || ro != nil || err != nil {
			t.Fatalf("no Redis configured: %v %v %v", cfg.RedisConfigured(), ro, err)
		}
	})

	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"two topologies", map[string]string{"REDIS_URL": "redis://r:6379", "REDIS_CLUSTER_ADDRS": "c1:6379"}, "set only one of REDIS_URL, REDIS_SENTINEL_ADDRS and REDIS_CLUSTER_ADDRS"},
		{"sentinel and cluster", map[string]string{"REDIS_SENTINEL_ADDRS": "s1:26379", "REDIS_SENTINEL_MASTER": "m", "REDIS_CLUSTER_ADDRS": "c1:6379"}, "set only one of"},
		{"sentinel without master", map[string]string{"REDIS_SENTINEL_ADDRS": "s1:26379"}, "REDIS_SENTINEL_MASTER is required"},
		{"master without sentinels", map[string]string{"REDIS_SENTINEL_MASTER": "m"}, "REDIS_SENTINEL_MASTER needs REDIS_SENTINEL_ADDRS"},
		{"address without port", map[string]string{"REDIS_CLUSTER_ADDRS": "c1:6379,c2"}, `REDIS_CLUSTER_ADDRS: "c2" is not host:port`},
		{"bad port", map[string]string{"REDIS_SENTINEL_ADDRS": "s1:sentinel", "REDIS_SENTINEL_MASTER": "m"}, `REDIS_SENTINEL_ADDRS: "s1:sentinel" is not host:port`},
		{"password beside a URL", map[string]string{"REDIS_URL": "redis://r:6379", "REDIS_PASSWORD": "x"}, "put the user name and password in the URL"},
		{"password without Redis", map[string]string{"REDIS_PASSWORD": "x"}, "need REDIS_SENTINEL_ADDRS or REDIS_CLUSTER_ADDRS"},
		{"bad TLS flag", map[string]string{"REDIS_CLUSTER_ADDRS": "c1:6379", "REDIS_TLS": "ja"}, "REDIS_TLS must be 1 or 0"},
		{"bad URL", map[string]string{"REDIS_URL": "http://r:6379"}, "REDIS_URL"},
		{"server mode without any", nil, "server mode needs REDIS_URL (Redis: REDIS_URL, or REDIS_SENTINEL_ADDRS with REDIS_SENTINEL_MASTER, or REDIS_CLUSTER_ADDRS)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := app.FromEnv(envOf(with(tt.env)))
			if err == nil {
				err = cfg.Validate(true)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
