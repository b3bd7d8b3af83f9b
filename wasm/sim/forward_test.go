package sim

import (
	"slices"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/onn"
)

// LayerInput is what the engine sends into each layer for the loaded sample: the sample
// itself, the previous layer's clipped output (the engine's activations, checked against
// plain loops in package onn), or for a convolution the brightest of the layer's patches;
// its last "layer" is the logits.
func TestLayerInput(t *testing.T) {
	for _, c := range []struct {
		arch     string
		channels int
		block    int
		shape    [3]int
	}{
		{"8-16-16-4", 1, 0, [3]int{8, 1, 1}},
		{"8-12-4", 1, 4, [3]int{8, 1, 1}},
		{"7x7-c3s2-c2s1-5", 2, 0, [3]int{2, 7, 7}},
	} {
		m := randomModel(t, "t", "blobs", c.arch, c.channels, c.block, 4)
		set := blobs("blobs", c.shape, 4, 6, 2)
		net, err := onn.Deploy(m, photonics.ChipConfig{Alpha: 0.3, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise()}, Truncate: photonics.DefaultTruncate, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		b, err := net.NewBatch(2)
		if err != nil {
			t.Fatal(err)
		}
		specs := net.Specs()
		for i := 0; i+1 < set.Len(); i++ {
			if err := b.Load(set, []int{i, i + 1}); err != nil { // LayerInput shows the first
				t.Fatal(err)
			}
			logits := b.Forward()
			got, err := LayerInput(b, len(specs))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, logits[:len(got)]) || len(got) != len(logits)/2 {
				t.Fatalf("%s sample %d: logits %v, engine %v", c.arch, i, got, logits)
			}
			for l, s := range specs {
				in, err := LayerInput(b, l)
				if err != nil {
					t.Fatal(err)
				}
				if len(in) != s.In {
					t.Fatalf("%s layer %d: light input has %d values, want In = %d", c.arch, l, len(in), s.In)
				}
				prev := b.Input(l)[:s.InShape().Size()] // the first sample's
				if s.Kind != model.Conv {
					if !slices.Equal(in, prev) {
						t.Errorf("%s layer %d: light input %v, engine %v", c.arch, l, in, prev)
					}
					continue
				}
				if l == 0 {
					x := set.Sample(i)
					for k := range x {
						if prev[k] != float64(x[k]) {
							t.Fatalf("%s: layer 0 input is not the sample", c.arch)
						}
					}
				}
				cv, patch, brightest := s.Conv, make([]float64, s.In), 0.0
				found := false
				for pos := range cv.OutHeight() * cv.OutWidth() {
					cv.Patch(patch, prev, pos/cv.OutWidth(), pos%cv.OutWidth())
					brightest = max(brightest, energy(patch))
					found = found || slices.Equal(patch, in)
				}
				if !found || energy(in) != brightest {
					t.Errorf("%s layer %d: light input is not the brightest patch (found %v, energy %g of %g)", c.arch, l, found, energy(in), brightest)
				}
			}
		}
	}
}

// A layer out of range, or a batch with no sample, is an error.
func TestLayerInputErrors(t *testing.T) {
	m := randomModel(t, "t", "blobs", "8-12-4", 1, 4, 4)
	net, err := onn.Deploy(m, photonics.ChipConfig{Alpha: 0.3, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	b, err := net.NewBatch(1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LayerInput(b, 0); err == nil || !strings.Contains(err.Error(), "no sample") {
		t.Errorf("empty batch: %v, want an error naming it", err)
	}
	for _, l := range []int{-1, 3} {
		if _, err := LayerInput(b, l); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("layer %d: %v, want out of range", l, err)
		}
	}
}
