package models

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/secure"
)

// ErrSecondFactor is a missing or wrong TOTP or recovery code.
var ErrSecondFactor = errors.New("second factor missing or wrong")

// NeedsTOTP reports whether a user can read candidate files (committee
// member or platform admin) and so must use two-step verification where
// the deployment requires it.
func (s *Store) NeedsTOTP(ctx context.Context, u *User) (bool, error) {
	if u.IsAdmin {
		return true, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&Membership{}).Where("user_id = ? AND role = ? AND status = ?", u.ID, RoleCommissie, MemberActive).Count(&n).Error
	return n > 0, err
}

// StartTOTP creates a new (not yet active) TOTP secret for the user and
// returns it with its otpauth URL and QR code.
func (s *Store) StartTOTP(ctx context.Context, u *User) (secret, url string, qr []byte, err error) {
	secret, url, qr, err = secure.NewTOTP(u.Email)
	if err != nil {
		return "", "", nil, err
	}
	enc, err := s.keys.SealSecret([]byte(secret), "totp:"+u.ID)
	if err != nil {
		return "", "", nil, err
	}
	upd := map[string]any{"totp_secret": enc, "updated_at": s.now()}
	if u.TOTPEnabledAt != nil {
		return "", "", nil, ErrTOTPActive
	}
	res := s.db.WithContext(ctx).Model(&User{}).Where("id = ? AND totp_enabled_at IS NULL", u.ID).Updates(upd)
	if res.Error != nil {
		return "", "", nil, res.Error
	}
	if res.RowsAffected == 0 {
		return "", "", nil, ErrTOTPActive
	}
	return secret, url, qr, nil
}

var ErrTOTPActive = &ReviewError{"tweestaps_actief"}

// PendingTOTP returns the user's unconfirmed secret (with its otpauth URL
// and QR code), or starts one when there is none: showing the enrolment
// page again changes nothing.
func (s *Store) PendingTOTP(ctx context.Context, u *User) (secret, url string, qr []byte, err error) {
	var cur User
	if err := s.db.WithContext(ctx).Select("id", "email", "totp_secret", "totp_enabled_at").Take(&cur, "id = ?", u.ID).Error; err != nil {
		return "", "", nil, notFound(err)
	}
	if cur.TOTPEnabledAt != nil {
		return "", "", nil, ErrTOTPActive
	}
	if len(cur.TOTPSecret) == 0 {
		return s.StartTOTP(ctx, &cur)
	}
	secret, err = s.totpSecret(&cur)
	if err != nil {
		return "", "", nil, err
	}
	url, qr, err = secure.TOTPEnrolment(cur.Email, secret)
	return secret, url, qr, err
}

func (s *Store) totpSecret(u *User) (string, error) {
	if len(u.TOTPSecret) == 0 {
		return "", ErrSecondFactor
	}
	b, err := s.keys.OpenSecret(u.TOTPSecret, "totp:"+u.ID)
	return string(b), err
}

// ConfirmTOTP activates the secret once the user shows a valid code and
// returns ten recovery codes (shown once; stored as hashes). The session
// that showed the code counts as two-step from then on; every other
// session of the user ends (they were made with the password alone).
func (s *Store) ConfirmTOTP(ctx context.Context, userID, sessionID, code string) ([]string, error) {
	var codes []string
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, "id = ?", userID).Error; err != nil {
			return notFound(err)
		}
		secret, err := s.totpSecret(&u)
		if err != nil {
			return err
		}
		step := secure.TOTPStep(secret, code, s.now())
		if step == 0 {
			return ErrSecondFactor
		}
		var hashes []string
		codes, hashes = secure.NewRecoveryCodes(10)
		hb, _ := json.Marshal(hashes)
		hs := string(hb)
		res := tx.Model(&User{}).Where("id = ? AND totp_enabled_at IS NULL", u.ID).Updates(map[string]any{
			"totp_enabled_at": s.now(), "totp_last_step": step, "recovery_codes": hs, "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrTOTPActive
		}
		if err := tx.Where("user_id = ? AND id <> ?", u.ID, sessionID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return tx.Model(&Session{}).Where("id = ? AND user_id = ?", sessionID, u.ID).Update("second_factor", true).Error
	})
	return codes, err
}

// VerifySecondFactor checks a TOTP code (each code works once) or a
// recovery code (consumed).
func (s *Store) VerifySecondFactor(ctx context.Context, userID, code string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, "id = ?", userID).Error; err != nil {
			return notFound(err)
		}
		if u.TOTPEnabledAt == nil {
			return nil
		}
		secret, err := s.totpSecret(&u)
		if err != nil {
			return err
		}
		if step := secure.TOTPStep(secret, code, s.now()); step != 0 {
			res := tx.Model(&User{}).Where("id = ? AND totp_last_step < ?", u.ID, step).UpdateColumn("totp_last_step", step)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return ErrSecondFactor // replayed code
			}
			return nil
		}
		if u.RecoveryCodes == nil {
			return ErrSecondFactor
		}
		var hashes []string
		if err := json.Unmarshal([]byte(*u.RecoveryCodes), &hashes); err != nil {
			return err
		}
		h := secure.RecoveryHash(code)
		i := slices.Index(hashes, h)
		if i < 0 {
			return ErrSecondFactor
		}
		hashes = slices.Delete(hashes, i, i+1)
		hb, _ := json.Marshal(hashes)
		// Conditional on the codes read: of two logins with the same code
		// at the same moment, the second finds them changed.
		res := tx.Model(&User{}).Where("id = ? AND recovery_codes = ?", u.ID, *u.RecoveryCodes).Update("recovery_codes", string(hb))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrSecondFactor
		}
		return nil
	})
}

// CreatePendingSession starts a session that only becomes valid after the
// second factor (the web login's code step).
func (s *Store) CreatePendingSession(ctx context.Context, userID string) (string, error) {
	tok, err := s.CreateSession(ctx, &userID, nil)
	if err != nil {
		return "", err
	}
	err = s.db.WithContext(ctx).Model(&Session{}).Where("token_hash = ?", secure.HashToken(tok)).Update("mfa_pending", true).Error
	return tok, err
}

// CompletePendingSession verifies the code and activates the session.
func (s *Store) CompletePendingSession(ctx context.Context, token, code string) (*User, error) {
	var sess Session
	if err := s.db.WithContext(ctx).Take(&sess, "token_hash = ? AND mfa_pending = ?", secure.HashToken(token), true).Error; err != nil {
		return nil, notFound(err)
	}
	if sess.UserID == nil || !sess.ExpiresAt.After(s.now()) {
		return nil, ErrNotFound
	}
	if err := s.VerifySecondFactor(ctx, *sess.UserID, code); err != nil {
		return nil, err
	}
	if err := s.db.WithContext(ctx).Model(&Session{}).Where("id = ?", sess.ID).Updates(map[string]any{"mfa_pending": false, "second_factor": true, "last_seen_at": s.now()}).Error; err != nil {
		return nil, err
	}
	var u User
	err := s.db.WithContext(ctx).Take(&u, "id = ?", *sess.UserID).Error
	return &u, err
}

// PendingUser returns the user of a pending (code step) session.
func (s *Store) PendingUser(ctx context.Context, token string) (*User, error) {
	var sess Session
	if err := s.db.WithContext(ctx).Take(&sess, "token_hash = ? AND mfa_pending = ?", secure.HashToken(token), true).Error; err != nil {
		return nil, notFound(err)
	}
	var u User
	if err := s.db.WithContext(ctx).Take(&u, "id = ?", *sess.UserID).Error; err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}
