package main

import (
	"math"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/train"
)

// curveOf is a curve of test accuracies at the given queries.
func curveOf(queries []int64, acc []float64) []train.Record {
	c := make([]train.Record, len(queries))
	for i := range c {
		c[i] = train.Record{Queries: queries[i], Accuracy: acc[i]}
	}
	return c
}

// The protocols of a group: the best seen up to a budget is each run's own best among its
// records up to it, averaged over runs; kept and final are the runs' summaries'.
func TestProtocols(t *testing.T) {
	q := []int64{0, 10_000, 20_000, 50_000, 60_000, 200_000}
	g := &group{
		curves: [][]train.Record{
			curveOf(q, []float64{90, 94, 93, 95, 92, 91}),
			curveOf(q, []float64{89, 92, 96, 93, 97, 90}),
		},
		runs: []result{
			{Summary: train.Summary{Outcome: train.Outcome{FinalAcc: 91, BestAcc: 95, KeptAcc: 94}}},
			{Summary: train.Summary{Outcome: train.Outcome{FinalAcc: 90, BestAcc: 97, KeptAcc: 96}}},
		},
	}
	for _, tc := range []struct {
		name string
		q    float64
		want float64
	}{
		{"deployed only", 0, 89.5},
		{"up to 20k", 20_000, (94 + 96) / 2.0},
		{"up to 60k", 60_000, (95 + 97) / 2.0},
		{"between records", 55_000, (95 + 96) / 2.0},
		{"whole budget", 1e9, (95 + 97) / 2.0},
	} {
		if got := g.bestUpTo(tc.q); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: best up to %.0f queries %v, want %v", tc.name, tc.q, got, tc.want)
		}
	}
	if got, want := g.protocols(), "95.00 / 96.00 / 96.00 · 95.00 · 90.50"; got != want {
		t.Errorf("protocols %q, want %q", got, want)
	}
	var none *group
	if none.protocols() != "" || !strings.Contains(g.protocols(), "·") {
		t.Error("a claim without a main group shows protocols")
	}
}
