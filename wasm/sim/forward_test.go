package sim

import (
	"math"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/onn"
)

// LayerInput's logits equal the training engine's forward pass on the same noisy chip, for
// MLPs and a CNN, and every layer's light input has the layer's In values.
func TestLayerInputMatchesEngine(t *testing.T) {
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
		net, err := onn.Deploy(m, photonics.ChipConfig{Alpha: 0.3, Noise: photonics.DefaultNoise(), Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		b, err := net.NewBatch(1)
		if err != nil {
			t.Fatal(err)
		}
		specs := net.Specs()
		for i := 0; i < set.Len(); i++ {
			if err := b.Load(set, []int{i}); err != nil {
				t.Fatal(err)
			}
			want := b.Forward()
			x := make([]float64, set.Features())
			for k, v := range set.Sample(i) {
				x[k] = float64(v)
			}
			got, err := LayerInput(specs, m.Activation.Clip, net.Chip().LayerWeights, x, len(specs))
			if err != nil {
				t.Fatal(err)
			}
			for k := range want {
				if math.Abs(got[k]-want[k]) > 1e-9 {
					t.Fatalf("%s sample %d: logit %d = %g, engine %g", c.arch, i, k, got[k], want[k])
				}
			}
			for l, s := range specs {
				in, err := LayerInput(specs, m.Activation.Clip, net.Chip().LayerWeights, x, l)
				if err != nil {
					t.Fatal(err)
				}
				if len(in) != s.In {
					t.Errorf("%s layer %d: light input has %d values, want In = %d", c.arch, l, len(in), s.In)
				}
			}
		}
	}
	if _, err := LayerInput(nil, 4, nil, nil, 1); err == nil {
		t.Error("layer out of range must be an error")
	}
}
