package models

// References (referenties, issue 13 part 2): the third leg of the
// "drievoudige check" beside open sources and the VOG. The flow:
//
//  1. the committee asks for references on a file (RequestReferences): the
//     number is the party's references_required unless the committee
//     chooses another; the candidate is mailed (no content, a pointer to
//     the scan pages);
//  2. the candidate names the referents and consents (NameReferents); the
//     names can change until the requests are sent;
//  3. the committee sends the requests (SendReferences): the committee
//     decides when, never the candidate's naming. Each referent gets a
//     mail with a personal link (token created at send time, stored as a
//     hash), expiring after the chosen term but never later than
//     ReferenceGrace after the round deadline;
//  4. the referent answers the questionnaire "referentie" once
//     (AnswerReference); a used or expired link answers ErrGone (410);
//  5. reminders: at most two per referent (ReferenceReminderFirst and
//     ReferenceReminderLast), each once (delivery rows), each with a new
//     link (the old one stops working, as with the candidate's reminders).
//
// Referents' names, addresses and relations and their answers are sealed
// with the candidate's data key; deleting the file deletes them.

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/secure"
)

// ReferenceQuestionnaire is the id of the referents' questionnaire
// (questionnaires/referentie.yaml); no round may use it.
const ReferenceQuestionnaire = "referentie"

// Reference limits and terms.
const (
	MaxReferences         = 5
	DefaultReferences     = 2
	ReferenceTTL          = 14 * 24 * time.Hour // default answer term
	MinReferenceTTL       = 3 * 24 * time.Hour
	MaxReferenceTTL       = 28 * 24 * time.Hour
	ReferenceGrace        = 28 * 24 * time.Hour // a link never works longer than this past the round deadline
	referenceReminderWait = 24 * time.Hour      // no reminder in the first day after the request
)

// Reference mail kinds.
const (
	MailReferencesAsked   = "references_asked"   // to the candidate: name your referents
	MailReference         = "reference"          // to a referent: the request with the link
	MailReferenceReminder = "reference_reminder" // to a referent: a reminder with a new link
)

// Reference reminder stages: within a week of the end, and within two days.
const (
	ReferenceReminderFirst = "1"
	ReferenceReminderLast  = "2"
)

// Referent statuses (computed, never stored).
const (
	ReferentNamed    = "genoemd"    // named by the candidate, not asked yet
	ReferentAsked    = "gevraagd"   // the request went out, no answer yet
	ReferentAnswered = "beantwoord" // answered
	ReferentExpired  = "verlopen"   // the link expired without an answer
)

// Refusals of the reference flow (texts in screening/messages.go).
var (
	ErrReferencesOff       = &ReviewError{"referenties_uit"}
	ErrReferencesAsked     = &ReviewError{"referenties_gevraagd"}
	ErrNoReferences        = &ReviewError{"geen_referenties"}
	ErrReferencesSent      = &ReviewError{"referenties_verstuurd"}
	ErrReferencesUnnamed   = &ReviewError{"referenten_onbekend"}
	ErrReferencesTooLate   = &ReviewError{"referenties_te_laat"}
	ErrReferencesFileState = &ReviewError{"referenties_status"}
)

// referenceStates are the files the committee may ask references for and
// whose candidate may name referents: after the candidate started, before
// the advice.
var referenceStates = []Status{StatusInProgress, StatusSubmitted, StatusProfiled}

// referentLinkStates are the files a referent's link still answers for
// (a late answer to a decided file is kept; a withdrawn, revoked or
// expired file takes no answers).
var referentLinkStates = []Status{StatusInProgress, StatusSubmitted, StatusProfiled, StatusDecided}

// ReferenceRequest is the committee's request for references on a file.
type ReferenceRequest struct {
	CandidateID string `gorm:"primaryKey"`
	Wanted      int
	RequestedBy string
	RequestedAt time.Time
	ConsentAt   *time.Time
	SentBy      *string
	SentAt      *time.Time
}

func (ReferenceRequest) TableName() string { return "reference_requests" }

// Referent is one person the candidate named. Name, Email and Relation are
// plaintext in memory only (Sealed on the row); Answers stays sealed until
// ReferentAnswers opens it.
type Referent struct {
	ID                   string
	CandidateID          string
	Position             int
	Name                 string `gorm:"-"`
	Email                string `gorm:"-"`
	Relation             string `gorm:"-"`
	Sealed               []byte
	TokenHash            *string
	ExpiresAt            *time.Time
	QuestionnaireVersion int
	Answers              []byte
	AnsweredAt           *time.Time
	CreatedAt            time.Time
}

func (Referent) TableName() string { return "referents" }

// Status is the referent's status at now.
func (r *Referent) Status(now time.Time) string {
	switch {
	case r.AnsweredAt != nil:
		return ReferentAnswered
	case r.ExpiresAt == nil:
		return ReferentNamed
	case !r.ExpiresAt.After(now):
		return ReferentExpired
	}
	return ReferentAsked
}

// ReferentInput is one referent as the candidate names them.
type ReferentInput struct {
	Name, Email, Relation string
}

type referentIdentity struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Relation string `json:"relation"`
}

func referentAAD(id string) string        { return "referent:" + id }
func referentAnswersAAD(id string) string { return "referent.answers:" + id }

func (s *Store) openReferent(c *Candidate, r *Referent) error {
	b, err := s.open(c, r.Sealed, referentAAD(r.ID))
	if err != nil {
		return err
	}
	var id referentIdentity
	if err := json.Unmarshal(b, &id); err != nil {
		return err
	}
	r.Name, r.Email, r.Relation = id.Name, id.Email, id.Relation
	return nil
}

// referenceMailKey is the dedupe key of a referent's mail.
func referenceMailKey(p MailPayload) string {
	if p.Kind == MailReferenceReminder {
		return DeliveryKey(p.Kind, p.ReferentID, p.Stage)
	}
	return DeliveryKey(p.Kind, p.ReferentID)
}

// UpdateReferencesRequired sets how many referents the party's committee
// asks for by default (0 turns references off).
func (s *Store) UpdateReferencesRequired(ctx context.Context, actor Actor, partyID string, n int) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Party{}).Where("id = ?", partyID).Update("references_required", n).Error; err != nil {
			return err
		}
		return s.audit(tx, partyID, nil, actor, "party.references")
	})
}

// References returns a file's request (nil when none) and its referents,
// opened, in the candidate's order. Answers stay sealed.
func (s *Store) References(ctx context.Context, c *Candidate) (*ReferenceRequest, []Referent, error) {
	db := s.db.WithContext(ctx)
	var req ReferenceRequest
	err := db.Take(&req, "candidate_id = ?", c.ID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var rs []Referent
	if err := db.Where("candidate_id = ?", c.ID).Order("position").Find(&rs).Error; err != nil {
		return nil, nil, err
	}
	for i := range rs {
		if err := s.openReferent(c, &rs[i]); err != nil {
			return nil, nil, err
		}
	}
	return &req, rs, nil
}

// ReferentAnswers opens a referent's answers (nil before the answer); the
// caller audits the read.
func (s *Store) ReferentAnswers(c *Candidate, r *Referent) (questionnaires.Answers, error) {
	if r.Answers == nil {
		return nil, nil
	}
	b, err := s.open(c, r.Answers, referentAnswersAAD(r.ID))
	if err != nil {
		return nil, err
	}
	var a questionnaires.Answers
	return a, json.Unmarshal(b, &a)
}

// ReferenceDefinition is the version of the referents' questionnaire a
// referent answers (the latest at send time) or answered.
func (s *Store) ReferenceDefinition(version int) (*questionnaires.Definition, error) {
	if version > 0 {
		return s.forms.Get(ReferenceQuestionnaire, version)
	}
	return s.forms.Latest(ReferenceQuestionnaire)
}

// RequestReferences records the committee's request for wanted referents
// (0: the party's number) and writes the candidate's notice to the outbox.
func (s *Store) RequestReferences(ctx context.Context, actor Actor, c *Candidate, wanted int) (*ReferenceRequest, error) {
	var req ReferenceRequest
	err := s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if err := notRecused(tx, cc.ID, actor); err != nil {
			return err
		}
		if !slices.Contains(referenceStates, cc.Status) {
			return ErrReferencesFileState
		}
		if wanted == 0 {
			var p Party
			if err := tx.Select("references_required").Take(&p, "id = ?", cc.PartyID).Error; err != nil {
				return err
			}
			wanted = p.ReferencesRequired
		}
		if wanted <= 0 {
			return ErrReferencesOff
		}
		var n int64
		if err := tx.Model(&ReferenceRequest{}).Where("candidate_id = ?", cc.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrReferencesAsked
		}
		req = ReferenceRequest{CandidateID: cc.ID, Wanted: min(wanted, MaxReferences), RequestedBy: actor.ID, RequestedAt: s.now()}
		if err := tx.Create(&req).Error; err != nil {
			if duplicate(err) {
				return ErrReferencesAsked
			}
			return err
		}
		if err := s.addTasks(tx, mailTask(MailPayload{Kind: MailReferencesAsked, CandidateID: cc.ID, Seq: 1})); err != nil {
			return err
		}
		return s.audit(tx, cc.PartyID, &cc.ID, actor, "references.request")
	})
	if err != nil {
		return nil, err
	}
	return &req, nil
}

// NameReferents records the candidate's referents and consent, replacing
// earlier names, until the committee sent the requests.
func (s *Store) NameReferents(ctx context.Context, c *Candidate, in []ReferentInput) ([]Referent, error) {
	var out []Referent
	err := s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if err := s.opened(cc, c); err != nil {
			return err
		}
		var req ReferenceRequest
		if err := tx.Take(&req, "candidate_id = ?", cc.ID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNoReferences
			}
			return err
		}
		switch {
		case req.SentAt != nil:
			return ErrReferencesSent
		case !slices.Contains(referenceStates, cc.Status):
			return ErrReferencesFileState
		case len(in) != req.Wanted:
			return &ValidationError{Code: "referents", Fields: map[string]string{"referents": "count"}}
		}
		if err := tx.Where("candidate_id = ?", cc.ID).Delete(&Referent{}).Error; err != nil {
			return err
		}
		now := s.now()
		for i, r := range in {
			ref := Referent{ID: newID(), CandidateID: cc.ID, Position: i + 1, CreatedAt: now,
				Name: strings.TrimSpace(r.Name), Email: strings.TrimSpace(r.Email), Relation: strings.TrimSpace(r.Relation)}
			b, err := json.Marshal(referentIdentity{Name: ref.Name, Email: ref.Email, Relation: ref.Relation})
			if err != nil {
				return err
			}
			if ref.Sealed, err = s.seal(cc, b, referentAAD(ref.ID)); err != nil {
				return err
			}
			if err := tx.Create(&ref).Error; err != nil {
				return err
			}
			out = append(out, ref)
		}
		if err := tx.Model(&ReferenceRequest{}).Where("candidate_id = ?", cc.ID).Update("consent_at", now).Error; err != nil {
			return err
		}
		return s.audit(tx, cc.PartyID, &cc.ID, Actor{ID: cc.ID, Role: RoleKandidaat}, "references.name")
	})
	return out, err
}

// SendReferences sends the requests to the named referents: each mail is
// an outbox task of this transaction; the links expire after ttl, and
// never later than ReferenceGrace after the round deadline.
func (s *Store) SendReferences(ctx context.Context, actor Actor, c *Candidate, ttl time.Duration) (time.Time, error) {
	var exp time.Time
	err := s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if err := notRecused(tx, cc.ID, actor); err != nil {
			return err
		}
		var req ReferenceRequest
		if err := tx.Take(&req, "candidate_id = ?", cc.ID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNoReferences
			}
			return err
		}
		switch {
		case req.SentAt != nil:
			return ErrReferencesSent
		case req.ConsentAt == nil:
			return ErrReferencesUnnamed
		case !slices.Contains(referenceStates, cc.Status):
			return ErrReferencesFileState
		}
		var r Round
		if err := tx.Take(&r, "id = ?", cc.RoundID).Error; err != nil {
			return err
		}
		now := s.now()
		exp = now.Add(ttl)
		if limit := r.Deadline.Add(ReferenceGrace); limit.Before(exp) {
			exp = limit
		}
		if exp.Before(now.Add(MinReferenceTTL)) {
			return ErrReferencesTooLate
		}
		def, err := s.ReferenceDefinition(0)
		if err != nil {
			return err
		}
		var ids []string
		if err := tx.Model(&Referent{}).Where("candidate_id = ?", cc.ID).Order("position").Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return ErrReferencesUnnamed
		}
		if err := tx.Model(&Referent{}).Where("candidate_id = ?", cc.ID).
			Updates(map[string]any{"expires_at": exp, "questionnaire_version": def.Version}).Error; err != nil {
			return err
		}
		if err := tx.Model(&ReferenceRequest{}).Where("candidate_id = ? AND sent_at IS NULL", cc.ID).
			Updates(map[string]any{"sent_at": now, "sent_by": actor.ID}).Error; err != nil {
			return err
		}
		tasks := make([]OutboxTask, len(ids))
		for i, id := range ids {
			tasks[i] = mailTask(MailPayload{Kind: MailReference, CandidateID: cc.ID, ReferentID: id})
		}
		if err := s.addTasks(tx, tasks...); err != nil {
			return err
		}
		return s.audit(tx, cc.PartyID, &cc.ID, actor, "references.send")
	})
	return exp, err
}

// ClaimReferencesAsked claims the notice that asks the candidate to name
// referents (no link: the candidate opens the scan pages as always).
func (s *Store) ClaimReferencesAsked(ctx context.Context, candidateID string) (*MailContext, *ReferenceRequest, error) {
	var mc *MailContext
	var req ReferenceRequest
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if mc, err = s.loadMailContext(tx, candidateID); err != nil {
			return err
		}
		if err := tx.Take(&req, "candidate_id = ?", candidateID).Error; err != nil {
			return notFound(err)
		}
		if req.SentAt != nil || !slices.Contains(referenceStates, mc.Candidate.Status) {
			return ErrNotDue
		}
		mc.Key = DeliveryKey(MailReferencesAsked, candidateID, 1)
		return s.claim(tx, Delivery{Key: mc.Key, Kind: MailReferencesAsked, Seq: 1, CandidateID: &candidateID})
	})
	return mc, &req, err
}

// ReferenceMail is what the worker needs for a referent's mail.
type ReferenceMail struct {
	*MailContext
	Referent *Referent
}

// ClaimReferenceMail claims a referent's request (stage "") or reminder
// and creates the link's token now, at send time; a reminder's token
// replaces the earlier one, the expiry stays.
func (s *Store) ClaimReferenceMail(ctx context.Context, referentID, stage string) (*ReferenceMail, error) {
	var rm ReferenceMail
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var r Referent
		if err := tx.Take(&r, "id = ?", referentID).Error; err != nil {
			return notFound(err)
		}
		mc, err := s.loadMailContext(tx, r.CandidateID)
		if err != nil {
			return err
		}
		// Re-read under the file's lock (lock order: the file, then its rows).
		if err := tx.Take(&r, "id = ?", referentID).Error; err != nil {
			return notFound(err)
		}
		now := s.now()
		if r.AnsweredAt != nil || r.ExpiresAt == nil || !r.ExpiresAt.After(now) || !slices.Contains(referentLinkStates, mc.Candidate.Status) {
			return ErrNotDue
		}
		kind := MailReference
		if stage != "" {
			var req ReferenceRequest
			if err := tx.Select("sent_at").Take(&req, "candidate_id = ?", r.CandidateID).Error; err != nil {
				return notFound(err)
			}
			if due, ok := referenceReminderDue(&r, req.SentAt, now); !ok || due != stage {
				return ErrNotDue
			}
			kind = MailReferenceReminder
		}
		mc.Key = referenceMailKey(MailPayload{Kind: kind, ReferentID: r.ID, Stage: stage})
		if err := s.claim(tx, Delivery{Key: mc.Key, Kind: kind, CandidateID: &r.CandidateID}); err != nil {
			return err
		}
		if err := s.openReferent(mc.Candidate, &r); err != nil {
			return err
		}
		token, hash := secure.NewToken()
		if err := tx.Model(&Referent{}).Where("id = ?", r.ID).Update("token_hash", hash).Error; err != nil {
			return err
		}
		mc.Token, mc.Expires = token, *r.ExpiresAt
		rm = ReferenceMail{MailContext: mc, Referent: &r}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &rm, nil
}

// referenceReminderDue tells which reminder stage is due now: within two
// days of the end the last, within a week the first; nothing in the first
// day after the request, nothing after the end or after the answer.
func referenceReminderDue(r *Referent, sentAt *time.Time, now time.Time) (string, bool) {
	if r.AnsweredAt != nil || r.ExpiresAt == nil || r.TokenHash == nil || sentAt == nil || now.Sub(*sentAt) < referenceReminderWait {
		return "", false
	}
	left := r.ExpiresAt.Sub(now)
	switch {
	case left <= 0:
		return "", false
	case left <= 48*time.Hour:
		return ReferenceReminderLast, true
	case left <= 7*24*time.Hour:
		return ReferenceReminderFirst, true
	}
	return "", false
}

// ReferenceReminder is one reminder to a referent that should go out.
type ReferenceReminder struct {
	CandidateID, ReferentID, Stage string
}

// DueReferenceReminders lists the referents' reminders due now that were
// not sent yet (their first mail went out, no answer, link still alive).
func (s *Store) DueReferenceReminders(ctx context.Context) ([]ReferenceReminder, error) {
	db := s.db.WithContext(ctx)
	now := s.now()
	var rs []Referent
	if err := db.Select("id", "candidate_id", "token_hash", "expires_at", "answered_at").
		Where("answered_at IS NULL AND token_hash IS NOT NULL AND expires_at > ? AND expires_at <= ?", now, now.Add(7*24*time.Hour)).
		Find(&rs).Error; err != nil {
		return nil, err
	}
	var out []ReferenceReminder
	for i := range rs {
		r := &rs[i]
		var req ReferenceRequest
		if err := db.Select("sent_at").Take(&req, "candidate_id = ?", r.CandidateID).Error; err != nil {
			continue
		}
		stage, ok := referenceReminderDue(r, req.SentAt, now)
		if !ok {
			continue
		}
		var c Candidate
		if err := db.Select("status").Take(&c, "id = ?", r.CandidateID).Error; err != nil || !slices.Contains(referentLinkStates, c.Status) {
			continue
		}
		var first, done int64
		if err := db.Model(&Delivery{}).Where("key = ? AND status = ?", DeliveryKey(MailReference, r.ID), DeliverySent).Count(&first).Error; err != nil {
			return nil, err
		}
		key := DeliveryKey(MailReferenceReminder, r.ID, stage)
		if err := db.Model(&Delivery{}).Where("key = ? AND status IN ?", key, []string{DeliverySent, DeliveryFailed}).Count(&done).Error; err != nil {
			return nil, err
		}
		if first > 0 && done == 0 {
			out = append(out, ReferenceReminder{CandidateID: r.CandidateID, ReferentID: r.ID, Stage: stage})
		}
	}
	return out, nil
}

// ReferentFile is what a referent's link shows: who asks about whom, the
// questionnaire, until when. Nothing of the candidate's file.
type ReferentFile struct {
	Referent  *Referent
	Candidate string // the candidate's name
	Party     string
	Office    string
	Def       *questionnaires.Definition
	Expires   time.Time
}

// referentByHash finds a referent's link and says whether it still works:
// unknown → ErrNotFound; answered, expired, or a file that takes no
// answers → ErrGone.
func (s *Store) referentByHash(db *gorm.DB, hash string) (*Referent, *Candidate, error) {
	var r Referent
	if err := db.Take(&r, "token_hash = ?", hash).Error; err != nil {
		return nil, nil, notFound(err)
	}
	var c Candidate
	if err := db.Take(&c, "id = ?", r.CandidateID).Error; err != nil {
		return nil, nil, notFound(err)
	}
	if r.AnsweredAt != nil || r.ExpiresAt == nil || !r.ExpiresAt.After(s.now()) || !slices.Contains(referentLinkStates, c.Status) {
		return nil, nil, ErrGone
	}
	return &r, &c, nil
}

// ReferentFileByToken opens what a referent's link shows.
func (s *Store) ReferentFileByToken(ctx context.Context, token string) (*ReferentFile, error) {
	db := s.db.WithContext(ctx)
	r, c, err := s.referentByHash(db, secure.HashToken(token))
	if err != nil {
		return nil, err
	}
	if err := s.openCandidate(c); err != nil {
		return nil, err
	}
	if err := s.openReferent(c, r); err != nil {
		return nil, err
	}
	var rd Round
	if err := db.Take(&rd, "id = ?", c.RoundID).Error; err != nil {
		return nil, err
	}
	var p Party
	if err := db.Select("name").Take(&p, "id = ?", c.PartyID).Error; err != nil {
		return nil, err
	}
	def, err := s.ReferenceDefinition(r.QuestionnaireVersion)
	if err != nil {
		return nil, err
	}
	return &ReferentFile{Referent: r, Candidate: c.Name, Party: p.Name, Office: rd.Office, Def: def, Expires: *r.ExpiresAt}, nil
}

// AnswerReference stores a referent's answers, once: they are validated
// against the referent's questionnaire (every required question), sealed,
// and the link is used up.
func (s *Store) AnswerReference(ctx context.Context, token string, raw map[string]json.RawMessage) error {
	hash := secure.HashToken(token)
	r, _, err := s.referentByHash(s.db.WithContext(ctx), hash)
	if err != nil {
		return err
	}
	def, err := s.ReferenceDefinition(r.QuestionnaireVersion)
	if err != nil {
		return err
	}
	ans, bad := def.ValidateAnswers(raw)
	if len(bad) > 0 {
		return questionnaires.InvalidAnswers(bad)
	}
	if missing := def.Missing(ans); len(missing) > 0 {
		fields := map[string]string{}
		for _, id := range missing {
			fields[id] = "missing"
		}
		return &ValidationError{Code: "incomplete", Fields: fields}
	}
	ans = VisibleAnswers(def, ans)
	body, err := json.Marshal(ans)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		c, err := lockCandidate(tx, r.CandidateID)
		if err != nil {
			return err
		}
		// Checked again under the file's lock: a second answer, a reminder
		// that replaced the link, or a withdrawal since the first read.
		rr, _, err := s.referentByHash(tx, hash)
		if err != nil {
			return err
		}
		enc, err := s.seal(c, body, referentAnswersAAD(rr.ID))
		if err != nil {
			return err
		}
		res := tx.Model(&Referent{}).Where("id = ? AND answered_at IS NULL", rr.ID).
			Updates(map[string]any{"answers": enc, "answered_at": s.now(), "questionnaire_version": def.Version})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrGone
		}
		return s.audit(tx, c.PartyID, &c.ID, Actor{ID: rr.ID, Role: RoleReferent}, "references.answer")
	})
}

// RoleReferent is the audit role of a referent answering through a link.
const RoleReferent = "referent"
