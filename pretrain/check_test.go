package pretrain

import (
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
)

// Every preset is a valid configuration, and its data set's geometry fits it.
func TestPresetsCheck(t *testing.T) {
	for _, c := range Presets() {
		if err := c.Check(); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
		if c.Preprocessing == "" {
			t.Errorf("%s: no preprocessing text", c.Name)
		}
	}
	c, err := Preset("mnist28-mlp")
	if err != nil || c.Dataset != dataset.MNIST28 || c.Arch != "784-32-32-10" || c.Block != 8 {
		t.Fatalf("mnist28-mlp: %+v, %v", c, err)
	}
	// The Sigma bound by the model file's rule (model.MRange): what is trained can be read.
	for _, m := range []float64{0, 101, 1e308} {
		bad := c
		bad.M = m
		if err := bad.Check(); err == nil || !strings.Contains(err.Error(), "want a Sigma bound 0 < m <= 100") {
			t.Errorf("m %v: %v, want the model file's bound", m, err)
		}
	}
}

// New checks before anything is trained; its errors are one line.
func TestNewRefuses(t *testing.T) {
	if c, err := New("mine", dataset.MNIST16, "16x16-c4s2-10", 4, photonics.Clements); err != nil || c.Channels != 1 || c.Epochs != DefaultEpochs {
		t.Fatalf("a valid CNN: %+v, %v", c, err)
	}
	for _, tc := range []struct {
		name, ds, arch string
		block          int
		topo           photonics.Topology
		want           string
	}{
		{"mine", "cifar10", "3072-10", 8, photonics.Reck, `unknown data set "cifar10"`},
		{"mine", dataset.MNIST28, "256-48-10", 8, photonics.Reck, "takes 256 inputs, data set mnist28 has 784"},
		{"mine", dataset.Vowel4, "8-16-10", 8, photonics.Reck, "gives 10 outputs, data set vowel4 has 4 classes"},
		{"mine", dataset.MNIST8, "64-24-10", -1, photonics.Reck, "block -1: want 1..1024"},
		{"mine", dataset.MNIST8, "64-24-10", 2000, photonics.Reck, "block 2000: want 1..1024"},
		{"mine", dataset.MNIST8, "64-24-10", 24, photonics.Reck, "block 24: layer 1 (10x24) would be padded to 24x24, more than twice its size"},
		{"mine", dataset.MNIST8, "64-24-10", 8, photonics.Topology(7), "topology Topology(7): want reck or clements"},
		{"mine", dataset.MNIST28, "784-4096-4096-10", 8, photonics.Reck, "arrays in its model file, more than"},
		{"mine", dataset.MNIST28, "784-2048-10", 16, photonics.Reck, "MiB limit"},
		{"", dataset.MNIST8, "64-24-10", 8, photonics.Reck, `model name: "" is not a data set name`},
		{"a/b", dataset.MNIST8, "64-24-10", 8, photonics.Reck, `model name: "a/b" is not a data set name`},
	} {
		_, err := New(tc.name, tc.ds, tc.arch, tc.block, tc.topo)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s %s %s block %d %v: %v, want one line containing %q", tc.name, tc.ds, tc.arch, tc.block, tc.topo, err, tc.want)
		}
	}
}
