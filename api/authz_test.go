package api_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/api/web"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/models"
)

// principals of the matrix: name → (role in party A or "other"/"candidate"/…)
var principals = []string{"anonymous", "admin", "board", "committee", "recusedCommittee", "otherBoard", "otherCommittee", "candidate", "otherCandidate", "foreignCandidate"}

// expected is the status class the guard must give: "pass" (the handler
// ran), or 401/403/404.
func expected(rt api.Route, who string) string {
	if rt.Access == api.Public {
		return "pass"
	}
	if who == "anonymous" {
		return "401"
	}
	isCand := strings.HasSuffix(who, "andidate") || who == "candidate"
	switch rt.Access {
	case api.Authenticated:
		return "pass"
	case api.AdminOnly:
		if who == "admin" {
			return "pass"
		}
		return "403"
	case api.CandidateSelf:
		if isCand {
			return "pass"
		}
		return "403"
	case api.UserSelf:
		if isCand {
			return "403"
		}
		return "pass"
	}
	role := map[string]string{"board": models.RoleBestuur, "committee": models.RoleCommissie, "recusedCommittee": models.RoleCommissie}[who]
	if who == "recusedCommittee" && rt.Access == api.CandidateScope && slices.Contains(rt.Roles, role) {
		return "404" // the file does not exist for a member who stepped aside
	}
	switch {
	case isCand:
		return "404"
	case who == "admin":
		if slices.Contains(rt.Roles, models.RoleAdmin) {
			return "pass"
		}
		return "404"
	case role == "": // another party's member
		return "404"
	case slices.Contains(rt.Roles, role):
		return "pass"
	default:
		return "403"
	}
}

// TestAuthorizationMatrix runs every route of the route table for every
// kind of caller. A new route is covered automatically.
func TestAuthorizationMatrix(t *testing.T) {
	f := newFixture(t)
	f.e.AddMember(f.tok["admin"], f.pid, map[string]any{"email": "recused@test.nl", "name": "Ria Recused", "role": "commissie", "password": "wachtwoord-van-test-1"})
	f.tok["recusedCommittee"] = f.e.Login("recused@test.nl", "wachtwoord-van-test-1")
	f.e.Must(201, "POST", v1+"/candidates/"+f.profiled+"/recusal", f.tok["recusedCommittee"], map[string]string{"reason": "Familie"})
	h := handlerRoutes(f)
	if len(h) < 30 {
		t.Fatalf("route table has only %d routes", len(h))
	}
	for _, rt := range h {
		for _, who := range principals {
			if rt.Method == "DELETE" && strings.HasPrefix(rt.Path, v1+"/session") && who != "anonymous" {
				continue // would log the principal out; covered in TestLogout
			}
			if who == "candidate" || who == "otherCandidate" {
				if rt.Path == v1+"/me/withdraw" {
					continue // covered in TestCandidateWithdraw
				}
			}
			want := expected(rt, who)
			name := rt.Method + " " + rt.Path + " as " + who
			t.Run(name, func(t *testing.T) {
				path := strings.NewReplacer(":pid", f.pid, ":rid", f.rid, ":cid", f.profiled, ":uid", f.boardUID, ":token", "onbekend-token").Replace(rt.Path)
				r := f.e.Do(rt.Method, path, f.tok[who], "{}")
				switch want {
				case "pass":
					// The handler may refuse on its own (404 with its own
					// code, 409, 422): only the guard's answers fail here.
					if r.Status == 401 || r.Status == 403 || (r.Status == 404 && rt.Access != api.Public && !strings.Contains(string(r.Body), `"code":"geen_`)) {
						t.Fatalf("status %d, want the handler to run: %s", r.Status, r.Body)
					}
				default:
					if !api.JSONErrorPath(path) {
						// A page in the route table (the queue monitor's UI):
						// the page error renderer answers, as for the pages.
						pageError(t, r, want)
						return
					}
					if got := strconv.Itoa(r.Status); got != want {
						t.Fatalf("status %d, want %s: %s", r.Status, want, r.Body)
					}
					errCode(t, r)
				}
			})
		}
	}
}

// pageError checks a guard's refusal of a page: the login page for an
// anonymous GET, otherwise the status with an HTML error page.
func pageError(t *testing.T, r apptest.Response, want string) {
	t.Helper()
	if want == "401" && r.Status == 303 && strings.HasPrefix(r.Header.Get("Location"), "/inloggen") {
		return
	}
	if got := strconv.Itoa(r.Status); got != want {
		t.Fatalf("status %d (%s), want %s", r.Status, r.Header.Get("Location"), want)
	}
	if !strings.Contains(string(r.Body), "<h1>") {
		t.Fatal("not an HTML error page")
	}
}

// handlerRoutes is the route table of the running app.
func handlerRoutes(f *fixture) []api.Route {
	_, h := api.New(api.Deps{Store: f.e.Sys.Store, Log: f.e.Sys.Log})
	return h.Routes()
}

// TestPageAuthorizationMatrix is the same matrix over the page routes: the
// pages share the guard, but answer in HTML (a login redirect for GET).
func TestPageAuthorizationMatrix(t *testing.T) {
	f := newFixture(t)
	f.e.AddMember(f.tok["admin"], f.pid, map[string]any{"email": "recused@test.nl", "name": "Ria Recused", "role": "commissie", "password": "wachtwoord-van-test-1"})
	f.tok["recusedCommittee"] = f.e.Login("recused@test.nl", "wachtwoord-van-test-1")
	f.e.Must(201, "POST", v1+"/candidates/"+f.profiled+"/recusal", f.tok["recusedCommittee"], map[string]string{"reason": "Familie"})
	app, h := api.New(api.Deps{Store: f.e.Sys.Store, Log: f.e.Sys.Log})
	pages, err := web.Mount(app, h, false)
	if err != nil {
		t.Fatal(err)
	}
	routes := pages.Routes()
	if len(routes) < 30 {
		t.Fatalf("page route table has only %d routes", len(routes))
	}
	for _, rt := range routes {
		for _, who := range principals {
			switch {
			case rt.Path == "/uitloggen" && who != "anonymous":
				continue // logs the principal out
			case rt.Path == "/scan/terugtrekken" && rt.Method == "POST" && (who == "candidate" || who == "otherCandidate"):
				continue // withdraws; covered by the candidate page tests
			}
			want := expected(rt, who)
			t.Run(rt.Method+" "+rt.Path+" as "+who, func(t *testing.T) {
				path := strings.NewReplacer(":pid", f.pid, ":rid", f.rid, ":cid", f.profiled, ":uid", f.boardUID, ":token", "onbekend-token", ":n", "1").Replace(rt.Path)
				r := f.e.Do(rt.Method, path, f.tok[who], "{}")
				loginRedirect := r.Status == 303 && strings.HasPrefix(r.Header.Get("Location"), "/inloggen")
				switch want {
				case "pass":
					if rt.Access == api.Public {
						// No guard: the page's own checks (form token, link) answer.
						if r.Status >= 500 {
							t.Fatalf("status %d", r.Status)
						}
						return
					}
					if strings.HasSuffix(rt.Path, ".pdf") && r.Status == 503 {
						return // the test system has no Chromium: the PDF routes say so (report_test.go)
					}
					if r.Status == 401 || r.Status == 403 || r.Status == 404 || loginRedirect || r.Status >= 500 {
						t.Fatalf("status %d (%s), want the page to run", r.Status, r.Header.Get("Location"))
					}
				case "401":
					if !(r.Status == 401 || loginRedirect) {
						t.Fatalf("status %d, want 401 or the login page", r.Status)
					}
				default:
					if got := strconv.Itoa(r.Status); got != want {
						t.Fatalf("status %d, want %s", r.Status, want)
					}
					if !strings.Contains(string(r.Body), "<h1>") {
						t.Fatal("not an HTML error page")
					}
				}
			})
		}
	}
}
