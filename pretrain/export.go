package pretrain

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/meshlight/meshlight/photonics/mapping"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

// Export maps trained weights onto the chip and measures the result: each layer's
// weights are clamped once more in float64 (libtorch trained in float32, so a block's
// largest singular value may exceed M by ~1e-7), decomposed exactly by
// mapping.Decompose, and the model's TestAccuracy is the accuracy on test of
// the ideal chip, model.Net over the weights rebuilt from the phases. It also returns
// the largest difference between the trained and the rebuilt weights.
func Export(cfg Config, weights [][]float64, test *dataset.Set) (*model.Model, float64, error) {
	m, err := model.New(cfg.Name, cfg.Dataset, cfg.Arch, cfg.Channels, cfg.Block, cfg.M, cfg.Topology, cfg.Clip)
	if err != nil {
		return nil, 0, fmt.Errorf("export %s: %w", cfg.Name, err)
	}
	m.Seed, m.Preprocessing = cfg.Seed, cfg.Preprocessing
	if len(weights) != len(m.Layer) {
		return nil, 0, fmt.Errorf("export %s: %d weight matrices, architecture %q has %d layers", cfg.Name, len(weights), cfg.Arch, len(m.Layer))
	}
	for i, l := range m.Layer {
		if len(weights[i]) != l.Out*l.In {
			return nil, 0, fmt.Errorf("export %s: layer %d: %d weights, want %dx%d", cfg.Name, i, len(weights[i]), l.Out, l.In)
		}
		s, err := m.SVDLayer(i)
		if err != nil {
			return nil, 0, fmt.Errorf("export %s: %w", cfg.Name, err)
		}
		w, err := mapping.ClampToBound(s, mat.NewDense(l.Out, l.In, weights[i]))
		if err != nil {
			return nil, 0, fmt.Errorf("export %s: layer %d: %w", cfg.Name, i, err)
		}
		phases, signs, err := mapping.Decompose(s, w)
		if err != nil {
			return nil, 0, fmt.Errorf("export %s: layer %d: %w", cfg.Name, i, err)
		}
		if err := m.SetMapping(i, phases, signs); err != nil {
			return nil, 0, fmt.Errorf("export %s: %w", cfg.Name, err)
		}
	}
	ideal, err := m.Weights()
	if err != nil {
		return nil, 0, fmt.Errorf("export %s: %w", cfg.Name, err)
	}
	dev := 0.0
	for i := range ideal {
		for j, v := range ideal[i] {
			dev = max(dev, math.Abs(v-weights[i][j]))
		}
	}
	net, err := model.NewNet(m, ideal)
	if err != nil {
		return nil, 0, fmt.Errorf("export %s: %w", cfg.Name, err)
	}
	if m.TestAccuracy, err = net.Accuracy(test.X, test.Y); err != nil {
		return nil, 0, fmt.Errorf("export %s: test set %s: %w", cfg.Name, test.Name, err)
	}
	return m, dev, nil
}
