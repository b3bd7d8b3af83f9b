package model_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/internal/limitio"
	"github.com/meshlight/meshlight/train/model"
)

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A model's dataset becomes a file path (DIR/<dataset>-train.bin.gz in the CLI, a URL in
// the page): only a plain name passes, and the error names the file and the field.
func TestReadRefusesDatasetPaths(t *testing.T) {
	m, _ := randomModel(t, "3-2", 1, 2, photonics.Reck, 3)
	data := encode(t, m)
	for _, tc := range []struct {
		name, dataset, want string // want "" means accepted
	}{
		{"plain", "mnist8", ""},
		{"with dash", "fmnist32-x_1", ""},
		{"parent folders", "../../../evil", `evil.json: dataset: "../../../evil" is not a data set name: byte 0 is '.'`},
		{"etc passwd", "../../../../etc/passwd", `evil.json: dataset: "../../../../etc/passwd" is not a data set name`},
		{"absolute", "/etc/passwd", "evil.json: dataset: \"/etc/passwd\" is not a data set name: byte 0 is '/'"},
		{"backslash", `..\models\x`, `evil.json: dataset: "..\\models\\x" is not a data set name`},
		{"sub folder", "data/mnist8", "byte 4 is '/'"},
		{"url", "https://example.invalid/x", "byte 5 is ':'"},
		{"hidden file", ".env", "byte 0 is '.'"},
		{"upper case", "MNIST8", "byte 0 is 'M'"},
		{"empty", "", `evil.json: dataset: "" is not a data set name: 0 bytes`},
		{"blank", "  ", "byte 0 is ' '"},
		{"too long", strings.Repeat("a", 33), "33 bytes, want 1..32"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := mutate(t, data, func(v map[string]any) { v["dataset"] = tc.dataset })
			got, err := model.Read(bytes.NewReader(d), "evil.json")
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("dataset %q refused: %v", tc.dataset, err)
			case tc.want == "" && got.Dataset != tc.dataset:
				t.Fatalf("dataset %q read as %q", tc.dataset, got.Dataset)
			case tc.want != "" && err == nil:
				t.Fatalf("dataset %q accepted", tc.dataset)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("dataset %q: error %q, want it to contain %q", tc.dataset, err, tc.want)
			}
		})
	}
	m.Dataset = "../x"
	if err := m.Validate(); err == nil || !strings.HasPrefix(err.Error(), "dataset: ") {
		t.Errorf("Validate of dataset ../x: %v, want a dataset error", err)
	}
}

// The model reader reads gzipped files (.json.gz, which the page accepts) as well as
// plain ones, with the size limit applied before and after decompression.
func TestReadGzip(t *testing.T) {
	m, _ := randomModel(t, "4-3-2", 1, 2, photonics.Clements, 4)
	plain := encode(t, m)
	zipped := gzipped(t, plain)
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json.gz")
	if err := os.WriteFile(path, zipped, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := model.ReadFile(path)
	if err != nil {
		t.Fatalf("ReadFile of a .json.gz: %v", err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Fatal("ReadFile of the gzipped model differs from the model")
	}
	// 33 MiB of JSON that gzip shrinks to some 30 kB.
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	io.WriteString(zw, `{"format": "meshlight-model/1", "name": "`)
	io.Copy(zw, io.LimitReader(zeros{}, model.MaxFileSize+1<<20))
	io.WriteString(zw, `"}`)
	zw.Close()
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"cut", zipped[:len(zipped)/2], "m.json.gz: gzip stream damaged: unexpected EOF"},
		{"bad checksum", func() []byte { b := bytes.Clone(zipped); b[len(b)-5] ^= 1; return b }(), "m.json.gz: gzip stream damaged: gzip: invalid checksum"},
		{"data after", append(bytes.Clone(zipped), 'x'), "m.json.gz: data after the gzip stream"},
		{"bad header", []byte{0x1f, 0x8b, 1, 2, 3}, "m.json.gz: gzip header:"},
		{"larger than the limit once decompressed", bomb.Bytes(), "m.json.gz: gzipped, larger than the 32 MiB limit of a model file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := model.Read(bytes.NewReader(tc.data), "m.json.gz")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// ReadFile refuses what is not a regular file within MaxFileSize before reading it.
func TestReadFileRefuses(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, model.MaxFileSize+1); err != nil { // sparse
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.json")
	hasFifo := limitio.Mkfifo(fifo) == nil // not on js/wasm
	for _, tc := range []struct {
		name, path, want string
	}{
		{"device", "/dev/zero", "zero: not a regular file (a character device)"},
		{"named pipe", fifo, "fifo.json: not a regular file (a named pipe)"},
		{"folder", dir, filepath.Base(dir) + ": not a regular file (a folder)"},
		{"too large", big, "big.json: a model file of 33554433 bytes, more than the 32 MiB limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.path == fifo && !hasFifo {
				t.Skip("no named pipes on this system")
			}
			_, err := model.ReadFile(tc.path)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to start with %q", err, tc.want)
			}
		})
	}
}

// A file of empty lists or objects within MaxFileSize is refused after counting them,
// before decoding: decoding them used to cost 8 to 16 times the file's size (2.5 GB for
// 30 MB of "{},").
func TestReadCountsContainers(t *testing.T) {
	fill := func(head, item, tail string, size int) []byte {
		var b bytes.Buffer
		b.WriteString(head)
		for b.Len() < size {
			b.WriteString(item)
		}
		b.WriteString(tail)
		return b.Bytes()
	}
	const size = 8 << 20
	m, _ := randomModel(t, "3-2", 1, 2, photonics.Reck, 3)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty layers", fill(`{"layers": [`, `{},`, `{}]}`, size), "c.json: offset 786: more than 259 objects, more than a model of at most 64 layers holds"},
		{"empty rows", fill(`{"layers": [{"phases": {"u": [`, `[],`, `[]]}}]}`, size), "c.json: offset 786456: more than 262144 arrays"},
		{"one-value rows", fill(`{"layers": [{"phases": {"u": [`, `[0],`, `[0]]}}]}`, size), "more than 262144 arrays"},
		{"65 layers", mutate(t, encode(t, m), func(v map[string]any) {
			l := v["layers"].([]any)
			for len(l) < 65 {
				l = append(l, l[0])
			}
			v["layers"] = l
		}), "c.json: layers: 65, more than 64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := model.Read(bytes.NewReader(tc.data), "c.json")
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if n, limit := after.TotalAlloc-before.TotalAlloc, uint64(4*len(tc.data)+1<<20); n > limit {
				t.Errorf("%d bytes allocated to refuse %d bytes, want at most %d", n, len(tc.data), limit)
			}
		})
	}
	// Brackets inside strings are not counted.
	d := mutate(t, encode(t, m), func(v map[string]any) { v["preprocessing"] = strings.Repeat(`[{\"`, 300000) })
	if _, err := model.Read(bytes.NewReader(d), "s.json"); err != nil {
		t.Errorf("brackets in a string: %v", err)
	}
}

// CheckCapacity refuses, before any training, a geometry whose model file Read would
// refuse, and passes every shipped geometry; its size bound holds for a written file.
func TestCheckCapacity(t *testing.T) {
	for _, tc := range []struct {
		arch     string
		channels int
		block    int
		want     string // "" for no error
	}{
		{"784-32-32-10", 1, 8, ""},
		{"32x32-c8s2-c8s2-10", 3, 8, ""},
		{"4096-4096-10", 1, 8, "arrays in its model file"},
		{"4096-1024-10", 1, 64, "MiB limit"},
		{"5000-10", 1, 0, "whole-matrix layer"},
	} {
		m, err := model.New("x", "mnist28", tc.arch, tc.channels, tc.block, 3, photonics.Clements, 4)
		if err != nil {
			t.Fatal(err)
		}
		err = m.CheckCapacity()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s block %d: %v, want %q", tc.arch, tc.block, err, tc.want)
		}
	}
	// The bound is an upper bound: a random model's written file is smaller.
	m, _ := randomModel(t, "64-24-10", 1, 8, photonics.Reck, 1)
	var b bytes.Buffer
	if err := model.Write(&b, m); err != nil {
		t.Fatal(err)
	}
	signs, lists := 0, 0
	for _, l := range m.Layer {
		for b := range l.Signs.U {
			signs += len(l.Signs.U[b]) + len(l.Signs.V[b])
			lists += 5
		}
	}
	if bound := 23*m.NumPhases() + 3*signs + 12*lists + 4<<10; b.Len() > bound {
		t.Errorf("written %d bytes, above the bound %d", b.Len(), bound)
	}
}
