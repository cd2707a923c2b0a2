// Package sample holds realistic answer sets in their JSON form, for the
// demo and for end-to-end tests.
package sample

// Flagged is a raadslid's complete answer set that raises a mix of flags.
// The flags the catalogue's rules give for it are FlaggedRules.
func Flagged() map[string]any {
	return map[string]any{
		"K1": []any{"raadslid"},
		"K2": []any{map[string]any{"werkgever": "Zorggroep Noord", "functie": "wijkverpleegkundige", "uren_per_week": 28, "sinds": "2016-02-01", "bij_deze_gemeente": false}},
		"K3": true,
		"N1": []any{map[string]any{"organisatie": "Stichting Sportpark De Linden", "kvk": "41234567", "rol": "bestuur", "betaald": false,
			"uren_per_maand": 6, "sinds": "2018-03-01", "relatie_gemeente": true}},
		"N2":       []any{},
		"N3":       []any{"geen"},
		"N4":       false,
		"N5":       "Ik stop als voorzitter van de sportstichting als ik word gekozen.",
		"F1":       []any{},
		"F2":       []any{},
		"F3":       "liever_in_gesprek",
		"F4":       false,
		"F5":       false,
		"F6":       false,
		"NT1":      []any{map[string]any{"relatie": "partner", "werkgever": "Basisschool De Regenboog", "functie": "leerkracht", "relatie_gemeente": false}},
		"NT2":      false,
		"NT3":      []any{"sport"},
		"NT4":      "ja_verleden",
		"NT5":      "nee",
		"NT6":      "nee",
		"G1":       []any{},
		"G2":       false,
		"G3":       false,
		"G4":       []any{"geen"},
		"V1":       "nee",
		"V2":       "nee",
		"V3":       false,
		"V4":       false,
		"V5":       "nee",
		"V6":       true,
		"V7":       true,
		"D1":       []any{},
		"D2":       "nee",
		"D3":       false,
		"D4":       false,
		"D5":       false,
		"W1":       true,
		"W1_soort": []any{"online"},
		"W2":       false,
		"W3":       "geen",
		"W4":       4,
		"W5":       true,
	}
}

// FlaggedRules are the rule ids (and severities) the catalogue gives for
// Flagged() in a raadslid round before the deadline without a VOG record,
// in catalogue order.
var FlaggedRules = [][2]string{
	{"nevenfunctie-relatie-gemeente", "oranje"},
	{"nevenfuncties-neerleggen", "info"},
	{"schulden-gesprek", "oranje"},
	{"verenigingen-netwerken", "info"},
	{"criminele-contacten-verleden", "oranje"},
	{"geen-tweestapsverificatie", "info"},
	{"bedreigd", "oranje"},
	{"moeilijk-nee-zeggen", "info"},
}

// Clean is a complete answer set that raises only the N5 info flag.
func Clean() map[string]any {
	a := Flagged()
	a["N1"] = []any{}
	a["F3"] = "nee"
	a["NT3"] = []any{"geen"}
	a["NT4"] = "nee"
	a["D4"] = true
	a["W1"] = false
	delete(a, "W1_soort")
	a["W4"] = 2
	return a
}
