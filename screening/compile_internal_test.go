package screening

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// TestCompileHashWithEncodedAnswers: the compile hashes the answers it
// encoded once already (for the profile's copy); the input hash must stay
// the one Evaluate gives, or every stored profile would count as changed.
func TestCompileHashWithEncodedAnswers(t *testing.T) {
	forms, err := questionnaires.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	def, err := forms.Latest("weerbaarheidsscan")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC)
	issued := "2026-01-05"
	special := sample.Clean()
	special["N5"] = "Voorzitter <De Linden> & penningmeester\u2028\"Oranje Wit\" — één"
	for name, raw := range map[string]map[string]any{"flagged": sample.Flagged(), "clean": sample.Clean(), "special": special} {
		b, _ := json.Marshal(raw)
		var ans questionnaires.Answers
		if err := json.Unmarshal(b, &ans); err != nil {
			t.Fatal(err)
		}
		in := &models.CompileInput{Def: def, Answers: models.VisibleAnswers(def, ans),
			Round: &models.Round{Office: "raadslid", Deadline: now.Add(-time.Hour)}, Party: &models.Party{MaxVOGAgeDays: 183},
			VOG: &models.VOGRecord{Status: "afgegeven", IssuedOn: &issued}}
		_, want, err := Evaluate(in, now)
		if err != nil {
			t.Fatal(err)
		}
		ansJSON, err := json.Marshal(in.Answers)
		if err != nil {
			t.Fatal(err)
		}
		if _, got, err := evaluate(in, now, ansJSON); err != nil || got != want {
			t.Errorf("%s: hash with encoded answers %s (%v), want %s", name, got, err, want)
		}
	}
}
