package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/network"
)

// seedRound makes a round of n candidates whose networks draw 3–10
// organisations from a pool of 800, stored through SaveNetwork.
func seedRound(b *testing.B, n int) (*models.Store, []*models.Candidate) {
	b.Helper()
	st, _, _ := newStore(b)
	ctx := context.Background()
	p, err := st.CreateParty(ctx, actor, "P")
	if err != nil {
		b.Fatal(err)
	}
	r, err := st.CreateRound(ctx, actor, p.ID, models.NewRound{Name: "R", Office: "raadslid", Deadline: time.Now().Add(30 * 24 * time.Hour), QuestionnaireID: "weerbaarheidsscan"})
	if err != nil {
		b.Fatal(err)
	}
	forms := []string{"Stichting ", "", "Vereniging ", "", " B.V.", " (stichting)"}
	rng := rand.New(rand.NewPCG(1, 2))
	var cs []*models.Candidate
	for i := 0; i < n; i++ {
		c, err := st.Invite(ctx, actor, r, fmt.Sprintf("Kandidaat %d", i), fmt.Sprintf("k%d@bench.nl", i))
		if err != nil {
			b.Fatal(err)
		}
		var orgs []network.Org
		for j := 0; j < 3+rng.IntN(8); j++ {
			o := rng.IntN(800)
			name := fmt.Sprintf("%sOrganisatie %d", forms[o%len(forms)], o)
			orgs = append(orgs, network.Org{Key: network.Normalize(name, ""), Name: name, Roles: []string{"lid"}, Board: o%7 == 0})
		}
		if err := st.SaveNetwork(ctx, c, orgs); err != nil {
			b.Fatal(err)
		}
		cs = append(cs, c)
	}
	// Overlaps only consider submitted files.
	if err := st.ForceStatusForBench(ctx, r.ID, models.StatusProfiled); err != nil {
		b.Fatal(err)
	}
	for _, c := range cs {
		c.Status = models.StatusProfiled
	}
	return st, cs
}

// BenchmarkOverlapsOne: the overlaps of one profile in a round of 500
// candidates, through the keyed-hash index (goal ≤ 50 ms).
func BenchmarkOverlapsOne(b *testing.B) {
	st, cs := seedRound(b, 500)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := st.Overlaps(ctx, cs[i%len(cs)], ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOverlapsRound: every profile's overlaps in the round, from one
// load of the round's networks (goal ≤ 1 s).
func BenchmarkOverlapsRound(b *testing.B) {
	st, cs := seedRound(b, 500)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		ov, err := st.RoundOverlaps(ctx, cs[0].RoundID)
		if err != nil || len(ov) != len(cs) {
			b.Fatalf("%d rows: %v", len(ov), err)
		}
	}
}
