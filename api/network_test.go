package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/sample"
)

// TestNetworkOverlaps: two candidates of a party share an organisation;
// each profile names the other (oranje: the organisation has a tie to the
// municipality); another party's candidate with the same organisation never
// appears; a member who recused from one sees no overlap with it; the board
// sees nothing of it.
func TestNetworkOverlaps(t *testing.T) {
	f := newFixture(t)
	e := f.e
	// Bo (in progress in party A) submits the same answers as Piet.
	bo := f.progressToProfiled(t)
	// Party B's candidate names the same foundation.
	x := f.tok["foreignCandidate"]
	e.Must(200, "POST", v1+"/me/consent", x, map[string]int{"privacy_version": 1})
	// Party B's round is for wethouder on questionnaire version 2, which
	// asks executives about conflicting financial interests (F7).
	foreign := sample.Flagged()
	foreign["F7"] = false
	e.Must(200, "PATCH", v1+"/me/answers", x, map[string]any{"answers": foreign})
	e.Must(200, "POST", v1+"/me/submit", x, nil)
	time.Sleep(300 * time.Millisecond)

	var prof map[string]any
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(30 * time.Millisecond) {
		prof = e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/profile", f.tok["committee"], nil).Map(t)
		if strings.Contains(mustJSON(t, prof["flags"]), "netwerk-overlap") || time.Now().After(end) {
			break
		}
	}
	flags := mustJSON(t, prof["flags"])
	if !strings.Contains(flags, "netwerk-overlap") || !strings.Contains(flags, "Bo") || !strings.Contains(flags, "Sportpark De Linden") {
		t.Fatalf("no overlap flag naming Bo: %s", flags)
	}
	if strings.Contains(flags, `"X`) || strings.Contains(flags, "Ook X") {
		t.Fatalf("another party's candidate appears: %s", flags)
	}
	// The hearing form does not offer the overlap: it names Bo, and would
	// put another candidate's name to Piet (the API refuses it too).
	file := string(e.Must(200, "GET", "/commissie/kandidaten/"+f.profiled, f.tok["committee"], nil).Body)
	if !strings.Contains(file, `name="flags"`) || strings.Contains(file, `name="flags" value="netwerk-overlap"`) {
		t.Fatal("the hearing form offers the overlap flag (or no flags at all)")
	}
	e.Must(422, "POST", v1+"/candidates/"+f.profiled+"/hearing", f.tok["committee"], map[string]any{"flags": []string{"netwerk-overlap"}, "message": "Toelichting?"})
	netw := e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/network", f.tok["committee"], nil).Map(t)
	// Same answers: the employer (info), the partner's employer (info) and
	// the foundation with a municipal tie and two board members (oranje).
	sev := map[string]string{}
	for _, o := range netw["overlaps"].([]any) {
		m := o.(map[string]any)
		sev[m["org"].(map[string]any)["name"].(string)] = m["severity"].(string)
	}
	want := map[string]string{"Zorggroep Noord": "info", "Basisschool De Regenboog": "info", "Stichting Sportpark De Linden": "oranje"}
	for k, v := range want {
		if sev[k] != v {
			t.Errorf("overlap %s: %q, want %q (all: %v)", k, sev[k], v, sev)
		}
	}
	svg := e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/network.svg", f.tok["committee"], nil)
	if !strings.HasPrefix(string(svg.Body), "<svg") || !strings.Contains(string(svg.Body), "[oranje]") {
		t.Fatalf("map: %.200s", svg.Body)
	}
	round := mustJSON(t, e.Must(200, "GET", v1+"/rounds/"+f.rid+"/network", f.tok["committee"], nil).Map(t))
	if !strings.Contains(round, "Sportpark De Linden") || !strings.Contains(round, "Bo") || !strings.Contains(round, "Piet") {
		t.Fatalf("round map: %s", round)
	}

	// A member who recused from Bo sees no overlap naming Bo.
	e.Must(201, "POST", v1+"/candidates/"+bo+"/recusal", f.tok["committee2"], map[string]string{"reason": "Buurman"})
	p2 := mustJSON(t, e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/profile", f.tok["committee2"], nil).Map(t)["flags"])
	if strings.Contains(p2, "netwerk-overlap") {
		t.Fatalf("recused member sees the overlap with Bo: %s", p2)
	}
	if strings.Contains(mustJSON(t, e.Must(200, "GET", v1+"/rounds/"+f.rid+"/network", f.tok["committee2"], nil).Map(t)), "Bo") {
		t.Fatal("recused member sees Bo on the round map")
	}
	// The board sees nothing of it; the candidate's export has only their own network.
	e.Must(403, "GET", v1+"/candidates/"+f.profiled+"/network", f.tok["board"], nil)
	e.Must(403, "GET", v1+"/rounds/"+f.rid+"/network", f.tok["board"], nil)
	exp := mustJSON(t, e.Must(200, "GET", v1+"/me/export", f.tok["candidate"], nil).Map(t))
	if !strings.Contains(exp, "Sportpark De Linden") || strings.Contains(exp, "Bo") {
		t.Fatalf("export network: %.300s", exp)
	}
}
