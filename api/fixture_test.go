package api_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
)

const v1 = "/api/v1"

// clock is a controllable clock.
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.off) }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.off += d; c.mu.Unlock() }

// fixture is two parties with members, a round, and candidates in several
// states.
type fixture struct {
	e                            *apptest.Env
	clock                        *clock
	tok                          map[string]string // principal → session token
	pid, otherPid, rid, otherRid string
	profiled, progress, invited  string // candidate ids in party A
	invitedToken                 string
	boardUID                     string
}

func newFixture(t *testing.T, opts ...apptest.Option) *fixture {
	t.Helper()
	ck := &clock{}
	e := apptest.Start(t, append([]apptest.Option{apptest.WithClock(ck.Now)}, opts...)...)
	e.StartWorker()
	f := &fixture{e: e, clock: ck, tok: map[string]string{}}
	f.tok["admin"] = e.Admin()
	admin := f.tok["admin"]
	f.pid = e.Must(201, "POST", v1+"/parties", admin, map[string]string{"name": "Partij A"}).Map(t)["id"].(string)
	f.otherPid = e.Must(201, "POST", v1+"/parties", admin, map[string]string{"name": "Partij B"}).Map(t)["id"].(string)
	pw := "wachtwoord-van-test-1"
	for _, m := range []struct{ who, party, role string }{
		{"board", f.pid, "bestuur"}, {"committee", f.pid, "commissie"}, {"committee2", f.pid, "commissie"},
		{"otherBoard", f.otherPid, "bestuur"}, {"otherCommittee", f.otherPid, "commissie"},
	} {
		email := strings.ToLower(m.who) + "@test.nl"
		e.AddMember(admin, m.party, map[string]any{"email": email, "name": m.who, "role": m.role, "password": pw})
		f.tok[m.who] = e.Login(email, pw)
	}
	f.boardUID = e.Must(200, "GET", v1+"/me", f.tok["board"], nil).Map(t)["user"].(map[string]any)["id"].(string)
	deadline := time.Now().Add(60 * 24 * time.Hour).Format("2006-01-02")
	f.rid = e.Must(201, "POST", v1+"/parties/"+f.pid+"/rounds", f.tok["board"], map[string]string{"name": "R", "office": "raadslid", "deadline": deadline}).Map(t)["id"].(string)
	f.otherRid = e.Must(201, "POST", v1+"/parties/"+f.otherPid+"/rounds", f.tok["otherBoard"], map[string]string{"name": "R", "office": "wethouder", "deadline": deadline}).Map(t)["id"].(string)
	invite := func(name, email string) string {
		return e.Must(201, "POST", v1+"/rounds/"+f.rid+"/candidates", f.tok["board"], map[string]string{"name": name, "email": email}).Map(t)["id"].(string)
	}
	f.profiled = invite("Piet", "piet@test.nl")
	f.progress = invite("Bo", "bo@test.nl")
	f.invited = invite("Ivo", "ivo@test.nl")
	otherCand := e.Must(201, "POST", v1+"/rounds/"+f.otherRid+"/candidates", f.tok["otherBoard"], map[string]string{"name": "X", "email": "x@test.nl"}).Map(t)["id"].(string)
	_ = otherCand

	f.tok["candidate"] = f.accept("piet@test.nl")
	e.Must(200, "POST", v1+"/me/consent", f.tok["candidate"], map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", f.tok["candidate"], map[string]any{"answers": sample.Flagged()})
	e.Must(200, "POST", v1+"/me/submit", f.tok["candidate"], nil)
	f.tok["otherCandidate"] = f.accept("bo@test.nl")
	e.Must(200, "POST", v1+"/me/consent", f.tok["otherCandidate"], map[string]int{"privacy_version": 1})
	f.tok["foreignCandidate"] = f.accept("x@test.nl")
	f.invitedToken = e.InvitationToken("ivo@test.nl")
	f.waitStatus(t, f.profiled, "profiled")
	return f
}

func (f *fixture) accept(email string) string {
	return f.e.Must(201, "POST", v1+"/invitations/"+f.e.InvitationToken(email)+"/accept", "", nil).Map(f.e.T)["token"].(string)
}

func (f *fixture) waitStatus(t *testing.T, cid, status string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		r := f.e.Must(200, "GET", v1+"/candidates/"+cid, f.tok["committee"], nil)
		if r.Map(t)["status"] == status {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("candidate %s never reached %s", cid, status)
}

func errCode(t *testing.T, r apptest.Response) (string, map[string]any) {
	t.Helper()
	var body struct {
		Error struct {
			Code    string         `json:"code"`
			Message string         `json:"message"`
			Fields  map[string]any `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
		t.Fatalf("not the JSON error shape: %d %s", r.Status, r.Body)
	}
	return body.Error.Code, body.Error.Fields
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
