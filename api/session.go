package api

import (
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
)

type loginRequest struct {
	Email    string `json:"email" validate:"required,max=254"`
	Password string `json:"password" validate:"required,max=1024"`
	Code     string `json:"code" validate:"max=32"`
}

type membershipView struct {
	PartyID   string `json:"party_id"`
	PartyName string `json:"party_name"`
	Role      string `json:"role"`
}

type userView struct {
	ID          string           `json:"id"`
	Email       string           `json:"email"`
	Name        string           `json:"name"`
	IsAdmin     bool             `json:"is_admin"`
	Memberships []membershipView `json:"memberships"`
}

func (h *Handler) userView(c *fiber.Ctx, u *models.User) (userView, error) {
	ms, err := h.store.Memberships(c.UserContext(), u.ID)
	if err != nil {
		return userView{}, err
	}
	v := userView{ID: u.ID, Email: u.Email, Name: u.Name, IsAdmin: u.IsAdmin, Memberships: []membershipView{}}
	for _, m := range ms {
		p, err := h.store.Party(c.UserContext(), m.PartyID)
		if err != nil {
			return v, err
		}
		v.Memberships = append(v.Memberships, membershipView{PartyID: m.PartyID, PartyName: p.Name, Role: m.Role})
	}
	return v, nil
}

func (h *Handler) setSessionCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: token, Path: "/", HTTPOnly: true, Secure: h.secureCookies,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(models.SessionLifetime)})
}

func (h *Handler) login(c *fiber.Ctx) error {
	var req loginRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	gate, err := h.StartLogin(c, req.Email)
	if err != nil {
		return err
	}
	u, err := h.store.Authenticate(c.UserContext(), req.Email, req.Password)
	if err != nil {
		return err
	}
	gate.PasswordOK()
	if u.TOTPEnabledAt != nil {
		if strings.TrimSpace(req.Code) == "" {
			return newErr(fiber.StatusUnauthorized, "tweestaps_code_nodig", "Vul ook de code uit uw app voor tweestapsverificatie in.")
		}
		if err := h.Throttle(c, LimitTOTP, u.ID); err != nil {
			return err
		}
		if err := h.store.VerifySecondFactor(c.UserContext(), u.ID, req.Code); err != nil {
			return err
		}
	}
	token, err := h.store.CreateUserSession(c.UserContext(), u.ID, u.TOTPEnabledAt != nil)
	if err != nil {
		return err
	}
	h.RememberLogin(c, u.Email)
	uv, err := h.userView(c, u)
	if err != nil {
		return err
	}
	h.setSessionCookie(c, token)
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": token, "csrf_token": CSRFToken(token), "user": uv})
}

func (h *Handler) logout(c *fiber.Ctx) error {
	token, _ := c.Locals(keyToken).(string)
	if err := h.store.DeleteSession(c.UserContext(), token); err != nil {
		return err
	}
	c.ClearCookie(SessionCookie)
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) logoutEverywhere(c *fiber.Ctx) error {
	if err := h.store.DeleteAllSessions(c.UserContext(), principal(c)); err != nil {
		return err
	}
	c.ClearCookie(SessionCookie)
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) me(c *fiber.Ctx) error {
	p := principal(c)
	if p.Candidate != nil {
		return c.JSON(fiber.Map{"type": "kandidaat", "candidate": ownView(p.Candidate)})
	}
	uv, err := h.userView(c, p.User)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"type": "gebruiker", "user": uv})
}

type setupRequest struct {
	Token    string `json:"token" validate:"required,max=128"`
	Password string `json:"password" validate:"required,min=12,max=1024"`
}

func (h *Handler) accountSetup(c *fiber.Ctx) error {
	var req setupRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	u, err := h.store.CompleteSetup(c.UserContext(), req.Token, req.Password)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": u.ID, "email": u.Email})
}

// startTOTP begins enrolment: a new secret, its otpauth URL and QR code.
func (h *Handler) startTOTP(c *fiber.Ctx) error {
	p := principal(c)
	if p.User == nil {
		return errForbidden
	}
	secret, url, qr, err := h.store.StartTOTP(c.UserContext(), p.User)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"secret": secret, "otpauth_url": url, "qr_png": base64.StdEncoding.EncodeToString(qr)})
}

type totpConfirmRequest struct {
	Code string `json:"code" validate:"required,max=16"`
}

// confirmTOTP activates two-step verification and returns recovery codes once.
func (h *Handler) confirmTOTP(c *fiber.Ctx) error {
	p := principal(c)
	if p.User == nil {
		return errForbidden
	}
	var req totpConfirmRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if err := h.Throttle(c, LimitTOTP, p.User.ID); err != nil {
		return err
	}
	codes, err := h.store.ConfirmTOTP(c.UserContext(), p.User.ID, p.Session.ID, req.Code)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"enabled": true, "recovery_codes": codes})
}

type passwordChangeRequest struct {
	CurrentPassword string `json:"current_password" validate:"required,max=1024"`
	NewPassword     string `json:"new_password" validate:"required,min=12,max=1024"`
}

// changePassword sets a new password for the caller (the current one is
// needed); the caller's other sessions end and the owner gets a mail.
func (h *Handler) changePassword(c *fiber.Ctx) error {
	p := principal(c)
	var req passwordChangeRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if _, err := h.ChangePassword(c, p, req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"changed": true})
}

// ChangePassword is the password change of the API and the pages: rate
// limited per user, audited, a notice to the owner.
func (h *Handler) ChangePassword(c *fiber.Ctx, p *models.Principal, current, next string) (*models.User, error) {
	if err := h.Throttle(c, LimitPasswordChange, p.User.ID); err != nil {
		return nil, err
	}
	u, err := h.store.ChangePassword(c.UserContext(), p.User.ID, p.Session.ID, current, next)
	if err != nil {
		return nil, err
	}
	h.log.Info("password changed", "user_id", u.ID)
	return u, nil
}

type resetRequest struct {
	Email string `json:"email" validate:"required,max=254"`
}

// ResetMessage is the one answer to every reset request, known address or
// not (the page shows it too).
const ResetMessage = "Als er een account met dit e-mailadres is, krijgt u binnen enkele minuten een e-mail met een link om een nieuw wachtwoord te kiezen. De link werkt één uur."

// requestReset mails a reset link to an active account; the answer is the
// same for every address.
func (h *Handler) requestReset(c *fiber.Ctx) error {
	var req resetRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if err := h.RequestReset(c, req.Email); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"message": ResetMessage})
}

// RequestReset is the reset request of the API and the pages.
func (h *Handler) RequestReset(c *fiber.Ctx, email string) error {
	if err := h.Throttle(c, LimitResetAddress, keyHash("address", models.NormalizeEmail(email))); err != nil {
		return err
	}
	// The reset mail (if the address has an active account) is an outbox
	// task of the store's transaction; the answer is the same either way.
	_, _, err := h.store.RequestPasswordReset(c.UserContext(), email)
	return err
}

type resetConfirmRequest struct {
	Token    string `json:"token" validate:"required,max=128"`
	Password string `json:"password" validate:"required,min=12,max=1024"`
}

// errResetLink is an unknown, used or expired reset link.
var errResetLink = newErr(fiber.StatusGone, "verlopen", "Deze link werkt niet meer: hij is al gebruikt of verlopen. Vraag een nieuwe link aan via \u201cWachtwoord vergeten\u201d.")

// confirmReset sets the new password from a reset link.
func (h *Handler) confirmReset(c *fiber.Ctx) error {
	var req resetConfirmRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if _, err := h.ResetPassword(c, req.Token, req.Password); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"reset": true})
}

// ResetPassword is the reset of the API and the pages: every session of
// the user ends, the owner gets a notice.
func (h *Handler) ResetPassword(c *fiber.Ctx, token, password string) (*models.User, error) {
	u, err := h.store.ResetPassword(c.UserContext(), token, password)
	if errors.Is(err, models.ErrNotFound) || errors.Is(err, models.ErrGone) {
		return nil, errResetLink
	}
	if err != nil {
		return nil, err
	}
	h.log.Info("password reset", "user_id", u.ID)
	return u, nil
}
