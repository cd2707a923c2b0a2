package api

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/pdf"
	"github.com/weerbaar/weerbaar/screening"
)

// The advice report (committee) and the summary for the board (issue 13,
// part 4), as JSON and as PDF. The PDF prints the same HTML as the page:
// the pages package renders it (Documents), this package prints it.

// Documents renders the printable pages for the PDF routes; the pages
// package installs it (the JSON API cannot import the pages).
type Documents interface {
	ReportHTML(c *fiber.Ctx, r *screening.Report) ([]byte, error)
}

// SetDocuments installs the page renderer of the PDF routes.
func (h *Handler) SetDocuments(d Documents) { h.documents = d }

// PDF returns the printer (nil when none was configured).
func (h *Handler) PDF() *pdf.Printer { return h.pdf }

// PDFAvailable reports whether PDFs can be made on this server.
func (h *Handler) PDFAvailable() bool { return h.pdf.Available() }

// PDFUnavailableMessage is what the PDF routes (and the pages' PDF links)
// say on a server without Chromium.
const PDFUnavailableMessage = "De PDF kan op deze server niet worden gemaakt. Gebruik Afdrukken in uw browser en kies 'Opslaan als PDF'."

var (
	// ErrPDFUnavailable: no Chromium on this server (503).
	ErrPDFUnavailable = newErr(fiber.StatusServiceUnavailable, "pdf_niet_beschikbaar", PDFUnavailableMessage)
	errPDFFailed      = newErr(fiber.StatusServiceUnavailable, "pdf_mislukt",
		"De PDF kon nu niet worden gemaakt. Probeer het over een paar minuten opnieuw, of gebruik Afdrukken in uw browser en kies 'Opslaan als PDF'.")
)

// SendPDF prints html and sends it as a download; audit runs after the
// print succeeded and before anything is sent (a read that failed read
// nothing).
func (h *Handler) SendPDF(c *fiber.Ctx, html []byte, filename string, audit func() error) error {
	if !h.pdf.Available() {
		return ErrPDFUnavailable
	}
	out, err := h.pdf.Print(c.UserContext(), html)
	switch {
	case errors.Is(err, pdf.ErrUnavailable):
		return ErrPDFUnavailable
	case err != nil:
		h.log.Error("pdf", "err", err)
		return errPDFFailed
	}
	if err := audit(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	return c.Send(out)
}

func (h *Handler) getReport(c *fiber.Ctx) error {
	k := candOf(c)
	r, err := h.app.Report(c.UserContext(), k, actor(c))
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(c.UserContext(), k, actor(c), "report.read"); err != nil {
		return err
	}
	return c.JSON(r)
}

func (h *Handler) getReportPDF(c *fiber.Ctx) error {
	if !h.pdf.Available() || h.documents == nil {
		return ErrPDFUnavailable
	}
	k := candOf(c)
	r, err := h.app.Report(c.UserContext(), k, actor(c))
	if err != nil {
		return err
	}
	html, err := h.documents.ReportHTML(c, r)
	if err != nil {
		return err
	}
	return h.SendPDF(c, html, "adviesrapport.pdf", func() error {
		return h.store.AuditRead(c.UserContext(), k, actor(c), "report.read")
	})
}

// getSummary is the summary for the board (and the committee): the board
// gets it only with the candidate's consent to a released advice.
func (h *Handler) getSummary(c *fiber.Ctx) error {
	k := candOf(c)
	v, err := h.app.BoardSummary(c.UserContext(), k, roleOf(c))
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(c.UserContext(), k, actor(c), "summary.read"); err != nil {
		return err
	}
	return c.JSON(v)
}

// mySummary is the summary that would be shared, for the candidate.
func (h *Handler) mySummary(c *fiber.Ctx) error {
	v, err := h.app.MySummary(c.UserContext(), candOf(c))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) consentSummary(c *fiber.Ctx) error {
	var req screening.SummaryConsentRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	v, err := h.app.ConsentSummary(c.UserContext(), candOf(c), req)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) withdrawSummaryConsent(c *fiber.Ctx) error {
	if err := h.app.WithdrawSummaryConsent(c.UserContext(), candOf(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
