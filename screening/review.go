package screening

import (
	"context"
	"strings"
	"time"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// The committee's use cases on a candidate's file: VOG, notes, hearing,
// recusal, advice and sending the file back.

// VOGRequest changes the VOG record. Dates are YYYY-MM-DD (the pages turn
// the dd-mm-jjjj people type into that first).
type VOGRequest struct {
	Status           string  `json:"status" validate:"required,oneof=niet_gevraagd klaargezet aangevraagd afgegeven voornemen_tot_weigering geweigerd ingetrokken"`
	KlaargezetOn     *string `json:"klaargezet_on" validate:"omitempty,datetime=2006-01-02"`
	RequestedOn      *string `json:"requested_on" validate:"omitempty,datetime=2006-01-02"`
	IssuedOn         *string `json:"issued_on" validate:"omitempty,datetime=2006-01-02"`
	ScreeningProfile *string `json:"screening_profile" validate:"omitempty,max=100"`
	ValidatedBy      *string `json:"validated_by" validate:"omitempty,max=200"`
}

func (VOGRequest) texts() map[string]string {
	return map[string]string{"status": "Kies de status van de VOG.", "screening_profile.max": "Gebruik ten hoogste 100 tekens.",
		"validated_by.max": "Gebruik ten hoogste 200 tekens."}
}

func (r VOGRequest) check(env checkEnv) map[string]string {
	bad := map[string]string{}
	for f, d := range map[string]*string{"klaargezet_on": r.KlaargezetOn, "requested_on": r.RequestedOn, "issued_on": r.IssuedOn} {
		if d != nil {
			if t, _ := time.Parse(time.DateOnly, *d); t.After(env.Now) {
				bad[f] = "Een datum in de toekomst kan niet: vul de werkelijke datum in."
			}
		}
	}
	if r.Status == questionnaires.VOGAfgegeven && r.IssuedOn == nil {
		bad["issued_on"] = "Vul de datum van afgifte in."
	}
	return bad
}

// SetVOG records a VOG step; the profile is compiled again (outbox).
func (s *Service) SetVOG(ctx context.Context, a models.Actor, k *models.Candidate, req VOGRequest) (*models.VOGRecord, *models.Candidate, error) {
	if err := s.check(req); err != nil {
		return nil, nil, err
	}
	return s.store.SetVOG(ctx, a, k, models.VOGInput{Status: req.Status, KlaargezetOn: req.KlaargezetOn, RequestedOn: req.RequestedOn,
		IssuedOn: req.IssuedOn, ScreeningProfile: req.ScreeningProfile, ValidatedBy: req.ValidatedBy})
}

// NoteRequest is a committee note.
type NoteRequest struct {
	Body string `json:"body" validate:"notblank,max=10000"`
}

func (NoteRequest) texts() map[string]string {
	return map[string]string{"body.notblank": "Schrijf uw notitie.", "body.max": "Uw notitie is te lang: gebruik ten hoogste 10.000 tekens."}
}

// AddNote adds a note to the file.
func (s *Service) AddNote(ctx context.Context, a models.Actor, k *models.Candidate, req NoteRequest) (*models.NoteView, error) {
	if err := s.check(req); err != nil {
		return nil, err
	}
	return s.store.AddNote(ctx, a, k, req.Body)
}

// HearingRequest puts flags of the current profile to the candidate.
type HearingRequest struct {
	Flags   []string `json:"flags" validate:"required,min=1,max=100,dive,required,max=100"`
	Message string   `json:"message" validate:"notblank,max=5000"`
}

func (HearingRequest) texts() map[string]string {
	return map[string]string{"flags.required": "Kies ten minste één signaal waarover u de kandidaat wilt horen.",
		"flags.min": "Kies ten minste één signaal waarover u de kandidaat wilt horen.", "flags.max": "Kies ten hoogste 100 signalen.",
		"message.notblank": "Schrijf een bericht aan de kandidaat.", "message.max": "Uw bericht is te lang: gebruik ten hoogste 5.000 tekens."}
}

// OpenHearing opens a hearing (hoor en wederhoor); the candidate is mailed.
func (s *Service) OpenHearing(ctx context.Context, a models.Actor, k *models.Candidate, req HearingRequest) (*models.HearingView, error) {
	if err := s.check(req); err != nil {
		return nil, err
	}
	return s.store.OpenHearing(ctx, a, k, req.Flags, req.Message)
}

// RecusalRequest is a member stepping back from a file (and every linked one).
type RecusalRequest struct {
	Reason string `json:"reason" validate:"notblank,max=2000"`
}

func (RecusalRequest) texts() map[string]string {
	return map[string]string{"reason.notblank": "Schrijf op waarom u zich terugtrekt, bijvoorbeeld: familie of zakenpartner.",
		"reason.max": "Uw reden is te lang: gebruik ten hoogste 2.000 tekens."}
}

// Recuse records a recusal.
func (s *Service) Recuse(ctx context.Context, a models.Actor, k *models.Candidate, req RecusalRequest) error {
	if err := s.check(req); err != nil {
		return err
	}
	return s.store.Recuse(ctx, a, k, req.Reason)
}

// ProposalRequest proposes an advice (vier ogen: a second member confirms).
type ProposalRequest struct {
	Outcome           string `json:"outcome" validate:"required,oneof=positief positief_met_voorwaarden negatief"`
	Reasons           string `json:"reasons" validate:"notblank,max=10000"`
	Conditions        string `json:"conditions" validate:"max=10000"`
	ReleaseToBoard    bool   `json:"release_to_board"`
	ReleaseConditions bool   `json:"release_conditions"`
	// ConditionsFromMeasures fills the conditions from the measures agreed
	// in the interview record (interview.go).
	ConditionsFromMeasures bool `json:"conditions_from_measures"`
}

// OutcomeWithConditions is the advice that carries conditions.
const OutcomeWithConditions = "positief_met_voorwaarden"

func (ProposalRequest) texts() map[string]string {
	return map[string]string{"outcome": "Kies het advies: positief, positief met voorwaarden of negatief.",
		"reasons.notblank": "Schrijf de redenen voor het advies op.", "reasons.max": "Gebruik ten hoogste 10.000 tekens voor de redenen.",
		"conditions.max": "Gebruik ten hoogste 10.000 tekens voor de voorwaarden."}
}

func (r ProposalRequest) check(checkEnv) map[string]string {
	if bad := r.checkFromMeasures(); bad != nil {
		return bad
	}
	blank := strings.TrimSpace(r.Conditions) == "" && !r.ConditionsFromMeasures
	switch {
	case r.Outcome == OutcomeWithConditions && blank:
		return map[string]string{"conditions": "Schrijf op welke voorwaarden gelden."}
	case r.Outcome != OutcomeWithConditions && !blank:
		return map[string]string{"conditions": "Voorwaarden horen alleen bij ‘positief met voorwaarden’. Kies die uitkomst, of maak dit veld leeg."}
	}
	return nil
}

// Propose records a proposed advice (or, for the only member who is not
// recused, the advice itself).
func (s *Service) Propose(ctx context.Context, a models.Actor, k *models.Candidate, req ProposalRequest) (*models.Decision, error) {
	if err := s.check(req); err != nil {
		return nil, err
	}
	if req.Outcome != OutcomeWithConditions {
		req.Conditions = ""
	}
	if err := s.conditionsFromMeasures(ctx, a, k, &req); err != nil {
		return nil, err
	}
	return s.store.ProposeDecision(ctx, a, k, models.Proposal{Outcome: req.Outcome, Reasons: req.Reasons, Conditions: req.Conditions,
		ReleaseToBoard: req.ReleaseToBoard, ReleaseConditions: req.ReleaseConditions})
}

// Confirm confirms the open proposal (a second member); the board is
// mailed when the advice is released to it.
func (s *Service) Confirm(ctx context.Context, a models.Actor, k *models.Candidate) (*models.Decision, error) {
	return s.store.ConfirmDecision(ctx, a, k)
}

// Reject rejects the open proposal.
func (s *Service) Reject(ctx context.Context, a models.Actor, k *models.Candidate) error {
	return s.store.RejectDecision(ctx, a, k)
}

// ReopenRequest sends the file back to the candidate with what to change.
type ReopenRequest struct {
	Message string `json:"message" validate:"notblank,max=5000"`
}

func (ReopenRequest) texts() map[string]string {
	return map[string]string{"message.notblank": "Schrijf de kandidaat wat er moet worden aangevuld of verbeterd.",
		"message.max": "Uw bericht is te lang: gebruik ten hoogste 5.000 tekens."}
}

// Reopen sends the file back; the candidate gets a mail with a link.
func (s *Service) Reopen(ctx context.Context, a models.Actor, k *models.Candidate, req ReopenRequest) (*models.Candidate, error) {
	if err := s.check(req); err != nil {
		return nil, err
	}
	if err := s.store.Reopen(ctx, a, k, req.Message); err != nil {
		return nil, err
	}
	return s.store.Candidate(ctx, k.ID)
}
