package web

import (
	"github.com/gofiber/fiber/v2"
)

// privacy is the public privacy statement for candidates (the text they
// consent to, from the current questionnaire version).
func (p *Pages) privacy(c *fiber.Ctx) error {
	def, err := p.store.Forms().Latest("weerbaarheidsscan")
	if err != nil {
		return err
	}
	v := p.withLang(c, p.base(c, "Privacyverklaring"))
	v.Narrow = true
	v.Data = map[string]any{"Text": def.Privacy.Text.In(v.Lang), "Version": def.Privacy.Version}
	return p.render(c, 0, "privacy", v)
}
