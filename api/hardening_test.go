package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/apptest"
)

// TestAuditVerifyAPI: the admin's check finds a tampered event.
func TestAuditVerifyAPI(t *testing.T) {
	f := newFixture(t)
	var res []map[string]any
	f.e.Must(200, "GET", v1+"/admin/audit/verify", f.tok["admin"], nil).JSON(t, &res)
	if len(res) != 2 || res[0]["intact"] != true || res[1]["intact"] != true {
		t.Fatalf("fresh chains: %v", res)
	}
	if err := f.e.Sys.DB.Exec("UPDATE audit_events SET action = 'niets' WHERE seq = 3 AND party_id = ?", f.pid).Error; err != nil {
		t.Fatal(err)
	}
	f.e.Must(200, "GET", v1+"/admin/audit/verify?party="+f.pid, f.tok["admin"], nil).JSON(t, &res)
	if len(res) != 1 || res[0]["intact"] != false || res[0]["broken_at"] != 3.0 {
		t.Fatalf("tampered chain: %v", res)
	}
	f.e.Must(403, "GET", v1+"/admin/audit/verify", f.tok["committee"], nil)
}

// TestSecurityHeaders: every response carries the strict headers.
func TestSecurityHeaders(t *testing.T) {
	e := apptest.Start(t)
	for _, path := range []string{"/healthz", "/inloggen", v1 + "/me"} {
		r := e.Do("GET", path, "", nil)
		for h, want := range map[string]string{
			"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
			"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
		} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s %s = %q, want %q", path, h, got, want)
			}
		}
	}
}

// TestAdminReadsNoContent: the platform admin manages parties but every
// candidate-content URL is 404 for them, in the API and the pages.
func TestAdminReadsNoContent(t *testing.T) {
	f := newFixture(t)
	admin := f.tok["admin"]
	f.e.Must(201, "POST", v1+"/parties", admin, map[string]string{"name": "Nog een partij"})
	f.e.Must(200, "GET", v1+"/parties/"+f.pid+"/members", admin, nil)
	for _, p := range []string{"", "/profile", "/answers", "/vog", "/notes", "/history", "/audit", "/hearing", "/decision", "/recusals"} {
		f.e.Must(404, "GET", v1+"/candidates/"+f.profiled+p, admin, nil)
	}
	f.e.Must(404, "GET", v1+"/rounds/"+f.rid+"/candidates", admin, nil)
	for _, p := range []string{"/commissie/kandidaten/" + f.profiled, "/commissie/kandidaten/" + f.profiled + "/antwoorden", "/commissie/kandidaten/" + f.profiled + "/leidraad", "/bestuur/ronde/" + f.rid} {
		if r := f.e.Do("GET", p, admin, nil); r.Status != 404 {
			t.Errorf("admin page %s: %d, want 404", p, r.Status)
		}
	}
}

// TestMetrics: the admin reads Prometheus metrics labelled by route
// pattern (never ids or tokens) with task durations and the queue depth.
func TestMetrics(t *testing.T) {
	f := newFixture(t)
	f.e.Must(200, "GET", v1+"/candidates/"+f.profiled, f.tok["committee"], nil)
	f.e.Must(403, "GET", "/metrics", f.tok["board"], nil)
	f.e.Must(401, "GET", "/metrics", "", nil)
	// The task metric is recorded just after the handler returns: wait for it.
	var body string
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		body = string(f.e.Must(200, "GET", "/metrics", f.tok["admin"], nil).Body)
		if strings.Contains(body, `weerbaar_task_duration_seconds_count{type="profile:compile"}`) || time.Now().After(end) {
			break
		}
	}
	for _, want := range []string{
		`weerbaar_http_request_duration_seconds_count{method="GET",route="/api/v1/candidates/:cid",status="200"}`,
		`weerbaar_task_duration_seconds_count{type="profile:compile"}`,
		"weerbaar_queue_depth",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, secret := range []string{f.profiled, f.tok["committee"], f.invitedToken} {
		if strings.Contains(body, secret) {
			t.Errorf("metrics contain an id or token")
		}
	}
}
