package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/i18n"
)

// StatementChecked is the date of the last check the accessibility
// statement reports (the browser walks with axe-core and pa11y, issue 15).
// Move it when the statement is checked again.
var StatementChecked = time.Date(2026, time.December, 7, 12, 0, 0, 0, time.UTC)

// accessibility is the public accessibility statement
// (toegankelijkheidsverklaring) after the Dutch government's model: the
// standard, the status, how it was tested, the known gaps and whom to ask.
// Candidates read it in their own language; anyone else in Dutch unless
// the link says ?lang=en (the footer of an English page does).
func (p *Pages) accessibility(c *fiber.Ctx) error {
	v := p.base(c, "")
	if v.Lang == "" {
		v.Lang = statementLang(c)
	}
	if pr := api.Principal(c); pr == nil || pr.User == nil {
		v.LangSwitch, v.Back = true, c.OriginalURL() // the switch in the header
	}
	v.Title = v.tr("Toegankelijkheidsverklaring")
	v.Narrow = true
	v.Data = map[string]any{"Checked": StatementChecked, "Party": v.Party}
	return p.render(c, 0, "accessibility", v)
}

// statementLang is the language of a public statement page: the logged-in
// candidate's choice, else ?lang=, else Dutch.
func statementLang(c *fiber.Ctx) string {
	if pr := api.Principal(c); pr != nil && pr.Candidate != nil && pr.Candidate.Language != "" {
		return i18n.Normalize(pr.Candidate.Language)
	}
	if l := c.Query("lang"); l != "" {
		return i18n.Normalize(l)
	}
	if pr := api.Principal(c); pr != nil && pr.User != nil {
		return i18n.NL
	}
	return i18n.Normalize(c.Cookies(langCookie)) // the language switch's choice (lang_choice.go)
}
