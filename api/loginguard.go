package api

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/secure"
)

// DeviceCookie marks a browser in which an account logged in before: wrong
// passwords elsewhere do not lock it out.
const DeviceCookie = "weerbaar_apparaat"

// How long a device or IP address stays known after a successful login.
const (
	knownDeviceTTL = 180 * 24 * time.Hour
	knownIPTTL     = 30 * 24 * time.Hour
)

var (
	errCrossSite = newErr(fiber.StatusForbidden, "andere_site", "Dit verzoek komt van een andere website en is geweigerd. Log in via Weerbaar zelf.")
	errNotJSON   = newErr(fiber.StatusUnsupportedMediaType, "geen_json", "Stuur de gegevens als JSON, met de kop Content-Type: application/json.")
)

// sameOriginJSON guards the JSON endpoints that start a session (login,
// accepting an invitation) against login CSRF: a browser request from
// another site is refused (Sec-Fetch-Site, Origin), and only
// application/json is accepted, which no cross-site form can send without
// a CORS preflight (that this service never grants).
func (h *Handler) sameOriginJSON(c *fiber.Ctx) error {
	switch strings.ToLower(c.Get("Sec-Fetch-Site")) {
	case "", "same-origin", "none":
	default:
		return errCrossSite
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && !h.ownOrigin(c, origin) {
		return errCrossSite
	}
	mt, _, err := mime.ParseMediaType(string(c.Request().Header.ContentType()))
	if err != nil || mt != fiber.MIMEApplicationJSON {
		return errNotJSON
	}
	return nil
}

// ownOrigin reports whether origin is this service: BASE_URL, or the
// scheme and host the request came to.
func (h *Handler) ownOrigin(c *fiber.Ctx, origin string) bool {
	if origin == "null" {
		return false
	}
	for _, own := range []string{h.base, c.BaseURL()} {
		if u, err := url.Parse(own); err == nil && u.Host != "" && strings.EqualFold(origin, u.Scheme+"://"+u.Host) {
			return true
		}
	}
	return false
}

// FormToken reads a form field from the request body only (urlencoded or
// multipart), never from the query string: tokens in URLs leak through
// history, logs and the Referer header.
func FormToken(c *fiber.Ctx, name string) string {
	mt, _, _ := mime.ParseMediaType(string(c.Request().Header.ContentType()))
	switch mt {
	case fiber.MIMEApplicationForm:
		return string(c.Request().PostArgs().Peek(name))
	case fiber.MIMEMultipartForm:
		f, err := c.MultipartForm()
		if err != nil {
			return ""
		}
		if v := f.Value[name]; len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// keyHash keeps addresses, devices and IP addresses out of Redis keys.
func keyHash(kind, v string) string {
	sum := sha256.Sum256([]byte("weerbaar-login:" + kind + ":" + v))
	return hex.EncodeToString(sum[:12])
}

// LoginGate throttles the password attempts for one address. Every attempt
// takes a slot; a right password gives them back, so only wrong passwords
// count. The count is per address and client: a known client (a browser
// with the device cookie of an earlier login of this account, or an IP
// address it logged in from) has a count of its own, so wrong passwords
// elsewhere never lock the owner out there; unknown clients also share
// one count per address, so guessing from many addresses stays slow.
type LoginGate struct {
	h     *Handler
	ctx   context.Context
	taken []taken
}

type taken struct {
	lim Limit
	key string
}

// StartLogin takes the attempt's slots or answers 429.
func (h *Handler) StartLogin(c *fiber.Ctx, email string) (*LoginGate, error) {
	g := &LoginGate{h: h, ctx: c.UserContext()}
	addr := keyHash("address", models.NormalizeEmail(email))
	client, known := "ip:"+keyHash("ip", c.IP()), false
	if dev := c.Cookies(DeviceCookie); validDevice(dev) && h.limiter.Known(g.ctx, "known:"+addr+":d:"+keyHash("device", dev)) {
		client, known = "d:"+keyHash("device", dev), true
	} else if h.limiter.Known(g.ctx, "known:"+addr+":"+client) {
		known = true
	}
	if err := g.take(c, LimitLoginEmail, addr+":"+client); err != nil {
		return nil, err
	}
	if !known {
		if err := g.take(c, LimitLoginAddress, addr); err != nil {
			g.PasswordOK() // this attempt never happened
			return nil, err
		}
	}
	return g, nil
}

func (g *LoginGate) take(c *fiber.Ctx, lim Limit, key string) error {
	if err := g.h.Throttle(c, lim, key); err != nil {
		return err
	}
	g.taken = append(g.taken, taken{lim, key})
	return nil
}

// PasswordOK gives the attempt's slots back: a right password is no guess.
func (g *LoginGate) PasswordOK() {
	for _, t := range g.taken {
		if err := g.h.limiter.Undo(g.ctx, t.lim, t.key); err != nil {
			g.h.log.Warn("rate limiter unavailable", "bucket", t.lim.Bucket, "error", err.Error())
		}
	}
	g.taken = nil
}

// RememberLogin marks the client of a complete login (password and, when
// enrolled, the code) as known for the account: the browser keeps a device
// cookie, and the IP address is remembered.
func (h *Handler) RememberLogin(c *fiber.Ctx, email string) {
	ctx := c.UserContext()
	addr := keyHash("address", models.NormalizeEmail(email))
	dev := c.Cookies(DeviceCookie)
	if !validDevice(dev) {
		dev, _ = secure.NewToken()
	}
	c.Cookie(&fiber.Cookie{Name: DeviceCookie, Value: dev, Path: "/", HTTPOnly: true, Secure: h.secureCookies,
		SameSite: fiber.CookieSameSiteStrictMode, Expires: time.Now().Add(knownDeviceTTL)})
	for key, ttl := range map[string]time.Duration{
		"known:" + addr + ":d:" + keyHash("device", dev): knownDeviceTTL,
		"known:" + addr + ":ip:" + keyHash("ip", c.IP()): knownIPTTL,
	} {
		if err := h.limiter.Remember(ctx, key, ttl); err != nil {
			h.log.Warn("rate limiter unavailable", "bucket", "known", "error", err.Error())
			return
		}
	}
}

// validDevice checks the shape of a device cookie (a 256-bit token).
func validDevice(v string) bool {
	if len(v) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil
}
