package i18n

import (
	"strings"
	"testing"
)

func TestCatalogLoads(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	if got := T(EN, "Direct naar de inhoud"); got != "Skip to content" {
		t.Errorf("T(en) = %q", got)
	}
	if got := T(NL, "Direct naar de inhoud"); got != "Direct naar de inhoud" {
		t.Errorf("T(nl) = %q", got)
	}
	if got := T(EN, "Geen vertaling %d", 3); got != "Geen vertaling 3" {
		t.Errorf("fallback = %q", got)
	}
}

// The same verbs in the same order on both sides, or Sprintf garbles one.
func TestCatalogVerbs(t *testing.T) {
	m, _ := catalog()
	for nl, en := range m {
		if a, b := verbs(nl), verbs(en); a != b {
			t.Errorf("%q → %q: verbs %q vs %q", nl, en, a, b)
		}
	}
}

func verbs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			b.WriteByte(s[i+1])
			i++
		}
	}
	return b.String()
}
