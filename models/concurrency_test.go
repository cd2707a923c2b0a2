package models_test

// Concurrency tests (issue 12, item 4): many goroutines race on one file
// through the Store, and each test checks the invariant afterwards in the
// database (counts, the audit order), never timing. They run on SQLite
// (one writer: a functional check) and on PostgreSQL (READ COMMITTED, 20
// connections: where a check-then-act without a row lock breaks).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/internal/testenv"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
	"github.com/weerbaar/weerbaar/secure"
	"github.com/weerbaar/weerbaar/worker"
)

// racers is how many goroutines race in each test.
const racers = 16

// dialects runs fn on a fresh SQLite store and on a fresh PostgreSQL
// schema (skipped, with the testenv message, without TEST_DATABASE_URL).
func dialects(t *testing.T, fn func(t *testing.T, st *models.Store, db *gorm.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		st, db, _ := newStoreAt(t, sqliteDSN(t))
		fn(t, st, db)
	})
	t.Run("postgres", func(t *testing.T) {
		st, db, _ := newStoreAt(t, testenv.RequirePostgres(t))
		fn(t, st, db)
	})
}

// race runs fn(i) in n goroutines released at the same moment and returns
// their errors by index. The pool is warmed first, so that the racers do
// not queue behind new connections.
func race(db *gorm.DB, n int, fn func(i int) error) []error {
	if db.Dialector.Name() == "postgres" {
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() { defer wg.Done(); _ = db.Exec("SELECT pg_sleep(0.01)").Error }()
		}
		wg.Wait()
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// tally counts nil errors and the errors that match want; any other error
// fails the test.
func tally(t *testing.T, errs []error, want ...error) (ok int) {
	t.Helper()
	for i, err := range errs {
		if err == nil {
			ok++
			continue
		}
		known := false
		for _, w := range want {
			var te *models.TransitionError
			if errors.Is(err, w) || (w == errTransition && errors.As(err, &te)) {
				known = true
			}
		}
		if !known {
			t.Errorf("racer %d: unexpected error %v", i, err)
		}
	}
	return ok
}

// errTransition stands for any *models.TransitionError in tally.
var errTransition = errors.New("transition")

func count(t *testing.T, db *gorm.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func actions(t *testing.T, st *models.Store, candidateID string) []string {
	t.Helper()
	evs, err := st.AuditEvents(context.Background(), candidateID)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Action
	}
	return out
}

func countOf(list []string, v string) (n int) {
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

// concFile is a party with a committee and one candidate.
type concFile struct {
	st      *models.Store
	db      *gorm.DB
	party   *models.Party
	round   *models.Round
	members []models.Actor // active committee members
	emails  []string       // their addresses
	board   models.Actor
	id      string // the candidate
	token   string // the invitation link of the last IssueInvitation
}

var operator = models.Actor{ID: "cli", Role: models.RoleAdmin}

// newConcFile makes a party with n active committee members and a board
// member, and invites one candidate.
func newConcFile(t *testing.T, st *models.Store, db *gorm.DB, n int) *concFile {
	t.Helper()
	ctx := context.Background()
	p, err := st.CreateParty(ctx, operator, "P")
	if err != nil {
		t.Fatal(err)
	}
	f := &concFile{st: st, db: db, party: p}
	pw := "wachtwoord-van-test-1"
	for i := range n {
		// A party of its own per file: the addresses too (an address with
		// an account elsewhere would first have to accept by mail).
		u, _, err := st.AddMember(ctx, operator, p.ID, fmt.Sprintf("c%d-%s@t.nl", i, p.ID[:8]), fmt.Sprintf("Commissielid %d", i), models.RoleCommissie, &pw)
		if err != nil {
			t.Fatal(err)
		}
		f.members = append(f.members, models.Actor{ID: u.ID, Role: models.RoleCommissie})
		f.emails = append(f.emails, u.Email)
	}
	b, _, err := st.AddMember(ctx, operator, p.ID, "b-"+p.ID[:8]+"@t.nl", "Bestuur", models.RoleBestuur, &pw)
	if err != nil {
		t.Fatal(err)
	}
	f.board = models.Actor{ID: b.ID, Role: models.RoleBestuur}
	if f.round, err = st.CreateRound(ctx, f.board, p.ID, models.NewRound{Name: "R", Office: "raadslid", Deadline: time.Now().Add(30 * 24 * time.Hour), QuestionnaireID: "weerbaarheidsscan"}); err != nil {
		t.Fatal(err)
	}
	c, err := st.Invite(ctx, f.board, f.round, "Kandidaat", "k@t.nl")
	if err != nil {
		t.Fatal(err)
	}
	f.id = c.ID
	f.issue(t, 1)
	return f
}

func (f *concFile) issue(t *testing.T, seq int) {
	t.Helper()
	if err := f.st.IssueInvitation(context.Background(), f.id, seq, func(mc *models.MailContext) error {
		f.token = mc.Token
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// cands loads n copies of the candidate, one for each racer (as each
// request loads its own).
func (f *concFile) cands(t testing.TB, n int) []*models.Candidate {
	t.Helper()
	out := make([]*models.Candidate, n)
	for i := range out {
		out[i] = f.cand(t)
	}
	return out
}

// cand loads a fresh copy of the candidate, as each request does.
func (f *concFile) cand(t testing.TB) *models.Candidate {
	t.Helper()
	c, err := f.st.Candidate(context.Background(), f.id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// answered accepts, consents and answers every question.
func (f *concFile) answered(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	_, c, err := f.st.AcceptInvitation(ctx, f.token)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.Consent(ctx, c, 1); err != nil {
		t.Fatal(err)
	}
	raw := map[string]json.RawMessage{}
	for k, v := range sample.Flagged() {
		raw[k], _ = json.Marshal(v)
	}
	if _, err := f.st.SaveAnswers(ctx, c, raw); err != nil {
		t.Fatal(err)
	}
}

// submit submits and compiles the profile.
func (f *concFile) profiled(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	c, err := f.st.Submit(ctx, f.cand(t))
	if err != nil {
		t.Fatal(err)
	}
	if in, _, err := worker.CompileProfile(ctx, f.st, c.ID, c.Revision); err != nil || in == nil {
		t.Fatalf("compile: %v", err)
	}
	if got := f.cand(t).Status; got != models.StatusProfiled {
		t.Fatalf("status after compile: %s", got)
	}
}

// newProfiled is a profiled file with n committee members.
func newProfiled(t *testing.T, st *models.Store, db *gorm.DB, n int) *concFile {
	t.Helper()
	f := newConcFile(t, st, db, n)
	f.answered(t)
	f.profiled(t)
	return f
}

// TestRaceProposeOnePending: committee members proposing an advice at the
// same moment leave exactly one pending proposal.
func TestRaceProposeOnePending(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newProfiled(t, st, db, 4)
		cs := f.cands(t, racers)
		errs := race(db, racers, func(i int) error {
			_, err := st.ProposeDecision(context.Background(), f.members[i%len(f.members)], cs[i], models.Proposal{Outcome: "positief", Reasons: "Geen bezwaren."})
			return err
		})
		if ok := tally(t, errs, models.ErrProposalPending); ok != 1 {
			t.Errorf("%d proposals accepted, want 1", ok)
		}
		if n := count(t, db, "SELECT count(*) FROM decisions WHERE candidate_id = ? AND status = ?", f.id, models.DecisionProposed); n != 1 {
			t.Errorf("%d pending proposals, want 1", n)
		}
		if n := count(t, db, "SELECT count(*) FROM decisions WHERE candidate_id = ?", f.id); n != 1 {
			t.Errorf("%d decisions stored, want 1", n)
		}
	})
}

// TestRaceConfirmOrReject: confirmations and rejections of one proposal at
// the same moment: exactly one of them wins, and the file's state matches.
func TestRaceConfirmOrReject(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newProfiled(t, st, db, 4)
		ctx := context.Background()
		if _, err := st.ProposeDecision(ctx, f.members[0], f.cand(t), models.Proposal{Outcome: "positief", Reasons: "Geen bezwaren."}); err != nil {
			t.Fatal(err)
		}
		cs := f.cands(t, racers)
		errs := race(db, racers, func(i int) error {
			m := f.members[1+i%3]
			if i%2 == 0 {
				_, err := st.ConfirmDecision(ctx, m, cs[i])
				return err
			}
			return st.RejectDecision(ctx, m, cs[i])
		})
		if ok := tally(t, errs, models.ErrNoProposal, errTransition); ok != 1 {
			t.Errorf("%d confirmations or rejections succeeded, want 1", ok)
		}
		confirmed := count(t, db, "SELECT count(*) FROM decisions WHERE candidate_id = ? AND status = ?", f.id, models.DecisionConfirmed)
		rejected := count(t, db, "SELECT count(*) FROM decisions WHERE candidate_id = ? AND status = ?", f.id, models.DecisionRejected)
		if confirmed+rejected != 1 {
			t.Errorf("confirmed %d, rejected %d: want one of them", confirmed, rejected)
		}
		status := f.cand(t).Status
		if (confirmed == 1) != (status == models.StatusDecided) {
			t.Errorf("status %s with %d confirmed decisions", status, confirmed)
		}
		acts := actions(t, st, f.id)
		if n := countOf(acts, "decision.confirm") + countOf(acts, "decision.reject"); n != 1 {
			t.Errorf("%d confirm/reject events, want 1", n)
		}
	})
}

// TestRaceConsentWithdraw: consent given while the candidate withdraws is
// either given before the withdrawal or refused; never recorded after it.
func TestRaceConsentWithdraw(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newConcFile(t, st, db, 1)
		f.answered(t)
		before := countOf(actions(t, st, f.id), "consent.give")
		cs := f.cands(t, racers)
		errs := race(db, racers, func(i int) error {
			if i == racers/2 {
				return st.Withdraw(context.Background(), cs[i])
			}
			return st.Consent(context.Background(), cs[i], 1)
		})
		ok := tally(t, errs, errTransition)
		if errs[racers/2] != nil {
			t.Fatalf("withdraw: %v", errs[racers/2])
		}
		acts := actions(t, st, f.id)
		if got := countOf(acts, "consent.give") - before; got != ok-1 {
			t.Errorf("%d consent events for %d consents given", got, ok-1)
		}
		withdrawn := false
		for _, a := range acts {
			switch a {
			case "candidate.withdraw":
				withdrawn = true
			case "consent.give":
				if withdrawn {
					t.Fatalf("consent recorded after the withdrawal: %v", acts)
				}
			}
		}
	})
}

// TestRaceSubmitReopen: submissions and reopens racing on one file keep
// the workflow in order: the events alternate, every submission counts
// once in the revision, and no proposal stays pending on a reopened file.
func TestRaceSubmitReopen(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newProfiled(t, st, db, 4)
		ctx := context.Background()
		for range 4 {
			cs := f.cands(t, racers)
			errs := race(db, racers, func(i int) error {
				switch i % 4 {
				case 0:
					return st.Reopen(ctx, f.members[0], cs[i], "Vul vraag F4 aan.")
				case 1:
					_, err := st.Submit(ctx, cs[i])
					return err
				default:
					_, err := st.ProposeDecision(ctx, f.members[1+i%3], cs[i], models.Proposal{Outcome: "positief", Reasons: "Geen bezwaren."})
					return err
				}
			})
			tally(t, errs, errTransition, models.ErrProposalPending)
			c := f.cand(t)
			if c.Status == models.StatusInProgress {
				if n := count(t, db, "SELECT count(*) FROM decisions WHERE candidate_id = ? AND status = ?", f.id, models.DecisionProposed); n != 0 {
					t.Fatalf("%d pending proposals on a reopened file", n)
				}
			}
			// Back to a profiled file for the next round.
			if c.Status == models.StatusInProgress {
				f.profiled(t)
			} else if c.Status == models.StatusSubmitted {
				if in, _, err := worker.CompileProfile(ctx, st, c.ID, c.Revision); err != nil || in == nil {
					t.Fatalf("compile: %v", err)
				}
			}
		}
		c := f.cand(t)
		acts := actions(t, st, f.id)
		last := ""
		for _, a := range acts {
			if a == "candidate.submit" || a == "candidate.reopen" {
				if a == last {
					t.Fatalf("two %s in a row: %v", a, acts)
				}
				last = a
			}
		}
		if got := countOf(acts, "candidate.submit"); got != c.Revision {
			t.Errorf("revision %d after %d submissions", c.Revision, got)
		}
	})
}

// TestRaceAutosaveDuringSubmit: an autosave that arrives while the file is
// being submitted waits for the submission and is then refused: nothing
// changes in a file after its completeness check. PostgreSQL only (SQLite
// has one writer): a transaction holds the candidate row the way Submit
// does, the autosave must wait for it (seen in pg_locks), and fail once it
// commits the new status.
func TestRaceAutosaveDuringSubmit(t *testing.T) {
	st, db, _ := newStoreAt(t, testenv.RequirePostgres(t))
	f := newConcFile(t, st, db, 1)
	f.answered(t)
	ctx := context.Background()
	before, err := st.Answers(ctx, f.cand(t))
	if err != nil {
		t.Fatal(err)
	}
	tx := db.Begin()
	defer tx.Rollback()
	var xid string
	var locked string
	if err := tx.Raw("SELECT id FROM candidates WHERE id = ? FOR NO KEY UPDATE", f.id).Row().Scan(&locked); err != nil {
		t.Fatal(err)
	}
	if err := tx.Raw("SELECT pg_current_xact_id()::text").Row().Scan(&xid); err != nil {
		t.Fatal(err)
	}
	if err := tx.Exec("UPDATE candidates SET status = ? WHERE id = ?", models.StatusSubmitted, f.id).Error; err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := st.SaveAnswers(ctx, f.cand(t), map[string]json.RawMessage{"K3": json.RawMessage("false")})
		done <- err
	}()
	// Wait for the autosave to queue behind the submission's row lock.
	for deadline := time.Now().Add(10 * time.Second); ; {
		select {
		case err := <-done:
			t.Fatalf("autosave finished (%v) while the submission held the file", err)
		default:
		}
		if count(t, db, "SELECT count(*) FROM pg_locks WHERE locktype = 'transactionid' AND transactionid::text = ? AND NOT granted", xid) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("autosave neither finished nor waited for the submission")
		}
		time.Sleep(5 * time.Millisecond) // polling pg_locks for the wait to appear
	}
	if err := tx.Commit().Error; err != nil {
		t.Fatal(err)
	}
	var te *models.TransitionError
	if err := <-done; !errors.As(err, &te) {
		t.Fatalf("autosave after the submission: %v, want a transition error", err)
	}
	after, err := st.Answers(ctx, f.cand(t))
	if err != nil {
		t.Fatal(err)
	}
	if after["K3"] != before["K3"] {
		t.Fatalf("K3 changed from %v to %v in a submitted file", before["K3"], after["K3"])
	}
}

// TestRaceVOG: VOG updates at the same moment all count: one record, one
// revision step and one event each (the profile recompiles for each).
func TestRaceVOG(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newProfiled(t, st, db, 4)
		start := f.cand(t).Revision
		on := "2026-01-05"
		cs := f.cands(t, racers)
		errs := race(db, racers, func(i int) error {
			_, _, err := st.SetVOG(context.Background(), f.members[i%len(f.members)], cs[i], models.VOGInput{Status: "aangevraagd", RequestedOn: &on})
			return err
		})
		ok := tally(t, errs)
		if ok != racers {
			t.Errorf("%d of %d VOG updates succeeded", ok, racers)
		}
		if got := f.cand(t).Revision; got != start+ok {
			t.Errorf("revision %d after %d VOG updates from %d", got, ok, start)
		}
		if n := countOf(actions(t, st, f.id), "vog.update"); n != ok {
			t.Errorf("%d vog.update events for %d updates", n, ok)
		}
		if n := count(t, db, "SELECT count(*) FROM vog_records WHERE candidate_id = ?", f.id); n != 1 {
			t.Errorf("%d VOG records", n)
		}
	})
}

// TestRaceRecusePropose: a member who recuses while proposing never leaves
// a pending proposal behind, and recuses once.
func TestRaceRecusePropose(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		for range 3 {
			f := newProfiled(t, st, db, 3)
			m := f.members[0]
			cs := f.cands(t, racers)
			errs := race(db, racers, func(i int) error {
				if i%8 == 0 {
					return st.Recuse(context.Background(), m, cs[i], "Familie van de kandidaat.")
				}
				_, err := st.ProposeDecision(context.Background(), m, cs[i], models.Proposal{Outcome: "positief", Reasons: "Geen bezwaren."})
				return err
			})
			tally(t, errs, models.ErrProposalPending, models.ErrRecused, models.ErrNotFound)
			recusals := 0
			for i, err := range errs {
				if i%8 == 0 && err == nil {
					recusals++
				}
			}
			if recusals != 1 {
				t.Errorf("%d recusals succeeded, want 1", recusals)
			}
			if n := count(t, db, "SELECT count(*) FROM decisions d JOIN recusals r ON r.candidate_id = d.candidate_id AND r.user_id = d.decided_by WHERE d.candidate_id = ? AND d.status = ?", f.id, models.DecisionProposed); n != 0 {
				t.Fatalf("%d pending proposals by a recused member", n)
			}
		}
	})
}

// TestRaceHearingOpen: hearings opened at the same moment: one opens, the
// others learn that one is open.
func TestRaceHearingOpen(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newProfiled(t, st, db, 4)
		prof, _, err := st.Profile(context.Background(), f.cand(t))
		if err != nil || len(prof.Flags) == 0 {
			t.Fatalf("profile without flags: %v", err)
		}
		cs := f.cands(t, racers)
		errs := race(db, racers, func(i int) error {
			_, err := st.OpenHearing(context.Background(), f.members[i%len(f.members)], cs[i], []string{prof.Flags[0].Rule}, "Licht dit toe.")
			return err
		})
		if ok := tally(t, errs, models.ErrHearingOpen); ok != 1 {
			t.Errorf("%d hearings opened, want 1", ok)
		}
		if n := count(t, db, "SELECT count(*) FROM hearings WHERE candidate_id = ?", f.id); n != 1 {
			t.Errorf("%d hearings stored, want 1", n)
		}
	})
}

// TestRaceResend: every resend at the same moment issues its own
// invitation number.
func TestRaceResend(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newConcFile(t, st, db, 1)
		errs := race(db, racers, func(i int) error {
			_, err := st.Resend(context.Background(), f.board, f.id)
			return err
		})
		ok := tally(t, errs)
		if got := f.cand(t).InviteSeq; got != 1+ok {
			t.Errorf("invitation number %d after %d resends, want %d", got, ok, 1+ok)
		}
		if n := countOf(actions(t, st, f.id), "candidate.resend"); n != ok {
			t.Errorf("%d resend events for %d resends", n, ok)
		}
	})
}

// TestRaceAcceptInvitation: the invitation link opened twice at once (a
// double click) opens the file both times and accepts it once.
func TestRaceAcceptInvitation(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newConcFile(t, st, db, 1)
		errs := race(db, racers, func(i int) error {
			_, _, err := st.AcceptInvitation(context.Background(), f.token)
			return err
		})
		if ok := tally(t, errs); ok != racers {
			t.Errorf("%d of %d opens of the link worked", ok, racers)
		}
		if n := countOf(actions(t, st, f.id), "invitation.accept"); n != 1 {
			t.Errorf("%d accept events, want 1", n)
		}
	})
}

// TestRaceLinksWorkOnce: a link that works once (password reset, account
// set-up, membership acceptance), a recovery code and the current password
// in a password change each work for one of many requests at the same
// moment.
func TestRaceLinksWorkOnce(t *testing.T) {
	pw := "wachtwoord-van-test-1"
	for _, tc := range []struct {
		name string
		// prepare returns the racing call.
		prepare func(t *testing.T, st *models.Store, f *concFile) func(i int) error
		refused []error
	}{
		{"wachtwoord herstellen", func(t *testing.T, st *models.Store, f *concFile) func(int) error {
			ctx := context.Background()
			u, ok, err := st.RequestPasswordReset(ctx, f.emails[0])
			if err != nil || !ok {
				t.Fatalf("reset: %v %v", ok, err)
			}
			rm, err := st.ClaimPasswordReset(ctx, u.ID, u.ResetSeq)
			if err != nil {
				t.Fatal(err)
			}
			return func(i int) error {
				_, err := st.ResetPassword(ctx, rm.Token, fmt.Sprintf("nieuw-wachtwoord-%02d", i))
				return err
			}
		}, []error{models.ErrNotFound, models.ErrGone}},
		{"account instellen", func(t *testing.T, st *models.Store, f *concFile) func(int) error {
			ctx := context.Background()
			u, _, err := st.AddMember(ctx, operator, f.party.ID, "nieuw@t.nl", "Nieuw", models.RoleBestuur, nil)
			if err != nil {
				t.Fatal(err)
			}
			sm, err := st.ClaimSetup(ctx, u.ID, u.SetupSeq)
			if err != nil {
				t.Fatal(err)
			}
			return func(i int) error {
				_, err := st.CompleteSetup(ctx, sm.Token, fmt.Sprintf("nieuw-wachtwoord-%02d", i))
				return err
			}
		}, []error{models.ErrNotFound, models.ErrGone}},
		{"lidmaatschap aanvaarden", func(t *testing.T, st *models.Store, f *concFile) func(int) error {
			ctx := context.Background()
			other, err := st.CreateParty(ctx, operator, "Q")
			if err != nil {
				t.Fatal(err)
			}
			_, m, err := st.AddMember(ctx, operator, other.ID, f.emails[0], "Cor", models.RoleBestuur, nil)
			if err != nil {
				t.Fatal(err)
			}
			mm, err := st.ClaimMembershipInvite(ctx, m.ID, m.InviteSeq)
			if err != nil {
				t.Fatal(err)
			}
			return func(int) error {
				_, _, err := st.AcceptMembership(ctx, mm.Token, nil)
				return err
			}
		}, []error{models.ErrNotFound, models.ErrGone}},
		{"herstelcode", func(t *testing.T, st *models.Store, f *concFile) func(int) error {
			ctx := context.Background()
			u, err := st.UserByEmail(ctx, f.emails[0])
			if err != nil {
				t.Fatal(err)
			}
			secret, _, _, err := st.StartTOTP(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			codes, err := st.ConfirmTOTP(ctx, u.ID, "geen-sessie", secure.TOTPCode(secret, st.Now()))
			if err != nil {
				t.Fatal(err)
			}
			return func(int) error { return st.VerifySecondFactor(ctx, u.ID, codes[0]) }
		}, []error{models.ErrSecondFactor}},
		{"wachtwoord wijzigen", func(t *testing.T, st *models.Store, f *concFile) func(int) error {
			u, err := st.UserByEmail(context.Background(), f.emails[0])
			if err != nil {
				t.Fatal(err)
			}
			return func(i int) error {
				_, err := st.ChangePassword(context.Background(), u.ID, "", pw, fmt.Sprintf("nieuw-wachtwoord-%02d", i))
				return err
			}
		}, []error{errValidation}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
				f := newConcFile(t, st, db, 1)
				call := tc.prepare(t, st, f)
				errs := race(db, 8, call) // each call hashes a password (argon2id): fewer racers
				for i, err := range errs {
					var ve *models.ValidationError
					if errors.As(err, &ve) {
						errs[i] = errValidation
					}
				}
				if ok := tally(t, errs, tc.refused...); ok != 1 {
					t.Errorf("%d of %d uses worked, want 1", ok, len(errs))
				}
			})
		})
	}
}

// errValidation stands for any *models.ValidationError.
var errValidation = errors.New("validation")

// TestRaceMemberResend: resent account links at the same moment each get
// their own number (the worker mails each once).
func TestRaceMemberResend(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newConcFile(t, st, db, 1) // f.emails[0] has an account with a password
		ctx := context.Background()
		other, err := st.CreateParty(ctx, operator, "Q")
		if err != nil {
			t.Fatal(err)
		}
		u, m, err := st.AddMember(ctx, operator, other.ID, f.emails[0], "Cor", models.RoleBestuur, nil)
		if err != nil {
			t.Fatal(err)
		}
		errs := race(db, racers, func(i int) error {
			_, err := st.ResendSetup(ctx, operator, other.ID, u.ID)
			return err
		})
		ok := tally(t, errs)
		if n := count(t, db, "SELECT invite_seq FROM memberships WHERE id = ?", m.ID); n != int64(m.InviteSeq+ok) {
			t.Errorf("acceptance mail number %d after %d resends from %d", n, ok, m.InviteSeq)
		}
	})
}

// TestRaceMemberConfirm: committee members confirming and rejecting one
// proposed member at the same moment: one of them decides.
func TestRaceMemberConfirm(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newConcFile(t, st, db, 4)
		ctx := context.Background()
		ch, err := st.ProposeMember(ctx, f.members[0], f.party.ID, models.NewMember{Email: "nieuw@t.nl", Name: "Nieuw", Role: models.RoleCommissie})
		if err != nil {
			t.Fatal(err)
		}
		errs := race(db, racers, func(i int) error {
			m := f.members[1+i%3]
			if i%2 == 0 {
				_, err := st.ConfirmMember(ctx, m, f.party.ID, ch.UserID)
				return err
			}
			_, err := st.RejectMember(ctx, m, f.party.ID, ch.UserID)
			return err
		})
		if ok := tally(t, errs, models.ErrNoMemberProposal, models.ErrNotFound); ok != 1 {
			t.Errorf("%d confirmations or rejections succeeded, want 1", ok)
		}
	})
}

// TestOneAtATimeIndexes: the schema refuses a second pending proposal, a
// second current profile and a second hearing or reopen link per
// candidate (migration 00013), whatever the Store does.
func TestOneAtATimeIndexes(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newProfiled(t, st, db, 2)
		ctx := context.Background()
		if _, err := st.ProposeDecision(ctx, f.members[0], f.cand(t), models.Proposal{Outcome: "positief", Reasons: "Geen bezwaren."}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		link := func(purpose string) *models.CandidateLink {
			return &models.CandidateLink{ID: fmt.Sprintf("l-%s-%d", purpose, now.UnixNano()), CandidateID: f.id, Purpose: purpose, CreatedAt: now}
		}
		for _, tc := range []struct {
			name string
			row  func() any
			dup  bool
		}{
			{"tweede openstaand voorstel", func() any {
				return &models.Decision{ID: "d2", CandidateID: f.id, Reasons: []byte{1}, Status: models.DecisionProposed, DecidedBy: f.members[1].ID, CreatedAt: now}
			}, true},
			{"afgewezen voorstel ernaast", func() any {
				return &models.Decision{ID: "d3", CandidateID: f.id, Reasons: []byte{1}, Status: models.DecisionRejected, DecidedBy: f.members[1].ID, CreatedAt: now}
			}, false},
			{"tweede huidig profiel", func() any {
				return &models.ProfileRecord{ID: "p2", CandidateID: f.id, InputHash: "x", Body: []byte{1}, IsCurrent: true, CompiledAt: now}
			}, true},
			{"eerdere profielversie ernaast", func() any {
				return &models.ProfileRecord{ID: "p3", CandidateID: f.id, InputHash: "x", Body: []byte{1}, IsCurrent: false, CompiledAt: now}
			}, false},
			{"eerste hoorlink", func() any { return link(models.LinkHearing) }, false},
			{"tweede hoorlink", func() any { return link(models.LinkHearing) }, true},
			{"tweede aangevraagde link", func() any { l := link(models.LinkAccess); l.ID += "b"; return l }, false},
			{"derde aangevraagde link", func() any { return link(models.LinkAccess) }, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				now = now.Add(time.Microsecond)
				err := db.Create(tc.row()).Error
				if got := errors.Is(err, gorm.ErrDuplicatedKey); got != tc.dup {
					t.Fatalf("insert: %v (duplicate refused: %v, want %v)", err, got, tc.dup)
				}
				if !tc.dup && err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

// TestRaceVOGAgeWithVOG: the party's maximum VOG age changed while VOG
// updates run on its files: both take the files before the party row, so
// neither waits for the other in a circle (PostgreSQL would abort one with
// "deadlock detected"), and every change counts in the revision.
func TestRaceVOGAgeWithVOG(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newProfiled(t, st, db, 2)
		start := f.cand(t).Revision
		on := "2026-01-05"
		cs := f.cands(t, racers)
		errs := race(db, racers, func(i int) error {
			if i%2 == 0 {
				_, err := st.UpdateVOGAge(context.Background(), f.board, f.party.ID, 200+i)
				return err
			}
			_, _, err := st.SetVOG(context.Background(), f.members[i%2], cs[i], models.VOGInput{Status: "aangevraagd", RequestedOn: &on})
			return err
		})
		if ok := tally(t, errs); ok != racers {
			t.Errorf("%d of %d changes succeeded", ok, racers)
		}
		if got := f.cand(t).Revision; got != start+racers {
			t.Errorf("revision %d after %d changes from %d", got, racers, start)
		}
	})
}

// TestRaceCompile: the same compile task run many times at once (asynq
// delivers at least once) leaves one current profile and one network,
// without errors.
func TestRaceCompile(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newConcFile(t, st, db, 2)
		f.answered(t)
		c, err := st.Submit(context.Background(), f.cand(t))
		if err != nil {
			t.Fatal(err)
		}
		errs := race(db, racers, func(int) error {
			_, _, err := worker.CompileProfile(context.Background(), st, c.ID, c.Revision)
			return err
		})
		tally(t, errs)
		if n := count(t, db, "SELECT count(*) FROM profiles WHERE candidate_id = ? AND is_current = ?", f.id, true); n != 1 {
			t.Errorf("%d current profiles, want 1", n)
		}
		if n := count(t, db, "SELECT count(*) FROM network_keys WHERE candidate_id = ?", f.id); n == 0 {
			t.Error("no network stored")
		}
		if got := f.cand(t).Status; got != models.StatusProfiled {
			t.Errorf("status %s after the compiles", got)
		}
	})
}

// TestStaleCompileLeavesNetwork: a compile of an older revision that
// finishes after the newer one (a slow or retried task) does not put the
// older answers' organisations back.
func TestStaleCompileLeavesNetwork(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		ctx := context.Background()
		f := newConcFile(t, st, db, 2)
		f.answered(t)
		c, err := st.Submit(ctx, f.cand(t))
		if err != nil {
			t.Fatal(err)
		}
		old, err := st.CompileInput(ctx, c.ID) // the slow task of revision 1
		if err != nil {
			t.Fatal(err)
		}
		// The committee reopens, the candidate answers anew and submits.
		if err := st.Reopen(ctx, f.members[0], f.cand(t), "Werk uw nevenfuncties bij."); err != nil {
			t.Fatal(err)
		}
		raw := map[string]json.RawMessage{}
		for k, v := range sample.Clean() {
			raw[k], _ = json.Marshal(v)
		}
		if _, err := st.SaveAnswers(ctx, f.cand(t), raw); err != nil {
			t.Fatal(err)
		}
		f.profiled(t)
		want, err := st.Network(ctx, f.cand(t))
		if err != nil {
			t.Fatal(err)
		}
		if err := screening.SaveNetwork(ctx, st, old); err != nil {
			t.Fatal(err)
		}
		got, err := st.Network(ctx, f.cand(t))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("network after the stale compile (-newer +got):\n%s", diff)
		}
	})
}
