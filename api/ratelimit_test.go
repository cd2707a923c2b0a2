package api_test

import (
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/internal/apptest"
)

// TestRateLimits: guessing at logins is stopped with a Dutch 429, per
// e-mail address and shared by every API replica (the count is in Redis).
func TestRateLimits(t *testing.T) {
	e := apptest.Start(t)
	e2 := e.Second()
	e.Admin()
	bad := map[string]string{"email": "admin@weerbaar.test", "password": "fout-fout-fout"}
	for i := 0; i < 7; i++ { // Admin() logged in once: 8 attempts in all
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
	// Even the right password waits: the limit is on the address.
	e.Must(429, "POST", v1+"/session", "", map[string]string{"email": "admin@weerbaar.test", "password": "beheerder-wachtwoord-1"})
	// Guessing invitation links is limited per client.
	for i := 0; i < 30; i++ {
		e.Must(404, "POST", v1+"/invitations/geraden-"+strings.Repeat("x", i)+"/accept", "", nil)
	}
	e.Must(429, "POST", v1+"/invitations/nog-een/accept", "", nil)
}
