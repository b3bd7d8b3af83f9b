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
		w := mat.NewDense(l.Out, l.In, append([]float64(nil), weights[i]...))
		if err := ClampBlocks(w, cfg.Block, cfg.M); err != nil {
			return nil, 0, fmt.Errorf("export %s: layer %d: %w", cfg.Name, i, err)
		}
		s, err := m.SVDLayer(i)
		if err != nil {
			return nil, 0, fmt.Errorf("export %s: %w", cfg.Name, err)
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

// ClampBlocks clamps, in place, the singular values of every block x block block of w
// (zero-padded at the edges; the whole matrix when block is 0) to at most bound.
func ClampBlocks(w *mat.Dense, block int, bound float64) error {
	rows, cols := w.Dims()
	kr, kc := block, block
	if block == 0 {
		kr, kc = rows, cols
	}
	var svd mat.SVD
	for r0 := 0; r0 < rows; r0 += kr {
		for c0 := 0; c0 < cols; c0 += kc {
			// Zero padding adds zero singular values only, so the unpadded block suffices.
			b := w.Slice(r0, min(r0+kr, rows), c0, min(c0+kc, cols)).(*mat.Dense)
			if !svd.Factorize(b, mat.SVDThin) {
				return fmt.Errorf("block at (%d, %d): SVD did not converge", r0, c0)
			}
			vals := svd.Values(nil)
			if vals[0] <= bound {
				continue
			}
			var u, v mat.Dense
			svd.UTo(&u)
			svd.VTo(&v)
			for i, s := range vals {
				vals[i] = min(s, bound)
			}
			var us mat.Dense
			us.Apply(func(_, j int, x float64) float64 { return x * vals[j] }, &u)
			b.Mul(&us, v.T())
		}
	}
	return nil
}
