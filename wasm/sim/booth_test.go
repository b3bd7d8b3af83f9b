package sim

import (
	"testing"
)

// BoothPlateau on synthetic curves: validation accuracy recorded every 500 queries, the
// kept state moving to each record that beats every earlier one (as train keeps it). A run
// that keeps improving is not cut before the cap, one that plateaus is cut as long after
// its kept state as that state took (not before the minimum), and the caps hold.
func TestBoothPlateau(t *testing.T) {
	p := BoothPlateau
	if p.Factor != 1 || p.Min != 10_000 || p.Max != 60_000 {
		t.Fatalf("BoothPlateau %+v: the rows below are written for 1, 10k, 60k", p)
	}
	peak := func(at int64) func(int64) float64 { // rises to its best at at, then slides
		return func(q int64) float64 {
			if q <= at {
				return 90 + 5*float64(q)/float64(at)
			}
			return 95 - float64(q-at)/1e4
		}
	}
	cases := []struct {
		name  string
		valid func(q int64) float64
		kept  bool  // the run holds out a validation split
		cut   int64 // the first record at which the rule ends the run
	}{
		{"keeps improving: only the cap", func(q int64) float64 { return 90 + float64(q)/1e5 }, true, 60_000},
		{"improves by ever smaller steps: only the cap", func(q int64) float64 { return 95 - 5e3/float64(q+1000) }, true, 60_000},
		{"peaks at 15k then slides: cut at 30k", peak(15_000), true, 30_000},
		{"peaks at 2.5k then slides: not before the minimum", peak(2_500), true, 10_000},
		{"never beats its deployment: at the minimum", func(q int64) float64 { return 90 - float64(q)/1e4 }, true, 10_000},
		{"peaks at 40k: the cap", peak(40_000), true, 60_000},
		{"a new best restarts the stretch: 8k, then 14k, cut at 28k", func(q int64) float64 {
			switch {
			case q >= 14_000:
				return 94 - float64(q-14_000)/1e5
			case q >= 8_000:
				return 93
			}
			return 90
		}, true, 28_000},
		{"a tie is no better state: kept at 6k, cut at 12k", func(q int64) float64 {
			return 90 + 4*float64(min(q, 6_000))/6_000
		}, true, 12_000},
		{"no validation split: only the cap", func(q int64) float64 { return 90 }, false, 60_000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kept, best := int64(-1), 0.0
			for q := int64(0); q <= 2*p.Max; q += 500 {
				if v := tc.valid(q); tc.kept && (kept < 0 || v > best) {
					kept, best = q, v
				}
				if p.Reached(q, kept) {
					if q != tc.cut {
						t.Errorf("cut at %d queries (kept at %d), want %d", q, kept, tc.cut)
					}
					return
				}
			}
			t.Errorf("never cut, want %d", tc.cut)
		})
	}
}

// Stats.Plateaued is the rule on a run's figures, as the page judges its racers: a run not
// yet deployed has not plateaued, a done one has.
func TestStatsPlateaued(t *testing.T) {
	p := Plateau{Factor: 2, Min: 1000, Max: 5000}
	for _, tc := range []struct {
		name string
		st   Stats
		want bool
	}{
		{"not deployed", Stats{Queries: 9000, KeptQueries: 10}, false},
		{"improving", Stats{Ready: true, Queries: 2000, KeptQueries: 1500}, false},
		{"plateaued", Stats{Ready: true, Queries: 4500, KeptQueries: 1500}, true},
		{"under the minimum", Stats{Ready: true, Queries: 900, KeptQueries: 0}, false},
		{"at the cap", Stats{Ready: true, Queries: 5000, KeptQueries: 4900}, true},
		{"keeps none", Stats{Ready: true, Queries: 4900, KeptQueries: -1}, false},
		{"done", Stats{Ready: true, Done: true, Queries: 10, KeptQueries: 10}, true},
	} {
		if got := tc.st.Plateaued(p); got != tc.want {
			t.Errorf("%s: %+v plateaued %v, want %v", tc.name, tc.st, got, tc.want)
		}
	}
}
