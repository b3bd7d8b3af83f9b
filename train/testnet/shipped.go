package testnet

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

// Static returns the repository's static/ folder, where `make pretrain` and `make data`
// put the shipped models and data sets: the static/ beside the go.mod found from the
// working directory upward, so a test finds it from any package's folder.
func Static() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "static"), nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("testnet: no go.mod above the working directory")
		}
		dir = up
	}
}

// ShippedModels returns the names of the shipped models (static/models/*.json, and
// *.json.gz for those shipped gzipped), sorted.
func ShippedModels() ([]string, error) {
	root, err := Static()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, ext := range []string{".json", ".json.gz"} {
		files, err := filepath.Glob(filepath.Join(root, "models", "*"+ext))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			names = append(names, strings.TrimSuffix(filepath.Base(f), ext))
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("testnet: no shipped models in %s (run make pretrain)", root)
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// shippedFile is the file of shipped model name: static/models/<name>.json, or
// <name>.json.gz for a model shipped gzipped (pretrain.Config.File).
func shippedFile(root, name string) string {
	p := filepath.Join(root, "models", name+".json")
	if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(p + ".gz"); err == nil {
			return p + ".gz"
		}
	}
	return p
}

// Shipped reads the shipped model name (static/models/<name>.json or .json.gz) and the
// training and test sets of its data set (static/data).
func Shipped(name string) (m *model.Model, train, test *dataset.Set, err error) {
	root, err := Static()
	if err != nil {
		return nil, nil, nil, err
	}
	if m, err = model.ReadFile(shippedFile(root, name)); err != nil {
		return nil, nil, nil, err
	}
	if train, err = ShippedSet(m.Dataset, dataset.Train); err != nil {
		return nil, nil, nil, err
	}
	if test, err = ShippedSet(m.Dataset, dataset.Test); err != nil {
		return nil, nil, nil, err
	}
	return m, train, test, nil
}

// ShippedSet reads one split of a shipped data set (static/data).
func ShippedSet(name string, split dataset.Split) (*dataset.Set, error) {
	root, err := Static()
	if err != nil {
		return nil, err
	}
	return dataset.ReadFile(filepath.Join(root, "data", dataset.FileName(name, split)))
}

// RandomModel returns a model file of the architecture (model.New's arch string, input
// channels, block size, mesh topology, Sigma bound) whose phases are uniformly random and
// signs random, from seed: valid, but not fitted to anything.
func RandomModel(name, set, arch string, channels, block int, top photonics.Topology, bound float64, seed uint64) (*model.Model, error) {
	m, err := model.New(name, set, arch, channels, block, bound, top, Clip)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 9))
	for i := range m.Layer {
		l, err := m.SVDLayer(i)
		if err != nil {
			return nil, err
		}
		phases := make([]float64, l.NumPhases())
		for k := range phases {
			phases[k] = rng.Float64() * 2 * math.Pi
		}
		signs := make([]float64, l.NumSigns())
		for k := range signs {
			signs[k] = float64(1 - 2*rng.IntN(2))
		}
		if err := m.SetMapping(i, phases, signs); err != nil {
			return nil, err
		}
	}
	return m, nil
}
