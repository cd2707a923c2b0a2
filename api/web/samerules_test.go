package web_test

import (
	"encoding/json"
	"html"
	"net/url"
	"strings"
	"testing"
)

// TestSameRulesAPIAndPages: the JSON API and the committee's forms refuse
// the same input with the same text, because both go through the one
// request type and validator of the use case (screening). Before the
// application layer, the limits and texts were written twice and drifted
// (the API took a blank message, the page did not).
func TestSameRulesAPIAndPages(t *testing.T) {
	f := newComFix(t)
	long := func(n int) string { return strings.Repeat("a", n) }
	file := "/commissie/kandidaten/" + f.cid
	api := comV1 + "/candidates/" + f.cid
	tests := []struct {
		name            string
		apiMethod, path string
		body            map[string]any
		page            string
		form            url.Values
		field           string
	}{
		{"VOG issued without a date", "PUT", api + "/vog", map[string]any{"status": "afgegeven"},
			file + "/vog", url.Values{"status": {"afgegeven"}}, "issued_on"},
		{"VOG date ahead", "PUT", api + "/vog", map[string]any{"status": "aangevraagd", "requested_on": "2099-01-01"},
			file + "/vog", url.Values{"status": {"aangevraagd"}, "requested_on": {"01-01-2099"}}, "requested_on"},
		{"VOG screening profile too long", "PUT", api + "/vog", map[string]any{"status": "klaargezet", "screening_profile": long(101)},
			file + "/vog", url.Values{"status": {"klaargezet"}, "screening_profile": {long(101)}}, "screening_profile"},
		{"VOG without status", "PUT", api + "/vog", map[string]any{"status": ""},
			file + "/vog", url.Values{"status": {""}}, "status"},
		{"hearing without flags", "POST", api + "/hearing", map[string]any{"flags": []string{}, "message": "Licht toe."},
			file + "/hoorzitting", url.Values{"message": {"Licht toe."}}, "flags"},
		{"hearing message blank", "POST", api + "/hearing", map[string]any{"flags": []string{"x"}, "message": "   "},
			file + "/hoorzitting", url.Values{"flags": {"x"}, "message": {"   "}}, "message"},
		{"hearing message too long", "POST", api + "/hearing", map[string]any{"flags": []string{"x"}, "message": long(5001)},
			file + "/hoorzitting", url.Values{"flags": {"x"}, "message": {long(5001)}}, "message"},
		{"note blank", "POST", api + "/notes", map[string]any{"body": "  "}, file + "/notities", url.Values{"body": {"  "}}, "body"},
		{"note too long", "POST", api + "/notes", map[string]any{"body": long(10001)}, file + "/notities", url.Values{"body": {long(10001)}}, "body"},
		{"reopen blank", "POST", api + "/reopen", map[string]any{"message": " "}, file + "/terugsturen", url.Values{"message": {" "}}, "message"},
		{"recusal blank", "POST", api + "/recusal", map[string]any{"reason": ""}, file + "/terugtrekken",
			url.Values{"reason": {""}, "confirm": {"ja"}}, "reason"},
		{"advice with conditions missing", "POST", api + "/decision", map[string]any{"outcome": "positief_met_voorwaarden", "reasons": "Goed."},
			file + "/advies", url.Values{"outcome": {"positief_met_voorwaarden"}, "reasons": {"Goed."}}, "conditions"},
		{"advice with conditions it cannot have", "POST", api + "/decision", map[string]any{"outcome": "positief", "reasons": "Goed.", "conditions": "Cursus."},
			file + "/advies", url.Values{"outcome": {"positief"}, "reasons": {"Goed."}, "conditions": {"Cursus."}}, "conditions"},
		{"advice without reasons", "POST", api + "/decision", map[string]any{"outcome": "positief", "reasons": "\t"},
			file + "/advies", url.Values{"outcome": {"positief"}, "reasons": {"\t"}}, "reasons"},
		{"advice without outcome", "POST", api + "/decision", map[string]any{"outcome": "ja", "reasons": "Goed."},
			file + "/advies", url.Values{"outcome": {"ja"}, "reasons": {"Goed."}}, "outcome"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.e.Do(tt.apiMethod, tt.path, f.tok["com1"], tt.body)
			if r.Status != 422 {
				t.Fatalf("API: %d, want 422: %s", r.Status, r.Body)
			}
			var out struct {
				Error struct {
					Fields map[string]string `json:"fields"`
				} `json:"error"`
			}
			if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
				t.Fatal(err)
			}
			msg := out.Error.Fields[tt.field]
			if msg == "" {
				t.Fatalf("API names no error for %q: %s", tt.field, r.Body)
			}
			pr := f.page(t, "com1", "POST", tt.page, tt.form)
			if pr.Status != 422 {
				t.Fatalf("page: %d, want 422", pr.Status)
			}
			if !strings.Contains(pr.Body, html.EscapeString(msg)) {
				t.Fatalf("the page does not say what the API says for %q: %q", tt.field, msg)
			}
		})
	}
}
