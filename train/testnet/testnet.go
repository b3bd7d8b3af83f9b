// Package testnet holds the test fixtures of every package: small deployed networks and
// data sets (Gaussian blobs, an MLP fitted to them by plain gradient descent in Go,
// networks and model files of random phases) and the shipped models and data sets of
// static/, found from any package's folder. It is for tests and benchmarks only.
package testnet

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/photonics/mapping"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/onn"
	"gonum.org/v1/gonum/mat"
)

// Clip is the hidden-layer clip of every network built here.
const Clip = 4

// Blobs returns n samples of classes Gaussian clusters in d dimensions (samples of shape
// d x 1 x 1): class c is centred on a random point with coordinates in [-1, 1] and spread
// by the given standard deviation. The same seed gives the same centres, so two calls
// with different sampleSeed draw a training and a test set of one problem.
func Blobs(name string, n, d, classes int, spread float64, seed, sampleSeed uint64) *dataset.Set {
	return ShapedBlobs(name, n, [3]int{d, 1, 1}, classes, spread, seed, sampleSeed)
}

// ShapedBlobs is Blobs with samples of the given shape (channels, height, width).
func ShapedBlobs(name string, n int, shape [3]int, classes int, spread float64, seed, sampleSeed uint64) *dataset.Set {
	d := shape[0] * shape[1] * shape[2]
	crng := rand.New(rand.NewPCG(seed, 1))
	centres := make([]float64, classes*d)
	for i := range centres {
		centres[i] = 2*crng.Float64() - 1
	}
	rng := rand.New(rand.NewPCG(seed, sampleSeed+2))
	s := &dataset.Set{Name: name, Shape: shape, Classes: classes,
		X: make([]float32, n*d), Y: make([]uint8, n)}
	for i := range n {
		c := i % classes
		s.Y[i] = uint8(c)
		for j := range d {
			s.X[i*d+j] = float32(centres[c*d+j] + spread*rng.NormFloat64())
		}
	}
	return s
}

// Specs returns the dense layer specs of an MLP with sizes[0] inputs and layer widths
// sizes[1:].
func Specs(sizes []int) []model.Spec {
	specs := make([]model.Spec, len(sizes)-1)
	for i := range specs {
		specs[i] = model.Spec{Kind: model.Dense, Out: sizes[i+1], In: sizes[i]}
	}
	return specs
}

// TrainMLP fits an MLP without biases (hidden ReLU clipped at Clip) to set by full-batch
// gradient descent on softmax cross-entropy and returns its weights (Out x In,
// row-major, per layer). Initial weights are Gaussian, He-scaled, from seed.
func TrainMLP(set *dataset.Set, sizes []int, steps int, lr float64, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 3))
	L := len(sizes) - 1
	w := make([][]float64, L)
	g := make([][]float64, L)
	for l := range L {
		w[l] = make([]float64, sizes[l+1]*sizes[l])
		g[l] = make([]float64, len(w[l]))
		for i := range w[l] {
			w[l][i] = rng.NormFloat64() * math.Sqrt(2/float64(sizes[l]))
		}
	}
	acts := make([][]float64, L+1) // acts[0] input, acts[l+1] output of layer l
	deltas := make([][]float64, L+1)
	for l, s := range sizes {
		acts[l] = make([]float64, s)
		deltas[l] = make([]float64, s)
	}
	d := sizes[0]
	for range steps {
		for l := range g {
			clear(g[l])
		}
		for i := range set.Len() {
			for j, v := range set.X[i*d : (i+1)*d] {
				acts[0][j] = float64(v)
			}
			for l := range L {
				for o := range sizes[l+1] {
					v := 0.0
					for k, x := range acts[l] {
						v += w[l][o*sizes[l]+k] * x
					}
					if l < L-1 {
						v = min(max(v, 0), Clip)
					}
					acts[l+1][o] = v
				}
			}
			// softmax cross-entropy gradient at the logits
			z := acts[L]
			m := z[0]
			for _, v := range z {
				m = max(m, v)
			}
			sum := 0.0
			for _, v := range z {
				sum += math.Exp(v - m)
			}
			for o, v := range z {
				deltas[L][o] = math.Exp(v-m) / sum
			}
			deltas[L][set.Y[i]]--
			for l := L - 1; l >= 0; l-- {
				clear(deltas[l])
				for o := range sizes[l+1] {
					dv := deltas[l+1][o]
					if l < L-1 && (acts[l+1][o] <= 0 || acts[l+1][o] >= Clip) {
						dv = 0
					}
					for k, x := range acts[l] {
						g[l][o*sizes[l]+k] += dv * x
						deltas[l][k] += dv * w[l][o*sizes[l]+k]
					}
				}
			}
		}
		for l := range L {
			for i := range w[l] {
				w[l][i] -= lr * g[l][i] / float64(set.Len())
			}
		}
	}
	return w
}

// Model maps each layer's weights onto block SVD layers (Reck meshes, bound 3; a layer
// whose singular values exceed the bound is scaled down to it) and returns the model
// file of the MLP, named name, for the data set dataset. Its TestAccuracy is left 0.
func Model(weights [][]float64, sizes []int, block int, name, dataset string) (*model.Model, error) {
	arch := fmt.Sprint(sizes[0])
	for _, s := range sizes[1:] {
		arch += fmt.Sprintf("-%d", s)
	}
	m, err := model.New(name, dataset, arch, 1, block, 3, photonics.Reck, Clip)
	if err != nil {
		return nil, err
	}
	for l, wl := range weights {
		sl, err := m.SVDLayer(l)
		if err != nil {
			return nil, err
		}
		w, _, err := mapping.ScaleToBound(sl, mat.NewDense(sizes[l+1], sizes[l], wl))
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", l, err)
		}
		phases, signs, err := mapping.Decompose(sl, w)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", l, err)
		}
		if err := m.SetMapping(l, phases, signs); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Deploy is Model deployed with cfg.
func Deploy(weights [][]float64, sizes []int, block int, cfg photonics.ChipConfig) (*onn.Network, error) {
	m, err := Model(weights, sizes, block, "test-mlp", "test")
	if err != nil {
		return nil, err
	}
	return onn.Deploy(m, cfg)
}

// Random deploys layers of the given specs (input shape in) with uniformly random phases
// and random signs from seed, with block size block and Reck meshes.
func Random(in model.Shape, specs []model.Spec, block int, cfg photonics.ChipConfig, seed uint64) (*onn.Network, error) {
	return RandomOn(in, specs, block, photonics.Reck, cfg, seed)
}

// RandomOn is Random with meshes of topology top (block 0: whole-matrix layers).
func RandomOn(in model.Shape, specs []model.Spec, block int, top photonics.Topology, cfg photonics.ChipConfig, seed uint64) (*onn.Network, error) {
	rng := rand.New(rand.NewPCG(seed, 4))
	layers := make([]*photonics.SVDLayer, len(specs))
	phases := make([][]float64, len(specs))
	signs := make([][]float64, len(specs))
	for l, s := range specs {
		sl, err := photonics.NewSVDLayer(s.Out, s.In, block, 3, top)
		if err != nil {
			return nil, err
		}
		layers[l] = sl
		phases[l] = make([]float64, sl.NumPhases())
		for i := range phases[l] {
			phases[l][i] = 2 * math.Pi * rng.Float64()
		}
		signs[l] = make([]float64, sl.NumSigns())
		for i := range signs[l] {
			signs[l][i] = float64(1 - 2*rng.IntN(2))
		}
	}
	chip, err := photonics.Deploy(layers, phases, signs, cfg)
	if err != nil {
		return nil, err
	}
	return onn.New(chip, in, specs, Clip)
}

// MLP is Random for an MLP with sizes[0] inputs and widths sizes[1:].
func MLP(sizes []int, block int, cfg photonics.ChipConfig, seed uint64) (*onn.Network, error) {
	return Random(model.Shape{Channels: sizes[0], Height: 1, Width: 1}, Specs(sizes), block, cfg, seed)
}

// Uniform returns n samples of the given shape with values uniform in [0, 1) and
// labels uniform in 0..classes-1.
func Uniform(name string, n int, shape [3]int, classes int, seed uint64) *dataset.Set {
	rng := rand.New(rand.NewPCG(seed, 5))
	s := &dataset.Set{Name: name, Shape: shape, Classes: classes, Y: make([]uint8, n)}
	s.X = make([]float32, n*s.Features())
	for i := range s.X {
		s.X[i] = rng.Float32()
	}
	for i := range s.Y {
		s.Y[i] = uint8(rng.IntN(classes))
	}
	return s
}

// WriteShipped writes, in the layout of static/, an 8-16-4 MLP fitted to Gaussian blobs as
// dir/models/<name>.json and its data sets as dir/data/blobs-{train,test}.bin.gz, for
// tests of the commands that read shipped models. It returns the model as written, with
// TestAccuracy measured on the ideal chip, and the model file's path.
func WriteShipped(dir, name string) (*model.Model, string, error) {
	trainSet := Blobs("blobs", 256, 8, 4, 0.5, 1, 1)
	testSet := Blobs("blobs", 128, 8, 4, 0.5, 1, 2)
	sizes := []int{8, 16, 4}
	m, err := Model(TrainMLP(trainSet, sizes, 200, 0.3, 1), sizes, 8, name, "blobs")
	if err != nil {
		return nil, "", err
	}
	net, err := m.IdealNet()
	if err != nil {
		return nil, "", err
	}
	if m.TestAccuracy, err = net.Accuracy(testSet.X, testSet.Y); err != nil {
		return nil, "", err
	}
	models, data := filepath.Join(dir, "models"), filepath.Join(dir, "data")
	for _, d := range []string{models, data} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, "", err
		}
	}
	path := filepath.Join(models, name+".json")
	if err := model.WriteFile(path, m); err != nil {
		return nil, "", err
	}
	for _, s := range []struct {
		set   *dataset.Set
		split dataset.Split
	}{{trainSet, dataset.Train}, {testSet, dataset.Test}} {
		var b bytes.Buffer
		if err := dataset.Write(&b, s.set); err != nil {
			return nil, "", err
		}
		if err := os.WriteFile(filepath.Join(data, dataset.FileName("blobs", s.split)), b.Bytes(), 0o644); err != nil {
			return nil, "", err
		}
	}
	return m, path, nil
}

// MaxDiff returns the largest |a_i - b_i| (+Inf if the lengths differ): how far apart two
// weight or phase vectors are, for tests' tolerances.
func MaxDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(a[i]-b[i]))
	}
	return d
}
