package pretrain

import (
	"fmt"
	"math"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

// Config says what to train and how.
type Config struct {
	Name          string             // model name; the file is File()
	Dataset       string             // dataset.Load name
	Arch          string             // model.ParseArchitecture string
	Channels      int                // CNN input channels
	Block         int                // k of the k x k blocks; 0 = whole matrices
	M             float64            // bound on the singular values (Sigma = M cos phi)
	Topology      photonics.Topology // mesh topology of the exported phases
	Clip          float64            // hidden activation min(max(x, 0), Clip)
	Epochs        int                // passes over the training set
	Batch         int                // minibatch size
	LR            float64            // Adam learning rate at the start, cosine-decayed to LR/100
	Seed          int64              // libtorch initialisation and minibatch order
	Limit         int                // train on the first Limit samples only (0: all)
	Preprocessing string             // what the data went through, for the model file
	// Gzip ships the model file gzipped: its JSON is larger than a repository should hold
	// (readers and the page take either form).
	Gzip bool
}

// File is the model file's name: <Name>.json, or <Name>.json.gz when Gzip.
func (c Config) File() string {
	if c.Gzip {
		return c.Name + ".json.gz"
	}
	return c.Name + ".json"
}

// Defaults shared by the paper's networks, and of a network given by New.
const (
	DefaultBlock  = 8
	DefaultM      = 3
	DefaultClip   = 4
	DefaultSeed   = 1
	DefaultEpochs = 30
	DefaultBatch  = 64
	DefaultLR     = 4e-3
)

// preprocessing describes, per data set, what the raw data went through (see the package
// doc of train/dataset); it goes into the model file.
var preprocessing = map[string]string{
	dataset.Vowel4:   "Deterding vowels heed, head, hard, hood (labels 0..3), features X3 X4 X6..X11, standardized with the training speakers' mean and population std; the file's speaker split (192 train, 168 test)",
	dataset.MNIST8:   "MNIST, 2-pixel border cropped (28 -> 24), 3x3 box means rounded to grey levels -> 8x8, value = level/255, row-major 64 inputs",
	dataset.MNIST16:  "MNIST, zero-padded 2 pixels (28 -> 32), 2x2 box means rounded to grey levels -> 16x16, value = level/255",
	dataset.MNIST28:  "MNIST at full resolution (28x28, unchanged), value = level/255, row-major 784 inputs",
	dataset.FMNIST32: "Fashion-MNIST, zero-padded 2 pixels (28 -> 32), value = level/255",
}

func preset(name, ds, arch string, epochs, batch int, lr float64) Config {
	return Config{
		Name: name, Dataset: ds, Arch: arch, Channels: 1,
		Block: DefaultBlock, M: DefaultM, Topology: photonics.Reck, Clip: DefaultClip,
		Epochs: epochs, Batch: batch, LR: lr, Seed: DefaultSeed, Preprocessing: preprocessing[ds],
	}
}

// gzipped is c shipped gzipped (Config.Gzip).
func gzipped(c Config) Config {
	c.Gzip = true
	return c
}

// Presets are the shipped networks, in a fixed order: the four of the method's
// experiments, the full-resolution MNIST MLP ten times the method's chip (416 blocks of
// 8 x 8, 26,624 phases) and its wide sibling a hundred times the method's chip (4,224
// blocks, 270,336 phases), the one on which on-chip learning's scaling is measured.
func Presets() []Config {
	return []Config{
		preset("vowel-mlp", dataset.Vowel4, "8-16-16-4", 400, 16, 5e-3),
		preset("mnist8-mlp", dataset.MNIST8, "64-24-24-10", 40, 64, 4e-3),
		preset("mnist16-cnn", dataset.MNIST16, "16x16-c8s2-c6s2-10", 30, 64, 4e-3),
		preset("fmnist32-cnn", dataset.FMNIST32, "32x32-c8s2-c8s2-10", 30, 64, 4e-3),
		preset("mnist28-mlp", dataset.MNIST28, "784-32-32-10", 30, 64, 4e-3),
		gzipped(preset("mnist28-mlp256", dataset.MNIST28, "784-256-256-10", 20, 64, 4e-3)), // its JSON is over 5 MiB
	}
}

// Preset returns the preset named name (see Presets).
func Preset(name string) (Config, error) {
	var names []string
	for _, c := range Presets() {
		if c.Name == name {
			return c, nil
		}
		names = append(names, c.Name)
	}
	return Config{}, fmt.Errorf("pretrain: no preset %q (want one of %v)", name, names)
}

// New returns the configuration of a researcher's own network: the architecture arch
// (model.ParseArchitecture; a CNN takes the data set's channels) on the data set ds in
// block x block blocks on meshes of topology t, trained like the presets (DefaultM,
// DefaultClip, DefaultEpochs, DefaultBatch, DefaultLR, DefaultSeed; change the fields
// after). It returns the first problem Check finds, so nothing is trained on a network
// that cannot be.
func New(name, ds, arch string, block int, t photonics.Topology) (Config, error) {
	c := preset(name, ds, arch, DefaultEpochs, DefaultBatch, DefaultLR)
	c.Block, c.Topology = block, t
	if shape, _, err := dataset.Geometry(ds); err == nil {
		c.Channels = shape[0]
	}
	return c, c.Check()
}

// Check validates c without any data or libtorch: the name is a plain name
// (dataset.CheckName: it becomes a file name and part of the page's address), the data
// set exists, the architecture parses and takes the data set's samples (an MLP their
// feature count, a CNN their channels x height x width) and gives its class count, the
// block is 0 (whole matrices) or 1..model.MaxBlock and blocks every layer sensibly (the
// zero padding of a layer's grid of blocks at most doubles its matrix, as 8 x 8 blocks
// do to the 4 x 16 output layer of vowel-mlp), the topology is reck or clements, and
// the training numbers are in range. Its error is one line.
func (c Config) Check() error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("pretrain %s: "+format, append([]any{c.Name}, args...)...)
	}
	if err := dataset.CheckName(c.Name); err != nil {
		return fmt.Errorf("pretrain: model name: %w", err)
	}
	shape, classes, err := dataset.Geometry(c.Dataset)
	if err != nil {
		return fail("%w", err)
	}
	in, specs, err := model.ParseArchitecture(c.Arch, c.Channels)
	if err != nil {
		return fail("%w", err)
	}
	if specs[0].Kind == model.Conv {
		if in != (model.Shape{Channels: shape[0], Height: shape[1], Width: shape[2]}) {
			return fail("architecture %q takes %s inputs, data set %s has %dx%dx%d", c.Arch, in, c.Dataset, shape[0], shape[1], shape[2])
		}
	} else if n := shape[0] * shape[1] * shape[2]; in.Size() != n {
		return fail("architecture %q takes %d inputs, data set %s has %d (%dx%dx%d)", c.Arch, in.Size(), c.Dataset, n, shape[0], shape[1], shape[2])
	}
	if out := specs[len(specs)-1].OutShape().Size(); out != classes {
		return fail("architecture %q gives %d outputs, data set %s has %d classes", c.Arch, out, c.Dataset, classes)
	}
	if c.Block < 0 || c.Block > model.MaxBlock {
		return fail("block %d: want 1..%d (or 0, whole matrices)", c.Block, model.MaxBlock)
	}
	if c.Block > 0 {
		k := c.Block
		for i, s := range specs {
			r, q := (s.Out+k-1)/k*k, (s.In+k-1)/k*k
			if r*q > 2*s.Out*s.In {
				return fail("block %d: layer %d (%dx%d) would be padded to %dx%d, more than twice its size; want a smaller block", k, i, s.Out, s.In, r, q)
			}
		}
	}
	if c.Topology != photonics.Reck && c.Topology != photonics.Clements {
		return fail("topology %v: want reck or clements", c.Topology)
	}
	sk, err := model.New(c.Name, c.Dataset, c.Arch, c.Channels, c.Block, 1, c.Topology, 1)
	if err != nil {
		return fail("%w", err)
	}
	if err := sk.CheckCapacity(); err != nil {
		return fail("%w", err)
	}
	switch {
	case c.Epochs < 1 || c.Batch < 1:
		return fail("epochs %d, batch %d: want >= 1", c.Epochs, c.Batch)
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return fail("learning rate %v: want > 0", c.LR)
	case !model.MRange.Contains(c.M): // the model file's rule, so what is trained can be read
		return fail("m %v: want a Sigma bound %s", c.M, model.MRange.Bounds("m"))
	case !(c.Clip > 0) || math.IsInf(c.Clip, 0):
		return fail("clip %v: want finite > 0", c.Clip)
	case c.Limit < 0:
		return fail("limit %d: want >= 0", c.Limit)
	}
	return nil
}
