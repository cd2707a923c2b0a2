package models_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/internal/testenv"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/secure"
	"gorm.io/gorm"
)

func newStore(t testing.TB) (*models.Store, *gorm.DB, string) {
	t.Helper()
	return newStoreAt(t, testenv.DSN(t))
}

// sqliteDSN is a fresh SQLite file, whatever TEST_DATABASE_URL says.
func sqliteDSN(t testing.TB) string { return filepath.Join(t.TempDir(), "test.db") }

// newStoreAt opens a migrated store on dsn.
func newStoreAt(t testing.TB, dsn string) (*models.Store, *gorm.DB, string) {
	t.Helper()
	db, dialect, err := models.Open(dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	if err := models.Migrate(context.Background(), db, dialect); err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	kr, _ := secure.NewKeyring(key)
	forms, err := questionnaires.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return models.NewStore(db, dialect, kr, forms, models.Options{}), db, dsn
}

var actor = models.Actor{ID: "tester", Role: models.RoleCommissie}

func candidateWithAnswers(t *testing.T, st *models.Store) *models.Candidate {
	t.Helper()
	ctx := context.Background()
	p, err := st.CreateParty(ctx, actor, "P")
	if err != nil {
		t.Fatal(err)
	}
	r, err := st.CreateRound(ctx, actor, p.ID, models.NewRound{Name: "R", Office: "raadslid", Deadline: time.Now().Add(time.Hour * 24 * 30), QuestionnaireID: "weerbaarheidsscan"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.Invite(ctx, actor, r, "K", "k@t.nl")
	if err != nil {
		t.Fatal(err)
	}
	var tok string
	if err := st.IssueInvitation(ctx, c.ID, 1, func(mc *models.MailContext) error {
		tok = mc.Token
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, c, err = st.AcceptInvitation(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := st.Consent(ctx, c, 1); err != nil {
		t.Fatal(err)
	}
	raw := map[string]json.RawMessage{}
	for k, v := range sample.Flagged() {
		raw[k], _ = json.Marshal(v)
	}
	if _, err := st.SaveAnswers(ctx, c, raw); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddNote(ctx, actor, c, "Notitie over Sportpark De Linden"); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEncryptedAtRest: answer and note text never appear in the database
// in plain text (raw bytes of the SQLite file, or the rows in PostgreSQL).
func TestEncryptedAtRest(t *testing.T) {
	st, db, dsn := newStore(t)
	c := candidateWithAnswers(t, st)
	ans, err := st.Answers(context.Background(), c)
	if err != nil || ans["N5"] != sample.Flagged()["N5"] {
		t.Fatalf("answers do not round-trip: %v", err)
	}
	needles := []string{"Sportpark De Linden", "Zorggroep Noord", "voorzitter van de sportstichting"}
	var dump []byte
	if models.DialectOf(dsn) == models.SQLite {
		if err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
			t.Fatal(err)
		}
		dump, err = os.ReadFile(dsn)
		if err != nil {
			t.Fatal(err)
		}
	} else {
		var rows []string
		for _, tbl := range []string{"answers", "notes", "candidates"} {
			var part []string
			if err := db.Raw("SELECT t::text FROM " + tbl + " t").Scan(&part).Error; err != nil {
				t.Fatal(err)
			}
			rows = append(rows, part...)
		}
		dump = []byte(strings.Join(rows, "\n"))
	}
	if len(dump) == 0 {
		t.Fatal("nothing dumped")
	}
	for _, n := range needles {
		if bytes.Contains(dump, []byte(n)) {
			t.Errorf("plain text %q found in the database", n)
		}
	}
}

// TestAuditChain: events chain per party; tampering breaks verification at
// the tampered event.
func TestAuditChain(t *testing.T) {
	st, db, _ := newStore(t)
	c := candidateWithAnswers(t, st)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if err := st.AuditRead(ctx, c, actor, "profile.read"); err != nil {
			t.Fatal(err)
		}
	}
	if seq, err := st.VerifyAudit(ctx, c.PartyID); err != nil || seq != 0 {
		t.Fatalf("fresh chain broken at %d: %v", seq, err)
	}
	evs, err := st.AuditEvents(ctx, c.ID)
	if err != nil || len(evs) < 5 {
		t.Fatalf("events: %d %v", len(evs), err)
	}
	victim := evs[len(evs)-2]
	if err := db.Exec("UPDATE audit_events SET actor_id = ? WHERE id = ?", "iemand-anders", victim.ID).Error; err != nil {
		t.Fatal(err)
	}
	seq, err := st.VerifyAudit(ctx, c.PartyID)
	if err != nil || seq != victim.Seq {
		t.Fatalf("tampering detected at %d, want %d (%v)", seq, victim.Seq, err)
	}
}

// TestConcurrentAutosave: parallel saves of different questions all land.
func TestConcurrentAutosave(t *testing.T) {
	st, _, _ := newStore(t)
	c := candidateWithAnswers(t, st)
	ctx := context.Background()
	qs := []string{"K3", "N4", "F4", "F5", "F6", "NT2", "G2", "G3"}
	errs := make(chan error, len(qs))
	for _, q := range qs {
		go func() {
			_, err := st.SaveAnswers(ctx, c, map[string]json.RawMessage{q: json.RawMessage("true")})
			errs <- err
		}()
	}
	for range qs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ans, err := st.Answers(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if ans[q] != true {
			t.Errorf("%s = %v after concurrent saves", q, ans[q])
		}
	}
}
