package photonics

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
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

func TestSVDLayerShapes(t *testing.T) {
	cases := []struct {
		out, in, block             int
		rows, cols, phases, signs  int
		uN, vN, sigma, blockPhases int
	}{
		{24, 64, 8, 3, 8, 24 * 64, 24 * 16, 8, 8, 8, 64},
		{24, 24, 8, 3, 3, 9 * 64, 9 * 16, 8, 8, 8, 64},
		{10, 24, 8, 2, 3, 6 * 64, 6 * 16, 8, 8, 8, 64},
		{10, 24, 0, 1, 1, 45 + 10 + 276, 34, 10, 24, 10, 45 + 10 + 276},
		{9, 8, 0, 1, 1, 36 + 8 + 28, 17, 9, 8, 8, 36 + 8 + 28},
		{3, 2, 4, 1, 1, 6 + 4 + 6, 8, 4, 4, 4, 16},
	}
	for _, tc := range cases {
		l, err := NewSVDLayer(tc.out, tc.in, tc.block, 0, Reck)
		if err != nil {
			t.Fatal(err)
		}
		got := []int{l.BlockRows, l.BlockCols, l.NumPhases(), l.NumSigns(), l.U.N, l.V.N, l.SigmaLen, l.BlockPhases()}
		want := []int{tc.rows, tc.cols, tc.phases, tc.signs, tc.uN, tc.vN, tc.sigma, tc.blockPhases}
		if !slices.Equal(got, want) || l.Bound != DefaultBound {
			t.Errorf("%v: got %v bound %v, want %v bound 3", l, got, l.Bound, want)
		}
	}
	// The 64-24-24-10 block-8 network: 39 blocks of 64 phases.
	total := 0
	for _, l := range mlp(t, []int{64, 24, 24, 10}, 8, Reck) {
		total += l.NumPhases()
	}
	if total != 2496 {
		t.Errorf("64-24-24-10 block 8: %d phases, want 2496", total)
	}
}

func TestSVDLayerSigmaPhases(t *testing.T) {
	l, _ := NewSVDLayer(10, 24, 8, 3, Clements)
	w := gaussian(newRand(3), 10, 24, 0.3)
	ph, _, err := l.Decompose(w)
	if err != nil {
		t.Fatal(err)
	}
	nu := l.U.NumPhases()
	var svd mat.SVD
	for b := 0; b < l.NumBlocks(); b++ {
		sig := ph[b*l.BlockPhases()+nu : b*l.BlockPhases()+nu+l.SigmaLen]
		svd.Factorize(l.blockMatrix(w, b), mat.SVDNone)
		vals := svd.Values(nil)
		for i, p := range sig {
			if p < 0 || p > math.Pi/2 {
				t.Errorf("block %d: Sigma phase %d = %v outside [0, pi/2]", b, i, p)
			}
			if d := math.Abs(3*math.Cos(p) - vals[i]); d > 1e-12 {
				t.Errorf("block %d: 3 cos(phi_%d) = %v, singular value %v", b, i, 3*math.Cos(p), vals[i])
			}
		}
	}
}

func TestSVDLayerErrors(t *testing.T) {
	l, _ := NewSVDLayer(10, 24, 8, 3, Reck)
	ph := make([]float64, l.NumPhases())
	sg := make([]float64, l.NumSigns())
	for i := range sg {
		sg[i] = 1
	}
	nan := slices.Clone(ph)
	nan[2*64+28+8+3] = math.NaN() // block 2, V phase 3
	badW := mat.NewDense(10, 24, nil)
	badW.Set(4, 17, math.Inf(1))
	errOf := func(_ any, err error) error { return err }
	errOf3 := func(_, _ any, err error) error { return err }
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"shape", errOf(NewSVDLayer(0, 3, 8, 3, Reck)), "photonics: svd layer 0x3 block 8: shape must be at least 1x1"},
		{"block", errOf(NewSVDLayer(3, 3, -1, 3, Reck)), "negative block size"},
		{"bound", errOf(NewSVDLayer(3, 3, 2, -3, Reck)), "bound -3, want a finite bound > 0"},
		{"bound NaN", errOf(NewSVDLayer(3, 3, 2, math.NaN(), Reck)), "bound NaN"},
		{"topology", errOf(NewSVDLayer(3, 3, 2, 3, Topology(9))), "svd layer 3x3 block 2: U: photonics: mesh: unknown topology 9"},
		{"phase count", errOf(l.Weights(ph[:10], sg)), "photonics: svd layer 10x24 block 8: got 10 phases, want 384"},
		{"sign count", errOf(l.Weights(ph, sg[1:])), "got 95 signs, want 96"},
		{"NaN phase", errOf(l.Weights(nan, sg)), "photonics: svd layer 10x24 block 8: block 2: V phase 3 is NaN"},
		{"weights shape", errOf3(l.Decompose(mat.NewDense(24, 10, nil))), "got 24x10 weights, want 10x24"},
		{"weights Inf", errOf3(l.Decompose(badW)), "weight (4,17) is +Inf"},
		{"nil weights", errOf3(l.Decompose(nil)), "nil weight matrix"},
		{"scale shape", errOf3(l.ScaleToBound(mat.NewDense(3, 3, nil))), "got 3x3 weights"},
	}
	for _, tc := range cases {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, tc.err, tc.want)
		}
	}
}
