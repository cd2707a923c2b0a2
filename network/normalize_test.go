package network

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalizeIssueCases(t *testing.T) {
	a := Normalize("Stichting Sportpark Noord", "")
	for _, n := range []string{"sportpark noord (stichting)", "SPORTPARK NOORD STICHTING."} {
		if b := Normalize(n, ""); !a.Matches(b) || !b.Matches(a) {
			t.Errorf("%q (%+v) should match %+v", n, b, a)
		}
	}
	if z := Normalize("Sportpark Zuid", ""); a.Matches(z) {
		t.Errorf("Sportpark Zuid should not match: %+v %+v", a, z)
	}
	if a.Name != "sportpark noord" {
		t.Errorf("name key = %q", a.Name)
	}
}

func TestNormalizeName(t *testing.T) {
	cases := []struct{ in, want string }{
		// legal forms in every position
		{"Stichting Sportpark Noord", "sportpark noord"},
		{"Sportpark Stichting Noord", "sportpark noord"},
		{"Sportpark Noord Stichting", "sportpark noord"},
		{"Vereniging Dorpsbelang", "dorpsbelang"},
		{"Dorpsbelang (vereniging)", "dorpsbelang"},
		{"Bouwbedrijf Jansen B.V.", "bouwbedrijf jansen"},
		{"B.V. Bouwbedrijf Jansen", "bouwbedrijf jansen"},
		{"Bouwbedrijf BV Jansen", "bouwbedrijf jansen"},
		{"bouwbedrijf jansen b.v", "bouwbedrijf jansen"},
		{"Philips N.V.", "philips"},
		{"NV Philips", "philips"},
		{"Coöperatie Rabobank U.A.", "rabobank"},
		{"Rabobank Coop. U.A.", "rabobank"},
		{"Cooperatie Zuivel WA", "zuivel"},
		{"Coöperatieve Vereniging De Boeren", "de boeren"},
		{"Coop Supermarkt", "coop supermarkt"},
		{"Jansen & Zn V.O.F.", "jansen en zn"},
		{"Jansen en Zn vof", "jansen en zn"},
		{"Adviesbureau Kaya C.V.", "adviesbureau kaya"},
		{"Eenmanszaak Kapsalon Anna", "kapsalon anna"},
		{"Jeugdhuis VZW", "jeugdhuis"},
		{"Bakkerij Smit i.o.", "bakkerij smit"},
		{"Bakkerij Smit in oprichting", "bakkerij smit"},
		{"Jansen Besloten Vennootschap", "jansen"},
		{"Jansen Holding B.V.", "jansen holding"},
		// never empty
		{"Stichting", "stichting"},
		{"Coöperatie U.A.", "cooperatie ua"},
		{"B.V.", "bv"},
		// compounds are not legal forms
		{"Woningstichting Eigen Haard", "woningstichting eigen haard"},
		// diacritics, punctuation, whitespace
		{"Café  ’t Hoekje", "cafe t hoekje"},
		{"Zorggroep Noord-Oost", "zorggroep noord oost"},
		{"St.Jan / Sint Jan", "st jan sint jan"},
		{"A.B.C. Bouw", "abc bouw"},
		{"Ærø Æblemost", "aero aeblemost"},
		{"Straße", "strasse"},
		{"Cafe\u0301 Noord", "cafe noord"}, // combining acute accent
		{"Çelik İnşaat", "celik insaat"},
		{"  \t ", ""},
		{"", ""},
	}
	for _, c := range cases {
		if got := NormalizeName(c.in); got != c.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNormalizeKvK(t *testing.T) {
	cases := []struct{ in, want string }{
		{"41234567", "41234567"},
		{"4123 4567", "41234567"},
		{"41.23.45.67", "41234567"},
		{" 4123-4567 ", "41234567"},
		{"4123456", ""},
		{"412345678", ""},
		{"000000000000", ""},
		{"00000000", ""},
		{"KvK 41234567", ""},
		{"4123456a", ""},
		{"", ""},
	}
	for _, c := range cases {
		if got := NormalizeKvK(c.in); got != c.want {
			t.Errorf("NormalizeKvK(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestKeyMatches(t *testing.T) {
	cases := []struct {
		name string
		a, b Key
		want bool
	}{
		{"equal kvk, different names", Normalize("Sportpark Noord", "4123 4567"), Normalize("SV De Linden", "41.23.45.67"), true},
		{"different kvk, same name", Normalize("Stichting Sportpark Noord", "41234567"), Normalize("Sportpark Noord", "41234568"), false},
		{"one kvk, same name", Normalize("Stichting Sportpark Noord", "41234567"), Normalize("sportpark noord", ""), true},
		{"one kvk, other name", Normalize("Sportpark Noord", "41234567"), Normalize("Sportpark Zuid", ""), false},
		{"invalid kvk falls back to name", Normalize("Sportpark Noord", "1234"), Normalize("Sportpark Noord", "41234567"), true},
		{"no kvk, same name", Normalize("Sportpark Noord", ""), Normalize("SPORTPARK-NOORD", ""), true},
		{"empty names", Normalize("", ""), Normalize("...", ""), false},
	}
	for _, c := range cases {
		if got := c.a.Matches(c.b); got != c.want {
			t.Errorf("%s: %+v.Matches(%+v) = %v", c.name, c.a, c.b, got)
		}
		if got := c.b.Matches(c.a); got != c.want {
			t.Errorf("%s (reversed): %v", c.name, got)
		}
	}
}

func TestKeyStrings(t *testing.T) {
	k := Normalize("Stichting Sportpark Noord", "4123 4567")
	if diff := cmp.Diff([]string{"kvk:41234567", "naam:sportpark noord"}, k.Strings()); diff != "" {
		t.Error(diff)
	}
	if k.String() != "kvk:41234567" {
		t.Error(k.String())
	}
	if s := Normalize("Sportpark Noord", "").String(); s != "naam:sportpark noord" {
		t.Error(s)
	}
}
