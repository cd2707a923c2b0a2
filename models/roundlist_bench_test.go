package models_test

import (
	"context"
	"testing"
)

// BenchmarkRoundCandidates: the committee round list's store call on a
// round of 500 candidates (load, open names/levels/decisions).
func BenchmarkRoundCandidates(b *testing.B) {
	st, cs := seedRound(b, 500)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, err := st.Candidates(ctx, cs[0].RoundID, "")
		if err != nil || len(rows) != 500 {
			b.Fatal(len(rows), err)
		}
	}
}
