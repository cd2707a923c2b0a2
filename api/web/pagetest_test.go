package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/internal/apptest"
)

// page is a logged-in browser without JavaScript: it sends the session
// cookie and the form's CSRF token.
type page struct {
	t     *testing.T
	e     *apptest.Env
	token string
	jar   map[string]string // other cookies (flash messages)
}

func (p page) do(method, path string, form url.Values) (int, string, http.Header) {
	p.t.Helper()
	var body io.Reader
	if form != nil {
		if p.token != "" {
			form.Set("_csrf", api.CSRFToken(p.token))
		}
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	var cookies []string
	if p.token != "" {
		cookies = append(cookies, api.SessionCookie+"="+p.token)
	}
	for k, v := range p.jar {
		cookies = append(cookies, k+"="+v)
	}
	req.Header.Set("Cookie", strings.Join(cookies, "; "))
	resp, err := p.e.Sys.App.Test(req, 30_000)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	if p.jar != nil {
		for _, ck := range resp.Cookies() {
			if ck.Name != api.SessionCookie {
				if ck.Value == "" || ck.MaxAge < 0 {
					delete(p.jar, ck.Name)
				} else {
					p.jar[ck.Name] = ck.Value
				}
			}
		}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (p page) get(path string) string {
	p.t.Helper()
	status, body, _ := p.do("GET", path, nil)
	if status != 200 {
		p.t.Fatalf("GET %s: %d\n%s", path, status, body)
	}
	return body
}

// post submits a form and returns the redirect target (303) or fails.
func (p page) post(path string, form url.Values, want int) (string, string) {
	p.t.Helper()
	status, body, h := p.do("POST", path, form)
	if status != want {
		p.t.Fatalf("POST %s: %d, want %d\n%s", path, status, want, body)
	}
	return h.Get("Location"), body
}
