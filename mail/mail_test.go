package mail

import (
	"strings"
	"testing"
	"time"
)

func TestInvitation(t *testing.T) {
	exp := time.Date(2026, 12, 5, 22, 59, 0, 0, time.UTC)
	m := Invitation("GroenLinks Utrecht", "Anna de Vries", "Raad 2026", "http://x/uitnodiging/abc", exp)
	for _, want := range []string{"Anna de Vries", "GroenLinks Utrecht", "http://x/uitnodiging/abc", "5 december 2026", "selectiecommissie"} {
		if !strings.Contains(m.Text, want) && !strings.Contains(m.Subject, want) {
			t.Errorf("invitation lacks %q", want)
		}
	}
}
