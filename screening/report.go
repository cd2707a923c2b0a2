package screening

import (
	"context"
	"errors"
	"time"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// The committee's advice report (issue 13, part 4): everything the
// committee knows of one file, in the order of the screening steps
// (questionnaire and profile, open sources, references, VOG, hearing,
// interview, advice), for printing and as a PDF. The JSON API gives this
// struct as it is; the page and the PDF render it. Confidential through
// and through: committee only, and every read is audited ("report.read").

// Report is a candidate's whole file as the committee's report.
type Report struct {
	Candidate   ReportCandidate `json:"candidate"`
	Party       string          `json:"party"`
	Round       ReportRound     `json:"round"`
	GeneratedAt time.Time       `json:"generated_at"`
	GeneratedBy string          `json:"generated_by"` // the viewer's name
	// Profile is nil before the first compile.
	Profile *ReportProfile `json:"profile"`
	VOG     ReportVOG      `json:"vog"`
	// Hearings are hoor en wederhoor, oldest first.
	Hearings []ReportHearing `json:"hearings"`
	// Decision is the latest advice that was not rejected, or nil.
	Decision *ReportDecision `json:"decision"`
	// Summary is the state of the summary for the board.
	Summary ReportSummaryState `json:"summary"`

	// Sources is the committee's open-source research, one row per check.
	Sources []ReportSource `json:"sources"`
	// References are the referents asked, with their answers.
	References []ReportReference `json:"references"`
	// Interview is the interview record: a resolution per discussed flag
	// (nil when nothing was recorded).
	Interview *ReportInterview `json:"interview"`

	decision *models.Decision // the advice Decision shows (for the summary)
}

type ReportCandidate struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Email       string     `json:"email"`
	Status      string     `json:"status"`
	SubmittedAt *time.Time `json:"submitted_at"`
	DecidedAt   *time.Time `json:"decided_at"`
}

type ReportRound struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Office   string    `json:"office"`
	Deadline time.Time `json:"deadline"`
}

// ReportProfile is the current profile by domain (the seven domains in
// their fixed order), with the overlaps this viewer may see.
type ReportProfile struct {
	Overall              string         `json:"overall"`
	CompiledAt           time.Time      `json:"compiled_at"`
	QuestionnaireVersion int            `json:"questionnaire_version"`
	Current              bool           `json:"current"` // compiled from the file's latest revision
	Domains              []ReportDomain `json:"domains"`
}

type ReportDomain struct {
	Domain string       `json:"domain"`
	Level  string       `json:"level"`
	Flags  []ReportFlag `json:"flags"`
}

// ReportFlag is a flag with the answers behind it, quoted.
type ReportFlag struct {
	Rule     string        `json:"rule"`
	Severity string        `json:"severity"`
	Finding  string        `json:"finding"`
	Why      string        `json:"why,omitempty"`
	Ask      string        `json:"ask"`
	Answers  []ReportQuote `json:"answers"`
	Law      string        `json:"law,omitempty"` // the rule's article (questionnaire version 2 on)
}

type ReportQuote struct {
	QuestionID string `json:"question_id"`
	Question   string `json:"question"`
	Answer     string `json:"answer"`
	Missing    bool   `json:"missing"`
}

// ReportVOG is the VOG state (Status "verlopen" when an issued VOG is older
// than the party allows).
type ReportVOG struct {
	Status           string  `json:"status"`
	RequestedOn      *string `json:"requested_on"`
	IssuedOn         *string `json:"issued_on"`
	ScreeningProfile string  `json:"screening_profile"`
	ValidatedBy      *string `json:"validated_by"`
}

type ReportHearing struct {
	Flags      []models.HearingFlag `json:"flags"`
	Message    string               `json:"message"`
	OpenedBy   string               `json:"opened_by"` // a name
	OpenedAt   time.Time            `json:"opened_at"`
	ReplyDue   time.Time            `json:"reply_due"`
	Reply      *string              `json:"reply"`
	RepliedAt  *time.Time           `json:"replied_at"`
	Unanswered bool                 `json:"unanswered"` // the window passed without a reply
}

type ReportDecision struct {
	Outcome           string     `json:"outcome"`
	Status            string     `json:"status"` // voorgesteld | bevestigd
	Reasons           string     `json:"reasons"`
	Conditions        string     `json:"conditions,omitempty"`
	ReleaseToBoard    bool       `json:"release_to_board"`
	ReleaseConditions bool       `json:"release_conditions"`
	SingleMember      bool       `json:"single_member"`
	ProposedBy        string     `json:"proposed_by"` // names
	ProposedAt        time.Time  `json:"proposed_at"`
	ConfirmedBy       string     `json:"confirmed_by,omitempty"`
	ConfirmedAt       *time.Time `json:"confirmed_at"`
}

// ReportSummaryState says whether the board can read the summary.
type ReportSummaryState struct {
	ConsentAt        *time.Time `json:"consent_at"` // the candidate's consent to the current advice's summary
	AvailableToBoard bool       `json:"available_to_board"`
}

// ReportSource is one open-source check (part 1 fills these).
type ReportSource struct {
	Source    string    `json:"source"` // e.g. "Handelsregister (KvK)"
	CheckedBy string    `json:"checked_by"`
	CheckedAt time.Time `json:"checked_at"`
	Found     string    `json:"found"`
	Link      string    `json:"link,omitempty"`
	Finding   string    `json:"finding,omitempty"`
	Severity  string    `json:"severity,omitempty"`
}

// ReportReference is one referent asked (part 2 fills these).
type ReportReference struct {
	Name       string         `json:"name"`
	Status     string         `json:"status"` // e.g. gevraagd | beantwoord | verlopen
	AskedAt    time.Time      `json:"asked_at"`
	AnsweredAt *time.Time     `json:"answered_at"`
	Answers    []ReportAnswer `json:"answers"`
}

type ReportAnswer struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// ReportInterview is the interview record (part 3 fills it).
type ReportInterview struct {
	HeldOn      *time.Time         `json:"held_on"`
	Attendees   string             `json:"attendees"`
	Resolutions []ReportResolution `json:"resolutions"`
}

type ReportResolution struct {
	Rule       string `json:"rule"`
	Finding    string `json:"finding"`
	Resolution string `json:"resolution"` // afdoende_toegelicht | maatregel_afgesproken | zorg_blijft
	Note       string `json:"note"`
	Measure    string `json:"measure,omitempty"`
}

// Report assembles the committee's report of a candidate for viewer (the
// overlaps are the viewer's: a member who recused from another candidate
// does not see that candidate named). The caller audits the read.
func (s *Service) Report(ctx context.Context, k *models.Candidate, viewer models.Actor) (*Report, error) {
	rd, err := s.store.Round(ctx, k.RoundID)
	if err != nil {
		return nil, err
	}
	party, err := s.store.Party(ctx, k.PartyID)
	if err != nil {
		return nil, err
	}
	names, err := s.memberNames(ctx, k.PartyID)
	if err != nil {
		return nil, err
	}
	now := s.store.Now()
	r := &Report{
		Candidate:   ReportCandidate{ID: k.ID, Name: k.Name, Email: k.Email, Status: string(k.Status), SubmittedAt: k.SubmittedAt, DecidedAt: k.DecidedAt},
		Party:       party.Name,
		Round:       ReportRound{ID: rd.ID, Name: rd.Name, Office: rd.Office, Deadline: rd.Deadline},
		GeneratedAt: now, GeneratedBy: names[viewer.ID],
		Sources: []ReportSource{}, References: []ReportReference{}, Hearings: []ReportHearing{},
	}

	prof, rec, err := s.store.Profile(ctx, k)
	switch {
	case errors.Is(err, models.ErrNotFound):
	case err != nil:
		return nil, err
	default:
		def, _, err := s.store.Definition(ctx, k)
		if err != nil {
			return nil, err
		}
		if prof, err = s.WithOverlaps(ctx, k, viewer.ID, prof); err != nil {
			return nil, err
		}
		r.Profile = reportProfile(def, prof)
		r.Profile.CompiledAt, r.Profile.Current = rec.CompiledAt, rec.Revision == k.Revision
	}

	vog, err := s.store.VOG(ctx, k)
	if err != nil {
		return nil, err
	}
	r.VOG = ReportVOG{Status: models.VOGState(vog, party.MaxVOGAgeDays, now), ScreeningProfile: models.DefaultScreeningProfile}
	if vog != nil {
		r.VOG.RequestedOn, r.VOG.IssuedOn, r.VOG.ScreeningProfile, r.VOG.ValidatedBy = vog.RequestedOn, vog.IssuedOn, vog.ScreeningProfile, vog.ValidatedBy
	}

	hs, err := s.store.Hearings(ctx, k)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		r.Hearings = append(r.Hearings, ReportHearing{Flags: h.Flags, Message: h.Message, OpenedBy: names[h.OpenedBy], OpenedAt: h.OpenedAt,
			ReplyDue: h.ReplyDue, Reply: h.Reply, RepliedAt: h.RepliedAt, Unanswered: h.RepliedAt == nil && !now.Before(h.ReplyDue)})
	}

	if err := s.reportSources(ctx, k, names, r); err != nil {
		return nil, err
	}
	if err := s.reportInterview(ctx, k, viewer.ID, r); err != nil {
		return nil, err
	}
	if err := s.reportReferences(ctx, k, r); err != nil {
		return nil, err
	}

	d, err := s.store.LatestDecision(ctx, k)
	if err != nil {
		return nil, err
	}
	if d != nil {
		reasons, conditions, err := s.store.DecisionText(k, d)
		if err != nil {
			return nil, err
		}
		r.Decision = &ReportDecision{Outcome: d.Outcome, Status: d.Status, Reasons: reasons, Conditions: conditions,
			ReleaseToBoard: d.ReleaseToBoard, ReleaseConditions: d.ReleaseConditions, SingleMember: d.SingleMember,
			ProposedBy: names[d.DecidedBy], ProposedAt: d.CreatedAt, ConfirmedAt: d.ConfirmedAt}
		if d.ConfirmedBy != nil {
			r.Decision.ConfirmedBy = names[*d.ConfirmedBy]
		}
	}
	r.decision = d
	consent, err := s.currentConsent(ctx, k, d)
	if err != nil {
		return nil, err
	}
	if consent != nil {
		r.Summary.ConsentAt = &consent.ConsentedAt
		r.Summary.AvailableToBoard = models.AdviceReleased(k.Status, d)
	}
	return r, nil
}

// reportProfile is the profile by domain, each flag with its answers.
func reportProfile(def *questionnaires.Definition, p *questionnaires.Profile) *ReportProfile {
	out := &ReportProfile{Overall: string(p.Overall), QuestionnaireVersion: p.QuestionnaireVersion}
	for _, dm := range questionnaires.Domains {
		d := ReportDomain{Domain: dm, Level: string(questionnaires.LevelGeen), Flags: []ReportFlag{}}
		if dr, ok := p.Domains[dm]; ok {
			if dr.Level != "" {
				d.Level = string(dr.Level)
			}
			for _, f := range dr.Flags {
				d.Flags = append(d.Flags, reportFlag(def, f))
			}
		}
		out.Domains = append(out.Domains, d)
	}
	return out
}

func reportFlag(def *questionnaires.Definition, f questionnaires.Flag) ReportFlag {
	v := ReportFlag{Rule: f.Rule, Severity: string(f.Severity), Finding: f.Finding, Why: f.Why, Ask: f.Ask, Answers: []ReportQuote{}, Law: f.Law}
	for _, qid := range f.Questions {
		q := ReportQuote{QuestionID: qid, Question: qid}
		if qq, ok := def.Question(qid); ok {
			q.Question = qq.Text.NL
		}
		ex, ok := f.Excerpts[qid]
		q.Answer, q.Missing = ex, !ok
		v.Answers = append(v.Answers, q)
	}
	return v
}

// memberNames maps the party's members' user ids to their names.
func (s *Service) memberNames(ctx context.Context, partyID string) (map[string]string, error) {
	ms, err := s.store.Members(ctx, partyID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		out[m.UserID] = m.Name
	}
	return out, nil
}

// reportSources lists every recorded open-source check, in checklist order.
func (s *Service) reportSources(ctx context.Context, k *models.Candidate, names map[string]string, r *Report) error {
	list, err := s.SourceChecklist(ctx, k)
	if err != nil {
		return err
	}
	for _, it := range list.Sources {
		for _, c := range it.Checks {
			src := it.Label
			if c.Title != "" {
				src += ": " + c.Title
			}
			rs := ReportSource{Source: src, CheckedBy: names[c.CheckedBy], CheckedAt: c.CheckedAt, Found: c.Result, Link: c.Link}
			if c.Finding != nil {
				rs.Finding, rs.Severity = c.Finding.Text, string(c.Finding.Severity)
			}
			r.Sources = append(r.Sources, rs)
		}
	}
	return nil
}

// reportInterview is the interview record over the current profile as this
// viewer reads it; nil when nothing was recorded.
func (s *Service) reportInterview(ctx context.Context, k *models.Candidate, viewerID string, r *Report) error {
	iv, err := s.Interview(ctx, k, viewerID)
	if errors.Is(err, ErrNoProfile) {
		return nil // no profile, no flags to discuss
	}
	if err != nil {
		return err
	}
	if iv == nil || (iv.Discussed == 0 && iv.HeldOn == nil) {
		return nil
	}
	out := &ReportInterview{Attendees: iv.Attendees, Resolutions: []ReportResolution{}}
	if iv.HeldOn != nil {
		if d, err := time.Parse(time.DateOnly, *iv.HeldOn); err == nil {
			out.HeldOn = &d
		}
	}
	for _, f := range iv.Flags {
		if f.Resolution == nil {
			continue
		}
		out.Resolutions = append(out.Resolutions, ReportResolution{Rule: f.Rule, Finding: f.Finding,
			Resolution: f.Resolution.Resolution, Note: f.Resolution.Note, Measure: f.Resolution.Measure})
	}
	r.Interview = out
	return nil
}

// reportReferences lists the referents who were asked (named but not yet
// asked ones are not references yet), with their answers.
func (s *Service) reportReferences(ctx context.Context, k *models.Candidate, r *Report) error {
	rv, err := s.References(ctx, k)
	if err != nil {
		return err
	}
	if rv.SentAt == nil {
		return nil
	}
	for _, ref := range rv.Referents {
		if ref.Status == models.ReferentNamed {
			continue
		}
		name := ref.Name
		if ref.Relation != "" {
			name += " (" + ref.Relation + ")"
		}
		rr := ReportReference{Name: name, Status: ref.Status, AskedAt: *rv.SentAt, AnsweredAt: ref.AnsweredAt, Answers: []ReportAnswer{}}
		for _, a := range ref.Readable {
			rr.Answers = append(rr.Answers, ReportAnswer{Question: a.Question, Answer: a.Answer})
		}
		r.References = append(r.References, rr)
	}
	return nil
}
