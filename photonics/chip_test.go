package photonics

import (
	"testing"
)

// mlp builds the layers of an MLP with the given widths, e.g. 64-24-24-10.
func mlp(t testing.TB, widths []int, block int, top Topology) []*SVDLayer {
	t.Helper()
	var ls []*SVDLayer
	for i := 0; i+1 < len(widths); i++ {
		l, err := NewSVDLayer(widths[i+1], widths[i], block, 3, top)
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
	}
	return ls
}

// randomProgram returns random phases and signs for each layer.
func randomProgram(layers []*SVDLayer, seed uint64) (phases, signs [][]float64) {
	rng := newRand(seed)
	for _, l := range layers {
		phases = append(phases, randomPhases(rng, l.NumPhases()))
		signs = append(signs, randomSigns(rng, l.NumSigns()))
	}
	return phases, signs
}

func TestIdealChipWeights(t *testing.T) {
	for _, top := range topologies {
		layers := mlp(t, []int{64, 24, 24, 10}, 8, top)
		ph, sg := randomProgram(layers, 1)
		c, err := Deploy(layers, ph, sg, ChipConfig{Alpha: 0.15, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		for li, l := range layers {
			want, err := l.Weights(ph[li], sg[li])
			if err != nil {
				t.Fatal(err)
			}
			got := c.LayerWeights(li)
			if d := maxDiffSlice(got, want.RawMatrix().Data); d != 0 {
				t.Errorf("%v layer %d: ideal chip differs from Weights by %.3g", top, li, d)
			}
		}
	}
}

func TestLocalUpdateEqualsRebuild(t *testing.T) {
	layers := mlp(t, []int{64, 24, 24, 10}, 8, Clements)
	ph, sg := randomProgram(layers, 2)
	cfg := ChipConfig{Alpha: 0.15, Noise: DefaultNoise(), Seed: 11}
	c, err := Deploy(layers, ph, sg, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rng := newRand(5)
	act := c.Active()
	for step := 0; step < 2000; step++ {
		i := act[rng.IntN(len(act))]
		if err := c.SetPhase(i, c.Phase(i)+0.5*rng.NormFloat64()); err != nil {
			t.Fatal(err)
		}
		if step%97 == 0 {
			c.LayerWeights(rng.IntN(len(layers)))
		}
	}
	// A fresh chip from the current programme.
	all := c.Phases()
	var cur [][]float64
	for li := range layers {
		cur = append(cur, all[c.Layout().LayerOffset(li):c.Layout().LayerOffset(li+1)])
	}
	fresh, err := Deploy(layers, cur, sg, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < c.NumPhases(); i++ {
		if c.Effective(i) != fresh.Effective(i) {
			t.Fatalf("device %d: effective %v after updates, %v rebuilt", i, c.Effective(i), fresh.Effective(i))
		}
	}
	for li := range layers {
		if d := maxDiffSlice(c.LayerWeights(li), fresh.LayerWeights(li)); d > 1e-12 {
			t.Errorf("layer %d: local update differs from rebuild by %.3g", li, d)
		}
	}
}
