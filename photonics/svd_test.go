package photonics

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestSVDLayerRoundTrip(t *testing.T) {
	cases := []struct{ out, in, block int }{
		{8, 8, 8}, {10, 24, 8}, {24, 64, 8}, {24, 24, 8}, {8, 9, 8}, {3, 2, 4},
		{10, 24, 0}, {24, 64, 0}, {8, 9, 0}, {9, 8, 0}, {1, 1, 0}, {5, 5, 0},
	}
	for _, top := range topologies {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%v/%dx%d/k=%d", top, tc.out, tc.in, tc.block), func(t *testing.T) {
				l, err := NewSVDLayer(tc.out, tc.in, tc.block, 3, top)
				if err != nil {
					t.Fatal(err)
				}
				rng := newRand(uint64(tc.out*1000 + tc.in))
				// Entries of size 0.2 keep block singular values below 3.
				w := gaussian(rng, tc.out, tc.in, 0.2)
				ph, sg, err := l.Decompose(w)
				if err != nil {
					t.Fatal(err)
				}
				if len(ph) != l.NumPhases() || len(sg) != l.NumSigns() {
					t.Fatalf("got %d phases, %d signs; want %d, %d", len(ph), len(sg), l.NumPhases(), l.NumSigns())
				}
				got, err := l.Weights(ph, sg)
				if err != nil {
					t.Fatal(err)
				}
				if d := maxDiff(t, got, w); d > 1e-10 {
					t.Errorf("max |W' - W| = %.3g > 1e-10", d)
				}
			})
		}
	}
}

func TestSVDLayerBoundError(t *testing.T) {
	for _, block := range []int{0, 8} {
		l, err := NewSVDLayer(10, 24, block, 3, Reck)
		if err != nil {
			t.Fatal(err)
		}
		w := gaussian(newRand(7), 10, 24, 3) // singular values far above 3
		_, _, err = l.Decompose(w)
		var be *BoundError
		if !errors.As(err, &be) {
			t.Fatalf("block %d: got %v, want *BoundError", block, err)
		}
		top, _, err := l.MaxSingular(w)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(be.Value-top) > 1e-12*top || be.Bound != 3 {
			t.Errorf("block %d: BoundError value %v bound %v, want %v, 3", block, be.Value, be.Bound, top)
		}
		scaled, s, err := l.ScaleToBound(w)
		if err != nil {
			t.Fatal(err)
		}
		if s >= 1 {
			t.Errorf("scale %v, want < 1", s)
		}
		ph, sg, err := l.Decompose(scaled)
		if err != nil {
			t.Fatalf("block %d: after ScaleToBound: %v", block, err)
		}
		got, _ := l.Weights(ph, sg)
		var want mat.Dense
		want.Scale(s, w)
		if d := maxDiff(t, got, &want); d > 1e-10 {
			t.Errorf("block %d: scaled round trip error %.3g", block, d)
		}
	}
}
