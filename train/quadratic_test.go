package train

import (
	"math"

	"github.com/meshlight/meshlight/photonics"
)

// bowl is an Objective with a known optimum: phases x, loss sum_i c_i (1 - cos(x_i -
// t_i)) (quadratic near t, minimum 0 at x = t), power sum_i x_i. Its "accuracy" is
// 100 (1 - loss/n). It counts queries and minibatches like a chip problem.
type bowl struct {
	x, t, c []float64
	samples int
	batches int
	queries int64
	flat    bool // loss is constant: every trial looks equally good
	bits    int  // control resolution (0: continuous)
	err     error
}

func newBowl(n int, offset func(i int) float64) *bowl {
	b := &bowl{x: make([]float64, n), t: make([]float64, n), c: make([]float64, n), samples: 1}
	for i := range n {
		b.t[i] = 1 + 4*float64(i)/float64(n) // targets in [1, 5): no wrap near the optimum
		b.c[i] = 1 + float64(i%3)
		b.x[i] = photonics.Wrap(b.t[i] + offset(i))
	}
	return b
}

func (b *bowl) Len() int            { return len(b.x) }
func (b *bowl) Phase(k int) float64 { return b.x[k] }
func (b *bowl) SetPhase(k int, phi float64) {
	if math.IsNaN(phi) || math.IsInf(phi, 0) {
		if b.err == nil {
			b.err = errBad
		}
		return
	}
	b.x[k] = photonics.Quantize(phi, b.bits)
}
func (b *bowl) Power() float64 {
	p := 0.0
	for _, v := range b.x {
		p += v
	}
	return p
}
func (b *bowl) PaperPower() float64 { return 2 * b.Power() } // unlike Power, so tests see which one a record took
func (b *bowl) value() float64 {
	if b.flat {
		return 1
	}
	f := 0.0
	for i, v := range b.x {
		f += b.c[i] * (1 - math.Cos(v-b.t[i]))
	}
	return f
}
func (b *bowl) Loss() float64       { b.queries++; return b.value() }
func (b *bowl) Samples() int        { return b.samples }
func (b *bowl) SetBatch([]int)      { b.batches++ }
func (b *bowl) Evaluate() float64   { return 100 * (1 - b.value()/float64(len(b.x))) }
func (b *bowl) Queries() int64      { return b.queries }
func (b *bowl) Err() error          { return b.err }
func (b *bowl) Resolution() float64 { return photonics.Quantum(b.bits) }
func (b *bowl) maxError() float64 { // largest |x_i - t_i| on the circle
	e := 0.0
	for i, v := range b.x {
		d := math.Abs(v - b.t[i])
		e = max(e, min(d, 2*math.Pi-d))
	}
	return e
}

type bad struct{}

func (bad) Error() string { return "bad phase value" }

var errBad = bad{}
