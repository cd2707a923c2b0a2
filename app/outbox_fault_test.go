package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hibiken/asynq"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/worker"
)

// outboxFixture is a party with a candidate file in some state.
type outboxFixture struct {
	e     *apptest.Env
	p     *party
	cid   string // the candidate (when the case has one)
	ctok  string // the candidate's session
	email string // the candidate's address
}

// submitFile brings the fixture's candidate to submitted.
func submitFile(t *testing.T, f *outboxFixture) {
	t.Helper()
	f.email = "kandidaat@fault.nl"
	f.cid = answeredCandidate(t, f.e, f.p, f.email)
	var err error
	if f.ctok, _, err = f.e.Sys.Store.AcceptInvitation(context.Background(), f.e.InvitationToken(f.email)); err != nil {
		t.Fatal(err)
	}
	f.e.Must(200, "POST", v1+"/me/submit", f.ctok, nil)
}

// outboxEmpty waits until every follow-up task in the outbox has done its
// work: a task's row goes in the transaction that did it (and that wrote
// the tasks following from it), so an empty outbox is the event "nothing
// is left to happen".
func outboxEmpty(t *testing.T, e *apptest.Env) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ts, err := e.Sys.Store.OutboxTasks(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d outbox tasks never finished, e.g. %s", len(ts), ts[0].TaskID)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// followUpsQueued lists the compile and mail tasks on the system's queues.
func followUpsQueued(t *testing.T, e *apptest.Env) []string {
	t.Helper()
	insp := asynq.NewInspector(e.Sys.Redis)
	defer insp.Close()
	var out []string
	for _, q := range []string{e.Cfg.Queue, worker.ProfilesQueue(e.Cfg.Queue)} {
		for _, list := range []func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error){insp.ListPendingTasks, insp.ListActiveTasks, insp.ListScheduledTasks, insp.ListRetryTasks} {
			ts, err := list(q, asynq.PageSize(1000))
			if errors.Is(err, asynq.ErrQueueNotFound) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, ti := range ts {
				if ti.Type == worker.TypeProfileCompile || ti.Type == worker.TypeMailSend {
					out = append(out, ti.ID)
				}
			}
		}
	}
	return out
}

// loseQueue drops every task Redis holds for the system's queues (a Redis
// restarted without its data).
func loseQueue(t *testing.T, e *apptest.Env) {
	t.Helper()
	if e.Cfg.RedisURL == "" {
		if err := e.Sys.RestartEmbeddedRedis(true); err != nil {
			t.Fatal(err)
		}
		return
	}
	insp := asynq.NewInspector(e.Sys.Redis)
	defer insp.Close()
	qs, err := insp.Queues()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{e.Cfg.Queue, worker.ProfilesQueue(e.Cfg.Queue)} {
		if !slices.Contains(qs, q) {
			continue // nothing was ever queued there
		}
		for _, del := range []func(string) (int, error){insp.DeleteAllPendingTasks, insp.DeleteAllScheduledTasks, insp.DeleteAllRetryTasks} {
			if _, err := del(q); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// mailCounts counts the dev outbox per "recipient | subject".
func mailCounts(t *testing.T, e *apptest.Env) map[string]int {
	t.Helper()
	ms, err := e.Sys.Store.OutboxMails(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, m := range ms {
		out[m.ToAddr+" | "+m.Subject]++
	}
	return out
}

// newMails is what after has more than before, each mail named by the
// first key of want it starts with (else by itself).
func newMails(want, before, after map[string]int) map[string]int {
	out := map[string]int{}
	for k, n := range after {
		d := n - before[k]
		if d == 0 {
			continue
		}
		name := k
		for w := range want {
			if strings.HasPrefix(k, w) {
				name = w
			}
		}
		out[name] += d
	}
	return out
}

// TestOutboxFault_KillBetweenCommitAndEnqueue: for every use case with a
// follow-up, the process dies after the commit — before anything was
// queued, or after the relay queued it and Redis then lost its queue — and
// a fresh worker process starts. Every mail goes out exactly once and every
// compile writes exactly one profile version; a restart of that worker
// (every outbox task queued again) changes nothing.
func TestOutboxFault_KillBetweenCommitAndEnqueue(t *testing.T) {
	// A mail is named by its recipient and the start of its subject.
	subj := func(to, subject string) string { return to + " | " + subject }
	cases := []struct {
		name  string
		setup func(t *testing.T, f *outboxFixture) // on the live system
		act   func(t *testing.T, f *outboxFixture) // on the process that dies
		mails func(f *outboxFixture) map[string]int
		// versions is the number of profile versions the candidate has
		// afterwards (0: the case has no candidate).
		versions int
	}{
		{
			name: "invite",
			act: func(t *testing.T, f *outboxFixture) {
				f.email = "nieuw@fault.nl"
				f.cid = f.p.invite(t, "Nieuw", f.email)
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{subj(f.email, "Uitnodiging weerbaarheidsscan"): 1}
			},
		},
		{
			name: "resend",
			setup: func(t *testing.T, f *outboxFixture) {
				f.email = "opnieuw@fault.nl"
				f.cid = f.p.invite(t, "Opnieuw", f.email)
			},
			act: func(t *testing.T, f *outboxFixture) {
				f.e.Must(200, "POST", v1+"/candidates/"+f.cid+"/resend", f.p.board, nil)
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{subj(f.email, "Uitnodiging weerbaarheidsscan"): 1}
			},
		},
		{
			name: "submit: compile, receipt and profile ready",
			setup: func(t *testing.T, f *outboxFixture) {
				f.email = "kandidaat@fault.nl"
				f.cid = answeredCandidate(t, f.e, f.p, f.email)
				var err error
				if f.ctok, _, err = f.e.Sys.Store.AcceptInvitation(context.Background(), f.e.InvitationToken(f.email)); err != nil {
					t.Fatal(err)
				}
			},
			act: func(t *testing.T, f *outboxFixture) { f.e.Must(200, "POST", v1+"/me/submit", f.ctok, nil) },
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{
					subj(f.email, "Uw weerbaarheidsscan is ontvangen"): 1,
					subj("c1@noord.nl", "Profiel klaar: K"):            1,
					subj("c2@noord.nl", "Profiel klaar: K"):            1,
				}
			},
			versions: 1,
		},
		{
			name: "compile: profile ready",
			setup: func(t *testing.T, f *outboxFixture) {
				f.email = "kandidaat@fault.nl"
				f.cid = answeredCandidate(t, f.e, f.p, f.email)
			},
			// The dying process's worker compiled the file; its relay never
			// queued the committee's mails.
			act: func(t *testing.T, f *outboxFixture) {
				ctx := context.Background()
				st := f.e.Sys.Store
				k, err := st.Candidate(ctx, f.cid)
				if err != nil {
					t.Fatal(err)
				}
				if k, err = st.Submit(ctx, k); err != nil {
					t.Fatal(err)
				}
				if _, wrote, err := worker.CompileProfile(ctx, st, k.ID, k.Revision); err != nil || !wrote {
					t.Fatalf("compile: wrote %v, %v", wrote, err)
				}
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{
					subj(f.email, "Uw weerbaarheidsscan is ontvangen"): 1,
					subj("c1@noord.nl", "Profiel klaar: K"):            1,
					subj("c2@noord.nl", "Profiel klaar: K"):            1,
				}
			},
			versions: 1,
		},
		{
			name:  "VOG change: recompile",
			setup: submitFile,
			act: func(t *testing.T, f *outboxFixture) {
				f.e.Must(200, "PUT", v1+"/candidates/"+f.cid+"/vog", f.p.c1, map[string]any{"status": "aangevraagd", "requested_on": time.Now().Format(time.DateOnly)})
			},
			mails:    func(f *outboxFixture) map[string]int { return map[string]int{} },
			versions: 2,
		},
		{
			name:  "hearing: notice",
			setup: submitFile,
			act: func(t *testing.T, f *outboxFixture) {
				var prof struct{ Flags []struct{ Rule string } }
				f.e.Must(200, "GET", v1+"/candidates/"+f.cid+"/profile", f.p.c1, nil).JSON(t, &prof)
				f.e.Must(201, "POST", v1+"/candidates/"+f.cid+"/hearing", f.p.c1, map[string]any{"flags": []string{prof.Flags[0].Rule}, "message": "Graag uw toelichting."})
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{subj(f.email, "Vragen van de selectiecommissie"): 1}
			},
			versions: 1,
		},
		{
			name:  "reopen: notice",
			setup: submitFile,
			act: func(t *testing.T, f *outboxFixture) {
				f.e.Must(200, "POST", v1+"/candidates/"+f.cid+"/reopen", f.p.c1, map[string]string{"message": "Vul vraag N5 aan."})
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{subj(f.email, "Uw weerbaarheidsscan is teruggestuurd"): 1}
			},
			versions: 1,
		},
		{
			name: "decision confirmed: advice to the board",
			setup: func(t *testing.T, f *outboxFixture) {
				submitFile(t, f)
				outboxEmpty(t, f.e) // profiled
				f.e.Must(201, "POST", v1+"/candidates/"+f.cid+"/decision", f.p.c1, map[string]any{"outcome": "positief", "reasons": "Geen bezwaren.", "release_to_board": true})
			},
			act: func(t *testing.T, f *outboxFixture) {
				f.e.Must(200, "POST", v1+"/candidates/"+f.cid+"/decision/confirm", f.p.c2, nil)
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{subj("bestuur@noord.nl", "Advies beschikbaar: K"): 1}
			},
			versions: 1,
		},
		{
			name: "committee member proposed: notices",
			act: func(t *testing.T, f *outboxFixture) {
				f.e.Must(201, "POST", v1+"/parties/"+f.p.pid+"/members", f.p.c1, map[string]any{"email": "derde@noord.nl", "name": "Derde", "role": "commissie"})
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{subj("c1@noord.nl", "Voorstel nieuw lid selectiecommissie"): 1, subj("c2@noord.nl", "Voorstel nieuw lid selectiecommissie"): 1}
			},
		},
		{
			name: "committee member confirmed: set-up mail and notices",
			setup: func(t *testing.T, f *outboxFixture) {
				f.e.Must(201, "POST", v1+"/parties/"+f.p.pid+"/members", f.p.c1, map[string]any{"email": "derde@noord.nl", "name": "Derde", "role": "commissie"})
			},
			act: func(t *testing.T, f *outboxFixture) {
				uid := memberID(t, f, "derde@noord.nl")
				f.e.Must(200, "POST", v1+"/parties/"+f.p.pid+"/members/"+uid+"/confirm", f.p.c2, nil)
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{subj("derde@noord.nl", "Uw account voor Weerbaar"): 1,
					subj("c1@noord.nl", "Nieuw lid selectiecommissie bevestigd"): 1, subj("c2@noord.nl", "Nieuw lid selectiecommissie bevestigd"): 1}
			},
		},
		{
			name: "membership of an existing account: acceptance mail",
			setup: func(t *testing.T, f *outboxFixture) {
				other := f.e.Must(201, "POST", v1+"/parties", f.p.admin, map[string]string{"name": "Partij Zuid"}).Map(t)["id"].(string)
				f.e.Must(201, "POST", v1+"/parties/"+other+"/members", f.p.admin, map[string]any{"email": "elders@zuid.nl", "name": "Els", "role": "bestuur", "password": f.p.pw})
			},
			act: func(t *testing.T, f *outboxFixture) {
				f.e.Must(201, "POST", v1+"/parties/"+f.p.pid+"/members", f.p.board, map[string]any{"email": "elders@zuid.nl", "name": "Els", "role": "bestuur"})
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{subj("elders@zuid.nl", "Uitnodiging voor"): 1}
			},
		},
		{
			name: "password reset: link",
			act: func(t *testing.T, f *outboxFixture) {
				f.e.Must(202, "POST", v1+"/password/reset", "", map[string]string{"email": "c1@noord.nl"})
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{subj("c1@noord.nl", "Nieuw wachtwoord kiezen voor Weerbaar"): 1}
			},
		},
		{
			name: "password change: notice",
			act: func(t *testing.T, f *outboxFixture) {
				f.e.Must(200, "POST", v1+"/me/password", f.p.c1, map[string]string{"current_password": f.p.pw, "new_password": "een-ander-wachtwoord-2"})
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{subj("c1@noord.nl", "Uw wachtwoord voor Weerbaar is gewijzigd"): 1}
			},
		},
		{
			name:  "link request",
			setup: submitFile,
			act: func(t *testing.T, f *outboxFixture) {
				f.e.Must(202, "POST", v1+"/links", "", map[string]string{"email": f.email})
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{subj(f.email, "Nieuwe link voor uw weerbaarheidsscan"): 1}
			},
			versions: 1,
		},
		{
			name:  "references asked: candidate notice",
			setup: submitFile,
			act: func(t *testing.T, f *outboxFixture) {
				f.e.Must(201, "POST", v1+"/candidates/"+f.cid+"/references", f.p.c1, map[string]any{})
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{subj(f.email, "Referenties gevraagd"): 1}
			},
			versions: 1,
		},
		{
			name: "references sent: one request per referent",
			setup: func(t *testing.T, f *outboxFixture) {
				submitFile(t, f)
				f.e.Must(201, "POST", v1+"/candidates/"+f.cid+"/references", f.p.c1, map[string]any{})
				f.e.Must(200, "PUT", v1+"/me/references", f.ctok, map[string]any{"consent": true, "referents": []map[string]string{
					{"name": "Karel Kok", "email": "karel@ref.nl", "relation": "werkgever"},
					{"name": "Sara Smit", "email": "sara@ref.nl", "relation": "voetbalclub"}}})
			},
			act: func(t *testing.T, f *outboxFixture) {
				f.e.Must(200, "POST", v1+"/candidates/"+f.cid+"/references/send", f.p.c1, map[string]any{})
			},
			mails: func(f *outboxFixture) map[string]int {
				return map[string]int{
					subj("karel@ref.nl", "Verzoek om een referentie"): 1,
					subj("sara@ref.nl", "Verzoek om een referentie"):  1,
				}
			},
			versions: 1,
		},
	}
	for _, crash := range []string{"before enqueue", "after enqueue, queue lost"} {
		for _, tc := range cases {
			t.Run(crash+"/"+tc.name, func(t *testing.T) {
				e := apptest.Start(t)
				e.StartWorker()
				f := &outboxFixture{e: e, p: newParty(t, e, time.Now().Add(30*24*time.Hour))}
				if tc.setup != nil {
					tc.setup(t, f)
				}
				outboxEmpty(t, e)
				before := mailCounts(t, e)

				// The process that is about to die.
				e.Sys.StopWorker()
				if crash == "before enqueue" {
					e.Sys.StopRelay()
				}
				tc.act(t, f)
				ts, err := e.Sys.Store.OutboxTasks(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if len(ts) == 0 {
					t.Fatal("the use case committed no follow-up task")
				}
				switch crash {
				case "before enqueue":
					if q := followUpsQueued(t, e); len(q) > 0 {
						t.Fatalf("queued before the relay ran: %v", q)
					}
				default:
					// Wait until the relay queued every task, then lose them.
					for end := time.Now().Add(10 * time.Second); len(followUpsQueued(t, e)) < len(ts); time.Sleep(20 * time.Millisecond) {
						if time.Now().After(end) {
							t.Fatalf("the relay queued %d of %d tasks", len(followUpsQueued(t, e)), len(ts))
						}
					}
					e.Sys.StopRelay()
					loseQueue(t, e)
				}

				// A fresh process takes over.
				fresh := e.Second()
				fresh.StartWorker()
				outboxEmpty(t, fresh)
				check := func(phase string) {
					t.Helper()
					want := tc.mails(f)
					if diff := cmp.Diff(want, newMails(want, before, mailCounts(t, fresh))); diff != "" {
						t.Errorf("%s: new mails (-want +got):\n%s", phase, diff)
					}
					if tc.versions > 0 {
						if n := countVersions(t, fresh, f.cid); n != tc.versions {
							t.Errorf("%s: %d profile versions, want %d", phase, n, tc.versions)
						}
					}
				}
				check("after the crash")

				// The fresh worker restarts: every outbox task is queued again
				// (there are none left) and the duplicates of what ran are
				// queued once more; nothing changes.
				ctx := context.Background()
				fresh.Sys.StopWorker()
				for _, task := range ts {
					if err := requeue(ctx, fresh, task); err != nil {
						t.Fatal(err)
					}
				}
				fresh.StartWorker()
				for end := time.Now().Add(10 * time.Second); len(followUpsQueued(t, fresh)) > 0; time.Sleep(20 * time.Millisecond) {
					if time.Now().After(end) {
						t.Fatalf("tasks never ran: %v", followUpsQueued(t, fresh))
					}
				}
				outboxEmpty(t, fresh)
				check("after the duplicates ran")
			})
		}
	}
}

// requeue queues an outbox task again as the relay would (a duplicate).
func requeue(ctx context.Context, e *apptest.Env, task models.OutboxTask) error {
	switch task.Type {
	case models.TaskCompile:
		var p models.CompilePayload
		if err := json.Unmarshal([]byte(task.Payload), &p); err != nil {
			return err
		}
		return e.Sys.Queue.EnqueueCompile(ctx, p.CandidateID, p.Revision)
	case models.TaskMail:
		var p models.MailPayload
		if err := json.Unmarshal([]byte(task.Payload), &p); err != nil {
			return err
		}
		return e.Sys.Queue.EnqueueMail(ctx, p)
	}
	return fmt.Errorf("unknown task type %q", task.Type)
}

func countVersions(t *testing.T, e *apptest.Env, cid string) int {
	t.Helper()
	n, err := e.Sys.Store.ProfileVersions(context.Background(), cid)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// memberID finds a member's id in the party's list.
func memberID(t *testing.T, f *outboxFixture, email string) string {
	t.Helper()
	var ms []struct{ ID, Email string }
	f.e.Must(200, "GET", v1+"/parties/"+f.p.pid+"/members", f.p.c1, nil).JSON(t, &ms)
	for _, m := range ms {
		if strings.EqualFold(m.Email, email) {
			return m.ID
		}
	}
	t.Fatalf("no member %s", email)
	return ""
}
