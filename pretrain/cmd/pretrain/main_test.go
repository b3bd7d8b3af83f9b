package main

import (
	"bytes"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/pretrain"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/testnet"
)

// Flags alone (no data, no training): presets, a network of one's own, overrides.
func TestParse(t *testing.T) {
	j, err := parse(nil, nil)
	presets := pretrain.Presets()
	if err != nil || len(j.cfgs) != len(presets) || j.out != filepath.Join("static", "models") {
		t.Fatalf("no flags: %d configs, out %q, %v; want the %d presets", len(j.cfgs), j.out, err, len(presets))
	}
	for i, c := range j.cfgs {
		if c.Name != presets[i].Name {
			t.Errorf("no flags: config %d is %q, want preset %q", i, c.Name, presets[i].Name)
		}
	}
	j, err = parse([]string{"-only", "mnist28-mlp, vowel-mlp", "-epochs", "3", "-seed", "7"}, nil)
	if err != nil || len(j.cfgs) != 2 || j.cfgs[0].Name != "mnist28-mlp" || j.cfgs[1].Name != "vowel-mlp" ||
		j.cfgs[0].Epochs != 3 || j.cfgs[1].Epochs != 3 || j.cfgs[1].Seed != 7 || j.cfgs[1].Batch != 16 {
		t.Fatalf("-only: %+v, %v", j.cfgs, err)
	}
	j, err = parse(strings.Fields("-dataset mnist16 -arch 256-48-10 -block 4 -topology clements -name mine -out /tmp/x"), nil)
	if err != nil || len(j.cfgs) != 1 || j.out != "/tmp/x" {
		t.Fatalf("own network: %+v, %v", j.cfgs, err)
	}
	c := j.cfgs[0]
	if c.Name != "mine" || c.Dataset != dataset.MNIST16 || c.Arch != "256-48-10" || c.Block != 4 || c.Topology != photonics.Clements ||
		c.Epochs != 30 || c.Batch != 64 || c.LR != 4e-3 || c.M != 3 || c.Clip != 4 || c.Channels != 1 || c.Preprocessing == "" {
		t.Fatalf("own network: %+v", c)
	}
	j, err = parse(strings.Fields("-dataset mnist16 -arch 16x16-c8s2-10 -name cnn1 -epochs 2 -batch 32 -lr 0.01 -limit 100"), nil)
	if err != nil || j.cfgs[0].Block != 8 || j.cfgs[0].Topology != photonics.Reck || j.cfgs[0].Epochs != 2 ||
		j.cfgs[0].Batch != 32 || j.cfgs[0].LR != 0.01 || j.cfgs[0].Limit != 100 {
		t.Fatalf("own CNN: %+v, %v", j.cfgs, err)
	}
	var help bytes.Buffer
	if _, err := parse([]string{"-h"}, &help); !errors.Is(err, flag.ErrHelp) || !strings.Contains(help.String(), "-topology") {
		t.Errorf("-h: %v, usage %q", err, help.String())
	}
}

// Bad combinations are refused with one line that says what is wrong.
func TestParseRefuses(t *testing.T) {
	own := "-dataset mnist16 -arch 256-48-10 -name mine "
	for _, tc := range []struct{ args, want string }{
		{"-dataset mnist9 -arch 256-48-10 -name mine", `-dataset "mnist9": want one of vowel4, mnist8, mnist16, mnist28, fmnist32`},
		{"-dataset mnist8 -arch 256-48-10 -name mine", `takes 256 inputs, data set mnist8 has 64`},
		{"-dataset mnist16 -arch 256-48-4 -name mine", `gives 4 outputs, data set mnist16 has 10 classes`},
		{"-dataset mnist16 -arch 28x28-c8s2-10 -name mine", `takes 1x28x28 inputs, data set mnist16 has 1x16x16`},
		{"-dataset mnist16 -arch 256-x-10 -name mine", `layer 0 "x"`},
		{own + "-block 0", "-block 0: want 1..1024"},
		{own + "-block -3", "-block -3: want 1..1024"},
		{own + "-block 64", "block 64: layer 1 (10x48) would be padded to 64x64, more than twice its size"},
		{own + "-topology butterfly", `-topology "butterfly": want reck or clements`},
		{"-dataset mnist16 -arch 256-48-10 -name ../evil", `-name: "../evil" is not a data set name`},
		{"-dataset mnist16 -arch 256-48-10 -name Mine", `-name: "Mine" is not a data set name`},
		{"-dataset mnist16 -arch 256-48-10", "-name missing"},
		{"-arch 256-48-10 -name mine", "-dataset missing"},
		{own + "-only mnist8-mlp", "-only picks presets"},
		{"-only resnet", `-only: pretrain: no preset "resnet"`},
		{"-block 4", "-block is for your own network"},
		{"-topology clements -only vowel-mlp", "-topology is for your own network"},
		{own + "-epochs -1", "-epochs -1: want >= 0"},
		{own + "-lr NaN", "-lr NaN: want >= 0"},
		{own + "-block x", `invalid value "x" for flag -block`},
		{"-frobnicate", "flag provided but not defined: -frobnicate"},
		{own + "extra", `unexpected argument "extra"`},
		{own + "-out", "flag needs an argument: -out"},
	} {
		_, err := parse(strings.Fields(tc.args), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line containing %q", tc.args, err, tc.want)
		}
	}
}

// A network of one's own, trained briefly, is a model file the readers accept; its
// ideal-chip accuracy is the one it states.
func TestRunOwnNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("trains")
	}
	if _, err := dataset.LocateMNIST(); err != nil {
		t.Skip(err)
	}
	j, err := parse(strings.Fields("-dataset mnist16 -arch 256-48-10 -block 4 -topology clements -name mine -epochs 3 -limit 3000 -out "+t.TempDir()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := run(j.cfgs[0], j.out); err != nil {
		t.Fatal(err)
	}
	m, err := model.ReadFile(filepath.Join(j.out, "mine.json"))
	if err != nil {
		t.Fatal(err)
	}
	// 48x256 in 4x4 blocks: 12*64 blocks; 10x48: 3*12; 16 phases each (6 in U, 6 in V*, 4 in Sigma).
	if m.Name != "mine" || m.Dataset != "mnist16" || m.Block != 4 || m.Topology != "clements" || m.NumPhases() != (12*64+3*12)*16 {
		t.Fatalf("model %s on %s, block %d, %s, %d phases", m.Name, m.Dataset, m.Block, m.Topology, m.NumPhases())
	}
	test, err := testnet.ShippedSet(dataset.MNIST16, dataset.Test)
	if err != nil {
		t.Fatal(err)
	}
	net, err := m.IdealNet()
	if err != nil {
		t.Fatal(err)
	}
	acc, err := net.Accuracy(test.X, test.Y)
	if err != nil || acc != m.TestAccuracy || acc < 75 {
		t.Fatalf("ideal chip %.2f%% (%v), file says %.2f%%; want the same and >= 75%%", acc, err, m.TestAccuracy)
	}
	t.Logf("mine: %d phases, ideal chip %.2f%%", m.NumPhases(), acc)
}
