package photonics

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

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

// TestSVDLayerWeightsIsProduct checks Weights against its definition, block by block:
// W = U diag(Bound cos(phi_Sigma)) V* from the meshes' own matrices, each block cut to its
// region of the layer (edge blocks lose their padding rows and columns).
func TestSVDLayerWeightsIsProduct(t *testing.T) {
	for _, top := range topologies {
		for _, tc := range []struct{ out, in, block int }{{10, 24, 8}, {8, 9, 0}, {9, 8, 0}, {3, 2, 4}} {
			l, err := NewSVDLayer(tc.out, tc.in, tc.block, 3, top)
			if err != nil {
				t.Fatal(err)
			}
			rng := newRand(uint64(tc.out*100 + tc.in))
			ph, sg := randomPhases(rng, l.NumPhases()), randomSigns(rng, l.NumSigns())
			got, err := l.Weights(ph, sg)
			if err != nil {
				t.Fatal(err)
			}
			nu, nv := l.U.N, l.V.N
			for b := range l.NumBlocks() {
				p := ph[b*l.BlockPhases() : (b+1)*l.BlockPhases()]
				s := sg[b*(nu+nv) : (b+1)*(nu+nv)]
				ud, _ := l.U.Matrix(p[:l.U.NumPhases()], s[:nu])
				vd, _ := l.V.Matrix(p[l.U.NumPhases()+l.SigmaLen:], s[nu:])
				sigma := mat.NewDense(nu, nv, nil)
				for i, phi := range p[l.U.NumPhases() : l.U.NumPhases()+l.SigmaLen] {
					sigma.Set(i, i, 3*math.Cos(phi))
				}
				var want mat.Dense
				want.Product(mat.NewDense(nu, nu, ud), sigma, mat.NewDense(nv, nv, vd))
				r0, r1, c0, c1 := l.BlockRegion(b)
				for i := r0; i < r1; i++ {
					for j := c0; j < c1; j++ {
						if d := math.Abs(got[i*l.In+j] - want.At(i-r0, j-c0)); d > 1e-13 {
							t.Fatalf("%v %v: block %d entry (%d,%d): Weights %v, U Sigma V* %v", top, l, b, i, j, got[i*l.In+j], want.At(i-r0, j-c0))
						}
					}
				}
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
	errOf := func(_ any, err error) error { return err }
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
	}
	for _, tc := range cases {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, tc.err, tc.want)
		}
	}
}
