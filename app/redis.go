package app

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/hibiken/asynq"
)

// redisFromEnv reads the Redis topology: one server (REDIS_URL), a
// Sentinel-monitored master (REDIS_SENTINEL_ADDRS + REDIS_SENTINEL_MASTER)
// or a Cluster (REDIS_CLUSTER_ADDRS); none of them means the embedded
// in-process Redis.
func (c *Config) redisFromEnv(getenv func(string) string) error {
	var err error
	if c.RedisSentinelAddrs, err = addrList(getenv, "REDIS_SENTINEL_ADDRS"); err != nil {
		return err
	}
	if c.RedisClusterAddrs, err = addrList(getenv, "REDIS_CLUSTER_ADDRS"); err != nil {
		return err
	}
	c.RedisSentinelMaster = strings.TrimSpace(getenv("REDIS_SENTINEL_MASTER"))
	c.RedisSentinelPassword = getenv("REDIS_SENTINEL_PASSWORD")
	c.RedisUsername = getenv("REDIS_USERNAME")
	c.RedisPassword = getenv("REDIS_PASSWORD")
	switch getenv("REDIS_TLS") {
	case "", "0", "false":
	case "1", "true":
		c.RedisTLS = true
	default:
		return errors.New("REDIS_TLS must be 1 or 0")
	}
	set := 0
	for _, on := range []bool{c.RedisURL != "", len(c.RedisSentinelAddrs) > 0, len(c.RedisClusterAddrs) > 0} {
		if on {
			set++
		}
	}
	switch {
	case set > 1:
		return errors.New("set only one of REDIS_URL, REDIS_SENTINEL_ADDRS and REDIS_CLUSTER_ADDRS")
	case len(c.RedisSentinelAddrs) > 0 && c.RedisSentinelMaster == "":
		return errors.New("REDIS_SENTINEL_MASTER is required with REDIS_SENTINEL_ADDRS (the master's name in the sentinel configuration, e.g. mymaster)")
	case c.RedisSentinelMaster != "" && len(c.RedisSentinelAddrs) == 0:
		return errors.New("REDIS_SENTINEL_MASTER needs REDIS_SENTINEL_ADDRS (the sentinels, host:port,host:port)")
	case c.RedisSentinelPassword != "" && len(c.RedisSentinelAddrs) == 0:
		return errors.New("REDIS_SENTINEL_PASSWORD needs REDIS_SENTINEL_ADDRS")
	case c.RedisURL != "" && (c.RedisUsername != "" || c.RedisPassword != "" || c.RedisTLS):
		return errors.New("with REDIS_URL, put the user name and password in the URL (redis://user:password@host:6379/0) and use rediss:// for TLS; REDIS_USERNAME, REDIS_PASSWORD and REDIS_TLS are for Sentinel and Cluster")
	case set == 0 && (c.RedisUsername != "" || c.RedisPassword != "" || c.RedisTLS):
		return errors.New("REDIS_USERNAME, REDIS_PASSWORD and REDIS_TLS need REDIS_SENTINEL_ADDRS or REDIS_CLUSTER_ADDRS")
	}
	if c.RedisURL != "" {
		if _, err := asynq.ParseRedisURI(c.RedisURL); err != nil {
			return fmt.Errorf("REDIS_URL: %w", err)
		}
	}
	return nil
}

// addrList parses a comma-separated list of host:port.
func addrList(getenv func(string) string, name string) ([]string, error) {
	var out []string
	for _, a := range strings.Split(getenv(name), ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		host, port, err := net.SplitHostPort(a)
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("%s: %q is not host:port (e.g. redis-1:26379,redis-2:26379)", name, a)
		}
		out = append(out, a)
	}
	return out, nil
}

// RedisConfigured reports whether an external Redis is configured; without
// one the process runs the embedded in-process Redis.
func (c Config) RedisConfigured() bool {
	return c.RedisURL != "" || len(c.RedisSentinelAddrs) > 0 || len(c.RedisClusterAddrs) > 0
}

// RedisOpt is the asynq connection for the configured Redis: the queue's
// client, server, scheduler and inspector, and (through MakeRedisClient)
// the rate limiter's go-redis client all use it. Nil when none is
// configured.
func (c Config) RedisOpt() (asynq.RedisConnOpt, error) {
	var tc *tls.Config
	if c.RedisTLS {
		// The server name is taken from each address when dialling.
		tc = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	switch {
	case len(c.RedisSentinelAddrs) > 0:
		return asynq.RedisFailoverClientOpt{MasterName: c.RedisSentinelMaster, SentinelAddrs: c.RedisSentinelAddrs,
			SentinelPassword: c.RedisSentinelPassword, Username: c.RedisUsername, Password: c.RedisPassword, TLSConfig: tc}, nil
	case len(c.RedisClusterAddrs) > 0:
		return asynq.RedisClusterClientOpt{Addrs: c.RedisClusterAddrs, Username: c.RedisUsername, Password: c.RedisPassword, TLSConfig: tc}, nil
	case c.RedisURL != "":
		ro, err := asynq.ParseRedisURI(c.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		return ro, nil
	}
	return nil, nil
}
