package models

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// NewRescreen is the input for Rescreen.
type NewRescreen struct {
	Name     string
	Deadline time.Time
	// CandidateIDs selects who is screened again; empty means everyone of
	// the earlier round with a confirmed positive advice (the sitting members).
	CandidateIDs []string
}

// Rescreen creates a herhaalscan: a new round for the same office on the
// latest questionnaire version, with the selected candidates invited again
// and their previous answers prefilled to confirm or change.
func (s *Store) Rescreen(ctx context.Context, actor Actor, prev *Round, in NewRescreen) (*Round, []*Candidate, error) {
	if err := CheckDeadline(in.Deadline, s.now()); err != nil {
		return nil, nil, err
	}
	def, err := s.forms.Latest(prev.QuestionnaireID)
	if err != nil {
		return nil, nil, err
	}
	def = def.ForOffice(prev.Office)
	if !def.SupportsOffice(prev.Office) {
		return nil, nil, &ValidationError{Code: "office", Fields: map[string]string{"office": "unsupported"}}
	}
	rows, err := s.Candidates(ctx, prev.ID, "")
	if err != nil {
		return nil, nil, err
	}
	// Only a file that went the whole way may be carried over: the
	// candidate consented and the committee confirmed its advice. A
	// withdrawn, revoked or expired candidate's answers stay where they are
	// (and are deleted with that file).
	carried := func(r CandidateRow) bool {
		return r.Status == StatusDecided && r.ConsentAt != nil && r.Decision != nil && r.Decision.Status == DecisionConfirmed
	}
	var picked []Candidate
	found := 0
	for _, r := range rows {
		switch {
		case len(in.CandidateIDs) > 0:
			if slices.Contains(in.CandidateIDs, r.ID) {
				found++
				if carried(r) {
					picked = append(picked, r.Candidate)
				}
			}
		// Only what the board may know: a confirmed, released, positive advice.
		case carried(r) && AdviceReleased(r.Status, r.Decision) && r.Decision.Outcome != "negatief":
			picked = append(picked, r.Candidate)
		}
	}
	if len(in.CandidateIDs) > 0 && found != len(in.CandidateIDs) {
		return nil, nil, &ValidationError{Code: "rescreen", Fields: map[string]string{"candidates": "foreign"}}
	}
	if len(in.CandidateIDs) > 0 && len(picked) != len(in.CandidateIDs) {
		return nil, nil, &ValidationError{Code: "rescreen", Fields: map[string]string{"candidates": "ineligible"}}
	}
	if len(picked) == 0 {
		return nil, nil, &ValidationError{Code: "rescreen", Fields: map[string]string{"candidates": "empty"}}
	}
	now := s.now()
	round := &Round{ID: newID(), PartyID: prev.PartyID, Name: strings.TrimSpace(in.Name), Office: prev.Office, Deadline: in.Deadline.UTC(),
		QuestionnaireID: def.ID, QuestionnaireVersion: def.Version, CreatedBy: actor.ID, CreatedAt: now, PreviousRoundID: &prev.ID}
	var out []*Candidate
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(round).Error; err != nil {
			return err
		}
		for i := range picked {
			old := &picked[i]
			prevID := old.ID
			c := &Candidate{ID: newID(), PartyID: round.PartyID, RoundID: round.ID, Name: old.Name, Email: old.Email, Status: StatusInvited,
				InviteSeq: 1, CreatedAt: now, UpdatedAt: now, PreviousID: &prevID}
			if err := s.newDataKey(ctx, c); err != nil {
				return err
			}
			if err := s.sealCandidate(ctx, c); err != nil {
				return err
			}
			if err := tx.Create(c).Error; err != nil {
				return err
			}
			if err := s.prefill(tx, old, c, def); err != nil {
				return err
			}
			// The audit event takes the party's lock before the recusals
			// are copied: a recusal made meanwhile (Recuse takes the same
			// lock first) is either copied here or finds this file.
			if err := s.audit(tx, c.PartyID, &c.ID, actor, "candidate.rescreen"); err != nil {
				return err
			}
			if err := s.copyRecusals(tx, old, c); err != nil {
				return err
			}
			if err := s.addTasks(tx, invitationTask(c)); err != nil {
				return err
			}
			out = append(out, c)
		}
		return s.audit(tx, round.PartyID, nil, actor, "round.rescreen")
	})
	if err != nil {
		return nil, nil, notFound(err)
	}
	return round, out, nil
}

// prefill copies the answers of the earlier file that are still valid in
// the new questionnaire version, re-encrypted under the new data key.
func (s *Store) prefill(tx *gorm.DB, old, c *Candidate, def *questionnaires.Definition) error {
	ans, err := s.answers(tx, old)
	if err != nil {
		return err
	}
	ans = VisibleAnswers(def, ans) // what show_if hid was not part of the submission
	ci, err := s.cipher(c)
	if err != nil {
		return err
	}
	var rows []Answer
	for qid, v := range ans {
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		vals, errs := def.ValidateAnswers(map[string]json.RawMessage{qid: raw})
		if len(errs) > 0 || vals[qid] == nil {
			continue // the question changed or left: the candidate answers anew
		}
		b, err := json.Marshal(vals[qid])
		if err != nil {
			return err
		}
		enc, err := ci.Seal(b, c.ID+":answer:"+qid)
		if err != nil {
			return err
		}
		rows = append(rows, Answer{CandidateID: c.ID, QuestionID: qid, Value: enc, UpdatedAt: s.now()})
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}

// copyRecusals carries the earlier file's recusals over to the herhaalscan:
// a member who stepped aside does not get the file back.
func (s *Store) copyRecusals(tx *gorm.DB, old, c *Candidate) error {
	var rs []Recusal
	if err := tx.Where("candidate_id = ?", old.ID).Find(&rs).Error; err != nil {
		return err
	}
	for _, r := range rs {
		enc := []byte{} // a carried-over recusal without a reason of its own
		if len(r.Reason) > 0 {
			reason, err := s.open(old, r.Reason, "recusal")
			if err != nil {
				return err
			}
			if enc, err = s.seal(c, reason, "recusal"); err != nil {
				return err
			}
		}
		if err := tx.Create(&Recusal{ID: newID(), CandidateID: c.ID, UserID: r.UserID, Reason: enc, CreatedAt: r.CreatedAt}).Error; err != nil {
			return err
		}
	}
	return nil
}

// RoundVOGs returns the VOG records of a round's candidates by candidate id.
func (s *Store) RoundVOGs(ctx context.Context, roundID string) (map[string]VOGRecord, error) {
	db := s.db.WithContext(ctx)
	var vs []VOGRecord
	if err := db.Where("candidate_id IN (?)", db.Model(&Candidate{}).Select("id").Where("round_id = ?", roundID)).Find(&vs).Error; err != nil {
		return nil, err
	}
	out := make(map[string]VOGRecord, len(vs))
	if len(vs) == 0 {
		return out, nil
	}
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.CandidateID
	}
	var cs []Candidate
	for from := 0; from < len(ids); from += 500 {
		var part []Candidate
		if err := db.Select("id", "data_key").Where("id IN ?", ids[from:min(from+500, len(ids))]).Find(&part).Error; err != nil {
			return nil, err
		}
		cs = append(cs, part...)
	}
	byID := make(map[string]*Candidate, len(cs))
	ptrs := make([]*Candidate, len(cs))
	for i := range cs {
		byID[cs[i].ID], ptrs[i] = &cs[i], &cs[i]
	}
	if err := s.cipherMany(ctx, ptrs); err != nil {
		return nil, err
	}
	for _, v := range vs {
		c := byID[v.CandidateID]
		if c == nil || c.ci == nil {
			continue // shredded
		}
		if err := s.openVOG(c, &v); err != nil {
			return nil, err
		}
		out[v.CandidateID] = v
	}
	return out, nil
}

// VOGExpired tells whether an issued VOG is older than the party allows.
func VOGExpired(v *VOGRecord, maxAgeDays int, now time.Time) bool {
	if v == nil {
		return false
	}
	return questionnaires.VOGExpired(v.Status, v.IssuedDate(), maxAgeDays, now)
}

// IssuedDate is the date of issue as a time, if it is set and valid.
func (v *VOGRecord) IssuedDate() *time.Time {
	if v == nil || v.IssuedOn == nil {
		return nil
	}
	d, err := time.Parse(time.DateOnly, *v.IssuedOn)
	if err != nil {
		return nil
	}
	return &d
}

// VOGState is the VOG status as the committee sees it, with "verlopen".
func VOGState(v *VOGRecord, maxAgeDays int, now time.Time) string {
	if v == nil {
		return "niet_gevraagd"
	}
	if VOGExpired(v, maxAgeDays, now) {
		return "verlopen"
	}
	return v.Status
}

// UpdateVOGAge sets the party's maximum VOG age and marks every screened
// file for a recompile (the VOG domain depends on it), as outbox tasks of
// the same transaction. It returns the files to recompile.
func (s *Store) UpdateVOGAge(ctx context.Context, actor Actor, partyID string, days int) ([]Candidate, error) {
	var due []Candidate
	err := s.tx(ctx, func(tx *gorm.DB) error {
		screened := []Status{StatusSubmitted, StatusProfiled, StatusDecided}
		// The files first, in id order, and the party row after them
		// (locks.go): a transition that holds a file and waits for the
		// party's audit lock must not meet this the other way round.
		var ids []string
		if err := tx.Model(&Candidate{}).Where("party_id = ? AND status IN ?", partyID, screened).Pluck("id", &ids).Error; err != nil {
			return err
		}
		ids, err := lockCandidates(tx, ids, rowLock)
		if err != nil {
			return err
		}
		if err := tx.Model(&Party{}).Where("id = ?", partyID).Update("max_vog_age_days", days).Error; err != nil {
			return err
		}
		if err := tx.Model(&Candidate{}).Where("id IN ? AND status IN ?", ids, screened).
			UpdateColumn("revision", gorm.Expr("revision + 1")).Error; err != nil {
			return err
		}
		if err := tx.Select("id", "revision").Where("id IN ? AND status IN ?", ids, screened).Find(&due).Error; err != nil {
			return err
		}
		ts := make([]OutboxTask, len(due))
		for i, c := range due {
			ts[i] = compileTask(c.ID, c.Revision)
		}
		if err := s.addTasks(tx, ts...); err != nil {
			return err
		}
		return s.audit(tx, partyID, nil, actor, "party.settings")
	})
	return due, err
}
