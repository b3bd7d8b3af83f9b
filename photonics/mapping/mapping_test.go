package mapping

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/meshlight/meshlight/photonics"
)

var topologies = []photonics.Topology{photonics.Reck, photonics.Clements}

func TestDecomposeRoundTrip(t *testing.T) {
	cases := []struct{ out, in, block int }{
		{8, 8, 8}, {10, 24, 8}, {24, 64, 8}, {24, 24, 8}, {8, 9, 8}, {3, 2, 4},
		{10, 24, 0}, {24, 64, 0}, {8, 9, 0}, {9, 8, 0}, {1, 1, 0}, {5, 5, 0},
	}
	for _, top := range topologies {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%v/%dx%d/k=%d", top, tc.out, tc.in, tc.block), func(t *testing.T) {
				l, err := photonics.NewSVDLayer(tc.out, tc.in, tc.block, 3, top)
				if err != nil {
					t.Fatal(err)
				}
				rng := newRand(uint64(tc.out*1000 + tc.in))
				// Entries of size 0.2 keep block singular values below 3.
				w := gaussian(rng, tc.out, tc.in, 0.2)
				ph, sg, err := Decompose(l, w)
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
				if back := mat.NewDense(tc.out, tc.in, got); !mat.EqualApprox(back, w, 1e-10) {
					t.Errorf("W' differs from W by more than 1e-10:\n%v", mat.Formatted(back))
				}
			})
		}
	}
}

func TestBoundError(t *testing.T) {
	for _, block := range []int{0, 8} {
		l, err := photonics.NewSVDLayer(10, 24, block, 3, photonics.Reck)
		if err != nil {
			t.Fatal(err)
		}
		w := gaussian(newRand(7), 10, 24, 3) // singular values far above 3
		_, _, err = Decompose(l, w)
		var be *BoundError
		if !errors.As(err, &be) {
			t.Fatalf("block %d: got %v, want *BoundError", block, err)
		}
		top, _, err := MaxSingular(l, w)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(be.Value-top) > 1e-12*top || be.Bound != 3 {
			t.Errorf("block %d: BoundError value %v bound %v, want %v, 3", block, be.Value, be.Bound, top)
		}
		scaled, s, err := ScaleToBound(l, w)
		if err != nil {
			t.Fatal(err)
		}
		if s >= 1 {
			t.Errorf("scale %v, want < 1", s)
		}
		ph, sg, err := Decompose(l, scaled)
		if err != nil {
			t.Fatalf("block %d: after ScaleToBound: %v", block, err)
		}
		got, _ := l.Weights(ph, sg)
		var want mat.Dense
		want.Scale(s, w)
		if !mat.EqualApprox(mat.NewDense(10, 24, got), &want, 1e-10) {
			t.Errorf("block %d: the scaled round trip differs by more than 1e-10", block)
		}
	}
}

func TestSigmaPhases(t *testing.T) {
	l, _ := photonics.NewSVDLayer(10, 24, 8, 3, photonics.Clements)
	w := gaussian(newRand(3), 10, 24, 0.3)
	ph, _, err := Decompose(l, w)
	if err != nil {
		t.Fatal(err)
	}
	nu := l.U.NumPhases()
	var svd mat.SVD
	for b := 0; b < l.NumBlocks(); b++ {
		sig := ph[b*l.BlockPhases()+nu : b*l.BlockPhases()+nu+l.SigmaLen]
		svd.Factorize(blockMatrix(l, w, b), mat.SVDNone)
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

// TestClampToBound checks the clamp against its definition: each block's singular values
// become min(s, Bound) (the unpadded block's, compared value by value), a block within the
// bound is copied to the bit, w is left as it was, and the result decomposes.
func TestClampToBound(t *testing.T) {
	for _, block := range []int{8, 5, 0} {
		l, err := photonics.NewSVDLayer(13, 20, block, 3, photonics.Clements)
		if err != nil {
			t.Fatal(err)
		}
		w := gaussian(newRand(uint64(block)), 13, 20, 0.8)
		if block > 0 { // shrink block 0 inside the bound, so some blocks need no clamp
			r0, r1, c0, c1 := l.BlockRegion(0)
			small := w.Slice(r0, r1, c0, c1).(*mat.Dense)
			small.Scale(0.01, small)
		}
		before := mat.DenseCopyOf(w)
		got, err := ClampToBound(l, w)
		if err != nil {
			t.Fatal(err)
		}
		if !mat.Equal(w, before) {
			t.Fatalf("block %d: ClampToBound changed its input", block)
		}
		clamped := 0
		var svd mat.SVD
		for b := range l.NumBlocks() {
			r0, r1, c0, c1 := l.BlockRegion(b)
			svd.Factorize(w.Slice(r0, r1, c0, c1), mat.SVDNone)
			want := svd.Values(nil)
			svd.Factorize(got.Slice(r0, r1, c0, c1), mat.SVDNone)
			have := svd.Values(nil)
			if want[0] <= 3 {
				if !mat.Equal(got.Slice(r0, r1, c0, c1), w.Slice(r0, r1, c0, c1)) {
					t.Errorf("block size %d: block %d within the bound (%.3g) was changed", block, b, want[0])
				}
				continue
			}
			clamped++
			for i := range want {
				if d := math.Abs(have[i] - min(want[i], 3)); d > 1e-12 {
					t.Errorf("block size %d: block %d: singular value %d is %v, want min(%v, 3)", block, b, i, have[i], want[i])
				}
			}
		}
		if clamped == 0 || (block > 0 && clamped == l.NumBlocks()) {
			t.Fatalf("block size %d: %d of %d blocks clamped; the test wants some of each", block, clamped, l.NumBlocks())
		}
		if _, _, err := Decompose(l, got); err != nil {
			t.Errorf("block size %d: the clamped weights do not decompose: %v", block, err)
		}
	}
}

func TestErrors(t *testing.T) {
	l, _ := photonics.NewSVDLayer(10, 24, 8, 3, photonics.Reck)
	badW := mat.NewDense(10, 24, nil)
	badW.Set(4, 17, math.Inf(1))
	nanW := mat.NewDense(10, 24, nil)
	nanW.Set(9, 0, math.NaN())
	errOf := func(_, _ any, err error) error { return err }
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"weights shape", errOf(Decompose(l, mat.NewDense(24, 10, nil))), "mapping: svd layer 10x24 block 8: got 24x10 weights, want 10x24"},
		{"weights Inf", errOf(Decompose(l, badW)), "weight (4,17) is +Inf"},
		{"weights NaN", errOf(MaxSingular(l, nanW)), "weight (9,0) is NaN"},
		{"nil weights", errOf(Decompose(l, nil)), "nil weight matrix"},
		{"scale shape", errOf(ScaleToBound(l, mat.NewDense(3, 3, nil))), "got 3x3 weights"},
	}
	for _, tc := range cases {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, tc.err, tc.want)
		}
	}
}

// gaussian returns an r x c matrix of N(0, scale^2) entries.
func gaussian(rng *rand.Rand, r, c int, scale float64) *mat.Dense {
	d := make([]float64, r*c)
	for i := range d {
		d[i] = scale * rng.NormFloat64()
	}
	return mat.NewDense(r, c, d)
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }
