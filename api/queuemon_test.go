package api_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/internal/apptest"
)

const mon = api.QueueMonitorPath

// TestQueueMonitorAccess: asynqmon's page and its JSON API are for the
// platform admin only; everyone else gets the usual answer (the login page
// or 401 when anonymous, 403 otherwise) and never the monitor.
func TestQueueMonitorAccess(t *testing.T) {
	f := newFixture(t)
	q := url.PathEscape(f.e.Cfg.Queue)
	tests := []struct {
		who, path string
		status    int
	}{
		{"admin", mon, 200},
		{"admin", mon + "/", 200},
		{"admin", mon + "/api/queues", 200},
		{"admin", mon + "/api/queues/" + q, 200},
		{"anonymous", mon, 303},
		{"anonymous", mon + "/api/queues", 401},
		{"anonymous", mon + "/static/js/main.5adda2da.chunk.js", 303},
	}
	for _, who := range []string{"board", "committee", "otherBoard", "otherCommittee", "candidate", "foreignCandidate"} {
		tests = append(tests,
			struct {
				who, path string
				status    int
			}{who, mon, 403},
			struct {
				who, path string
				status    int
			}{who, mon + "/api/queues", 403},
		)
	}
	for _, tc := range tests {
		t.Run(tc.who+" "+tc.path, func(t *testing.T) {
			r := f.e.Do("GET", tc.path, f.tok[tc.who], nil)
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %.200s", r.Status, tc.status, r.Body)
			}
			body := string(r.Body)
			switch {
			case tc.status == 303:
				if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/inloggen?terug=") {
					t.Fatalf("Location %q, want the login page", loc)
				}
			case tc.status != 200:
				if strings.Contains(body, "Asynq") || strings.Contains(body, `"queues"`) {
					t.Fatal("the refusal shows the monitor")
				}
				if strings.HasPrefix(tc.path, mon+"/api/") {
					errCode(t, r)
				} else if !strings.Contains(body, "<h1>") {
					t.Fatalf("not an HTML error page: %.200s", body)
				}
			case strings.HasPrefix(tc.path, mon+"/api/"):
				var v map[string]any
				if err := json.Unmarshal(r.Body, &v); err != nil {
					t.Fatalf("not JSON: %.200s", body)
				}
				if tc.path == mon+"/api/queues" && !strings.Contains(body, `"queue":"`+f.e.Cfg.Queue+`"`) {
					t.Fatalf("our queue %s is not listed: %.300s", f.e.Cfg.Queue, body)
				}
			default:
				if !strings.Contains(body, "<title>Asynq - Monitoring</title>") || !strings.Contains(body, `window.FLAG_ROOT_PATH="`+strings.ReplaceAll(mon, "/", `\/`)+`"`) {
					t.Fatalf("not asynqmon's page under %s: %.300s", mon, body)
				}
				checkMonitorCSP(t, r)
			}
		})
	}
}

// checkMonitorCSP: the page's inline scripts run by their hashes, and
// nothing else inline is allowed to run.
func checkMonitorCSP(t *testing.T, r apptest.Response) {
	t.Helper()
	csp := r.Header.Get("Content-Security-Policy")
	var scriptSrc string
	for _, d := range strings.Split(csp, ";") {
		if s, ok := strings.CutPrefix(strings.TrimSpace(d), "script-src "); ok {
			scriptSrc = s
		}
	}
	if scriptSrc == "" || strings.Contains(scriptSrc, "unsafe-inline") || strings.Contains(scriptSrc, "unsafe-eval") || strings.Contains(scriptSrc, "*") {
		t.Fatalf("script-src %q: want 'self' and hashes only", scriptSrc)
	}
	scripts := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(string(r.Body), -1)
	if len(scripts) == 0 {
		t.Fatal("no inline script found: the hash check proves nothing")
	}
	for _, s := range scripts {
		sum := sha256.Sum256([]byte(s[1]))
		if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(scriptSrc, h) {
			t.Errorf("inline script %.40q… is not allowed by %s", s[1], scriptSrc)
		}
	}
	for _, want := range []string{"frame-ancestors 'none'", "connect-src 'self'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "googleapis") {
		t.Errorf("CSP allows a third party: %s", csp)
	}
}

// TestQueueMonitorTasks: the monitor shows only ids from a payload; the
// admin may run and delete archived tasks and change nothing else.
func TestQueueMonitorTasks(t *testing.T) {
	f := newFixture(t)
	queue := f.e.Cfg.Queue
	q := url.PathEscape(queue)
	// A task that failed for good, with more in its payload than ids.
	const taskID = "test:archived:1"
	payload := `{"candidate_id":"3f1c2a9e-7d1b-4c55-9a4e-0c1d2e3f4a5b","revision":2,"name":"Jan Jansen","email":"jan@example.nl"}`
	if _, err := f.e.Sys.Client.Enqueue(asynq.NewTask("test:noop", []byte(payload)), asynq.Queue(queue), asynq.TaskID(taskID),
		asynq.ProcessIn(time.Hour), asynq.MaxRetry(0)); err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspector(f.e.Sys.Redis)
	t.Cleanup(func() { _ = insp.Close() })
	if err := insp.ArchiveTask(queue, taskID); err != nil {
		t.Fatal(err)
	}

	archived := mon + "/api/queues/" + q + "/archived_tasks"
	body := string(f.e.Must(200, "GET", archived, f.tok["admin"], nil).Body)
	if !strings.Contains(body, taskID) || !strings.Contains(body, "candidate_id=3f1c2a9e-7d1b-4c55-9a4e-0c1d2e3f4a5b") {
		t.Fatalf("the archived task and its id are not shown: %s", body)
	}
	for _, secret := range []string{"Jan Jansen", "jan@example.nl", "revision"} {
		if strings.Contains(body, secret) {
			t.Errorf("the monitor shows %q from the payload: %s", secret, body)
		}
	}
	task := string(f.e.Must(200, "GET", mon+"/api/queues/"+q+"/tasks/"+url.PathEscape(taskID), f.tok["admin"], nil).Body)
	if strings.Contains(task, "Jan Jansen") {
		t.Errorf("the task page shows the payload: %s", task)
	}

	// Everything but archived tasks is look-only, for the admin too.
	for _, c := range []struct{ method, path string }{
		{"POST", mon + "/api/queues/" + q + ":pause"},
		{"DELETE", mon + "/api/queues/" + q},
		{"DELETE", mon + "/api/queues/" + q + "/pending_tasks:delete_all"},
		{"POST", mon + "/api/queues/" + q + "/scheduled_tasks:archive_all"},
		{"POST", mon + "/api/queues/" + q + "/active_tasks:cancel_all"},
		{"POST", mon + "/api/queues/" + q + "/retry_tasks/x:archive"},
	} {
		r := f.e.Do(c.method, c.path, f.tok["admin"], nil)
		if code, _ := errCode(t, r); r.Status != 405 || code != "alleen_bekijken" {
			t.Errorf("%s %s: status %d %s, want 405 alleen_bekijken", c.method, c.path, r.Status, code)
		}
	}
	// Other roles cannot touch archived tasks either.
	run := archived + "/" + taskID + ":run"
	for _, who := range []string{"board", "committee", "candidate"} {
		f.e.Must(403, "POST", run, f.tok[who], nil)
	}
	f.e.Must(401, "POST", run, "", nil)

	// With the session cookie (the admin's browser), a change needs the
	// CSRF token, which the monitor's client echoes from its cookie.
	page := cookieRequest(t, f.e, "GET", mon, f.tok["admin"], "")
	var xsrf *http.Cookie
	for _, c := range page.Cookies() {
		if c.Name == "XSRF-TOKEN" {
			xsrf = c
		}
	}
	if xsrf == nil || xsrf.Value != api.CSRFToken(f.tok["admin"]) || xsrf.Path != mon || xsrf.HttpOnly || xsrf.SameSite != http.SameSiteStrictMode {
		t.Fatalf("XSRF-TOKEN cookie %+v, want the session's CSRF token, path %s, SameSite=Strict, readable by the page", xsrf, mon)
	}
	if r := cookieRequest(t, f.e, "POST", run, f.tok["admin"], ""); r.StatusCode != 403 {
		t.Fatalf("cookie write without the CSRF token: status %d, want 403", r.StatusCode)
	}
	if r := cookieRequest(t, f.e, "POST", run, f.tok["admin"], "wrong"); r.StatusCode != 403 {
		t.Fatalf("cookie write with a wrong CSRF token: status %d, want 403", r.StatusCode)
	}
	if r := cookieRequest(t, f.e, "POST", run, f.tok["admin"], xsrf.Value); r.StatusCode != 204 {
		t.Fatalf("run archived task: status %d, want 204", r.StatusCode)
	}
	if _, err := insp.GetTaskInfo(queue, taskID); err != nil {
		t.Fatalf("the task is gone after run: %v", err)
	}
	// It fails again (no handler for test:noop) and is archived again; then
	// the admin deletes it (Bearer token: no CSRF token needed).
	deadline := time.Now().Add(10 * time.Second)
	for {
		ti, err := insp.GetTaskInfo(queue, taskID)
		if err == nil && ti.State == asynq.TaskStateArchived {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("task not archived again: %+v %v", ti, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	f.e.Must(204, "DELETE", archived+"/"+taskID, f.tok["admin"], nil)
	if _, err := insp.GetTaskInfo(queue, taskID); err == nil {
		t.Fatal("the archived task still exists after delete")
	}
}

// cookieRequest sends a request authenticated by the session cookie, as a
// browser does, with an X-XSRF-TOKEN header when xsrf is set.
func cookieRequest(t *testing.T, e *apptest.Env, method, path, session, xsrf string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: session})
	if xsrf != "" {
		req.Header.Set("X-XSRF-TOKEN", xsrf)
	}
	resp, err := e.Sys.App.Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp
}
