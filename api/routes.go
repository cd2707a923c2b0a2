package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
)

// Route is one entry of the route table; the authorization matrix test is
// generated from it.
type Route struct {
	Method  string
	Path    string
	Access  Access
	Roles   []string
	Handler fiber.Handler
	// Limit, when set, rate-limits the route per client IP.
	Limit *Limit
}

const (
	bestuur   = models.RoleBestuur
	commissie = models.RoleCommissie
	admin     = models.RoleAdmin
)

// Routes is the whole JSON API, the machine endpoints and the admin's
// queue monitor.
func (h *Handler) Routes() []Route {
	r := func(method, path string, a Access, hf fiber.Handler, roles ...string) Route {
		return Route{Method: method, Path: path, Access: a, Roles: roles, Handler: hf}
	}
	const v = "/api/v1"
	return []Route{
		limited(r("POST", v+"/session", Public, h.login), LimitLogin),
		r("DELETE", v+"/session", Authenticated, h.logout),
		r("DELETE", v+"/sessions", Authenticated, h.logoutEverywhere),
		r("GET", v+"/me", Authenticated, h.me),
		r("POST", v+"/me/totp", UserSelf, h.startTOTP),
		r("POST", v+"/me/totp/confirm", UserSelf, h.confirmTOTP),
		limited(r("POST", v+"/account/setup", Public, h.accountSetup), LimitSetup),
		r("POST", v+"/me/password", UserSelf, h.changePassword),
		limited(r("POST", v+"/password/reset", Public, h.requestReset), LimitReset),
		limited(r("POST", v+"/password/reset/confirm", Public, h.confirmReset), LimitSetup),
		limited(r("POST", v+"/account/accept", Public, h.acceptMembership), LimitSetup),

		r("POST", v+"/parties", AdminOnly, h.createParty),
		r("GET", v+"/parties", AdminOnly, h.listParties),
		r("GET", v+"/admin/audit/verify", AdminOnly, h.verifyAudit),
		r("POST", v+"/parties/:pid/members", PartyScope, h.addMember, admin, bestuur, commissie),
		r("GET", v+"/parties/:pid/members", PartyScope, h.listMembers, admin, bestuur, commissie),
		r("POST", v+"/parties/:pid/members/:uid/resend", PartyScope, h.resendSetup, admin, bestuur),
		r("POST", v+"/parties/:pid/members/:uid/confirm", PartyScope, h.confirmMember, admin, commissie),
		r("POST", v+"/parties/:pid/members/:uid/reject", PartyScope, h.rejectMember, admin, commissie),
		r("POST", v+"/parties/:pid/rounds", PartyScope, h.createRound, bestuur),
		r("GET", v+"/parties/:pid/rounds", PartyScope, h.listRounds, bestuur, commissie),
		r("GET", v+"/parties/:pid", PartyScope, h.getParty, admin, bestuur, commissie),
		r("PATCH", v+"/parties/:pid", PartyScope, h.updateParty, bestuur),

		r("POST", v+"/rounds/:rid/candidates", RoundScope, h.invite, bestuur),
		r("GET", v+"/rounds/:rid/candidates", RoundScope, h.listCandidates, bestuur, commissie),
		r("GET", v+"/rounds/:rid/overview", RoundScope, h.roundOverview, bestuur, commissie),
		r("GET", v+"/rounds/:rid/network", RoundScope, h.getRoundNetwork, commissie),
		r("POST", v+"/rounds/:rid/rescreen", RoundScope, h.rescreen, bestuur),

		r("GET", v+"/candidates/:cid", CandidateScope, h.getCandidate, bestuur, commissie),
		r("POST", v+"/candidates/:cid/resend", CandidateScope, h.resend, bestuur),
		r("POST", v+"/candidates/:cid/revoke", CandidateScope, h.revoke, bestuur),
		r("GET", v+"/candidates/:cid/profile", CandidateScope, h.getProfile, commissie),
		r("GET", v+"/candidates/:cid/answers", CandidateScope, h.getAnswers, commissie),
		r("GET", v+"/candidates/:cid/vog", CandidateScope, h.getVOG, commissie),
		r("PUT", v+"/candidates/:cid/vog", CandidateScope, h.putVOG, commissie),
		r("GET", v+"/candidates/:cid/notes", CandidateScope, h.listNotes, commissie),
		r("POST", v+"/candidates/:cid/notes", CandidateScope, h.addNote, commissie),
		r("POST", v+"/candidates/:cid/decision", CandidateScope, h.decide, commissie),
		r("GET", v+"/candidates/:cid/decision", CandidateScope, h.getDecision, commissie),
		r("POST", v+"/candidates/:cid/decision/confirm", CandidateScope, h.confirmDecision, commissie),
		r("POST", v+"/candidates/:cid/decision/reject", CandidateScope, h.rejectDecision, commissie),
		r("POST", v+"/candidates/:cid/hearing", CandidateScope, h.openHearing, commissie),
		r("GET", v+"/candidates/:cid/hearing", CandidateScope, h.listHearings, commissie),
		r("POST", v+"/candidates/:cid/recusal", CandidateScope, h.recuse, commissie),
		r("GET", v+"/candidates/:cid/recusals", CandidateScope, h.listRecusals, commissie),
		r("GET", v+"/candidates/:cid/history", CandidateScope, h.history, commissie),
		r("GET", v+"/candidates/:cid/network", CandidateScope, h.getNetwork, commissie),
		r("GET", v+"/candidates/:cid/network.svg", CandidateScope, h.getNetworkSVG, commissie),
		r("POST", v+"/candidates/:cid/reopen", CandidateScope, h.reopen, commissie),
		r("GET", v+"/candidates/:cid/audit", CandidateScope, h.candidateAudit, commissie),
		r("GET", v+"/candidates/:cid/sources", CandidateScope, h.getSources, commissie),
		r("PUT", v+"/candidates/:cid/sources", CandidateScope, h.putSource, commissie),
		r("GET", v+"/candidates/:cid/report", CandidateScope, h.getReport, commissie),
		r("GET", v+"/candidates/:cid/report.pdf", CandidateScope, h.getReportPDF, commissie),
		r("GET", v+"/candidates/:cid/summary", CandidateScope, h.getSummary, bestuur, commissie),
		r("GET", v+"/candidates/:cid/interview", CandidateScope, h.getInterview, commissie),
		r("PUT", v+"/candidates/:cid/interview", CandidateScope, h.putInterview, commissie),

		limited(r("POST", v+"/invitations/:token/accept", Public, h.accept), LimitInvitation),
		limited(r("POST", v+"/links", Public, h.requestLink), LimitLinkRequest),
		r("GET", v+"/me/questionnaire", CandidateSelf, h.myQuestionnaire),
		r("POST", v+"/me/consent", CandidateSelf, h.consent),
		r("PATCH", v+"/me/answers", CandidateSelf, h.saveAnswers),
		r("POST", v+"/me/submit", CandidateSelf, h.submit),
		r("GET", v+"/me/export", CandidateSelf, h.export),
		r("POST", v+"/me/withdraw", CandidateSelf, h.withdraw),
		r("GET", v+"/me/hearing", CandidateSelf, h.myHearing),
		r("POST", v+"/me/hearing", CandidateSelf, h.replyHearing),
		r("GET", v+"/me/summary", CandidateSelf, h.mySummary),
		r("POST", v+"/me/summary/consent", CandidateSelf, h.consentSummary),
		r("DELETE", v+"/me/summary/consent", CandidateSelf, h.withdrawSummaryConsent),

		// References (references.go).
		r("GET", v+"/candidates/:cid/references", CandidateScope, h.getReferences, commissie),
		r("POST", v+"/candidates/:cid/references", CandidateScope, h.requestReferences, commissie),
		r("POST", v+"/candidates/:cid/references/send", CandidateScope, h.sendReferences, commissie),
		r("GET", v+"/me/references", CandidateSelf, h.myReferences),
		r("PUT", v+"/me/references", CandidateSelf, h.nameReferents),
		limited(r("GET", v+"/references/:token", Public, h.referentForm), LimitInvitation),
		limited(r("POST", v+"/references/:token", Public, h.answerReference), LimitInvitation),

		// The candidate's language (language.go, issue 14).
		r("PATCH", v+"/me", CandidateSelf, h.setLanguage),

		r("GET", v+"/openapi.yaml", Public, h.openAPI),

		r("GET", "/metrics", AdminOnly, h.serveMetrics),
		// asynqmon: its page and assets, its JSON API (reads), and the
		// changes serveQueueMonitor lets through (archived tasks only).
		r("GET", QueueMonitorPath, AdminOnly, h.serveQueueMonitor),
		r("GET", QueueMonitorPath+"/*", AdminOnly, h.serveQueueMonitor),
		r("POST", QueueMonitorPath+"/api/*", AdminOnly, h.serveQueueMonitor),
		r("DELETE", QueueMonitorPath+"/api/*", AdminOnly, h.serveQueueMonitor),
		r("GET", "/healthz", Public, h.healthz),
		r("GET", "/readyz", Public, h.readyz),
		// The keep-alive of an idle session (issue 15, WCAG 2.2.1).
		r("POST", v+"/session/extend", Authenticated, h.extendSession),
	}
}

// limited attaches a per-IP rate limit to a route.
func limited(rt Route, lim Limit) Route {
	rt.Limit = &lim
	return rt
}

// Limited is limited for the page route tables.
func Limited(rt Route, lim Limit) Route { return limited(rt, lim) }

// Handlers is the middleware chain of a route: rate limit, guard, handler.
func (h *Handler) Handlers(rt Route) []fiber.Handler {
	var hs []fiber.Handler
	if rt.Limit != nil {
		hs = append(hs, h.limitByIP(rt.Limit))
	}
	// Writes anyone may send (login, accepting a link, asking for a link or
	// a password reset) start sessions or send mail: no other site may
	// make a visitor's browser send them (login CSRF, mail bombing).
	if rt.Access == Public && rt.Method == fiber.MethodPost && strings.HasPrefix(rt.Path, "/api/v1/") {
		hs = append(hs, func(c *fiber.Ctx) error {
			if err := h.sameOriginJSON(c); err != nil {
				return err
			}
			return c.Next()
		})
	}
	return append(hs, h.guard(rt), rt.Handler)
}
