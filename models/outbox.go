package models

// The task outbox (issue 12). Every follow-up task of a state change (a
// profile compile, every mail) is a row of task_outbox written in the
// transaction of that state change, by the Store method that runs it. A
// relay (worker.Relay) moves the rows to asynq under the tasks' own TaskIDs;
// the row stays until the task has done its work (the compile's or the
// mail's transaction deletes it), so neither a crash between commit and
// enqueue nor a Redis that loses its queue loses a task: a row whose task
// did not finish within its lease is queued again. Payloads hold ids only.

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Task types (the asynq task types of the outbox's rows).
const (
	TaskCompile = "profile:compile"
	TaskMail    = "mail:send"
)

// CompilePayload names the candidate and the revision to compile.
type CompilePayload struct {
	CandidateID string `json:"candidate_id"`
	Revision    int    `json:"revision"`
}

// MailPayload names one mail; only ids, never content or tokens.
type MailPayload struct {
	Kind        string `json:"kind"`
	CandidateID string `json:"candidate_id,omitempty"`
	UserID      string `json:"user_id,omitempty"`
	HearingID   string `json:"hearing_id,omitempty"`
	// MembershipID names an acceptance mail, NoticeID a committee-change
	// notice.
	MembershipID string `json:"membership_id,omitempty"`
	NoticeID     string `json:"notice_id,omitempty"`
	LinkID       string `json:"link_id,omitempty"`
	Seq          int    `json:"seq,omitempty"`
	Stage        string `json:"stage,omitempty"`
	ReferentID   string `json:"referent_id,omitempty"` // a reference request or its reminder
}

// Key is the dedupe key of the mail (the same as its delivery row).
func (p MailPayload) Key() string {
	switch p.Kind {
	case MailSetup, MailPasswordReset, MailPasswordChanged:
		return DeliveryKey(p.Kind, p.UserID, p.Seq)
	case MailReminder:
		return DeliveryKey(p.Kind, p.CandidateID, p.Seq, p.Stage)
	case MailHearing:
		return DeliveryKey(p.Kind, p.HearingID)
	case MailMembership:
		return DeliveryKey(p.Kind, p.MembershipID, p.Seq)
	case MailMemberNotice:
		return DeliveryKey(p.Kind, p.NoticeID)
	case MailLink:
		return DeliveryKey(p.Kind, p.LinkID)
	case MailProfileReady, MailAdvice:
		return DeliveryKey(p.Kind, p.CandidateID, p.Seq, p.UserID)
	case MailReference, MailReferenceReminder:
		return referenceMailKey(p)
	default:
		return DeliveryKey(p.Kind, p.CandidateID, p.Seq)
	}
}

// CompileTaskID is the asynq TaskID of the compile of a revision.
func CompileTaskID(candidateID string, revision int) string {
	return fmt.Sprintf("%s:%s:%d", TaskCompile, candidateID, revision)
}

// MailTaskID is the asynq TaskID of a mail: its delivery key.
func MailTaskID(p MailPayload) string { return mailTaskID(p.Key()) }

func mailTaskID(deliveryKey string) string { return TaskMail + ":" + deliveryKey }

// OutboxTask is one follow-up task waiting to be queued or to finish.
type OutboxTask struct {
	// TaskID is the asynq TaskID (and the primary key: the same task
	// written twice is one row).
	TaskID  string `gorm:"primaryKey"`
	Type    string
	Payload string
	// DueAt is when the relay queues the task (again): at once when
	// written, after the lease once queued.
	DueAt     time.Time
	Attempts  int
	CreatedAt time.Time
}

func (OutboxTask) TableName() string { return "task_outbox" }

func compileTask(candidateID string, revision int) OutboxTask {
	b, _ := json.Marshal(CompilePayload{CandidateID: candidateID, Revision: revision})
	return OutboxTask{TaskID: CompileTaskID(candidateID, revision), Type: TaskCompile, Payload: string(b)}
}

func mailTask(p MailPayload) OutboxTask {
	b, _ := json.Marshal(p)
	return OutboxTask{TaskID: MailTaskID(p), Type: TaskMail, Payload: string(b)}
}

// outboxKey marks the context of a transaction run by Store.tx, so that
// the relay is woken after its commit rather than before.
type outboxKey struct{}

type outboxFlag struct{ wrote bool }

// addTasks writes follow-up tasks inside tx; a task already waiting stays
// one row.
func (s *Store) addTasks(tx *gorm.DB, ts ...OutboxTask) error {
	if len(ts) == 0 {
		return nil
	}
	now := s.now()
	for i := range ts {
		ts[i].DueAt, ts[i].CreatedAt = now, now
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&ts).Error; err != nil {
		return err
	}
	s.outboxWritten(tx)
	return nil
}

// outboxWritten notes that tx wrote outbox tasks: the relay is woken after
// the commit (at once when tx is not a transaction of Store.tx).
func (s *Store) outboxWritten(tx *gorm.DB) {
	if f, ok := tx.Statement.Context.Value(outboxKey{}).(*outboxFlag); ok {
		f.wrote = true
	} else {
		s.wakeRelay() // not inside Store.tx: already committed
	}
}

// Wake signals, once per burst, that this process committed outbox rows;
// the relay of this process listens on it.
func (s *Store) Wake() <-chan struct{} { return s.wake }

func (s *Store) wakeRelay() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// ClaimTasks leases up to limit tasks due at or before `before` to the
// caller for lease: they are not due again until the lease ends (the
// caller queues them meanwhile, or hands them back with RetryTasks). Several
// relays (replicas) claim disjoint rows: PostgreSQL skips the rows another
// relay has locked; SQLite has one writer.
func (s *Store) ClaimTasks(ctx context.Context, before time.Time, limit int, lease time.Duration) ([]OutboxTask, error) {
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	now := s.now()
	var out []OutboxTask
	err := s.db.WithContext(ctx).Raw(`UPDATE task_outbox SET due_at = ?, attempts = attempts + 1
		WHERE task_id IN (SELECT task_id FROM task_outbox WHERE due_at <= ? ORDER BY due_at LIMIT ?`+lock+`)
		RETURNING task_id, type, payload, due_at, attempts, created_at`, now.Add(lease), before, limit).Scan(&out).Error
	return out, err
}

// RetryTasks makes claimed tasks due again at `at` (the queue refused them).
func (s *Store) RetryTasks(ctx context.Context, taskIDs []string, at time.Time) error {
	if len(taskIDs) == 0 {
		return nil
	}
	return s.db.WithContext(ctx).Model(&OutboxTask{}).Where("task_id IN ?", taskIDs).UpdateColumn("due_at", at).Error
}

// TaskDone removes a task whose work is done (or that has nothing left to
// do). The compile and the mail remove their row in their own transaction;
// this is for the paths that write nothing.
func (s *Store) TaskDone(ctx context.Context, taskID string) error {
	return taskDone(s.db.WithContext(ctx), taskID)
}

func taskDone(tx *gorm.DB, taskID string) error {
	return tx.Where("task_id = ?", taskID).Delete(&OutboxTask{}).Error
}

// OutboxTasks lists the outbox, oldest first (tests, operators).
func (s *Store) OutboxTasks(ctx context.Context) ([]OutboxTask, error) {
	var ts []OutboxTask
	err := s.db.WithContext(ctx).Order("created_at, task_id").Find(&ts).Error
	return ts, err
}

// recipients lists the active members of the candidate's party with a
// role, leaving out those recused from the candidate and those without a
// password yet.
func recipients(tx *gorm.DB, c *Candidate, role string) ([]User, error) {
	var us []User
	err := tx.Select("id").Where("password_hash IS NOT NULL AND id IN (?)", tx.Model(&Membership{}).Select("user_id").Where("party_id = ? AND role = ? AND status = ?", c.PartyID, role, MemberActive)).
		Where("id NOT IN (?)", tx.Model(&Recusal{}).Select("user_id").Where("candidate_id = ?", c.ID)).Order("created_at").Find(&us).Error
	return us, err
}

// notifyMembers writes a notice about a candidate to every member of a
// role (profile ready → committee, advice → board) inside tx.
func (s *Store) notifyMembers(tx *gorm.DB, c *Candidate, kind, role string, seq int) error {
	us, err := recipients(tx, c, role)
	if err != nil {
		return err
	}
	ts := make([]OutboxTask, len(us))
	for i, u := range us {
		ts[i] = mailTask(MailPayload{Kind: kind, CandidateID: c.ID, UserID: u.ID, Seq: seq})
	}
	return s.addTasks(tx, ts...)
}
