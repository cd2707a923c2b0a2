package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
)

// TestBoardSeesReleasedConditions: the status board lists the released
// outcome with its released conditions (a regression: the list decrypted
// the reasons it had not loaded).
func TestBoardSeesReleasedConditions(t *testing.T) {
	e := apptest.Start(t)
	e.StartWorker()
	admin := e.Admin()
	pid := e.Must(201, "POST", "/api/v1/parties", admin, map[string]string{"name": "P"}).Map(t)["id"].(string)
	pw := "wachtwoord-voor-test-1"
	for _, m := range [][2]string{{"b@z.nl", "bestuur"}, {"c@z.nl", "commissie"}} {
		e.Must(201, "POST", "/api/v1/parties/"+pid+"/members", admin, map[string]string{"email": m[0], "name": m[1], "role": m[1], "password": pw})
	}
	b := e.Login("b@z.nl", pw)
	rid := e.Must(201, "POST", "/api/v1/parties/"+pid+"/rounds", b, map[string]string{"name": "R", "office": "raadslid", "deadline": time.Now().AddDate(0, 1, 0).Format("2006-01-02")}).Map(t)["id"].(string)
	cid := e.Must(201, "POST", "/api/v1/rounds/"+rid+"/candidates", b, map[string]string{"name": "A", "email": "a@z.nl"}).Map(t)["id"].(string)
	tok := e.Must(201, "POST", "/api/v1/invitations/"+e.InvitationToken("a@z.nl")+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", "/api/v1/me/consent", tok, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", "/api/v1/me/answers", tok, map[string]any{"answers": sample.Flagged()})
	e.Must(200, "POST", "/api/v1/me/submit", tok, nil)
	c := e.Login("c@z.nl", pw)
	for i := 0; i < 200 && e.Do("GET", "/api/v1/candidates/"+cid+"/profile", c, nil).Status != 200; i++ {
		time.Sleep(20 * time.Millisecond)
	}
	e.Must(201, "POST", "/api/v1/candidates/"+cid+"/decision", c, map[string]any{"outcome": "positief_met_voorwaarden", "reasons": "x", "conditions": "Training", "release_to_board": true, "release_conditions": true})
	body := (page{t: t, e: e, token: b}).get("/bestuur/ronde/" + rid)
	if !strings.Contains(body, "Training") {
		t.Fatal("no conditions")
	}
}
