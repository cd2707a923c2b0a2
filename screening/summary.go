package screening

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/weerbaar/weerbaar/models"
)

// The summary for the board or the raad (issue 13, part 4): which aspects
// were checked, the conclusion and the agreed measures, and nothing
// confidential. It is built from the report (so the open sources,
// references and interview count as soon as the report has them), but
// takes only yes/no, counts and the confirmed outcome from it: no flags,
// answers, levels, sources' content, referents' names or answers, notes or
// reasons. The candidate reads it and consents (or withdraws consent); the
// board reads exactly what the candidate consented to, and only while that
// advice is confirmed and released to the board.

// Summary is the text that may be shared with the board.
type Summary struct {
	Candidate string        `json:"candidate"`
	Party     string        `json:"party"`
	Round     string        `json:"round"`
	Office    string        `json:"office"`
	Checks    SummaryChecks `json:"checks"`
	// Outcome is the confirmed advice: positief, positief_met_voorwaarden, negatief.
	Outcome   string     `json:"outcome"`
	DecidedAt *time.Time `json:"decided_at"`
	// Measures are the advice's conditions, only when the committee
	// released them to the board (MeasuresShared).
	Measures       string `json:"measures,omitempty"`
	MeasuresShared bool   `json:"measures_shared"`
}

// SummaryChecks are the aspects that were checked, as yes/no and counts.
type SummaryChecks struct {
	Questionnaire bool `json:"questionnaire"` // the scan was filled in and submitted
	// VOG is "afgegeven", "aangevraagd" or "niet_aangevraagd": a refusal
	// or an intended refusal is never told apart from a pending request.
	VOG         string `json:"vog"`
	OpenSources bool   `json:"open_sources"` // open sources were checked
	References  int    `json:"references"`   // referents who answered
	Interview   bool   `json:"interview"`    // an interview was held
}

// summaryVOG is the VOG state the board may learn.
func summaryVOG(status string) string {
	switch status {
	case "afgegeven", "verlopen":
		return "afgegeven"
	case "aangevraagd", "voornemen_tot_weigering", "geweigerd":
		return "aangevraagd"
	}
	return "niet_aangevraagd"
}

// summaryOf takes the shareable facts from a report; ok is false without
// a confirmed advice.
func summaryOf(r *Report) (Summary, bool) {
	d := r.decision
	if d == nil || d.Status != models.DecisionConfirmed || r.Candidate.Status != string(models.StatusDecided) {
		return Summary{}, false
	}
	sm := Summary{Candidate: r.Candidate.Name, Party: r.Party, Round: r.Round.Name, Office: r.Round.Office,
		Outcome: d.Outcome, DecidedAt: d.ConfirmedAt}
	sm.Checks.Questionnaire = r.Candidate.SubmittedAt != nil
	sm.Checks.VOG = summaryVOG(r.VOG.Status)
	sm.Checks.OpenSources = len(r.Sources) > 0
	for _, ref := range r.References {
		if ref.AnsweredAt != nil {
			sm.Checks.References++
		}
	}
	sm.Checks.Interview = r.Interview != nil && r.Interview.HeldOn != nil
	if d.ReleaseConditions && r.Decision != nil {
		sm.Measures, sm.MeasuresShared = r.Decision.Conditions, true
	}
	return sm, true
}

// version names a summary's exact content, so that a consent is given to
// the text the candidate read.
func (sm Summary) version() (string, []byte, error) {
	b, err := json.Marshal(sm)
	if err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16]), b, nil
}

func mustJSON(sm Summary) []byte {
	_, b, _ := sm.version() // a Summary always marshals
	return b
}

// ErrNoSummaryYet: there is nothing to read yet (for the board: not until
// the advice is released and the candidate consented).
var ErrNoSummaryYet = &Error{Kind: NotFound, Code: "geen_samenvatting",
	Message: "Er is nog geen samenvatting. Die komt er als de selectiecommissie haar advies heeft bevestigd en met het bestuur gedeeld, en de kandidaat toestemming heeft gegeven."}

// draftSummary is the summary of the file as it is now.
func (s *Service) draftSummary(ctx context.Context, k *models.Candidate) (Summary, *models.Decision, bool, error) {
	r, err := s.Report(ctx, k, models.SystemActor)
	if err != nil {
		return Summary{}, nil, false, err
	}
	sm, ok := summaryOf(r)
	return sm, r.decision, ok, nil
}

// currentConsent is the candidate's consent when it belongs to d, the
// confirmed advice; a consent to an earlier advice no longer counts.
func (s *Service) currentConsent(ctx context.Context, k *models.Candidate, d *models.Decision) (*models.ConsentedSummary, error) {
	if d == nil || d.Status != models.DecisionConfirmed {
		return nil, nil
	}
	c, err := s.store.SummaryConsentOf(ctx, k)
	if err != nil || c == nil || c.DecisionID != d.ID {
		return nil, err
	}
	return c, nil
}

// CandidateSummary is what the candidate reads before consenting.
type CandidateSummary struct {
	Summary Summary `json:"summary"`
	// Version names this exact text; consent sends it back.
	Version   string     `json:"version"`
	ConsentAt *time.Time `json:"consent_at"`
	// Released: the committee shares the advice with the board (without
	// that, a consent lets the board read nothing yet).
	Released bool `json:"released"`
	// Consented is the text consented to, when it differs from Summary
	// (the file changed since, e.g. a VOG was issued): the board reads
	// Consented until the candidate consents to the new text.
	Consented *Summary `json:"consented,omitempty"`
}

// MySummary is the summary that would be shared, with the candidate's
// consent state. ErrNoSummaryYet before a confirmed advice.
func (s *Service) MySummary(ctx context.Context, k *models.Candidate) (*CandidateSummary, error) {
	k, err := s.store.Candidate(ctx, k.ID)
	if err != nil {
		return nil, err
	}
	sm, d, ok, err := s.draftSummary(ctx, k)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNoSummaryYet
	}
	ver, _, err := sm.version()
	if err != nil {
		return nil, err
	}
	out := &CandidateSummary{Summary: sm, Version: ver, Released: models.AdviceReleased(k.Status, d)}
	c, err := s.currentConsent(ctx, k, d)
	if err != nil {
		return nil, err
	}
	if c != nil {
		// A consent to the same advice whose text changed since (a VOG
		// issued later) still holds for the text consented to: that is
		// what the board reads. Consenting again shares the new text.
		out.ConsentAt = &c.ConsentedAt
		if string(c.Summary) != string(mustJSON(sm)) {
			var old Summary
			if err := json.Unmarshal(c.Summary, &old); err != nil {
				return nil, err
			}
			out.Consented = &old
		}
	}
	return out, nil
}

// SummaryConsentRequest is the candidate's consent to one version of the
// summary (the one they read).
type SummaryConsentRequest struct {
	Version string `json:"version" validate:"required,max=64"`
}

func (SummaryConsentRequest) texts() map[string]string {
	return map[string]string{"version": "Lees de samenvatting en geef dan toestemming."}
}

// ConsentSummary records the consent to the summary the candidate read;
// a summary that changed since is refused (read it again).
func (s *Service) ConsentSummary(ctx context.Context, k *models.Candidate, req SummaryConsentRequest) (*CandidateSummary, error) {
	if err := s.check(req); err != nil {
		return nil, err
	}
	k, err := s.store.Candidate(ctx, k.ID)
	if err != nil {
		return nil, err
	}
	sm, d, ok, err := s.draftSummary(ctx, k)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, models.ErrNoSummary
	}
	ver, body, err := sm.version()
	if err != nil {
		return nil, err
	}
	if ver != req.Version {
		return nil, models.ErrSummaryChanged
	}
	at, err := s.store.ConsentSummary(ctx, k, d.ID, body)
	if err != nil {
		return nil, err
	}
	return &CandidateSummary{Summary: sm, Version: ver, ConsentAt: &at, Released: models.AdviceReleased(k.Status, d)}, nil
}

// WithdrawSummaryConsent takes the consent back: the board no longer
// reads the summary. Without a consent it changes nothing.
func (s *Service) WithdrawSummaryConsent(ctx context.Context, k *models.Candidate) error {
	_, err := s.store.WithdrawSummaryConsent(ctx, k)
	return err
}

// SummaryView is the summary as the board (and the committee) read it.
type SummaryView struct {
	Summary
	ConsentAt        *time.Time `json:"consent_at"`
	AvailableToBoard bool       `json:"available_to_board"`
}

// BoardSummary is the summary for a reader of the party: the board reads
// it only when the confirmed advice is released to the board and the
// candidate consented to its summary (then exactly the text consented
// to); otherwise ErrNoSummaryYet. The committee also sees the summary as
// it would be, before consent or release. The caller audits the read.
func (s *Service) BoardSummary(ctx context.Context, k *models.Candidate, role string) (*SummaryView, error) {
	d, err := s.store.LatestDecision(ctx, k)
	if err != nil {
		return nil, err
	}
	c, err := s.currentConsent(ctx, k, d)
	if err != nil {
		return nil, err
	}
	if c != nil && models.AdviceReleased(k.Status, d) {
		var sm Summary
		if err := json.Unmarshal(c.Summary, &sm); err != nil {
			return nil, err
		}
		return &SummaryView{Summary: sm, ConsentAt: &c.ConsentedAt, AvailableToBoard: true}, nil
	}
	if role != models.RoleCommissie {
		return nil, ErrNoSummaryYet
	}
	sm, _, ok, err := s.draftSummary(ctx, k)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNoSummaryYet
	}
	v := &SummaryView{Summary: sm}
	if c != nil {
		v.ConsentAt = &c.ConsentedAt
	}
	return v, nil
}
