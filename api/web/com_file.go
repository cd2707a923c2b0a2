package web

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/network"
	"github.com/weerbaar/weerbaar/questionnaires"
)

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
	// Committee marks a finding of the committee's own open-source
	// research: shown as such, never as an answer of the candidate.
	Committee bool
	Law       string // the rule's article (questionnaire version 2 on)
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
	out := make([]comDomain, 0, len(questionnaires.Domains)+1)
	for _, dm := range comDomains(prof) {
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
	v := comFlag{Rule: f.Rule, Level: string(f.Severity), Finding: f.Finding, Why: f.Why, Ask: f.Ask, Committee: f.Source == questionnaires.SourceCommittee, Law: f.Law}
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
		if prof, err = p.app.WithOverlaps(ctx, k, me.ID, prof); err != nil {
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
		hist, err := p.app.HistoryEntries(ctx, k)
		if err != nil {
			return err
		}
		if n := len(hist); n > 0 && hist[n-1].Changes != nil {
			data["Changes"] = hist[n-1]
		}
		flags := make([]comFlag, len(prof.Flags))
		var hear []comFlag
		for i, f := range prof.Flags {
			flags[i] = comFlagOf(def, f)
			// An overlap names other candidates: it is for the committee's
			// own weighing, never put to this candidate in a hearing.
			if f.Rule != network.RuleOverlap {
				hear = append(hear, flags[i])
			}
		}
		data["Profile"], data["Level"], data["Flags"], data["CompiledAt"] = true, string(prof.Overall), flags, rec.CompiledAt
		data["HearFlags"] = hear
		data["Stale"] = rec.Revision != k.Revision
	}
	if data["Sources"], err = p.comSourcesLine(ctx, k); err != nil {
		return err
	}
	hear, _ := data["HearFlags"].([]comFlag)
	data["CanHear"] = len(hear) > 0 && k.Status == models.StatusProfiled && !hearingOpen
	if err := p.interviewOnFile(ctx, k, me.ID, &in, data, &reads); err != nil {
		return err
	}

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

	if data["References"], err = p.referencesLine(c, k); err != nil {
		return err
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
	errs, status, ok := formErrors(err, field, fieldIDs)
	if !ok {
		return err
	}
	return p.comFile(c, in, errs, status)
}

func comBack(k *models.Candidate, anchor string) string { return comFiles + k.ID + "#" + anchor }
