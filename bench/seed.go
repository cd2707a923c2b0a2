package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/worker"
)

// seedPartyPrefix marks the benchmark's parties; a database whose first
// party has this name was seeded by us.
const seedPartyPrefix = "Benchpartij"

// seedSpec is the size of the national data set.
type seedSpec struct {
	Parties    int
	Candidates int
	BigRound   int // candidates in party 0's round: the committee round list
}

// seeded is what the scenarios need from the data set.
type seeded struct {
	BigParty    string
	BigRound    string
	Committee   string   // a committee member of the big party
	Board       string   // its board member
	InProgress  []string // candidates in progress (autosave)
	Profiled    []string // profiled candidates of the big party (profile read)
	Candidates  int64
	Answers     int64
	Profiles    int64
	AuditEvents int64
	SeedTime    time.Duration
	CompileRate float64 // profiles/s compiled in-process during the seed
}

// Status mix of a national round a week before the lists close.
var statusMix = []struct {
	status models.Status
	share  float64
}{
	{models.StatusInvited, 0.15},
	{models.StatusInProgress, 0.30},
	{models.StatusSubmitted, 0.55}, // compiled to profiled during the seed
}

var (
	orgPool = []string{"Stichting Sportpark De Linden", "Voetbalvereniging Oranje Wit", "Zorggroep Noord", "Woningcorporatie Thuis B.V.",
		"Ondernemersvereniging Centrum", "Stichting Welzijn West", "Muziekvereniging Crescendo", "Basisschool De Regenboog",
		"Bouwbedrijf Van Dam B.V.", "Coöperatie Energie Samen U.A.", "Rabobank Regio", "Stichting Dorpshuis", "Tennisclub De Kaats",
		"Natuurmonumenten", "Vereniging Dorpsbelang", "Scouting Jan van Hout", "Makelaardij Bakker", "Stichting Voedselbank"}
	roles  = []string{"bestuur", "lid", "toezicht", "vrijwilliger"}
	places = []string{"Noord", "Zuid", "Centrum"}
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 42)) }

// answerMix draws a realistic, complete answer set: the clean or flagged
// sample with a random share of the risky answers and organisations drawn
// from a pool, so that overlaps occur inside a party.
func answerMix(r *rand.Rand, complete bool) map[string]any {
	// Mostly local organisations (120 per party: clubs, schools, firms in
	// its municipality), now and then a national one.
	org := func() string {
		if r.IntN(6) == 0 {
			return orgPool[r.IntN(len(orgPool))]
		}
		n := r.IntN(120)
		return fmt.Sprintf("%s %s-%d", orgPool[n%len(orgPool)], places[r.IntN(len(places))], n)
	}
	a := sample.Clean()
	if r.Float64() < 0.35 {
		a = sample.Flagged()
	}
	var n1 []any
	for range r.IntN(4) {
		n1 = append(n1, map[string]any{"organisatie": org(), "rol": roles[r.IntN(len(roles))],
			"betaald": r.IntN(4) == 0, "uren_per_maand": 1 + r.IntN(20), "sinds": fmt.Sprintf("20%02d-0%d-01", 5+r.IntN(20), 1+r.IntN(9)),
			"relatie_gemeente": r.IntN(5) == 0})
	}
	if n1 == nil {
		n1 = []any{}
	}
	a["N1"] = n1
	a["K2"] = []any{map[string]any{"werkgever": org(), "functie": "medewerker", "uren_per_week": 8 + r.IntN(32),
		"sinds": "2015-01-01", "bij_deze_gemeente": r.IntN(20) == 0}}
	// The samples' partner works at one fixed school: every candidate
	// would share it, which no real round does.
	a["NT1"] = []any{}
	if r.IntN(2) == 0 {
		a["NT1"] = []any{map[string]any{"relatie": "partner", "werkgever": org(), "functie": "medewerker", "relatie_gemeente": r.IntN(10) == 0}}
	}
	if r.IntN(8) == 0 {
		a["F3"] = "liever_in_gesprek"
	}
	if r.IntN(6) == 0 {
		a["D4"] = false
	}
	a["W4"] = 1 + r.IntN(5)
	a["N5"] = fmt.Sprintf("Toelichting van kandidaat %d.", r.IntN(1e6))
	if !complete {
		// Somewhere halfway: the later sections are still empty.
		for _, q := range []string{"D1", "D2", "D3", "D4", "D5", "W1", "W1_soort", "W2", "W3", "W4", "W5", "V1", "V2", "V3", "V4", "V5", "V6", "V7"} {
			if r.IntN(3) > 0 {
				delete(a, q)
			}
		}
	}
	return a
}

// seedNational fills an empty database with spec; on a database that was
// seeded before with the same size it only collects the fixture ids.
func seedNational(ctx context.Context, st *models.Store, db dbCounter, spec seedSpec, log *slog.Logger) (*seeded, error) {
	out := &seeded{}
	var start = time.Now()
	if n, err := db.count(ctx, "candidates", ""); err != nil {
		return nil, err
	} else if n == 0 {
		if err := seedAll(ctx, st, spec, out, log); err != nil {
			return nil, err
		}
		// Measure a settled database, as autovacuum leaves it some time
		// after a load, not one full of the bulk load's dead rows.
		vacuum := "VACUUM ANALYZE"
		if db.db.Dialector.Name() != "postgres" {
			vacuum = "ANALYZE"
		}
		if err := db.db.WithContext(ctx).Exec(vacuum).Error; err != nil {
			return nil, err
		}
		out.SeedTime = time.Since(start)
	} else {
		log.Info("data set already seeded: reusing it", "candidates", n)
	}
	if err := collect(ctx, st, db, out); err != nil {
		return nil, err
	}
	return out, nil
}

func seedAll(ctx context.Context, st *models.Store, spec seedSpec, out *seeded, log *slog.Logger) error {
	admin := models.Actor{ID: "bench", Role: models.RoleAdmin}
	perParty := (spec.Candidates - spec.BigRound) / max(spec.Parties-1, 1)
	extra := (spec.Candidates - spec.BigRound) - perParty*max(spec.Parties-1, 1)
	var submitted []string
	var mu sync.Mutex
	var done atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for p := range spec.Parties {
		n := perParty
		if p == 0 {
			n = spec.BigRound
		} else if p <= extra {
			n++
		}
		g.Go(func() error {
			r := newRand(uint64(p))
			party, err := st.CreateParty(gctx, admin, fmt.Sprintf("%s %03d", seedPartyPrefix, p))
			if err != nil {
				return err
			}
			var board models.Actor
			for i, role := range []string{models.RoleBestuur, models.RoleCommissie, models.RoleCommissie} {
				u, _, err := st.AddMember(gctx, admin, party.ID, fmt.Sprintf("lid%d-%03d@bench.weerbaar.test", i, p), fmt.Sprintf("Lid %d van %d", i, p), role, nil)
				if err != nil {
					return err
				}
				if i == 0 {
					board = models.Actor{ID: u.ID, Role: models.RoleBestuur}
				}
			}
			round, err := st.CreateRound(gctx, board, party.ID, models.NewRound{Name: "Gemeenteraad 2027", Office: "raadslid",
				Deadline: st.Now().Add(60 * 24 * time.Hour), QuestionnaireID: "weerbaarheidsscan"})
			if err != nil {
				return err
			}
			for from := 0; from < n; from += 250 {
				batch := make([]models.BulkCandidate, 0, 250)
				for i := from; i < min(from+250, n); i++ {
					bc := models.BulkCandidate{Name: fmt.Sprintf("Kandidaat %d-%d", p, i), Email: fmt.Sprintf("k%d-%d@bench.weerbaar.test", p, i)}
					x := r.Float64()
					for _, m := range statusMix {
						if bc.Status = m.status; x < m.share {
							break
						}
						x -= m.share
					}
					if bc.Status != models.StatusInvited {
						bc.Answers = answerMix(r, bc.Status == models.StatusSubmitted)
					}
					batch = append(batch, bc)
				}
				cs, err := st.BulkInsert(gctx, board, round, batch)
				if err != nil {
					return err
				}
				mu.Lock()
				for _, c := range cs {
					if c.Status == models.StatusSubmitted {
						submitted = append(submitted, c.ID)
					}
				}
				mu.Unlock()
			}
			if d := done.Add(int64(n)); p%50 == 0 {
				log.Info("seeding", "candidates", d)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	// The profiles come from the worker's own compile path, run in-process.
	log.Info("compiling profiles", "n", len(submitted))
	t0 := time.Now()
	if err := compileAll(ctx, st, submitted); err != nil {
		return err
	}
	out.CompileRate = float64(len(submitted)) / time.Since(t0).Seconds()
	return nil
}

func compileAll(ctx context.Context, st *models.Store, ids []string) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2 * runtime.NumCPU())
	for _, id := range ids {
		g.Go(func() error {
			in, _, err := worker.CompileProfile(gctx, st, id, 1)
			if err == nil && in == nil {
				err = errors.New("compile skipped")
			}
			if err != nil {
				return fmt.Errorf("compile %s: %w", id, err)
			}
			return nil
		})
	}
	return g.Wait()
}

// collect finds the fixture ids and counts the data set.
func collect(ctx context.Context, st *models.Store, db dbCounter, out *seeded) error {
	var err error
	if out.BigParty, out.BigRound, out.Board, out.Committee, err = db.bigParty(ctx); err != nil {
		return err
	}
	if out.InProgress, err = db.ids(ctx, "SELECT id FROM candidates WHERE status = 'in_progress' AND consent_at IS NOT NULL ORDER BY id LIMIT 2000"); err != nil {
		return err
	}
	if out.Profiled, err = db.ids(ctx, "SELECT id FROM candidates WHERE status = 'profiled' AND round_id = ? ORDER BY id", out.BigRound); err != nil {
		return err
	}
	for _, c := range []struct {
		table string
		n     *int64
	}{{"candidates", &out.Candidates}, {"answers", &out.Answers}, {"profiles", &out.Profiles}, {"audit_events", &out.AuditEvents}} {
		if *c.n, err = db.count(ctx, c.table, ""); err != nil {
			return err
		}
	}
	return nil
}
