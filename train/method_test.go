package train

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/meshlight/meshlight/photonics"
)

func spread(i int) float64 { return 0.3 * math.Sin(float64(3*i+1)) } // offsets in [-0.3, 0.3]

// Every method finds the optimum of the bowl; the step decays by 0.97 per iteration
// (one sample = one epoch per iteration).
func TestMethodsConverge(t *testing.T) {
	for _, tc := range []struct {
		name   string
		method Method
		step   float64
		decay  float64
		iters  int
		tol    float64 // on max |x_i - t_i|
	}{
		{"szo-scd", &SZOSCD{S: 1}, 0.03, 0.97, 400, 1e-3},
		{"szo-scd sparse pruned", &SZOSCD{S: 0.25, Prune: 1}, 0.03, 0.99, 1500, 1e-3},
		{"zadam", &ZAdam{S: 1, Mu: 1e-3}, 0.03, 0.97, 400, 1e-3},
		{"znewton", &ZNewton{S: 1, Mu: 1e-3}, 0.03, 0.97, 400, 1e-3},
		{"stp", &STP{S: 0.5}, 0.03, 0.97, 600, 1e-3},
		{"flops", &FLOPS{S: 1, Q: 60, Mu: 1e-3}, 0.3, 0.97, 400, 1e-2},
		{"penalty 0", &Penalty{Method: &SZOSCD{S: 1}, Budget: 1}, 0.03, 0.97, 400, 1e-3},
		{"szo-scd stale", &SZOSCD{S: 1, Stale: true}, 0.03, 0.97, 400, 1e-3},
		{"szo-scd margin", &SZOSCD{S: 1, Margin: Margin{Tau: 1e-9, Ramp: 50}}, 0.03, 0.97, 400, 1e-3}, // a margin below the gains
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBowl(20, spread)
			r, err := NewRun(b, tc.method, Settings{Batch: 1, Step: tc.step, Decay: tc.decay, MaxIterations: tc.iters, EvalEvery: 1 << 40, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Finish(); err != nil {
				t.Fatal(err)
			}
			if e := b.maxError(); e > tc.tol {
				t.Errorf("max phase error %.3g after %d iterations, want <= %g", e, tc.iters, tc.tol)
			}
		})
	}
}

// counter is an ActiveSet of constant loss that counts queries.
type counter struct {
	x       []float64
	queries int
}

func (c *counter) Len() int                    { return len(c.x) }
func (c *counter) Phase(k int) float64         { return c.x[k] }
func (c *counter) SetPhase(k int, phi float64) { c.x[k] = photonics.Wrap(phi) }
func (c *counter) Power() float64              { return 0 }
func (c *counter) Loss() float64               { c.queries++; return 1 }

// One iteration makes exactly the queries the method documents, and Cost bounds them
// (exactly, but for SZO-SCD's re-query after a step back, whose count depends on the
// trials: on a flat loss every trial fails).
func TestQueryAccounting(t *testing.T) {
	const n = 53
	for _, tc := range []struct {
		name   string
		method Method
		want   int
		cost   int // Cost(n), when it is not want
	}{
		{"szo-scd", &SZOSCD{S: 0.1}, 1 + 2*5, 0},                      // every trial steps back and re-queries
		{"szo-scd pruned", &SZOSCD{S: 0.1, Prune: 1}, 1 + 5, 1 + 2*5}, // phases at 0: every step back would wrap
		{"szo-scd dense", &SZOSCD{S: 1}, 1 + 2*n, 0},
		{"szo-scd stale", &SZOSCD{S: 0.1, Prune: 1, Stale: true}, 1 + 5, 0},
		{"szo-scd stale dense", &SZOSCD{S: 1, Stale: true}, 1 + n, 0},
		{"szo-scd margin", &SZOSCD{S: 0.1, Margin: Margin{Tau: 0.1}}, 1 + 2*5, 0}, // every step back queried, then held
		{"szo-scd margin pruned", &SZOSCD{S: 0.1, Prune: 1, Margin: Margin{Tau: 0.1}}, 1 + 5, 1 + 2*5},
		{"zadam", &ZAdam{S: 0.1, Mu: 0.01}, 2 * 5, 0},
		{"zadam dense", &ZAdam{S: 1, Mu: 0.01}, 2 * n, 0},
		{"znewton", &ZNewton{S: 0.1, Mu: 0.01}, 3 * 5, 0},
		{"stp", &STP{S: 0.1}, 1 + 2*5, 0},
		{"stp tiny s", &STP{S: MinFraction}, 1 + 2*1, 0},
		{"flops", &FLOPS{S: 0.1, Q: 60, Mu: 0.01}, 61, 0},
		{"flops dense", &FLOPS{S: 1, Q: 7, Mu: 0.01}, 8, 0},
		{"admm", &Penalty{Method: &SZOSCD{S: 0.1}, Lambda: 1, Budget: 1}, 1 + 2*5, 0},
		{"admm stale", &Penalty{Method: &SZOSCD{S: 0.1, Stale: true}, Lambda: 1, Budget: 1}, 1 + 5, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cost == 0 {
				tc.cost = tc.want
			}
			c := &counter{x: make([]float64, n)}
			if err := tc.method.Init(n, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			for it := range 3 {
				c.queries = 0
				tc.method.Iterate(c, 0.02)
				if c.queries != tc.want || tc.method.Cost(n) != tc.cost {
					t.Errorf("iteration %d made %d queries, Cost says %d; want %d and %d", it, c.queries, tc.method.Cost(n), tc.want, tc.cost)
				}
			}
		})
	}
}

// A run counts every query of every iteration and makes no query beyond its budget: the
// iteration that would overrun it is cut before that query and does not count.
func TestRunBudget(t *testing.T) {
	b := newBowl(40, spread)
	m := &SZOSCD{S: 0.25, Prune: 1, Stale: true} // exactly 1 + 10 queries per iteration
	r, err := NewRun(b, m, Settings{Batch: 1, Step: 0.02, Decay: 1, MaxQueries: 1000, EvalEvery: 100, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
	// 90 iterations of 11 queries, then 10 queries of a 91st that is cut
	if r.Queries() != 1000 || b.queries != 1000 || r.Iteration() != 90 {
		t.Errorf("%d queries (objective %d) in %d iterations, want 1000 in 90", r.Queries(), b.queries, r.Iteration())
	}
	if b.batches != 91 {
		t.Errorf("%d minibatches for 90 iterations and a cut one", b.batches)
	}
	c := r.Curve()
	if c[0].Queries != 0 || c[0].Iteration != 0 || !math.IsNaN(c[0].Loss) {
		t.Errorf("first record %+v, want the deployed state", c[0])
	}
	last := c[len(c)-1]
	if last.Queries != 1000 || last.Iteration != 90 {
		t.Errorf("last record %+v, want queries 1000 at iteration 90", last)
	}
	for i := 1; i < len(c)-1; i++ { // one record per crossed multiple of 100
		if c[i].Queries/100 != int64(i) {
			t.Errorf("record %d at %d queries", i, c[i].Queries)
		}
	}
	for i, rec := range c { // both powers of the objective as it was (the bowl's paper power is twice its power)
		if !(rec.Power > 0) || rec.PaperPower != 2*rec.Power {
			t.Errorf("record %d: power %v, paper power %v, want twice the power", i, rec.Power, rec.PaperPower)
		}
	}
	if last.Power != b.Power() || last.PaperPower != b.PaperPower() {
		t.Errorf("last record: powers %v %v, the bowl's %v %v", last.Power, last.PaperPower, b.Power(), b.PaperPower())
	}
	// energy is the power summed over queries; power only changes between queries here
	if !(last.Energy > 0) || last.Energy > 1000*40*2*math.Pi {
		t.Errorf("energy %v out of range", last.Energy)
	}
	for _, s := range []Settings{{Batch: 1, Step: 0.02, Decay: 1, MaxIterations: 7, EvalEvery: 5}} {
		b := newBowl(40, spread)
		r, _ := NewRun(b, &ZNewton{S: 0.1, Mu: 0.01}, s)
		if err := r.Finish(); err != nil || r.Iteration() != 7 || r.Queries() != 7*12 {
			t.Errorf("iteration budget: %d iterations, %d queries, err %v", r.Iteration(), r.Queries(), err)
		}
	}
}

// With a flat loss every trial fails: without pruning the phases step down and wrap
// around forever; with p = 1 a step back that would wrap below 0 is skipped, so every
// phase ends in [0, d) and the power almost vanishes.
func TestPowerAwarePruning(t *testing.T) {
	const n, d = 30, 0.02
	power := func(p float64) (float64, *SZOSCD) {
		b := newBowl(n, spread)
		b.flat = true
		m := &SZOSCD{S: 1, Prune: p}
		r, err := NewRun(b, m, Settings{Batch: 1, Step: d, Decay: 1, MaxIterations: 400, EvalEvery: 1 << 40, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Finish(); err != nil {
			t.Fatal(err)
		}
		return b.Power(), m
	}
	p1, m1 := power(1)
	p0, m0 := power(0)
	ph, mh := power(0.5)
	if p1 >= n*d {
		t.Errorf("p = 1: power %v, want < %v (every phase in [0, d))", p1, n*d)
	}
	if p0 < n*1.0 {
		t.Errorf("p = 0: power %v, want the phases spread around the circle (> %v)", p0, n*1.0)
	}
	if m0.Pruned != 0 || m1.Pruned == 0 || mh.Pruned == 0 || m0.Accepted+m1.Accepted != 0 {
		t.Errorf("counters: p=0 %+v, p=1 %+v", *m0, *m1)
	}
	if !(ph > p1) || !(mh.Pruned < m1.Pruned*400) {
		t.Errorf("p = 0.5: power %v (p=1: %v), pruned %d", ph, p1, mh.Pruned)
	}
	if got := m1.Accepted + m1.SteppedBack + m1.Pruned; got != 400*n {
		t.Errorf("p = 1: %d decisions, want %d", got, 400*n)
	}
}

// The penalty view adds lambda times the power (the sum of the active phases) to every
// loss. The dual update drives the power to a binding budget (and lambda above 0), and
// lets lambda fall to 0 under a loose one, where the method finds the plain optimum.
func TestPenalty(t *testing.T) {
	b := newBowl(10, spread)
	p := &Penalty{Method: &SZOSCD{S: 1}, Lambda: 2, Budget: 1}
	if err := p.Init(10, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	p.view.ActiveSet = b
	if got, want := p.view.Loss(), b.value()+2*b.Power(); math.Abs(got-want) > 1e-12 {
		t.Errorf("penalized loss %v, want %v", got, want)
	}
	for _, tc := range []struct {
		name   string
		budget float64
	}{{"binding budget", 0.8}, {"loose budget", 1.5}} {
		for _, in := range []struct {
			name   string
			method Method
		}{{"znewton", &ZNewton{S: 1, Mu: 1e-3}}, {"szo-scd", &SZOSCD{S: 1}}} {
			inner := in.method
			t.Run(tc.name+"/"+in.name, func(t *testing.T) {
				bw := newBowl(10, spread)
				deployed := bw.Power()
				pen := &Penalty{Method: inner, Lambda: 0.1, Budget: tc.budget, Rho: 0.05}
				r, _ := NewRun(bw, pen, Settings{Batch: 1, Step: 0.03, Decay: 0.995, MaxIterations: 3000, EvalEvery: 1 << 40, Seed: 1})
				if err := r.Finish(); err != nil {
					t.Fatal(err)
				}
				budget := tc.budget * deployed
				switch tc.name {
				case "binding budget":
					if d := bw.Power()/budget - 1; math.Abs(d) > 0.02 || pen.Multiplier() <= 0 {
						t.Errorf("power %.4g against budget %.4g (%+.2g), lambda %v; want the power at the budget, lambda > 0",
							bw.Power(), budget, d, pen.Multiplier())
					}
				default:
					if pen.Multiplier() != 0 || bw.maxError() > 0.02 {
						t.Errorf("lambda %v, phase error %v; want lambda 0 and the plain optimum", pen.Multiplier(), bw.maxError())
					}
				}
			})
		}
	}
}

// nanMethod sets a NaN phase in its third iteration.
type nanMethod struct{ it int }

func (m *nanMethod) Init(int, *rand.Rand) error { return nil }
func (m *nanMethod) Cost(int) int               { return 1 }
func (m *nanMethod) Iterate(a ActiveSet, step float64) float64 {
	m.it++
	if m.it == 3 {
		a.SetPhase(0, math.NaN())
	}
	return a.Loss()
}

func TestBadInput(t *testing.T) {
	good := DefaultSettings()
	good.Batch, good.Validation = 1, 0 // the bowl has one sample
	for _, tc := range []struct {
		name string
		err  func() error
		want string
	}{
		{"optimizer", func() error { _, err := NewMethod("sgd", DefaultOptions()); return err }, "optimizer = sgd, want one of admm, flops, stp, szo-scd, szo-scd-margin, zadam, znewton"},
		{"s", func() error { o := DefaultOptions(); o.S = 0; _, err := NewMethod("stp", o); return err }, "s = 0, want 1e-06 <= s <= 1"},
		{"s > 1", func() error { o := DefaultOptions(); o.S = 1.5; _, err := NewMethod("stp", o); return err }, "s = 1.5"},
		{"p", func() error { o := DefaultOptions(); o.P = -0.1; _, err := NewMethod("szo-scd", o); return err }, "p = -0.1, want 0 <= p <= 1"},
		{"mu", func() error { o := DefaultOptions(); o.Mu = math.NaN(); _, err := NewMethod("zadam", o); return err }, "mu = NaN"},
		{"q", func() error { o := DefaultOptions(); o.Q = 0; _, err := NewMethod("flops", o); return err }, "q = 0, want 1 <= q <= 1000000"},
		{"lambda", func() error { o := DefaultOptions(); o.Lambda = -1; _, err := NewMethod("admm", o); return err }, "lambda = -1"},
		{"batch", func() error { s := good; s.Batch = 0; _, err := NewRun(newBowl(3, spread), &STP{S: 1}, s); return err }, "batch = 0"},
		{"step", func() error { s := good; s.Step = -1; _, err := NewRun(newBowl(3, spread), &STP{S: 1}, s); return err }, "lr = -1"},
		{"decay", func() error {
			s := good
			s.Decay = 1.1
			_, err := NewRun(newBowl(3, spread), &STP{S: 1}, s)
			return err
		}, "decay = 1.1"},
		{"budget", func() error {
			s := good
			s.MaxQueries = -5
			_, err := NewRun(newBowl(3, spread), &STP{S: 1}, s)
			return err
		}, "queries = -5, want a budget >= 0"},
		{"eval", func() error {
			s := good
			s.EvalEvery = 0
			_, err := NewRun(newBowl(3, spread), &STP{S: 1}, s)
			return err
		}, "eval = 0"},
		{"method init", func() error { _, err := NewRun(newBowl(3, spread), &SZOSCD{S: 2}, good); return err }, "s = 2"},
		{"no phases", func() error { _, err := NewRun(newBowl(0, spread), &SZOSCD{S: 1}, good); return err }, "no active phases"},
		{"config alpha", func() error { c := DefaultConfig(); c.Alpha = 0; return c.Validate() }, "alpha = 0, want 1e-06 <= alpha <= 1"},
		{"config gamma std", func() error { c := DefaultConfig(); c.GammaStd = -1; return c.Validate() }, "gamma-std = -1"},
		{"config huge drift", func() error { c := DefaultConfig(); c.GammaStd = 0.2; return c.Validate() }, "gamma-std = 0.2, want a relative drift"},
		{"config vpi", func() error { c := DefaultConfig(); c.VPi = -4; return c.Validate() }, "vpi = -4"},
		{"config bits", func() error { c := DefaultConfig(); c.Bits = 17; return c.Validate() }, "bits = 17, want 0 <= bits <= 16"},
		{"config negative bits", func() error { c := DefaultConfig(); c.Bits = -1; return c.Validate() }, "bits = -1"},
		{"config step below a code", func() error { c := DefaultConfig(); c.Step = 0.005; return c.Validate() }, "lr = 0.005, want at least one control code, 0.02454 rad at 8 bits"},
		{"config mu below a code", func() error { c := DefaultConfig(); c.Optimizer, c.Mu = "zadam", 0.01; return c.Validate() }, "mu = 0.01, want at least one control code"},
		{"batch above the training set", func() error { s := good; s.Batch = 2; _, err := NewRun(newBowl(3, spread), &STP{S: 1}, s); return err },
			"batch = 2, want 1 <= batch <= 1, the training set's size"},
		{"q absurd", func() error { o := DefaultOptions(); o.Q = 1_000_000_000; _, err := NewMethod("flops", o); return err }, "q = 1000000000, want 1 <= q <= 1000000"},
		{"margin tau", func() error {
			o := DefaultOptions()
			o.Margin.Tau = math.Inf(1)
			_, err := NewMethod("szo-scd-margin", o)
			return err
		}, "tau = +Inf"},
		{"margin down", func() error {
			o := DefaultOptions()
			o.Margin.Down = 2
			_, err := NewMethod("szo-scd-margin", o)
			return err
		}, "margin-down = 2"},
		{"margin grow", func() error {
			o := DefaultOptions()
			o.Margin.Grow = math.NaN()
			_, err := NewMethod("szo-scd-margin", o)
			return err
		}, "margin-grow = NaN"},
		{"margin ramp", func() error {
			o := DefaultOptions()
			o.Margin.Ramp = -1
			_, err := NewMethod("szo-scd-margin", o)
			return err
		}, "margin-ramp = -1"},
		{"margin stale", func() error {
			_, err := NewRun(newBowl(3, spread), &SZOSCD{S: 1, Stale: true, Margin: Margin{Tau: 1}}, good)
			return err
		}, "no stale reference with a margin"},
		{"admm budget", func() error { o := DefaultOptions(); o.Budget = 0; _, err := NewMethod("admm", o); return err }, "budget = 0"},
		{"config crosstalk", func() error { c := DefaultConfig(); c.Crosstalk = math.Inf(1); return c.Validate() }, "crosstalk = +Inf"},
		{"NaN phase", func() error {
			s := good
			s.MaxIterations = 10
			r, _ := NewRun(newBowl(3, spread), &nanMethod{}, s)
			return r.Finish()
		}, "iteration 3: bad phase value"},
	} {
		err := tc.err()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	var fe *FieldError
	c := DefaultConfig()
	c.P = 2
	if err := c.Validate(); !errorsAs(err, &fe) || fe.Field != "p" {
		t.Errorf("config p = 2: %v, want a FieldError for p", err)
	}
}

// A budget holds inside an iteration however large the iteration: FLOPS with a million
// samples per iteration stops at the query budget, and at the first query past a
// wall-time budget.
func TestBudgetInsideAnIteration(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  Settings
	}{
		{"queries", Settings{Batch: 1, Step: 0.02, Decay: 1, MaxQueries: 1000, EvalEvery: 1 << 40, Seed: 1}},
		{"wall time", Settings{Batch: 1, Step: 0.02, Decay: 1, MaxWall: 20 * time.Millisecond, EvalEvery: 1 << 40, Seed: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBowl(20, spread)
			r, err := NewRun(b, &FLOPS{S: 1, Q: MaxQ, Mu: 1e-3}, tc.set)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Finish(); err != nil {
				t.Fatal(err)
			}
			if r.Iteration() != 0 || b.queries < 1 || b.queries >= MaxQ {
				t.Errorf("%d queries in %d iterations, want the first iteration cut", b.queries, r.Iteration())
			}
			if tc.set.MaxQueries > 0 && b.queries != tc.set.MaxQueries {
				t.Errorf("%d queries, want the budget %d exactly", b.queries, tc.set.MaxQueries)
			}
			if last := r.Curve()[len(r.Curve())-1]; last.Queries != b.queries {
				t.Errorf("last record at %d queries, want the end (%d)", last.Queries, b.queries)
			}
		})
	}
}
