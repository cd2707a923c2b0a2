package app_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/models"
)

// TestLoadAndFault: candidates autosave while the worker restarts and
// Redis restarts empty (its queue lost). Afterwards every acknowledged
// answer is stored and every submitted candidate has a profile.
func TestLoadAndFault(t *testing.T) {
	e := apptest.Start(t, apptest.Embedded())
	e.StartWorker()
	p := newParty(t, e, time.Now().Add(30*24*time.Hour))
	const n = 8
	type cand struct {
		id, token string
		submit    bool
		last      atomic.Value // last acknowledged N5 text
		submitted atomic.Bool
	}
	cands := make([]*cand, n)
	for i := range cands {
		email := fmt.Sprintf("k%d@fault.nl", i)
		c := &cand{id: p.invite(t, "K", email), submit: i%2 == 0}
		c.token = e.Must(201, "POST", v1+"/invitations/"+e.InvitationToken(email)+"/accept", "", nil).Map(t)["token"].(string)
		e.Must(200, "POST", v1+"/me/consent", c.token, map[string]int{"privacy_version": 1})
		e.Must(200, "PATCH", v1+"/me/answers", c.token, map[string]any{"answers": sample.Flagged()})
		c.last.Store(sample.Flagged()["N5"].(string))
		cands[i] = c
	}

	var acked, refused atomic.Int64
	start := time.Now()
	deadline := start.Add(4 * time.Second)
	var wg sync.WaitGroup
	for _, c := range cands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				text := fmt.Sprintf("Versie %d van %s", i, c.id[:8])
				r := e.Do("PATCH", v1+"/me/answers", c.token, map[string]any{"answers": map[string]any{"N5": text}})
				switch r.Status {
				case 200:
					c.last.Store(text)
					acked.Add(1)
				default:
					refused.Add(1)
				}
				// Submit while the worker is down: the compile task goes to a
				// Redis that is about to lose it.
				if c.submit && !c.submitted.Load() && time.Since(start) > 1100*time.Millisecond {
					if e.Do("POST", v1+"/me/submit", c.token, nil).Status == 200 {
						c.submitted.Store(true)
					}
				}
			}
		}()
	}
	time.Sleep(time.Second)
	e.Sys.StopWorker() // the worker dies…
	time.Sleep(500 * time.Millisecond)
	if err := e.Sys.RestartEmbeddedRedis(true); err != nil { // …and Redis comes back empty
		t.Fatal(err)
	}
	e.StartWorker()
	wg.Wait()
	t.Logf("%d autosaves acknowledged, %d refused (after submit)", acked.Load(), refused.Load())

	ctx := context.Background()
	for _, c := range cands {
		k, err := e.Sys.Store.Candidate(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		ans, err := e.Sys.Store.Answers(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if ans["N5"] != c.last.Load() {
			t.Errorf("%s: stored N5 %q, last acknowledged %q", c.id, ans["N5"], c.last.Load())
		}
		if !c.submitted.Load() {
			continue
		}
		for end := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			k, err = e.Sys.Store.Candidate(ctx, c.id)
			if err != nil {
				t.Fatal(err)
			}
			if k.Status == models.StatusProfiled {
				break
			}
			if time.Now().After(end) {
				t.Fatalf("%s submitted but never profiled (status %s)", c.id, k.Status)
			}
		}
	}
}
