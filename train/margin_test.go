package train

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/meshlight/meshlight/photonics"
)

// noisyBowl is a bowl whose minibatches disagree: each minibatch adds its own random
// slope to the loss, sum_i g_i (x_i - t_i) with g_i ~ N(0, slope^2), as a small
// minibatch's loss differs from the pool's. At the optimum, on an 8-bit grid, a trial of
// one code then wins or loses mostly by the minibatch's slope: the mechanism that makes
// SZO-SCD un-learn on the method's chip.
type noisyBowl struct {
	*bowl
	g     []float64
	slope float64
	rng   *rand.Rand
}

func newNoisyBowl(n int, slope float64, seed uint64) *noisyBowl {
	b := newBowl(n, func(int) float64 { return 0 })
	b.bits = photonics.DefaultBits
	for i := range b.x {
		b.c[i] /= 100                               // a wide, flat valley, as a trained network's
		b.t[i] = photonics.Quantize(b.t[i], b.bits) // the optimum is on the grid
		b.x[i] = b.t[i]
	}
	return &noisyBowl{bowl: b, g: make([]float64, n), slope: slope, rng: rand.New(rand.NewPCG(seed, 9))}
}

func (b *noisyBowl) SetBatch(s []int) {
	b.bowl.SetBatch(s)
	for i := range b.g {
		b.g[i] = b.slope * b.rng.NormFloat64()
	}
}

func (b *noisyBowl) Loss() float64 {
	l := b.bowl.Loss()
	for i, v := range b.x {
		l += b.g[i] * (v - b.t[i])
	}
	return l
}

// meanError returns the mean |x_i - t_i| on the circle.
func (b *noisyBowl) meanError() float64 {
	e := 0.0
	for i, v := range b.x {
		d := math.Abs(v - b.t[i])
		e += min(d, 2*math.Pi-d)
	}
	return e / float64(len(b.x))
}

// Started at the optimum with minibatch noise larger than a code's true effect, the
// method's rule walks away from it (sign descent on noise, at a step that cannot shrink)
// and the margin variant stays: the failure and the fix of issue 17, on a problem whose
// optimum is known.
func TestMarginHoldsTheOptimum(t *testing.T) {
	code := photonics.Quantum(photonics.DefaultBits)
	run := func(m *SZOSCD) float64 {
		b := newNoisyBowl(40, 0.05, 7)
		r, err := NewRun(b, m, Settings{Batch: 1, Step: code, Decay: 1, MaxIterations: 3000, EvalEvery: 1 << 40, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Finish(); err != nil {
			t.Fatal(err)
		}
		return b.meanError()
	}
	paper := run(&SZOSCD{S: 0.25})
	margin := run(&SZOSCD{S: 0.25, Margin: Margin{Scale: 8}})
	if paper < 5*code {
		t.Errorf("the method's rule stays within %.2f codes of the optimum on average; the test's noise should make it walk", paper/code)
	}
	if margin > 1*code || margin > paper/5 {
		t.Errorf("the margin variant ends %.2f codes from the optimum on average (the method's rule %.2f), want at most 1 and a fifth", margin/code, paper/code)
	}
}

// The margin ramps from zero over Ramp iterations, and its adaptive part follows the
// size of the loss changes the trials saw.
func TestMarginSchedule(t *testing.T) {
	m := &SZOSCD{S: 1, Margin: Margin{Tau: 0.01, Scale: 2, Ramp: 4, Down: 0.5}}
	if err := m.Init(3, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	m.noise, m.bias = 0.02, 0
	for it, want := range []float64{0, 0.25, 0.5, 0.75, 1, 1} {
		m.iter = it
		up, down := m.margin()
		full := 0.01 + 2*0.02
		if math.Abs(up-want*full) > 1e-15 || math.Abs(down-0.5*up) > 1e-15 {
			t.Errorf("iteration %d: margins %g and %g, want %g and half", it, up, down, want*full)
		}
	}
	m.Margin.Grow = 0.5 // after the ramp: 1 + 0.5 ln(t / 4)
	for _, it := range []int{4, 8, 4 * 20} {
		m.iter = it
		up, _ := m.margin()
		if want := (0.01 + 2*0.02) * (1 + 0.5*math.Log(float64(it)/4)); math.Abs(up-want) > 1e-15 {
			t.Errorf("iteration %d: margin %g, want %g (growing by half per e-fold after the ramp)", it, up, want)
		}
	}
	m.Margin.Grow = 0
	m.noise, m.bias, m.iter = 0, 1, 10
	for n := range 5000 {
		m.observe(-0.3)
		if up, _ := m.margin(); math.Abs(up-(0.01+2*0.3)) > 1e-9 {
			t.Fatalf("margin %g after %d trials of |delta L| 0.3, want %g from the first (the running mean corrected for its start)", up, n+1, 0.01+2*0.3)
		}
	}
	m.observe(math.NaN())
	if math.IsNaN(m.noise) {
		t.Error("a NaN trial entered the running mean")
	}
}
