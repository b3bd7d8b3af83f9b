package sim

import (
	"fmt"

	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/onn"
)

// LayerInput returns the light that enters layer `layer` of b's network for the first
// sample of b's last Forward, which the canvas draws through that layer's meshes: the
// sample itself for the first layer, otherwise the clipped output of the layer before
// (the engine's own, onn.Batch.Input). For a convolution it returns one im2col patch (In
// values, channel-major, then kernel row, then kernel column, zero padded): the patch of
// the output position that collects the most light. With layer == len(specs) it returns
// the logits.
func LayerInput(b *onn.Batch, layer int) ([]float64, error) {
	specs := b.Network().Specs()
	if layer < 0 || layer > len(specs) {
		return nil, fmt.Errorf("layer %d: out of range 0..%d", layer, len(specs))
	}
	if b.Size() < 1 {
		return nil, fmt.Errorf("layer %d: no sample loaded", layer)
	}
	all := b.Input(layer)
	in := all[:len(all)/b.Size()]
	if layer == len(specs) || specs[layer].Kind != model.Conv {
		return append([]float64(nil), in...), nil
	}
	c := specs[layer].Conv
	best, bestE := make([]float64, specs[layer].In), -1.0
	patch := make([]float64, specs[layer].In)
	for pos := range c.OutHeight() * c.OutWidth() {
		c.Patch(patch, in, pos/c.OutWidth(), pos%c.OutWidth())
		if e := energy(patch); e > bestE {
			bestE = e
			copy(best, patch)
		}
	}
	return best, nil
}

// energy is the light power of a set of amplitudes, sum x^2.
func energy(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return s
}
