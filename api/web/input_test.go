package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/internal/apptest"
)

// TestLeak_ControlCharactersInForms (finding 16, pages): a NUL in a form
// field is a Dutch 422 page and nothing is stored; a closing date years
// ahead is refused by the same rule as the API's.
func TestLeak_ControlCharactersInForms(t *testing.T) {
	e := apptest.Start(t)
	admin := e.Admin()
	pid := e.Must(201, "POST", "/api/v1/parties", admin, map[string]string{"name": "Partij Noord"}).Map(t)["id"].(string)
	pw := "wachtwoord-voor-test-1"
	e.Must(201, "POST", "/api/v1/parties/"+pid+"/members", admin, map[string]string{"email": "b@noord.nl", "name": "B", "role": "bestuur", "password": pw})
	board := page{t: t, e: e, token: e.Login("b@noord.nl", pw), jar: map[string]string{}}

	for _, tt := range []struct {
		name string
		form url.Values
		want string
	}{
		{"NUL in the round name", url.Values{"name": {"Raad\x00"}, "office": {"raadslid"}, "deadline-day": {"1"}, "deadline-month": {"2"}, "deadline-year": {"2027"}}, "onzichtbaar stuurteken"},
		{"closing date in 2099", url.Values{"name": {"Raad"}, "office": {"raadslid"}, "deadline-day": {"1"}, "deadline-month": {"2"}, "deadline-year": {"2099"}}, "binnen een jaar"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, body := board.post("/bestuur/partij/"+pid+"/rondes", tt.form, 422)
			if !strings.Contains(body, tt.want) || !strings.Contains(body, `lang="nl"`) {
				t.Fatalf("page lacks %q:\n%s", tt.want, body)
			}
		})
	}
	if r := e.Must(200, "GET", "/api/v1/parties/"+pid+"/rounds", board.token, nil); strings.Contains(string(r.Body), "Raad") {
		t.Errorf("a refused round was stored: %s", r.Body)
	}
}
