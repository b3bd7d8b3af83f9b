package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The model file and the data files the CLI opens: a gzipped model is read like the
// page reads it, a model's dataset cannot name a path outside the data folder, and a
// data file that is not a regular file is refused before it is read.
func TestModelAndDataFiles(t *testing.T) {
	path, _ := fixture(t)
	dir := filepath.Dir(filepath.Dir(path))
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, "models", name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	withDataset := func(name string) []byte {
		var v map[string]any
		if err := json.Unmarshal(good, &v); err != nil {
			t.Fatal(err)
		}
		v["dataset"] = name
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(good)
	zw.Close()
	gz := write("blobs-mlp.json.gz", zipped.Bytes())
	evil := write("evil.json", withDataset("../../../evil"))
	passwd := write("passwd.json", withDataset("../../../../etc/passwd"))
	zeroData := t.TempDir()
	for _, f := range []string{"blobs-train.bin.gz", "blobs-test.bin.gz"} {
		if err := os.Symlink("/dev/zero", filepath.Join(zeroData, f)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		want   string // in stderr's last line
		refuse string // must not appear in stderr
	}{
		{"gzipped model", []string{"-model", gz, "-chip", "ideal", "-queries", "1000", "-eval", "1000"}, 0, "", ""},
		{"dataset with parent folders", []string{"-model", evil}, 2, `-model: evil.json: dataset: "../../../evil" is not a data set name`, "evil-train.bin.gz"},
		{"dataset naming /etc/passwd", []string{"-model", passwd}, 2, `-model: passwd.json: dataset: "../../../../etc/passwd" is not a data set name`, "/etc/passwd-train.bin.gz"},
		{"model is a device", []string{"-model", "/dev/zero"}, 2, "-model: zero: not a regular file (a character device)", ""},
		{"data is a device", []string{"-model", path, "-data", zeroData}, 2, "blobs-train.bin.gz: file: cannot read: not a regular file (a character device)", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(tc.args...)
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			last := lines[len(lines)-1]
			if code != tc.code || !strings.Contains(last, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, errOut, tc.code, tc.want)
			}
			if tc.refuse != "" && strings.Contains(errOut, tc.refuse) {
				t.Errorf("stderr %q names %q: the CLI built a path from the dataset", errOut, tc.refuse)
			}
			if tc.code == 0 && !strings.Contains(out, `"model":"blobs-mlp"`) {
				t.Errorf("stdout %q, want the summary of blobs-mlp", out)
			}
		})
	}
}
