package web

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/i18n"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- invitation landing ----

func scanValidToken(t string) bool { return t != "" && len(t) <= 128 }

func (p *Pages) invitation(c *fiber.Ctx) error {
	token := c.Params("token")
	if !scanValidToken(token) {
		return api.ToError(models.ErrNotFound)
	}
	// A hearing, reopen or requested link lands here too: the page says
	// what that link is for instead of inviting the candidate again.
	purpose, err := p.store.LinkPurpose(c.UserContext(), token)
	if err != nil {
		return err
	}
	title := map[string]string{models.LinkHearing: "Vragen van de selectiecommissie", models.LinkReopen: "Uw scan is teruggestuurd",
		models.LinkAccess: "Uw weerbaarheidsscan"}[purpose]
	if title == "" {
		title, purpose = "Uitnodiging voor de weerbaarheidsscan", models.LinkInvitation
	}
	v := p.withLang(c, p.base(c, title))
	v.Narrow = true
	v.Styles = []string{"scan.css"}
	v.Data = map[string]any{"Token": token, "Purpose": purpose}
	return p.render(c, 0, "scan_invitation", v)
}

// acceptInvitation opens the candidate session. It only runs on POST, so a
// mail scanner that follows the link does not accept the invitation.
func (p *Pages) acceptInvitation(c *fiber.Ctx) error {
	token := c.Params("token")
	if !scanValidToken(token) {
		return api.ToError(models.ErrNotFound)
	}
	// A visitor with a live session posted the session's CSRF token, which
	// the API middleware already checked; everyone else uses the form cookie.
	if api.Principal(c) == nil {
		if err := checkAnonCSRF(c); err != nil {
			return err
		}
	}
	sess, k, err := p.app.Accept(c.UserContext(), token)
	if err != nil {
		return err
	}
	// A language chosen on the invitation page (cookie) becomes the
	// candidate's stored choice; after login the stored choice wins.
	if ck := c.Cookies(langCookie); k != nil && (ck == i18n.NL || ck == i18n.EN) && ck != i18n.Normalize(k.Language) {
		if _, err := p.app.ChooseLanguage(c.UserContext(), k, screening.LanguageRequest{Language: ck}); err != nil {
			return err
		}
	}
	p.setSession(c, sess)
	return redirect(c, "/scan")
}

// ---- a new link by e-mail address ----

type linkData struct {
	Email, Message string
	Sent           bool
}

func (p *Pages) linkView(c *fiber.Ctx, d linkData) View {
	v := p.withLang(c, p.base(c, "Nieuwe link aanvragen"))
	v.Narrow = true
	v.Styles = []string{"scan.css"}
	v.Data = d
	return v
}

func (p *Pages) linkForm(c *fiber.Ctx) error {
	return p.render(c, 0, "scan_link", p.linkView(c, linkData{}))
}

// linkRequest mails a new link to the files of the address; the page says
// the same whether the address is known or not.
func (p *Pages) linkRequest(c *fiber.Ctx) error {
	if err := checkAnonCSRF(c); err != nil {
		return err
	}
	email := strings.TrimSpace(c.FormValue("email"))
	d := linkData{Email: email}
	var msg string
	switch {
	case email == "":
		msg = "Vul uw e-mailadres in."
	case utf8.RuneCountInString(email) > 254 || !strings.Contains(email, "@") || strings.ContainsAny(email, " \t\r\n<>"):
		msg = "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."
	}
	if msg != "" {
		v := p.linkView(c, d)
		v.Errors = []FieldError{{"email", msg}}
		return p.render(c, fiber.StatusUnprocessableEntity, "scan_link", v)
	}
	if err := p.api.RequestLinks(c, email); err != nil {
		return err
	}
	return p.render(c, 0, "scan_link", p.linkView(c, linkData{Sent: true, Message: api.LinkRequested}))
}
