package web

// The selection committee's pages: the party's rounds, the round overview
// (counts, filters, sorted by level), the candidate file (profile with the
// answers behind each flag, changes, VOG, notes, hearing, recusal, advice,
// reopen), all answers, the profile history, the access log and the
// printable interview guide.
//
// Authorization is the shared guard's alone (party scope, role commissie,
// recusal → 404); handlers only use what it resolved. Reads of confidential
// content are audited with the same actions as the JSON API.

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
)

const comFiles = "/commissie/kandidaten/"

func (p *Pages) committeeRoutes(r routeFn) []apiRoute {
	const com = models.RoleCommissie
	k := comFiles + ":cid"
	return []apiRoute{
		r("GET", "/commissie/kandidaten/:cid/kaart.svg", api.CandidateScope, p.candidateMap, models.RoleCommissie),
		r("GET", "/commissie/ronde/:rid/kaart.svg", api.RoundScope, p.roundMap, models.RoleCommissie),
		r("GET", "/commissie/partij/:pid", api.PartyScope, p.comRounds, com),
		r("GET", "/commissie/ronde/:rid", api.RoundScope, p.comRound, com),
		r("GET", k, api.CandidateScope, p.comCandidate, com),
		r("GET", k+"/antwoorden", api.CandidateScope, p.comAnswers, com),
		r("GET", k+"/geschiedenis", api.CandidateScope, p.comHistoryPage, com),
		r("GET", k+"/logboek", api.CandidateScope, p.comLog, com),
		r("GET", k+"/leidraad", api.CandidateScope, p.comGuide, com),
		r("POST", k+"/vog", api.CandidateScope, p.comSetVOG, com),
		r("POST", k+"/notities", api.CandidateScope, p.comAddNote, com),
		r("POST", k+"/hoorzitting", api.CandidateScope, p.comOpenHearing, com),
		r("POST", k+"/terugtrekken", api.CandidateScope, p.comRecuse, com),
		r("POST", k+"/advies", api.CandidateScope, p.comPropose, com),
		r("POST", k+"/advies/bevestigen", api.CandidateScope, p.comConfirm, com),
		r("POST", k+"/advies/afwijzen", api.CandidateScope, p.comReject, com),
		r("POST", k+"/terugsturen", api.CandidateScope, p.comReopen, com),
		r("GET", k+"/openbronnen", api.CandidateScope, p.comSources, com),
		r("POST", k+"/openbronnen", api.CandidateScope, p.comRecordSource, com),
		r("GET", k+"/rapport", api.CandidateScope, p.comReport, com),
		r("GET", k+"/rapport.pdf", api.CandidateScope, p.comReportPDF, com),
		r("GET", k+"/gesprek", api.CandidateScope, p.comInterview, com),
		r("POST", k+"/gesprek", api.CandidateScope, p.comSaveInterview, com),
	}
}

// ---- words ----

var comDomainNL = map[string]string{
	"nevenfuncties": "Nevenfuncties", "financieel": "Financieel", "netwerk": "Netwerk", "verleden": "Verleden",
	"weerbaarheid": "Weerbaarheid", "digitaal": "Digitaal", "vog": "VOG",
	models.DomainOpenSources: "Openbronnenonderzoek (bevindingen van de commissie)",
}

var comVOGNL = map[string]string{
	"niet_gevraagd": "Niet gevraagd", "klaargezet": "Klaargezet", "aangevraagd": "Aangevraagd", "afgegeven": "Afgegeven",
	"voornemen_tot_weigering": "Voornemen tot weigering", "geweigerd": "Geweigerd", "ingetrokken": "Ingetrokken", "verlopen": "Verlopen",
}

var comOutcomeNL = map[string]string{
	"positief": "Positief", "positief_met_voorwaarden": "Positief met voorwaarden", "negatief": "Negatief",
}

var comStatuses = []models.Status{models.StatusInvited, models.StatusInProgress, models.StatusSubmitted, models.StatusProfiled,
	models.StatusDecided, models.StatusWithdrawn, models.StatusExpired, models.StatusRevoked}

var comRoleNL = map[string]string{
	models.RoleBestuur: "Bestuur", models.RoleCommissie: "Selectiecommissie", models.RoleKandidaat: "Kandidaat", models.RoleAdmin: "Beheerder",
	models.RoleReferent: "Referent",
}

var comActionNL = map[string]string{
	"profile.read": "Profiel gelezen", "answers.read": "Antwoorden gelezen", "notes.read": "Notities gelezen",
	"hearing.read": "Hoorzittingen gelezen", "history.read": "Geschiedenis gelezen", "export.read": "Eigen gegevens gedownload",
	"profile.compile": "Profiel gemaakt", "vog.update": "VOG-status bijgewerkt", "notes.create": "Notitie geschreven",
	"candidate.reopen": "Teruggestuurd naar de kandidaat", "recusal.create": "Commissielid heeft zich teruggetrokken",
	"hearing.open": "Vragen aan de kandidaat gestuurd", "hearing.reply": "Kandidaat heeft gereageerd",
	"decision.propose": "Advies voorgesteld", "decision.confirm": "Advies bevestigd", "decision.reject": "Voorstel afgewezen",
	"decision.single_member": "Advies vastgelegd door het enige commissielid", "candidate.invite": "Uitgenodigd",
	"candidate.resend": "Uitnodiging opnieuw verstuurd", "candidate.revoke": "Uitnodiging ingetrokken", "candidate.rescreen": "Uitgenodigd voor herhaalscan",
	"candidate.submit": "Scan ingediend", "candidate.withdraw": "Kandidaat heeft zich teruggetrokken", "candidate.expire": "Uitnodiging verlopen",
	"consent.give": "Toestemming gegeven", "invitation.accept": "Uitnodiging geopend", "invitation.send": "Uitnodiging verstuurd",
	"invitation.undeliverable": "Uitnodiging kon niet worden bezorgd",
	"candidate.read":           "Dossier bekeken", "vog.read": "VOG gelezen", "decision.read": "Advies gelezen", "recusals.read": "Terugtrekkingen gelezen",
	"network.read": "Netwerkkaart bekeken", "audit.read": "Logboek gelezen", "link.request": "Nieuwe link aangevraagd", "link.open": "Dossier geopend met een link",
	"sources.read": "Openbronnenonderzoek gelezen", "sources.create": "Bron nagekeken (openbronnenonderzoek)", "sources.update": "Bron opnieuw nagekeken (openbronnenonderzoek)",
	"report.read": "Adviesrapport gelezen", "summary.read": "Samenvatting voor het bestuur gelezen",
	"summary.consent": "Kandidaat gaf toestemming voor de samenvatting", "summary.withdraw": "Kandidaat trok toestemming voor de samenvatting in",
	"interview.read": "Gespreksverslag gelezen", "interview.update": "Gespreksverslag bijgewerkt",
	"references.request": "Referenties gevraagd", "references.name": "Kandidaat heeft referenten genoemd", "references.send": "Verzoeken aan referenten verstuurd",
	"references.answer": "Referent heeft geantwoord", "references.read": "Referenties gelezen",
}

func comDecisionNL(d *models.Decision) string {
	switch {
	case d == nil:
		return "Nog geen advies"
	case d.Status == models.DecisionProposed:
		return "Voorstel: " + strings.ToLower(comOutcomeNL[d.Outcome]) + " (wacht op bevestiging)"
	case d.Status == models.DecisionConfirmed:
		return comOutcomeNL[d.Outcome] + " (bevestigd)"
	}
	return "Nog geen advies"
}

// comLevel is a level as the "level" template takes it: "" for no profile.
func comLevel(l *string) string {
	if l == nil {
		return ""
	}
	return *l
}

// comView is a committee page's base view.
func (p *Pages) comView(c *fiber.Ctx, title string, roundsCurrent bool) View {
	v := p.base(c, title)
	v.Styles = append(v.Styles, "committee.css")
	v.Scripts = append(v.Scripts, "committee.js")
	pid := api.PartyOf(c)
	v.Nav = []NavItem{{Href: "/commissie/partij/" + pid, Label: "Rondes", Current: roundsCurrent},
		{Href: membersPath(pid), Label: "Commissieleden", Current: c.Route().Path == "/commissie/partij/:pid/leden"}}
	return v
}

func comUserID(c *fiber.Ctx) string {
	if pr := api.Principal(c); pr != nil && pr.User != nil {
		return pr.User.ID
	}
	return ""
}
