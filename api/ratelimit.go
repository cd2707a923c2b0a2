package api

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/redis/go-redis/v9"
)

// Limit is a rate limit: at most N requests per Window per key.
type Limit struct {
	Bucket string
	N      int
	Window time.Duration
}

// Rate limits of the endpoints people could guess at.
var (
	LimitLogin = Limit{"login", 20, 15 * time.Minute} // per IP
	// LimitLoginEmail counts wrong passwords per address and client (a
	// known device, or the IP address); LimitLoginAddress counts those of
	// every unknown client of an address together (see LoginGate).
	LimitLoginEmail   = Limit{"login-client", 8, 15 * time.Minute}
	LimitLoginAddress = Limit{"login-address", 20, 15 * time.Minute}
	LimitInvitation   = Limit{"invitation", 30, 15 * time.Minute} // per IP
	LimitSetup        = Limit{"setup", 20, 15 * time.Minute}      // per IP
	LimitTOTP         = Limit{"totp", 6, 5 * time.Minute}         // per user
	// Password change per user; reset requests per IP and per address.
	LimitPasswordChange = Limit{"password-change", 6, 15 * time.Minute}
	LimitReset          = Limit{"password-reset", 10, 15 * time.Minute}
	LimitResetAddress   = Limit{"password-reset-address", 3, time.Hour}
	LimitLinkRequest    = Limit{"link-request", 10, 15 * time.Minute} // per IP
	LimitLinkEmail      = Limit{"link-email", 3, time.Hour}           // per address
	errTooManyPrefix    = "Te veel pogingen. Probeer het over "
)

// Limiter counts requests in Redis, so every API replica shares the count.
type Limiter struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewLimiter wraps a Redis client; prefix separates deployments (or tests)
// sharing one Redis.
func NewLimiter(rdb redis.UniversalClient, prefix string) *Limiter {
	return &Limiter{rdb: rdb, prefix: prefix}
}

// Allow counts one request for key and reports whether it is within the
// limit, and otherwise how long until the window ends.
func (l *Limiter) Allow(ctx context.Context, lim Limit, key string) (bool, time.Duration, error) {
	if l == nil || l.rdb == nil {
		return true, 0, nil
	}
	k, window := l.key(lim, key)
	pipe := l.rdb.TxPipeline()
	incr := pipe.Incr(ctx, k)
	pipe.Expire(ctx, k, lim.Window+time.Minute)
	if _, err := pipe.Exec(ctx); err != nil {
		return true, 0, err
	}
	if incr.Val() > int64(lim.N) {
		end := time.Unix(0, (window+1)*int64(lim.Window))
		return false, time.Until(end), nil
	}
	return true, 0, nil
}

// key is the Redis key of lim's current window for key.
func (l *Limiter) key(lim Limit, key string) (string, int64) {
	window := time.Now().UnixNano() / int64(lim.Window)
	return "weerbaar:rl:" + l.prefix + ":" + lim.Bucket + ":" + key + ":" + strconv.FormatInt(window, 10), window
}

// Undo gives back one request counted by Allow in the current window.
func (l *Limiter) Undo(ctx context.Context, lim Limit, key string) error {
	if l == nil || l.rdb == nil {
		return nil
	}
	k, _ := l.key(lim, key)
	n, err := l.rdb.Decr(ctx, k).Result()
	if err == nil && n < 0 {
		err = l.rdb.Del(ctx, k).Err()
	}
	return err
}

// Remember records a fact (a known device) for ttl.
func (l *Limiter) Remember(ctx context.Context, key string, ttl time.Duration) error {
	if l == nil || l.rdb == nil {
		return nil
	}
	return l.rdb.Set(ctx, "weerbaar:rl:"+l.prefix+":"+key, "1", ttl).Err()
}

// Known reports whether Remember recorded key (false when Redis fails).
func (l *Limiter) Known(ctx context.Context, key string) bool {
	if l == nil || l.rdb == nil {
		return false
	}
	n, err := l.rdb.Exists(ctx, "weerbaar:rl:"+l.prefix+":"+key).Result()
	return err == nil && n > 0
}

// tooMany is the Dutch 429 with the time to wait.
func tooMany(c *fiber.Ctx, wait time.Duration) error {
	mins := int(wait.Minutes()) + 1
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
	unit := "minuten"
	if mins == 1 {
		unit = "minuut"
	}
	return &Error{Status: fiber.StatusTooManyRequests, Code: "te_veel_pogingen", Message: errTooManyPrefix + strconv.Itoa(mins) + " " + unit + " opnieuw."}
}

// Throttle applies lim to the request, keyed by key; a Redis failure lets
// the request through (availability over strictness) and is logged.
func (h *Handler) Throttle(c *fiber.Ctx, lim Limit, key string) error {
	ok, wait, err := h.limiter.Allow(c.UserContext(), lim, key)
	if err != nil {
		h.log.Warn("rate limiter unavailable", "bucket", lim.Bucket, "error", err.Error())
		return nil
	}
	if !ok {
		return tooMany(c, wait)
	}
	return nil
}

// limitByIP is the route-table middleware for Route.Limit.
func (h *Handler) limitByIP(lim *Limit) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := h.Throttle(c, *lim, c.IP()); err != nil {
			return err
		}
		return c.Next()
	}
}
