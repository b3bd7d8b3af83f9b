// Command mkdata writes the derived data subsets the site ships
// (static/data/<name>-<split>.bin.gz) from the raw sources, which
// `make deps-data` installs. The output depends only on the sources: two runs
// give identical bytes. Progress goes to stderr, one line per file with its
// size.
//
// Usage:
//
//	go run ./train/cmd/mkdata -out static/data [-check] [name ...]
//
// With -check nothing is written: mkdata fails if a file in -out differs
// from what it would write. Without names, every data set is made.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/meshlight/meshlight/train/dataset"
)

func main() {
	out := flag.String("out", "static/data", "output folder")
	check := flag.Bool("check", false, "compare with the files in -out instead of writing")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: mkdata [-out dir] [-check] [name ...]\nnames: %v\n", dataset.Names())
		flag.PrintDefaults()
	}
	flag.Parse()
	names := flag.Args()
	if len(names) == 0 {
		names = dataset.Names()
	}
	if err := run(*out, *check, names); err != nil {
		fmt.Fprintln(os.Stderr, "mkdata:", err)
		os.Exit(1)
	}
}

func run(out string, check bool, names []string) error {
	if !check {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
	}
	total, stale := 0, 0
	for _, name := range names {
		for _, split := range []dataset.Split{dataset.Test, dataset.Train} {
			s, err := dataset.LoadShipped(name, split)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := dataset.Write(&buf, s); err != nil {
				return fmt.Errorf("%s %s: %w", name, split, err)
			}
			path := filepath.Join(out, dataset.FileName(name, split))
			total += buf.Len()
			counts := s.ClassCounts()
			if check {
				old, err := os.ReadFile(path)
				status := "up to date"
				if err != nil || !bytes.Equal(old, buf.Bytes()) {
					status = "DIFFERS"
					stale++
				}
				fmt.Fprintf(os.Stderr, "%-34s %s\n", path, status)
				continue
			}
			if err := writeAtomic(path, buf.Bytes()); err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "%-34s %6d samples of %dx%dx%d, %d classes %v, %8d bytes\n",
				path, s.Len(), s.Shape[0], s.Shape[1], s.Shape[2], s.Classes, counts, buf.Len())
		}
	}
	if check {
		if stale > 0 {
			return fmt.Errorf("%d file(s) in %s differ from what `make data` writes", stale, out)
		}
		return nil
	}
	fmt.Fprintf(os.Stderr, "total %d bytes (%.2f MB) in %s\n", total, float64(total)/1e6, out)
	return nil
}

// writeAtomic writes through a temporary file in the same folder, so a
// failed run never leaves a half-written data file.
func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mkdata-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
