// Command randmodel writes a model file of uniformly random phases
// (train/testnet.RandomModel): valid, shaped like a network that pretrain would write with
// the same flags, but fitted to nothing. The end-to-end test picks it with the page's file
// chooser, which needs a model file from outside the site without libtorch.
//
// Usage: randmodel -dataset mnist16 -arch 256-48-10 -block 4 -topology clements -name mine -out DIR
// writes DIR/mine.json (and DIR/mine.json.gz with -gzip).
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/testnet"
)

func main() {
	set := flag.String("dataset", "mnist16", "the data set the model names")
	arch := flag.String("arch", "256-48-10", "architecture, as pretrain's -arch")
	channels := flag.Int("channels", 1, "input channels of a CNN")
	block := flag.Int("block", 4, "block size (0: whole-matrix SVD)")
	topology := flag.String("topology", "clements", "mesh topology: reck or clements")
	name := flag.String("name", "mine", "the model's name and file name (a-z 0-9 - _)")
	seed := flag.Uint64("seed", 1, "seed of the phases and signs")
	out := flag.String("out", ".", "folder to write the file into")
	gz := flag.Bool("gzip", false, "also write NAME.json.gz")
	flag.Parse()
	if err := run(*set, *arch, *channels, *block, *topology, *name, *seed, *out, *gz); err != nil {
		fmt.Fprintln(os.Stderr, "randmodel:", err)
		os.Exit(2)
	}
}

func run(set, arch string, channels, block int, topology, name string, seed uint64, out string, gz bool) error {
	if err := dataset.CheckName(name); err != nil { // it becomes a file name
		return fmt.Errorf("-name: %w", err)
	}
	top, err := photonics.ParseTopology(topology)
	if err != nil {
		return fmt.Errorf("-topology: %w", err)
	}
	m, err := testnet.RandomModel(name, set, arch, channels, block, top, 3, seed)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := model.Write(&b, m); err != nil {
		return err
	}
	if _, err := model.Read(bytes.NewReader(b.Bytes()), name+".json"); err != nil {
		return fmt.Errorf("the file written does not read back: %w", err)
	}
	p := filepath.Join(out, name+".json")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		return err
	}
	if gz {
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(b.Bytes()) // a bytes.Buffer's writes do not fail
		if err := w.Close(); err != nil {
			return err
		}
		if err := os.WriteFile(p+".gz", z.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
