package web

import (
	"github.com/gofiber/fiber/v2"
)

// ---- export ----

// scanExport explains the download; the file itself is the JSON API's
// GET /api/v1/me/export (it works with the session cookie and logs the
// export in the access log).
func (p *Pages) scanExport(c *fiber.Ctx) error {
	v := p.scanView(c, "Uw gegevens downloaden")
	return p.render(c, 0, "scan_export", v)
}
