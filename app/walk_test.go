package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
)

// syncBuffer collects logs from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// forbiddenBoardKeys may never appear in anything the board receives.
var forbiddenBoardKeys = []string{"level", "flags", "profile", "answers", "vog", "notes", "domains", "overall", "reasons"}

func keysOf(v any, into map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			into[k] = true
			keysOf(x, into)
		}
	case []any:
		for _, x := range t {
			keysOf(x, into)
		}
	}
}

func assertBoardSafe(t *testing.T, what string, body []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	keys := map[string]bool{}
	keysOf(v, keys)
	for _, k := range forbiddenBoardKeys {
		if keys[k] {
			t.Errorf("%s: board response contains %q: %s", what, k, body)
		}
	}
}

// TestWalk is the full walk of docs/architecture.md §5 through the HTTP contract, in
// embedded mode (SQLite + in-process Redis) and in server mode (PostgreSQL +
// Redis), with the logs captured and searched for secrets.
func TestWalk(t *testing.T) {
	modes := []struct {
		name string
		opt  apptest.Option
	}{
		{"embedded", apptest.Embedded()},
		{"server", apptest.Server()},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			logs := &syncBuffer{}
			e := apptest.Start(t, m.opt, apptest.WithLog(logs))
			e.StartWorker()
			secrets := walk(t, e)
			out := logs.String()
			if len(out) == 0 {
				t.Fatal("no logs captured: the leak check would prove nothing")
			}
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("logs contain a secret (%.12q…)", s)
				}
			}
		})
	}
}

// walk returns the secrets that must never reach the logs.
func walk(t *testing.T, e *apptest.Env) []string {
	const v = "/api/v1"
	var secrets []string
	admin := e.Admin()
	secrets = append(secrets, admin, "beheerder-wachtwoord-1")

	// Admin: two parties; the first gets a board and two committee members.
	pid := e.Must(201, "POST", v+"/parties", admin, map[string]string{"name": "Partij Oost"}).Map(t)["id"].(string)
	other := e.Must(201, "POST", v+"/parties", admin, map[string]string{"name": "Partij West"}).Map(t)["id"].(string)
	pw := "een-lang-wachtwoord-42"
	secrets = append(secrets, pw)
	e.Must(201, "POST", v+"/parties/"+pid+"/members", admin, map[string]any{"email": "bestuur@oost.nl", "name": "Bert Bestuur", "role": "bestuur", "password": pw})
	e.Must(201, "POST", v+"/parties/"+pid+"/members", admin, map[string]any{"email": "c1@oost.nl", "name": "Cees Commissie", "role": "commissie", "password": pw})
	// The second committee member sets a password through the set-up link.
	e.AddMember(admin, pid, map[string]any{"email": "c2@oost.nl", "name": "Carla Commissie", "role": "commissie"})
	var setupToken string
	for deadline := time.Now().Add(5 * time.Second); setupToken == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for _, ml := range e.Mails() {
			if ml.ToAddr == "c2@oost.nl" {
				setupToken = linkToken(t, ml.BodyText)
			}
		}
	}
	if setupToken == "" {
		t.Fatal("no set-up mail for the second committee member")
	}
	secrets = append(secrets, setupToken)
	e.Must(200, "POST", v+"/account/setup", "", map[string]string{"token": setupToken, "password": pw})
	e.Must(404, "POST", v+"/account/setup", "", map[string]string{"token": setupToken, "password": pw}) // works once
	e.Must(201, "POST", v+"/parties/"+other+"/members", admin, map[string]any{"email": "c@west.nl", "name": "Wim West", "role": "commissie", "password": pw})

	board := e.Login("bestuur@oost.nl", pw)
	c1 := e.Login("c1@oost.nl", pw)
	c2 := e.Login("c2@oost.nl", pw)
	west := e.Login("c@west.nl", pw)
	secrets = append(secrets, board, c1, c2, west)

	// Board: a round and three candidates.
	deadline := time.Now().Add(40 * 24 * time.Hour).Format("2006-01-02")
	rid := e.Must(201, "POST", v+"/parties/"+pid+"/rounds", board, map[string]string{"name": "Raad 2026", "office": "raadslid", "deadline": deadline}).Map(t)["id"].(string)
	var cids []string
	for i, name := range []string{"Anna", "Bram", "Cem"} {
		r := e.Must(201, "POST", v+"/rounds/"+rid+"/candidates", board, map[string]string{"name": name, "email": fmt.Sprintf("k%d@mail.nl", i)})
		assertBoardSafe(t, "invite", r.Body)
		cids = append(cids, r.Map(t)["id"].(string))
	}
	e.Must(409, "POST", v+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Anna", "email": "k0@mail.nl"})

	// Candidate Anna: accept, consent, answer the first half (lists too).
	inv := e.InvitationToken("k0@mail.nl")
	secrets = append(secrets, inv)
	anna := e.Must(201, "POST", v+"/invitations/"+inv+"/accept", "", nil).Map(t)["token"].(string)
	secrets = append(secrets, anna)
	q := e.Must(200, "GET", v+"/me/questionnaire", anna, nil).Map(t)
	if q["consent"].(map[string]any)["given"] != false {
		t.Fatal("consent given before asking")
	}
	answers := sample.Flagged()
	first := map[string]any{}
	for _, k := range []string{"K1", "K2", "K3", "N1", "N2", "N3", "N4", "N5", "F1", "F2", "F3"} {
		first[k] = answers[k]
	}
	e.Must(409, "PATCH", v+"/me/answers", anna, map[string]any{"answers": first}) // consent first
	e.Must(200, "POST", v+"/me/consent", anna, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v+"/me/answers", anna, map[string]any{"answers": first})
	e.Must(422, "POST", v+"/me/submit", anna, nil) // incomplete

	// Resume in a new session from the same link: the answers are there.
	anna2 := e.Must(201, "POST", v+"/invitations/"+inv+"/accept", "", nil).Map(t)["token"].(string)
	secrets = append(secrets, anna2)
	q = e.Must(200, "GET", v+"/me/questionnaire", anna2, nil).Map(t)
	saved := q["answers"].(map[string]any)
	if diff := cmp.Diff(jsonRound(t, first), saved); diff != "" {
		t.Fatalf("resumed answers differ (-sent +saved):\n%s", diff)
	}
	rest := map[string]any{}
	for k, val := range answers {
		if _, ok := first[k]; !ok {
			rest[k] = val
		}
	}
	e.Must(200, "PATCH", v+"/me/answers", anna2, map[string]any{"answers": rest})
	submitted := time.Now()
	e.Must(200, "POST", v+"/me/submit", anna2, nil)
	e.Must(409, "PATCH", v+"/me/answers", anna2, map[string]any{"answers": map[string]any{"K3": false}})

	// Committee: the profile is there within 2 seconds, with exactly the
	// flags the catalogue's rules give.
	var prof map[string]any
	for {
		r := e.Do("GET", v+"/candidates/"+cids[0]+"/profile", c1, nil)
		if r.Status == 200 {
			prof = r.Map(t)
			break
		}
		if time.Since(submitted) > 2*time.Second {
			t.Fatalf("no profile within 2s (last status %d: %s)", r.Status, r.Body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("submit→profile readable by the committee: %v", time.Since(submitted).Round(time.Millisecond))
	var got [][2]string
	for _, f := range prof["flags"].([]any) {
		fm := f.(map[string]any)
		got = append(got, [2]string{fm["rule"].(string), fm["severity"].(string)})
		if fm["ask"] == "" || len(fm["questions"].([]any)) == 0 {
			t.Errorf("flag %v lacks its interview question or source questions", fm["rule"])
		}
	}
	if diff := cmp.Diff(sample.FlaggedRules, got); diff != "" {
		t.Fatalf("flags differ from the catalogue (-want +got):\n%s", diff)
	}
	if prof["overall"] != "oranje" {
		t.Fatalf("overall = %v, want oranje", prof["overall"])
	}
	ans := e.Must(200, "GET", v+"/candidates/"+cids[0]+"/answers", c2, nil).Map(t)["answers"].(map[string]any)
	if ans["N5"] != answers["N5"] {
		t.Fatalf("committee reads N5 = %v", ans["N5"])
	}
	list := e.Must(200, "GET", v+"/rounds/"+rid+"/candidates", c1, nil)
	var crow []map[string]any
	list.JSON(t, &crow)
	if crow[0]["id"] != cids[0] || crow[0]["level"] != "oranje" {
		t.Fatalf("committee list should lead with the oranje file: %s", list.Body)
	}
	e.Must(201, "POST", v+"/candidates/"+cids[0]+"/notes", c1, map[string]string{"body": "Doorvragen over het sportpark."})
	secrets = append(secrets, "Doorvragen over het sportpark.")
	e.Must(200, "PUT", v+"/candidates/"+cids[0]+"/vog", c1, map[string]any{"status": "aangevraagd", "requested_on": time.Now().Format("2006-01-02")})

	// The board sees workflow status only.
	assertBoardSafe(t, "board list", e.Must(200, "GET", v+"/rounds/"+rid+"/candidates", board, nil).Body)
	assertBoardSafe(t, "board candidate", e.Must(200, "GET", v+"/candidates/"+cids[0], board, nil).Body)
	for _, p := range []string{"profile", "answers", "vog", "notes", "audit"} {
		e.Must(403, "GET", v+"/candidates/"+cids[0]+"/"+p, board, nil)
	}

	// Another party's committee: 404 on every candidate URL.
	for _, rt := range []struct{ m, p string }{
		{"GET", ""}, {"GET", "/profile"}, {"GET", "/answers"}, {"GET", "/vog"}, {"PUT", "/vog"}, {"GET", "/notes"}, {"POST", "/notes"},
		{"POST", "/decision"}, {"POST", "/reopen"}, {"GET", "/audit"}, {"POST", "/resend"}, {"POST", "/revoke"},
	} {
		e.Must(404, rt.m, v+"/candidates/"+cids[0]+rt.p, west, map[string]string{"body": "x"})
	}
	e.Must(404, "GET", v+"/rounds/"+rid+"/candidates", west, nil)
	e.Must(404, "GET", v+"/parties/"+pid+"/rounds", west, nil)

	// Another candidate reads nothing of Anna.
	bram := e.Must(201, "POST", v+"/invitations/"+e.InvitationToken("k1@mail.nl")+"/accept", "", nil).Map(t)["token"].(string)
	secrets = append(secrets, bram)
	for _, p := range []string{"", "/profile", "/answers", "/notes"} {
		e.Must(404, "GET", v+"/candidates/"+cids[0]+p, bram, nil)
	}
	bq := e.Must(200, "GET", v+"/me/questionnaire", bram, nil).Map(t)
	if len(bq["answers"].(map[string]any)) != 0 {
		t.Fatal("Bram sees answers")
	}

	// Decide, release: the board sees the outcome and nothing more.
	// Four eyes: c2 proposes, c2 cannot confirm, c1 confirms.
	e.Must(201, "POST", v+"/candidates/"+cids[0]+"/decision", c2, map[string]any{"outcome": "positief_met_voorwaarden",
		"reasons": "Stopt als voorzitter.", "conditions": "Legt het voorzitterschap neer voor de installatie.", "release_to_board": true})
	secrets = append(secrets, "Stopt als voorzitter.", "Legt het voorzitterschap neer")
	if adv := e.Must(200, "GET", v+"/candidates/"+cids[0], board, nil).Map(t)["advice"]; adv != nil {
		t.Fatalf("board sees a proposal before confirmation: %v", adv)
	}
	e.Must(409, "POST", v+"/candidates/"+cids[0]+"/decision/confirm", c2, nil)
	e.Must(200, "POST", v+"/candidates/"+cids[0]+"/decision/confirm", c1, nil)
	bc := e.Must(200, "GET", v+"/candidates/"+cids[0], board, nil)
	assertBoardSafe(t, "board after decision", bc.Body)
	if adv, _ := bc.Map(t)["advice"].(map[string]any); adv == nil || adv["outcome"] != "positief_met_voorwaarden" || adv["conditions"] != nil {
		t.Fatalf("board should see the released outcome without the unreleased conditions: %s", bc.Body)
	}

	// Anna's export lists who read her file.
	exp := e.Must(200, "GET", v+"/me/export", anna2, nil).Map(t)
	var readers []string
	for _, ev := range exp["access_log"].([]any) {
		m := ev.(map[string]any)
		if m["action"] == "profile.read" || m["action"] == "answers.read" {
			readers = append(readers, m["actor_name"].(string))
		}
	}
	if !strings.Contains(strings.Join(readers, ","), "Cees Commissie") || !strings.Contains(strings.Join(readers, ","), "Carla Commissie") {
		t.Fatalf("export access log misses the readers: %v", readers)
	}

	secrets = append(secrets, "Stichting Sportpark De Linden", answers["N5"].(string), "Zorggroep Noord")
	return secrets
}

func jsonRound(t *testing.T, v any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
