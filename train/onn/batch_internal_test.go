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
