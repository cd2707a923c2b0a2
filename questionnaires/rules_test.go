package questionnaires

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// scenario is one evaluation input: the clean answers with an overlay.
type scenario struct {
	name     string
	office   string // default "raadslid"
	set      Answers
	vog      *VOG
	deadline bool // round deadline has passed
	maxAge   int
}

func (s scenario) run(t *testing.T, d *Definition) Profile {
	t.Helper()
	ctx := Context{Office: s.office, Now: testNow, MaxVOGAgeDays: s.maxAge}
	if ctx.Office == "" {
		ctx.Office = "raadslid"
	}
	if s.deadline {
		ctx.Deadline = testNow.Add(-24 * time.Hour)
	} else {
		ctx.Deadline = testNow.Add(30 * 24 * time.Hour)
	}
	a := with(s.set)
	mustBeValid(t, d, a)
	p, err := Evaluate(d, a, s.vog, ctx)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return p
}

type ruleCase struct {
	rule     string
	severity Level
	fire     []scenario // the rule must fire with this severity
	miss     []scenario // near misses: the rule must not fire
}

var (
	wethouder = "wethouder"
	k1Weth    = multi("raadslid", "wethouder")
)

func daysAgo(n int) *time.Time {
	t := testNow.AddDate(0, 0, -n)
	return &t
}

func nevenfunctie(rol string, relatie bool) map[string]any {
	return item("organisatie", "Stichting Dorpshuis", "rol", rol, "betaald", false,
		"uren_per_maand", 8.0, "sinds", "2018-01-01", "relatie_gemeente", relatie)
}

func beeindigd(relatie bool) map[string]any {
	m := nevenfunctie("bestuur", relatie)
	m["beeindigd_op"] = "2024-06-30"
	return m
}

func aandeel(zaken bool) map[string]any {
	return item("bedrijf", "Bouwbedrijf Jansen BV", "percentage", 50.0, "sector", "bouw", "zaken_met_gemeente", zaken)
}

func pand(inGemeente bool, huurder string) map[string]any {
	return item("plaats", "Zwolle", "soort", "bedrijfspand", "in_gemeente", inGemeente, "huurder_soort", huurder)
}

func procedure(soort, status string) map[string]any {
	return item("soort", soort, "jaar", 2025.0, "status", status)
}

var ruleCases = []ruleCase{
	// Kandidatuur
	{"hoofdbetrekking-gemeente", LevelBlok,
		[]scenario{{set: Answers{"K2": list(item("werkgever", "Gemeente Zwolle", "functie", "beleidsmedewerker", "uren_per_week", 36.0, "sinds", "2020-01-01", "bij_deze_gemeente", true))}}},
		[]scenario{{name: "werkt niet bij gemeente"}}},
	{"woonplaatsvereiste", LevelOranje,
		[]scenario{{set: Answers{"K3": false}}},
		[]scenario{{name: "woont er"}, {name: "onbeantwoord", set: Answers{"K3": nil}}}},

	// Nevenfuncties
	{"nevenfunctie-relatie-gemeente", LevelOranje,
		[]scenario{{set: Answers{"N1": list(nevenfunctie("lid", true)), "N5": "geen"}}},
		[]scenario{{set: Answers{"N1": list(nevenfunctie("lid", false)), "N5": "geen"}}}},
	{"nevenfunctie-bestuur-relatie-gemeente-w", LevelRood,
		[]scenario{
			{name: "ronde wethouder", office: wethouder, set: Answers{"N1": list(nevenfunctie("bestuur", true)), "N5": "geen"}},
			{name: "K1 wethouder", set: Answers{"K1": k1Weth, "N1": list(nevenfunctie("lid", false), nevenfunctie("toezicht", true)), "N5": "geen"}},
		},
		[]scenario{
			{name: "raadslid", set: Answers{"N1": list(nevenfunctie("bestuur", true)), "N5": "geen"}},
			{name: "wethouder als lid", office: wethouder, set: Answers{"N1": list(nevenfunctie("lid", true)), "N5": "geen"}},
			{name: "wethouder zonder relatie", office: wethouder, set: Answers{"N1": list(nevenfunctie("bestuur", false)), "N5": "geen"}},
		}},
	{"beeindigde-nevenfunctie-relatie-gemeente", LevelOranje,
		[]scenario{{set: Answers{"N2": list(beeindigd(true))}}},
		[]scenario{{set: Answers{"N2": list(beeindigd(false))}}}},
	{"nevenfunctie-onverenigbaar", LevelBlok,
		[]scenario{{set: Answers{"N3": multi("burgemeester")}}, {set: Answers{"N3": multi("ambtenaar_gemeente", "wethouder_elders")}}},
		[]scenario{{name: "geen"}, {name: "onbeantwoord", set: Answers{"N3": nil}}}},
	{"verboden-handelingen", LevelRood,
		[]scenario{{set: Answers{"N4": true, "N4_toelichting": "Mijn bedrijf levert drukwerk aan de gemeente."}}},
		[]scenario{{set: Answers{"N4": false}}}},
	{"nevenfuncties-neerleggen", LevelInfo,
		[]scenario{{set: Answers{"N1": list(nevenfunctie("lid", false)), "N5": "Ik stop als voorzitter van de voetbalclub."}}},
		[]scenario{
			{name: "verborgen: geen nevenfuncties", set: Answers{"N5": "Ik stop als voorzitter van de voetbalclub."}},
			{name: "onbeantwoord", set: Answers{"N1": list(nevenfunctie("lid", false))}},
		}},

	// Financieel
	{"aandelen-zaken-gemeente", LevelOranje,
		[]scenario{{set: Answers{"F1": list(aandeel(true))}}},
		[]scenario{
			{name: "wethouder krijgt de strengere regel", office: wethouder, set: Answers{"F1": list(aandeel(true))}},
			{name: "geen zaken", set: Answers{"F1": list(aandeel(false))}},
		}},
	{"aandelen-zaken-gemeente-w", LevelRood,
		[]scenario{
			{office: wethouder, set: Answers{"F1": list(aandeel(true))}},
			{name: "K1", set: Answers{"K1": k1Weth, "F1": list(aandeel(true))}},
		},
		[]scenario{
			{name: "raadslid", set: Answers{"F1": list(aandeel(true))}},
			{name: "geen zaken", office: wethouder, set: Answers{"F1": list(aandeel(false))}},
		}},
	{"vastgoed-in-gemeente", LevelOranje,
		[]scenario{{set: Answers{"F2": list(pand(true, "particulier"))}}},
		[]scenario{{set: Answers{"F2": list(pand(false, "particulier"))}}}},
	{"vastgoed-huurder-risico", LevelRood,
		[]scenario{{set: Answers{"F2": list(pand(false, "horeca"))}}, {set: Answers{"F2": list(pand(false, "particulier"), pand(true, "onbekend"))}}},
		[]scenario{{set: Answers{"F2": list(pand(true, "particulier"), pand(false, "bedrijf"))}}}},
	{"schulden", LevelRood,
		[]scenario{{set: Answers{"F3": "ja"}}},
		[]scenario{{set: Answers{"F3": "liever_in_gesprek"}}, {set: Answers{"F3": "nee"}}}},
	{"schulden-gesprek", LevelOranje,
		[]scenario{{set: Answers{"F3": "liever_in_gesprek"}}},
		[]scenario{{set: Answers{"F3": "ja"}}, {set: Answers{"F3": "nee"}}}},
	{"faillissement", LevelOranje,
		[]scenario{{set: Answers{"F4": true}}},
		[]scenario{{set: Answers{"F4": false, "F4_toelichting": "verborgen"}}}},
	{"lening-prive", LevelRood,
		[]scenario{{set: Answers{"F5": true, "F5_toelichting": "Lening van een oom voor mijn huis."}}},
		[]scenario{{set: Answers{"F5": false}}}},
	{"fiscaal-geschil", LevelOranje,
		[]scenario{{set: Answers{"F6": true}}},
		[]scenario{{set: Answers{"F6": false}}}},

	// Netwerk
	{"gezinsleden-relatie-gemeente", LevelOranje,
		[]scenario{{set: Answers{"NT1": list(item("relatie", "partner", "werkgever", "Gemeente Zwolle", "functie", "jurist", "relatie_gemeente", true))}}},
		[]scenario{{name: "geen relatie"}}},
	{"familie-bedrijf-gemeente", LevelOranje,
		[]scenario{{set: Answers{"NT2": true, "NT2_bedrijven": list(item("relatie", "broer", "bedrijf", "Jansen Bouw", "soort", "opdracht"))}}, {name: "zonder lijst", set: Answers{"NT2": true}}},
		[]scenario{{set: Answers{"NT2": false, "NT2_bedrijven": list(item("relatie", "broer", "bedrijf", "Jansen Bouw", "soort", "opdracht"))}}}},
	{"verenigingen-netwerken", LevelInfo,
		[]scenario{{set: Answers{"NT3": multi("sport", "overig"), "NT3_overig": "Harmonie"}}},
		[]scenario{{set: Answers{"NT3": multi("geen")}}, {set: Answers{"NT3": nil}}}},
	{"criminele-contacten-actueel", LevelRood,
		[]scenario{{set: Answers{"NT4": "ja_actueel"}}},
		[]scenario{{set: Answers{"NT4": "ja_verleden"}}, {set: Answers{"NT4": "liever_in_gesprek"}}}},
	{"criminele-contacten-verleden", LevelOranje,
		[]scenario{{set: Answers{"NT4": "ja_verleden"}}, {set: Answers{"NT4": "liever_in_gesprek"}}},
		[]scenario{{set: Answers{"NT4": "ja_actueel"}}, {set: Answers{"NT4": "nee"}}}},
	{"contact-bibob", LevelRood,
		[]scenario{{set: Answers{"NT5": "ja"}}},
		[]scenario{{set: Answers{"NT5": "weet_niet"}}}},
	{"contact-bibob-onbekend", LevelOranje,
		[]scenario{{set: Answers{"NT5": "weet_niet"}}},
		[]scenario{{set: Answers{"NT5": "ja"}}, {set: Answers{"NT5": "nee"}}}},
	{"externe-steun-financieel", LevelRood,
		[]scenario{{set: Answers{"NT6": "financieel_gesteund", "NT6_toelichting": "Een ondernemer betaalde mijn folders."}}},
		[]scenario{{set: Answers{"NT6": "aangemoedigd"}}}},
	{"externe-steun-aangemoedigd", LevelOranje,
		[]scenario{{set: Answers{"NT6": "aangemoedigd"}}},
		[]scenario{{set: Answers{"NT6": "financieel_gesteund"}}, {set: Answers{"NT6": "nee"}}}},
	{"pleitbezorger", LevelInfo,
		[]scenario{{set: Answers{"NT7": "De boeren in het buitengebied."}}},
		[]scenario{{name: "leeg"}}},

	// Relatie met de gemeente
	{"procedure-gemeente-lopend", LevelOranje,
		[]scenario{{set: Answers{"G1": list(procedure("subsidie", "afgerond"), procedure("vergunning", "lopend"))}}},
		[]scenario{{set: Answers{"G1": list(procedure("vergunning", "afgerond"))}}}},
	{"handhaving-gemeente-w", LevelRood,
		[]scenario{
			{office: wethouder, set: Answers{"G1": list(procedure("handhaving", "afgerond"))}},
			{name: "K1", set: Answers{"K1": k1Weth, "G1": list(procedure("handhaving", "afgerond"))}},
		},
		[]scenario{
			{name: "raadslid", set: Answers{"G1": list(procedure("handhaving", "afgerond"))}},
			{name: "geen handhaving", office: wethouder, set: Answers{"G1": list(procedure("vergunning", "afgerond"))}},
		}},
	{"geschil-gemeente", LevelOranje,
		[]scenario{{set: Answers{"G2": true}}},
		[]scenario{{set: Answers{"G2": false}}}},
	{"grondposities", LevelOranje,
		[]scenario{{set: Answers{"G3": true}}},
		[]scenario{{name: "wethouder krijgt de strengere regel", office: wethouder, set: Answers{"G3": true}}, {set: Answers{"G3": false}}}},
	{"grondposities-w", LevelRood,
		[]scenario{{office: wethouder, set: Answers{"G3": true}}, {name: "K1", set: Answers{"K1": k1Weth, "G3": true}}},
		[]scenario{{name: "raadslid", set: Answers{"G3": true}}, {office: wethouder, set: Answers{"G3": false}}}},
	{"risicosector", LevelOranje,
		[]scenario{{set: Answers{"G4": multi("horeca")}}, {set: Answers{"G4": multi("autohandel", "bouw_sloop")}}},
		[]scenario{{set: Answers{"G4": multi("geen")}}}},
	{"risicosector-combinatie", LevelRood,
		[]scenario{
			{name: "NT4 verleden", set: Answers{"G4": multi("horeca"), "NT4": "ja_verleden"}},
			{name: "NT4 actueel", set: Answers{"G4": multi("transport"), "NT4": "ja_actueel"}},
			{name: "NT5", set: Answers{"G4": multi("vastgoedverhuur"), "NT5": "ja"}},
			{name: "F5", set: Answers{"G4": multi("recreatieparken"), "F5": true}},
		},
		[]scenario{
			{name: "alleen sector", set: Answers{"G4": multi("horeca")}},
			{name: "geen sector", set: Answers{"G4": multi("geen"), "NT4": "ja_actueel", "NT5": "ja", "F5": true}},
			{name: "NT4 liever in gesprek", set: Answers{"G4": multi("horeca"), "NT4": "liever_in_gesprek", "NT5": "weet_niet"}},
		}},

	// Verleden en VOG
	{"vog-belemmering", LevelRood,
		[]scenario{{set: Answers{"V1": "ja"}}},
		[]scenario{{set: Answers{"V1": "weet_niet"}}}},
	{"vog-belemmering-onbekend", LevelOranje,
		[]scenario{{set: Answers{"V1": "weet_niet"}}},
		[]scenario{{set: Answers{"V1": "ja"}}, {set: Answers{"V1": "nee"}}}},
	{"strafrechtelijk-onderzoek", LevelRood,
		[]scenario{{set: Answers{"V2": "ja"}}},
		[]scenario{{set: Answers{"V2": "liever_in_gesprek"}}}},
	{"strafrechtelijk-gesprek", LevelOranje,
		[]scenario{{set: Answers{"V2": "liever_in_gesprek"}}},
		[]scenario{{set: Answers{"V2": "ja"}}, {set: Answers{"V2": "nee"}}}},
	{"integriteitsonderzoek", LevelOranje,
		[]scenario{{set: Answers{"V3": true}}},
		[]scenario{{set: Answers{"V3": false}}}},
	{"eerdere-partij", LevelInfo,
		[]scenario{{set: Answers{"V4": true, "V4_toelichting": "Tot 2020 lid van een andere partij."}}},
		[]scenario{{set: Answers{"V4": false}}}},
	{"chantagegevoelig", LevelOranje,
		[]scenario{{set: Answers{"V5": "liever_in_gesprek"}}},
		[]scenario{{set: Answers{"V5": "nee"}}}},
	{"cv-niet-bevestigd", LevelOranje,
		[]scenario{{set: Answers{"V6": false}}},
		[]scenario{{set: Answers{"V6": true}}, {set: Answers{"V6": nil}}}},
	{"vog-geen-toestemming", LevelOranje,
		[]scenario{{set: Answers{"V7": false}}},
		[]scenario{{name: "wethouder krijgt de strengere regel", office: wethouder, set: Answers{"V7": false}}, {set: Answers{"V7": true}}}},
	{"vog-geen-toestemming-w", LevelBlok,
		[]scenario{{office: wethouder, set: Answers{"V7": false}}, {name: "K1", set: Answers{"K1": k1Weth, "V7": false}}},
		[]scenario{{name: "raadslid", set: Answers{"V7": false}}, {office: wethouder, set: Answers{"V7": true}}}},

	// Digitaal
	{"openbare-accounts", LevelInfo,
		[]scenario{{set: Answers{"D1": list(item("platform", "X", "naam", "@jansen"))}}},
		[]scenario{{set: Answers{"D1": list()}}}},
	{"uitingen", LevelOranje,
		[]scenario{{set: Answers{"D2": "ja"}}},
		[]scenario{{set: Answers{"D2": "weet_niet"}}}},
	{"uitingen-onbekend", LevelInfo,
		[]scenario{{set: Answers{"D2": "weet_niet"}}},
		[]scenario{{set: Answers{"D2": "ja"}}, {set: Answers{"D2": "nee"}}}},
	{"digitaal-slachtoffer", LevelOranje,
		[]scenario{{set: Answers{"D3": true}}},
		[]scenario{{set: Answers{"D3": false}}}},
	{"geen-tweestapsverificatie", LevelInfo,
		[]scenario{{set: Answers{"D4": false}}},
		[]scenario{{set: Answers{"D4": true}}}},
	{"buitenlandse-banden", LevelOranje,
		[]scenario{{set: Answers{"D5": true}}},
		[]scenario{{set: Answers{"D5": false}}}},

	// Weerbaarheid
	{"bedreigd", LevelOranje,
		[]scenario{{set: Answers{"W1": true, "W1_soort": multi("online", "via_naasten")}}},
		[]scenario{{set: Answers{"W1": false, "W1_soort": multi("online")}}}},
	{"gunst-aangeboden", LevelRood,
		[]scenario{{set: Answers{"W2": true}}},
		[]scenario{{set: Answers{"W2": false}}}},
	{"adresafscherming", LevelInfo,
		[]scenario{{set: Answers{"W3": "grote"}}},
		[]scenario{{set: Answers{"W3": "enige"}}}},
	{"moeilijk-nee-zeggen", LevelInfo,
		[]scenario{{set: Answers{"W4": 4.0}}, {set: Answers{"W4": 5.0}}},
		[]scenario{{set: Answers{"W4": 3.0}}, {set: Answers{"W4": nil}}}},
	{"gedragscode-niet-onderschreven", LevelRood,
		[]scenario{{set: Answers{"W5": false}}},
		[]scenario{{set: Answers{"W5": true}}}},

	// VOG record of the committee
	{"vog-weigering", LevelRood,
		[]scenario{
			{vog: &VOG{Status: VOGVoornemenTotWeigering}},
			{vog: &VOG{Status: VOGGeweigerd}, deadline: true},
		},
		[]scenario{{vog: &VOG{Status: VOGAangevraagd}}, {name: "geen VOG"}}},
	{"vog-ontbreekt-na-deadline", LevelOranje,
		[]scenario{
			{name: "geen VOG", deadline: true},
			{name: "aangevraagd", deadline: true, vog: &VOG{Status: VOGAangevraagd}},
		},
		[]scenario{
			{name: "voor de deadline", vog: &VOG{Status: VOGAangevraagd}},
			{name: "afgegeven", deadline: true, vog: &VOG{Status: VOGAfgegeven, IssuedOn: daysAgo(10)}},
			{name: "geweigerd (rood)", deadline: true, vog: &VOG{Status: VOGGeweigerd}},
		}},
	{"vog-verlopen", LevelOranje,
		[]scenario{
			{name: "200 dagen", vog: &VOG{Status: VOGAfgegeven, IssuedOn: daysAgo(200)}},
			{name: "ouder dan eigen maximum", maxAge: 90, vog: &VOG{Status: VOGAfgegeven, IssuedOn: daysAgo(100)}},
		},
		[]scenario{
			{name: "100 dagen", vog: &VOG{Status: VOGAfgegeven, IssuedOn: daysAgo(100)}},
			{name: "183 dagen", vog: &VOG{Status: VOGAfgegeven, IssuedOn: daysAgo(183)}},
			{name: "eigen maximum", maxAge: 365, vog: &VOG{Status: VOGAfgegeven, IssuedOn: daysAgo(200)}},
		}},
}

func TestRules(t *testing.T) {
	d := scan(t)
	for _, rc := range ruleCases {
		t.Run(rc.rule, func(t *testing.T) {
			r, ok := d.Rule(rc.rule)
			if !ok {
				t.Fatalf("rule %s not in the YAML", rc.rule)
			}
			if r.Severity != rc.severity {
				t.Errorf("YAML severity = %s, want %s", r.Severity, rc.severity)
			}
			if len(rc.fire) == 0 || len(rc.miss) == 0 {
				t.Fatal("need at least one firing and one near-miss scenario")
			}
			for i, s := range rc.fire {
				t.Run(fmt.Sprintf("fires/%d %s", i, s.name), func(t *testing.T) {
					p := s.run(t, d)
					fi := flagIndex(p, rc.rule)
					if fi < 0 {
						t.Fatalf("rule did not fire; flags: %v", ruleIDs(p))
					}
					f := p.Flags[fi]
					if f.Severity != rc.severity {
						t.Errorf("severity = %s, want %s", f.Severity, rc.severity)
					}
					dr := p.Domains[r.Domain]
					if dr.Level.Rank() < rc.severity.Rank() {
						t.Errorf("domain %s level = %s, want at least %s", r.Domain, dr.Level, rc.severity)
					}
					if p.Overall.Rank() < rc.severity.Rank() {
						t.Errorf("overall = %s, want at least %s", p.Overall, rc.severity)
					}
					if f.Finding == "" || f.Ask == "" || f.Questions == nil {
						t.Errorf("incomplete flag: %+v", f)
					}
				})
			}
			for i, s := range rc.miss {
				t.Run(fmt.Sprintf("misses/%d %s", i, s.name), func(t *testing.T) {
					p := s.run(t, d)
					if fi := flagIndex(p, rc.rule); fi >= 0 {
						t.Fatalf("rule fired on a near miss: %+v", p.Flags[fi])
					}
				})
			}
		})
	}
}

// TestRuleTableCoversYAML fails when a rule is added without a test case.
func TestRuleTableCoversYAML(t *testing.T) {
	d := scan(t)
	var inYAML, inTable []string
	for _, r := range d.Rules {
		inYAML = append(inYAML, r.ID)
	}
	for _, rc := range ruleCases {
		inTable = append(inTable, rc.rule)
	}
	sort.Strings(inYAML)
	sort.Strings(inTable)
	if diff := cmp.Diff(inYAML, inTable); diff != "" {
		t.Errorf("rule ids in YAML (-) vs test table (+):\n%s", diff)
	}
}

func ruleIDs(p Profile) []string {
	out := []string{}
	for _, f := range p.Flags {
		out = append(out, f.Rule)
	}
	return out
}

func TestCleanAnswersRaiseNoFlags(t *testing.T) {
	d := scan(t)
	for _, office := range []string{"raadslid", "wethouder", "commissielid"} {
		t.Run(office, func(t *testing.T) {
			p, err := Evaluate(d, cleanAnswers(), &VOG{Status: VOGAfgegeven, IssuedOn: daysAgo(20)},
				Context{Office: office, Now: testNow, Deadline: testNow.Add(-time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Flags) != 0 || p.Overall != LevelGeen {
				t.Errorf("overall %s, flags %v", p.Overall, ruleIDs(p))
			}
		})
	}
	if m := d.Missing(cleanAnswers()); len(m) != 0 {
		t.Errorf("clean answers are not complete; missing %v", m)
	}
}
