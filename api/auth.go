package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
)

// Cookie and header names.
const (
	SessionCookie = "weerbaar_session"
	CSRFHeader    = "X-CSRF-Token"
	CSRFField     = "_csrf"
)

// Access is how a route is scoped.
type Access int

// Route scopes. Party, round and candidate scopes resolve the resource's
// party and the caller's role in it: not a member → 404, wrong role → 403.
const (
	Public Access = iota
	Authenticated
	AdminOnly
	CandidateSelf
	// UserSelf is any logged-in board or committee member or admin (not a
	// candidate), acting on their own account.
	UserSelf
	PartyScope
	RoundScope
	CandidateScope
)

type ctxKey string

const (
	keyPrincipal ctxKey = "principal"
	keyToken     ctxKey = "token"
	keyRole      ctxKey = "role"
	keyPartyID   ctxKey = "party_id"
	keyRound     ctxKey = "round"
	keyCandidate ctxKey = "candidate"
)

// CSRFToken derives the CSRF token of a session: cookie-authenticated writes
// must echo it in X-CSRF-Token. A cross-site page cannot read it.
func CSRFToken(sessionToken string) string {
	sum := sha256.Sum256([]byte("weerbaar-csrf:" + sessionToken))
	return hex.EncodeToString(sum[:16])
}

// authenticate resolves the session from the Bearer header or the cookie.
// It never rejects: guard decides what a route needs.
func (h *Handler) authenticate(c *fiber.Ctx) error {
	token, fromCookie := "", false
	if auth := c.Get(fiber.HeaderAuthorization); auth != "" {
		if t, ok := strings.CutPrefix(auth, "Bearer "); ok {
			token = strings.TrimSpace(t)
		} else {
			return errUnauthenticated
		}
	} else if ck := c.Cookies(SessionCookie); ck != "" {
		token, fromCookie = ck, true
	}
	if token == "" {
		return c.Next()
	}
	p, err := h.store.SessionByToken(c.UserContext(), token)
	if errors.Is(err, models.ErrNotFound) {
		if fromCookie {
			// An expired cookie session is just "not logged in": pages
			// send the visitor to the login page, the API answers 401.
			c.ClearCookie(SessionCookie)
			return c.Next()
		}
		return errUnauthenticated
	}
	if err != nil {
		return err
	}
	if fromCookie {
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		default:
			sent := c.Get(CSRFHeader)
			if sent == "" && strings.HasPrefix(c.Path(), QueueMonitorPath+"/") {
				sent = c.Get(xsrfHeader) // asynqmon's client echoes the XSRF-TOKEN cookie
			}
			if sent == "" {
				sent = FormToken(c, CSRFField) // server-rendered forms (body only, never the query)
			}
			if subtle.ConstantTimeCompare([]byte(sent), []byte(CSRFToken(token))) != 1 {
				return errCSRF
			}
		}
	}
	c.Locals(keyPrincipal, p)
	c.Locals(keyToken, token)
	setIdleHeader(c, h.store.Now(), p.Session)
	return c.Next()
}

// Principal is the caller's session (nil when anonymous).
func Principal(c *fiber.Ctx) *models.Principal { return principal(c) }

// ActorOf is the caller as the audit log names them.
func ActorOf(c *fiber.Ctx) models.Actor { return actor(c) }

// RoleOf, PartyOf, RoundOf and CandidateOf return what the guard resolved.
func RoleOf(c *fiber.Ctx) string { return roleOf(c) }

// PartyOf is the resolved party id.
func PartyOf(c *fiber.Ctx) string { return partyOf(c) }

// RoundOf is the resolved round.
func RoundOf(c *fiber.Ctx) *models.Round { return roundOf(c) }

// CandidateOf is the resolved candidate.
func CandidateOf(c *fiber.Ctx) *models.Candidate { return candOf(c) }

// SessionToken is the caller's raw session token (for the page's CSRF token).
func SessionToken(c *fiber.Ctx) string { t, _ := c.Locals(keyToken).(string); return t }

func principal(c *fiber.Ctx) *models.Principal {
	p, _ := c.Locals(keyPrincipal).(*models.Principal)
	return p
}

// actor is the caller as the audit log names them.
func actor(c *fiber.Ctx) models.Actor {
	p := principal(c)
	role, _ := c.Locals(keyRole).(string)
	switch {
	case p == nil:
		return models.Actor{ID: "anoniem", Role: "anoniem"}
	case p.Candidate != nil:
		return models.Actor{ID: p.Candidate.ID, Role: models.RoleKandidaat}
	default:
		if role == "" && p.User.IsAdmin {
			role = models.RoleAdmin
		}
		return models.Actor{ID: p.User.ID, Role: role}
	}
}

func roleOf(c *fiber.Ctx) string         { r, _ := c.Locals(keyRole).(string); return r }
func partyOf(c *fiber.Ctx) string        { p, _ := c.Locals(keyPartyID).(string); return p }
func roundOf(c *fiber.Ctx) *models.Round { r, _ := c.Locals(keyRound).(*models.Round); return r }
func candOf(c *fiber.Ctx) *models.Candidate {
	k, _ := c.Locals(keyCandidate).(*models.Candidate)
	return k
}

// guard enforces a route's access rule; it is the only place where
// authorization happens.
func (h *Handler) guard(rt Route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if rt.Access == Public {
			return c.Next()
		}
		p := principal(c)
		if p == nil {
			return errUnauthenticated
		}
		ctx := c.UserContext()
		if err := h.requireSecondFactor(c, p, rt); err != nil {
			return err
		}
		switch rt.Access {
		case Authenticated:
			return c.Next()
		case AdminOnly:
			if p.User == nil || !p.User.IsAdmin {
				return errForbidden
			}
			c.Locals(keyRole, models.RoleAdmin)
			return c.Next()
		case UserSelf:
			if p.User == nil {
				return errForbidden
			}
			return c.Next()
		case CandidateSelf:
			if p.Candidate == nil {
				return errForbidden
			}
			c.Locals(keyRole, models.RoleKandidaat)
			c.Locals(keyCandidate, p.Candidate)
			c.Locals(keyPartyID, p.Candidate.PartyID)
			return c.Next()
		}
		// Party-scoped resources: candidates are never members of a party.
		if p.User == nil {
			return errNotFound
		}
		var partyID string
		switch rt.Access {
		case PartyScope:
			party, err := h.store.Party(ctx, c.Params("pid"))
			if err != nil {
				return err
			}
			partyID = party.ID
		case RoundScope:
			r, err := h.store.Round(ctx, c.Params("rid"))
			if err != nil {
				return err
			}
			partyID = r.PartyID
			c.Locals(keyRound, r)
		case CandidateScope:
			k, err := h.store.Candidate(ctx, c.Params("cid"))
			if err != nil {
				return err
			}
			partyID = k.PartyID
			c.Locals(keyCandidate, k)
		}
		role, err := h.store.MemberRole(ctx, p.User.ID, partyID)
		if err != nil {
			return err
		}
		if role == "" && p.User.IsAdmin && slices.Contains(rt.Roles, models.RoleAdmin) {
			role = models.RoleAdmin
		}
		if role == "" {
			return errNotFound
		}
		if !slices.Contains(rt.Roles, role) {
			return errForbidden
		}
		// A committee member who recused from a candidate no longer sees
		// that file at all.
		if k := candOf(c); k != nil && role == models.RoleCommissie {
			recused, err := h.store.IsRecused(ctx, p.User.ID, k.ID)
			if err != nil {
				return err
			}
			if recused {
				return errNotFound
			}
		}
		c.Locals(keyRole, role)
		c.Locals(keyPartyID, partyID)
		return c.Next()
	}
}

// allowedBeforeTOTP are the routes a user who must still enrol in
// two-step verification may use.
var allowedBeforeTOTP = map[string]bool{
	"GET /api/v1/me": true, "POST /api/v1/me/totp": true, "POST /api/v1/me/totp/confirm": true,
	"DELETE /api/v1/session": true, "DELETE /api/v1/sessions": true,
	"GET /": true, "POST /uitloggen": true, "GET /account/tweestaps": true, "POST /account/tweestaps": true,
	"POST /api/v1/session/extend": true, "POST /sessie/verlengen": true,
}

// errTOTPRequired tells a committee member or admin to enrol first.
var errTOTPRequired = newErr(fiber.StatusForbidden, "tweestaps_vereist", "Stel eerst tweestapsverificatie in. Wie dossiers van kandidaten kan lezen, logt in met een code uit een app.")

func (h *Handler) requireSecondFactor(c *fiber.Ctx, p *models.Principal, rt Route) error {
	// A user's session has the second factor only when it showed a code
	// (SessionByToken refuses password-only sessions of enrolled users).
	if !h.requireTOTP || p.User == nil || p.Session.SecondFactor || allowedBeforeTOTP[rt.Method+" "+rt.Path] {
		return nil
	}
	need, err := h.store.NeedsTOTP(c.UserContext(), p.User)
	if err != nil {
		return err
	}
	if need {
		return errTOTPRequired
	}
	return nil
}
