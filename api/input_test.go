package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLeak_ControlCharacters (finding 16): a NUL or another control
// character in a name, an answer, a path or a query gave a 500 (PostgreSQL
// refuses NUL, the SQLite graph renderer broke on it). Every such input is
// now a 422 naming the field (a 404 in a path), and nothing saved before is
// lost.
func TestLeak_ControlCharacters(t *testing.T) {
	f := newFixture(t)
	e := f.e
	cand := f.tok["otherCandidate"]
	saved := map[string]any{"K3": true, "N5": "Regel een.\nRegel\ttwee."} // newline and tab stay allowed
	e.Must(200, "PATCH", v1+"/me/answers", cand, map[string]any{"answers": saved})
	deadline := time.Now().Add(60 * 24 * time.Hour).Format("2006-01-02")

	tests := []struct {
		name, method, path, who string
		body                    any
		status                  int
		field                   string
	}{
		{"NUL in an invited name", "POST", "/rounds/" + f.rid + "/candidates", "board", `{"name":"Jan\u0000Jansen","email":"jan@test.nl"}`, 422, "name"},
		{"C1 control in an invited name", "POST", "/rounds/" + f.rid + "/candidates", "board", "{\"name\":\"Jan\u0085Jansen\",\"email\":\"jan2@test.nl\"}", 422, "name"},
		{"escape in an e-mail", "POST", "/rounds/" + f.rid + "/candidates", "board", `{"name":"Jan","email":"jan\u001b@test.nl"}`, 422, "email"},
		{"NUL in a round name", "POST", "/parties/" + f.pid + "/rounds", "board", `{"name":"R\u0000","office":"raadslid","deadline":"` + deadline + `"}`, 422, "name"},
		{"NUL in a text answer", "PATCH", "/me/answers", "otherCandidate", `{"answers":{"N5":"Niets\u0000"}}`, 422, "N5"},
		{"NUL in a list answer's field", "PATCH", "/me/answers", "otherCandidate", `{"answers":{"N1":[{"organisatie":"Club\u0001","rol":"lid"}]}}`, 422, "N1"},
		{"NUL in a key", "PATCH", "/me/answers", "otherCandidate", `{"answers":{"N5\u0000":"x"}}`, 422, "answers"},
		{"NUL in a note", "POST", "/candidates/" + f.profiled + "/notes", "committee", `{"body":"a\u0000b"}`, 422, "body"},
		{"DEL in a login address", "POST", "/session", "", "{\"email\":\"board@test.nl\u007f\",\"password\":\"x-x-x-x-x-x\"}", 422, "email"},
		{"NUL in a query", "GET", "/rounds/" + f.rid + "/candidates?status=%00", "committee", nil, 422, "status"},
		{"NUL in a path", "GET", "/candidates/%00", "committee", nil, 404, ""},
		{"invalid UTF-8 in a path", "GET", "/candidates/%ff%fe", "committee", nil, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Do(tt.method, v1+tt.path, f.tok[tt.who], tt.body)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			code, fields := errCode(t, r)
			if tt.status == 422 && (code != "validatie" || fields[tt.field] == nil) {
				t.Fatalf("want code validatie naming %q: %s", tt.field, r.Body)
			}
		})
	}

	got := e.Must(200, "GET", v1+"/me/questionnaire", cand, nil).Map(t)["answers"].(map[string]any)
	if d := cmp.Diff(saved, got); d != "" {
		t.Errorf("saved answers changed (-want +got):\n%s", d)
	}
	if list := e.Must(200, "GET", v1+"/rounds/"+f.rid+"/candidates", f.tok["board"], nil).Body; strings.Contains(string(list), "Jansen") || strings.Contains(string(list), "jan2@") {
		t.Errorf("a refused invitation was stored: %s", list)
	}
}

// TestLeak_DeadlineFarFuture: the API accepted 9999-12-31 (the pages stop
// at 2100); one rule now limits a round's and a herhaalscan's closing date
// to a year ahead, on the API and the pages alike.
func TestLeak_DeadlineFarFuture(t *testing.T) {
	f := newFixture(t)
	ok := time.Now().Add(300 * 24 * time.Hour).Format("2006-01-02")
	for _, tt := range []struct {
		name, path, deadline string
		status               int
	}{
		{"round in 9999", "/parties/" + f.pid + "/rounds", "9999-12-31", 422},
		{"round in two years", "/parties/" + f.pid + "/rounds", time.Now().AddDate(2, 0, 0).Format("2006-01-02"), 422},
		{"round within a year", "/parties/" + f.pid + "/rounds", ok, 201},
		{"herhaalscan in 9999", "/rounds/" + f.rid + "/rescreen", "9999-12-31T23:00:00Z", 422},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := f.e.Do("POST", v1+tt.path, f.tok["board"], map[string]any{"name": "R", "office": "raadslid", "deadline": tt.deadline})
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			if tt.status == 422 {
				if _, fields := errCode(t, r); fields["deadline"] == nil {
					t.Fatalf("deadline not named: %s", r.Body)
				}
			}
		})
	}
}
