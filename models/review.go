package models

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// HearingWindow is how long a candidate has to reply to a hearing.
const HearingWindow = 7 * 24 * time.Hour

// ReviewError is a refusal by a review rule (409): the four-eyes rule, the
// hearing before a negative advice, one open proposal at a time.
type ReviewError struct {
	// Code is the API's error code; two refusals may share one (the
	// application layer tells them apart by identity for their text).
	Code string
}

func (e *ReviewError) Error() string { return "refused: " + e.Code }

// Review refusals.
var (
	ErrNeedHearing     = &ReviewError{"hoor_en_wederhoor"}
	ErrOwnProposal     = &ReviewError{"vier_ogen"}
	ErrProposalPending = &ReviewError{"voorstel_open"}
	ErrNoProposal      = &ReviewError{"geen_voorstel"}
	ErrHearingOpen     = &ReviewError{"hoorzitting_open"}
	ErrNoHearing       = &ReviewError{"geen_hoorzitting"}
	ErrAlreadyReplied  = &ReviewError{"al_gereageerd"}
	ErrRecused         = &ReviewError{"al_teruggetrokken"}
	ErrReplyTooLate    = &ReviewError{"termijn_verstreken"}
)

// ---- recusal ----

// IsRecused reports whether a committee member stepped aside from a candidate.
func (s *Store) IsRecused(ctx context.Context, userID, candidateID string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Recusal{}).Where("user_id = ? AND candidate_id = ?", userID, candidateID).Count(&n).Error
	return n > 0, err
}

// Recuse records a conflict of interest; there is no way back for the
// member. It holds for the person, not just this file: every file linked
// through a herhaalscan (the previous_id chain, both ways) gets the recusal
// too, and a later herhaalscan inherits it (copyRecusals).
func (s *Store) Recuse(ctx context.Context, actor Actor, c *Candidate, reason string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		// The files first (in id order, see locks.go): a proposal, hearing
		// or VOG change by this member on any of them waits for the
		// recusal and is then refused (notRecused), or comes first and its
		// proposal falls below.
		files, err := linkedFiles(tx, c)
		if err != nil {
			return err
		}
		ids := make([]string, len(files))
		for i, f := range files {
			ids[i] = f.ID
		}
		if _, err := lockCandidates(tx, ids, rowLock); err != nil {
			return err
		}
		// The audit event takes the party's lock, so a herhaalscan created
		// at the same moment (which takes it before copying the recusals)
		// either sees this recusal or is seen by linkedFiles again here;
		// such a new file is only invited (nothing to lock for).
		if err := s.audit(tx, c.PartyID, &c.ID, actor, "recusal.create"); err != nil {
			return err
		}
		if files, err = linkedFiles(tx, c); err != nil {
			return err
		}
		for _, f := range files {
			enc, err := s.seal(f, []byte(reason), "recusal")
			if err != nil {
				return err
			}
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&Recusal{ID: newID(), CandidateID: f.ID, UserID: actor.ID, Reason: enc, CreatedAt: s.now()})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				if f.ID == c.ID {
					return ErrRecused
				}
				continue // already recused from that file
			}
			// A pending proposal by the recused member falls with the recusal.
			if _, err := s.rejectPending(tx, f.ID, actor, actor.ID); err != nil {
				return err
			}
			if f.ID != c.ID {
				if err := s.audit(tx, f.PartyID, &f.ID, actor, "recusal.create"); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// linkedFiles returns c and every file of the same person linked to it
// through herhaalscans (previous_id, in both directions, any length).
func linkedFiles(tx *gorm.DB, c *Candidate) ([]*Candidate, error) {
	out := []*Candidate{c}
	seen := map[string]bool{c.ID: true}
	next := []string{c.ID} // files whose successors are still to load
	var prev []string      // predecessors still to load
	if c.PreviousID != nil {
		prev = append(prev, *c.PreviousID)
	}
	for len(next) > 0 || len(prev) > 0 {
		q := tx.Omit("reopen_message", "network").Where("party_id = ?", c.PartyID)
		switch {
		case len(next) > 0 && len(prev) > 0:
			q = q.Where("previous_id IN ? OR id IN ?", next, prev)
		case len(next) > 0:
			q = q.Where("previous_id IN ?", next)
		default:
			q = q.Where("id IN ?", prev)
		}
		var rows []Candidate
		if err := q.Find(&rows).Error; err != nil {
			return nil, err
		}
		next, prev = nil, nil
		for i := range rows {
			r := &rows[i]
			if seen[r.ID] {
				continue
			}
			seen[r.ID] = true
			out = append(out, r)
			next = append(next, r.ID)
			if r.PreviousID != nil && !seen[*r.PreviousID] {
				prev = append(prev, *r.PreviousID)
			}
		}
	}
	return out, nil
}

// recusalReason decrypts a recusal's reason; recusals carried over to a
// linked file by the migration (00010) have none of their own.
func (s *Store) recusalReason(c *Candidate, r Recusal) (string, error) {
	if len(r.Reason) == 0 {
		return RecusalReasonLinked, nil
	}
	b, err := s.open(c, r.Reason, "recusal")
	return string(b), err
}

// RecusalReasonLinked stands in for the reason of a recusal made on a
// linked file before recusals were carried over when made.
const RecusalReasonLinked = "Teruggetrokken bij een eerdere of latere scan van dezelfde persoon."

// RecusalView is a recusal as the other members see it.
type RecusalView struct {
	UserID    string    `json:"user_id"`
	Name      string    `json:"name"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

// Recusals lists who stepped aside from a candidate.
func (s *Store) Recusals(ctx context.Context, c *Candidate) ([]RecusalView, error) {
	var rs []Recusal
	if err := s.db.WithContext(ctx).Where("candidate_id = ?", c.ID).Order("created_at").Find(&rs).Error; err != nil {
		return nil, err
	}
	out := make([]RecusalView, 0, len(rs))
	for _, r := range rs {
		reason, err := s.recusalReason(c, r)
		if err != nil {
			return nil, err
		}
		var u User
		if err := s.db.WithContext(ctx).Select("id", "name").Take(&u, "id = ?", r.UserID).Error; err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, err
		}
		out = append(out, RecusalView{UserID: r.UserID, Name: u.Name, Reason: reason, CreatedAt: r.CreatedAt})
	}
	return out, nil
}

// eligibleDeciders counts the committee members who are not recused.
func eligibleDeciders(tx *gorm.DB, c *Candidate) (int64, error) {
	var n int64
	err := tx.Model(&Membership{}).Where("party_id = ? AND role = ? AND status = ?", c.PartyID, RoleCommissie, MemberActive).
		Where("user_id NOT IN (?)", tx.Model(&Recusal{}).Select("user_id").Where("candidate_id = ?", c.ID)).Count(&n).Error
	return n, err
}

// ---- hearing ----

// HearingFlag is a flag put to the candidate: what was found and the question.
type HearingFlag struct {
	Rule    string `json:"rule"`
	Finding string `json:"finding"`
	Ask     string `json:"ask"`
	// Source is questionnaires.SourceCommittee for a finding of the
	// committee's open-source research: the candidate is told it was not
	// in their answers.
	Source string `json:"source,omitempty"`
}

// HearingView is a decrypted hearing.
type HearingView struct {
	ID        string        `json:"id"`
	Revision  int           `json:"revision"`
	Flags     []HearingFlag `json:"flags"`
	Message   string        `json:"message"`
	OpenedBy  string        `json:"opened_by"`
	OpenedAt  time.Time     `json:"opened_at"`
	ReplyDue  time.Time     `json:"reply_due"`
	Reply     *string       `json:"reply"`
	RepliedAt *time.Time    `json:"replied_at"`
}

// settled: the candidate replied, or the reply window has passed.
func (h HearingView) settled(now time.Time) bool {
	return h.RepliedAt != nil || !now.Before(h.ReplyDue)
}

// OpenHearing puts chosen flags of the current profile, and findings of
// the committee's open-source research, to the candidate.
func (s *Store) OpenHearing(ctx context.Context, actor Actor, c *Candidate, rules []string, message string) (*HearingView, error) {
	prof, rec, err := s.Profile(ctx, c)
	if err != nil {
		return nil, err
	}
	found, _, err := s.SourceFlags(ctx, c)
	if err != nil {
		return nil, err
	}
	all := append(slices.Clip(prof.Flags), found...)
	var flags []HearingFlag
	var unknown []string
	for _, r := range rules {
		found := false
		for _, f := range all {
			if f.Rule == r {
				flags, found = append(flags, HearingFlag{Rule: f.Rule, Finding: f.Finding, Ask: f.Ask, Source: f.Source}), true
				break
			}
		}
		if !found {
			unknown = append(unknown, r)
		}
	}
	if len(unknown) > 0 {
		return nil, &ValidationError{Code: "flags", Fields: map[string]string{"flags": "unknown"}, Params: unknown}
	}
	now := s.now()
	fb, _ := json.Marshal(flags)
	encFlags, err := s.seal(c, fb, "hearing.flags")
	if err != nil {
		return nil, err
	}
	encMsg, err := s.seal(c, []byte(message), "hearing.message")
	if err != nil {
		return nil, err
	}
	h := Hearing{ID: newID(), CandidateID: c.ID, Revision: rec.Revision, Flags: encFlags, Message: encMsg, OpenedBy: actor.ID, OpenedAt: now, ReplyDue: now.Add(HearingWindow)}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if err := notRecused(tx, cc.ID, actor); err != nil {
			return err
		}
		// One open hearing at a time, checked under the candidate's lock
		// (OpenHearing at the same moment waits for it). "Open" depends on
		// the clock, so no unique index can say it.
		hs, err := hearingTimes(tx, cc.ID)
		if err != nil {
			return err
		}
		for _, o := range hs {
			if !o.settled(now) {
				return ErrHearingOpen
			}
		}
		if cc.Status != StatusProfiled {
			return &TransitionError{From: cc.Status, Action: "hearing"}
		}
		if err := tx.Create(&h).Error; err != nil {
			return err
		}
		// The candidate gets a mail that the committee has questions.
		if err := s.addTasks(tx, mailTask(MailPayload{Kind: MailHearing, HearingID: h.ID})); err != nil {
			return err
		}
		return s.audit(tx, c.PartyID, &c.ID, actor, "hearing.open")
	})
	if err != nil {
		return nil, err
	}
	return &HearingView{ID: h.ID, Revision: h.Revision, Flags: flags, Message: message, OpenedBy: actor.ID, OpenedAt: now, ReplyDue: h.ReplyDue}, nil
}

// Hearings decrypts a candidate's hearings, oldest first.
func (s *Store) Hearings(ctx context.Context, c *Candidate) ([]HearingView, error) {
	var hs []Hearing
	if err := s.db.WithContext(ctx).Where("candidate_id = ?", c.ID).Order("opened_at").Find(&hs).Error; err != nil {
		return nil, err
	}
	out := make([]HearingView, 0, len(hs))
	for _, h := range hs {
		fb, err := s.open(c, h.Flags, "hearing.flags")
		if err != nil {
			return nil, err
		}
		msg, err := s.open(c, h.Message, "hearing.message")
		if err != nil {
			return nil, err
		}
		v := HearingView{ID: h.ID, Revision: h.Revision, Message: string(msg), OpenedBy: h.OpenedBy, OpenedAt: h.OpenedAt, ReplyDue: h.ReplyDue, RepliedAt: h.RepliedAt}
		if err := json.Unmarshal(fb, &v.Flags); err != nil {
			return nil, err
		}
		if h.Reply != nil {
			r, err := s.open(c, h.Reply, "hearing.reply")
			if err != nil {
				return nil, err
			}
			rs := string(r)
			v.Reply = &rs
		}
		out = append(out, v)
	}
	return out, nil
}

// ReplyHearing stores the candidate's written reply to the open hearing.
func (s *Store) ReplyHearing(ctx context.Context, c *Candidate, reply string) (*HearingView, error) {
	hs, err := s.Hearings(ctx, c)
	if err != nil {
		return nil, err
	}
	if len(hs) == 0 {
		return nil, ErrNoHearing
	}
	h := hs[len(hs)-1]
	if h.RepliedAt != nil {
		return nil, ErrAlreadyReplied
	}
	now := s.now()
	if !now.Before(h.ReplyDue) {
		return nil, ErrReplyTooLate
	}
	enc, err := s.seal(c, []byte(reply), "hearing.reply")
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// A candidate who withdrew (or whose file was closed) while the
		// session lived no longer answers: the file is locked so that a
		// withdrawal at the same moment is either before or after.
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		switch cc.Status {
		case StatusWithdrawn, StatusRevoked, StatusExpired:
			return &TransitionError{From: cc.Status, Action: "hearing.reply"}
		}
		res := tx.Model(&Hearing{}).Where("id = ? AND replied_at IS NULL", h.ID).Updates(map[string]any{"reply": enc, "replied_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrAlreadyReplied
		}
		// The hearing link served its purpose: an old notice mail no longer
		// opens the file (kept, expired, so it answers 410).
		if err := tx.Model(&CandidateLink{}).Where("candidate_id = ? AND purpose = ? AND expires_at > ?", c.ID, LinkHearing, now).
			Update("expires_at", now).Error; err != nil {
			return err
		}
		return s.audit(tx, c.PartyID, &c.ID, Actor{ID: c.ID, Role: RoleKandidaat}, "hearing.reply")
	})
	if err != nil {
		return nil, err
	}
	h.Reply, h.RepliedAt = &reply, &now
	return &h, nil
}

// hearingTimes reads the times of a candidate's hearings (no content)
// inside tx.
func hearingTimes(tx *gorm.DB, candidateID string) ([]HearingView, error) {
	var hs []Hearing
	if err := tx.Select("id", "opened_at", "reply_due", "replied_at").Where("candidate_id = ?", candidateID).Order("opened_at").Find(&hs).Error; err != nil {
		return nil, err
	}
	out := make([]HearingView, len(hs))
	for i, h := range hs {
		out[i] = HearingView{ID: h.ID, OpenedAt: h.OpenedAt, ReplyDue: h.ReplyDue, RepliedAt: h.RepliedAt}
	}
	return out, nil
}

// heard: a hearing on this submission was answered or its window passed.
// It reads inside tx, under the candidate's lock (c is the locked row).
func (s *Store) heard(tx *gorm.DB, c *Candidate) (bool, error) {
	hs, err := hearingTimes(tx, c.ID)
	if err != nil {
		return false, err
	}
	now := s.now()
	for _, h := range hs {
		if c.SubmittedAt != nil && h.OpenedAt.Before(*c.SubmittedAt) {
			continue // a hearing on an earlier submission does not count
		}
		if h.settled(now) {
			return true, nil
		}
	}
	return false, nil
}

// ---- decision (four eyes) ----

// Proposal is the input for ProposeDecision.
type Proposal struct {
	Outcome           string
	Reasons           string
	Conditions        string
	ReleaseToBoard    bool
	ReleaseConditions bool
}

// PendingDecision returns the open proposal, if any.
func (s *Store) PendingDecision(ctx context.Context, c *Candidate) (*Decision, error) {
	var d Decision
	err := s.db.WithContext(ctx).Where("candidate_id = ? AND status = ?", c.ID, DecisionProposed).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &d, s.openDecision(c, &d)
}

// ProposeDecision records an advice proposal. When the committee has only
// one member who is not recused, the proposal is the decision and says so.
func (s *Store) ProposeDecision(ctx context.Context, actor Actor, c *Candidate, p Proposal) (*Decision, error) {
	reasons, err := s.seal(c, []byte(p.Reasons), "decision")
	if err != nil {
		return nil, err
	}
	var conds []byte
	if p.Conditions != "" {
		if conds, err = s.seal(c, []byte(p.Conditions), "decision.conditions"); err != nil {
			return nil, err
		}
	}
	now := s.now()
	d := Decision{ID: newID(), CandidateID: c.ID, Outcome: p.Outcome, Reasons: reasons, Conditions: conds, ReleaseToBoard: p.ReleaseToBoard,
		ReleaseConditions: p.ReleaseConditions && p.ReleaseToBoard, Status: DecisionProposed, DecidedBy: actor.ID, CreatedAt: now}
	if err := s.sealDecision(c, &d); err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if err := notRecused(tx, cc.ID, actor); err != nil {
			return err
		}
		if p.Outcome == "negatief" {
			// Checked on the locked file: a reopen and new submission at
			// the same moment make the earlier hearing count no more.
			ok, err := s.heard(tx, cc)
			if err != nil {
				return err
			}
			if !ok {
				return ErrNeedHearing
			}
		}
		if _, err := next(cc.Status, ActDecide); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Decision{}).Where("candidate_id = ? AND status = ?", c.ID, DecisionProposed).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrProposalPending
		}
		eligible, err := eligibleDeciders(tx, cc)
		if err != nil {
			return err
		}
		if eligible <= 1 {
			d.Status, d.SingleMember, d.ConfirmedBy, d.ConfirmedAt = DecisionConfirmed, true, &actor.ID, &now
			if err := s.move(tx, cc, ActDecide, map[string]any{"decided_at": now}); err != nil {
				return err
			}
		}
		if err := tx.Create(&d).Error; err != nil {
			if duplicate(err) {
				return ErrProposalPending // decisions_one_pending_idx
			}
			return err
		}
		if err := s.adviceMails(tx, cc, &d); err != nil {
			return err
		}
		action := "decision.propose"
		if d.SingleMember {
			action = "decision.single_member"
		}
		return s.audit(tx, cc.PartyID, &cc.ID, actor, action)
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// ConfirmDecision is the second committee member's confirmation.
func (s *Store) ConfirmDecision(ctx context.Context, actor Actor, c *Candidate) (*Decision, error) {
	d, err := s.PendingDecision(ctx, c)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, ErrNoProposal
	}
	if d.DecidedBy == actor.ID {
		return nil, ErrOwnProposal
	}
	now := s.now()
	err = s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if err := notRecused(tx, cc.ID, actor); err != nil {
			return err
		}
		if d.Outcome == "negatief" {
			ok, err := s.heard(tx, cc)
			if err != nil {
				return err
			}
			if !ok {
				return ErrNeedHearing
			}
		}
		res := tx.Model(&Decision{}).Where("id = ? AND status = ?", d.ID, DecisionProposed).
			Updates(map[string]any{"status": DecisionConfirmed, "confirmed_by": actor.ID, "confirmed_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNoProposal
		}
		if err := s.move(tx, cc, ActDecide, map[string]any{"decided_at": now}); err != nil {
			return err
		}
		d.Status = DecisionConfirmed
		if err := s.adviceMails(tx, cc, d); err != nil {
			return err
		}
		return s.audit(tx, cc.PartyID, &cc.ID, actor, "decision.confirm")
	})
	if err != nil {
		return nil, err
	}
	d.Status, d.ConfirmedBy, d.ConfirmedAt = DecisionConfirmed, &actor.ID, &now
	return d, nil
}

// AdviceReleased is the one rule for what the board may read of an
// advice: a confirmed advice the committee released to it, on a decided
// file. The board's views, its mails and the herhaalscan all ask this.
func AdviceReleased(status Status, d *Decision) bool {
	return status == StatusDecided && d != nil && d.Status == DecisionConfirmed && d.ReleaseToBoard
}

// adviceMails tells the board that a confirmed advice it may read is
// available (outbox tasks of the decision's transaction).
func (s *Store) adviceMails(tx *gorm.DB, c *Candidate, d *Decision) error {
	if !AdviceReleased(c.Status, d) {
		return nil
	}
	return s.notifyMembers(tx, c, MailAdvice, RoleBestuur, c.Revision)
}

// rejectPending marks the open proposal on a candidate rejected by actor;
// with proposedBy set, only a proposal made by that member. It reports how
// many proposals it rejected.
func (s *Store) rejectPending(tx *gorm.DB, candidateID string, actor Actor, proposedBy string) (int64, error) {
	q := tx.Model(&Decision{}).Where("candidate_id = ? AND status = ?", candidateID, DecisionProposed)
	if proposedBy != "" {
		q = q.Where("decided_by = ?", proposedBy)
	}
	res := q.Updates(map[string]any{"status": DecisionRejected, "rejected_by": actor.ID, "rejected_at": s.now()})
	return res.RowsAffected, res.Error
}

// RejectDecision discards a proposal (any eligible member, the proposer too).
func (s *Store) RejectDecision(ctx context.Context, actor Actor, c *Candidate) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		// The file first, as every writer of its decisions (locks.go).
		if _, err := lockCandidate(tx, c.ID); err != nil {
			return err
		}
		if err := notRecused(tx, c.ID, actor); err != nil {
			return err
		}
		n, err := s.rejectPending(tx, c.ID, actor, "")
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNoProposal
		}
		return s.audit(tx, c.PartyID, &c.ID, actor, "decision.reject")
	})
}

// DecisionConditions decrypts only the conditions (what the board may get).
func (s *Store) DecisionConditions(c *Candidate, d *Decision) (string, error) {
	if len(d.Conditions) == 0 {
		return "", nil
	}
	b, err := s.open(c, d.Conditions, "decision.conditions")
	return string(b), err
}

// DecisionText decrypts a decision's reasons and conditions.
func (s *Store) DecisionText(c *Candidate, d *Decision) (reasons, conditions string, err error) {
	r, err := s.open(c, d.Reasons, "decision")
	if err != nil {
		return "", "", err
	}
	if len(d.Conditions) > 0 {
		cb, err := s.open(c, d.Conditions, "decision.conditions")
		if err != nil {
			return "", "", err
		}
		conditions = string(cb)
	}
	return string(r), conditions, nil
}

// ---- history ----

// ProfileVersion is one stored profile with the answers it was compiled from.
type ProfileVersion struct {
	Record  ProfileRecord
	Profile questionnaires.Profile
	Answers questionnaires.Answers
}

// ProfileHistory returns every profile version, oldest first, decrypted.
func (s *Store) ProfileHistory(ctx context.Context, c *Candidate) ([]ProfileVersion, error) {
	var recs []ProfileRecord
	if err := s.db.WithContext(ctx).Where("candidate_id = ?", c.ID).Order("compiled_at, revision").Find(&recs).Error; err != nil {
		return nil, err
	}
	out := make([]ProfileVersion, 0, len(recs))
	for _, r := range recs {
		v, err := s.decodeVersion(c, r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Store) decodeVersion(c *Candidate, r ProfileRecord) (ProfileVersion, error) {
	v := ProfileVersion{Record: r}
	b, err := s.open(c, r.Body, "profile")
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(b, &v.Profile); err != nil {
		return v, err
	}
	v.Record.Overall = string(v.Profile.Overall)
	v.Answers = questionnaires.Answers{}
	if len(r.Answers) > 0 {
		ab, err := s.open(c, r.Answers, "profile.answers")
		if err != nil {
			return v, err
		}
		if err := json.Unmarshal(ab, &v.Answers); err != nil {
			return v, err
		}
	}
	return v, nil
}

// PreviousScanVersion returns the current profile of the candidate's file in
// the round this one re-screens, or nil.
func (s *Store) PreviousScanVersion(ctx context.Context, c *Candidate) (*ProfileVersion, error) {
	if c.PreviousID == nil {
		return nil, nil
	}
	prev, err := s.Candidate(ctx, *c.PreviousID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rec ProfileRecord
	err = s.db.WithContext(ctx).Where("candidate_id = ? AND is_current = ?", prev.ID, true).Take(&rec).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v, err := s.decodeVersion(prev, rec)
	return &v, err
}
