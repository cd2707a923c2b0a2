package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/secure"
)

// Session lifetimes: an absolute maximum, and an idle timeout that is
// short for whoever can read candidate files (committee, admin).
const (
	SessionLifetime  = 12 * time.Hour
	IdleConfidential = 30 * time.Minute
	IdleDefault      = 2 * time.Hour
	SetupLinkTTL     = 7 * 24 * time.Hour
)

// NormalizeEmail lower-cases and trims an address.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// CreateUser adds a user with a password (CLI and tests).
func (s *Store) CreateUser(ctx context.Context, email, name, password string, admin bool) (*User, error) {
	hash, err := secure.HashPassword(password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{ID: newID(), Email: NormalizeEmail(email), Name: strings.TrimSpace(name), PasswordHash: &hash, IsAdmin: admin, CreatedAt: now, UpdatedAt: now}
	if err := s.db.WithContext(ctx).Create(u).Error; err != nil {
		return nil, notFound(err)
	}
	return u, nil
}

// UserByEmail finds a user.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).First(&u, "email = ?", NormalizeEmail(email)).Error; err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// Authenticate checks e-mail and password; unknown accounts cost the same
// time and give the same error as a wrong password.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*User, error) {
	u, err := s.UserByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) || (err == nil && u.PasswordHash == nil) {
		secure.BurnPasswordCheck(password)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	if !secure.CheckPassword(*u.PasswordHash, password) {
		return nil, ErrBadCredentials
	}
	return u, nil
}

// CreateSession starts a session for a user or a candidate; the token is
// returned once and stored only as a hash. A user's session made this way
// has no second factor: once the user has enrolled in two-step
// verification it is not valid (see CreateUserSession).
func (s *Store) CreateSession(ctx context.Context, userID, candidateID *string) (string, error) {
	return s.createSession(ctx, userID, candidateID, false)
}

// CreateUserSession starts a user's session; secondFactor records that the
// login showed a TOTP or recovery code.
func (s *Store) CreateUserSession(ctx context.Context, userID string, secondFactor bool) (string, error) {
	return s.createSession(ctx, &userID, nil, secondFactor)
}

func (s *Store) createSession(ctx context.Context, userID, candidateID *string, secondFactor bool) (string, error) {
	token, hash := secure.NewToken()
	now := s.now()
	idle := IdleDefault
	if userID != nil {
		var n int64
		if err := s.db.WithContext(ctx).Model(&Membership{}).Where("user_id = ? AND role = ? AND status = ?", *userID, RoleCommissie, MemberActive).Count(&n).Error; err != nil {
			return "", err
		}
		var u User
		if err := s.db.WithContext(ctx).Select("is_admin").Take(&u, "id = ?", *userID).Error; err != nil {
			return "", notFound(err)
		}
		if n > 0 || u.IsAdmin {
			idle = IdleConfidential
		}
	}
	sess := Session{ID: newID(), TokenHash: hash, UserID: userID, CandidateID: candidateID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionLifetime), IdleSeconds: int(idle / time.Second), SecondFactor: secondFactor}
	if err := s.db.WithContext(ctx).Create(&sess).Error; err != nil {
		return "", err
	}
	return token, nil
}

// Principal is who a session belongs to.
type Principal struct {
	Session   Session
	User      *User
	Candidate *Candidate
}

// SessionByToken resolves a session token; expired or unknown → ErrNotFound.
func (s *Store) SessionByToken(ctx context.Context, token string) (*Principal, error) {
	db := s.db.WithContext(ctx)
	// One query for the session and its user or candidate: it runs before
	// every authenticated request.
	var sess Session
	if err := db.Joins("User").Joins("Candidate").Take(&sess, "sessions.token_hash = ? AND sessions.mfa_pending = ?", secure.HashToken(token), false).Error; err != nil {
		return nil, notFound(err)
	}
	now := s.now()
	if !sess.ExpiresAt.After(now) || now.Sub(sess.LastSeenAt) > time.Duration(sess.IdleSeconds)*time.Second {
		_ = db.Where("id = ?", sess.ID).Delete(&Session{}).Error
		return nil, ErrNotFound
	}
	p := &Principal{Session: sess}
	switch {
	case sess.UserID != nil && sess.User != nil && sess.User.ID != "":
		if sess.User.TOTPEnabledAt != nil && !sess.SecondFactor {
			// Made with the password alone (before the user enrolled, or in
			// a race with the enrolment): it never gains access.
			if err := db.Where("id = ?", sess.ID).Delete(&Session{}).Error; err != nil {
				return nil, err
			}
			return nil, ErrNotFound
		}
		p.User = sess.User
	case sess.CandidateID != nil && sess.Candidate != nil && sess.Candidate.ID != "":
		// The data key stays memoised on the value for the rest of the
		// request (autosave seals with it next).
		if err := s.openCandidate(sess.Candidate); err != nil {
			return nil, err
		}
		p.Candidate = sess.Candidate
	default:
		return nil, ErrNotFound
	}
	p.Session.User, p.Session.Candidate = nil, nil
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := db.Model(&Session{}).Where("id = ?", sess.ID).UpdateColumn("last_seen_at", now).Error; err != nil {
			return nil, err
		}
		p.Session.LastSeenAt = now // the idle deadline the page is told (Session.IdleEnd)
	}
	return p, nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Where("token_hash = ?", secure.HashToken(token)).Delete(&Session{}).Error
}

// DeleteAllSessions ends every session of the token's owner ("log out
// everywhere").
func (s *Store) DeleteAllSessions(ctx context.Context, p *Principal) error {
	q := s.db.WithContext(ctx)
	if p.User != nil {
		return q.Where("user_id = ?", p.User.ID).Delete(&Session{}).Error
	}
	return q.Where("candidate_id = ?", p.Candidate.ID).Delete(&Session{}).Error
}

// Memberships lists a user's active parties and roles (a proposal or an
// invitation not accepted yet gives nothing).
func (s *Store) Memberships(ctx context.Context, userID string) ([]Membership, error) {
	var ms []Membership
	err := s.db.WithContext(ctx).Where("user_id = ? AND status = ?", userID, MemberActive).Order("created_at").Find(&ms).Error
	return ms, err
}

// MemberRole is the user's role in a party, or "" when not an active
// member (a proposed or invited member has no role yet).
func (s *Store) MemberRole(ctx context.Context, userID, partyID string) (string, error) {
	var m Membership
	err := s.db.WithContext(ctx).Select("role").Where("user_id = ? AND party_id = ? AND status = ?", userID, partyID, MemberActive).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	}
	return m.Role, err
}

// CreateParty adds a party (admin).
func (s *Store) CreateParty(ctx context.Context, actor Actor, name string) (*Party, error) {
	p := &Party{ID: newID(), Name: strings.TrimSpace(name), MaxVOGAgeDays: 183, RetentionDecidedDays: 183, RetentionWithdrawnDays: 28,
		ReferencesRequired: DefaultReferences, CreatedAt: s.now()}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(p).Error; err != nil {
			return err
		}
		return s.audit(tx, p.ID, nil, actor, "party.create")
	})
	if err != nil {
		return nil, err
	}
	return s.Party(ctx, p.ID)
}

// Party loads a party.
func (s *Store) Party(ctx context.Context, id string) (*Party, error) {
	var p Party
	if err := s.db.WithContext(ctx).First(&p, "id = ?", id).Error; err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// Parties lists all parties (admin).
func (s *Store) Parties(ctx context.Context) ([]Party, error) {
	var ps []Party
	err := s.db.WithContext(ctx).Order("name").Find(&ps).Error
	return ps, err
}

// CompleteSetup sets the password from a set-up link; the link works once.
func (s *Store) CompleteSetup(ctx context.Context, token, password string) (*User, error) {
	hash, err := secure.HashPassword(password)
	if err != nil {
		return nil, err
	}
	var u User
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// Locked: the link works once, also when it is used twice at the
		// same moment (the second finds no row with the token any more).
		if err := tx.Clauses(rowLock).First(&u, "setup_token_hash = ?", secure.HashToken(token)).Error; err != nil {
			return notFound(err)
		}
		if u.SetupExpiresAt == nil || !u.SetupExpiresAt.After(s.now()) {
			return ErrGone
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"password_hash": hash, "setup_token_hash": nil, "setup_expires_at": nil, "updated_at": s.now(),
		}).Error; err != nil {
			return err
		}
		// Choosing the password is the acceptance of the membership the
		// set-up mail was for.
		return s.acceptBySetup(tx, &u)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}
