package pretrain

import (
	"fmt"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
)

// Config says what to train and how.
type Config struct {
	Name          string             // model name; the file is <Name>.json
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
}

// Defaults shared by the paper's networks.
const (
	DefaultBlock = 8
	DefaultM     = 3
	DefaultClip  = 4
	DefaultSeed  = 1
)

func preset(name, ds, arch string, epochs, batch int, lr float64, pre string) Config {
	return Config{
		Name: name, Dataset: ds, Arch: arch, Channels: 1,
		Block: DefaultBlock, M: DefaultM, Topology: photonics.Reck, Clip: DefaultClip,
		Epochs: epochs, Batch: batch, LR: lr, Seed: DefaultSeed, Preprocessing: pre,
	}
}

// Presets are the four shipped networks of the method's experiments, in a fixed order.
func Presets() []Config {
	return []Config{
		preset("vowel-mlp", dataset.Vowel4, "8-16-16-4", 400, 16, 5e-3,
			"Deterding vowels heed, head, hard, hood (labels 0..3), features X3 X4 X6..X11, standardized with the training speakers' mean and population std; the file's speaker split (192 train, 168 test)"),
		preset("mnist8-mlp", dataset.MNIST8, "64-24-24-10", 40, 64, 4e-3,
			"MNIST, 2-pixel border cropped (28 -> 24), 3x3 box means rounded to grey levels -> 8x8, value = level/255, row-major 64 inputs"),
		preset("mnist16-cnn", dataset.MNIST16, "16x16-c8s2-c6s2-10", 30, 64, 4e-3,
			"MNIST, zero-padded 2 pixels (28 -> 32), 2x2 box means rounded to grey levels -> 16x16, value = level/255"),
		preset("fmnist32-cnn", dataset.FMNIST32, "32x32-c8s2-c8s2-10", 30, 64, 4e-3,
			"Fashion-MNIST, zero-padded 2 pixels (28 -> 32), value = level/255"),
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
