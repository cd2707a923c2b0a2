package models_test

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/weerbaar/weerbaar/internal/testenv"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/secure"
)

// TestLegacyPlainFieldsSealed: a database written before migration 00011
// (plain name, address, level, outcome, release flags and VOG) is migrated
// and sealed at start: the values read back the same, nothing is left in
// legacy_plain, and duplicate addresses are still refused.
func TestLegacyPlainFieldsSealed(t *testing.T) {
	ctx := context.Background()
	dsn := testenv.DSN(t)
	db, dialect, err := models.Open(dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	p, err := models.Provider(db, dialect)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	master := make([]byte, 32)
	_, _ = rand.Read(master)
	kr, _ := secure.NewKeyring(master)
	now := time.Now().UTC().Truncate(time.Second)
	_, wrapped, err := kr.NewDataKey("c1")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"INSERT INTO parties (id, name, created_at) VALUES ('p1', 'P', ?)", []any{now}},
		{"INSERT INTO rounds (id, party_id, name, office, deadline, questionnaire_id, questionnaire_version, created_by, created_at) VALUES ('r1', 'p1', 'R', 'raadslid', ?, 'weerbaarheidsscan', 1, 'u', ?)", []any{now.Add(30 * 24 * time.Hour), now}},
		{"INSERT INTO candidates (id, party_id, round_id, name, email, status, level, data_key, created_at, updated_at) VALUES ('c1', 'p1', 'r1', 'Oude Naam', 'oud@adres.nl', 'decided', 'oranje', ?, ?, ?)", []any{wrapped, now, now}},
		{"INSERT INTO decisions (id, candidate_id, outcome, reasons, release_to_board, release_conditions, decided_by, created_at, status) VALUES ('d1', 'c1', 'positief', ?, true, false, 'u', ?, 'bevestigd')", []any{[]byte("x"), now}},
		{"INSERT INTO vog_records (candidate_id, status, requested_on, screening_profile, updated_by, updated_at) VALUES ('c1', 'aangevraagd', '2019-03-27', '01 politieke ambtsdragers', 'u', ?)", []any{now}},
	} {
		if err := db.Exec(q.sql, q.args...).Error; err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	if err := models.Migrate(ctx, db, dialect); err != nil {
		t.Fatal(err)
	}
	forms, err := questionnaires.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	st := models.NewStore(db, dialect, kr, forms, models.Options{})
	if n, err := st.SealLegacy(ctx); err != nil || n != 3 {
		t.Fatalf("sealed %d values (%v), want 3", n, err)
	}
	var left int64
	if err := db.Table("legacy_plain").Count(&left).Error; err != nil || left != 0 {
		t.Fatalf("legacy_plain keeps %d rows (%v)", left, err)
	}
	c, err := st.Candidate(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Oude Naam" || c.Email != "oud@adres.nl" || c.Level == nil || *c.Level != "oranje" {
		t.Fatalf("candidate after sealing: %q %q %v", c.Name, c.Email, c.Level)
	}
	d, err := st.LatestDecision(ctx, c)
	if err != nil || d == nil {
		t.Fatalf("decision: %v %v", d, err)
	}
	if diff := cmp.Diff([]any{"positief", true, false}, []any{d.Outcome, d.ReleaseToBoard, d.ReleaseConditions}); diff != "" {
		t.Fatalf("decision after sealing (-want +got):\n%s", diff)
	}
	v, err := st.VOG(ctx, c)
	if err != nil || v == nil || v.Status != "aangevraagd" || v.RequestedOn == nil || *v.RequestedOn != "2019-03-27" || v.ScreeningProfile != models.DefaultScreeningProfile {
		t.Fatalf("VOG after sealing: %+v %v", v, err)
	}
	r, err := st.Round(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Invite(ctx, actor, r, "Ander", " OUD@adres.nl "); !errors.Is(err, models.ErrDuplicate) {
		t.Fatalf("the same address again in the round: %v, want ErrDuplicate", err)
	}
	if n, err := st.SealLegacy(ctx); err != nil || n != 0 {
		t.Fatalf("second start sealed %d (%v)", n, err)
	}
}
