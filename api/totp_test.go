package api_test

import (
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/secure"
)

// TestTOTP: committee members must enrol before reading anything; then a
// login needs the app's code (once) or a recovery code (once).
func TestTOTP(t *testing.T) {
	apptest.ClearOfLimitWindow(5*time.Minute, 90*time.Second) // TOTP codes
	apptest.ClearOfLimitWindow(15*time.Minute, 90*time.Second)
	ck := &clock{}
	e := apptest.Start(t, apptest.RequireTOTP(), apptest.WithClock(ck.Now))
	admin := e.Admin()
	// The admin must enrol too.
	r := e.Must(403, "POST", v1+"/parties", admin, map[string]string{"name": "P"})
	if code, _ := errCode(t, r); code != "tweestaps_vereist" {
		t.Fatalf("code %q", code)
	}
	adminSecret := e.Must(201, "POST", v1+"/me/totp", admin, nil).Map(t)["secret"].(string)
	e.Must(200, "POST", v1+"/me/totp/confirm", admin, map[string]string{"code": secure.TOTPCode(adminSecret, ck.Now())})
	pid := e.Must(201, "POST", v1+"/parties", admin, map[string]string{"name": "P"}).Map(t)["id"].(string)
	pw := "wachtwoord-van-test-1"
	e.Must(201, "POST", v1+"/parties/"+pid+"/members", admin, map[string]string{"email": "b@t.nl", "name": "B", "role": "bestuur", "password": pw})
	e.Must(201, "POST", v1+"/parties/"+pid+"/members", admin, map[string]string{"email": "c@t.nl", "name": "C", "role": "commissie", "password": pw})

	// The board does not need it; the committee does.
	board := e.Login("b@t.nl", pw)
	e.Must(200, "GET", v1+"/parties/"+pid+"/rounds", board, nil)
	com := e.Login("c@t.nl", pw)
	e.Must(200, "GET", v1+"/me", com, nil)
	e.Must(403, "GET", v1+"/parties/"+pid+"/rounds", com, nil)

	start := e.Must(201, "POST", v1+"/me/totp", com, nil).Map(t)
	secret := start["secret"].(string)
	if start["qr_png"] == "" || start["otpauth_url"] == "" {
		t.Fatalf("enrolment lacks QR or URL: %v", start)
	}
	e.Must(401, "POST", v1+"/me/totp/confirm", com, map[string]string{"code": "000000"})
	codes := e.Must(200, "POST", v1+"/me/totp/confirm", com, map[string]string{"code": secure.TOTPCode(secret, ck.Now())}).Map(t)["recovery_codes"].([]any)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes", len(codes))
	}
	e.Must(200, "GET", v1+"/parties/"+pid+"/rounds", com, nil)

	login := func(code string) int {
		return e.Do("POST", v1+"/session", "", map[string]string{"email": "c@t.nl", "password": pw, "code": code}).Status
	}
	if s := login(""); s != 401 {
		t.Fatalf("login without code: %d", s)
	}
	ck.Advance(30 * time.Second)
	code := secure.TOTPCode(secret, ck.Now())
	if s := login(code); s != 201 {
		t.Fatalf("login with code: %d", s)
	}
	if s := login(code); s != 401 {
		t.Fatalf("replayed code: %d", s)
	}
	rc := codes[0].(string)
	if s := login(rc); s != 201 {
		t.Fatalf("recovery code: %d", s)
	}
	if s := login(rc); s != 401 {
		t.Fatalf("recovery code used twice: %d", s)
	}
	// Guessing codes is rate limited per user.
	ck.Advance(30 * time.Second)
	limited := false
	for i := 0; i < 8; i++ {
		if login("123456") == 429 {
			limited = true
		}
	}
	if !limited {
		t.Fatal("code guessing not rate limited")
	}
}
