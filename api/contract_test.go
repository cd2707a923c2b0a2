package api_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/internal/apptest"
)

// Every exchange of this package's tests through apptest.Env.Do is
// validated against api/openapi.yaml (internal/apptest/openapi.go). The
// count of validated responses is printed at the end (go test -v).
func TestMain(m *testing.M) {
	code := m.Run()
	if testing.Verbose() {
		fmt.Printf("OpenAPI: %d API responses of package api validated against api/openapi.yaml\n", apptest.OpenAPIValidated())
	}
	os.Exit(code)
}

// The contract check itself must fail on drift: a wrong body, a missing
// required field, an undocumented status, a wrong error shape, a request
// the document refuses, an undocumented operation.
func TestContractCatchesDrift(t *testing.T) {
	jsonH := http.Header{"Content-Type": []string{"application/json"}}
	ok := func(x apptest.Exchange) apptest.Exchange {
		if x.Header == nil {
			x.Header = jsonH
		}
		if x.ReqHeader == nil {
			x.ReqHeader = http.Header{}
		}
		return x
	}
	errBody := `{"error":{"code":"niet_gevonden","message":"Niet gevonden."}}`
	good := []apptest.Exchange{
		{Method: "GET", Path: v1 + "/parties/p1", Status: 404, Body: []byte(errBody)},
		{Method: "POST", Path: v1 + "/links", Status: 202, ReqHeader: jsonH, ReqBody: []byte(`{"email":"a@b.nl"}`), Body: []byte(`{"message":"x"}`)},
		{Method: "POST", Path: v1 + "/links", Status: 429, ReqHeader: jsonH, ReqBody: []byte(`{"email":"a@b.nl"}`),
			Header: http.Header{"Content-Type": []string{"application/json"}, "Retry-After": []string{"60"}},
			Body:   []byte(`{"error":{"code":"te_veel_pogingen","message":"Te veel pogingen."}}`)},
	}
	for _, x := range good {
		if err := apptest.ValidateExchange(ok(x)); err != nil {
			t.Errorf("%s %s %d: a correct exchange fails: %v", x.Method, x.Path, x.Status, err)
		}
	}
	bad := []struct {
		name string
		x    apptest.Exchange
		want string
	}{
		{"wrong type", apptest.Exchange{Method: "POST", Path: v1 + "/links", Status: 202, ReqHeader: jsonH,
			ReqBody: []byte(`{"email":"a@b.nl"}`), Body: []byte(`{"message":3}`)}, "message"},
		{"missing required field", apptest.Exchange{Method: "POST", Path: v1 + "/links", Status: 202, ReqHeader: jsonH,
			ReqBody: []byte(`{"email":"a@b.nl"}`), Body: []byte(`{}`)}, "message"},
		{"undocumented status", apptest.Exchange{Method: "GET", Path: v1 + "/parties/p1", Status: 418, Body: []byte(errBody)}, "status is not supported"},
		{"error shape", apptest.Exchange{Method: "GET", Path: v1 + "/parties/p1", Status: 404, Body: []byte(`{"fout":"weg"}`)}, "error"},
		{"email_status empty", apptest.Exchange{Method: "POST", Path: v1 + "/candidates/c1/resend", Status: 200,
			Body: []byte(`{"view":"board","id":"c1","round_id":"r","name":"n","email":"a@b.nl","status":"invited","invited_at":"2026-01-01T00:00:00Z","invitation_sent":true,"invitation_expires_at":null,"accepted_at":null,"submitted_at":null,"withdrawn_at":null,"email_status":"","advice":null}`)}, "email_status"},
		{"board view with committee fields missing", apptest.Exchange{Method: "GET", Path: v1 + "/candidates/c1", Status: 200,
			Body: []byte(`{"view":"committee","id":"c1","round_id":"r","name":"n","email":"a@b.nl","status":"invited","invited_at":"2026-01-01T00:00:00Z","invitation_sent":true,"invitation_expires_at":null,"accepted_at":null,"submitted_at":null,"withdrawn_at":null,"email_status":"verzonden","advice":null}`)}, "level"},
		{"429 without Retry-After", apptest.Exchange{Method: "POST", Path: v1 + "/links", Status: 429, ReqHeader: jsonH,
			ReqBody: []byte(`{"email":"a@b.nl"}`), Body: []byte(`{"error":{"code":"te_veel_pogingen","message":"Te veel pogingen."}}`)}, "Retry-After"},
		{"accepted request the document refuses", apptest.Exchange{Method: "POST", Path: v1 + "/links", Status: 202, ReqHeader: jsonH,
			ReqBody: []byte(`{"mail":"a@b.nl"}`), Body: []byte(`{"message":"x"}`)}, "email"},
		{"undocumented operation", apptest.Exchange{Method: "GET", Path: v1 + "/geheim", Status: 200, Body: []byte(`{}`)}, "no operation"},
	}
	for _, c := range bad {
		err := apptest.ValidateExchange(ok(c.x))
		if err == nil {
			t.Errorf("%s: passes the contract check", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: the error does not name %q: %v", c.name, c.want, err)
		}
	}
	// Outside the JSON API nothing is checked (pages, /dev/mail).
	if err := apptest.ValidateExchange(ok(apptest.Exchange{Method: "GET", Path: "/kandidaat", Status: 200})); err != nil {
		t.Errorf("a page is checked: %v", err)
	}
}

// The suite's exchanges are really checked: a fixture's worth of calls
// adds to the count.
func TestContractCountsExchanges(t *testing.T) {
	before := apptest.OpenAPIValidated()
	newFixture(t)
	if n := apptest.OpenAPIValidated() - before; n < 20 {
		t.Fatalf("the fixture's API calls validated %d responses, want at least 20", n)
	}
}
