package onn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

// localNet deploys a random-phase 24-16-16-4 MLP in blocks of 8 on a chip with drift and
// crosstalk (layer 0: two block rows of three blocks) and loads a batch of 4.
func localNet(t *testing.T) (*Network, *Batch) {
	t.Helper()
	sizes := []int{24, 16, 16, 4}
	rng := rand.New(rand.NewPCG(1, 2))
	var layers []*photonics.SVDLayer
	var phases, signs [][]float64
	var specs []model.Spec
	for l := range len(sizes) - 1 {
		sl, err := photonics.NewSVDLayer(sizes[l+1], sizes[l], 8, 3, photonics.Reck)
		if err != nil {
			t.Fatal(err)
		}
		ph, sg := make([]float64, sl.NumPhases()), make([]float64, sl.NumSigns())
		for i := range ph {
			ph[i] = 2 * math.Pi * rng.Float64()
		}
		for i := range sg {
			sg[i] = float64(1 - 2*rng.IntN(2))
		}
		layers, phases, signs = append(layers, sl), append(phases, ph), append(signs, sg)
		specs = append(specs, model.Spec{Kind: model.Dense, Out: sizes[l+1], In: sizes[l]})
	}
	chip, err := photonics.Deploy(layers, phases, signs, photonics.ChipConfig{Alpha: 1, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise()}, Truncate: photonics.DefaultTruncate, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	net, err := New(chip, model.Shape{Channels: 24, Height: 1, Width: 1}, specs, 4)
	if err != nil {
		t.Fatal(err)
	}
	set := &dataset.Set{Name: "u", Shape: [3]int{24, 1, 1}, Classes: 4, X: make([]float32, 4*24), Y: []uint8{0, 1, 2, 3}}
	for i := range set.X {
		set.X[i] = rng.Float32()
	}
	b, err := net.NewBatch(4)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Load(set, []int{0, 1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	return net, b
}

// A delta query recomputes only what a change reaches: after a phase change in block
// (0, 1) of layer 0, the leaves of layer 0's other block row and the leaves of layer 1's
// block columns fed by it are left as they were (here: poisoned, and still poisoned),
// while the changed block's leaves are recomputed.
func TestDeltaQueryIsLocal(t *testing.T) {
	net, b := localNet(t)
	chip := net.Chip()
	i := chip.Layout().LayerOffset(0) + 1*chip.Layers()[0].BlockPhases() // block 1: row 0, column 1
	b.Loss()                                                             // a full pass of new samples
	if err := net.SetPhase(i, chip.Phase(i)+0.3); err != nil {           // then a first delta query keeps the trees
		t.Fatal(err)
	}
	b.Loss()
	if !b.keep {
		t.Fatal("the batch keeps no sum trees after a delta query")
	}

	l0, l1 := &b.layers[0], &b.layers[1]
	first0, first1 := len(net.geom[0].cols)-1, len(net.geom[1].cols)-1
	// Element r*Out + o of node j of layer l's trees is tree[j*plane + r*Out + o].
	leaf0 := func(bc, r, o int) *float64 { return &l0.tree[(first0+bc)*l0.plane+r*16+o] }
	leaf1 := func(bc, r, o int) *float64 { return &l1.tree[(first1+bc)*l1.plane+r*16+o] }
	poison := math.NaN()
	*leaf0(2, 3, 9) = poison // layer 0, block row 1 (outputs 8..15), block column 2
	*leaf1(1, 2, 5) = poison // layer 1, block column 1: fed by layer 0's outputs 8..15
	*leaf0(1, 0, 2) = poison // the changed block itself

	if err := net.SetPhase(i, chip.Phase(i)-0.6); err != nil {
		t.Fatal(err)
	}
	b.Loss()
	if !math.IsNaN(*leaf0(2, 3, 9)) || !math.IsNaN(*leaf1(1, 2, 5)) {
		t.Errorf("a delta query recomputed leaves the change does not reach")
	}
	if math.IsNaN(*leaf0(1, 0, 2)) {
		t.Errorf("a delta query left the changed block's leaf as it was")
	}
}

// leaves skips zero inputs yet gives every partial product of a plain loop (the products
// summed in column order from the first) bit for bit, signs of zeros included: on inputs
// with zeros of both signs, weights of both signs and zeros, sums that cancel to zero
// exactly and products that underflow, in block columns of every width up to and past
// the widest it sparsifies, for all rows or some.
func TestLeavesSkipZerosExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	negZero := math.Copysign(0, -1)
	pick := func(vals []float64) float64 {
		if rng.IntN(3) == 0 {
			return vals[rng.IntN(len(vals))]
		}
		return rng.NormFloat64()
	}
	for _, tc := range []struct {
		name        string
		out, k      int
		rs, cs      span
		rows        int
		cancel      bool // inputs and weights chosen so that some sums are exactly zero
		tiny, signs bool // underflowing products; all-negative weight rows
	}{
		{"8 wide, all rows", 12, 24, span{0, 12}, span{8, 16}, 40, false, false, false},
		{"8 wide, some rows", 12, 24, span{3, 9}, span{16, 24}, 40, false, false, true},
		{"8 wide, cancelling", 5, 16, span{0, 5}, span{0, 8}, 200, true, false, false},
		{"8 wide, underflow", 6, 8, span{0, 6}, span{0, 8}, 100, false, true, false},
		{"edge block 3 wide", 7, 19, span{0, 7}, span{16, 19}, 60, true, false, true},
		{"1 wide", 4, 9, span{1, 4}, span{8, 9}, 60, false, false, true},
		{"16 wide", 6, 16, span{0, 6}, span{0, 16}, 60, true, true, true},
		{"whole matrix 20 wide", 6, 20, span{0, 6}, span{0, 20}, 30, true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := make([]float64, tc.out*tc.k)
			x := make([]float64, tc.rows*tc.k)
			for i := range w {
				w[i] = pick([]float64{0, negZero, 1, -1, 0.5, -0.5})
				if tc.tiny && rng.IntN(4) == 0 {
					w[i] = math.Copysign(1e-200, w[i])
				}
			}
			if tc.signs {
				for c := tc.cs.a; c < tc.cs.b; c++ { // one row of negative weights
					w[tc.rs.a*tc.k+c] = -math.Abs(w[tc.rs.a*tc.k+c]) - 1
				}
			}
			for i := range x { // mostly zeros, as in images and ReLU outputs
				x[i] = pick([]float64{0, 0, 0, negZero, negZero, 1, -1, 2})
				if rng.IntN(3) > 0 {
					x[i] = []float64{0, 0, negZero}[rng.IntN(3)]
				}
				if tc.tiny && rng.IntN(4) == 0 {
					x[i] = math.Copysign(1e-200, x[i])
				}
			}
			if tc.cancel { // weights +-1 and inputs in equal pairs: many sums are 0 or -0
				for i := range w {
					w[i] = float64(1 - 2*rng.IntN(2))
				}
				for i := range x {
					x[i] = []float64{0, negZero, 1, 1, 2}[rng.IntN(5)]
				}
			}
			plane := make([]float64, tc.rows*tc.out)
			for i := range plane {
				plane[i] = math.NaN() // every element leaves writes must be written
			}
			leaves(plane, w, x, tc.k, tc.out, tc.rs, tc.cs, testSigns(w, tc.k, tc.out, tc.cs))
			zeros := 0
			for r := range tc.rows {
				for o := tc.rs.a; o < tc.rs.b; o++ {
					want := w[o*tc.k+tc.cs.a] * x[r*tc.k+tc.cs.a]
					for c := tc.cs.a + 1; c < tc.cs.b; c++ {
						want += w[o*tc.k+c] * x[r*tc.k+c]
					}
					got := plane[r*tc.out+o]
					if math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("row %d output %d: leaves gives %v (bits %#x), the plain sum %v (bits %#x); inputs %v, weights %v",
							r, o, got, math.Float64bits(got), want, math.Float64bits(want),
							x[r*tc.k+tc.cs.a:r*tc.k+tc.cs.b], w[o*tc.k+tc.cs.a:o*tc.k+tc.cs.b])
					}
					if want == 0 {
						zeros++
					}
				}
			}
			if zeros == 0 {
				t.Errorf("no leaf was zero: the case does not test the signs of zero sums")
			}
		})
	}
}

// testSigns is the table of all-negative weight rows of one block column (columns cs of
// the out x k matrix w), as leaves takes it.
func testSigns(w []float64, k, out int, cs span) colSigns {
	neg := make([]bool, out)
	allNegative(neg, w, k, 1, 0, span{0, out}, cs)
	return colSigns{neg, 1, 0}
}

// The table of all-negative weight rows that gives all-zero leaves their sign follows
// the chip: after queries between random phase changes, every entry is what the layer's
// current weights give.
func TestSignTableFollowsPhases(t *testing.T) {
	net, b := localNet(t)
	rng := rand.New(rand.NewPCG(5, 6))
	chip := net.Chip()
	act := chip.Active()
	for step := range 60 {
		for range 1 + rng.IntN(5) {
			i := act[rng.IntN(len(act))]
			if err := net.SetPhase(i, chip.Phase(i)+rng.NormFloat64()); err != nil {
				t.Fatal(err)
			}
		}
		b.Loss()
		for l := range net.specs {
			g := &net.geom[l]
			w := chip.LayerWeights(l)
			want := make([]bool, g.out*len(g.cols))
			for bc, cs := range g.cols {
				allNegative(want, w, g.in, len(g.cols), bc, span{0, g.out}, cs)
			}
			for e, v := range want {
				if net.neg[l][e] != v {
					t.Fatalf("step %d: layer %d: output %d, block column %d: table says all negative %v, the weights %v",
						step, l, e/len(g.cols), e%len(g.cols), net.neg[l][e], v)
				}
			}
		}
	}
}
