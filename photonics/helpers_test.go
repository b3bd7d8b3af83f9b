package photonics

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// haar returns a Haar-random n x n orthogonal matrix: Q of the QR of a
// Gaussian matrix, with column signs fixed so that R has a positive diagonal.
func haar(rng *rand.Rand, n int) *mat.Dense {
	g := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(g)
	var q, r mat.Dense
	qr.QTo(&q)
	qr.RTo(&r)
	for j := 0; j < n; j++ {
		if r.At(j, j) < 0 {
			for i := 0; i < n; i++ {
				q.Set(i, j, -q.At(i, j))
			}
		}
	}
	return &q
}

// gaussian returns an r x c matrix of N(0, scale^2) entries.
func gaussian(rng *rand.Rand, r, c int, scale float64) *mat.Dense {
	d := make([]float64, r*c)
	for i := range d {
		d[i] = scale * rng.NormFloat64()
	}
	return mat.NewDense(r, c, d)
}

func randomPhases(rng *rand.Rand, n int) []float64 {
	p := make([]float64, n)
	for i := range p {
		p[i] = twoPi * rng.Float64()
	}
	return p
}

func randomSigns(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = 1
		if rng.IntN(2) == 0 {
			s[i] = -1
		}
	}
	return s
}

// maxDiff returns max |a - b| of two equally shaped matrices.
func maxDiff(t *testing.T, a, b mat.Matrix) float64 {
	t.Helper()
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if ar != br || ac != bc {
		t.Fatalf("shape %dx%d vs %dx%d", ar, ac, br, bc)
	}
	worst := 0.0
	for i := 0; i < ar; i++ {
		for j := 0; j < ac; j++ {
			if d := math.Abs(a.At(i, j) - b.At(i, j)); d > worst || math.IsNaN(d) {
				worst = d
			}
		}
	}
	return worst
}

func maxDiffSlice(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	worst := 0.0
	for i := range a {
		if d := math.Abs(a[i] - b[i]); d > worst || math.IsNaN(d) {
			worst = d
		}
	}
	return worst
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }
