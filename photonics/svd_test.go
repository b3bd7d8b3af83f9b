package photonics

import (
	"fmt"
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
		t.Run(shapeName(tc.out, tc.in, tc.block), func(t *testing.T) {
			l, err := NewSVDLayer(tc.out, tc.in, tc.block, 0, Reck)
			if err != nil {
				t.Fatal(err)
			}
			got := []int{l.BlockRows, l.BlockCols, l.NumPhases(), l.NumSigns(), l.U.N, l.V.N, l.SigmaLen, l.BlockPhases()}
			want := []int{tc.rows, tc.cols, tc.phases, tc.signs, tc.uN, tc.vN, tc.sigma, tc.blockPhases}
			if !slices.Equal(got, want) || l.Bound != DefaultBound {
				t.Errorf("block rows, cols, phases, signs, U, V, Sigma, phases per block: got %v bound %v, want %v bound 3", got, l.Bound, want)
			}
		})
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

// shapeName names a layer's row of a table: "24x64 block 8", or "10x24 whole-matrix"
// (block 0: one SVD of the whole matrix, not cut into blocks).
func shapeName(out, in, block int) string {
	if block == 0 {
		return fmt.Sprintf("%dx%d whole-matrix", out, in)
	}
	return fmt.Sprintf("%dx%d block %d", out, in, block)
}

// TestSVDLayerWeightsIsProduct checks Weights against its definition, block by block:
// W = U diag(Bound cos(phi_Sigma)) V* (a block's gain in Bound's place when Gains is set) from the meshes' own matrices, each block cut to its
// region of the layer (edge blocks lose their padding rows and columns).
func TestSVDLayerWeightsIsProduct(t *testing.T) {
	for _, top := range topologies {
		for _, tc := range []struct{ out, in, block int }{{10, 24, 8}, {8, 9, 0}, {9, 8, 0}, {3, 2, 4}} {
			t.Run(fmt.Sprintf("%v/%s", top, shapeName(tc.out, tc.in, tc.block)), func(t *testing.T) {
				l, err := NewSVDLayer(tc.out, tc.in, tc.block, 3, top)
				if err != nil {
					t.Fatal(err)
				}
				rng := newRand(uint64(tc.out*100 + tc.in))
				ph, sg := randomPhases(rng, l.NumPhases()), randomSigns(rng, l.NumSigns())
				gain := func(int) float64 { return 3 }
				if tc.block > 0 { // one gain per block in Bound's place
					for b := range l.NumBlocks() {
						l.Gains = append(l.Gains, 0.5+float64(b))
					}
					gain = func(b int) float64 { return 0.5 + float64(b) }
				}
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
						sigma.Set(i, i, gain(b)*math.Cos(phi))
					}
					var want mat.Dense
					want.Product(mat.NewDense(nu, nu, ud), sigma, mat.NewDense(nv, nv, vd))
					r0, r1, c0, c1 := l.BlockRegion(b)
					for i := r0; i < r1; i++ {
						for j := c0; j < c1; j++ {
							if d := math.Abs(got[i*l.In+j] - want.At(i-r0, j-c0)); d > 1e-13 {
								t.Fatalf("block %d entry (%d,%d): Weights %v, U Sigma V* %v", b, i, j, got[i*l.In+j], want.At(i-r0, j-c0))
							}
						}
					}
				}
			})
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
	errOf2 := func(_, _ any, err error) error { return err }
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
		{"gain count", errOf(withGains(l, 1, 2).Weights(ph, sg)), "photonics: svd layer 10x24 block 8: got 2 gains, want 6 (one per block)"},
		{"gain 0", errOf(withGains(l, 1, 1, 1, 0, 1, 1).Weights(ph, sg)), "block 3: gain 0, want a finite gain > 0"},
		{"gain Inf", errOf(withGains(l, 1, 1, 1, 1, 1, math.Inf(1)).Weights(ph, sg)), "block 5: gain +Inf"},
		{"per-block phase count", errOf2(l.PerBlockSigma(ph[1:])), "per-block Sigma: got 383 phases, want 384"},
		{"per-block gains", errOf2(withGains(l, -1).PerBlockSigma(ph)), "got 1 gains, want 6"},
	}
	for _, tc := range cases {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, tc.err, tc.want)
		}
	}
}

// withGains returns a copy of l with the given per-block gains.
func withGains(l *SVDLayer, gains ...float64) *SVDLayer {
	c := *l
	c.Gains = gains
	return &c
}

// PerBlockSigma keeps the weights and the U and V phases, and gives each block the gain
// and Sigma phases the authors' mapping gives it: the gain is the block's largest
// |Sigma_i|, every Sigma_i / gain is cos of the new phase, and the top one sits at 0
// (pi when it is negative).
func TestPerBlockSigma(t *testing.T) {
	for _, top := range topologies {
		for _, tc := range []struct{ out, in, block int }{{24, 64, 8}, {10, 24, 8}, {9, 8, 0}, {3, 2, 4}} {
			t.Run(fmt.Sprintf("%v/%s", top, shapeName(tc.out, tc.in, tc.block)), func(t *testing.T) {
				l, err := NewSVDLayer(tc.out, tc.in, tc.block, 3, top)
				if err != nil {
					t.Fatal(err)
				}
				rng := newRand(uint64(tc.out*1000 + tc.in))
				// Sigma phases anywhere in [0, 2pi): negative singular values too.
				ph, sg := randomPhases(rng, l.NumPhases()), randomSigns(rng, l.NumSigns())
				before := slices.Clone(ph)
				nl, nph, err := l.PerBlockSigma(ph)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(ph, before) || l.Gains != nil || nl.Bound != l.Bound || nl.U != l.U || nl.V != l.V {
					t.Fatal("PerBlockSigma changed its input or the meshes")
				}
				w0, err := l.Weights(ph, sg)
				if err != nil {
					t.Fatal(err)
				}
				w1, err := nl.Weights(nph, sg)
				if err != nil {
					t.Fatal(err)
				}
				if d := maxDiffSlice(w0, w1); d > 1e-12 {
					t.Errorf("weights moved by %.3g", d)
				}
				bp, pu, ns := l.BlockPhases(), l.U.NumPhases(), l.SigmaLen
				for b := range l.NumBlocks() {
					old, neu := ph[b*bp:(b+1)*bp], nph[b*bp:(b+1)*bp]
					if !slices.Equal(old[:pu], neu[:pu]) || !slices.Equal(old[pu+ns:], neu[pu+ns:]) {
						t.Fatalf("block %d: U or V phases changed", b)
					}
					topK, topV := 0, 0.0
					for i, p := range old[pu : pu+ns] {
						if v := 3 * math.Cos(p); math.Abs(v) > math.Abs(topV) {
							topK, topV = i, v
						}
					}
					if g := nl.Gain(b); math.Abs(g-math.Abs(topV)) > 1e-15 {
						t.Errorf("block %d: gain %v, want the largest |Sigma| %v", b, g, math.Abs(topV))
					}
					want := 0.0
					if topV < 0 {
						want = math.Pi
					}
					if p := neu[pu+topK]; p != want {
						t.Errorf("block %d: the largest Sigma (%.4g) is at phase %v, want %v", b, topV, p, want)
					}
					for i, p := range neu[pu : pu+ns] {
						if !(p >= 0 && p <= math.Pi) || math.Abs(nl.Gain(b)*math.Cos(p)-3*math.Cos(old[pu+i])) > 1e-14 {
							t.Errorf("block %d: Sigma %d at phase %v realises %v, want %v", b, i, p, nl.Gain(b)*math.Cos(p), 3*math.Cos(old[pu+i]))
						}
					}
				}
				// Applied twice it changes nothing more: every gain is already its block's top.
				nl2, nph2, err := nl.PerBlockSigma(nph)
				if err != nil {
					t.Fatal(err)
				}
				if d := maxDiffSlice(nph, nph2); d > 1e-7 || maxDiffSlice(nl.Gains, nl2.Gains) > 1e-15 {
					t.Errorf("a second PerBlockSigma moved phases by %.3g", d)
				}
			})
		}
	}
}
