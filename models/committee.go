package models

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// VOG status values (docs/architecture.md §9). "verlopen" is computed, never stored.
var VOGStatuses = []string{"niet_gevraagd", "klaargezet", "aangevraagd", "afgegeven", "voornemen_tot_weigering", "geweigerd", "ingetrokken"}

// DefaultScreeningProfile is Justis' profile for political office holders.
const DefaultScreeningProfile = "01 politieke ambtsdragers"

// Decision outcomes.
var Outcomes = []string{"positief", "positief_met_voorwaarden", "negatief"}

// CompileInput is a candidate's whole file: everything Evaluate needs,
// and what the candidate's own views show.
type CompileInput struct {
	Candidate *Candidate
	Round     *Round
	Party     *Party
	Def       *questionnaires.Definition
	Answers   questionnaires.Answers
	VOG       *VOGRecord
}

// CompileInput loads the inputs of a profile compile.
func (s *Store) CompileInput(ctx context.Context, id string) (*CompileInput, error) {
	c, err := s.Candidate(ctx, id)
	if err != nil {
		return nil, err
	}
	def, r, err := s.Definition(ctx, c)
	if err != nil {
		return nil, err
	}
	p, err := s.Party(ctx, c.PartyID)
	if err != nil {
		return nil, err
	}
	ans, err := s.Answers(ctx, c)
	if err != nil {
		return nil, err
	}
	vog, err := s.VOG(ctx, c)
	if err != nil {
		return nil, err
	}
	return &CompileInput{Candidate: c, Round: r, Party: p, Def: def, Answers: ans, VOG: vog}, nil
}

// ErrStale tells the worker that the candidate moved on (withdrawn, reopened).
var ErrStale = errors.New("candidate no longer needs this compile")

// SaveProfile stores a compiled profile as the current version, unless an
// identical one (same input hash) is already current. It moves a submitted
// candidate to profiled (and writes the committee's profile-ready mails as
// outbox tasks) and removes the compile's own outbox task, all in one
// transaction. It reports whether a new version was written.
func (s *Store) SaveProfile(ctx context.Context, id string, revision int, p questionnaires.Profile, answers questionnaires.Answers, inputHash string) (bool, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return false, err
	}
	ansJSON, err := json.Marshal(answers)
	if err != nil {
		return false, err
	}
	wrote := false
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// A recompile keeps the status (profiled → profiled), so move's
		// conditional update cannot order two runs of the same task (asynq
		// delivers at least once): the row lock holds the file until
		// commit, or each run would add a current version (the unique
		// index profiles_one_current_idx refuses a second one anyway).
		c, err := lockCandidate(tx, id)
		if err != nil {
			return err
		}
		act := ActCompile
		if c.Status == StatusSubmitted {
			act = ActProfile
		}
		if !Allowed(c.Status, act) || c.Revision != revision {
			return ErrStale
		}
		var cur ProfileRecord
		err = tx.Where("candidate_id = ? AND is_current = ?", id, true).Take(&cur).Error
		switch {
		case err == nil && cur.InputHash == inputHash:
			if cur.Revision != revision {
				if err := tx.Model(&ProfileRecord{}).Where("id = ?", cur.ID).UpdateColumn("revision", revision).Error; err != nil {
					return err
				}
			}
		case err == nil || errors.Is(err, gorm.ErrRecordNotFound):
			if err := tx.Model(&ProfileRecord{}).Where("candidate_id = ? AND is_current = ?", id, true).UpdateColumn("is_current", false).Error; err != nil {
				return err
			}
			enc, err := s.seal(c, body, "profile")
			if err != nil {
				return err
			}
			encAns, err := s.seal(c, ansJSON, "profile.answers")
			if err != nil {
				return err
			}
			rec := ProfileRecord{ID: newID(), CandidateID: id, Revision: revision, QuestionnaireVersion: p.QuestionnaireVersion,
				InputHash: inputHash, Overall: string(p.Overall), Body: enc, Answers: encAns, IsCurrent: true, CompiledAt: s.now()}
			if err := tx.Create(&rec).Error; err != nil {
				if duplicate(err) {
					return ErrStale // another run made its version current
				}
				return err
			}
			wrote = true
		default:
			return err
		}
		level := string(p.Overall)
		levelEnc, err := s.sealLevel(c, &level)
		if err != nil {
			return err
		}
		extra := map[string]any{"level_enc": levelEnc, "profiled_at": s.now(), "profile_revision": revision}
		if err := s.move(tx, c, act, extra); err != nil {
			return err
		}
		// This compile's outbox task is done with this transaction.
		if err := taskDone(tx, CompileTaskID(id, revision)); err != nil {
			return err
		}
		if act == ActProfile {
			// The committee hears that a submitted file is ready (no content).
			if err := s.notifyMembers(tx, c, MailProfileReady, RoleCommissie, revision); err != nil {
				return err
			}
		}
		if !wrote {
			return nil
		}
		return s.audit(tx, c.PartyID, &c.ID, SystemActor, "profile.compile")
	})
	return wrote, err
}

// Profile returns the current profile, or ErrNotFound before the first compile.
func (s *Store) Profile(ctx context.Context, c *Candidate) (*questionnaires.Profile, *ProfileRecord, error) {
	var rec ProfileRecord
	if err := s.db.WithContext(ctx).Where("candidate_id = ? AND is_current = ?", c.ID, true).Take(&rec).Error; err != nil {
		return nil, nil, notFound(err)
	}
	b, err := s.open(c, rec.Body, "profile")
	if err != nil {
		return nil, nil, err
	}
	var p questionnaires.Profile
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, nil, err
	}
	rec.Overall = string(p.Overall)
	return &p, &rec, nil
}

// VOGInput is the committee's VOG update.
type VOGInput struct {
	Status           string
	KlaargezetOn     *string
	RequestedOn      *string
	IssuedOn         *string
	ScreeningProfile *string
	ValidatedBy      *string
}

// VOG returns the VOG record or nil.
func (s *Store) VOG(ctx context.Context, c *Candidate) (*VOGRecord, error) {
	var v VOGRecord
	err := s.db.WithContext(ctx).Take(&v, "candidate_id = ?", c.ID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &v, s.openVOG(c, &v)
}

// SetVOG records the VOG status and dates; a changed VOG bumps the
// revision and (for a screened file) writes its recompile as an outbox task.
func (s *Store) SetVOG(ctx context.Context, actor Actor, c *Candidate, in VOGInput) (*VOGRecord, *Candidate, error) {
	var rec VOGRecord
	var out *Candidate
	err := s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if err := s.opened(cc, c); err != nil {
			return err
		}
		if err := notRecused(tx, cc.ID, actor); err != nil {
			return err
		}
		switch cc.Status {
		case StatusWithdrawn, StatusRevoked, StatusExpired:
			return &TransitionError{From: cc.Status, Action: "vog"}
		}
		err = tx.Take(&rec, "candidate_id = ?", cc.ID).Error
		isNew := errors.Is(err, gorm.ErrRecordNotFound)
		if err != nil && !isNew {
			return err
		}
		if !isNew {
			if err := s.openVOG(cc, &rec); err != nil {
				return err
			}
		}
		if isNew {
			rec = VOGRecord{CandidateID: cc.ID, Status: "niet_gevraagd", ScreeningProfile: DefaultScreeningProfile}
		}
		if !VOGStepAllowed(rec.Status, in.Status) {
			return &VOGStepError{From: rec.Status, To: in.Status}
		}
		rec.Status = in.Status
		if in.KlaargezetOn != nil {
			rec.KlaargezetOn = in.KlaargezetOn
		}
		if in.RequestedOn != nil {
			rec.RequestedOn = in.RequestedOn
		}
		if in.IssuedOn != nil {
			rec.IssuedOn = in.IssuedOn
		}
		if in.ScreeningProfile != nil {
			rec.ScreeningProfile = *in.ScreeningProfile
		}
		if in.ValidatedBy != nil {
			rec.ValidatedBy = in.ValidatedBy
		}
		rec.UpdatedBy = actor.ID
		rec.UpdatedAt = s.now()
		if err := s.sealVOG(cc, &rec); err != nil {
			return err
		}
		if err := tx.Save(&rec).Error; err != nil {
			return err
		}
		if err := tx.Model(&Candidate{}).Where("id = ?", cc.ID).Updates(map[string]any{"revision": cc.Revision + 1, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		cc.Revision++
		out = cc
		if Allowed(cc.Status, ActCompile) || Allowed(cc.Status, ActProfile) {
			if err := s.addTasks(tx, compileTask(cc.ID, cc.Revision)); err != nil {
				return err
			}
		}
		return s.audit(tx, cc.PartyID, &cc.ID, actor, "vog.update")
	})
	if err != nil {
		return nil, nil, err
	}
	return &rec, out, nil
}

// NoteView is a decrypted note.
type NoteView struct {
	ID        string    `json:"id"`
	AuthorID  string    `json:"author_id"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// AddNote stores an encrypted committee note.
func (s *Store) AddNote(ctx context.Context, actor Actor, c *Candidate, body string) (*NoteView, error) {
	enc, err := s.seal(c, []byte(body), "note")
	if err != nil {
		return nil, err
	}
	n := Note{ID: newID(), CandidateID: c.ID, AuthorID: actor.ID, Body: enc, CreatedAt: s.now()}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// The guard let the member in at the start of the request; a
		// recusal committed since then (another tab) is checked under the
		// file's lock, as for every other committee write.
		if _, err := lockCandidate(tx, c.ID); err != nil {
			return err
		}
		if err := notRecused(tx, c.ID, actor); err != nil {
			return err
		}
		if err := tx.Create(&n).Error; err != nil {
			return err
		}
		return s.audit(tx, c.PartyID, &c.ID, actor, "notes.create")
	})
	if err != nil {
		return nil, err
	}
	return &NoteView{ID: n.ID, AuthorID: n.AuthorID, Body: body, CreatedAt: n.CreatedAt}, nil
}

// Notes decrypts a candidate's notes (the caller audits the read).
func (s *Store) Notes(ctx context.Context, c *Candidate) ([]NoteView, error) {
	var ns []Note
	if err := s.db.WithContext(ctx).Where("candidate_id = ?", c.ID).Order("created_at").Find(&ns).Error; err != nil {
		return nil, err
	}
	out := make([]NoteView, 0, len(ns))
	for _, n := range ns {
		b, err := s.open(c, n.Body, "note")
		if err != nil {
			return nil, err
		}
		out = append(out, NoteView{ID: n.ID, AuthorID: n.AuthorID, Body: string(b), CreatedAt: n.CreatedAt})
	}
	return out, nil
}

// DecisionReasons decrypts a decision's reasons.
func (s *Store) DecisionReasons(c *Candidate, d *Decision) (string, error) {
	b, err := s.open(c, d.Reasons, "decision")
	return string(b), err
}

// Reopen sends the file back to the candidate with a message.
func (s *Store) Reopen(ctx context.Context, actor Actor, c *Candidate, message string) error {
	enc, err := s.seal(c, []byte(message), "reopen")
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if err := notRecused(tx, cc.ID, actor); err != nil {
			return err
		}
		if err := s.move(tx, cc, ActReopen, map[string]any{"reopen_message": enc}); err != nil {
			return err
		}
		// A proposal on the old answers no longer holds.
		if _, err := s.rejectPending(tx, cc.ID, actor, ""); err != nil {
			return err
		}
		// The candidate hears that the file is back, with a link of its own
		// (the invitation link died when they submitted).
		if err := s.addTasks(tx, mailTask(MailPayload{Kind: MailReopen, CandidateID: cc.ID, Seq: cc.Revision})); err != nil {
			return err
		}
		return s.audit(tx, cc.PartyID, &cc.ID, actor, "candidate.reopen")
	})
}

// AddOutboxMail keeps a mail in the dev outbox, sealed under the key
// store's outbox key.
func (s *Store) AddOutboxMail(ctx context.Context, to, subject, text string) error {
	ci, err := s.outboxCipher(ctx)
	if err != nil {
		return err
	}
	b, err := json.Marshal(outboxMail{To: to, Subject: subject, Text: text})
	if err != nil {
		return err
	}
	m := OutboxMail{ID: newID(), SentAt: s.now()}
	if m.Sealed, err = ci.Seal(b, "outbox:"+m.ID); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Create(&m).Error
}

// OutboxMails lists the dev outbox, oldest first.
func (s *Store) OutboxMails(ctx context.Context) ([]OutboxMail, error) {
	var ms []OutboxMail
	if err := s.db.WithContext(ctx).Order("sent_at, id").Find(&ms).Error; err != nil {
		return nil, err
	}
	ci, err := s.outboxCipher(ctx)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		b, err := ci.Open(ms[i].Sealed, "outbox:"+ms[i].ID)
		if err != nil {
			return nil, err
		}
		var m outboxMail
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, err
		}
		ms[i].ToAddr, ms[i].Subject, ms[i].BodyText = m.To, m.Subject, m.Text
	}
	return ms, nil
}

// WithTx runs fn with a Store bound to the transaction (for mail senders
// that write the outbox inside IssueInvitation).
func (s *Store) WithTx(tx *gorm.DB) *Store {
	cp := *s
	cp.db = tx
	return &cp
}

// ActorNames maps the actor ids of events to display names: users by name,
// candidates as "kandidaat", the worker as "systeem".
func (s *Store) ActorNames(ctx context.Context, evs []AuditEvent) map[string]string {
	out := map[string]string{}
	var ids []string
	for _, e := range evs {
		switch e.ActorRole {
		case RoleKandidaat:
			out[e.ActorID] = "kandidaat"
		case SystemActor.Role:
			out[e.ActorID] = "systeem"
		default:
			ids = append(ids, e.ActorID)
		}
	}
	if len(ids) > 0 {
		var us []User
		if err := s.db.WithContext(ctx).Select("id", "name").Where("id IN ?", ids).Find(&us).Error; err == nil {
			for _, u := range us {
				out[u.ID] = u.Name
			}
		}
	}
	return out
}

// ProfileVersions counts the stored profile versions of a candidate.
func (s *Store) ProfileVersions(ctx context.Context, candidateID string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&ProfileRecord{}).Where("candidate_id = ?", candidateID).Count(&n).Error
	return int(n), err
}
