package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
)

// IdleHeader tells a page's script, on every authenticated response, how
// many seconds are left before the session ends idle (the autosave of the
// scan keeps the session alive; the warning must know).
const IdleHeader = "X-Session-Idle-Seconds-Left"

func setIdleHeader(c *fiber.Ctx, now time.Time, s models.Session) {
	c.Set(IdleHeader, strconv.Itoa(IdleSecondsLeft(now, s)))
}

// IdleSecondsLeft is the time until the session ends idle, in whole
// seconds, never negative.
func IdleSecondsLeft(now time.Time, s models.Session) int {
	left := int(s.IdleEnd().Sub(now) / time.Second)
	if left < 0 {
		return 0
	}
	return left
}

// SessionState is what the keep-alive answers (and what a page is told).
type SessionState struct {
	IdleEndsAt  time.Time `json:"idle_ends_at"`
	ExpiresAt   time.Time `json:"expires_at"`
	IdleSeconds int       `json:"idle_seconds"`
	SecondsLeft int       `json:"seconds_left"`
}

// StateOf is the caller's session deadline at now.
func StateOf(now time.Time, s models.Session) SessionState {
	return SessionState{IdleEndsAt: s.IdleEnd().UTC(), ExpiresAt: s.ExpiresAt.UTC(), IdleSeconds: s.IdleSeconds, SecondsLeft: IdleSecondsLeft(now, s)}
}

// ExtendSession is the keep-alive of the API and the pages: the idle
// deadline of the caller's own session starts again from now, capped by
// the absolute lifetime (after which the user signs in again).
func (h *Handler) ExtendSession(c *fiber.Ctx) (SessionState, error) {
	p := principal(c)
	if p == nil {
		return SessionState{}, errUnauthenticated
	}
	s, err := h.store.ExtendSession(c.UserContext(), p.Session.ID)
	if err != nil {
		return SessionState{}, err
	}
	now := h.store.Now()
	setIdleHeader(c, now, s)
	return StateOf(now, s), nil
}

// extendSession: POST /api/v1/session/extend.
func (h *Handler) extendSession(c *fiber.Ctx) error {
	st, err := h.ExtendSession(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(st)
}
