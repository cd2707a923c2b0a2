package app_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/app"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/models"
)

// keyStoreTables live in the key store, not in the main database: in
// server mode without KEYSTORE_URL the tests keep them in the same schema,
// so a dump of the main database leaves them out.
var keyStoreTables = map[string]bool{"data_keys": true, "secrets": true, "audit_anchors": true, "goose_keys_version": true}

// dumpDatabase is a copy of the main database as an attacker would read
// it: the raw bytes of the SQLite file (and its WAL), or every row of every
// table of the PostgreSQL schema as text.
func dumpDatabase(t *testing.T, e *apptest.Env) []byte {
	t.Helper()
	if e.Cfg.Embedded() {
		if err := e.Sys.DB.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
			t.Fatal(err)
		}
		var out []byte
		for _, f := range []string{e.Cfg.SQLitePath(), e.Cfg.SQLitePath() + "-wal"} {
			b, err := os.ReadFile(f)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			out = append(out, b...)
		}
		return out
	}
	var tables []string
	if err := e.Sys.DB.Raw("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, tbl := range tables {
		if keyStoreTables[tbl] {
			continue
		}
		var part []string
		if err := e.Sys.DB.Raw(`SELECT t::text FROM "` + tbl + `" t`).Scan(&part).Error; err != nil {
			t.Fatal(err)
		}
		rows = append(rows, part...)
	}
	return []byte(strings.Join(rows, "\n"))
}

// TestLeak_PlaintextAtRestNextToNames (issue 11, finding 8) is the dump test: a
// candidate with distinctive name, address and answers is screened, heard
// on the VOG, decided and released, then deleted as retention does. In a
// copy of the database taken before the deletion nothing of the person can
// be read: not the name, the address, an answer, the level, the outcome,
// the release, the VOG state or dates, nor a link from the outbox; and
// with the key gone the copy does not even give the name.
func TestLeak_PlaintextAtRestNextToNames(t *testing.T) {
	e := apptest.Start(t)
	e.StartWorker()
	ctx := context.Background()
	p := newParty(t, e, time.Now().Add(30*24*time.Hour))
	const name, email = "Zoë Quist-Vanderbroek", "zoe.quist.vanderbroek@dumptest.nl"
	cid := p.invite(t, name, email)
	invite := e.InvitationToken(email)
	tok := e.Must(201, "POST", v1+"/invitations/"+invite+"/accept", "", nil).Map(t)["token"].(string)
	e.Must(200, "POST", v1+"/me/consent", tok, map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", v1+"/me/answers", tok, map[string]any{"answers": sample.Flagged()})
	e.Must(200, "POST", v1+"/me/submit", tok, nil)
	waitLevel(t, e, p, cid, "oranje")
	e.Must(200, "PUT", v1+"/candidates/"+cid+"/vog", p.c1, map[string]string{"status": "aangevraagd", "requested_on": "2019-03-27"})
	e.Must(200, "PUT", v1+"/candidates/"+cid+"/vog", p.c1, map[string]string{"status": "voornemen_tot_weigering"})
	waitLevel(t, e, p, cid, "rood")
	e.Must(201, "POST", v1+"/candidates/"+cid+"/decision", p.c1, map[string]any{"outcome": "positief_met_voorwaarden", "reasons": "Redenen Quist",
		"conditions": "Voorwaarde Quist", "release_to_board": true, "release_conditions": true})
	e.Must(200, "POST", v1+"/candidates/"+cid+"/decision/confirm", p.c2, nil)
	if adv, _ := e.Must(200, "GET", v1+"/candidates/"+cid, p.board, nil).Map(t)["advice"].(map[string]any); adv == nil || adv["outcome"] != "positief_met_voorwaarden" {
		t.Fatalf("the board does not see the released advice: %v", adv)
	}

	dump := dumpDatabase(t, e)
	var backup string
	if e.Cfg.Embedded() {
		backup = t.TempDir()
		if err := os.WriteFile(filepath.Join(backup, "weerbaar.db"), dump, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Sys.Store.DeleteCandidate(ctx, models.SystemActor, cid, "retention"); err != nil {
		t.Fatal(err)
	}

	needles := []string{name, "Quist", email, "dumptest.nl", invite, "Sportpark De Linden", "Zorggroep Noord",
		"rood", "positief_met_voorwaarden", "Redenen Quist", "Voorwaarde Quist", "voornemen_tot_weigering", "aangevraagd", "2019-03-27"}
	for _, n := range needles {
		variants := [][]byte{[]byte(n), []byte(strings.ToLower(n))}
		if !e.Cfg.Embedded() {
			variants = append(variants, []byte(hex.EncodeToString([]byte(n)))) // bytea as text
		}
		for _, v := range variants {
			if i := bytes.Index(dump, v); i >= 0 {
				from, to := max(0, i-60), min(len(dump), i+len(v)+60)
				t.Errorf("%q readable in the database copy: …%q…", n, dump[from:to])
				break
			}
		}
	}
	// The release flags sit next to the outcome: the decision row must hold
	// no plain boolean column for them (a dump would tell released files).
	var cols []string
	q := "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'decisions'"
	if e.Cfg.Embedded() {
		q = "SELECT name FROM pragma_table_info('decisions')"
	}
	if err := e.Sys.DB.Raw(q).Scan(&cols).Error; err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if strings.HasPrefix(c, "release") || c == "outcome" {
			t.Errorf("decisions.%s is stored in plain text", c)
		}
	}

	if backup != "" {
		cfg := e.Cfg
		cfg.DataDir, cfg.KeystoreURL = backup, e.Cfg.KeystorePath()
		s, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{StoreOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if c, err := s.Store.Candidate(ctx, cid); !errors.Is(err, models.ErrShredded) {
			t.Fatalf("the copy still gives the candidate after the key was deleted: %v %v", c, err)
		}
	}
}

// waitLevel waits until the committee list shows the candidate's level.
func waitLevel(t *testing.T, e *apptest.Env, p *party, cid, level string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c := e.Must(200, "GET", v1+"/candidates/"+cid, p.c1, nil).Map(t)
		if c["level"] == level {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("level %v, want %s", c["level"], level)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
