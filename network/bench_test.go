package network

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// A generated round: organisations drawn from a pool of ~800 names, each
// written with a random legal form (in a random position) and casing; 20%
// of the mentions carry the KvK number.

var (
	poolKinds = []string{
		"Sportpark", "Voetbalclub", "Tennisclub", "Muziekvereniging", "Harmonie",
		"Zorggroep", "Woonzorg", "Buurthuis", "Speeltuin", "Voedselbank",
		"Bouwbedrijf", "Installatiebedrijf", "Adviesbureau", "Kinderopvang", "Basisschool",
		"Dorpsbelang", "Ondernemersvereniging", "Carnavalsvereniging", "Schutterij", "Fanfare",
	}
	poolPlaces = []string{
		"Noord", "Zuid", "Oost", "West", "Centrum", "De Linden", "Het Anker", "De Eik",
		"Ons Belang", "Vooruit", "De Toekomst", "Strijp", "Woensel", "Gestel", "Stratum",
		"Tongelre", "Acht", "Meerhoven", "Blixembosch", "Achtse Barrier", "Het Ven",
		"De Bunders", "Kronehoef", "Villapark", "Lakerlopen", "Doornakkers", "Genderdal",
		"Hanevoet", "Lievendaal", "Oud-Woensel", "Tivoli", "Vaartbroek", "Eckart",
		"Ooievaarsnest", "Karpen", "Mensfort", "Schoot", "Bennekel", "Hurk", "Zandrijk",
	}
	legalVariants = []func(string) string{
		func(s string) string { return s },
		func(s string) string { return "Stichting " + s },
		func(s string) string { return s + " (stichting)" },
		func(s string) string { return s + " Stichting." },
		func(s string) string { return "Vereniging " + s },
		func(s string) string { return s + " B.V." },
		func(s string) string { return s + " BV" },
		func(s string) string { return "Coöperatie " + s + " U.A." },
		func(s string) string { return s + " v.o.f." },
	}
	casings = []func(string) string{
		func(s string) string { return s },
		strings.ToUpper,
		strings.ToLower,
	}
	roles = []string{"bestuur", "toezicht", "advies", "lid", "lid", "vrijwilliger", "vrijwilliger", "overig"}
)

type poolOrg struct{ name, kvk string }

func orgPool() []poolOrg {
	pool := make([]poolOrg, 0, len(poolKinds)*len(poolPlaces))
	for _, k := range poolKinds {
		for _, p := range poolPlaces {
			n := len(pool)
			pool = append(pool, poolOrg{name: k + " " + p, kvk: fmt.Sprintf("%08d", 10000000+n*7919)})
		}
	}
	return pool
}

func mention(r *rand.Rand, o poolOrg) (name, kvk string) {
	name = casings[r.IntN(len(casings))](legalVariants[r.IntN(len(legalVariants))](o.name))
	if r.IntN(5) == 0 {
		kvk = o.kvk
		if r.IntN(2) == 0 {
			kvk = kvk[:4] + " " + kvk[4:]
		}
	}
	return name, kvk
}

// genAnswers makes one candidate's answers with 3–10 organisations.
func genAnswers(r *rand.Rand, pool []poolOrg) questionnaires.Answers {
	n := 3 + r.IntN(8)
	var k2, nn1, nn2, f1, nt1 []any
	for range n {
		name, kvk := mention(r, pool[r.IntN(len(pool))])
		tie := r.IntN(10) == 0
		switch x := r.IntN(20); {
		case x < 2 && len(k2) == 0:
			k2 = append(k2, map[string]any{"werkgever": name, "functie": "medewerker", "uren_per_week": 32.0, "sinds": "2020-01-01", "bij_deze_gemeente": false})
		case x < 13:
			nn1 = append(nn1, map[string]any{"organisatie": name, "kvk": kvk, "rol": roles[r.IntN(len(roles))], "betaald": r.IntN(4) == 0,
				"uren_per_maand": 4.0, "sinds": "2019-01-01", "relatie_gemeente": tie})
		case x < 15:
			nn2 = append(nn2, map[string]any{"organisatie": name, "kvk": kvk, "rol": roles[r.IntN(len(roles))], "betaald": false,
				"uren_per_maand": 4.0, "sinds": "2015-01-01", "beeindigd_op": "2022-01-01", "relatie_gemeente": tie})
		case x < 18:
			f1 = append(f1, map[string]any{"bedrijf": name, "kvk": kvk, "percentage": 10.0, "sector": "bouw", "zaken_met_gemeente": tie})
		default:
			nt1 = append(nt1, map[string]any{"relatie": "partner", "werkgever": name, "functie": "medewerker", "relatie_gemeente": tie})
		}
	}
	return questionnaires.Answers{"K2": k2, "N1": nn1, "N2": nn2, "F1": f1, "NT1": nt1}
}

// genRound makes a round of n candidates of one party (answers only).
func genRound(seed uint64, n int) []questionnaires.Answers {
	r := rand.New(rand.NewPCG(seed, 2))
	pool := orgPool()
	out := make([]questionnaires.Answers, n)
	for i := range out {
		out[i] = genAnswers(r, pool)
	}
	return out
}

func roundMembers(answers []questionnaires.Answers) []Member {
	ms := make([]Member, len(answers))
	for i, a := range answers {
		ms[i] = Member{CandidateID: fmt.Sprintf("c%03d", i), PartyID: "p1", RoundID: "r1", Name: fmt.Sprintf("Kandidaat %d", i), Orgs: Extract(a)}
	}
	return ms
}

// TestGeneratedVariantsNormalise checks that every written form the
// generator uses normalises to the pool name.
func TestGeneratedVariantsNormalise(t *testing.T) {
	pool := orgPool()
	if len(pool) != 800 {
		t.Fatalf("pool = %d", len(pool))
	}
	for _, o := range pool {
		want := NormalizeName(o.name)
		for _, v := range legalVariants {
			for _, c := range casings {
				if got := NormalizeName(c(v(o.name))); got != want {
					t.Fatalf("%q → %q, want %q", c(v(o.name)), got, want)
				}
			}
		}
	}
}

func TestGeneratedRoundHasOverlaps(t *testing.T) {
	ms := roundMembers(genRound(1, 500))
	ix := NewIndex()
	for _, m := range ms {
		ix.Put(m)
	}
	with, oranje := 0, 0
	for _, m := range ms {
		ov := ix.Overlaps(m.CandidateID, nil)
		if len(ov) > 0 {
			with++
		}
		for _, o := range ov {
			if o.Severity == questionnaires.LevelOranje {
				oranje++
			}
		}
	}
	if with < 250 || oranje == 0 {
		t.Errorf("candidates with overlaps = %d, oranje overlaps = %d", with, oranje)
	}
}

// BenchmarkOverlapsOne: one profile compiles in a round of 500: extract
// the new candidate's organisations, Put, Overlaps, flags.
func BenchmarkOverlapsOne(b *testing.B) {
	answers := genRound(1, 501)
	ix := NewIndex()
	for _, m := range roundMembers(answers[:500]) {
		ix.Put(m)
	}
	newA := answers[500]
	var flags int
	b.ReportAllocs()
	for b.Loop() {
		ix.Put(Member{CandidateID: "new", PartyID: "p1", RoundID: "r1", Name: "Nieuwe Kandidaat", Orgs: Extract(newA)})
		flags = len(OverlapFlags(ix.Overlaps("new", nil)))
	}
	b.ReportMetric(float64(flags), "flags")
}

// BenchmarkRoundRecompute: the whole round of 500 from the answers: a new
// index, Extract and Put for all, Overlaps and flags for all.
func BenchmarkRoundRecompute(b *testing.B) {
	answers := genRound(1, 500)
	ids := make([]string, len(answers))
	names := make([]string, len(answers))
	for i := range answers {
		ids[i] = fmt.Sprintf("c%03d", i)
		names[i] = fmt.Sprintf("Kandidaat %d", i)
	}
	var flags int
	b.ReportAllocs()
	for b.Loop() {
		ix := NewIndex()
		for i, a := range answers {
			ix.Put(Member{CandidateID: ids[i], PartyID: "p1", RoundID: "r1", Name: names[i], Orgs: Extract(a)})
		}
		flags = 0
		for _, id := range ids {
			flags += len(OverlapFlags(ix.Overlaps(id, nil)))
		}
	}
	b.ReportMetric(float64(flags), "flags")
}

// BenchmarkRoundGraph: the map of a round of 500.
func BenchmarkRoundGraph(b *testing.B) {
	ms := roundMembers(genRound(1, 500))
	b.ReportAllocs()
	for b.Loop() {
		_ = RoundGraph(ms)
	}
}
