package screening

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// The reference use cases (issue 13, part 2; the flow is described in
// models/references.go): the committee asks and sends, the candidate names
// the referents and consents, the referent answers once through a link.
// The committee reads the answers; the candidate sees who was asked and
// whether they answered, never what they said; the board sees nothing.

// RequestReferencesRequest asks for references on a file. Count is the
// number of referents; without it the party's setting applies.
type RequestReferencesRequest struct {
	Count *int `json:"count" validate:"omitempty,min=1,max=5"`
}

func (RequestReferencesRequest) texts() map[string]string {
	return map[string]string{"count": "Kies 1 tot en met 5 referenten."}
}

// RequestReferences asks the candidate to name referents (the candidate is
// mailed through the outbox).
func (s *Service) RequestReferences(ctx context.Context, a models.Actor, k *models.Candidate, req RequestReferencesRequest) (*models.ReferenceRequest, error) {
	if err := s.check(req); err != nil {
		return nil, err
	}
	n := 0
	if req.Count != nil {
		n = *req.Count
	}
	return s.store.RequestReferences(ctx, a, k, n)
}

// ReferentRequest is one referent as the candidate names them.
type ReferentRequest struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Relation string `json:"relation"`
}

// NameReferentsRequest names the referents and gives consent to ask them.
// Each referent's fields are refused as referents.<n>.<field> (n from 0).
type NameReferentsRequest struct {
	Referents []ReferentRequest `json:"referents" validate:"max=5"`
	Consent   bool              `json:"consent"`
}

func (NameReferentsRequest) texts() map[string]string {
	return map[string]string{"referents.max": "Noem ten hoogste 5 referenten."}
}

// ReferentField names a referent's field in a refusal.
func ReferentField(i int, field string) string { return "referents." + strconv.Itoa(i) + "." + field }

func (r NameReferentsRequest) check(checkEnv) map[string]string {
	bad := map[string]string{}
	seen := map[string]int{}
	for i, ref := range r.Referents {
		n := strconv.Itoa(i + 1)
		name, email, rel := strings.TrimSpace(ref.Name), strings.TrimSpace(ref.Email), strings.TrimSpace(ref.Relation)
		switch {
		case name == "":
			bad[ReferentField(i, "name")] = "Vul de naam van referent " + n + " in."
		case utf8.RuneCountInString(name) > 200:
			bad[ReferentField(i, "name")] = "Gebruik ten hoogste 200 tekens voor de naam."
		}
		switch {
		case email == "":
			bad[ReferentField(i, "email")] = "Vul het e-mailadres van referent " + n + " in."
		case utf8.RuneCountInString(email) > 254 || !ValidEmail(email):
			bad[ReferentField(i, "email")] = "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."
		default:
			key := strings.ToLower(email)
			if j, dup := seen[key]; dup {
				bad[ReferentField(i, "email")] = "Dit e-mailadres hebt u al opgegeven bij referent " + strconv.Itoa(j+1) + ". Kies een andere referent."
			}
			seen[key] = i
		}
		switch {
		case rel == "":
			bad[ReferentField(i, "relation")] = "Schrijf op hoe referent " + n + " u kent, bijvoorbeeld: werkgever, bestuur of vereniging."
		case utf8.RuneCountInString(rel) > 200:
			bad[ReferentField(i, "relation")] = "Gebruik ten hoogste 200 tekens."
		}
	}
	if !r.Consent {
		bad["consent"] = "Zet een vinkje als u toestemming geeft om deze mensen te benaderen. Zonder uw toestemming vraagt de commissie geen referenties."
	}
	return bad
}

// NameReferents records the candidate's referents and consent. The number
// must be the number the committee asked for; the candidate's own address
// is no referent.
func (s *Service) NameReferents(ctx context.Context, k *models.Candidate, req NameReferentsRequest) error {
	if err := s.check(req); err != nil {
		return err
	}
	rq, _, err := s.store.References(ctx, k)
	if err != nil {
		return err
	}
	if rq == nil {
		return models.ErrNoReferences
	}
	if len(req.Referents) != rq.Wanted {
		return fieldErr("referents", "Noem "+strconv.Itoa(rq.Wanted)+" referenten: zoveel vraagt de selectiecommissie.")
	}
	for i, r := range req.Referents {
		if strings.EqualFold(strings.TrimSpace(r.Email), strings.TrimSpace(k.Email)) {
			return fieldErr(ReferentField(i, "email"), "Dit is uw eigen e-mailadres. Noem iemand anders als referent.")
		}
	}
	in := make([]models.ReferentInput, len(req.Referents))
	for i, r := range req.Referents {
		in[i] = models.ReferentInput{Name: r.Name, Email: r.Email, Relation: r.Relation}
	}
	_, err = s.store.NameReferents(ctx, k, in)
	return err
}

// SendReferencesRequest sends the requests; Days is the answer term
// (default 14), never past four weeks after the round deadline.
type SendReferencesRequest struct {
	Days *int `json:"days" validate:"omitempty,min=3,max=28"`
}

func (SendReferencesRequest) texts() map[string]string {
	return map[string]string{"days": "Kies een termijn van 3 tot en met 28 dagen."}
}

// SendReferences mails each named referent a personal link; it returns
// when the links expire.
func (s *Service) SendReferences(ctx context.Context, a models.Actor, k *models.Candidate, req SendReferencesRequest) (time.Time, error) {
	if err := s.check(req); err != nil {
		return time.Time{}, err
	}
	ttl := models.ReferenceTTL
	if req.Days != nil {
		ttl = time.Duration(*req.Days) * 24 * time.Hour
	}
	return s.store.SendReferences(ctx, a, k, ttl)
}

// ReferenceAnswer is one answer of a referent, readable.
type ReferenceAnswer struct {
	QuestionID string `json:"question_id"`
	Section    string `json:"section"`
	Question   string `json:"question"`
	Answer     string `json:"answer"`
}

// ReferentView is a referent as the committee sees them: with answers.
type ReferentView struct {
	ID         string                 `json:"id"`
	Position   int                    `json:"position"`
	Name       string                 `json:"name"`
	Email      string                 `json:"email"`
	Relation   string                 `json:"relation"`
	Status     string                 `json:"status"`
	ExpiresAt  *time.Time             `json:"expires_at"`
	AnsweredAt *time.Time             `json:"answered_at"`
	Answers    questionnaires.Answers `json:"answers"`
	Readable   []ReferenceAnswer      `json:"readable"`
}

// ReferencesView is the references of a file for the committee.
type ReferencesView struct {
	Asked       bool           `json:"asked"`
	Wanted      int            `json:"wanted"`
	Default     int            `json:"party_default"`
	RequestedAt *time.Time     `json:"requested_at"`
	ConsentAt   *time.Time     `json:"consent_at"`
	SentAt      *time.Time     `json:"sent_at"`
	Answered    int            `json:"answered"`
	Referents   []ReferentView `json:"referents"`
	// CanRequest, CanSend: what the committee can do now.
	CanRequest bool `json:"can_request"`
	CanSend    bool `json:"can_send"`
}

// References is the committee's read of a file's references, answers
// included (the adapter audits "references.read").
func (s *Service) References(ctx context.Context, k *models.Candidate) (*ReferencesView, error) {
	rq, rs, err := s.store.References(ctx, k)
	if err != nil {
		return nil, err
	}
	party, err := s.store.Party(ctx, k.PartyID)
	if err != nil {
		return nil, err
	}
	now := s.store.Now()
	v := &ReferencesView{Default: party.ReferencesRequired, Referents: []ReferentView{}}
	open := k.Status == models.StatusInProgress || k.Status == models.StatusSubmitted || k.Status == models.StatusProfiled
	if rq == nil {
		v.CanRequest = open
		return v, nil
	}
	v.Asked, v.Wanted, v.RequestedAt, v.ConsentAt, v.SentAt = true, rq.Wanted, &rq.RequestedAt, rq.ConsentAt, rq.SentAt
	v.CanSend = open && rq.SentAt == nil && rq.ConsentAt != nil && len(rs) > 0
	for i := range rs {
		r := &rs[i]
		rv := ReferentView{ID: r.ID, Position: r.Position, Name: r.Name, Email: r.Email, Relation: r.Relation,
			Status: r.Status(now), ExpiresAt: r.ExpiresAt, AnsweredAt: r.AnsweredAt, Readable: []ReferenceAnswer{}}
		if r.AnsweredAt != nil {
			v.Answered++
			ans, err := s.store.ReferentAnswers(k, r)
			if err != nil {
				return nil, err
			}
			def, err := s.store.ReferenceDefinition(r.QuestionnaireVersion)
			if err != nil {
				return nil, err
			}
			rv.Answers, rv.Readable = ans, readableAnswers(def, ans)
		}
		v.Referents = append(v.Referents, rv)
	}
	return v, nil
}

// readableAnswers words each answered question of a referent's
// questionnaire in its order (option texts, "Ja"/"Nee").
func readableAnswers(def *questionnaires.Definition, ans questionnaires.Answers) []ReferenceAnswer {
	out := []ReferenceAnswer{}
	for _, sec := range def.Sections {
		for _, sq := range sec.Questions {
			q, ok := def.Question(sq.ID)
			if !ok {
				continue
			}
			v, ok := ans[q.ID]
			if !ok || v == nil {
				continue
			}
			var text string
			switch x := v.(type) {
			case bool:
				text = map[bool]string{true: "Ja", false: "Nee"}[x]
			case string:
				text = x
				if o, ok := q.Option(x); ok {
					text = o.Text.NL
				}
			default:
				b, _ := json.Marshal(x)
				text = string(b)
			}
			if strings.TrimSpace(text) == "" {
				continue
			}
			out = append(out, ReferenceAnswer{QuestionID: q.ID, Section: sec.Title.NL, Question: q.Text.NL, Answer: text})
		}
	}
	return out
}

// OwnReferent is a referent as the candidate sees them: who, and whether
// they answered. Never the answers.
type OwnReferent struct {
	Position int    `json:"position"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Relation string `json:"relation"`
	Status   string `json:"status"`
}

// OwnReferences is the candidate's view of the references.
type OwnReferences struct {
	Asked     bool          `json:"asked"`
	Wanted    int           `json:"wanted"`
	ConsentAt *time.Time    `json:"consent_at"`
	SentAt    *time.Time    `json:"sent_at"`
	Editable  bool          `json:"editable"`
	Referents []OwnReferent `json:"referents"`
}

// MyReferences is the candidate's read: who was named or asked and their
// status. It is built without the answers, so they cannot leak.
func (s *Service) MyReferences(ctx context.Context, k *models.Candidate) (*OwnReferences, error) {
	rq, rs, err := s.store.References(ctx, k)
	if err != nil {
		return nil, err
	}
	out := &OwnReferences{Referents: []OwnReferent{}}
	if rq == nil {
		return out, nil
	}
	now := s.store.Now()
	open := k.Status == models.StatusInProgress || k.Status == models.StatusSubmitted || k.Status == models.StatusProfiled
	out.Asked, out.Wanted, out.ConsentAt, out.SentAt, out.Editable = true, rq.Wanted, rq.ConsentAt, rq.SentAt, rq.SentAt == nil && open
	for i := range rs {
		r := &rs[i]
		out.Referents = append(out.Referents, OwnReferent{Position: r.Position, Name: r.Name, Email: r.Email, Relation: r.Relation, Status: r.Status(now)})
	}
	return out, nil
}

// ReferentForm opens what a referent's link shows (404 unknown, 410 used
// or expired).
func (s *Service) ReferentForm(ctx context.Context, token string) (*models.ReferentFile, error) {
	if !validToken(token) {
		return nil, models.ErrNotFound
	}
	f, err := s.store.ReferentFileByToken(ctx, token)
	return f, referentGone(err)
}

// AnswerReferenceRequest is a referent's answers, by question id.
type AnswerReferenceRequest struct {
	Answers map[string]json.RawMessage `json:"answers" validate:"max=50"`
}

func (AnswerReferenceRequest) texts() map[string]string {
	return map[string]string{"answers": "Stuur ten hoogste 50 antwoorden."}
}

// AnswerReference stores a referent's answers, once.
func (s *Service) AnswerReference(ctx context.Context, token string, req AnswerReferenceRequest) error {
	if !validToken(token) {
		return models.ErrNotFound
	}
	if err := s.check(req); err != nil {
		return err
	}
	return referentGone(s.store.AnswerReference(ctx, token, req.Answers))
}

// ErrReferentGone is a referent's link that was used or expired, in words
// for the referent (not the candidate's text of ErrGone).
var ErrReferentGone = &Error{Kind: Gone, Code: "verlopen", Message: "Deze link werkt niet meer: u hebt de vragen al beantwoord, of de termijn is voorbij. " +
	"Wilt u toch nog iets laten weten? Neem dan contact op met de kandidaat of met de partij."}

func referentGone(err error) error {
	if errors.Is(err, models.ErrGone) {
		return ErrReferentGone
	}
	return err
}

// validToken: a link token is short and plain (anything else is unknown).
func validToken(t string) bool { return t != "" && len(t) <= 128 }
