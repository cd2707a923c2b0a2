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
	"context"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
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
	}
}

// ---- words ----

var comDomainNL = map[string]string{
	"nevenfuncties": "Nevenfuncties", "financieel": "Financieel", "netwerk": "Netwerk", "verleden": "Verleden",
	"weerbaarheid": "Weerbaarheid", "digitaal": "Digitaal", "vog": "VOG",
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

// ---- rounds ----

type comRoundItem struct {
	ID, Name, Office         string
	Deadline                 time.Time
	Total, Profiled, Waiting int
	Rescreen                 bool
}

func (p *Pages) comRounds(c *fiber.Ctx) error {
	ctx := c.UserContext()
	rs, err := p.store.Rounds(ctx, api.PartyOf(c))
	if err != nil {
		return err
	}
	items := make([]comRoundItem, 0, len(rs))
	for _, r := range rs {
		rows, err := p.store.Candidates(ctx, r.ID, comUserID(c))
		if err != nil {
			return err
		}
		it := comRoundItem{ID: r.ID, Name: r.Name, Office: r.Office, Deadline: r.Deadline, Total: len(rows), Rescreen: r.PreviousRoundID != nil}
		for _, row := range rows {
			if row.Status == models.StatusProfiled {
				it.Profiled++
			}
			if row.Decision != nil && row.Decision.Status == models.DecisionProposed {
				it.Waiting++
			}
		}
		items = append(items, it)
	}
	v := p.comView(c, "Rondes", true)
	v.Data = map[string]any{"Rounds": items}
	return p.render(c, 0, "committee_rounds", v)
}

// ---- round overview ----

type comCount struct {
	Key, Label string
	N          int
}

type comOption struct {
	Value, Label string
	Selected     bool
}

type comSelect struct {
	ID, Name, Label string
	Options         []comOption
}

type comRow struct {
	ID, Name, Level, VOG, Decision string
	Status                         models.Status
}

func (p *Pages) comRound(c *fiber.Ctx) error {
	ctx := c.UserContext()
	rd := api.RoundOf(c)
	all, err := p.store.Candidates(ctx, rd.ID, comUserID(c))
	if err != nil {
		return err
	}
	vogs, err := p.store.RoundVOGs(ctx, rd.ID)
	if err != nil {
		return err
	}
	party, err := p.store.Party(ctx, api.PartyOf(c))
	if err != nil {
		return err
	}
	now := p.store.Now()
	vogOf := func(id string) string {
		if rec, ok := vogs[id]; ok {
			return models.VOGState(&rec, party.MaxVOGAgeDays, now)
		}
		return models.VOGState(nil, party.MaxVOGAgeDays, now)
	}

	// Counts over every file the member may see.
	byStatus, byLevel, byVOG, waiting := map[string]int{}, map[string]int{}, map[string]int{}, 0
	for _, r := range all {
		byStatus[string(r.Status)]++
		byLevel[comLevel(r.Level)]++
		byVOG[vogOf(r.ID)]++
		if r.Decision != nil && r.Decision.Status == models.DecisionProposed {
			waiting++
		}
	}
	var statusCounts, levelCounts, vogCounts []comCount
	for _, s := range comStatuses {
		if n := byStatus[string(s)]; n > 0 {
			statusCounts = append(statusCounts, comCount{string(s), StatusNL(s), n})
		}
	}
	for _, l := range questionnaires.Levels {
		levelCounts = append(levelCounts, comCount{string(l), string(l), byLevel[string(l)]})
	}
	levelCounts = append(levelCounts, comCount{"", "nog geen profiel", byLevel[""]})
	for _, s := range append(append([]string{}, models.VOGStatuses...), "verlopen") {
		if n := byVOG[s]; n > 0 {
			vogCounts = append(vogCounts, comCount{s, comVOGNL[s], n})
		}
	}

	q := map[string]string{"level": c.Query("level"), "status": c.Query("status"), "vog": c.Query("vog"), "sort": c.Query("sort")}
	v := p.comView(c, rd.Name, false)
	rows, ferr := p.api.RoundRows(c)
	status := 0
	if ferr != nil {
		var ae *api.Error
		if !errors.As(ferr, &ae) {
			return ferr
		}
		msg := ae.Message
		if m, ok := ae.Fields["sort"]; ok {
			msg = m
		}
		v.Errors, status = []FieldError{{"filter-sort", msg}}, ae.Status
	}
	list := make([]comRow, len(rows))
	for i, r := range rows {
		list[i] = comRow{ID: r.ID, Name: r.Name, Status: r.Status, Level: comLevel(r.Level), VOG: comVOGNL[vogOf(r.ID)], Decision: comDecisionNL(r.Decision)}
	}

	opt := func(field string, pairs ...string) []comOption {
		out := make([]comOption, 0, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, comOption{Value: pairs[i], Label: pairs[i+1], Selected: q[field] == pairs[i]})
		}
		return out
	}
	levelPairs := []string{"", "Alle niveaus"}
	for _, l := range questionnaires.Levels {
		levelPairs = append(levelPairs, string(l), string(l))
	}
	levelPairs = append(levelPairs, "geen_profiel", "nog geen profiel")
	statusPairs := []string{"", "Alle statussen"}
	for _, s := range comStatuses {
		statusPairs = append(statusPairs, string(s), StatusNL(s))
	}
	vogPairs := []string{"", "Alle VOG-statussen"}
	for _, s := range append(append([]string{}, models.VOGStatuses...), "verlopen") {
		vogPairs = append(vogPairs, s, comVOGNL[s])
	}
	filters := []comSelect{
		{ID: "filter-level", Name: "level", Label: "Niveau", Options: opt("level", levelPairs...)},
		{ID: "filter-status", Name: "status", Label: "Status", Options: opt("status", statusPairs...)},
		{ID: "filter-vog", Name: "vog", Label: "VOG", Options: opt("vog", vogPairs...)},
		{ID: "filter-sort", Name: "sort", Label: "Sorteren op", Options: opt("sort", "level", "Niveau, hoogste eerst", "name", "Naam", "status", "Status", "invited", "Volgorde van uitnodigen")},
	}
	if q["sort"] == "" {
		filters[3].Options[0].Selected = true
	}
	mapRows, err := p.roundMapRows(ctx, rd, api.ActorOf(c))
	if err != nil {
		return err
	}
	v.Data = map[string]any{
		"MapRows": mapRows, "MapURL": "/commissie/ronde/" + rd.ID + "/kaart.svg",
		"Round": rd, "Total": len(all), "Shown": len(list), "Rows": list, "Filters": filters,
		"StatusCounts": statusCounts, "LevelCounts": levelCounts, "VOGCounts": vogCounts, "Waiting": waiting,
		"Filtered": q["level"] != "" || q["status"] != "" || q["vog"] != "",
	}
	return p.render(c, status, "committee_round", v)
}

// ---- candidate file ----

// comInput holds what a committee form sent, to show it again after a
// refusal. Form names the form that was posted.
type comInput struct {
	Form                                                                          string
	VOGStatus, KlaargezetOn, RequestedOn, IssuedOn, ScreeningProfile, ValidatedBy string
	Note                                                                          string
	HearingFlags                                                                  []string
	HearingMessage                                                                string
	RecusalReason                                                                 string
	RecusalConfirm                                                                bool
	Outcome, Reasons, Conditions                                                  string
	ReleaseToBoard, ReleaseConditions                                             bool
	ReopenMessage                                                                 string
}

type comQuote struct {
	Question, Answer string
	Missing          bool
}

type comFlag struct {
	Rule, Level, Finding, Why, Ask string
	Answers                        []comQuote
}

type comDomain struct {
	Key, Title, Level string
	Flags             []comFlag
}

type comVOGView struct {
	Status, StatusNL                    string
	Expired                             bool
	KlaargezetOn, RequestedOn, IssuedOn *time.Time
	ScreeningProfile, ValidatedBy       string
	UpdatedAt                           *time.Time
	Options                             []comOption
}

type comNote struct {
	Author, Body string
	At           time.Time
}

type comHearing struct {
	Flags              []models.HearingFlag
	Message, OpenedBy  string
	OpenedAt, ReplyDue time.Time
	Reply              *string
	RepliedAt          *time.Time
	Open               bool
}

type comDecision struct {
	Outcome, OutcomeNL, Reasons, Conditions         string
	Pending, Confirmed, Mine                        bool
	ReleaseToBoard, ReleaseConditions, SingleMember bool
	ProposedBy, ConfirmedBy                         string
	ProposedAt                                      time.Time
	ConfirmedAt                                     *time.Time
}

// comProfile builds the per-domain view of a profile: always the seven
// domains in their fixed order, each flag with the answers behind it.
func comProfile(def *questionnaires.Definition, prof *questionnaires.Profile) []comDomain {
	out := make([]comDomain, 0, len(questionnaires.Domains))
	for _, dm := range questionnaires.Domains {
		d := comDomain{Key: dm, Title: comDomainNL[dm], Level: string(questionnaires.LevelGeen)}
		if prof != nil {
			if dr, ok := prof.Domains[dm]; ok {
				if dr.Level != "" {
					d.Level = string(dr.Level)
				}
				for _, f := range dr.Flags {
					d.Flags = append(d.Flags, comFlagOf(def, f))
				}
			}
		}
		out = append(out, d)
	}
	return out
}

func comFlagOf(def *questionnaires.Definition, f questionnaires.Flag) comFlag {
	v := comFlag{Rule: f.Rule, Level: string(f.Severity), Finding: f.Finding, Why: f.Why, Ask: f.Ask}
	for _, qid := range f.Questions {
		text := qid
		if q, ok := def.Question(qid); ok {
			text = q.Text.NL
		}
		ex, ok := f.Excerpts[qid]
		if !ok {
			ex = "(geen antwoord)"
		}
		v.Answers = append(v.Answers, comQuote{Question: text, Answer: ex, Missing: !ok})
	}
	return v
}

func comDate(s *string) *time.Time {
	if s == nil {
		return nil
	}
	t, err := time.Parse(time.DateOnly, *s)
	if err != nil {
		return nil
	}
	return &t
}

// comDateField shows a stored date in the form's format (dd-mm-jjjj).
func comDateField(s *string) string {
	if t := comDate(s); t != nil {
		return t.Format("02-01-2006")
	}
	return ""
}

// comParseDate reads a form date as dd-mm-jjjj (or jjjj-mm-dd).
func comParseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2-1-2006", time.DateOnly, "2/1/2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

func (p *Pages) comNames(ctx context.Context, partyID string) (map[string]string, error) {
	ms, err := p.store.Members(ctx, partyID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		out[m.UserID] = m.Name
	}
	return out, nil
}

func (p *Pages) comCandidate(c *fiber.Ctx) error { return p.comFile(c, comInput{}, nil, 0) }

// comFile renders the candidate page; after a refused form, in holds what
// was sent and errs the messages.
func (p *Pages) comFile(c *fiber.Ctx, in comInput, errs []FieldError, status int) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	me := api.ActorOf(c)
	rd, err := p.store.Round(ctx, k.RoundID)
	if err != nil {
		return err
	}
	party, err := p.store.Party(ctx, k.PartyID)
	if err != nil {
		return err
	}
	def, _, err := p.store.Definition(ctx, k)
	if err != nil {
		return err
	}
	names, err := p.comNames(ctx, k.PartyID)
	if err != nil {
		return err
	}
	now := p.store.Now()
	data := map[string]any{"Candidate": k, "Round": rd, "Base": comFiles + k.ID, "In": in}
	// Everything this page shows is logged, in one transaction at the end.
	reads := []string{"vog.read", "notes.read", "recusals.read"}

	// Profile (with what changed) and hearings, as GET …/profile gives them.
	prof, rec, err := p.store.Profile(ctx, k)
	switch {
	case errors.Is(err, models.ErrNotFound):
		prof = nil
	case err != nil:
		return err
	}
	if prof != nil {
		// Shared organisations, for this viewer (recusals respected).
		if prof, err = p.api.WithOverlaps(ctx, k, me.ID, prof); err != nil {
			return err
		}
		nm, err := p.networkData(ctx, k, me.ID)
		if err != nil {
			return err
		}
		data["Network"] = nm
		reads = append(reads, "profile.read", "network.read")
	}
	hs, err := p.store.Hearings(ctx, k)
	if err != nil {
		return err
	}
	if len(hs) > 0 {
		reads = append(reads, "hearing.read")
	}
	hearings := make([]comHearing, len(hs))
	hearingOpen := false
	for i, h := range hs {
		open := h.RepliedAt == nil && now.Before(h.ReplyDue)
		hearingOpen = hearingOpen || open
		hearings[i] = comHearing{Flags: h.Flags, Message: h.Message, OpenedBy: names[h.OpenedBy], OpenedAt: h.OpenedAt, ReplyDue: h.ReplyDue,
			Reply: h.Reply, RepliedAt: h.RepliedAt, Open: open}
	}
	data["Hearings"], data["HearingOpen"] = hearings, hearingOpen
	data["Domains"] = comProfile(def, prof)
	if prof != nil {
		hist, err := p.api.HistoryEntries(ctx, k)
		if err != nil {
			return err
		}
		if n := len(hist); n > 0 && hist[n-1].Changes != nil {
			data["Changes"] = hist[n-1]
		}
		flags := make([]comFlag, len(prof.Flags))
		for i, f := range prof.Flags {
			flags[i] = comFlagOf(def, f)
		}
		data["Profile"], data["Level"], data["Flags"], data["CompiledAt"] = true, string(prof.Overall), flags, rec.CompiledAt
		data["Stale"] = rec.Revision != k.Revision
	}
	data["CanHear"] = prof != nil && len(prof.Flags) > 0 && k.Status == models.StatusProfiled && !hearingOpen

	// VOG.
	vrec, err := p.store.VOG(ctx, k)
	if err != nil {
		return err
	}
	vv := comVOGView{Status: "niet_gevraagd", ScreeningProfile: models.DefaultScreeningProfile}
	if vrec != nil {
		vv = comVOGView{Status: vrec.Status, Expired: models.VOGExpired(vrec, party.MaxVOGAgeDays, now), KlaargezetOn: comDate(vrec.KlaargezetOn),
			RequestedOn: comDate(vrec.RequestedOn), IssuedOn: comDate(vrec.IssuedOn), ScreeningProfile: vrec.ScreeningProfile, UpdatedAt: &vrec.UpdatedAt}
		if vrec.ValidatedBy != nil {
			vv.ValidatedBy = *vrec.ValidatedBy
		}
	}
	vv.StatusNL = comVOGNL[vv.Status]
	if in.Form != "vog" {
		in.VOGStatus, in.ScreeningProfile, in.ValidatedBy = vv.Status, vv.ScreeningProfile, vv.ValidatedBy
		if vrec != nil {
			in.KlaargezetOn, in.RequestedOn, in.IssuedOn = comDateField(vrec.KlaargezetOn), comDateField(vrec.RequestedOn), comDateField(vrec.IssuedOn)
		}
	}
	for _, s := range append([]string{vv.Status}, models.VOGNext(vv.Status)...) {
		label := comVOGNL[s]
		if s == vv.Status {
			label += " (blijft zo; bijvoorbeeld om een datum te verbeteren)"
		}
		vv.Options = append(vv.Options, comOption{Value: s, Label: label, Selected: in.VOGStatus == s})
	}
	data["VOG"] = vv
	data["CanVOG"] = !slices.Contains([]models.Status{models.StatusWithdrawn, models.StatusRevoked, models.StatusExpired}, k.Status)

	// Notes.
	ns, err := p.store.Notes(ctx, k)
	if err != nil {
		return err
	}
	notes := make([]comNote, len(ns))
	for i, n := range ns {
		notes[i] = comNote{Author: names[n.AuthorID], Body: n.Body, At: n.CreatedAt}
	}
	data["Notes"] = notes

	// Recusals.
	rs, err := p.store.Recusals(ctx, k)
	if err != nil {
		return err
	}
	data["Recusals"] = rs

	// Decision.
	d, err := p.store.LatestDecision(ctx, k)
	if err != nil {
		return err
	}
	if d != nil {
		reads = append(reads, "decision.read")
		reasons, conditions, err := p.store.DecisionText(k, d)
		if err != nil {
			return err
		}
		dv := comDecision{Outcome: d.Outcome, OutcomeNL: comOutcomeNL[d.Outcome], Reasons: reasons, Conditions: conditions,
			Pending: d.Status == models.DecisionProposed, Confirmed: d.Status == models.DecisionConfirmed, Mine: d.DecidedBy == me.ID,
			ReleaseToBoard: d.ReleaseToBoard, ReleaseConditions: d.ReleaseConditions, SingleMember: d.SingleMember,
			ProposedBy: names[d.DecidedBy], ProposedAt: d.CreatedAt, ConfirmedAt: d.ConfirmedAt}
		if d.ConfirmedBy != nil {
			dv.ConfirmedBy = names[*d.ConfirmedBy]
		}
		data["Decision"] = dv
	}
	data["CanPropose"] = models.Allowed(k.Status, models.ActDecide) && (d == nil || d.Status != models.DecisionProposed)
	data["CanReopen"] = models.Allowed(k.Status, models.ActReopen)
	data["In"] = in
	data["Outcomes"] = []comOption{
		{Value: "positief", Label: comOutcomeNL["positief"], Selected: in.Outcome == "positief"},
		{Value: "positief_met_voorwaarden", Label: comOutcomeNL["positief_met_voorwaarden"], Selected: in.Outcome == "positief_met_voorwaarden"},
		{Value: "negatief", Label: comOutcomeNL["negatief"], Selected: in.Outcome == "negatief"},
	}

	if err := p.store.AuditReads(ctx, k.PartyID, []string{k.ID}, me, reads...); err != nil {
		return err
	}
	v := p.comView(c, k.Name, false)
	v.Errors = errs
	v.Data = data
	return p.render(c, status, "committee_candidate", v)
}

// comRefused shows a refusal of the store or the API rules (409, 422) on
// the candidate page; field is the anchor for messages without a field.
func (p *Pages) comRefused(c *fiber.Ctx, in comInput, err error, field string, fieldIDs map[string]string) error {
	e := api.ToError(err)
	if e.Status != fiber.StatusConflict && e.Status != fiber.StatusUnprocessableEntity {
		return err
	}
	var errs []FieldError
	keys := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		keys = append(keys, f)
	}
	sort.Strings(keys)
	for _, f := range keys {
		id := fieldIDs[f]
		if id == "" {
			id = field
		}
		errs = append(errs, FieldError{id, e.Fields[f]})
	}
	if len(errs) == 0 {
		errs = []FieldError{{field, e.Message}}
	}
	return p.comFile(c, in, errs, e.Status)
}

func comTooLong(s string, max int) bool { return utf8.RuneCountInString(s) > max }

func comBack(k *models.Candidate, anchor string) string { return comFiles + k.ID + "#" + anchor }

// ---- VOG ----

func (p *Pages) comSetVOG(c *fiber.Ctx) error {
	in := comInput{Form: "vog", VOGStatus: c.FormValue("status"), KlaargezetOn: strings.TrimSpace(c.FormValue("klaargezet_on")),
		RequestedOn: strings.TrimSpace(c.FormValue("requested_on")), IssuedOn: strings.TrimSpace(c.FormValue("issued_on")),
		ScreeningProfile: strings.TrimSpace(c.FormValue("screening_profile")), ValidatedBy: strings.TrimSpace(c.FormValue("validated_by"))}
	var errs []FieldError
	if !slices.Contains(models.VOGStatuses, in.VOGStatus) {
		errs = append(errs, FieldError{"vog-status", "Kies de status van de VOG."})
	}
	now := p.store.Now()
	dates := map[string]*string{}
	for _, f := range []struct{ id, val string }{{"vog-klaargezet", in.KlaargezetOn}, {"vog-requested", in.RequestedOn}, {"vog-issued", in.IssuedOn}} {
		if f.val == "" {
			continue
		}
		d, ok := comParseDate(f.val)
		if !ok {
			errs = append(errs, FieldError{f.id, "Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2025."})
			continue
		}
		if t, _ := time.Parse(time.DateOnly, d); t.After(now) {
			errs = append(errs, FieldError{f.id, "Een datum in de toekomst kan niet: vul de werkelijke datum in."})
			continue
		}
		dates[f.id] = &d
	}
	if in.VOGStatus == "afgegeven" && in.IssuedOn == "" {
		errs = append(errs, FieldError{"vog-issued", "Vul de datum van afgifte in, bijvoorbeeld 14-03-2025."})
	}
	if comTooLong(in.ScreeningProfile, 100) {
		errs = append(errs, FieldError{"vog-profile", "Gebruik ten hoogste 100 tekens."})
	}
	if comTooLong(in.ValidatedBy, 200) {
		errs = append(errs, FieldError{"vog-validated", "Gebruik ten hoogste 200 tekens."})
	}
	if len(errs) > 0 {
		return p.comFile(c, in, errs, fiber.StatusUnprocessableEntity)
	}
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	ctx := c.UserContext()
	_, cand, err := p.store.SetVOG(ctx, api.ActorOf(c), api.CandidateOf(c), models.VOGInput{Status: in.VOGStatus,
		KlaargezetOn: dates["vog-klaargezet"], RequestedOn: dates["vog-requested"], IssuedOn: dates["vog-issued"],
		ScreeningProfile: opt(in.ScreeningProfile), ValidatedBy: opt(in.ValidatedBy)})
	if err != nil {
		return p.comRefused(c, in, err, "vog-status", map[string]string{"issued_on": "vog-issued"})
	}
	flash(c, "De VOG-status is opgeslagen. Het profiel wordt bijgewerkt.")
	return redirect(c, comBack(cand, "vog"))
}

// ---- notes ----

func (p *Pages) comAddNote(c *fiber.Ctx) error {
	in := comInput{Form: "note", Note: c.FormValue("body")}
	switch {
	case strings.TrimSpace(in.Note) == "":
		return p.comFile(c, in, []FieldError{{"note-body", "Schrijf uw notitie."}}, fiber.StatusUnprocessableEntity)
	case comTooLong(in.Note, 10000):
		return p.comFile(c, in, []FieldError{{"note-body", "Uw notitie is te lang: gebruik ten hoogste 10.000 tekens."}}, fiber.StatusUnprocessableEntity)
	}
	k := api.CandidateOf(c)
	if _, err := p.store.AddNote(c.UserContext(), api.ActorOf(c), k, in.Note); err != nil {
		return p.comRefused(c, in, err, "note-body", nil)
	}
	flash(c, "Uw notitie is opgeslagen.")
	return redirect(c, comBack(k, "notities"))
}

// ---- hearing ----

func (p *Pages) comOpenHearing(c *fiber.Ctx) error {
	in := comInput{Form: "hearing", HearingMessage: c.FormValue("message")}
	for _, b := range c.Request().PostArgs().PeekMulti("flags") {
		if s := string(b); s != "" && !slices.Contains(in.HearingFlags, s) {
			in.HearingFlags = append(in.HearingFlags, s)
		}
	}
	var errs []FieldError
	switch {
	case len(in.HearingFlags) == 0:
		errs = append(errs, FieldError{"hearing-flags", "Kies ten minste één signaal waarover u de kandidaat wilt horen."})
	case len(in.HearingFlags) > 100:
		errs = append(errs, FieldError{"hearing-flags", "Kies ten hoogste 100 signalen."})
	}
	switch {
	case strings.TrimSpace(in.HearingMessage) == "":
		errs = append(errs, FieldError{"hearing-message", "Schrijf een bericht aan de kandidaat."})
	case comTooLong(in.HearingMessage, 5000):
		errs = append(errs, FieldError{"hearing-message", "Uw bericht is te lang: gebruik ten hoogste 5.000 tekens."})
	}
	if len(errs) > 0 {
		return p.comFile(c, in, errs, fiber.StatusUnprocessableEntity)
	}
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	_, err := p.store.OpenHearing(ctx, api.ActorOf(c), k, in.HearingFlags, in.HearingMessage)
	if err != nil {
		return p.comRefused(c, in, err, "hoorzitting", map[string]string{"flags": "hearing-flags", "message": "hearing-message"})
	}
	flash(c, "Uw vragen zijn naar de kandidaat gestuurd. De kandidaat heeft 7 dagen om te reageren.")
	return redirect(c, comBack(k, "hoorzitting"))
}

// ---- recusal ----

func (p *Pages) comRecuse(c *fiber.Ctx) error {
	in := comInput{Form: "recusal", RecusalReason: c.FormValue("reason"), RecusalConfirm: c.FormValue("confirm") == "ja"}
	var errs []FieldError
	switch {
	case strings.TrimSpace(in.RecusalReason) == "":
		errs = append(errs, FieldError{"recusal-reason", "Schrijf op waarom u zich terugtrekt, bijvoorbeeld: familie of zakenpartner."})
	case comTooLong(in.RecusalReason, 2000):
		errs = append(errs, FieldError{"recusal-reason", "Uw reden is te lang: gebruik ten hoogste 2.000 tekens."})
	}
	if !in.RecusalConfirm {
		errs = append(errs, FieldError{"recusal-confirm", "Vink aan dat u begrijpt dat u dit niet ongedaan kunt maken."})
	}
	if len(errs) > 0 {
		return p.comFile(c, in, errs, fiber.StatusUnprocessableEntity)
	}
	k := api.CandidateOf(c)
	if err := p.store.Recuse(c.UserContext(), api.ActorOf(c), k, in.RecusalReason); err != nil {
		return p.comRefused(c, in, err, "recusal-reason", nil)
	}
	flash(c, "U hebt zich teruggetrokken bij "+k.Name+". U ziet dit dossier niet meer.")
	return redirect(c, "/commissie/ronde/"+k.RoundID)
}

// ---- decision ----

var comAdviceFields = map[string]string{"outcome": "advice-outcome", "reasons": "advice-reasons", "conditions": "advice-conditions"}

func (p *Pages) comPropose(c *fiber.Ctx) error {
	in := comInput{Form: "advice", Outcome: c.FormValue("outcome"), Reasons: c.FormValue("reasons"), Conditions: c.FormValue("conditions"),
		ReleaseToBoard: c.FormValue("release_to_board") == "ja", ReleaseConditions: c.FormValue("release_conditions") == "ja"}
	var errs []FieldError
	if _, ok := comOutcomeNL[in.Outcome]; !ok {
		errs = append(errs, FieldError{"advice-outcome", "Kies het advies: positief, positief met voorwaarden of negatief."})
	}
	switch {
	case strings.TrimSpace(in.Reasons) == "":
		errs = append(errs, FieldError{"advice-reasons", "Schrijf de redenen voor het advies op."})
	case comTooLong(in.Reasons, 10000):
		errs = append(errs, FieldError{"advice-reasons", "Gebruik ten hoogste 10.000 tekens voor de redenen."})
	}
	switch {
	case in.Outcome == "positief_met_voorwaarden" && strings.TrimSpace(in.Conditions) == "":
		errs = append(errs, FieldError{"advice-conditions", "Schrijf op welke voorwaarden gelden."})
	case in.Outcome != "positief_met_voorwaarden" && strings.TrimSpace(in.Conditions) != "":
		errs = append(errs, FieldError{"advice-conditions", "Voorwaarden horen alleen bij ‘positief met voorwaarden’. Kies die uitkomst, of maak dit veld leeg."})
	case comTooLong(in.Conditions, 10000):
		errs = append(errs, FieldError{"advice-conditions", "Gebruik ten hoogste 10.000 tekens voor de voorwaarden."})
	}
	if len(errs) > 0 {
		return p.comFile(c, in, errs, fiber.StatusUnprocessableEntity)
	}
	if in.Outcome != "positief_met_voorwaarden" {
		in.Conditions = ""
	}
	k := api.CandidateOf(c)
	d, err := p.store.ProposeDecision(c.UserContext(), api.ActorOf(c), k, models.Proposal{Outcome: in.Outcome, Reasons: in.Reasons,
		Conditions: in.Conditions, ReleaseToBoard: in.ReleaseToBoard, ReleaseConditions: in.ReleaseConditions})
	if err != nil {
		return p.comRefused(c, in, err, "advice-outcome", comAdviceFields)
	}
	if d.SingleMember {
		flash(c, "Het advies is vastgelegd. U bent het enige commissielid dat niet is teruggetrokken; dat staat bij het advies.")
	} else {
		flash(c, "Uw voorstel is opgeslagen. Een tweede commissielid moet het advies bevestigen.")
	}
	return redirect(c, comBack(k, "advies"))
}

func (p *Pages) comConfirm(c *fiber.Ctx) error {
	k := api.CandidateOf(c)
	_, err := p.store.ConfirmDecision(c.UserContext(), api.ActorOf(c), k)
	if err != nil {
		return p.comRefused(c, comInput{}, err, "advies", nil)
	}
	flash(c, "U hebt het advies bevestigd.")
	return redirect(c, comBack(k, "advies"))
}

func (p *Pages) comReject(c *fiber.Ctx) error {
	k := api.CandidateOf(c)
	if err := p.store.RejectDecision(c.UserContext(), api.ActorOf(c), k); err != nil {
		return p.comRefused(c, comInput{}, err, "advies", nil)
	}
	flash(c, "Het voorstel is afgewezen. Een commissielid kan een nieuw advies voorstellen.")
	return redirect(c, comBack(k, "advies"))
}

// ---- reopen ----

func (p *Pages) comReopen(c *fiber.Ctx) error {
	in := comInput{Form: "reopen", ReopenMessage: c.FormValue("message")}
	switch {
	case strings.TrimSpace(in.ReopenMessage) == "":
		return p.comFile(c, in, []FieldError{{"reopen-message", "Schrijf de kandidaat wat er moet worden aangevuld of verbeterd."}}, fiber.StatusUnprocessableEntity)
	case comTooLong(in.ReopenMessage, 5000):
		return p.comFile(c, in, []FieldError{{"reopen-message", "Uw bericht is te lang: gebruik ten hoogste 5.000 tekens."}}, fiber.StatusUnprocessableEntity)
	}
	k := api.CandidateOf(c)
	if err := p.store.Reopen(c.UserContext(), api.ActorOf(c), k, in.ReopenMessage); err != nil {
		return p.comRefused(c, in, err, "reopen-message", nil)
	}
	flash(c, "Het dossier is teruggestuurd naar de kandidaat. De kandidaat krijgt een e-mail en kan de antwoorden aanpassen en opnieuw indienen.")
	return redirect(c, comBack(k, "terugsturen"))
}

// ---- answers ----

// comField is one field of a list item; Sep follows the label (": ", or
// " " after a question mark).
type comField struct{ Label, Sep, Value string }

type comItem struct {
	Title  string
	Fields []comField
}

type comAnswer struct {
	ID, Question, Text string
	Long, Missing      bool
	List               bool
	Items              []comItem
	Empty              string
}

type comSection struct {
	Title   string
	Answers []comAnswer
}

// comFieldValue shows one list field value for people.
func comFieldValue(f *questionnaires.Field, v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "ja"
		}
		return "nee"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if o, ok := f.Option(x); ok {
			return o.Text.NL
		}
		if f.Type == questionnaires.TypeDate {
			if t, err := time.Parse(time.DateOnly, x); err == nil {
				return strconv.Itoa(t.Day()) + " " + nlMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
			}
		}
		return x
	}
	return ""
}

// comAnswerOf renders an answer in full: texts as written, lists item by
// item, the rest as the profile's excerpts show them.
func comAnswerOf(def *questionnaires.Definition, q *questionnaires.Question, v any, ok bool) comAnswer {
	a := comAnswer{ID: q.ID, Question: q.Text.NL}
	if !ok || v == nil {
		a.Missing = true
		return a
	}
	switch q.Type {
	case questionnaires.TypeText, questionnaires.TypeLongText:
		s, _ := v.(string)
		a.Text, a.Long = s, true
	case questionnaires.TypeList:
		a.List = true
		items, _ := v.([]any)
		if len(items) == 0 {
			a.Empty = q.EmptyText.NL
			if a.Empty == "" {
				a.Empty = "Geen"
			}
		}
		for i, it := range items {
			m, _ := it.(map[string]any)
			item := comItem{Title: q.Item.NL + " " + strconv.Itoa(i+1)}
			for fi := range q.Fields {
				f := &q.Fields[fi]
				if x, ok := m[f.ID]; ok && x != nil {
					sep := ": "
					if strings.HasSuffix(f.Text.NL, "?") {
						sep = " "
					}
					item.Fields = append(item.Fields, comField{Label: f.Text.NL, Sep: sep, Value: comFieldValue(f, x)})
				}
			}
			a.Items = append(a.Items, item)
		}
	default:
		s, ok := def.Excerpt(q.ID, v)
		a.Text, a.Missing = s, !ok
	}
	return a
}

func (p *Pages) comAnswers(c *fiber.Ctx) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	def, _, err := p.store.Definition(ctx, k)
	if err != nil {
		return err
	}
	ans, ok, err := p.store.SubmittedAnswers(ctx, k)
	if err != nil {
		return err
	}
	if !ok {
		return api.ErrNoAnswers
	}
	visible := def.Visible(ans)
	var sections []comSection
	for _, s := range def.Sections {
		sec := comSection{Title: s.Title.NL}
		for _, sq := range s.Questions {
			q, ok := def.Question(sq.ID)
			if !ok || !visible[q.ID] {
				continue
			}
			v, answered := ans[q.ID]
			sec.Answers = append(sec.Answers, comAnswerOf(def, q, v, answered))
		}
		if len(sec.Answers) > 0 {
			sections = append(sections, sec)
		}
	}
	if err := p.store.AuditRead(ctx, k, api.ActorOf(c), "answers.read"); err != nil {
		return err
	}
	v := p.comView(c, "Antwoorden van "+k.Name, false)
	v.Data = map[string]any{"Candidate": k, "Base": comFiles + k.ID, "Sections": sections}
	return p.render(c, 0, "committee_answers", v)
}

// ---- history ----

func (p *Pages) comHistoryPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	hist, err := p.api.HistoryEntries(ctx, k)
	if err != nil {
		return err
	}
	if err := p.store.AuditRead(ctx, k, api.ActorOf(c), "history.read"); err != nil {
		return err
	}
	slices.Reverse(hist) // newest first
	v := p.comView(c, "Geschiedenis van "+k.Name, false)
	v.Data = map[string]any{"Candidate": k, "Base": comFiles + k.ID, "Versions": hist}
	return p.render(c, 0, "committee_history", v)
}

// ---- access log ----

type comLogRow struct {
	At                 time.Time
	Name, Role, Action string
}

func (p *Pages) comLog(c *fiber.Ctx) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	// Logged before it is read, so the log lists this read too.
	if err := p.store.AuditRead(ctx, k, api.ActorOf(c), "audit.read"); err != nil {
		return err
	}
	evs, err := p.store.AuditEvents(ctx, k.ID)
	if err != nil {
		return err
	}
	names := p.store.ActorNames(ctx, evs)
	rows := make([]comLogRow, 0, len(evs))
	for i := len(evs) - 1; i >= 0; i-- { // newest first
		e := evs[i]
		role := comRoleNL[e.ActorRole]
		if role == "" {
			role = e.ActorRole
		}
		action := comActionNL[e.Action]
		if action == "" {
			action = e.Action
		}
		rows = append(rows, comLogRow{At: e.CreatedAt, Name: names[e.ActorID], Role: role, Action: action})
	}
	v := p.comView(c, "Logboek van "+k.Name, false)
	v.Data = map[string]any{"Candidate": k, "Base": comFiles + k.ID, "Rows": rows}
	return p.render(c, 0, "committee_log", v)
}

// ---- interview guide ----

func (p *Pages) comGuide(c *fiber.Ctx) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	rd, err := p.store.Round(ctx, k.RoundID)
	if err != nil {
		return err
	}
	def, _, err := p.store.Definition(ctx, k)
	if err != nil {
		return err
	}
	prof, _, err := p.store.Profile(ctx, k)
	if errors.Is(err, models.ErrNotFound) {
		return &api.Error{Status: fiber.StatusNotFound, Code: "geen_profiel", Message: "Er is nog geen profiel van deze kandidaat. De gespreksleidraad komt er zodra de kandidaat de scan heeft ingediend."}
	}
	if err != nil {
		return err
	}
	if prof, err = p.api.WithOverlaps(ctx, k, api.ActorOf(c).ID, prof); err != nil {
		return err
	}
	var withFlags []comDomain
	var quiet []string
	for _, d := range comProfile(def, prof) {
		if len(d.Flags) > 0 {
			withFlags = append(withFlags, d)
		} else {
			quiet = append(quiet, d.Title)
		}
	}
	if err := p.store.AuditReads(ctx, k.PartyID, []string{k.ID}, api.ActorOf(c), "profile.read", "network.read"); err != nil {
		return err
	}
	v := p.comView(c, "Gespreksleidraad "+k.Name, false)
	v.Print = true
	v.BodyClass = "guide"
	nm, err := p.networkData(ctx, k, api.ActorOf(c).ID)
	if err != nil {
		return err
	}
	v.Data = map[string]any{"Candidate": k, "Round": rd, "Base": comFiles + k.ID, "Level": string(prof.Overall),
		"Domains": withFlags, "Quiet": strings.Join(quiet, ", "), "PrintedAt": p.store.Now(), "Network": nm}
	return p.render(c, 0, "committee_guide", v)
}
