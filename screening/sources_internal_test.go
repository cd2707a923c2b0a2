package screening

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSourceRequest: the rules of recording a check, tags and own rules,
// with the texts a committee member reads.
func TestSourceRequest(t *testing.T) {
	now := time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)
	ok := SourceRequest{Source: "kvk", Result: "Eenmanszaak sinds 2019."}
	with := func(f func(*SourceRequest)) SourceRequest { r := ok; f(&r); return r }
	tests := []struct {
		name   string
		req    SourceRequest
		fields []string
	}{
		{"plain check", ok, nil},
		{"with link, date and finding", with(func(r *SourceRequest) {
			r.Link, r.CheckedOn, r.Severity, r.Finding, r.Ask = "https://www.kvk.nl/zoeken/?q=x", "2025-03-14", "oranje", "Bv in vastgoed.", "Welke rol hebt u?"
		}), nil},
		{"nothing", SourceRequest{}, []string{"result", "source"}},
		{"unknown source", with(func(r *SourceRequest) { r.Source = "google" }), []string{"source"}},
		{"blank result", with(func(r *SourceRequest) { r.Result = "  " }), []string{"result"}},
		{"javascript link", with(func(r *SourceRequest) { r.Link = "javascript:alert(1)" }), []string{"link"}},
		{"link without scheme", with(func(r *SourceRequest) { r.Link = "www.kvk.nl" }), []string{"link"}},
		{"ftp link", with(func(r *SourceRequest) { r.Link = "ftp://example.nl/x" }), []string{"link"}},
		{"link with a space", with(func(r *SourceRequest) { r.Link = "https://example.nl/a b" }), []string{"link"}},
		{"link with credentials", with(func(r *SourceRequest) { r.Link = "https://u:p@example.nl/" }), []string{"link"}},
		{"link too long", with(func(r *SourceRequest) { r.Link = "https://example.nl/" + strings.Repeat("a", 2000) }), []string{"link"}},
		{"link at the limit", with(func(r *SourceRequest) { r.Link = "https://example.nl/" + strings.Repeat("a", 2000-19) }), nil},
		{"date ahead", with(func(r *SourceRequest) { r.CheckedOn = "2025-03-15" }), []string{"checked_on"}},
		{"date not a date", with(func(r *SourceRequest) { r.CheckedOn = "14-03-2025" }), []string{"checked_on"}},
		{"severity without finding and question", with(func(r *SourceRequest) { r.Severity = "rood" }), []string{"ask", "finding"}},
		{"finding without severity", with(func(r *SourceRequest) { r.Finding = "Iets." }), []string{"severity"}},
		{"severity geen is not a finding", with(func(r *SourceRequest) { r.Severity, r.Finding, r.Ask = "geen", "x", "y" }), []string{"severity"}},
		{"title on a fixed source", with(func(r *SourceRequest) { r.Title = "Zoekmachine" }), []string{"title"}},
		{"id on a fixed source", with(func(r *SourceRequest) { r.ID = "abc" }), []string{"id"}},
		{"own search without title", with(func(r *SourceRequest) { r.Source = "eigen_zoekopdracht" }), []string{"title"}},
		{"own search", with(func(r *SourceRequest) { r.Source, r.Title = "eigen_zoekopdracht", "Zoekmachine" }), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validateAt(tt.req, &checkEnv{Now: now})
			var got []string
			if err != nil {
				e, ok := Explain(err)
				if !ok || e.Kind != Invalid {
					t.Fatalf("not a refusal of fields: %v", err)
				}
				got = e.FieldNames()
				for f, m := range e.Fields {
					if m == "" || strings.HasPrefix(m, "Deze waarde") {
						t.Errorf("%s: no text of its own: %q", f, m)
					}
				}
			}
			if d := cmp.Diff(tt.fields, got); d != "" {
				t.Fatalf("refused fields (-want +got):\n%s", d)
			}
		})
	}
}

func TestDutchDate(t *testing.T) {
	if got := dutchDate("2025-03-04"); got != "4 maart 2025" {
		t.Fatalf("got %q", got)
	}
}
