package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/apptest"
)

// TestRateLimits: guessing at logins is stopped with a Dutch 429, per
// e-mail address and client, and shared by every API replica (the count is
// in Redis). Only wrong passwords count (TestLeak_LockoutByWrongPasswords
// shows the owner is not locked out on a known device).
func TestRateLimits(t *testing.T) {
	apptest.ClearOfLimitWindow(15*time.Minute, 90*time.Second)
	e := apptest.Start(t)
	e2 := e.Second()
	e.Admin()
	bad := map[string]string{"email": "admin@weerbaar.test", "password": "fout-fout-fout"}
	for i := 0; i < 8; i++ { // Admin()'s right password does not count
		env := e
		if i%2 == 1 {
			env = e2 // the other replica counts along
		}
		env.Must(401, "POST", v1+"/session", "", bad)
	}
	r := e2.Do("POST", v1+"/session", "", bad)
	if r.Status != 429 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("attempt 9: %d %v", r.Status, r.Header)
	}
	if code, _ := errCode(t, r); code != "te_veel_pogingen" || !strings.Contains(string(r.Body), "Probeer het over") {
		t.Fatalf("429 body: %s", r.Body)
	}
	// The guessing client waits even with the right password.
	e.Must(429, "POST", v1+"/session", "", map[string]string{"email": "admin@weerbaar.test", "password": "beheerder-wachtwoord-1"})
	// Guessing invitation links is limited per client.
	for i := 0; i < 30; i++ {
		e.Must(404, "POST", v1+"/invitations/geraden-"+strings.Repeat("x", i)+"/accept", "", nil)
	}
	e.Must(429, "POST", v1+"/invitations/nog-een/accept", "", nil)
}
