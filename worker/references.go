package worker

import (
	"context"
	"time"

	"github.com/weerbaar/weerbaar/mail"
	"github.com/weerbaar/weerbaar/models"
)

// The mails of the reference flow (models/references.go): the notice to
// the candidate, and each referent's request and reminders. A referent's
// link token is created here, at send time, in the claim's transaction.

func (l Links) reference(token string) string { return l.Base + "/referentie/" + token }

func (w *Worker) prepareReferenceMail(ctx context.Context, p MailPayload) (string, mail.Message, error) {
	s := w.store
	var m mail.Message
	if p.Kind == models.MailReferencesAsked {
		mc, req, err := s.ClaimReferencesAsked(ctx, p.CandidateID)
		if err != nil {
			return "", m, err
		}
		m = mail.ReferencesAsked(mail.ReferencesAskedData{Party: mc.Party.Name, Candidate: mc.Candidate.Name, Round: mc.Round.Name,
			Wanted: req.Wanted, NewLinkURL: w.links.newLink(), Lang: mc.Candidate.Language})
		m.To = mc.Candidate.Email
		return mc.Key, m, nil
	}
	rm, err := s.ClaimReferenceMail(ctx, p.ReferentID, p.Stage)
	if err != nil {
		return "", m, err
	}
	if p.Kind == models.MailReferenceReminder {
		days := 1
		if d := rm.Expires.Sub(s.Now()); d > 0 {
			days = int((d + 24*time.Hour - time.Nanosecond) / (24 * time.Hour))
		}
		m = mail.ReferenceReminder(mail.ReferenceReminderData{Party: rm.Party.Name, Referent: rm.Referent.Name, Candidate: rm.Candidate.Name,
			Link: w.links.reference(rm.Token), Expires: rm.Expires, DaysLeft: days, Lang: rm.Candidate.Language})
	} else {
		m = mail.ReferenceRequest(mail.ReferenceRequestData{Party: rm.Party.Name, Referent: rm.Referent.Name, Candidate: rm.Candidate.Name,
			Office: rm.Round.Office, Link: w.links.reference(rm.Token), Expires: rm.Expires, Lang: rm.Candidate.Language})
	}
	m.To = rm.Referent.Email
	return rm.Key, m, nil
}

// queueReferenceReminders queues the referents' reminders that are due
// (part of the reminder scan; TaskID and delivery row keep each stage to
// one mail).
func (w *Worker) queueReferenceReminders(ctx context.Context) error {
	due, err := w.store.DueReferenceReminders(ctx)
	if err != nil {
		return err
	}
	for _, d := range due {
		if err := w.queue.EnqueueMail(ctx, MailPayload{Kind: models.MailReferenceReminder, CandidateID: d.CandidateID, ReferentID: d.ReferentID, Stage: d.Stage}); err != nil {
			return err
		}
	}
	return nil
}
