package models

import (
	"context"
	"time"
)

// IdleEnd is when the session ends if nothing happens: the idle deadline,
// never after the absolute lifetime.
func (s Session) IdleEnd() time.Time {
	end := s.LastSeenAt.Add(time.Duration(s.IdleSeconds) * time.Second)
	if s.ExpiresAt.Before(end) {
		return s.ExpiresAt
	}
	return end
}

// ExtendSession is the keep-alive ("Ingelogd blijven"): the session's idle
// deadline starts again from now (never beyond the absolute lifetime). The
// session is read back, so a session that ended in the meantime gives
// ErrNotFound.
func (s *Store) ExtendSession(ctx context.Context, sessionID string) (Session, error) {
	db := s.db.WithContext(ctx)
	now := s.now()
	res := db.Model(&Session{}).Where("id = ? AND expires_at > ?", sessionID, now).UpdateColumn("last_seen_at", now)
	if res.Error != nil {
		return Session{}, res.Error
	}
	if res.RowsAffected == 0 {
		return Session{}, ErrNotFound
	}
	var sess Session
	if err := db.Take(&sess, "id = ?", sessionID).Error; err != nil {
		return Session{}, notFound(err)
	}
	return sess, nil
}
