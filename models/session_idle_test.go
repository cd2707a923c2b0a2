package models_test

import (
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/models"
)

// TestSessionIdleEnd: the idle deadline counts from the last request and
// never passes the absolute end.
func TestSessionIdleEnd(t *testing.T) {
	now := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	s := models.Session{LastSeenAt: now, IdleSeconds: 1800, ExpiresAt: now.Add(12 * time.Hour)}
	if got := s.IdleEnd(); !got.Equal(now.Add(30 * time.Minute)) {
		t.Errorf("IdleEnd = %v, want last seen + 30 min", got)
	}
	s.ExpiresAt = now.Add(10 * time.Minute)
	if got := s.IdleEnd(); !got.Equal(s.ExpiresAt) {
		t.Errorf("IdleEnd = %v, want the absolute end %v", got, s.ExpiresAt)
	}
}
