package models

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// BulkCandidate is one candidate for BulkInsert: the benchmark seed (bench/)
// loads national-scale data with it. Status is invited, in_progress or
// submitted; Answers (JSON form, as the API receives them) are required
// from in_progress on.
type BulkCandidate struct {
	Name    string
	Email   string
	Status  Status
	Answers map[string]any
}

// BulkInsert adds candidates to a round in one transaction and leaves them
// exactly as Invite, AcceptInvitation, Consent, SaveAnswers and Submit would
// (a data key each, answers validated and encrypted the same way, one
// hash-chained audit event per step) but without a round trip per row.
// Submitted candidates still need their profile compiled by the worker.
func (s *Store) BulkInsert(ctx context.Context, actor Actor, round *Round, in []BulkCandidate) ([]Candidate, error) {
	def, err := s.forms.Get(round.QuestionnaireID, round.QuestionnaireVersion)
	if err != nil {
		return nil, err
	}
	def = def.ForOffice(round.Office) // show_if may ask the office (version 2)
	now := s.now()
	consent := def.Privacy.Version
	cands := make([]Candidate, len(in))
	var answers []Answer
	type step struct {
		cand   int
		actor  Actor
		action string
	}
	var steps []step
	for i, b := range in {
		c := Candidate{ID: newID(), PartyID: round.PartyID, RoundID: round.ID, Name: strings.TrimSpace(b.Name), Email: NormalizeEmail(b.Email),
			Status: StatusInvited, InviteSeq: 1, InviteSentSeq: 1, CreatedAt: now, UpdatedAt: now}
		if err := s.newDataKey(ctx, &c); err != nil {
			return nil, err
		}
		if err := s.sealCandidate(ctx, &c); err != nil {
			return nil, err
		}
		exp := round.Deadline
		c.InviteExpiresAt = &exp
		steps = append(steps, step{i, actor, "candidate.invite"})
		self := Actor{ID: c.ID, Role: RoleKandidaat}
		if b.Status != StatusInvited {
			c.Status, c.AcceptedAt, c.ConsentAt, c.ConsentVersion = StatusInProgress, &now, &now, &consent
			steps = append(steps, step{i, self, "invitation.accept"}, step{i, self, "consent.give"})
			raw := make(map[string]json.RawMessage, len(b.Answers))
			for k, v := range b.Answers {
				if raw[k], err = json.Marshal(v); err != nil {
					return nil, err
				}
			}
			vals, errs := def.ValidateAnswers(raw)
			if len(errs) > 0 {
				return nil, fmt.Errorf("bulk candidate %d: invalid answers: %v", i, errs)
			}
			ci, err := s.cipher(&c)
			if err != nil {
				return nil, err
			}
			for qid, v := range vals {
				if v == nil {
					continue
				}
				j, err := json.Marshal(v)
				if err != nil {
					return nil, err
				}
				enc, err := ci.Seal(j, c.ID+":answer:"+qid)
				if err != nil {
					return nil, err
				}
				answers = append(answers, Answer{CandidateID: c.ID, QuestionID: qid, Value: enc, UpdatedAt: now})
			}
		}
		switch b.Status {
		case StatusInvited, StatusInProgress:
		case StatusSubmitted:
			c.Status, c.SubmittedAt, c.Revision = StatusSubmitted, &now, 1
			steps = append(steps, step{i, self, "candidate.submit"})
		default:
			return nil, fmt.Errorf("bulk candidate %d: status %q not supported", i, b.Status)
		}
		cands[i] = c
	}
	key, err := s.auditKey(ctx)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.CreateInBatches(cands, 500).Error; err != nil {
			return err
		}
		if err := tx.CreateInBatches(answers, 1000).Error; err != nil {
			return err
		}
		// Submitted files need their compile, as after Submit (no receipt:
		// the seed sends no mail).
		var ts []OutboxTask
		for i := range cands {
			if cands[i].Status == StatusSubmitted {
				ts = append(ts, compileTask(cands[i].ID, cands[i].Revision))
			}
		}
		for len(ts) > 0 {
			n := min(len(ts), 500)
			if err := s.addTasks(tx, ts[:n]...); err != nil {
				return err
			}
			ts = ts[n:]
		}
		// The chain is extended in memory under the party row's lock, then
		// written in batches: the same events audit() would have written.
		res := tx.Model(&Party{}).Where("id = ?", round.PartyID).UpdateColumn("audit_seq", gorm.Expr("audit_seq"))
		if res.Error != nil {
			return res.Error
		}
		var p Party
		if err := tx.Select("id", "audit_seq", "audit_head").First(&p, "id = ?", round.PartyID).Error; err != nil {
			return err
		}
		evs := make([]AuditEvent, len(steps))
		seq, head := p.AuditSeq, p.AuditHead
		for i, st := range steps {
			seq++
			id := cands[st.cand].ID
			ev := AuditEvent{ID: newID(), PartyID: p.ID, Seq: seq, CandidateID: &id, ActorID: st.actor.ID, ActorRole: st.actor.Role,
				Action: st.action, CreatedAt: now.Add(time.Duration(i) * time.Microsecond), PrevHash: head}
			ev.Hash = chainHash(key, ev)
			head = ev.Hash
			evs[i] = ev
		}
		if err := tx.CreateInBatches(evs, 1000).Error; err != nil {
			return err
		}
		return tx.Model(&Party{}).Where("id = ?", p.ID).UpdateColumns(map[string]any{"audit_seq": seq, "audit_head": head}).Error
	})
	if err != nil {
		return nil, notFound(err)
	}
	return cands, nil
}
