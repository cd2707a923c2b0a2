package web

import (
	"bytes"
	"regexp"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- the advice report (issue 13, part 4) ----
//
// The committee's printable report of a file, as a page with print CSS
// (A4, a page per section, no navigation) and as a PDF of the same HTML.
// Reads are audited as "report.read", like GET /api/v1/candidates/{cid}/report.

// reportData is the report page's data: the report and the words it needs.
func (p *Pages) reportData(c *fiber.Ctx, r *screening.Report) map[string]any {
	return map[string]any{"R": r, "Base": comFiles + r.Candidate.ID, "DomainNL": comDomainNL, "VOGNL": comVOGNL,
		"OutcomeNL": comOutcomeNL, "ResolutionNL": reportResolutionNL, "PDF": p.api.PDFAvailable(), "PDFMessage": api.PDFUnavailableMessage,
		"VOGRequested": comDate(r.VOG.RequestedOn), "VOGIssued": comDate(r.VOG.IssuedOn)}
}

var reportResolutionNL = map[string]string{
	"afdoende_toegelicht": "Afdoende toegelicht", "maatregel_afgesproken": "Maatregel afgesproken", "zorg_blijft": "Zorg blijft",
}

// reportView is the layout of the report, for the page and the PDF alike.
func (p *Pages) reportView(c *fiber.Ctx, r *screening.Report) View {
	v := p.comView(c, "Adviesrapport "+r.Candidate.Name, false)
	v.Print = true
	v.BodyClass = "report"
	v.Styles = append(v.Styles, "report.css")
	v.Data = p.reportData(c, r)
	return v
}

func (p *Pages) comReport(c *fiber.Ctx) error {
	k := api.CandidateOf(c)
	r, err := p.app.Report(c.UserContext(), k, api.ActorOf(c))
	if err != nil {
		return err
	}
	if err := p.store.AuditRead(c.UserContext(), k, api.ActorOf(c), "report.read"); err != nil {
		return err
	}
	return p.render(c, 0, "committee_report", p.reportView(c, r))
}

func (p *Pages) comReportPDF(c *fiber.Ctx) error {
	if !p.api.PDFAvailable() {
		return api.ErrPDFUnavailable
	}
	k := api.CandidateOf(c)
	r, err := p.app.Report(c.UserContext(), k, api.ActorOf(c))
	if err != nil {
		return err
	}
	html, err := p.ReportHTML(c, r)
	if err != nil {
		return err
	}
	return p.api.SendPDF(c, html, "adviesrapport.pdf", func() error {
		return p.store.AuditRead(c.UserContext(), k, api.ActorOf(c), "report.read")
	})
}

// ReportHTML is the report page as a self-contained document for the PDF
// printer (api.Documents).
func (p *Pages) ReportHTML(c *fiber.Ctx, r *screening.Report) ([]byte, error) {
	return p.document("committee_report", p.reportView(c, r))
}

// document renders a page for printing: its stylesheets inlined (the
// printer has no network and no session) and its scripts left out.
func (p *Pages) document(page string, v View) ([]byte, error) {
	v.Idle = nil // a document has no session to warn about
	t, ok := p.page(v.Lang, page)
	if !ok {
		return nil, fiber.NewError(fiber.StatusInternalServerError, "template "+page+" missing")
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return nil, err
	}
	var failed error
	out := stylesheetLink.ReplaceAllFunc(buf.Bytes(), func(m []byte) []byte {
		css, err := staticFS.ReadFile("static/" + string(stylesheetLink.FindSubmatch(m)[1]))
		if err != nil {
			failed = err
			return nil
		}
		return append(append([]byte("<style>\n"), css...), []byte("\n</style>")...)
	})
	if failed != nil {
		return nil, failed
	}
	return scriptTag.ReplaceAll(out, nil), nil
}

var (
	stylesheetLink = regexp.MustCompile(`<link rel="stylesheet" href="/static/([a-z0-9-]+\.css)">`)
	scriptTag      = regexp.MustCompile(`<script src="/static/[a-z0-9-]+\.js" defer></script>`)
)
