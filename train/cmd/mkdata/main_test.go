package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/meshlight/meshlight/train/dataset"
)

// Two runs write identical bytes, -check accepts them and rejects a change.
// vowel4 keeps it cheap; the raw source comes from `make deps-data`.
func TestRunReproducible(t *testing.T) {
	if _, err := dataset.LocateVowel(); err != nil {
		t.Fatal(err)
	}
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := run(dir, false, []string{dataset.Vowel4}); err != nil {
			t.Fatal(err)
		}
	}
	for _, split := range []dataset.Split{dataset.Train, dataset.Test} {
		name := dataset.FileName(dataset.Vowel4, split)
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Fatalf("%s differs between two runs", name)
		}
	}
	if err := run(a, true, []string{dataset.Vowel4}); err != nil {
		t.Fatalf("-check after a run: %v", err)
	}
	if err := os.WriteFile(filepath.Join(a, dataset.FileName(dataset.Vowel4, dataset.Test)), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(a, true, []string{dataset.Vowel4}); err == nil {
		t.Fatal("-check accepted a changed file")
	}
	if err := run(a, false, []string{"mnist9"}); err == nil {
		t.Fatal("unknown data set accepted")
	}
}
