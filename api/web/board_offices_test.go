package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/apptest"
)

// TestBoardRoundFormOffices: the board's round form offers the seven
// offices; a round for each new office is created on questionnaire
// version 2 and listed with its Dutch label.
func TestBoardRoundFormOffices(t *testing.T) {
	e := apptest.Start(t)
	admin := e.Admin()
	pid := e.Must(201, "POST", "/api/v1/parties", admin, map[string]string{"name": "Partij Ambt"}).Map(t)["id"].(string)
	pw := "wachtwoord-voor-test-1"
	e.Must(201, "POST", "/api/v1/parties/"+pid+"/members", admin, map[string]string{"email": "b@ambt.nl", "name": "Bestuur", "role": "bestuur", "password": pw})
	board := page{t: t, e: e, token: e.Login("b@ambt.nl", pw), jar: map[string]string{}}
	form := board.get("/bestuur/partij/" + pid)
	labels := map[string]string{"statenlid": "Lid Provinciale Staten", "gedeputeerde": "Gedeputeerde", "waterschap_ab": "Lid algemeen bestuur waterschap", "waterschap_db": "Lid dagelijks bestuur waterschap"}
	for _, o := range []string{"raadslid", "wethouder", "commissielid", "statenlid", "gedeputeerde", "waterschap_ab", "waterschap_db"} {
		if !strings.Contains(form, `name="office" value="`+o+`"`) {
			t.Errorf("round form lacks office %s", o)
		}
	}
	y := time.Now().AddDate(0, 2, 0)
	for o, label := range labels {
		loc, _ := board.post("/bestuur/partij/"+pid+"/rondes", url.Values{"name": {"Ronde " + o}, "office": {o},
			"deadline-day": {itoa(y.Day())}, "deadline-month": {itoa(int(y.Month()))}, "deadline-year": {itoa(y.Year())}}, 303)
		rid := strings.TrimPrefix(loc, "/bestuur/ronde/")
		var rounds []map[string]any
		e.Must(200, "GET", "/api/v1/parties/"+pid+"/rounds", board.token, nil).JSON(t, &rounds)
		found := false
		for _, r := range rounds {
			if r["id"] == rid {
				found = r["office"] == o && r["questionnaire_version"] == float64(2)
			}
		}
		if !found {
			t.Errorf("%s: round %s not on version 2 with its office: %v", o, rid, rounds)
		}
		if list := board.get("/bestuur/partij/" + pid); !strings.Contains(list, "<td>"+label+"</td>") {
			t.Errorf("round list lacks the label %q", label)
		}
	}
	// An unknown office is refused with the form's Dutch message.
	_, body := board.post("/bestuur/partij/"+pid+"/rondes", url.Values{"name": {"Ronde x"}, "office": {"burgemeester"},
		"deadline-day": {itoa(y.Day())}, "deadline-month": {itoa(int(y.Month()))}, "deadline-year": {itoa(y.Year())}}, 422)
	if !strings.Contains(body, "Kies voor welke functie de ronde is.") {
		t.Error("unknown office not refused in Dutch")
	}
}
