package screening

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/network"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// The interview record (gespreksverslag, issue 13): during or after the
// interview the committee gives each flag of the profile a resolution
// (afdoende toegelicht, maatregel afgesproken, zorg blijft) with a note;
// the agreed measures become the conditions of a "positief met
// voorwaarden" advice. The flags are the profile as this viewer sees it
// (WithOverlaps: the shared-organisation flags included, and so whatever
// joins the profile there later, such as open-source findings).

// ErrNoProfile: a file without a profile has no flags to discuss yet.
var ErrNoProfile = &Error{Kind: NotFound, Code: "geen_profiel", Message: "Er is nog geen profiel van deze kandidaat. Het gespreksverslag kan pas als de kandidaat de scan heeft ingediend."}

// FlagKey is a flag's id in the interview record: its rule, and for a
// shared-organisation flag (one rule, one flag per organisation) the
// organisation too.
func FlagKey(f questionnaires.Flag) string {
	if f.Rule == network.RuleOverlap {
		for _, q := range f.Questions {
			if n := strings.TrimSpace(f.Excerpts[q]); n != "" {
				return f.Rule + ":" + strings.ToLower(n)
			}
		}
	}
	return f.Rule
}

// InterviewFlag is a flag with its resolution (nil: not discussed yet).
type InterviewFlag struct {
	Rule       string                 `json:"rule"`
	Domain     string                 `json:"domain"`
	Severity   questionnaires.Level   `json:"severity"`
	Finding    string                 `json:"finding"`
	Why        string                 `json:"why,omitempty"`
	Ask        string                 `json:"ask"`
	Resolution *models.ResolutionView `json:"resolution"`
}

// InterviewView is the interview record as the committee reads it.
type InterviewView struct {
	CandidateID string          `json:"candidate_id"`
	HeldOn      *string         `json:"held_on"`
	Attendees   string          `json:"attendees"`
	UpdatedBy   string          `json:"updated_by,omitempty"`
	UpdatedAt   *time.Time      `json:"updated_at"`
	Flags       []InterviewFlag `json:"flags"`
	// Discussed of Total flags have a resolution; Concerns of them "zorg blijft".
	Discussed int `json:"discussed"`
	Total     int `json:"total"`
	Concerns  int `json:"concerns"`
	// Measures are the agreed measures, in the order of the flags.
	Measures []string `json:"measures"`

	profileRevision int
}

// Interview is the record over the current profile for this viewer.
func (s *Service) Interview(ctx context.Context, k *models.Candidate, viewerID string) (*InterviewView, error) {
	prof, rec, err := s.store.Profile(ctx, k)
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrNoProfile
	}
	if err != nil {
		return nil, err
	}
	if prof, err = s.WithOverlaps(ctx, k, viewerID, prof); err != nil {
		return nil, err
	}
	iv, err := s.store.Interview(ctx, k)
	if err != nil {
		return nil, err
	}
	out := &InterviewView{CandidateID: k.ID, Attendees: iv.Attendees, UpdatedBy: iv.UpdatedBy, UpdatedAt: iv.UpdatedAt,
		Flags: []InterviewFlag{}, Measures: []string{}, profileRevision: rec.Revision}
	if iv.HeldOn != "" {
		out.HeldOn = &iv.HeldOn
	}
	seen := map[string]bool{}
	for _, f := range prof.Flags {
		key := FlagKey(f)
		if seen[key] {
			continue
		}
		seen[key] = true
		v := InterviewFlag{Rule: key, Domain: f.Domain, Severity: f.Severity, Finding: f.Finding, Why: f.Why, Ask: f.Ask}
		if r, ok := iv.Resolutions[key]; ok {
			v.Resolution = &r
			out.Discussed++
			switch r.Resolution {
			case models.ResolutionConcern:
				out.Concerns++
			case models.ResolutionMeasure:
				out.Measures = append(out.Measures, r.Measure)
			}
		}
		out.Flags = append(out.Flags, v)
	}
	out.Total = len(out.Flags)
	return out, nil
}

// InterviewRequest records the interview. HeldOn and Attendees are set as
// sent ("" clears them); each listed resolution is recorded for its flag,
// and flags that are not listed keep theirs.
type InterviewRequest struct {
	HeldOn      string              `json:"held_on" validate:"omitempty,datetime=2006-01-02"`
	Attendees   string              `json:"attendees" validate:"max=1000"`
	Resolutions []ResolutionRequest `json:"resolutions" validate:"max=200"`
}

// ResolutionRequest is one flag's resolution. Its fields are checked in
// InterviewRequest.check, so a refusal names the list entry
// (resolutions[2].measure).
type ResolutionRequest struct {
	Rule       string `json:"rule"`
	Resolution string `json:"resolution"`
	Note       string `json:"note"`
	Measure    string `json:"measure"`
}

// Limits of a resolution's texts.
const (
	MaxResolutionNote = 5000
	MaxMeasure        = 1000
)

func (InterviewRequest) texts() map[string]string {
	return map[string]string{"held_on": "Vul de datum van het gesprek in als JJJJ-MM-DD.",
		"attendees.max": "Gebruik ten hoogste 1.000 tekens voor wie er bij het gesprek waren.", "resolutions.max": "Leg ten hoogste 200 signalen tegelijk vast."}
}

func (r InterviewRequest) check(env checkEnv) map[string]string {
	bad := map[string]string{}
	if r.HeldOn != "" {
		if t, _ := time.Parse(time.DateOnly, r.HeldOn); t.After(env.Now) {
			bad["held_on"] = "Een gesprek in de toekomst kan niet: vul de datum in waarop het gesprek was."
		}
	}
	seen := map[string]bool{}
	for i, res := range r.Resolutions {
		f := func(name string) string { return fmt.Sprintf("resolutions[%d].%s", i, name) }
		switch {
		case strings.TrimSpace(res.Rule) == "":
			bad[f("rule")] = "Geef aan over welk signaal dit gaat."
		case seen[res.Rule]:
			bad[f("rule")] = "Elk signaal staat maar één keer in het verslag."
		}
		seen[res.Rule] = true
		note, measure := strings.TrimSpace(res.Note), strings.TrimSpace(res.Measure)
		switch res.Resolution {
		case models.ResolutionExplained:
			if note == "" {
				bad[f("note")] = "Schrijf kort op wat de kandidaat heeft toegelicht."
			}
		case models.ResolutionConcern:
			if note == "" {
				bad[f("note")] = "Schrijf op welke zorg er blijft."
			}
		case models.ResolutionMeasure:
			if measure == "" {
				bad[f("measure")] = "Schrijf op welke maatregel is afgesproken, bijvoorbeeld: legt de bestuursfunctie bij stichting X neer vóór de installatie."
			}
		default:
			bad[f("resolution")] = "Kies wat er uit het gesprek kwam: afdoende toegelicht, maatregel afgesproken of zorg blijft."
		}
		if measure != "" && res.Resolution != models.ResolutionMeasure && res.Resolution != "" && bad[f("resolution")] == "" {
			bad[f("measure")] = "Een maatregel hoort alleen bij ‘maatregel afgesproken’. Kies die uitkomst, of maak dit veld leeg."
		}
		if len([]rune(res.Note)) > MaxResolutionNote {
			bad[f("note")] = "Uw toelichting is te lang: gebruik ten hoogste 5.000 tekens."
		}
		if len([]rune(res.Measure)) > MaxMeasure {
			bad[f("measure")] = "De maatregel is te lang: gebruik ten hoogste 1.000 tekens."
		}
	}
	return bad
}

// SaveInterview records the interview and returns the record.
func (s *Service) SaveInterview(ctx context.Context, a models.Actor, k *models.Candidate, req InterviewRequest) (*InterviewView, error) {
	if err := s.check(req); err != nil {
		return nil, err
	}
	cur, err := s.Interview(ctx, k, a.ID)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(cur.Flags))
	for i, f := range cur.Flags {
		keys[i] = f.Rule
	}
	in := models.InterviewInput{HeldOn: req.HeldOn, Attendees: strings.TrimSpace(req.Attendees), Flags: keys, ProfileRevision: cur.profileRevision}
	for _, r := range req.Resolutions {
		in.Resolutions = append(in.Resolutions, models.ResolutionInput{Rule: r.Rule, Resolution: r.Resolution,
			Note: strings.TrimSpace(r.Note), Measure: strings.TrimSpace(r.Measure)})
	}
	if err := s.store.SaveInterview(ctx, a, k, in); err != nil {
		return nil, err
	}
	return s.Interview(ctx, k, a.ID)
}

// MeasuresText is the measures as conditions: one per line, "- …".
func MeasuresText(measures []string) string {
	lines := make([]string, 0, len(measures))
	for _, m := range measures {
		if m = strings.TrimSpace(m); m != "" {
			lines = append(lines, "- "+m)
		}
	}
	return strings.Join(lines, "\n")
}

// checkFromMeasures: conditions from the measures belong to "positief met
// voorwaarden" only.
func (r ProposalRequest) checkFromMeasures() map[string]string {
	if r.ConditionsFromMeasures && r.Outcome != OutcomeWithConditions {
		return map[string]string{"conditions_from_measures": "Maatregelen worden alleen voorwaarden bij ‘positief met voorwaarden’. Kies die uitkomst, of zet deze optie uit."}
	}
	return nil
}

// conditionsFromMeasures fills a proposal's conditions from the agreed
// measures of the interview record: after the conditions written by hand,
// each measure that is not in them yet. A record without measures is
// refused: there is nothing to fill in.
func (s *Service) conditionsFromMeasures(ctx context.Context, a models.Actor, k *models.Candidate, req *ProposalRequest) error {
	if !req.ConditionsFromMeasures {
		return nil
	}
	var measures []string
	iv, err := s.Interview(ctx, k, a.ID)
	switch {
	case errors.Is(err, ErrNoProfile):
	case err != nil:
		return err
	default:
		measures = iv.Measures
	}
	var add []string
	for _, m := range measures {
		if !strings.Contains(req.Conditions, m) {
			add = append(add, m)
		}
	}
	if len(measures) == 0 {
		return fieldErr("conditions_from_measures", "Er zijn nog geen afgesproken maatregelen in het gespreksverslag. Leg eerst bij een signaal ‘maatregel afgesproken’ vast, of schrijf de voorwaarden zelf op.")
	}
	req.Conditions = strings.TrimSpace(strings.TrimSpace(req.Conditions) + "\n" + MeasuresText(add))
	if len([]rune(req.Conditions)) > 10000 {
		return fieldErr("conditions", "Gebruik ten hoogste 10.000 tekens voor de voorwaarden.")
	}
	return nil
}

// Dilemmas are the dilemma cases of a domain for the interview guide
// (questionnaires/dilemmas.yaml, checked when the service starts).
func (s *Service) Dilemmas(domain string) ([]questionnaires.Dilemma, error) {
	b, err := questionnaires.LoadDilemmas()
	if err != nil {
		return nil, err
	}
	return b.For(domain), nil
}
