// Command pretrain trains meshlight's shipped networks, or a network of your own, with
// libtorch, maps them onto MZI phases and writes <out>/<name>.json (.json.gz for a preset
// shipped gzipped, pretrain.Config.File) with the ideal chip's test accuracy.
//
// Usage (from the repository root, with the cgo environment of pretrain/gotch-env.sh;
// `make pretrain` and `make pretrain-one ARGS='...'` do both):
//
//	pretrain [-out static/models] [-only mnist8-mlp,vowel-mlp] [-epochs N] [-limit N] [-seed N]
//	pretrain -dataset mnist16 -arch 256-48-10 -name mine [-block 8] [-topology reck]
//	         [-epochs 30] [-batch 64] [-lr 0.004] [-limit N] [-seed N] [-out static/models]
//
// Without -dataset, -arch and -name it trains the presets (pretrain.Presets; -only picks
// some). With them it trains that network (pretrain.New): an MLP "784-32-32-10" or a CNN
// "16x16-c8s2-c6s2-10" on one of the data sets of train/dataset, in -block x -block
// blocks on -topology meshes. Every configuration is checked (pretrain.Config.Check)
// before any data is loaded or anything trained: a bad one exits with status 2 and one
// line naming the flag or the problem.
//
// Training data: the full training split (dataset.Load, from the raw sources of
// `make deps-data`). Test data: the shipped test set (dataset.LoadShipped, the samples of
// static/data/<dataset>-test.bin.gz), on which test_accuracy is measured. The model file
// is what train/cmd/onchip -model and the page (?model=models/<name>.json) read.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/pretrain"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

// job is what the command line asks for: the networks to train and where to write them.
type job struct {
	out  string
	cfgs []pretrain.Config
}

func main() {
	j, err := parse(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		msg := err.Error()
		if !strings.HasPrefix(msg, "pretrain") {
			msg = "pretrain: " + msg
		}
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(2)
	}
	log.SetFlags(0)
	if err := os.MkdirAll(j.out, 0o755); err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	for _, c := range j.cfgs {
		if err := run(c, j.out); err != nil {
			log.Fatalf("pretrain: %v", err)
		}
	}
	log.Printf("pretrain: %d models in %.0fs", len(j.cfgs), time.Since(start).Seconds())
}

// parse reads the flags and checks every configuration they give; its error is one line.
// -h prints the usage to help and returns flag.ErrHelp.
func parse(args []string, help io.Writer) (job, error) {
	fs := flag.NewFlagSet("pretrain", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", filepath.Join("static", "models"), "folder for the model files")
	only := fs.String("only", "", "comma-separated preset names to train (default: all presets)")
	ds := fs.String("dataset", "", "your network: data set, one of "+strings.Join(dataset.Names(), ", "))
	arch := fs.String("arch", "", `your network: architecture, e.g. "256-48-10" (MLP) or "16x16-c8s2-c6s2-10" (CNN)`)
	name := fs.String("name", "", "your network: model name (a-z 0-9 - _), the file is <out>/<name>.json")
	block := fs.Int("block", pretrain.DefaultBlock, "your network: k of the k x k blocks")
	topo := fs.String("topology", photonics.Reck.String(), "your network: mesh topology, reck or clements")
	epochs := fs.Int("epochs", 0, fmt.Sprintf("passes over the training set (0: the preset's, %d for your network)", pretrain.DefaultEpochs))
	batch := fs.Int("batch", 0, fmt.Sprintf("minibatch size (0: the preset's, %d for your network)", pretrain.DefaultBatch))
	lr := fs.Float64("lr", 0, fmt.Sprintf("Adam learning rate (0: the preset's, %g for your network)", pretrain.DefaultLR))
	limit := fs.Int("limit", 0, "train on the first N training samples only (0: all)")
	seed := fs.Int64("seed", pretrain.DefaultSeed, "training seed")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(help)
			fmt.Fprintln(help, "usage: pretrain [-only preset,...] | -dataset D -arch A -name N [-block K] [-topology T]; then [-epochs N] [-batch N] [-lr X] [-limit N] [-seed N] [-out DIR]")
			fs.PrintDefaults()
		}
		return job{}, err
	}
	if fs.NArg() > 0 {
		return job{}, fmt.Errorf("unexpected argument %q (every setting is a flag)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	custom := set["dataset"] || set["arch"] || set["name"]

	var cfgs []pretrain.Config
	if custom {
		for _, f := range []string{"dataset", "arch", "name"} {
			if !set[f] {
				return job{}, fmt.Errorf("-%s missing: your own network needs -dataset, -arch and -name", f)
			}
		}
		if set["only"] {
			return job{}, errors.New("-only picks presets; it does not go with -dataset, -arch and -name")
		}
		if *block < 1 || *block > model.MaxBlock {
			return job{}, fmt.Errorf("-block %d: want 1..%d", *block, model.MaxBlock)
		}
		t, err := photonics.ParseTopology(*topo)
		if err != nil {
			return job{}, fmt.Errorf("-topology %q: want reck or clements", *topo)
		}
		if err := dataset.CheckName(*name); err != nil {
			return job{}, fmt.Errorf("-name: %w", err)
		}
		if _, _, err := dataset.Geometry(*ds); err != nil {
			return job{}, fmt.Errorf("-dataset %q: want one of %s", *ds, strings.Join(dataset.Names(), ", "))
		}
		c, _ := pretrain.New(*name, *ds, *arch, *block, t) // checked below, after the overrides
		cfgs = append(cfgs, c)
	} else {
		for _, f := range []string{"block", "topology"} {
			if set[f] {
				return job{}, fmt.Errorf("-%s is for your own network (with -dataset, -arch and -name); a preset fixes it", f)
			}
		}
		if *only == "" {
			cfgs = pretrain.Presets()
		} else {
			for _, n := range strings.Split(*only, ",") {
				c, err := pretrain.Preset(strings.TrimSpace(n))
				if err != nil {
					return job{}, fmt.Errorf("-only: %w", err)
				}
				cfgs = append(cfgs, c)
			}
		}
	}
	for _, f := range []struct {
		name string
		bad  bool
	}{{"epochs", *epochs < 0}, {"batch", *batch < 0}, {"lr", *lr < 0 || *lr != *lr}, {"limit", *limit < 0}} {
		if f.bad {
			return job{}, fmt.Errorf("-%s %s: want >= 0 (0: default)", f.name, fs.Lookup(f.name).Value)
		}
	}
	for i := range cfgs {
		c := &cfgs[i]
		if *epochs > 0 {
			c.Epochs = *epochs
		}
		if *batch > 0 {
			c.Batch = *batch
		}
		if *lr > 0 {
			c.LR = *lr
		}
		c.Limit, c.Seed = *limit, *seed
		if err := c.Check(); err != nil {
			return job{}, err
		}
	}
	if *out == "" {
		return job{}, errors.New("-out: empty")
	}
	return job{out: *out, cfgs: cfgs}, nil
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
	log.Printf("[%s] %s on %s: %d training samples, %d test samples, %d epochs, batch %d, Adam lr %g, block %d, %s, m %g",
		c.Name, c.Arch, c.Dataset, n, test.Len(), c.Epochs, c.Batch, c.LR, c.Block, c.Topology, c.M)
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
	path := filepath.Join(dir, c.File())
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
