package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"html/template"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
)

const formCookie = "weerbaar_formulier"

// anonCSRF is the double-submit token of forms shown before login.
func anonCSRF(c *fiber.Ctx) string {
	if v := c.Cookies(formCookie); len(v) == 32 {
		return v
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	v := hex.EncodeToString(b)
	c.Cookie(&fiber.Cookie{Name: formCookie, Value: v, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode})
	c.Locals(formCookie, v)
	return v
}

var errFormCSRF = &api.Error{Status: fiber.StatusForbidden, Code: "csrf", Message: "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."}

// checkAnonCSRF protects forms that are posted without a session.
func checkAnonCSRF(c *fiber.Ctx) error {
	ck := c.Cookies(formCookie)
	if ck == "" || subtle.ConstantTimeCompare([]byte(ck), []byte(api.FormToken(c, api.CSRFField))) != 1 {
		return errFormCSRF
	}
	return nil
}

func (p *Pages) setSession(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{Name: api.SessionCookie, Value: token, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: strings.HasPrefix(c.BaseURL(), "https://")})
}

// home sends everyone to where they work.
func (p *Pages) home(c *fiber.Ctx) error {
	pr := api.Principal(c)
	switch {
	case pr == nil:
		return redirect(c, "/inloggen")
	case pr.Candidate != nil:
		return redirect(c, "/scan")
	}
	ms, err := p.store.Memberships(c.UserContext(), pr.User.ID)
	if err != nil {
		return err
	}
	if len(ms) == 1 {
		return redirect(c, areaPath(ms[0].Role)+"/partij/"+ms[0].PartyID)
	}
	type choice struct{ Href, Party, Role string }
	var cs []choice
	for _, m := range ms {
		party, err := p.store.Party(c.UserContext(), m.PartyID)
		if err != nil {
			return err
		}
		cs = append(cs, choice{Href: areaPath(m.Role) + "/partij/" + m.PartyID, Party: party.Name, Role: m.Role})
	}
	v := p.base(c, "Kies waar u wilt werken")
	v.Data = map[string]any{"Choices": cs, "Admin": pr.User.IsAdmin}
	return p.render(c, 0, "home", v)
}

func areaPath(role string) string {
	if role == models.RoleCommissie {
		return "/commissie"
	}
	return "/bestuur"
}

type loginData struct {
	Email, Back string
}

// safeBack is the return address after login when it is a path on this
// site, normalised, and "" otherwise. Browsers drop tabs and newlines from
// URLs and read "\\" as "/", so "/\t/evil.example" would leave the site:
// control characters, spaces and backslashes are refused outright, and
// what is left must parse as a path without scheme or host that does not
// start with "//". The result is re-encoded from the parsed URL.
func safeBack(s string) string {
	if s == "" || len(s) > 2048 || strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x20 || r == 0x7f || r == '\\' || unicode.IsSpace(r) || !unicode.IsPrint(r)
	}) {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || u.Fragment != "" {
		return ""
	}
	if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.Contains(u.Path, "\\") {
		return ""
	}
	out := u.EscapedPath()
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") || strings.ContainsAny(out, "\\\t\r\n") {
		return ""
	}
	return out
}

func (p *Pages) loginForm(c *fiber.Ctx) error {
	if api.Principal(c) != nil {
		// Signed in again in another tab: back to the page of "Opnieuw inloggen".
		if back := safeBack(c.Query("terug")); back != "" {
			return redirect(c, back)
		}
		return redirect(c, "/")
	}
	v := p.base(c, "Inloggen")
	v.Narrow = true
	v.Data = loginData{Back: safeBack(c.Query("terug"))}
	return p.render(c, 0, "login", v)
}

func (p *Pages) login(c *fiber.Ctx) error {
	if err := checkAnonCSRF(c); err != nil {
		return err
	}
	email, pw, back := strings.TrimSpace(c.FormValue("email")), c.FormValue("password"), safeBack(c.FormValue("terug"))
	v := p.base(c, "Inloggen")
	v.Narrow = true
	v.Data = loginData{Email: email, Back: back}
	if email == "" {
		v.Errors = append(v.Errors, FieldError{"email", "Vul uw e-mailadres in."})
	}
	if pw == "" {
		v.Errors = append(v.Errors, FieldError{"password", "Vul uw wachtwoord in."})
	}
	if len(v.Errors) > 0 {
		return p.render(c, fiber.StatusUnprocessableEntity, "login", v)
	}
	gate, err := p.api.StartLogin(c, email)
	if err != nil {
		return err
	}
	u, err := p.store.Authenticate(c.UserContext(), email, pw)
	if errors.Is(err, models.ErrBadCredentials) {
		v.Errors = []FieldError{{"email", "Het e-mailadres of het wachtwoord klopt niet."}}
		return p.render(c, fiber.StatusUnauthorized, "login", v)
	}
	if err != nil {
		return err
	}
	gate.PasswordOK()
	if u.TOTPEnabledAt != nil {
		// Step two: the session only works after the code.
		tok, err := p.store.CreatePendingSession(c.UserContext(), u.ID)
		if err != nil {
			return err
		}
		c.Cookie(&fiber.Cookie{Name: mfaCookie, Value: tok, Path: "/inloggen", HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode,
			Secure: strings.HasPrefix(c.BaseURL(), "https://"), MaxAge: 600})
		return redirect(c, "/inloggen/code?terug="+url.QueryEscape(back))
	}
	tok, err := p.store.CreateUserSession(c.UserContext(), u.ID, false)
	if err != nil {
		return err
	}
	p.api.RememberLogin(c, u.Email)
	p.setSession(c, tok)
	if back != "" {
		return redirect(c, back)
	}
	return redirect(c, "/")
}

const mfaCookie = "weerbaar_stap2"

func (p *Pages) codeForm(c *fiber.Ctx) error {
	if _, err := p.store.PendingUser(c.UserContext(), c.Cookies(mfaCookie)); err != nil {
		return redirect(c, "/inloggen")
	}
	v := p.base(c, "Code invullen")
	v.Narrow = true
	v.Data = map[string]any{"Back": safeBack(c.Query("terug"))}
	return p.render(c, 0, "login_code", v)
}

func (p *Pages) code(c *fiber.Ctx) error {
	if err := checkAnonCSRF(c); err != nil {
		return err
	}
	tok := c.Cookies(mfaCookie)
	u, err := p.store.PendingUser(c.UserContext(), tok)
	if err != nil {
		return redirect(c, "/inloggen")
	}
	if err := p.api.Throttle(c, api.LimitTOTP, u.ID); err != nil {
		return err
	}
	back := safeBack(c.FormValue("terug"))
	if _, err := p.store.CompletePendingSession(c.UserContext(), tok, c.FormValue("code")); err != nil {
		if errors.Is(err, models.ErrSecondFactor) {
			v := p.base(c, "Code invullen")
			v.Narrow = true
			v.Data = map[string]any{"Back": back}
			v.Errors = []FieldError{{"code", "De code klopt niet. Vul de code uit uw app in, of een van uw herstelcodes."}}
			return p.render(c, fiber.StatusUnauthorized, "login_code", v)
		}
		return err
	}
	c.Cookie(&fiber.Cookie{Name: mfaCookie, Value: "", Path: "/inloggen", Expires: time.Unix(0, 0), HTTPOnly: true})
	p.api.RememberLogin(c, u.Email)
	p.setSession(c, tok)
	if back != "" {
		return redirect(c, back)
	}
	return redirect(c, "/")
}

// totpPage shows the enrolment: QR code, the secret as text, a code field.
func (p *Pages) totpPage(c *fiber.Ctx) error {
	pr := api.Principal(c)
	if pr.User == nil {
		return redirect(c, "/")
	}
	v := p.base(c, "Tweestapsverificatie")
	v.Narrow = true
	if pr.User.TOTPEnabledAt != nil {
		v.Data = map[string]any{"Enabled": true}
		return p.render(c, 0, "totp", v)
	}
	// The same unconfirmed secret on every visit: a GET changes nothing.
	secret, _, qr, err := p.store.PendingTOTP(c.UserContext(), pr.User)
	if err != nil {
		return err
	}
	v.Data = map[string]any{"QR": template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(qr)), "Secret": groupSecret(secret)}
	return p.render(c, 0, "totp", v)
}

func groupSecret(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (p *Pages) totpConfirm(c *fiber.Ctx) error {
	pr := api.Principal(c)
	if pr.User == nil {
		return redirect(c, "/")
	}
	if err := p.api.Throttle(c, api.LimitTOTP, pr.User.ID); err != nil {
		return err
	}
	codes, err := p.store.ConfirmTOTP(c.UserContext(), pr.User.ID, pr.Session.ID, c.FormValue("code"))
	if errors.Is(err, models.ErrSecondFactor) {
		flash(c, "De code klopt niet. Vul de code in die uw app nu laat zien, en probeer het opnieuw.")
		return redirect(c, "/account/tweestaps")
	}
	if err != nil {
		return err
	}
	v := p.base(c, "Bewaar uw herstelcodes")
	v.Narrow = true
	v.Data = map[string]any{"Codes": codes}
	return p.render(c, 0, "totp_codes", v)
}

func (p *Pages) logout(c *fiber.Ctx) error {
	if err := p.store.DeleteSession(c.UserContext(), api.SessionToken(c)); err != nil {
		return err
	}
	c.ClearCookie(api.SessionCookie)
	flash(c, "U bent uitgelogd.")
	return redirect(c, "/inloggen")
}

func (p *Pages) setupForm(c *fiber.Ctx) error {
	v := p.base(c, "Wachtwoord kiezen")
	v.Narrow = true
	v.Data = map[string]any{"Token": c.Params("token")}
	return p.render(c, 0, "setup", v)
}

func (p *Pages) setup(c *fiber.Ctx) error {
	if err := checkAnonCSRF(c); err != nil {
		return err
	}
	token := c.Params("token")
	pw, pw2 := c.FormValue("password"), c.FormValue("password2")
	v := p.base(c, "Wachtwoord kiezen")
	v.Narrow = true
	v.Data = map[string]any{"Token": token}
	if len([]rune(pw)) < 12 {
		v.Errors = append(v.Errors, FieldError{"password", "Kies een wachtwoord van ten minste 12 tekens."})
	}
	if pw != pw2 {
		v.Errors = append(v.Errors, FieldError{"password2", "De twee wachtwoorden zijn niet gelijk. Typ hetzelfde wachtwoord nog een keer."})
	}
	if len(v.Errors) > 0 {
		return p.render(c, fiber.StatusUnprocessableEntity, "setup", v)
	}
	if _, err := p.store.CompleteSetup(c.UserContext(), token, pw); err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return &api.Error{Status: fiber.StatusGone, Code: "verlopen", Message: "Deze link is al gebruikt of bestaat niet. Vraag het partijbestuur om een nieuwe link."}
		}
		return err
	}
	flash(c, "Uw wachtwoord is ingesteld. U kunt nu inloggen.")
	return redirect(c, "/inloggen")
}

// passwordForm shows the password change.
func (p *Pages) passwordForm(c *fiber.Ctx) error {
	if api.Principal(c).User == nil {
		return redirect(c, "/")
	}
	v := p.base(c, "Wachtwoord wijzigen")
	v.Narrow = true
	return p.render(c, 0, "password_change", v)
}

// passwordChange sets a new password (the current one is needed).
func (p *Pages) passwordChange(c *fiber.Ctx) error {
	pr := api.Principal(c)
	if pr.User == nil {
		return redirect(c, "/")
	}
	current, pw, pw2 := c.FormValue("current_password"), c.FormValue("password"), c.FormValue("password2")
	v := p.base(c, "Wachtwoord wijzigen")
	v.Narrow = true
	if current == "" {
		v.Errors = append(v.Errors, FieldError{"current_password", "Vul uw huidige wachtwoord in."})
	}
	v.Errors = append(v.Errors, newPasswordErrors(pw, pw2)...)
	if len(v.Errors) == 0 {
		_, err := p.api.ChangePassword(c, pr, current, pw)
		e, refused := screening.Explain(err)
		switch {
		case refused && e.Kind == screening.Invalid:
			v.Errors = append(v.Errors, FieldError{"current_password", e.Fields["current_password"]})
		case err != nil:
			return err
		default:
			flash(c, "Uw wachtwoord is gewijzigd. Op uw andere apparaten bent u uitgelogd.")
			return redirect(c, "/")
		}
	}
	return p.render(c, fiber.StatusUnprocessableEntity, "password_change", v)
}

func newPasswordErrors(pw, pw2 string) []FieldError {
	var errs []FieldError
	switch n := len([]rune(pw)); {
	case n == 0:
		errs = append(errs, FieldError{"password", "Kies een nieuw wachtwoord van ten minste 12 tekens."})
	case n < 12:
		errs = append(errs, FieldError{"password", "Het nieuwe wachtwoord is te kort. Gebruik ten minste 12 tekens."})
	case n > 1024:
		errs = append(errs, FieldError{"password", "Het nieuwe wachtwoord is te lang. Gebruik ten hoogste 1024 tekens."})
	}
	if pw != pw2 {
		errs = append(errs, FieldError{"password2", "De twee wachtwoorden zijn niet gelijk. Typ hetzelfde wachtwoord nog een keer."})
	}
	return errs
}

// forgotForm asks for the address to send a reset link to.
func (p *Pages) forgotForm(c *fiber.Ctx) error {
	v := p.base(c, "Wachtwoord vergeten")
	v.Narrow = true
	v.Data = map[string]any{"Email": ""}
	return p.render(c, 0, "password_forgot", v)
}

// forgot sends a reset link to an active account; the page says the same
// for every address.
func (p *Pages) forgot(c *fiber.Ctx) error {
	if err := checkAnonCSRF(c); err != nil {
		return err
	}
	email := strings.TrimSpace(c.FormValue("email"))
	v := p.base(c, "Wachtwoord vergeten")
	v.Narrow = true
	v.Data = map[string]any{"Email": email}
	if email == "" || len(email) > 254 {
		v.Errors = []FieldError{{"email", "Vul het e-mailadres van uw account in."}}
		return p.render(c, fiber.StatusUnprocessableEntity, "password_forgot", v)
	}
	if err := p.api.RequestReset(c, email); err != nil {
		return err
	}
	v.Title = "Kijk in uw e-mail"
	v.Data = map[string]any{"Sent": true, "Message": api.ResetMessage}
	return p.render(c, 0, "password_forgot", v)
}

// resetForm lets the holder of a reset link choose a new password.
func (p *Pages) resetForm(c *fiber.Ctx) error {
	v := p.base(c, "Nieuw wachtwoord kiezen")
	v.Narrow = true
	v.Data = map[string]any{"Token": c.Params("token")}
	return p.render(c, 0, "password_reset", v)
}

// reset sets the new password from a reset link.
func (p *Pages) reset(c *fiber.Ctx) error {
	if err := checkAnonCSRF(c); err != nil {
		return err
	}
	token := c.Params("token")
	pw, pw2 := c.FormValue("password"), c.FormValue("password2")
	v := p.base(c, "Nieuw wachtwoord kiezen")
	v.Narrow = true
	v.Data = map[string]any{"Token": token}
	if v.Errors = newPasswordErrors(pw, pw2); len(v.Errors) > 0 {
		return p.render(c, fiber.StatusUnprocessableEntity, "password_reset", v)
	}
	if _, err := p.api.ResetPassword(c, token, pw); err != nil {
		return err
	}
	c.ClearCookie(api.SessionCookie)
	flash(c, "Uw nieuwe wachtwoord is ingesteld. U kunt nu inloggen.")
	return redirect(c, "/inloggen")
}
