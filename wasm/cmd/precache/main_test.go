package main

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func site() fstest.MapFS {
	f := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	return fstest.MapFS{
		"index.html":           f("<!doctype html>"),
		"meshlight.js":         f("js"),
		"meshlight.wasm":       f("\x00asm raw"),
		"meshlight.wasm.gz":    f("\x1f\x8b gz"),
		"lone.wasm":            f("\x00asm no gzip beside it"),
		"models/mnist8.json":   f("{}"),
		"data/mnist8.bin.gz":   f("\x1f\x8b data"),
		"sw.js":                f("worker"),
		"precache.json":        f("{}"),
		".nojekyll":            f(""),
		".git/config":          f("secret"),
		"models/.hidden.json":  f("{}"),
		"e2e/nested/deep.json": f("[]"),
	}
}

// The manifest lists what the page needs offline, in order, and nothing else.
func TestBuildLists(t *testing.T) {
	m, err := Build(site())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"data/mnist8.bin.gz", "e2e/nested/deep.json", "index.html", "lone.wasm",
		"meshlight.js", "meshlight.wasm.gz", "models/mnist8.json"}
	if !slices.Equal(m.Files, want) {
		t.Errorf("files %q, want %q", m.Files, want)
	}
	if len(m.Version) != 16 || strings.Trim(m.Version, "0123456789abcdef") != "" {
		t.Errorf("version %q: want 16 hex digits", m.Version)
	}
}

// The version follows every listed byte and name, and nothing unlisted.
func TestVersionFollowsContent(t *testing.T) {
	base, err := Build(site())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		edit    func(fstest.MapFS)
		changes bool
	}{
		{"a byte of a model", func(s fstest.MapFS) { s["models/mnist8.json"].Data = []byte("{ ") }, true},
		{"a byte of the gzipped module", func(s fstest.MapFS) { s["meshlight.wasm.gz"].Data[3] = 'G' }, true},
		{"a file added", func(s fstest.MapFS) { s["style.css"] = &fstest.MapFile{Data: []byte("")} }, true},
		{"a file renamed", func(s fstest.MapFS) {
			s["models/mnist9.json"] = s["models/mnist8.json"]
			delete(s, "models/mnist8.json")
		}, true},
		{"bytes moved between names", func(s fstest.MapFS) {
			s["index.html"].Data, s["meshlight.js"].Data = []byte("<!doctype html>j"), []byte("s")
		}, true},
		{"the raw module (the gzip is cached)", func(s fstest.MapFS) { s["meshlight.wasm"].Data = []byte("other") }, false},
		{"the service worker", func(s fstest.MapFS) { s["sw.js"].Data = []byte("new worker") }, false},
		{"a dot-file", func(s fstest.MapFS) { s[".git/config"].Data = []byte("x") }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := site()
			for k, v := range s {
				s[k] = &fstest.MapFile{Data: slices.Clone(v.Data)}
			}
			tc.edit(s)
			m, err := Build(s)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Version != base.Version; got != tc.changes {
				t.Errorf("version %s -> %s: changed %v, want %v", base.Version, m.Version, got, tc.changes)
			}
		})
	}
}

// A folder without index.html is refused: the manifest of the wrong folder would cache a
// site that does not start.
func TestBuildRefusesNonSite(t *testing.T) {
	s := site()
	delete(s, "index.html")
	if _, err := Build(s); err == nil || !strings.Contains(err.Error(), "no index.html") {
		t.Errorf("error %v, want one naming index.html", err)
	}
}

// write replaces the manifest whole; the command's output is what Build says.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	for name, f := range maps.All(site()) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m, err := Build(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := write(dir, m); err != nil {
		t.Fatal(err)
	}
	again, err := Build(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if again.Version != m.Version {
		t.Errorf("writing the manifest changed the version %s -> %s", m.Version, again.Version)
	}
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil || !strings.Contains(string(b), `"version": "`+m.Version+`"`) {
		t.Errorf("manifest %s, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestName+".tmp")); !os.IsNotExist(err) {
		t.Errorf("temporary file left: %v", err)
	}
}
