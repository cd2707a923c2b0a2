package models

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/secure"
)

// InvitationTTL is how long an invitation link works unless the round
// deadline comes first.
const InvitationTTL = 14 * 24 * time.Hour

// Candidate loads a candidate.
func (s *Store) Candidate(ctx context.Context, id string) (*Candidate, error) {
	var c Candidate
	if err := s.db.WithContext(ctx).First(&c, "id = ?", id).Error; err != nil {
		return nil, notFound(err)
	}
	if err := s.openCandidate(&c); err != nil {
		return nil, err
	}
	return &c, nil
}

// opened opens a candidate re-read inside a transaction, reusing the data
// key of the value the caller already had (known may be nil).
func (s *Store) opened(c, known *Candidate) error {
	if known != nil && known.ID == c.ID && c.ci == nil {
		c.ci = known.ci
	}
	return s.openCandidate(c)
}

// lockCandidate re-reads the candidate inside tx and holds its row until
// commit (SELECT … FOR NO KEY UPDATE; see locks.go for the lock order), so
// that every check on what it read still holds when the transaction writes.
// The conditional update on status in move stays as a second guard.
func lockCandidate(tx *gorm.DB, id string) (*Candidate, error) {
	var c Candidate
	if err := tx.Clauses(rowLock).First(&c, "id = ?", id).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// move applies action to c inside tx with extra column updates; the status
// check in WHERE makes a concurrent transition lose cleanly (409).
func (s *Store) move(tx *gorm.DB, c *Candidate, a Action, extra map[string]any) error {
	to, err := next(c.Status, a)
	if err != nil {
		return err
	}
	upd := map[string]any{"status": to, "updated_at": s.now()}
	for k, v := range extra {
		upd[k] = v
	}
	res := tx.Model(&Candidate{}).Where("id = ? AND status = ?", c.ID, c.Status).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return &TransitionError{From: c.Status, Action: a}
	}
	c.Status = to
	return nil
}

// Invite adds a candidate to a round. The invitation mail (with its token)
// is an outbox task of the same transaction; the worker sends it.
func (s *Store) Invite(ctx context.Context, actor Actor, round *Round, name, email string) (*Candidate, error) {
	return s.InviteInLanguage(ctx, actor, round, name, email, DefaultLanguage)
}

// InviteInLanguage invites a candidate whose pages and mails (the first
// invitation included) are in lang (see models/language.go).
func (s *Store) InviteInLanguage(ctx context.Context, actor Actor, round *Round, name, email, lang string) (*Candidate, error) {
	if err := checkLanguage(lang); err != nil {
		return nil, err
	}
	now := s.now()
	c := &Candidate{ID: newID(), PartyID: round.PartyID, RoundID: round.ID, Name: strings.TrimSpace(name), Email: NormalizeEmail(email),
		Status: StatusInvited, Language: lang, InviteSeq: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.newDataKey(ctx, c); err != nil {
		return nil, err
	}
	if err := s.sealCandidate(ctx, c); err != nil {
		return nil, err
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		if err := s.addTasks(tx, invitationTask(c)); err != nil {
			return err
		}
		return s.audit(tx, c.PartyID, &c.ID, actor, "candidate.invite")
	})
	if err != nil {
		return nil, notFound(err)
	}
	return c, nil
}

// CandidateRow is a candidate with its latest decision (if any).
type CandidateRow struct {
	Candidate
	Decision *Decision
}

// Candidates lists a round's candidates; the files a committee member
// recused from (hiddenFrom) are left out as if they did not exist.
func (s *Store) Candidates(ctx context.Context, roundID, hiddenFrom string) ([]CandidateRow, error) {
	db := s.db.WithContext(ctx)
	var cs []Candidate
	q := db.Omit("reopen_message").Where("round_id = ?", roundID)
	if hiddenFrom != "" {
		q = q.Where("id NOT IN (?)", db.Model(&Recusal{}).Select("candidate_id").Where("user_id = ?", hiddenFrom))
	}
	if err := q.Order("created_at").Find(&cs).Error; err != nil {
		return nil, err
	}
	cs, err := s.openCandidates(ctx, cs)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Candidate, len(cs))
	for i := range cs {
		byID[cs[i].ID] = &cs[i]
	}
	var ds []Decision
	if err := db.Omit("reasons").Where("status <> ?", DecisionRejected).
		Where("candidate_id IN (?)", db.Model(&Candidate{}).Select("id").Where("round_id = ?", roundID)).Order("created_at").Find(&ds).Error; err != nil {
		return nil, err
	}
	latest := map[string]*Decision{}
	for i := range ds {
		c := byID[ds[i].CandidateID]
		if c == nil {
			continue // hidden from this reader, or shredded
		}
		if err := s.openDecision(c, &ds[i]); err != nil {
			return nil, err
		}
		latest[ds[i].CandidateID] = &ds[i]
	}
	out := make([]CandidateRow, len(cs))
	for i, c := range cs {
		out[i] = CandidateRow{Candidate: c, Decision: latest[c.ID]}
	}
	return out, nil
}

// LatestDecision returns the candidate's decision or nil.
func (s *Store) LatestDecision(ctx context.Context, c *Candidate) (*Decision, error) {
	var d Decision
	err := s.db.WithContext(ctx).Where("candidate_id = ? AND status <> ?", c.ID, DecisionRejected).Order("created_at DESC").Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &d, s.openDecision(c, &d)
}

// Resend issues a new invitation: the old link stops working now and the
// worker mails a new one.
func (s *Store) Resend(ctx context.Context, actor Actor, id string) (*Candidate, error) {
	var c *Candidate
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if c, err = lockCandidate(tx, id); err != nil {
			return err
		}
		if err := s.move(tx, c, ActResend, map[string]any{"invite_seq": c.InviteSeq + 1, "invite_token_hash": nil, "invite_expires_at": nil}); err != nil {
			return err
		}
		c.InviteSeq++
		if err := s.addTasks(tx, invitationTask(c)); err != nil {
			return err
		}
		return s.audit(tx, c.PartyID, &c.ID, actor, "candidate.resend")
	})
	if err != nil {
		return nil, err
	}
	return c, s.openCandidate(c)
}

// Revoke withdraws an invitation on the board's initiative.
func (s *Store) Revoke(ctx context.Context, actor Actor, id string) (*Candidate, error) {
	var c *Candidate
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if c, err = lockCandidate(tx, id); err != nil {
			return err
		}
		if err := s.move(tx, c, ActRevoke, map[string]any{"revoked_at": s.now()}); err != nil {
			return err
		}
		if err := tx.Where("candidate_id = ?", c.ID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return s.audit(tx, c.PartyID, &c.ID, actor, "candidate.revoke")
	})
	if err != nil {
		return nil, err
	}
	return c, s.openCandidate(c)
}

// IssueInvitation claims invitation seq, hands its context (with the fresh
// token) to send and records the outcome. The demo and tests use it to
// send synchronously; the worker does the same steps in its mail task.
func (s *Store) IssueInvitation(ctx context.Context, id string, seq int, send func(mc *MailContext) error) error {
	mc, err := s.ClaimInvitation(ctx, id, seq)
	if err != nil {
		return err
	}
	sendErr := send(mc)
	if err := s.FinishDelivery(ctx, mc.Key, sendErr, sendErr != nil); err != nil {
		return err
	}
	return sendErr
}

// AcceptInvitation opens a candidate session from a link in a mail. An
// invitation link opens a file that is still being filled in (it keeps
// working to resume) until it expires; it dies when the file is
// submitted. The other links (hearing, reopen, asked for) open the file
// until their own, shorter expiry.
func (s *Store) AcceptInvitation(ctx context.Context, token string) (string, *Candidate, error) {
	hash := secure.HashToken(token)
	var c *Candidate
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// Locked: the same link opened twice at once (a double click)
		// accepts once, and the second sees the file in progress.
		var cc Candidate
		err := tx.Clauses(rowLock).First(&cc, "invite_token_hash = ?", hash).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			c, err = s.acceptLink(tx, hash)
			return err
		}
		if err != nil {
			return err
		}
		c = &cc
		if c.Status != StatusInvited && c.Status != StatusInProgress {
			return ErrGone
		}
		if c.InviteExpiresAt != nil && !c.InviteExpiresAt.After(s.now()) {
			return ErrGone
		}
		if c.Status == StatusInvited {
			// Once accepted, the link works until the round deadline so the
			// candidate can resume.
			extra := map[string]any{"accepted_at": s.now()}
			var r Round
			if err := tx.Select("deadline").Take(&r, "id = ?", c.RoundID).Error; err != nil {
				return err
			}
			if c.InviteExpiresAt == nil || r.Deadline.After(*c.InviteExpiresAt) {
				extra["invite_expires_at"] = r.Deadline
			}
			if err := s.move(tx, c, ActAccept, extra); err != nil {
				return err
			}
			return s.audit(tx, c.PartyID, &c.ID, Actor{ID: c.ID, Role: RoleKandidaat}, "invitation.accept")
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	if err := s.openCandidate(c); err != nil {
		return "", nil, err
	}
	tok, err := s.CreateSession(ctx, nil, &c.ID)
	return tok, c, err
}

// Definition returns the questionnaire version pinned to the candidate's round.
func (s *Store) Definition(ctx context.Context, c *Candidate) (*questionnaires.Definition, *Round, error) {
	r, err := s.Round(ctx, c.RoundID)
	if err != nil {
		return nil, nil, err
	}
	def, err := s.forms.Get(r.QuestionnaireID, r.QuestionnaireVersion)
	if err != nil {
		return nil, nil, err
	}
	def = def.ForOffice(r.Office) // show_if may ask the office (version 2)
	return def, r, nil
}

// roundForm is the questionnaire pinned to a round, cached (see Store.roundForms).
func (s *Store) roundForm(ctx context.Context, roundID string) (*questionnaires.Definition, error) {
	if d, ok := s.roundForms.Load(roundID); ok {
		return d.(*questionnaires.Definition), nil
	}
	r, err := s.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	def, err := s.forms.Get(r.QuestionnaireID, r.QuestionnaireVersion)
	if err != nil {
		return nil, err
	}
	def = def.ForOffice(r.Office) // show_if may ask the office (version 2)
	s.roundForms.Store(roundID, def)
	return def, nil
}

// Consent records that the candidate read the privacy statement version.
func (s *Store) Consent(ctx context.Context, c *Candidate, version int) error {
	def, _, err := s.Definition(ctx, c)
	if err != nil {
		return err
	}
	if version != def.Privacy.Version {
		return &ValidationError{Code: "privacy_version", Fields: map[string]string{"privacy_version": "stale"}}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if _, err := next(cc.Status, ActAnswer); err != nil {
			return err
		}
		now := s.now()
		// The state checked above must still hold when the consent is
		// written (the row is locked; the condition says so again).
		res := tx.Model(&Candidate{}).Where("id = ? AND status IN ?", c.ID, transitions[ActAnswer].from).Updates(map[string]any{"consent_version": version, "consent_at": now, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &TransitionError{From: cc.Status, Action: ActAnswer}
		}
		return s.audit(tx, cc.PartyID, &cc.ID, Actor{ID: cc.ID, Role: RoleKandidaat}, "consent.give")
	})
}

// SaveAnswers validates and stores answers atomically: any invalid answer
// rejects the whole request and nothing is written.
func (s *Store) SaveAnswers(ctx context.Context, c *Candidate, raw map[string]json.RawMessage) (time.Time, error) {
	def, err := s.roundForm(ctx, c.RoundID)
	if err != nil {
		return time.Time{}, err
	}
	vals, errs := def.ValidateAnswers(raw)
	if len(errs) > 0 {
		return time.Time{}, questionnaires.InvalidAnswers(errs)
	}
	// Encrypt before the transaction opens: the data key lookup and the
	// sealing would otherwise keep a connection idle in transaction (the
	// benchmark saw a dozen at a time under autosave load).
	now := s.now()
	ci, err := s.cipher(c)
	if err != nil {
		return time.Time{}, err
	}
	var rows []Answer
	var del []string
	for qid, v := range vals {
		if v == nil {
			del = append(del, qid)
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return time.Time{}, err
		}
		enc, err := ci.Seal(b, c.ID+":answer:"+qid)
		if err != nil {
			return time.Time{}, err
		}
		rows = append(rows, Answer{CandidateID: c.ID, QuestionID: qid, Value: enc, UpdatedAt: now})
	}
	if len(del) == 0 && len(rows) > 0 && s.dialect == Postgres {
		// The common autosave (no cleared answers) is one statement: the
		// state check rides along in WHERE EXISTS, so there is no
		// transaction to open, hold and commit. It reads the same committed
		// state as the transaction below would.
		ok, err := s.upsertAnswers(ctx, c.ID, rows)
		if err != nil || ok {
			return now, err
		}
		// Nothing written: the transaction below says why.
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if _, err := next(cc.Status, ActAnswer); err != nil {
			return err
		}
		if cc.ConsentAt == nil {
			return ErrConsent
		}
		if len(del) > 0 {
			if err := tx.Where("candidate_id = ? AND question_id IN ?", cc.ID, del).Delete(&Answer{}).Error; err != nil {
				return err
			}
		}
		if len(rows) > 0 {
			if err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "candidate_id"}, {Name: "question_id"}},
				DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"}),
			}).Create(&rows).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return now, err
}

// upsertAnswers writes sealed answers in one statement when the candidate
// may answer (the workflow table's ActAnswer states, consent given); it
// reports false when the candidate may not, and wrote nothing. PostgreSQL.
func (s *Store) upsertAnswers(ctx context.Context, candidateID string, rows []Answer) (bool, error) {
	var b strings.Builder
	args := make([]any, 0, 4*len(rows)+2)
	b.WriteString("INSERT INTO answers (candidate_id, question_id, value, updated_at) SELECT v.c, v.q, v.v, v.t FROM (VALUES ")
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?::text, ?::text, ?::bytea, ?::timestamptz)")
		args = append(args, r.CandidateID, r.QuestionID, r.Value, r.UpdatedAt)
	}
	// FOR SHARE: an autosave that meets a transition of the file in
	// progress (Submit holds the row, see lockCandidate) waits for it and
	// then checks the new state, so no answer changes after a submission's
	// completeness check. Autosaves do not wait for each other.
	b.WriteString(") AS v(c, q, v, t) WHERE EXISTS (SELECT 1 FROM candidates WHERE id = ? AND status IN ? AND consent_at IS NOT NULL FOR SHARE)" +
		" ON CONFLICT (candidate_id, question_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
	args = append(args, candidateID, transitions[ActAnswer].from)
	res := s.db.WithContext(ctx).Exec(b.String(), args...)
	if res.Error != nil {
		return false, res.Error
	}
	return res.RowsAffected == int64(len(rows)), nil
}

// Answers decrypts all answers of a candidate.
func (s *Store) Answers(ctx context.Context, c *Candidate) (questionnaires.Answers, error) {
	return s.answers(s.db.WithContext(ctx), c)
}

func (s *Store) answers(db *gorm.DB, c *Candidate) (questionnaires.Answers, error) {
	var rows []Answer
	if err := db.Where("candidate_id = ?", c.ID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := questionnaires.Answers{}
	if len(rows) == 0 {
		return out, nil
	}
	ci, err := s.cipher(c)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		b, err := ci.Open(r.Value, c.ID+":answer:"+r.QuestionID)
		if err != nil {
			return nil, err
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, err
		}
		out[r.QuestionID] = v
	}
	return out, nil
}

// SubmittedAnswers is what the committee may read of a file's answers: the
// last submitted version (never the candidate's drafts after a reopen, nor
// the answers prefilled into a herhaalscan before the candidate submits),
// without the answers to questions that show_if hides. ok is false when no
// version was submitted.
func (s *Store) SubmittedAnswers(ctx context.Context, c *Candidate) (ans questionnaires.Answers, ok bool, err error) {
	switch c.Status {
	case StatusSubmitted, StatusProfiled, StatusDecided:
		// The answers cannot change in these states: they are the submission.
		if ans, err = s.Answers(ctx, c); err != nil {
			return nil, false, err
		}
	default:
		// Back with the candidate (reopened) or gone: the answers the
		// current profile was compiled from, if any.
		var rec ProfileRecord
		err := s.db.WithContext(ctx).Where("candidate_id = ? AND is_current = ?", c.ID, true).Take(&rec).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		v, err := s.decodeVersion(c, rec)
		if err != nil {
			return nil, false, err
		}
		ans = v.Answers
	}
	def, err := s.roundForm(ctx, c.RoundID)
	if err != nil {
		return nil, false, err
	}
	return VisibleAnswers(def, ans), true, nil
}

// VisibleAnswers leaves out the answers to questions that show_if hides
// (a candidate who answered F4_toelichting and then set F4 to "nee" did not
// submit that explanation).
func VisibleAnswers(def *questionnaires.Definition, ans questionnaires.Answers) questionnaires.Answers {
	vis := def.Visible(ans)
	out := make(questionnaires.Answers, len(ans))
	for k, v := range ans {
		if vis[k] {
			out[k] = v
		}
	}
	return out
}

// Submit checks completeness and hands the file to the committee; the
// compile of the new revision and the receipt are outbox tasks of its
// transaction.
func (s *Store) Submit(ctx context.Context, c *Candidate) (*Candidate, error) {
	def, _, err := s.Definition(ctx, c)
	if err != nil {
		return nil, err
	}
	var out *Candidate
	err = s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if _, err := next(cc.Status, ActSubmit); err != nil {
			return err
		}
		ans, err := s.answers(tx, cc)
		if err != nil {
			return err
		}
		if missing := def.Missing(ans); len(missing) > 0 {
			f := make(map[string]string, len(missing))
			for _, q := range missing {
				f[q] = "missing"
			}
			return &ValidationError{Code: "incomplete", Fields: f}
		}
		now := s.now()
		// The invitation link dies with the submission: an old mail must
		// not open the file again (a hearing notice or a requested link
		// carries a link of its own).
		if err := s.move(tx, cc, ActSubmit, map[string]any{"submitted_at": now, "revision": cc.Revision + 1, "reopen_message": nil, "invite_token_hash": nil}); err != nil {
			return err
		}
		if cc.InviteTokenHash != nil {
			// Kept as an expired link, so that the old mail says "this link
			// no longer works" (410) rather than "unknown".
			if err := tx.Create(&CandidateLink{ID: newID(), CandidateID: cc.ID, Purpose: LinkRetired, TokenHash: cc.InviteTokenHash, ExpiresAt: &now, CreatedAt: now}).Error; err != nil {
				return err
			}
		}
		// So does the link of a reopen notice: it served the changes the
		// committee asked for, and the file has left the candidate again
		// (kept, expired, so that the old mail answers 410).
		if err := tx.Model(&CandidateLink{}).Where("candidate_id = ? AND purpose = ? AND expires_at > ?", cc.ID, LinkReopen, now).
			Update("expires_at", now).Error; err != nil {
			return err
		}
		cc.Revision++
		cc.SubmittedAt, cc.InviteTokenHash, cc.ReopenMessage = &now, nil, nil
		out = cc
		// The compile of this revision and the receipt.
		if err := s.addTasks(tx, compileTask(cc.ID, cc.Revision), mailTask(MailPayload{Kind: MailReceipt, CandidateID: cc.ID, Seq: cc.Revision})); err != nil {
			return err
		}
		return s.audit(tx, cc.PartyID, &cc.ID, Actor{ID: cc.ID, Role: RoleKandidaat}, "candidate.submit")
	})
	if err != nil {
		return nil, err
	}
	return out, s.opened(out, c)
}

// Withdraw takes the candidate out of the round on their own initiative.
func (s *Store) Withdraw(ctx context.Context, c *Candidate) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if err := s.move(tx, cc, ActWithdraw, map[string]any{"withdrawn_at": s.now()}); err != nil {
			return err
		}
		return s.audit(tx, cc.PartyID, &cc.ID, Actor{ID: cc.ID, Role: RoleKandidaat}, "candidate.withdraw")
	})
}

// ReopenMessage decrypts the committee's reopen message, if any.
func (s *Store) ReopenMessage(c *Candidate) (string, error) {
	if len(c.ReopenMessage) == 0 {
		return "", nil
	}
	b, err := s.open(c, c.ReopenMessage, "reopen")
	return string(b), err
}

// invitationTask is the mail of the candidate's current invitation.
func invitationTask(c *Candidate) OutboxTask {
	return mailTask(MailPayload{Kind: MailInvitation, CandidateID: c.ID, Seq: c.InviteSeq})
}
