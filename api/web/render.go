package web

import (
	"bytes"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/i18n"
	"github.com/weerbaar/weerbaar/models"
)

// View is what every page gets: the layout's data plus the page's own.
type View struct {
	Title      string // page title, before "– Weerbaar"
	Lang       string // "nl" (default) or "en": the language of the page (candidate and referent pages only)
	Party      string // the party shown in the header
	User       string // the viewer's name
	Role       string // bestuur | commissie | kandidaat | admin
	CSRF       string
	Nav        []NavItem
	Flash      string
	Errors     []FieldError // error summary, in page order
	Narrow     bool
	Print      bool
	Data       any
	BodyClass  string
	Styles     []string // extra stylesheets under /static/
	Scripts    []string // extra scripts under /static/ (deferred, no inline JS)
	LangSwitch bool     // the header offers Nederlands / English (candidate, referent and public pages)
	Back       string   // where the language switch returns to

	// Idle is the session's idle deadline (nil when not logged in):
	// idle.js warns before it.
	Idle *IdleInfo
}

// NavItem is a link in the header navigation.
type NavItem struct {
	Href, Label string
	Current     bool
}

// FieldError is one entry of the error summary; Field is the id of the
// input it links to.
type FieldError struct{ Field, Message string }

// ErrorFor returns the message for a field, or "".
func (v View) ErrorFor(field string) string {
	for _, e := range v.Errors {
		if e.Field == field {
			return i18n.Translate(v.Lang, e.Message)
		}
	}
	return ""
}

// base fills the layout data from the session.
func (p *Pages) base(c *fiber.Ctx, title string) View {
	v := View{Title: title}
	if tok := api.SessionToken(c); tok != "" {
		v.CSRF = api.CSRFToken(tok)
	} else {
		v.CSRF = anonCSRF(c)
	}
	pr := api.Principal(c)
	switch {
	case pr == nil:
	case pr.Candidate != nil:
		v.User, v.Role = pr.Candidate.Name, models.RoleKandidaat
		if party, err := p.store.Party(c.UserContext(), pr.Candidate.PartyID); err == nil {
			v.Party = party.Name
		}
	case pr.User != nil:
		v.User = pr.User.Name
		v.Role = api.RoleOf(c)
		if pid := api.PartyOf(c); pid != "" {
			if party, err := p.store.Party(c.UserContext(), pid); err == nil {
				v.Party = party.Name
			}
		}
	}
	if pr != nil {
		v.Idle = p.idleInfo(c, pr)
	}
	if f := c.Cookies(flashCookie); f != "" {
		if msg, err := url.QueryUnescape(f); err == nil {
			v.Flash = msg
		}
		// Expire it on the same path it was set on (ClearCookie would not).
		c.Cookie(&fiber.Cookie{Name: flashCookie, Value: "", Path: "/", Expires: time.Unix(0, 0), HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
	}
	return v
}

const flashCookie = "weerbaar_melding"

// flash shows a one-time message on the next page.
func flash(c *fiber.Ctx, msg string) {
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
}

// render writes a page; status 0 means 200.
func (p *Pages) render(c *fiber.Ctx, status int, page string, v View) error {
	v = translateView(v)
	t, ok := p.page(v.Lang, page)
	if !ok {
		return fiber.NewError(fiber.StatusInternalServerError, "template "+page+" missing")
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return err
	}
	if status == 0 {
		status = fiber.StatusOK
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// renderError is the HTML error path: 401 goes to the login page, the rest
// gets a Dutch page with the same message as the API.
func (p *Pages) renderError(c *fiber.Ctx, e *api.Error) error {
	if e.Code == "tweestaps_vereist" && c.Method() == fiber.MethodGet {
		return c.Redirect("/account/tweestaps", fiber.StatusSeeOther)
	}
	if e.Status == fiber.StatusUnauthorized && c.Method() == fiber.MethodGet {
		return c.Redirect("/inloggen?terug="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	v := p.withLang(c, p.base(c, "Er ging iets mis"))
	heading := map[int]string{
		401: "U bent niet ingelogd", 403: "Geen toegang", 404: "Pagina niet gevonden", 409: "Dit kan nu niet",
		410: "Deze link werkt niet meer", 413: "Te veel gegevens", 422: "Controleer uw invoer", 429: "Even wachten",
	}[e.Status]
	if heading == "" {
		heading = "Er ging iets mis"
	}
	v.Title = heading
	v.Data = map[string]any{"Heading": i18n.Translate(v.Lang, heading), "Message": i18n.Translate(v.Lang, e.Message), "Status": e.Status}
	return p.render(c, e.Status, "error", v)
}

// redirect after a POST (303 so the browser GETs the next page).
func redirect(c *fiber.Ctx, to string) error { return c.Redirect(to, fiber.StatusSeeOther) }
