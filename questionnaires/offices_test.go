package questionnaires

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Tests of questionnaire version 2: the offices of the province and the
// waterschap and the financial-interest norm (docs/domain/ambten.md).

func scanV2(t testing.TB) *Definition {
	t.Helper()
	r, err := LoadEmbedded()
	if err != nil {
		t.Fatalf("LoadEmbedded: %v", err)
	}
	d, err := r.Get("weerbaarheidsscan", 2)
	if err != nil {
		t.Fatalf("Get(2): %v", err)
	}
	return d
}

// officeAnswers is a complete answer set for office on version 2 that
// raises no flag: the clean answers, with the questions of the office's
// tier in place of the municipal ones.
func officeAnswers(office string) Answers {
	a := cleanAnswers()
	a["K1"] = multi(office)
	switch OfficeLevel(office) {
	case LevelProvincie:
		delete(a, "K3")
		delete(a, "N3")
		delete(a, "N4")
		a["K2P"], a["K3P"], a["N3P"], a["N4P"] = "nee", true, multi("geen"), false
	case LevelWaterschap:
		delete(a, "K3")
		delete(a, "N3")
		delete(a, "N4")
		a["K2W"], a["N3W"], a["N4W"] = false, multi("geen"), false
	}
	if IsExecutive(office) {
		a["F7"] = false
	}
	return a
}

func evalOffice(t *testing.T, d *Definition, office string, a Answers) Profile {
	t.Helper()
	mustBeValid(t, d, a)
	p, err := Evaluate(d, a, &VOG{Status: VOGAfgegeven, IssuedOn: daysAgo(20)},
		Context{Office: office, Now: testNow, Deadline: testNow.Add(30 * 24 * time.Hour)})
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return p
}

func TestV2CleanAnswersPerOffice(t *testing.T) {
	d := scanV2(t)
	for _, office := range OfficeIDs() {
		t.Run(office, func(t *testing.T) {
			a := officeAnswers(office)
			if m := d.ForOffice(office).Missing(a); len(m) != 0 {
				t.Errorf("clean answers are not complete for %s; missing %v", office, m)
			}
			if p := evalOffice(t, d, office, a); len(p.Flags) != 0 {
				t.Errorf("clean answers raise flags: %v", ruleIDs(p))
			}
		})
	}
}

// officeRuleCase: with trigger on top of officeAnswers, the rule fires with
// severity and law for exactly the offices in fires.
type officeRuleCase struct {
	rule     string
	severity Level
	law      string
	trigger  Answers
	fires    []string
}

var (
	waterboard = []string{OfficeWaterschapAB, OfficeWaterschapDB}
	executives = []string{OfficeWethouder, OfficeGedeputeerde, OfficeWaterschapDB}
)

var officeRuleCases = []officeRuleCase{
	// Provincie: onverenigbare betrekkingen
	{"ambtenaar-provincie-statenlid", LevelBlok, "Provinciewet art. 13", Answers{"K2P": "provincie"}, []string{OfficeStatenlid}},
	{"ambtenaar-provincie-gedeputeerde", LevelBlok, "Provinciewet art. 35c", Answers{"K2P": "provincie"}, []string{OfficeGedeputeerde}},
	{"onverenigbaar-statenlid", LevelBlok, "Provinciewet art. 13", Answers{"N3P": multi("commissaris_koning")}, []string{OfficeStatenlid}},
	{"onverenigbaar-gedeputeerde", LevelBlok, "Provinciewet art. 35c", Answers{"N3P": multi("commissaris_koning")}, []string{OfficeGedeputeerde}},
	// Provincie: verboden handelingen
	{"verboden-handelingen-statenlid", LevelRood, "Provinciewet art. 15", Answers{"N4P": true, "N4P_toelichting": "Mijn bedrijf maait bermen voor de provincie."}, []string{OfficeStatenlid}},
	{"verboden-handelingen-gedeputeerde", LevelBlok, "Provinciewet art. 40c", Answers{"N4P": true, "N4P_toelichting": "Mijn bedrijf maait bermen voor de provincie."}, []string{OfficeGedeputeerde}},
	// Provincie: nevenfuncties en woonplaats
	{"nevenfuncties-openbaar-statenlid", LevelInfo, "Provinciewet art. 12", Answers{"N1": list(nevenfunctie("lid", false)), "N5": "geen"}, []string{OfficeStatenlid}},
	{"nevenfuncties-gedeputeerde", LevelOranje, "Provinciewet art. 40b", Answers{"N1": list(nevenfunctie("lid", false)), "N5": "geen"}, []string{OfficeGedeputeerde}},
	{"nevenfunctie-bestuur-relatie-provincie-gedeputeerde", LevelRood, "Provinciewet art. 40b", Answers{"N1": list(nevenfunctie("bestuur", true)), "N5": "geen"}, []string{OfficeGedeputeerde}},
	{"woonplaats-statenlid", LevelOranje, "Provinciewet art. 10", Answers{"K3P": false}, []string{OfficeStatenlid}},
	{"woonplaats-gedeputeerde", LevelOranje, "Provinciewet art. 35a", Answers{"K3P": false}, []string{OfficeGedeputeerde}},
	// Waterschap
	{"ambtenaar-waterschap", LevelBlok, "Waterschapswet art. 31", Answers{"K2W": true}, waterboard},
	{"onverenigbaar-waterschap", LevelBlok, "Waterschapswet art. 31", Answers{"N3W": multi("dijkgraaf")}, waterboard},
	{"verboden-handelingen-waterschap-ab", LevelRood, "Waterschapswet art. 33", Answers{"N4W": true, "N4W_toelichting": "Ik verpacht grond aan het waterschap."}, []string{OfficeWaterschapAB}},
	{"verboden-handelingen-waterschap-db", LevelBlok, "Waterschapswet art. 33", Answers{"N4W": true, "N4W_toelichting": "Ik verpacht grond aan het waterschap."}, []string{OfficeWaterschapDB}},
	{"nevenfuncties-openbaar-waterschap", LevelInfo, "Waterschapswet (nevenfuncties openbaar; artikelnummer niet geverifieerd)", Answers{"N1": list(nevenfunctie("lid", false)), "N5": "geen"}, []string{OfficeWaterschapAB}},
	{"nevenfunctie-bestuur-relatie-waterschap-db", LevelRood, "Waterschapswet (nevenfuncties dagelijks bestuur; artikelnummer niet geverifieerd)", Answers{"N1": list(nevenfunctie("bestuur", true)), "N5": "geen"}, []string{OfficeWaterschapDB}},
	// The financial-interest norm and the VOG for every executive office
	{"financiele-belangen-bestuurder", LevelRood, "Wetsvoorstel Wet bevorderen integriteit en functioneren decentraal bestuur (tweede tranche), 2026; nog geen wet",
		Answers{"F7": true, "F7_toelichting": "Aandelen in een aannemer die voor de overheid werkt."}, executives},
	{"vog-geen-toestemming-bestuurder", LevelBlok, "Wet bevorderen integriteit en functioneren decentraal bestuur (VOG-plicht bestuurders; artikelnummers niet geverifieerd)",
		Answers{"V7": false}, []string{OfficeGedeputeerde, OfficeWaterschapDB}},
	// Municipal rules of version 1, in version 2 with their article
	{"verboden-handelingen", LevelRood, "Gemeentewet art. 15, 41c", Answers{"N4": true, "N4_toelichting": "Mijn bedrijf levert drukwerk aan de gemeente."}, LegacyOffices},
	{"nevenfunctie-onverenigbaar", LevelBlok, "Gemeentewet art. 13, 36b", Answers{"N3": multi("burgemeester")}, LegacyOffices},
	{"woonplaatsvereiste", LevelOranje, "Gemeentewet art. 10, 36a", Answers{"K3": false}, LegacyOffices},
	{"hoofdbetrekking-gemeente", LevelBlok, "Gemeentewet art. 13, 36b",
		Answers{"K2": list(item("werkgever", "Gemeente Zwolle", "functie", "beleidsmedewerker", "uren_per_week", 36.0, "sinds", "2020-01-01", "bij_deze_gemeente", true))}, LegacyOffices},
}

// TestV2OfficeRules: every office rule fires with its level and article for
// the offices it covers, and not for the other offices given the same answers.
func TestV2OfficeRules(t *testing.T) {
	d := scanV2(t)
	for _, rc := range officeRuleCases {
		t.Run(rc.rule, func(t *testing.T) {
			r, ok := d.Rule(rc.rule)
			if !ok {
				t.Fatalf("rule %s not in version 2", rc.rule)
			}
			if r.Severity != rc.severity || r.Law != rc.law {
				t.Errorf("YAML: severity %s law %q, want %s %q", r.Severity, r.Law, rc.severity, rc.law)
			}
			for _, office := range OfficeIDs() {
				a := officeAnswers(office)
				for k, v := range rc.trigger {
					if q, _ := d.Question(k); q != nil && !visibleFor(t, d, q, office) {
						continue // the office is not asked this question
					}
					a[k] = v
				}
				p := evalOffice(t, d, office, a)
				fi := flagIndex(p, rc.rule)
				want := contains(rc.fires, office)
				switch {
				case want && fi < 0:
					t.Errorf("%s: rule did not fire; flags %v", office, ruleIDs(p))
				case !want && fi >= 0:
					t.Errorf("%s: rule fired for an office it does not cover", office)
				case want:
					f := p.Flags[fi]
					if f.Severity != rc.severity || f.Law != rc.law || f.Finding == "" || f.Ask == "" || len(f.Questions) == 0 {
						t.Errorf("%s: flag %+v, want severity %s and law %q", office, f, rc.severity, rc.law)
					}
					if p.Overall.Rank() < rc.severity.Rank() {
						t.Errorf("%s: overall %s below %s", office, p.Overall, rc.severity)
					}
				}
			}
		})
	}
}

// visibleFor reports whether q is shown to a candidate for office with the
// clean answers (show_if on level, executive or earlier answers).
func visibleFor(t *testing.T, d *Definition, q *Question, office string) bool {
	t.Helper()
	return d.ForOffice(office).Visible(officeAnswers(office))[q.ID]
}

// TestV2K1Executive: a provincial round's candidate who ticks gedeputeerde in
// K1 gets the gedeputeerde's rules, not the Statenlid's; version 1 keeps its
// wethouder variable as it was.
func TestV2K1Executive(t *testing.T) {
	d := scanV2(t)
	a := officeAnswers(OfficeStatenlid)
	a["K1"] = multi("statenlid", "gedeputeerde")
	a["F7"] = false
	a["N4P"], a["N4P_toelichting"] = true, "Levering van drukwerk aan de provincie."
	p := evalOffice(t, d, OfficeStatenlid, a)
	if flagIndex(p, "verboden-handelingen-gedeputeerde") < 0 || flagIndex(p, "verboden-handelingen-statenlid") >= 0 {
		t.Errorf("K1 gedeputeerde in a Statenlid round: flags %v", ruleIDs(p))
	}
	if vis := d.ForOffice(OfficeStatenlid).Visible(a); !vis["F7"] {
		t.Error("F7 (financial interests) hidden for a kandidaat-gedeputeerde")
	}
	if vis := d.ForOffice(OfficeStatenlid).Visible(officeAnswers(OfficeStatenlid)); vis["F7"] {
		t.Error("F7 shown to a Statenlid who is no executive")
	}
	// An executive role of another tier does not count: a raadslid who
	// ticks "Gedeputeerde" is no executive in a municipal round.
	ra := officeAnswers(OfficeRaadslid)
	ra["K1"], ra["V7"] = multi("raadslid", "gedeputeerde"), false
	if vis := d.ForOffice(OfficeRaadslid).Visible(ra); vis["F7"] {
		t.Error("F7 shown to a raadslid who ticked gedeputeerde")
	}
	if p := evalOffice(t, d, OfficeRaadslid, ra); flagIndex(p, "vog-geen-toestemming") < 0 || flagIndex(p, "vog-geen-toestemming-bestuurder") >= 0 {
		t.Errorf("raadslid with K1 gedeputeerde refusing the VOG: %v", ruleIDs(p))
	}
}

var newQuestions = regexp.MustCompile(`\b(K2P|K2W|K3P|N3P|N3W|N4P|N4W|F7|level|executive|office)\b`)

// TestV2RulesCiteTheirArticle: every rule of version 2 that applies to an
// office of the province or the waterschap, or to an executive office, names
// its article in `law` (or says which bill, and that it is not yet law).
func TestV2RulesCiteTheirArticle(t *testing.T) {
	d := scanV2(t)
	lawRe := regexp.MustCompile(`^(Gemeentewet art\. \d+|Provinciewet art\. \d+|Waterschapswet|Wetsvoorstel |Wet bevorderen integriteit)`)
	n := 0
	for _, r := range d.Rules {
		if !newQuestions.MatchString(r.When) || r.ID == "vog-geen-toestemming" {
			continue // the VOG for non-executives is the party's own choice: no article
		}
		n++
		if !lawRe.MatchString(r.Law) {
			t.Errorf("rule %s (%s) has law %q", r.ID, r.When, r.Law)
		}
		if strings.Contains(r.Law, "niet geverifieerd") || strings.Contains(r.Law, "nog geen wet") {
			if !strings.Contains(r.Why.NL, "niet kunnen nagaan") && !strings.Contains(r.Why.NL, "nog geen wet") {
				t.Errorf("rule %s: law is unverified but its why does not say so: %q", r.ID, r.Why)
			}
		}
	}
	if n < 19 {
		t.Errorf("only %d office rules found", n)
	}
	// Every version 2 rule is tested: by the version 1 table (municipal,
	// run against version 2 below) or by the office table.
	tested := map[string]bool{}
	for _, rc := range ruleCases {
		tested[rc.rule] = true
	}
	for _, rc := range officeRuleCases {
		tested[rc.rule] = true
	}
	var untested []string
	for _, r := range d.Rules {
		if !tested[r.ID] {
			untested = append(untested, r.ID)
		}
	}
	sort.Strings(untested)
	if len(untested) > 0 {
		t.Errorf("version 2 rules without a test case: %v", untested)
	}
}

// TestV2KeepsV1ForMunicipalOffices runs the whole version 1 rule table
// against version 2: for raadslid, wethouder and commissielid nothing changed.
func TestV2KeepsV1ForMunicipalOffices(t *testing.T) {
	d := scanV2(t)
	for _, rc := range ruleCases {
		t.Run(rc.rule, func(t *testing.T) {
			if r, ok := d.Rule(rc.rule); !ok || r.Severity != rc.severity {
				t.Fatalf("rule %s in version 2: %v %v", rc.rule, r, ok)
			}
			for i, s := range rc.fire {
				if p := s.run(t, d); flagIndex(p, rc.rule) < 0 {
					t.Errorf("fires/%d %s: did not fire on version 2; flags %v", i, s.name, ruleIDs(p))
				}
			}
			for i, s := range rc.miss {
				if p := s.run(t, d); flagIndex(p, rc.rule) >= 0 {
					t.Errorf("misses/%d %s: fired on version 2", i, s.name)
				}
			}
		})
	}
}

// TestV2KeepsV1Texts: the Dutch of every question, option and field that
// version 2 took over from version 1 is unchanged (the English of version 1
// is matched on it), and version 1 still knows only its three offices.
func TestV2KeepsV1Texts(t *testing.T) {
	v1, v2 := scan(t), scanV2(t)
	texts := func(d *Definition) map[string]string {
		m := map[string]string{}
		for _, q := range d.Questions() {
			m[q.ID] = q.Text.NL + "|" + q.Hint.NL + "|" + q.Why.NL
			for _, o := range q.Options {
				m[q.ID+"/"+o.ID] = o.Text.NL
			}
			for _, f := range q.Fields {
				m[q.ID+"."+f.ID] = f.Text.NL + "|" + f.Name.NL
				for _, o := range f.Options {
					m[q.ID+"."+f.ID+"/"+o.ID] = o.Text.NL
				}
			}
		}
		for _, s := range d.Sections {
			m["section "+s.ID] = s.Title.NL + "|" + s.Intro.NL
		}
		return m
	}
	t1, t2 := texts(v1), texts(v2)
	// Changed on purpose (with English in version 2): K1's hint names the tier.
	changed := map[string]bool{"K1": true}
	for k, want := range t1 {
		if changed[k] {
			continue
		}
		if got, ok := t2[k]; !ok || got != want {
			t.Errorf("%s: version 2 has %q, version 1 %q", k, got, want)
		}
	}
	if diff := cmp.Diff(LegacyOffices, v1.SupportedOffices()); diff != "" {
		t.Errorf("version 1 offices: %s", diff)
	}
	if diff := cmp.Diff(OfficeIDs(), v2.SupportedOffices()); diff != "" {
		t.Errorf("version 2 offices: %s", diff)
	}
	for _, o := range []string{OfficeStatenlid, OfficeGedeputeerde, OfficeWaterschapAB, OfficeWaterschapDB} {
		if v1.SupportsOffice(o) {
			t.Errorf("version 1 supports %s", o)
		}
	}
}

// TestV2NewTextsHaveEnglish: every text version 2 adds or changes has
// English (the texts taken over from version 1 get theirs from the
// translation of version 1).
func TestV2NewTextsHaveEnglish(t *testing.T) {
	v1, v2 := scan(t), scanV2(t)
	old := map[string]bool{}
	add := func(m map[string]bool, t Text) { m[t.NL] = true }
	for _, q := range v1.Questions() {
		for _, x := range []Text{q.Text, q.Hint, q.Why} {
			add(old, x)
		}
		for _, o := range q.Options {
			add(old, o.Text)
		}
	}
	check := func(what string, x Text) {
		if x.NL != "" && !old[x.NL] && x.EN == "" {
			t.Errorf("%s: new text without English: %q", what, x.NL)
		}
	}
	check("intro", v2.Intro)
	for _, q := range v2.Questions() {
		check(q.ID+" text", q.Text)
		check(q.ID+" hint", q.Hint)
		check(q.ID+" why", q.Why)
		for _, o := range q.Options {
			check(fmt.Sprintf("%s option %s", q.ID, o.ID), o.Text)
		}
	}
}
