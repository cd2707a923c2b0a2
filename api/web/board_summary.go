package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- the summary for the board (issue 13, part 4) ----
//
// The board reads the short summary of a screening (what was checked, the
// conclusion, the agreed measures) only when the committee released its
// confirmed advice to the board and the candidate consented to exactly
// this text; before that the page says there is no summary yet. Reads are
// audited as "summary.read", like GET /api/v1/candidates/{cid}/summary.

func boardSummaryPath(cid string) string { return "/bestuur/kandidaten/" + cid + "/samenvatting" }

// boardSummaryView is the page (and the PDF) of the summary; sv is nil
// when there is none yet.
func (p *Pages) boardSummaryView(c *fiber.Ctx, sv *screening.SummaryView) View {
	k := api.CandidateOf(c)
	v := p.base(c, "Samenvatting "+k.Name)
	v.Nav = boardNav(k.PartyID)
	v.Print = true
	v.BodyClass = "summary"
	v.Styles = append(v.Styles, "committee.css", "report.css")
	v.Scripts = append(v.Scripts, "committee.js") // the print button
	v.Data = map[string]any{"Name": k.Name, "S": sv, "Back": "/bestuur/kandidaten/" + k.ID, "Self": boardSummaryPath(k.ID),
		"PDF": p.api.PDFAvailable(), "PDFMessage": api.PDFUnavailableMessage, "PrintedAt": p.store.Now()}
	return v
}

// boardSummaryRead is the summary if the board may read it now (audited),
// or nil.
func (p *Pages) boardSummaryRead(c *fiber.Ctx) (*screening.SummaryView, error) {
	k := api.CandidateOf(c)
	sv, err := p.app.BoardSummary(c.UserContext(), k, api.RoleOf(c))
	if errors.Is(err, screening.ErrNoSummaryYet) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return sv, nil
}

func (p *Pages) boardSummary(c *fiber.Ctx) error {
	sv, err := p.boardSummaryRead(c)
	if err != nil {
		return err
	}
	if sv != nil {
		if err := p.store.AuditRead(c.UserContext(), api.CandidateOf(c), api.ActorOf(c), "summary.read"); err != nil {
			return err
		}
	}
	return p.render(c, 0, "board_summary", p.boardSummaryView(c, sv))
}

func (p *Pages) boardSummaryPDF(c *fiber.Ctx) error {
	if !p.api.PDFAvailable() {
		return api.ErrPDFUnavailable
	}
	sv, err := p.boardSummaryRead(c)
	if err != nil {
		return err
	}
	k := api.CandidateOf(c)
	if sv == nil {
		return redirect(c, boardSummaryPath(k.ID)) // the page says why there is none
	}
	html, err := p.document("board_summary", p.boardSummaryView(c, sv))
	if err != nil {
		return err
	}
	return p.api.SendPDF(c, html, "samenvatting.pdf", func() error {
		return p.store.AuditRead(c.UserContext(), k, api.ActorOf(c), "summary.read")
	})
}
