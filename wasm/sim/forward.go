package sim

import (
	"fmt"
	"math"

	"github.com/meshlight/meshlight/train/model"
)

// LayerInput returns what enters layer `layer` for one sample x, the light the canvas draws
// through that layer's meshes: the sample itself for the first layer, otherwise the clipped
// activations of the layer before, computed with weights(l) (Out x In, row-major; the chip's
// effective weights). For a convolution it returns one im2col patch (In values, channel-major,
// then kernel row, then kernel column, zero padded): the patch of the output position that
// collects the most light. With layer == len(specs) it returns the logits.
//
// This is the network's forward pass written for one sample and for display; the training
// engine's own (package onn) is what the optimizers query. A test checks that both agree.
func LayerInput(specs []model.Spec, clip float64, weights func(l int) []float64, x []float64, layer int) ([]float64, error) {
	if layer < 0 || layer > len(specs) {
		return nil, fmt.Errorf("layer %d: out of range 0..%d", layer, len(specs))
	}
	cur := append([]float64(nil), x...)
	for l := 0; l < layer; l++ {
		s := specs[l]
		if len(cur) != s.InShape().Size() {
			return nil, fmt.Errorf("layer %d: input has %d values, want %d", l, len(cur), s.InShape().Size())
		}
		w := weights(l)
		if len(w) != s.Out*s.In {
			return nil, fmt.Errorf("layer %d: %d weights, want %dx%d", l, len(w), s.Out, s.In)
		}
		var out []float64
		if s.Kind == model.Conv {
			c := s.Conv
			plane := c.OutHeight() * c.OutWidth()
			out = make([]float64, s.Out*plane)
			patch := make([]float64, s.In)
			for pos := 0; pos < plane; pos++ {
				c.Patch(patch, cur, pos/c.OutWidth(), pos%c.OutWidth())
				for o := 0; o < s.Out; o++ {
					out[o*plane+pos] = dot(w[o*s.In:(o+1)*s.In], patch)
				}
			}
		} else {
			out = make([]float64, s.Out)
			for o := range out {
				out[o] = dot(w[o*s.In:(o+1)*s.In], cur)
			}
		}
		if l < len(specs)-1 {
			for i, v := range out {
				out[i] = math.Min(math.Max(v, 0), clip)
			}
		}
		cur = out
	}
	if layer == len(specs) || specs[layer].Kind != model.Conv {
		return cur, nil
	}
	c := specs[layer].Conv
	if len(cur) != c.InChannels*c.InHeight*c.InWidth {
		return nil, fmt.Errorf("layer %d: input has %d values, want %d", layer, len(cur), c.InChannels*c.InHeight*c.InWidth)
	}
	best, bestE := make([]float64, specs[layer].In), -1.0
	patch := make([]float64, specs[layer].In)
	for pos := 0; pos < c.OutHeight()*c.OutWidth(); pos++ {
		c.Patch(patch, cur, pos/c.OutWidth(), pos%c.OutWidth())
		if e := dot(patch, patch); e > bestE {
			bestE = e
			copy(best, patch)
		}
	}
	return best, nil
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
