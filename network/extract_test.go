package network

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/questionnaires"
)

func TestExtractSampleFlagged(t *testing.T) {
	got := Extract(questionnaires.Answers(sample.Flagged()))
	want := []Org{
		{
			Key: Key{Name: "zorggroep noord"}, Name: "Zorggroep Noord",
			Roles: []string{"werkgever"}, Paid: new(true),
			Sources: []Source{{"K2", 0, "werkgever"}},
		},
		{
			Key: Key{KvK: "41234567", Name: "sportpark de linden"}, Name: "Stichting Sportpark De Linden", KvK: "41234567",
			Roles: []string{"bestuur"}, Paid: new(false), Board: true,
			MunicipalTie: true, Ties: []Tie{{Kind: TieRelation, Question: "N1", Item: 0}},
			Sources: []Source{{"N1", 0, "organisatie"}},
		},
		{
			Key: Key{Name: "basisschool de regenboog"}, Name: "Basisschool De Regenboog",
			Roles:   []string{"werkgever partner"},
			Sources: []Source{{"NT1", 0, "werkgever"}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Extract(Flagged) (-want +got):\n%s", diff)
	}
}

// allSources is a hand-made answer set that uses every source question.
func allSources() questionnaires.Answers {
	return questionnaires.Answers{
		"K2": []any{
			map[string]any{"werkgever": "Gemeente Eindhoven", "functie": "beleidsmedewerker", "uren_per_week": 16.0, "sinds": "2020-01-01", "bij_deze_gemeente": true},
			map[string]any{"werkgever": "Bouwbedrijf Jansen B.V.", "functie": "planner", "uren_per_week": 16.0, "sinds": "2021-01-01", "bij_deze_gemeente": false},
		},
		"N1": []any{
			map[string]any{"organisatie": "Stichting Sportpark Noord", "kvk": "4123 4567", "rol": "bestuur", "betaald": false, "uren_per_maand": 6.0, "sinds": "2018-03-01", "relatie_gemeente": true},
			map[string]any{"organisatie": "Voedselbank Eindhoven", "rol": "vrijwilliger", "betaald": false, "uren_per_maand": 4.0, "sinds": "2019-01-01", "relatie_gemeente": false},
			map[string]any{"organisatie": "Woonstichting Thuis", "rol": "toezicht", "betaald": true, "uren_per_maand": 8.0, "sinds": "2022-01-01", "relatie_gemeente": false},
			map[string]any{"organisatie": "  ", "rol": "lid", "betaald": false}, // no name: skipped
		},
		"N2": []any{
			map[string]any{"organisatie": "Sportpark Noord (stichting)", "rol": "lid", "betaald": false, "beeindigd_op": "2023-01-01", "relatie_gemeente": false},
			map[string]any{"organisatie": "Ondernemersvereniging Centrum", "kvk": "12.34.56.78", "rol": "bestuur", "betaald": true, "beeindigd_op": "2022-06-30", "relatie_gemeente": true},
		},
		"F1": []any{
			map[string]any{"bedrijf": "BOUWBEDRIJF JANSEN", "kvk": "87654321", "percentage": 30.0, "sector": "bouw", "zaken_met_gemeente": true},
			map[string]any{"bedrijf": "Kaya Holding B.V.", "percentage": 100.0, "sector": "horeca", "zaken_met_gemeente": false},
		},
		"NT1": []any{
			map[string]any{"relatie": "partner", "werkgever": "Voedselbank Eindhoven", "functie": "coördinator", "relatie_gemeente": true},
			map[string]any{"relatie": "kind", "functie": "student", "relatie_gemeente": false}, // no werkgever: skipped
		},
		"NT2": true,
		"NT2_bedrijven": []any{
			map[string]any{"relatie": "broer", "bedrijf": "Taxi Ak", "soort": "vergunning"},
		},
		"G1": []any{
			map[string]any{"soort": "vergunning", "jaar": 2023.0, "status": "lopend"},
			map[string]any{"soort": "handhaving", "jaar": 2022.0, "status": "afgerond"},
		},
	}
}

func TestExtractAllSources(t *testing.T) {
	got := Extract(allSources())
	want := []Org{
		{
			Key: Key{Name: "gemeente eindhoven"}, Name: "Gemeente Eindhoven",
			Roles: []string{"werkgever"}, Paid: new(true),
			MunicipalTie: true, Ties: []Tie{{Kind: TieWorksAt, Question: "K2", Item: 0}},
			Sources: []Source{{"K2", 0, "werkgever"}},
		},
		{
			// K2 without KvK merged with F1 with KvK: the key gains the number.
			Key: Key{KvK: "87654321", Name: "bouwbedrijf jansen"}, Name: "Bouwbedrijf Jansen B.V.", KvK: "87654321",
			Roles: []string{"werkgever", "aandeelhouder"}, Paid: new(true), Sector: "bouw",
			MunicipalTie: true, Ties: []Tie{{Kind: TieBusiness, Question: "F1", Item: 0}},
			Sources: []Source{{"K2", 1, "werkgever"}, {"F1", 0, "bedrijf"}},
		},
		{
			// current N1 bestuur + ended N2 lid: not Ended, Board.
			Key: Key{KvK: "41234567", Name: "sportpark noord"}, Name: "Stichting Sportpark Noord", KvK: "4123 4567",
			Roles: []string{"bestuur", "lid (gestopt)"}, Paid: new(false), Board: true,
			MunicipalTie: true, Ties: []Tie{{Kind: TieRelation, Question: "N1", Item: 0}},
			Sources: []Source{{"N1", 0, "organisatie"}, {"N2", 0, "organisatie"}},
		},
		{
			Key: Key{Name: "voedselbank eindhoven"}, Name: "Voedselbank Eindhoven",
			Roles: []string{"vrijwilliger", "werkgever partner"}, Paid: new(false),
			MunicipalTie: true, Ties: []Tie{{Kind: TieRelation, Question: "NT1", Item: 0}},
			Sources: []Source{{"N1", 1, "organisatie"}, {"NT1", 0, "werkgever"}},
		},
		{
			Key: Key{Name: "woonstichting thuis"}, Name: "Woonstichting Thuis",
			Roles: []string{"toezicht"}, Paid: new(true), Board: true,
			Sources: []Source{{"N1", 2, "organisatie"}},
		},
		{
			Key: Key{KvK: "12345678", Name: "ondernemersvereniging centrum"}, Name: "Ondernemersvereniging Centrum", KvK: "12.34.56.78",
			Roles: []string{"bestuur (gestopt)"}, Paid: new(true), Ended: true,
			MunicipalTie: true, Ties: []Tie{{Kind: TieRelation, Question: "N2", Item: 1, Past: true}},
			Sources: []Source{{"N2", 1, "organisatie"}},
		},
		{
			Key: Key{Name: "kaya holding"}, Name: "Kaya Holding B.V.",
			Roles: []string{"aandeelhouder"}, Sector: "horeca",
			Sources: []Source{{"F1", 1, "bedrijf"}},
		},
		{
			Key: Key{Name: "taxi ak"}, Name: "Taxi Ak",
			Roles:        []string{"familiebedrijf"},
			MunicipalTie: true, Ties: []Tie{{Kind: TieFamilyFirm, Detail: "vergunning", Question: "NT2_bedrijven", Item: 0}},
			Sources: []Source{{"NT2_bedrijven", 0, "bedrijf"}},
		},
		{
			Key: MunicipalityKey, Name: "Gemeente", Municipality: true,
			Roles:        []string{"procedure"},
			MunicipalTie: true, Ties: []Tie{
				{Kind: TieProcedure, Detail: "vergunning, 2023, loopt nog", Question: "G1", Item: 0},
				{Kind: TieProcedure, Detail: "handhaving, 2022, afgerond", Question: "G1", Item: 1},
			},
			Sources: []Source{{"G1", 0, "soort"}, {"G1", 1, "soort"}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Extract (-want +got):\n%s", diff)
	}
}

func TestExtractEdgeCases(t *testing.T) {
	// NT2_bedrijven is hidden (show_if NT2 == true) when NT2 is false.
	a := allSources()
	a["NT2"] = false
	for _, o := range Extract(a) {
		if o.Name == "Taxi Ak" {
			t.Error("NT2_bedrijven read while NT2 is false")
		}
	}
	// Empty, missing and malformed answers give nothing, without panics.
	for _, a := range []questionnaires.Answers{
		nil,
		{},
		{"K2": []any{}, "N1": "nope", "F1": []any{"x", 3.0, nil}, "G1": 5.0},
		{"N1": []any{map[string]any{"organisatie": 12.0}}},
	} {
		if got := Extract(a); len(got) != 0 {
			t.Errorf("Extract(%v) = %+v", a, got)
		}
	}
	// Item indexes stay those of the answer when a malformed item is skipped.
	got := Extract(questionnaires.Answers{"N1": []any{"x", map[string]any{"organisatie": "Vereniging A", "rol": "lid"}}})
	if len(got) != 1 || got[0].Sources[0].Item != 1 {
		t.Errorf("got %+v", got)
	}
	// Two different KvK numbers with the same name stay two orgs.
	got = Extract(questionnaires.Answers{"N1": []any{
		map[string]any{"organisatie": "Stichting Noord", "kvk": "11111111", "rol": "lid"},
		map[string]any{"organisatie": "Noord", "kvk": "22222222", "rol": "bestuur"},
	}})
	if len(got) != 2 {
		t.Errorf("different KvK merged: %+v", got)
	}
	// Only N2: Ended; the same org in N2 twice stays Ended.
	got = Extract(questionnaires.Answers{"N2": []any{
		map[string]any{"organisatie": "Stichting Noord", "rol": "lid"},
		map[string]any{"organisatie": "NOORD", "rol": "bestuur"},
	}})
	if len(got) != 1 || !got[0].Ended || got[0].Board {
		t.Errorf("got %+v", got)
	}
}
