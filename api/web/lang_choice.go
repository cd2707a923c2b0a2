package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/i18n"
	"github.com/weerbaar/weerbaar/screening"
)

// The candidate's choice of language (issue 14). A logged-in candidate's
// choice is stored on the candidate (screening.ChooseLanguage, the same use
// case as PATCH /api/v1/me {language}) and wins; before
// login (invitation, link request, referent form, error pages) a cookie
// holds it. Accept-Language is not used: Dutch is the default for every
// visitor until they choose (see README, "English pages").

const langCookie = "weerbaar_taal"

// langOf is the language of a candidate's, a referent's or a public page.
func (p *Pages) langOf(c *fiber.Ctx) string {
	if pr := api.Principal(c); pr != nil {
		if pr.Candidate != nil {
			return i18n.Normalize(pr.Candidate.Language)
		}
		if pr.User != nil {
			return i18n.NL // committee, board, admin: Dutch
		}
	}
	if v, ok := c.Locals(langCookie).(string); ok {
		return v
	}
	return i18n.Normalize(c.Cookies(langCookie))
}

// withLang sets the page's language and offers the switch.
func (p *Pages) withLang(c *fiber.Ctx, v View) View {
	v.Lang = p.langOf(c)
	pr := api.Principal(c)
	v.LangSwitch = pr == nil || pr.User == nil
	v.Back = c.OriginalURL()
	return v
}

// langBack is where the switch returns to: a local path, by the same
// check as the login's "terug" (safeBack: a tab in "/\t/host" would
// otherwise reach the browser as "//host"), never the switch itself.
func langBack(s string) string {
	back := safeBack(s)
	if back == "" || strings.HasPrefix(back, "/taal") {
		return "/"
	}
	return back
}

// setLanguage is POST /taal: taal=nl|en, terug=the page to return to.
func (p *Pages) setLanguage(c *fiber.Ctx) error {
	pr := api.Principal(c)
	if pr == nil {
		// With a session the API middleware checked the CSRF token.
		if err := checkAnonCSRF(c); err != nil {
			return err
		}
	}
	lang := c.FormValue("taal")
	if lang != i18n.NL && lang != i18n.EN {
		return &api.Error{Status: fiber.StatusUnprocessableEntity, Code: "ongeldig",
			Message: "Kies Nederlands of English."}
	}
	if pr != nil && pr.Candidate != nil {
		if _, err := p.app.ChooseLanguage(c.UserContext(), pr.Candidate, screening.LanguageRequest{Language: lang}); err != nil {
			return err
		}
	}
	c.Cookie(&fiber.Cookie{Name: langCookie, Value: lang, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Expires: time.Now().AddDate(1, 0, 0), Secure: strings.HasPrefix(c.BaseURL(), "https://")})
	return redirect(c, langBack(c.FormValue("terug")))
}

// translateView puts the Go code's Dutch texts of the layout (title, nav,
// flash, error summary) into the page's language at render time.
func translateView(v View) View {
	if v.Lang != i18n.EN {
		return v
	}
	v.Title = i18n.Translate(v.Lang, v.Title)
	v.Flash = i18n.Translate(v.Lang, v.Flash)
	nav := make([]NavItem, len(v.Nav))
	for i, n := range v.Nav {
		n.Label = i18n.Translate(v.Lang, n.Label)
		nav[i] = n
	}
	v.Nav = nav
	errs := make([]FieldError, len(v.Errors))
	for i, e := range v.Errors {
		e.Message = i18n.Translate(v.Lang, e.Message)
		errs[i] = e
	}
	v.Errors = errs
	return v
}
