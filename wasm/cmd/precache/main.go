// Command precache writes the site's offline manifest, DIR/precache.json: the files that
// static/sw.js (the page's service worker) caches on a first visit so that the page
// reloads and runs with no network, and a version that is a digest of their contents.
//
// Usage: precache -dir static
//
// The manifest lists every regular file under DIR except dot-files and dot-folders, the
// manifest itself, the service worker (the browser keeps that one up to date itself) and
// the raw WebAssembly modules X.wasm that have a gzip X.wasm.gz beside them: the page
// fetches the gzips and inflates them itself (static/fetchwasm.js), so the cache holds the
// smaller form. Its version changes when any byte of a listed file, or the list, changes:
// the page registers the service worker under that version, and a new build of the site
// replaces the cache.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// ManifestName is the manifest's file name in the site's folder.
const ManifestName = "precache.json"

// workerName is the service worker's file name, left out of its own cache.
const workerName = "sw.js"

// Manifest is what the service worker caches, under which version.
type Manifest struct {
	Version string   `json:"version"` // hex digest of Files' names and contents
	Files   []string `json:"files"`   // slash-separated paths relative to the site, sorted
}

func main() {
	dir := flag.String("dir", "static", "the site's folder")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "precache: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	m, err := Build(os.DirFS(*dir))
	if err == nil {
		err = write(*dir, m)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "precache: %s: %v\n", *dir, err)
		os.Exit(1)
	}
	fmt.Printf("%s/%s: %d files, version %s\n", *dir, ManifestName, len(m.Files), m.Version)
}

// Build lists the files of site to cache and digests them.
func Build(site fs.FS) (Manifest, error) {
	var files []string
	err := fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() || p == ManifestName || p == workerName {
			return nil
		}
		if path.Ext(p) == ".wasm" {
			if _, err := fs.Stat(site, p+".gz"); err == nil {
				return nil
			}
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return Manifest{}, err
	}
	if !slices.Contains(files, "index.html") {
		return Manifest{}, errors.New("no index.html: not a site folder")
	}
	slices.Sort(files) // WalkDir's lexical order per folder is not the order of full paths
	sum := sha256.New()
	for _, p := range files {
		if err := digest(sum, site, p); err != nil {
			return Manifest{}, err
		}
	}
	return Manifest{Version: hex.EncodeToString(sum.Sum(nil))[:16], Files: files}, nil
}

// digest adds one file's name and contents to sum, each prefixed by its length so that no
// two lists of files give the same stream.
func digest(sum hash.Hash, site fs.FS, p string) error {
	f, err := site.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	fmt.Fprintf(sum, "%d:%s:%d:", len(p), p, st.Size())
	if n, err := io.Copy(sum, f); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	} else if n != st.Size() {
		return fmt.Errorf("%s: read %d bytes, its size is %d (changed while read)", p, n, st.Size())
	}
	return nil
}

// write writes m to dir's manifest through a temporary file, so that a server never
// sends half of one.
func write(dir string, m Manifest) error {
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, ManifestName+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, ManifestName))
}
