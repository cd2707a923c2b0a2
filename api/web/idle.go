package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
)

// IdleInfo is what the layout tells idle.js about the session: how long
// until it ends idle, when to warn, where to sign in again, and the key of
// the unsaved-input store (sessionStorage) of this user.
type IdleInfo struct {
	EndsAt      time.Time // the idle deadline (never after the absolute lifetime)
	SecondsLeft int       // from the server's clock: the page counts down from its own clock
	IdleSeconds int       // the idle timeout of the session
	WarnSeconds int       // the warning shows this long before the end
	WarnMinutes int       // WarnSeconds in whole minutes (the dialog's text), at least 1
	DraftKey    string    // a hash of the user's or candidate's id: no personal data in storage keys
	SignIn      string    // where "Opnieuw inloggen" leads, back to this page
	Candidate   bool
}

// WarnBefore is how long before the idle end the warning shows: two
// minutes, or a fifth of a short idle timeout (never less than 20 seconds),
// so a short session is not mostly warning.
func WarnBefore(idle time.Duration) time.Duration {
	w := 2 * time.Minute
	if idle/5 < w {
		w = idle / 5
	}
	if w < 20*time.Second {
		w = 20 * time.Second
	}
	return w
}

// DraftKey is the key of a user's or candidate's unsaved input in the
// browser: the same after signing in again, without the id itself.
func DraftKey(pr *models.Principal) string {
	id := ""
	switch {
	case pr.Candidate != nil:
		id = "k:" + pr.Candidate.ID
	case pr.User != nil:
		id = "u:" + pr.User.ID
	}
	sum := sha256.Sum256([]byte("weerbaar-invoer:" + id))
	return hex.EncodeToString(sum[:12])
}

func (p *Pages) idleInfo(c *fiber.Ctx, pr *models.Principal) *IdleInfo {
	now := p.store.Now()
	idle := time.Duration(pr.Session.IdleSeconds) * time.Second
	warn := WarnBefore(idle)
	mins := int(warn / time.Minute)
	if mins < 1 {
		mins = 1
	}
	info := &IdleInfo{EndsAt: pr.Session.IdleEnd().UTC(), SecondsLeft: api.IdleSecondsLeft(now, pr.Session), IdleSeconds: pr.Session.IdleSeconds,
		WarnSeconds: int(warn / time.Second), WarnMinutes: mins, DraftKey: DraftKey(pr), Candidate: pr.Candidate != nil}
	if info.Candidate {
		// A candidate signs in with a link by e-mail.
		info.SignIn = "/link-aanvragen"
	} else {
		back := "/"
		if c.Method() == fiber.MethodGet {
			back = safeBack(c.OriginalURL())
		}
		info.SignIn = "/inloggen?terug=" + url.QueryEscape(back)
	}
	return info
}

// extendSession is "Ingelogd blijven": the page's keep-alive (CSRF like
// every cookie write). It answers JSON: idle.js calls it.
func (p *Pages) extendSession(c *fiber.Ctx) error {
	st, err := p.api.ExtendSession(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(st)
}
