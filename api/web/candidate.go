package web

import (
	"context"
	"net/url"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/i18n"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// The candidate's pages: the invitation landing, consent, one page per
// section, review and submit, export, hearing reply and withdrawal. They
// use the same Store calls as the JSON handlers in api/me.go and
// api/review.go; the answers go through Store.SaveAnswers, which validates.

func (p *Pages) candidateRoutes(r routeFn) []apiRoute {
	self := api.CandidateSelf
	return []apiRoute{
		r("GET", "/uitnodiging/:token", api.Public, p.invitation),
		r("POST", "/uitnodiging/:token", api.Public, p.acceptInvitation),
		r("GET", "/link-aanvragen", api.Public, p.linkForm),
		r("POST", "/link-aanvragen", api.Public, p.linkRequest),
		r("GET", "/scan", self, p.scanHome),
		r("POST", "/scan/toestemming", self, p.scanConsent),
		r("GET", "/scan/stap/:n", self, p.scanStep),
		r("POST", "/scan/stap/:n", self, p.scanSaveStep),
		r("GET", "/scan/later", self, p.scanLater),
		r("GET", "/scan/controleren", self, p.scanReview),
		r("POST", "/scan/indienen", self, p.scanSubmit),
		r("GET", "/scan/ontvangen", self, p.scanReceived),
		r("GET", "/scan/export", self, p.scanExport),
		r("GET", "/scan/reactie", self, p.scanHearing),
		r("POST", "/scan/reactie", self, p.scanHearingReply),
		r("GET", "/scan/terugtrekken", self, p.scanWithdrawForm),
		r("POST", "/scan/terugtrekken", self, p.scanWithdraw),
		r("GET", "/scan/samenvatting", self, p.scanSummary),
		r("POST", "/scan/samenvatting/toestemming", self, p.scanSummaryConsent),
		r("POST", "/scan/samenvatting/intrekken", self, p.scanSummaryWithdraw),
	}
}

// ---- shared helpers ----

// scanView is the layout data of a candidate page.
func (p *Pages) scanView(c *fiber.Ctx, title string) View {
	v := p.withLang(c, p.base(c, title))
	v.Narrow = true
	v.Styles = []string{"scan.css"}
	v.Scripts = []string{"scan.js"}
	path := c.Path()
	v.Nav = []NavItem{
		{Href: "/scan", Label: "Overzicht", Current: path == "/scan"},
		{Href: "/scan/export", Label: "Uw gegevens", Current: path == "/scan/export"},
	}
	return v
}

// scanLoad re-reads the candidate with its questionnaire and answers (the
// session's copy of the candidate may be stale).
func (p *Pages) scanLoad(c *fiber.Ctx) (*models.CompileInput, error) {
	return p.store.CompileInput(c.UserContext(), api.CandidateOf(c).ID)
}

// scanFormValues reads an urlencoded (or multipart) form with repeated keys.
func scanFormValues(c *fiber.Ctx) url.Values {
	vals := url.Values{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) { vals.Add(string(k), string(v)) })
	if mf, err := c.MultipartForm(); err == nil && mf != nil {
		for k, vs := range mf.Value {
			for _, v := range vs {
				vals.Add(k, v)
			}
		}
	}
	return vals
}

func scanEditable(k *models.Candidate) bool { return models.Allowed(k.Status, models.ActAnswer) }

// scanOpenHearing is the hearing the candidate can still reply to, if any.
func (p *Pages) scanOpenHearing(ctx context.Context, k *models.Candidate) (*models.HearingView, error) {
	hs, err := p.store.Hearings(ctx, k)
	if err != nil || len(hs) == 0 {
		return nil, err
	}
	last := hs[len(hs)-1]
	if last.RepliedAt == nil && p.store.Now().Before(last.ReplyDue) {
		return &last, nil
	}
	return nil, nil
}

// scanLowerFirst makes "Nevenfunctie" read "nevenfunctie" inside a sentence.
func scanLowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

func scanItemName(q *questionnaires.Question) string {
	if q.Item.NL != "" {
		return q.Item.NL
	}
	return "Regel"
}

// scanItemNameIn is the name of one item of a list question in lang.
func scanItemNameIn(q *questionnaires.Question, lang string) string {
	if q.Item.NL != "" {
		return q.Item.In(lang)
	}
	return i18n.T(lang, "Regel")
}

// answerMessage is a validation message (Dutch) in lang when the page has
// no English of its own for it: the questionnaire's messages come in both
// languages from questionnaires.ValidateAnswersText (scanStepInput.en);
// the form state's own messages and the service's go through the catalog.
func answerMessage(lang, nl string) string { return i18n.Translate(lang, nl) }
