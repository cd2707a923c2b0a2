package screening_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/screening"
)

func ptr(s string) *string { return &s }

// TestValidate: each request's tags give the texts users read, per field;
// the JSON field names are the keys (the pages map them to their inputs).
func TestValidate(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name string
		req  any
		want map[string]string
	}{
		{"valid note", screening.NoteRequest{Body: "Gesprek gehad."}, nil},
		{"blank note", screening.NoteRequest{Body: " \n "}, map[string]string{"body": "Schrijf uw notitie."}},
		{"long note", screening.NoteRequest{Body: long(10001)}, map[string]string{"body": "Uw notitie is te lang: gebruik ten hoogste 10.000 tekens."}},
		{"note at the limit, in characters not bytes", screening.NoteRequest{Body: strings.Repeat("é", 10000)}, nil},
		{"hearing without anything", screening.HearingRequest{}, map[string]string{
			"flags": "Kies ten minste één signaal waarover u de kandidaat wilt horen.", "message": "Schrijf een bericht aan de kandidaat."}},
		{"hearing with 101 flags", screening.HearingRequest{Flags: strings.Split(strings.Repeat("a,", 100)+"a", ","), Message: "x"},
			map[string]string{"flags": "Kies ten hoogste 100 signalen."}},
		{"VOG unknown status", screening.VOGRequest{Status: "misschien"}, map[string]string{"status": "Kies de status van de VOG."}},
		{"VOG date not a date", screening.VOGRequest{Status: "klaargezet", KlaargezetOn: ptr("14-03-2025")},
			map[string]string{"klaargezet_on": "Vul een datum in als JJJJ-MM-DD."}},
		{"proposal", screening.ProposalRequest{Outcome: "positief", Reasons: "Geen bezwaren."}, nil},
		{"proposal without outcome or reasons", screening.ProposalRequest{}, map[string]string{
			"outcome": "Kies het advies: positief, positief met voorwaarden of negatief.", "reasons": "Schrijf de redenen voor het advies op."}},
		{"invite", screening.InviteRequest{Name: "Piet", Email: "piet@voorbeeld.nl"}, nil},
		{"invite without a dot in the domain", screening.InviteRequest{Name: "Piet", Email: "piet@localhost"},
			map[string]string{"email": "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."}},
		{"invite with a display name", screening.InviteRequest{Name: "Piet", Email: "Piet <piet@voorbeeld.nl>"},
			map[string]string{"email": "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."}},
		{"invite without a name", screening.InviteRequest{Name: " ", Email: "piet@voorbeeld.nl"}, map[string]string{"name": "Vul de naam van de kandidaat in."}},
		{"round for an office that does not exist", screening.RoundRequest{Name: "Raad", Office: "burgemeester"},
			map[string]string{"office": "Kies voor welke functie de ronde is."}},
		{"party settings out of range", screening.PartySettingsRequest{RetentionDecidedDays: new(int)},
			map[string]string{"retention_decided_days": "Vul een getal in van ten minste 30."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := screening.Validate(tt.req)
			var got map[string]string
			if err != nil {
				e, ok := screening.Explain(err)
				if !ok || e.Kind != screening.Invalid {
					t.Fatalf("not a refusal of fields: %v", err)
				}
				got = e.Fields
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Fatalf("fields (-want +got):\n%s", d)
			}
		})
	}
}

// TestExplain: every refusal the Store gives has its own Dutch text, and
// the refusals that share an API code keep their own words.
func TestExplain(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		kind     screening.Kind
		code     string
		contains string
	}{
		{"own proposal", models.ErrOwnProposal, screening.Conflict, "vier_ogen", "tweede commissielid"},
		{"no advice proposal", models.ErrNoProposal, screening.Conflict, "geen_voorstel", "advies"},
		{"no member proposal", models.ErrNoMemberProposal, screening.Conflict, "geen_voorstel", "dit lid"},
		{"reply too late", models.ErrReplyTooLate, screening.Conflict, "termijn_verstreken", "termijn"},
		{"wrapped not found", errors.Join(errors.New("lookup"), models.ErrNotFound), screening.NotFound, "niet_gevonden", "geen toegang"},
		{"gone link", models.ErrGone, screening.Gone, "verlopen", "/link-aanvragen"},
		{"transition", &models.TransitionError{From: models.StatusSubmitted, Action: models.ActSubmit}, screening.Conflict, "ongeldige_stap", "ingediend"},
		{"VOG step", &models.VOGStepError{From: "klaargezet", To: "geweigerd"}, screening.Conflict, "vog_stap", "klaargezet"},
		{"answers", questionnaires.InvalidAnswers{"F4": "Kies ja of nee."}, screening.Invalid, "validatie", "antwoorden"},
		{"deadline too far", &models.ValidationError{Code: "deadline", Fields: map[string]string{"deadline": "too_far"}}, screening.Invalid, "validatie", "velden"},
		{"unknown flags", &models.ValidationError{Code: "flags", Fields: map[string]string{"flags": "unknown"}, Params: []string{"r1", "r2"}}, screening.Invalid, "validatie", "signalen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := screening.Explain(tt.err)
			if !ok {
				t.Fatal("not explained")
			}
			if e.Kind != tt.kind || e.Code != tt.code || !strings.Contains(e.Message, tt.contains) {
				t.Fatalf("got kind %d code %q message %q", e.Kind, e.Code, e.Message)
			}
			if e.Message == "Deze stap is nu niet mogelijk." {
				t.Fatal("fell back to the generic text: the refusal has no text of its own")
			}
		})
	}
	if e, _ := screening.Explain(&models.ValidationError{Code: "flags", Fields: map[string]string{"flags": "unknown"}, Params: []string{"r1", "r2"}}); !strings.Contains(e.Fields["flags"], "r1, r2") {
		t.Errorf("the unknown flags are not named: %q", e.Fields["flags"])
	}
	if _, ok := screening.Explain(errors.New("connection refused")); ok {
		t.Error("a failing database explained as a refusal (it is the server's fault)")
	}
}

// TestEveryRefusalHasText: each ReviewError the models package declares
// has a text of its own here (a new refusal without one would show the
// generic fallback).
func TestEveryRefusalHasText(t *testing.T) {
	fs := token.NewFileSet()
	files, _ := filepath.Glob("../models/*.go")
	var names []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fs, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			if vs, ok := n.(*ast.ValueSpec); ok {
				for i, v := range vs.Values {
					if u, ok := v.(*ast.UnaryExpr); ok {
						if cl, ok := u.X.(*ast.CompositeLit); ok {
							if id, ok := cl.Type.(*ast.Ident); ok && id.Name == "ReviewError" {
								names = append(names, vs.Names[i].Name)
							}
						}
					}
				}
			}
			return true
		})
	}
	if len(names) < 10 {
		t.Fatalf("found only %d refusals in models: the parse is wrong", len(names))
	}
	if n := screening.RefusalTexts(); n != len(names) {
		t.Fatalf("%d refusals in models (%v), %d texts in screening", len(names), names, n)
	}
}

// TestModelsHoldNoUserText: the text users read is written in screening
// (and the templates), not in models. A string literal in models that
// reads like a Dutch sentence for a user fails here. The few Dutch values
// models stores as data are listed.
func TestModelsHoldNoUserText(t *testing.T) {
	data := map[string]bool{
		models.RecusalReasonLinked:     true, // stored as the reason of a carried-over recusal
		models.DefaultScreeningProfile: true, // the screeningsprofiel's name on the VOG request
	}
	dutch := regexp.MustCompile(`(?i)\b(kies|vul|schrijf|u kunt|uw|niet|geen|deze|er is|er ligt|eerst|opnieuw|bestaat|gebruik)\b`)
	fs := token.NewFileSet()
	files, _ := filepath.Glob("../models/*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fs, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				s, _ := strconv.Unquote(bl.Value)
				if strings.Contains(s, " ") && dutch.MatchString(s) && !data[s] && !strings.Contains(s, "SELECT") {
					t.Errorf("%s: user text in models: %q", fs.Position(bl.Pos()), s)
				}
			}
			return true
		})
	}
}
