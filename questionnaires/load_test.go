package questionnaires

import "testing"

func TestEmbeddedLoads(t *testing.T) {
	r, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Latest("weerbaarheidsscan"); err != nil {
		t.Fatal(err)
	}
}
