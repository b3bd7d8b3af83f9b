package model_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/testnet"
)

// The shipped models (static/models, written by `make pretrain`) are valid, and the Go
// engine's ideal-chip accuracy on the shipped test sets (static/data) is the
// test_accuracy they state, within 0.1 points, and at least the project's target.
func TestShippedModels(t *testing.T) {
	root, err := testnet.Static()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file, dataset, arch string
		target              float64
		phases              int
	}{
		{"vowel-mlp.json", dataset.Vowel4, "8-16-16-4", 85, 512},
		{"mnist8-mlp.json", dataset.MNIST8, "64-24-24-10", 95, 2496},
		{"mnist16-cnn.json", dataset.MNIST16, "16x16-c8s2-c6s2-10", 97, 2240},
		{"fmnist32-cnn.json", dataset.FMNIST32, "32x32-c8s2-c8s2-10", 85, 8896},
		// Ten times the method's chip: 416 blocks of 8x8 (392 + 16 + 8), 64 phases each.
		{"mnist28-mlp.json", dataset.MNIST28, "784-32-32-10", 96, 26624},
	} {
		t.Run(tc.file, func(t *testing.T) {
			m, err := model.ReadFile(filepath.Join(root, "models", tc.file))
			if err != nil {
				t.Fatalf("%v (run `make pretrain`)", err)
			}
			if m.Dataset != tc.dataset || m.Architecture != tc.arch || m.Block != 8 || m.M != 3 {
				t.Errorf("%s: dataset %q, architecture %q, block %d, m %v; want %q, %q, 8, 3",
					tc.file, m.Dataset, m.Architecture, m.Block, m.M, tc.dataset, tc.arch)
			}
			test, err := dataset.ReadFile(filepath.Join(root, "data", dataset.FileName(tc.dataset, dataset.Test)))
			if err != nil {
				t.Fatalf("%v (run `make data`)", err)
			}
			net, err := m.IdealNet()
			if err != nil {
				t.Fatal(err)
			}
			acc, err := net.Accuracy(test.X, test.Y)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: ideal chip %.2f%% on %d test samples, file says %.2f%%, %d phases",
				tc.file, acc, test.Len(), m.TestAccuracy, m.NumPhases())
			if math.Abs(acc-m.TestAccuracy) > 0.1 {
				t.Errorf("%s: ideal-chip accuracy %.2f%%, file says %.2f%%", tc.file, acc, m.TestAccuracy)
			}
			if m.NumPhases() != tc.phases {
				t.Errorf("%s: %d phases, want %d", tc.file, m.NumPhases(), tc.phases)
			}
			if acc < tc.target {
				t.Errorf("%s: ideal-chip accuracy %.2f%% is below the target %v%%", tc.file, acc, tc.target)
			}
		})
	}
}
