package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/weerbaar/weerbaar/secure"
)

// Mail kinds.
const (
	MailInvitation   = "invitation"
	MailSetup        = "setup"
	MailReminder     = "reminder"
	MailReceipt      = "receipt"
	MailHearing      = "hearing"
	MailProfileReady = "profile_ready"
	MailAdvice       = "advice"
	MailLink         = "link"   // a link the candidate asked for
	MailReopen       = "reopen" // the file is back with the candidate
)

// staleClaim is how long a claim by a worker that may have died is honoured.
const staleClaim = 10 * time.Minute

// ErrNotDue tells the worker that a mail needs no sending (already sent,
// superseded, claimed by another worker, or no longer relevant).
var ErrNotDue = errors.New("mail not due")

// ErrInFlight is the ErrNotDue of a mail another worker claimed and has
// not finished: its outbox task stays, so that the mail still goes out if
// that worker died (its claim goes stale).
var ErrInFlight = fmt.Errorf("mail being sent by another worker: %w", ErrNotDue)

// DeliveryKey builds the dedupe key of a mail.
func DeliveryKey(kind string, parts ...any) string {
	k := kind
	for _, p := range parts {
		k += fmt.Sprintf(":%v", p)
	}
	return k
}

// claim reserves a mail for this worker inside tx. It fails with ErrNotDue
// when the mail was sent, failed for good, or another worker is sending it.
func (s *Store) claim(tx *gorm.DB, d Delivery) error {
	now := s.now()
	d.Status, d.ClaimedAt, d.CreatedAt, d.Attempts = DeliverySending, now, now, 1
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&d)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 1 {
		return nil
	}
	res = tx.Model(&Delivery{}).Where("key = ? AND (status = ? OR (status = ? AND claimed_at < ?))", d.Key, DeliveryRetry, DeliverySending, now.Add(-staleClaim)).
		Updates(map[string]any{"status": DeliverySending, "claimed_at": now, "attempts": gorm.Expr("attempts + 1")})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		var cur Delivery
		if err := tx.Select("status").Take(&cur, "key = ?", d.Key).Error; err == nil && cur.Status == DeliverySending {
			return ErrInFlight
		}
		return ErrNotDue
	}
	return nil
}

// FinishDelivery records the outcome of a send: sent, a temporary failure
// (claimable again) or a permanent one (final: the board sees it). A sent or
// finally failed mail's outbox task is done in the same transaction.
func (s *Store) FinishDelivery(ctx context.Context, key string, sendErr error, final bool) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var d Delivery
		if err := tx.Take(&d, "key = ?", key).Error; err != nil {
			return notFound(err)
		}
		if d.Kind == MailInvitation && d.CandidateID != nil {
			// The file before its delivery row, as the claims take them
			// (locks.go): a claim of the same mail at this moment would
			// otherwise wait for this row while holding the file.
			if _, err := lockCandidate(tx, *d.CandidateID); err != nil {
				return err
			}
		}
		upd := map[string]any{}
		switch {
		case sendErr == nil:
			upd["status"], upd["sent_at"], upd["error"] = DeliverySent, s.now(), nil
		case final:
			upd["status"], upd["error"] = DeliveryFailed, truncate(scrubAddresses(sendErr.Error()), 300)
		default:
			upd["status"], upd["error"] = DeliveryRetry, truncate(scrubAddresses(sendErr.Error()), 300)
		}
		if err := tx.Model(&Delivery{}).Where("key = ?", key).Updates(upd).Error; err != nil {
			return err
		}
		if sendErr == nil || final {
			if err := taskDone(tx, mailTaskID(key)); err != nil {
				return err
			}
		}
		if sendErr != nil {
			if final && d.CandidateID != nil && d.Kind == MailInvitation {
				var c Candidate
				if err := tx.Select("id", "party_id").Take(&c, "id = ?", *d.CandidateID).Error; err == nil {
					return s.audit(tx, c.PartyID, &c.ID, SystemActor, "invitation.undeliverable")
				}
			}
			return nil
		}
		switch d.Kind {
		case MailInvitation:
			if err := tx.Model(&Candidate{}).Where("id = ? AND invite_sent_seq < ?", *d.CandidateID, d.Seq).UpdateColumn("invite_sent_seq", d.Seq).Error; err != nil {
				return err
			}
			var c Candidate
			if err := tx.Select("id", "party_id").Take(&c, "id = ?", *d.CandidateID).Error; err != nil {
				return err
			}
			return s.audit(tx, c.PartyID, &c.ID, SystemActor, "invitation.send")
		case MailSetup:
			return tx.Model(&User{}).Where("id = ? AND setup_sent_seq < ?", *d.UserID, d.Seq).UpdateColumn("setup_sent_seq", d.Seq).Error
		case MailPasswordReset:
			return tx.Model(&User{}).Where("id = ? AND reset_sent_seq < ?", *d.UserID, d.Seq).UpdateColumn("reset_sent_seq", d.Seq).Error
		case MailPasswordChanged:
			return tx.Model(&User{}).Where("id = ? AND password_sent_seq < ?", *d.UserID, d.Seq).UpdateColumn("password_sent_seq", d.Seq).Error
		}
		return nil
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// LatestDeliveries returns per candidate the newest delivery of a kind.
func (s *Store) LatestDeliveries(ctx context.Context, kind string, candidateIDs []string) (map[string]Delivery, error) {
	return s.latestDeliveries(ctx, kind, "candidate_id", candidateIDs, func(d Delivery) string { return *d.CandidateID })
}

// UserDeliveries returns per user the newest delivery of a kind.
func (s *Store) UserDeliveries(ctx context.Context, kind string, userIDs []string) (map[string]Delivery, error) {
	return s.latestDeliveries(ctx, kind, "user_id", userIDs, func(d Delivery) string { return *d.UserID })
}

// latestDeliveries keeps the newest delivery of a kind per owner id; column
// is a fixed column name, never user input.
func (s *Store) latestDeliveries(ctx context.Context, kind, column string, ids []string, owner func(Delivery) string) (map[string]Delivery, error) {
	out := map[string]Delivery{}
	if len(ids) == 0 {
		return out, nil
	}
	var ds []Delivery
	if err := s.db.WithContext(ctx).Where("kind = ? AND "+column+" IN ?", kind, ids).Order("created_at").Find(&ds).Error; err != nil {
		return nil, err
	}
	for _, d := range ds {
		out[owner(d)] = d
	}
	return out, nil
}

// Deliveries lists all deliveries of a candidate (tests and the reminder scan).
func (s *Store) Deliveries(ctx context.Context, candidateID string) ([]Delivery, error) {
	var ds []Delivery
	err := s.db.WithContext(ctx).Where("candidate_id = ?", candidateID).Order("created_at").Find(&ds).Error
	return ds, err
}

// MailContext is what a worker needs to render a candidate mail.
type MailContext struct {
	Key       string
	Candidate *Candidate
	Round     *Round
	Party     *Party
	Token     string // a fresh link token, when the mail carries a link
	Expires   time.Time
}

// loadMailContext reads candidate (opened: the mail needs name and
// address), round and party inside tx.
func (s *Store) loadMailContext(tx *gorm.DB, candidateID string) (*MailContext, error) {
	c, err := lockCandidate(tx, candidateID)
	if err != nil {
		return nil, err
	}
	if err := s.openCandidate(c); err != nil {
		return nil, err
	}
	var r Round
	if err := tx.First(&r, "id = ?", c.RoundID).Error; err != nil {
		return nil, err
	}
	var p Party
	if err := tx.First(&p, "id = ?", c.PartyID).Error; err != nil {
		return nil, err
	}
	return &MailContext{Candidate: c, Round: &r, Party: &p}, nil
}

// rotateLink gives the candidate a new link token (the old link stops
// working) with the given expiry; only the hash is stored.
func (s *Store) rotateLink(tx *gorm.DB, mc *MailContext, expires time.Time) error {
	token, hash := secure.NewToken()
	if err := tx.Model(&Candidate{}).Where("id = ?", mc.Candidate.ID).
		Updates(map[string]any{"invite_token_hash": hash, "invite_expires_at": expires, "updated_at": s.now()}).Error; err != nil {
		return err
	}
	mc.Token, mc.Expires = token, expires
	return nil
}

// ClaimInvitation claims invitation number seq and creates its link token
// at send time.
func (s *Store) ClaimInvitation(ctx context.Context, candidateID string, seq int) (*MailContext, error) {
	var mc *MailContext
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if mc, err = s.loadMailContext(tx, candidateID); err != nil {
			return err
		}
		c := mc.Candidate
		if c.Status != StatusInvited || c.InviteSeq != seq || c.InviteSentSeq >= seq {
			return ErrNotDue
		}
		mc.Key = DeliveryKey(MailInvitation, c.ID, seq)
		if err := s.claim(tx, Delivery{Key: mc.Key, Kind: MailInvitation, Seq: seq, CandidateID: &c.ID}); err != nil {
			return err
		}
		now := s.now()
		exp := now.Add(InvitationTTL)
		if mc.Round.Deadline.After(now) && mc.Round.Deadline.Before(exp) {
			exp = mc.Round.Deadline
		}
		return s.rotateLink(tx, mc, exp)
	})
	return mc, err
}

// Reminder stages.
const (
	Reminder3d = "3d"
	Reminder1d = "1d"
)

// ClaimReminder claims a reminder stage and rotates the link (the reminder
// carries a working link; its expiry stays).
func (s *Store) ClaimReminder(ctx context.Context, candidateID string, seq int, stage string) (*MailContext, error) {
	var mc *MailContext
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if mc, err = s.loadMailContext(tx, candidateID); err != nil {
			return err
		}
		c := mc.Candidate
		if (c.Status != StatusInvited && c.Status != StatusInProgress) || c.InviteSeq != seq {
			return ErrNotDue
		}
		due, ok := reminderDue(c, mc.Round, s.now())
		if !ok || due != stage {
			return ErrNotDue
		}
		mc.Key = DeliveryKey(MailReminder, c.ID, seq, stage)
		if err := s.claim(tx, Delivery{Key: mc.Key, Kind: MailReminder, Seq: seq, CandidateID: &c.ID}); err != nil {
			return err
		}
		exp := mc.Round.Deadline
		if c.InviteExpiresAt != nil && c.InviteExpiresAt.Before(exp) {
			exp = *c.InviteExpiresAt
		}
		return s.rotateLink(tx, mc, exp)
	})
	return mc, err
}

// reminderEnd is when the candidate's time runs out: the link's expiry or
// the round deadline, whichever is first.
func reminderEnd(c *Candidate, r *Round) time.Time {
	end := r.Deadline
	if c.InviteExpiresAt != nil && c.InviteExpiresAt.Before(end) {
		end = *c.InviteExpiresAt
	}
	return end
}

// reminderDue tells which reminder stage is due now: within a day of the end
// the 1-day reminder, within three days the 3-day one; nothing in the first
// day after the invitation, nothing after the end.
func reminderDue(c *Candidate, r *Round, now time.Time) (string, bool) {
	if c.InviteSentSeq < c.InviteSeq || now.Sub(c.CreatedAt) < 24*time.Hour {
		return "", false
	}
	left := reminderEnd(c, r).Sub(now)
	switch {
	case left <= 0:
		return "", false
	case left <= 24*time.Hour:
		return Reminder1d, true
	case left <= 72*time.Hour:
		return Reminder3d, true
	}
	return "", false
}

// ReminderDue is one reminder that should go out.
type ReminderDue struct {
	CandidateID string
	Seq         int
	Stage       string
}

// DueReminders lists the reminders due now that were not sent yet.
func (s *Store) DueReminders(ctx context.Context) ([]ReminderDue, error) {
	db := s.db.WithContext(ctx)
	now := s.now()
	// Only files whose time runs out within three days can be due: at
	// national scale most of the tens of thousands of open files are not,
	// and the scan runs every few minutes.
	horizon := now.Add(72 * time.Hour)
	var cs []Candidate
	if err := db.Select("id", "round_id", "status", "invite_seq", "invite_sent_seq", "invite_expires_at", "created_at").
		Where("status IN ?", []Status{StatusInvited, StatusInProgress}).
		Where("invite_expires_at <= ? OR round_id IN (?)", horizon, db.Model(&Round{}).Select("id").Where("deadline <= ?", horizon)).
		Find(&cs).Error; err != nil {
		return nil, err
	}
	rounds := map[string]*Round{}
	var out []ReminderDue
	for i := range cs {
		c := &cs[i]
		r, ok := rounds[c.RoundID]
		if !ok {
			var rr Round
			if err := db.First(&rr, "id = ?", c.RoundID).Error; err != nil {
				return nil, err
			}
			r, rounds[c.RoundID] = &rr, &rr
		}
		stage, ok := reminderDue(c, r, now)
		if !ok {
			continue
		}
		var n int64
		if err := db.Model(&Delivery{}).Where("key = ? AND status IN ?", DeliveryKey(MailReminder, c.ID, c.InviteSeq, stage), []string{DeliverySent, DeliveryFailed}).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 {
			out = append(out, ReminderDue{CandidateID: c.ID, Seq: c.InviteSeq, Stage: stage})
		}
	}
	return out, nil
}

// ClaimHearingNotice claims the notice of a hearing and gives the candidate
// a link of its own that works until the reply is due.
func (s *Store) ClaimHearingNotice(ctx context.Context, hearingID string) (*MailContext, *Hearing, error) {
	var mc *MailContext
	var h Hearing
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&h, "id = ?", hearingID).Error; err != nil {
			return notFound(err)
		}
		var err error
		if mc, err = s.loadMailContext(tx, h.CandidateID); err != nil {
			return err
		}
		if h.RepliedAt != nil || !s.now().Before(h.ReplyDue) || mc.Candidate.Status != StatusProfiled {
			return ErrNotDue
		}
		mc.Key = DeliveryKey(MailHearing, h.ID)
		if err := s.claim(tx, Delivery{Key: mc.Key, Kind: MailHearing, CandidateID: &mc.Candidate.ID}); err != nil {
			return err
		}
		// A link of its own: the invitation's token and expiry (which the
		// board sees) stay as they are.
		return s.newLink(tx, mc, LinkHearing, h.ReplyDue)
	})
	return mc, &h, err
}

// ClaimCandidateNotice claims a mail to the candidate without a link
// (the submission receipt).
func (s *Store) ClaimCandidateNotice(ctx context.Context, kind, candidateID string, seq int) (*MailContext, error) {
	var mc *MailContext
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if mc, err = s.loadMailContext(tx, candidateID); err != nil {
			return err
		}
		mc.Key = DeliveryKey(kind, candidateID, seq)
		return s.claim(tx, Delivery{Key: mc.Key, Kind: kind, Seq: seq, CandidateID: &candidateID})
	})
	return mc, err
}

// ClaimMemberNotice claims a mail about a candidate to a member (profile
// ready to the committee, advice available to the board).
func (s *Store) ClaimMemberNotice(ctx context.Context, kind, candidateID, userID string, seq int) (*MailContext, *User, error) {
	var mc *MailContext
	var u User
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if mc, err = s.loadMailContext(tx, candidateID); err != nil {
			return err
		}
		if err := tx.Take(&u, "id = ?", userID).Error; err != nil {
			return notFound(err)
		}
		mc.Key = DeliveryKey(kind, candidateID, seq, userID)
		return s.claim(tx, Delivery{Key: mc.Key, Kind: kind, Seq: seq, CandidateID: &candidateID, UserID: &userID})
	})
	return mc, &u, err
}

// SetupMail is what the worker needs for an account set-up mail.
type SetupMail struct {
	Key     string
	User    *User
	Party   *Party
	Role    string
	Token   string
	Expires time.Time
}

// ClaimSetup claims set-up mail number seq and creates the set-up token.
func (s *Store) ClaimSetup(ctx context.Context, userID string, seq int) (*SetupMail, error) {
	var sm SetupMail
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, "id = ?", userID).Error; err != nil {
			return notFound(err)
		}
		if u.PasswordHash != nil || u.SetupSeq != seq || u.SetupSentSeq >= seq || u.SetupPartyID == nil {
			return ErrNotDue
		}
		// No mail for a membership still waiting for the committee.
		var m Membership
		if err := tx.Select("status").Take(&m, "party_id = ? AND user_id = ?", *u.SetupPartyID, u.ID).Error; err != nil || m.Status == MemberPending {
			return ErrNotDue
		}
		var p Party
		if err := tx.Take(&p, "id = ?", *u.SetupPartyID).Error; err != nil {
			return err
		}
		sm = SetupMail{Key: DeliveryKey(MailSetup, u.ID, seq), User: &u, Party: &p}
		if u.SetupRole != nil {
			sm.Role = *u.SetupRole
		}
		if err := s.claim(tx, Delivery{Key: sm.Key, Kind: MailSetup, Seq: seq, UserID: &u.ID}); err != nil {
			return err
		}
		token, hash := secure.NewToken()
		sm.Token, sm.Expires = token, s.now().Add(SetupLinkTTL)
		return tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"setup_token_hash": hash, "setup_expires_at": sm.Expires}).Error
	})
	return &sm, err
}

// ExpireDue moves invited and busy candidates whose round deadline passed
// to expired; it returns how many.
func (s *Store) ExpireDue(ctx context.Context) (int, error) {
	db := s.db.WithContext(ctx)
	var cs []Candidate
	past := db.Model(&Round{}).Select("id").Where("deadline < ?", s.now())
	if err := db.Select("id").Where("status IN ? AND round_id IN (?)", []Status{StatusInvited, StatusInProgress}, past).Find(&cs).Error; err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cs {
		err := s.tx(ctx, func(tx *gorm.DB) error {
			cc, err := lockCandidate(tx, c.ID)
			if err != nil {
				return err
			}
			if err := s.move(tx, cc, ActExpire, nil); err != nil {
				return err
			}
			if err := tx.Where("candidate_id = ?", cc.ID).Delete(&Session{}).Error; err != nil {
				return err
			}
			return s.audit(tx, cc.PartyID, &cc.ID, SystemActor, "candidate.expire")
		})
		var te *TransitionError
		if errors.As(err, &te) {
			continue
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
