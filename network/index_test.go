package network

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/weerbaar/weerbaar/questionnaires"
)

func n1(org, kvk, rol string, tie bool) map[string]any {
	return map[string]any{"organisatie": org, "kvk": kvk, "rol": rol, "betaald": false, "uren_per_maand": 2.0, "sinds": "2020-01-01", "relatie_gemeente": tie}
}

func member(id, party, name string, a questionnaires.Answers) Member {
	return Member{CandidateID: id, PartyID: party, RoundID: "r-" + party, Name: name, Orgs: Extract(a)}
}

func TestOverlapsInfo(t *testing.T) {
	ix := NewIndex()
	ix.Put(member("a", "p1", "Anna de Vries", questionnaires.Answers{"N1": []any{n1("Stichting Sportpark Noord", "", "lid", false)}}))
	ix.Put(member("b", "p1", "Bram Jansen", questionnaires.Answers{"N1": []any{n1("sportpark noord (stichting)", "", "vrijwilliger", false)}}))
	ix.Put(member("c", "p1", "Cem Ak", questionnaires.Answers{"N1": []any{n1("Sportpark Zuid", "", "lid", false)}}))

	got := ix.Overlaps("a", nil)
	if len(got) != 1 {
		t.Fatalf("overlaps = %+v", got)
	}
	want := []OtherRef{{CandidateID: "b", Name: "Bram Jansen", RoundID: "r-p1", OrgName: "sportpark noord (stichting)", Roles: []string{"vrijwilliger"}}}
	if diff := cmp.Diff(want, got[0].Others); diff != "" {
		t.Error(diff)
	}
	if got[0].Severity != questionnaires.LevelInfo || got[0].Org.Name != "Stichting Sportpark Noord" {
		t.Errorf("overlap = %+v", got[0])
	}
	if ov := ix.Overlaps("c", nil); len(ov) != 0 {
		t.Errorf("c overlaps = %+v", ov)
	}
	if ov := ix.Overlaps("nobody", nil); ov != nil {
		t.Errorf("unknown = %+v", ov)
	}

	flags := OverlapFlags(got)
	wantFlags := []questionnaires.Flag{{
		Rule: "netwerk-overlap", Domain: "netwerk", Severity: questionnaires.LevelInfo,
		Finding:   "Ook Bram Jansen (vrijwilliger) is actief bij Stichting Sportpark Noord.",
		Why:       overlapWhy,
		Ask:       "Welke andere kandidaten van de partij kent u via Stichting Sportpark Noord? Hoe houdt u uw rol daar en uw werk voor de partij uit elkaar?",
		Questions: []string{"N1"},
		Excerpts:  map[string]string{"N1": "Stichting Sportpark Noord"},
	}}
	if diff := cmp.Diff(wantFlags, flags); diff != "" {
		t.Error(diff)
	}
}

func TestOverlapsMunicipalTie(t *testing.T) {
	ix := NewIndex()
	ix.Put(member("a", "p1", "Anna de Vries", questionnaires.Answers{"N1": []any{n1("Voedselbank", "", "lid", false)}}))
	// the tie is on the other side only; the partner's employer counts as an org
	ix.Put(member("b", "p1", "Bram Jansen", questionnaires.Answers{"NT1": []any{map[string]any{"relatie": "partner", "werkgever": "Stichting Voedselbank", "functie": "kok", "relatie_gemeente": true}}}))
	got := ix.Overlaps("a", nil)
	if len(got) != 1 || got[0].Severity != questionnaires.LevelOranje || !got[0].Others[0].MunicipalTie {
		t.Fatalf("overlaps = %+v", got)
	}
	f := OverlapFlags(got)[0]
	wantFinding := "Ook Bram Jansen (partner werkt er) heeft een band met Voedselbank. Deze organisatie heeft een band met de gemeente, bijvoorbeeld subsidie, een opdracht of een vergunning."
	if f.Finding != wantFinding {
		t.Errorf("finding = %q", f.Finding)
	}
	if f.Severity != questionnaires.LevelOranje {
		t.Errorf("severity = %v", f.Severity)
	}
	// and from b's side, the tie is on b's own org
	if got := ix.Overlaps("b", nil); len(got) != 1 || got[0].Severity != questionnaires.LevelOranje {
		t.Errorf("b overlaps = %+v", got)
	}
}

func TestOverlapsTwoBoards(t *testing.T) {
	ix := NewIndex()
	ix.Put(member("a", "p1", "Anna de Vries", questionnaires.Answers{"N1": []any{n1("Stichting Sportpark Noord", "41234567", "bestuur", false)}}))
	ix.Put(member("b", "p1", "Bram Jansen", questionnaires.Answers{"N1": []any{n1("SV Noord", "4123 4567", "toezicht", false)}}))
	ix.Put(member("c", "p1", "Cem Ak", questionnaires.Answers{"N1": []any{n1("SPORTPARK NOORD STICHTING.", "", "lid", false)}}))
	got := ix.Overlaps("a", nil)
	if len(got) != 1 || got[0].Severity != questionnaires.LevelOranje {
		t.Fatalf("overlaps = %+v", got)
	}
	if ids := []string{got[0].Others[0].CandidateID, got[0].Others[1].CandidateID}; !cmp.Equal(ids, []string{"b", "c"}) {
		t.Errorf("others = %v", ids)
	}
	f := OverlapFlags(got)[0]
	want := "Ook Bram Jansen (toezicht) en Cem Ak (lid) zijn actief bij Stichting Sportpark Noord. In totaal zitten 2 kandidaten in het bestuur of het toezicht van deze organisatie."
	if f.Finding != want {
		t.Errorf("finding = %q", f.Finding)
	}
	// Matching is pairwise, not transitive: c (no KvK) matches a by name,
	// but not b ("SV Noord": same KvK as a, another name). c sees a only.
	if got := ix.Overlaps("c", nil); len(got) != 1 || got[0].Severity != questionnaires.LevelInfo ||
		len(got[0].Others) != 1 || got[0].Others[0].CandidateID != "a" {
		t.Errorf("c overlaps = %+v", got)
	}
	// One board member only: info.
	ix.Remove("b")
	if got := ix.Overlaps("a", nil); len(got) != 1 || got[0].Severity != questionnaires.LevelInfo {
		t.Errorf("after remove = %+v", got)
	}
}

func TestOverlapsKvKConflict(t *testing.T) {
	ix := NewIndex()
	ix.Put(member("a", "p1", "A", questionnaires.Answers{"N1": []any{n1("Stichting Noord", "11111111", "lid", false)}}))
	ix.Put(member("b", "p1", "B", questionnaires.Answers{"N1": []any{n1("Noord", "22222222", "lid", false)}}))
	if got := ix.Overlaps("a", nil); len(got) != 0 {
		t.Errorf("different KvK matched: %+v", got)
	}
}

func TestOverlapsHide(t *testing.T) {
	ix := NewIndex()
	a := questionnaires.Answers{"N1": []any{n1("Vereniging Dorpsbelang", "", "lid", false)}}
	ix.Put(member("a", "p1", "A", a))
	ix.Put(member("b", "p1", "B", a))
	ix.Put(member("c", "p1", "C", a))
	got := ix.Overlaps("a", func(id string) bool { return id == "b" })
	if len(got) != 1 || len(got[0].Others) != 1 || got[0].Others[0].CandidateID != "c" {
		t.Errorf("overlaps = %+v", got)
	}
	if got := ix.Overlaps("a", func(string) bool { return true }); len(got) != 0 {
		t.Errorf("all hidden = %+v", got)
	}
}

func TestOverlapsNeverAcrossParties(t *testing.T) {
	ix := NewIndex()
	a := questionnaires.Answers{"N1": []any{n1("Stichting Sportpark Noord", "41234567", "bestuur", true)}}
	ix.Put(member("a", "p1", "A", a))
	ix.Put(member("b", "p2", "B", a))
	if got := ix.Overlaps("a", nil); len(got) != 0 {
		t.Errorf("across parties: %+v", got)
	}
	// Moving b to p1 (Put replaces) makes them match; moving back undoes it.
	ix.Put(member("b", "p1", "B", a))
	if got := ix.Overlaps("a", nil); len(got) != 1 {
		t.Errorf("same party: %+v", got)
	}
	ix.Put(member("b", "p2", "B", a))
	if got := ix.Overlaps("a", nil); len(got) != 0 {
		t.Errorf("after move: %+v", got)
	}
}

func TestOverlapsPutReplacesRemove(t *testing.T) {
	ix := NewIndex()
	ix.Put(member("a", "p1", "A", questionnaires.Answers{"N1": []any{n1("Vereniging Dorpsbelang", "", "lid", false)}}))
	ix.Put(member("b", "p1", "B", questionnaires.Answers{"N1": []any{n1("Dorpsbelang", "", "lid", false)}}))
	if got := ix.Overlaps("a", nil); len(got) != 1 {
		t.Fatalf("overlaps = %+v", got)
	}
	// b's answers change: the old entry is gone.
	ix.Put(member("b", "p1", "B", questionnaires.Answers{"N1": []any{n1("Vereniging Plaatselijk Belang", "", "lid", false)}}))
	if got := ix.Overlaps("a", nil); len(got) != 0 {
		t.Errorf("after replace: %+v", got)
	}
	ix.Put(member("b", "p1", "B", questionnaires.Answers{"N1": []any{n1("Dorpsbelang", "", "lid", false)}}))
	ix.Remove("b")
	ix.Remove("b") // twice is harmless
	if got := ix.Overlaps("a", nil); len(got) != 0 {
		t.Errorf("after remove: %+v", got)
	}
	if ix.Len() != 1 {
		t.Errorf("len = %d", ix.Len())
	}
	ix.Remove("a")
	if len(ix.parties) != 0 {
		t.Errorf("party maps left: %+v", ix.parties)
	}
}

func TestOverlapsMunicipalityNotShared(t *testing.T) {
	ix := NewIndex()
	g := questionnaires.Answers{"G1": []any{map[string]any{"soort": "subsidie", "jaar": 2024.0, "status": "lopend"}}}
	ix.Put(member("a", "p1", "A", g))
	ix.Put(member("b", "p1", "B", g))
	if got := ix.Overlaps("a", nil); len(got) != 0 {
		t.Errorf("municipality shared: %+v", got)
	}
}

func TestOverlapsMergesOtherOrgs(t *testing.T) {
	// b has two orgs named "Noord" with different KvK numbers (Extract keeps
	// them apart); a's "Noord" has no number, so it matches both by name.
	// Both entries of b fold into one OtherRef.
	ix := NewIndex()
	ix.Put(member("a", "p1", "A", questionnaires.Answers{"N1": []any{n1("Stichting Noord", "", "lid", false)}}))
	ix.Put(member("b", "p1", "B", questionnaires.Answers{
		"N1": []any{n1("Noord", "11111111", "bestuur", false)},
		"F1": []any{map[string]any{"bedrijf": "Noord B.V.", "kvk": "22222222", "percentage": 10.0, "sector": "sport", "zaken_met_gemeente": false}},
	}))
	got := ix.Overlaps("a", nil)
	if len(got) != 1 || len(got[0].Others) != 1 {
		t.Fatalf("overlaps = %+v", got)
	}
	if diff := cmp.Diff([]string{"bestuur", "aandeelhouder"}, got[0].Others[0].Roles); diff != "" {
		t.Error(diff)
	}
}

func TestOverlapFinding(t *testing.T) {
	o := Overlap{
		Org: Org{Name: "Stichting Sportpark Noord"},
		Others: []OtherRef{
			{Name: "Bram Jansen", Roles: []string{"bestuur"}},
			{Name: "Cem Ak", Roles: []string{"lid"}},
			{Name: "Dirk Smit", Roles: []string{"werkgever", "bestuur (gestopt)"}},
		},
		Severity: questionnaires.LevelInfo,
	}
	want := "Ook Bram Jansen (bestuur), Cem Ak (lid) en Dirk Smit (werkt er, bestuur (gestopt)) zijn actief bij Stichting Sportpark Noord."
	if got := overlapFinding(o); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if l := RoleLabel("werkgever broer_zus"); l != "broer of zus werkt er" {
		t.Error(l)
	}
}

func TestIndexConcurrent(t *testing.T) {
	ms := roundMembers(genRound(3, 60))
	ix := NewIndex()
	done := make(chan bool)
	for w := range 4 {
		go func() {
			for i := w; i < len(ms); i += 4 {
				ix.Put(ms[i])
				_ = ix.Overlaps(ms[i].CandidateID, nil)
				if i%7 == 0 {
					ix.Remove(ms[i].CandidateID)
				}
			}
			done <- true
		}()
	}
	for range 4 {
		<-done
	}
	want := 0
	for i := range ms {
		if i%7 != 0 {
			want++
		}
	}
	if ix.Len() != want {
		t.Errorf("len = %d, want %d", ix.Len(), want)
	}
}
