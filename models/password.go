package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/secure"
)

// Password mails and the reset link's lifetime.
const (
	MailPasswordReset   = "password_reset"
	MailPasswordChanged = "password_changed"
	ResetLinkTTL        = time.Hour
)

// wrongPassword is a wrong current password when changing it (422).
func wrongPassword() error {
	return &ValidationError{Code: "password", Fields: map[string]string{"current_password": "wrong"}}
}

// auditAccount records an account event in the chain of every party the
// user is a member of (a platform admin without a party has none).
func (s *Store) auditAccount(tx *gorm.DB, userID string, actor Actor, action string) error {
	var ms []Membership
	if err := tx.Select("party_id").Where("user_id = ?", userID).Find(&ms).Error; err != nil {
		return err
	}
	for _, m := range ms {
		if err := s.audit(tx, m.PartyID, nil, actor, action); err != nil {
			return err
		}
	}
	return nil
}

// setPassword stores a new password hash, writes the notice to the owner
// (an outbox task) and ends the user's sessions (all but keepSession, when
// set).
func (s *Store) setPassword(tx *gorm.DB, u *User, hash, keepSession string) error {
	u.PasswordSeq++
	if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
		"password_hash": hash, "password_seq": u.PasswordSeq, "reset_token_hash": nil, "reset_expires_at": nil, "updated_at": s.now(),
	}).Error; err != nil {
		return err
	}
	if err := s.addTasks(tx, mailTask(MailPayload{Kind: MailPasswordChanged, UserID: u.ID, Seq: u.PasswordSeq})); err != nil {
		return err
	}
	q := tx.Where("user_id = ?", u.ID)
	if keepSession != "" {
		q = q.Where("id <> ?", keepSession)
	}
	return q.Delete(&Session{}).Error
}

// ChangePassword sets a new password after checking the current one; the
// user's other sessions end and the owner gets a notice (PasswordSeq).
func (s *Store) ChangePassword(ctx context.Context, userID, sessionID, current, next string) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).Take(&u, "id = ?", userID).Error; err != nil {
		return nil, notFound(err)
	}
	if u.PasswordHash == nil || !secure.CheckPassword(*u.PasswordHash, current) {
		return nil, wrongPassword()
	}
	hash, err := secure.HashPassword(next)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// The hash checked above must still be the current one, and stay
		// so until commit: of two changes at the same moment with the same
		// current password, the second finds it changed.
		if err := tx.Clauses(rowLock).Take(&u, "id = ? AND password_hash = ?", userID, *u.PasswordHash).Error; err != nil {
			return wrongPassword()
		}
		if err := s.setPassword(tx, &u, hash, sessionID); err != nil {
			return err
		}
		return s.auditAccount(tx, u.ID, Actor{ID: u.ID, Role: "gebruiker"}, "account.password_change")
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// RequestPasswordReset writes a reset mail (an outbox task) for an active
// account (one with a password). An unknown address, or one still waiting for its set-up
// link, gives ok=false and changes nothing; the caller answers the same.
func (s *Store) RequestPasswordReset(ctx context.Context, email string) (u *User, ok bool, err error) {
	var cur User
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Clauses(rowLock).Take(&cur, "email = ? AND password_hash IS NOT NULL", NormalizeEmail(email)).Error; err != nil {
			return err
		}
		cur.ResetSeq++
		if err := tx.Model(&User{}).Where("id = ?", cur.ID).Updates(map[string]any{"reset_seq": cur.ResetSeq, "reset_token_hash": nil, "reset_expires_at": nil}).Error; err != nil {
			return err
		}
		return s.addTasks(tx, mailTask(MailPayload{Kind: MailPasswordReset, UserID: cur.ID, Seq: cur.ResetSeq}))
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return &cur, true, nil
}

// ResetPassword sets a new password from a reset link (it works once and
// expires); every session of the user ends and the owner gets a notice.
func (s *Store) ResetPassword(ctx context.Context, token, password string) (*User, error) {
	hash, err := secure.HashPassword(password)
	if err != nil {
		return nil, err
	}
	var u User
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// Locked: the link works once, also when it is used twice at the
		// same moment (the second finds no row with the token any more).
		if err := tx.Clauses(rowLock).Take(&u, "reset_token_hash = ?", secure.HashToken(token)).Error; err != nil {
			return notFound(err)
		}
		if u.ResetExpiresAt == nil || !u.ResetExpiresAt.After(s.now()) || u.PasswordHash == nil {
			return ErrGone
		}
		if err := s.setPassword(tx, &u, hash, ""); err != nil {
			return err
		}
		return s.auditAccount(tx, u.ID, Actor{ID: u.ID, Role: "gebruiker"}, "account.password_reset")
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// ResetMail is what the worker needs for a reset mail.
type ResetMail struct {
	Key     string
	User    *User
	Token   string
	Expires time.Time
}

// ClaimPasswordReset claims reset mail number seq and creates its token.
func (s *Store) ClaimPasswordReset(ctx context.Context, userID string, seq int) (*ResetMail, error) {
	var rm ResetMail
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, "id = ?", userID).Error; err != nil {
			return notFound(err)
		}
		if u.PasswordHash == nil || u.ResetSeq != seq || u.ResetSentSeq >= seq {
			return ErrNotDue
		}
		rm = ResetMail{Key: DeliveryKey(MailPasswordReset, u.ID, seq), User: &u}
		if err := s.claim(tx, Delivery{Key: rm.Key, Kind: MailPasswordReset, Seq: seq, UserID: &u.ID}); err != nil {
			return err
		}
		token, hash := secure.NewToken()
		rm.Token, rm.Expires = token, s.now().Add(ResetLinkTTL)
		return tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"reset_token_hash": hash, "reset_expires_at": rm.Expires}).Error
	})
	return &rm, err
}

// ClaimPasswordNotice claims the notice about password change number seq.
func (s *Store) ClaimPasswordNotice(ctx context.Context, userID string, seq int) (string, *User, error) {
	var u User
	key := DeliveryKey(MailPasswordChanged, userID, seq)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&u, "id = ?", userID).Error; err != nil {
			return notFound(err)
		}
		if u.PasswordSeq < seq || u.PasswordSentSeq >= seq {
			return ErrNotDue
		}
		return s.claim(tx, Delivery{Key: key, Kind: MailPasswordChanged, Seq: seq, UserID: &u.ID})
	})
	return key, &u, err
}
