// Command pretrain trains meshlight's four shipped networks with libtorch, maps them onto
// MZI phases and writes static/models/<name>.json with the ideal chip's test accuracy.
//
// Usage (from the repository root, with the cgo environment of pretrain/gotch-env.sh;
// `make pretrain` does both):
//
//	pretrain [-out static/models] [-only mnist8-mlp,vowel-mlp] [-epochs N] [-limit N] [-seed N]
//
// Training data: the full training split (dataset.Load, from the raw sources of
// `make deps-data`). Test data: the shipped test set (dataset.LoadShipped, the samples of
// static/data/<dataset>-test.bin.gz), on which test_accuracy is measured.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/meshlight/meshlight/pretrain"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

func main() {
	out := flag.String("out", filepath.Join("static", "models"), "folder for the model files")
	only := flag.String("only", "", "comma-separated model names to train (default: all)")
	epochs := flag.Int("epochs", 0, "override every preset's epoch count (0: preset)")
	limit := flag.Int("limit", 0, "train on the first N training samples only (0: all)")
	seed := flag.Int64("seed", pretrain.DefaultSeed, "training seed")
	flag.Parse()
	log.SetFlags(0)

	var cfgs []pretrain.Config
	if *only == "" {
		cfgs = pretrain.Presets()
	} else {
		for _, name := range strings.Split(*only, ",") {
			c, err := pretrain.Preset(strings.TrimSpace(name))
			if err != nil {
				log.Fatal(err)
			}
			cfgs = append(cfgs, c)
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	for _, c := range cfgs {
		if *epochs > 0 {
			c.Epochs = *epochs
		}
		c.Limit, c.Seed = *limit, *seed
		if err := run(c, *out); err != nil {
			log.Fatalf("pretrain: %v", err)
		}
	}
	log.Printf("pretrain: %d models in %.0fs", len(cfgs), time.Since(start).Seconds())
}

func run(c pretrain.Config, dir string) error {
	train, err := dataset.Load(c.Dataset, dataset.Train)
	if err != nil {
		return err
	}
	test, err := dataset.LoadShipped(c.Dataset, dataset.Test)
	if err != nil {
		return err
	}
	n := train.Len()
	if c.Limit > 0 {
		n = min(n, c.Limit)
	}
	log.Printf("[%s] %s on %s: %d training samples, %d test samples, %d epochs, batch %d, Adam lr %g, block %d, m %g",
		c.Name, c.Arch, c.Dataset, n, test.Len(), c.Epochs, c.Batch, c.LR, c.Block, c.M)
	res, err := pretrain.Train(c, train, test, func(p pretrain.Progress) {
		log.Printf("[%s] %s", c.Name, p)
	})
	if err != nil {
		return err
	}
	m, dev, err := pretrain.Export(c, res.Weights, test)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, c.Name+".json")
	if err := model.WriteFile(path, m); err != nil {
		return err
	}
	last := res.History[len(res.History)-1]
	msg := fmt.Sprintf("[%s] ideal chip: test accuracy %.2f%% on %d shipped test samples (libtorch %.2f%%); %d phases; max |W_chip - W_trained| %.1e",
		c.Name, m.TestAccuracy, test.Len(), last.TestAccuracy, m.NumPhases(), dev)
	if full, err := dataset.Load(c.Dataset, dataset.Test); err == nil && full.Len() > test.Len() {
		if net, err := m.IdealNet(); err == nil {
			if acc, err := net.Accuracy(full.X, full.Y); err == nil {
				msg += fmt.Sprintf("; %.2f%% on the full %d-sample test split", acc, full.Len())
			}
		}
	}
	log.Print(msg)
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	log.Printf("[%s] wrote %s (%d bytes) after %.0fs", c.Name, path, st.Size(), last.Elapsed.Seconds())
	return nil
}
