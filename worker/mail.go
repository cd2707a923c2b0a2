package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/weerbaar/weerbaar/mail"
	"github.com/weerbaar/weerbaar/models"
)

// Mail task types.
const (
	TypeMailSend      = models.TaskMail
	TypeRemindersScan = "reminders:scan"
	TypeExpireScan    = "candidates:expire"
	TypeRetention     = "retention:purge"
)

// MailPayload names one mail; only ids, never content or tokens. Its Key
// is the dedupe key of the mail (the same as its delivery row).
type MailPayload = models.MailPayload

// MailMaxRetry is how often a temporary failure is retried (with backoff
// up to 10 minutes that is about an hour) before the mail counts as failed.
const MailMaxRetry = 12

// NewMailTask sends one mail; the TaskID (its dedupe key) keeps two
// schedulers or replicas from queueing it twice.
func NewMailTask(p MailPayload) (*asynq.Task, []asynq.Option) {
	b, _ := json.Marshal(p)
	return asynq.NewTask(TypeMailSend, b), []asynq.Option{asynq.TaskID(models.MailTaskID(p)), asynq.MaxRetry(MailMaxRetry)}
}

// EnqueueMail queues a mail.
func (q *Queue) EnqueueMail(ctx context.Context, p MailPayload) error {
	t, opts := NewMailTask(p)
	return q.enqueue(ctx, t, opts)
}

// Outbox is the dev sender: mails are kept in the database (/dev/mail).
type Outbox struct{ Store *models.Store }

// Send stores the message.
func (o Outbox) Send(ctx context.Context, m mail.Message) error {
	return o.Store.AddOutboxMail(ctx, m.To, m.Subject, m.Text)
}

// Links builds the URLs in mails.
type Links struct{ Base string }

func (l Links) invitation(token string) string { return l.Base + "/uitnodiging/" + token }
func (l Links) newLink() string                { return l.Base + "/link-aanvragen" }
func (l Links) setup(token string) string      { return l.Base + "/account/instellen/" + token }
func (l Links) reset(token string) string      { return l.Base + "/wachtwoord-herstellen/" + token }
func (l Links) membership(token string) string { return l.Base + "/account/lidmaatschap/" + token }
func (l Links) members(pid string) string      { return l.Base + "/commissie/partij/" + pid + "/leden" }
func (l Links) committee(cid string) string    { return l.Base + "/commissie/kandidaten/" + cid }
func (l Links) board(cid string) string        { return l.Base + "/bestuur/kandidaten/" + cid }

// A candidate's mails and its referents' mails are in the candidate's
// language (models.Candidate.Language), read from the row the claim loads
// at send time: a change of language counts for the next mail, also one
// already queued. Committee, board and account mails stay Dutch.

// HandleMailSend renders and sends one mail. The link token (if any) is
// created here, at send time; the delivery row makes the mail go out once.
// The mail's outbox task is done when the mail went out or failed for good
// (FinishDelivery), or when there is nothing to send.
func (w *Worker) HandleMailSend(ctx context.Context, t *asynq.Task) error {
	var p MailPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.Kind == "" {
		return fmt.Errorf("bad payload: %v: %w", err, asynq.SkipRetry)
	}
	key, msg, err := w.prepareMail(ctx, p)
	if errors.Is(err, models.ErrInFlight) {
		return nil // another worker is sending it; its task stays in the outbox
	}
	if errors.Is(err, models.ErrNotDue) || errors.Is(err, models.ErrNotFound) {
		return w.store.TaskDone(ctx, models.MailTaskID(p))
	}
	if err != nil {
		return err
	}
	sendErr := w.sender.Send(ctx, msg)
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, ok := asynq.GetMaxRetry(ctx)
	final := mail.IsPermanent(sendErr) || (ok && retried >= maxRetry)
	if err := w.store.FinishDelivery(ctx, key, sendErr, final); err != nil {
		return err
	}
	switch {
	case sendErr == nil:
		w.log.Info("mail sent", "kind", p.Kind, "attempt", retried+1)
		return nil
	case final:
		// The error text names the recipient: it goes to the delivery row
		// for the board, not to the logs.
		code := 0
		var pe *mail.PermanentError
		if errors.As(sendErr, &pe) {
			code = pe.Code
		}
		w.log.Warn("mail not delivered", "kind", p.Kind, "smtp_code", code)
		return fmt.Errorf("mail %s: permanent failure: %w", p.Kind, asynq.SkipRetry)
	default:
		return fmt.Errorf("mail %s: temporary failure (attempt %d)", p.Kind, retried+1)
	}
}

func (w *Worker) prepareMail(ctx context.Context, p MailPayload) (string, mail.Message, error) {
	s := w.store
	var m mail.Message
	switch p.Kind {
	case models.MailInvitation:
		mc, err := s.ClaimInvitation(ctx, p.CandidateID, p.Seq)
		if err != nil {
			return "", m, err
		}
		m = mail.Invitation(mail.InvitationData{Party: mc.Party.Name, Candidate: mc.Candidate.Name, Round: mc.Round.Name, Office: mc.Round.Office,
			Link: w.links.invitation(mc.Token), Expires: mc.Expires, Deadline: mc.Round.Deadline, Lang: mc.Candidate.Language})
		m.To = mc.Candidate.Email
		return mc.Key, m, nil
	case models.MailReminder:
		mc, err := s.ClaimReminder(ctx, p.CandidateID, p.Seq, p.Stage)
		if err != nil {
			return "", m, err
		}
		days := 1
		if d := mc.Expires.Sub(s.Now()); d > 0 {
			days = int((d + 24*time.Hour - time.Nanosecond) / (24 * time.Hour))
		}
		m = mail.Reminder(mail.ReminderData{Party: mc.Party.Name, Candidate: mc.Candidate.Name, Round: mc.Round.Name, Link: w.links.invitation(mc.Token),
			Expires: mc.Expires, Deadline: mc.Round.Deadline, DaysLeft: days, Lang: mc.Candidate.Language})
		m.To = mc.Candidate.Email
		return mc.Key, m, nil
	case models.MailReceipt:
		mc, err := s.ClaimCandidateNotice(ctx, p.Kind, p.CandidateID, p.Seq)
		if err != nil {
			return "", m, err
		}
		at := s.Now()
		if mc.Candidate.SubmittedAt != nil {
			at = *mc.Candidate.SubmittedAt
		}
		m = mail.Receipt(mail.ReceiptData{Party: mc.Party.Name, Candidate: mc.Candidate.Name, Round: mc.Round.Name, SubmittedAt: at, NewLinkURL: w.links.newLink(), Lang: mc.Candidate.Language})
		m.To = mc.Candidate.Email
		return mc.Key, m, nil
	case models.MailHearing:
		mc, h, err := s.ClaimHearingNotice(ctx, p.HearingID)
		if err != nil {
			return "", m, err
		}
		m = mail.HearingNotice(mail.HearingData{Party: mc.Party.Name, Candidate: mc.Candidate.Name, Link: w.links.invitation(mc.Token), ReplyDue: h.ReplyDue, Lang: mc.Candidate.Language})
		m.To = mc.Candidate.Email
		return mc.Key, m, nil
	case models.MailLink:
		mc, err := s.ClaimLinkMail(ctx, p.LinkID)
		if err != nil {
			return "", m, err
		}
		m = mail.NewLink(mail.LinkData{Party: mc.Party.Name, Candidate: mc.Candidate.Name, Round: mc.Round.Name, Link: w.links.invitation(mc.Token), Expires: mc.Expires, Lang: mc.Candidate.Language})
		m.To = mc.Candidate.Email
		return mc.Key, m, nil
	case models.MailReopen:
		mc, err := s.ClaimReopenNotice(ctx, p.CandidateID, p.Seq)
		if err != nil {
			return "", m, err
		}
		m = mail.ReopenNotice(mail.ReopenData{Party: mc.Party.Name, Candidate: mc.Candidate.Name, Round: mc.Round.Name, Link: w.links.invitation(mc.Token), Expires: mc.Expires, Lang: mc.Candidate.Language})
		m.To = mc.Candidate.Email
		return mc.Key, m, nil
	case models.MailProfileReady, models.MailAdvice:
		mc, u, err := s.ClaimMemberNotice(ctx, p.Kind, p.CandidateID, p.UserID, p.Seq)
		if err != nil {
			return "", m, err
		}
		if p.Kind == models.MailProfileReady {
			m = mail.ProfileReady(mail.ProfileReadyData{Party: mc.Party.Name, Member: u.Name, Candidate: mc.Candidate.Name, Round: mc.Round.Name, Link: w.links.committee(mc.Candidate.ID)})
		} else {
			m = mail.AdviceAvailable(mail.AdviceData{Party: mc.Party.Name, Member: u.Name, Candidate: mc.Candidate.Name, Round: mc.Round.Name, Link: w.links.board(mc.Candidate.ID)})
		}
		m.To = u.Email
		return mc.Key, m, nil
	case models.MailSetup:
		sm, err := s.ClaimSetup(ctx, p.UserID, p.Seq)
		if err != nil {
			return "", m, err
		}
		m = mail.AccountSetup(mail.SetupData{Party: sm.Party.Name, Name: sm.User.Name, Role: sm.Role, Link: w.links.setup(sm.Token), Expires: sm.Expires})
		m.To = sm.User.Email
		return sm.Key, m, nil
	case models.MailPasswordReset:
		rm, err := s.ClaimPasswordReset(ctx, p.UserID, p.Seq)
		if err != nil {
			return "", m, err
		}
		m = mail.PasswordReset(mail.PasswordResetData{Name: rm.User.Name, Link: w.links.reset(rm.Token), Expires: rm.Expires})
		m.To = rm.User.Email
		return rm.Key, m, nil
	case models.MailPasswordChanged:
		key, u, err := s.ClaimPasswordNotice(ctx, p.UserID, p.Seq)
		if err != nil {
			return "", m, err
		}
		m = mail.PasswordChanged(mail.PasswordChangedData{Name: u.Name, At: u.UpdatedAt})
		m.To = u.Email
		return key, m, nil
	case models.MailMembership:
		mm, err := s.ClaimMembershipInvite(ctx, p.MembershipID, p.Seq)
		if err != nil {
			return "", m, err
		}
		m = mail.MembershipInvite(mail.MembershipData{Party: mm.Party.Name, Name: mm.Membership.Name, Role: mm.Membership.Role,
			Link: w.links.membership(mm.Token), Expires: mm.Expires, NeedsPassword: mm.NeedsPassword})
		m.To = mm.User.Email
		return mm.Key, m, nil
	case models.MailMemberNotice:
		nm, err := s.ClaimCommitteeNotice(ctx, p.NoticeID)
		if err != nil {
			return "", m, err
		}
		n := nm.Notice
		d := mail.CommitteeChangeData{Party: nm.Party.Name, Recipient: nm.RecipientName, Action: n.Action, Member: n.MemberName, Email: n.MemberEmail, Actor: n.ActorName}
		if n.Action != models.NoticeBoard {
			d.Link = w.links.members(n.PartyID)
		}
		m = mail.CommitteeChange(d)
		m.To = nm.Recipient.Email
		return nm.Key, m, nil
	}
	if p.Kind == models.MailReferencesAsked || p.Kind == models.MailReference || p.Kind == models.MailReferenceReminder {
		return w.prepareReferenceMail(ctx, p)
	}
	return "", m, fmt.Errorf("unknown mail kind %q: %w", p.Kind, asynq.SkipRetry)
}

// HandleRemindersScan queues the reminders that are due.
func (w *Worker) HandleRemindersScan(ctx context.Context, _ *asynq.Task) error {
	due, err := w.store.DueReminders(ctx)
	if err != nil {
		return err
	}
	for _, d := range due {
		if err := w.queue.EnqueueMail(ctx, MailPayload{Kind: models.MailReminder, CandidateID: d.CandidateID, Seq: d.Seq, Stage: d.Stage}); err != nil {
			return err
		}
	}
	return w.queueReferenceReminders(ctx)
}

// HandleExpireScan expires invitations and unfinished scans past the deadline.
func (w *Worker) HandleExpireScan(ctx context.Context, _ *asynq.Task) error {
	n, err := w.store.ExpireDue(ctx)
	if n > 0 {
		w.log.Info("candidates expired", "count", n)
	}
	return err
}

// HandleRetention deletes the files whose retention period is over.
func (w *Worker) HandleRetention(ctx context.Context, _ *asynq.Task) error {
	n, err := w.store.PurgeDue(ctx)
	if n > 0 {
		w.log.Info("retention: candidate files deleted", "count", n)
	}
	return err
}
