package train

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/testnet"
)

// blobsTask is a small classification problem with an MLP fitted to it in Go.
type blobsTask struct {
	train, test *dataset.Set
	sizes       []int
	weights     [][]float64
}

var blobs = func() *blobsTask {
	b := &blobsTask{
		train: testnet.Blobs("blobs", 512, 8, 4, 0.5, 1, 1),
		test:  testnet.Blobs("blobs", 256, 8, 4, 0.5, 1, 2),
		sizes: []int{8, 16, 16, 4},
	}
	b.weights = testnet.TrainMLP(b.train, b.sizes, 300, 0.3, 1)
	return b
}()

// problem deploys the fitted MLP with relative drift and crosstalk sigma, continuous control.
func (b *blobsTask) problem(t testing.TB, sigma, alpha float64, seed int64) *Problem {
	t.Helper()
	return b.problemOn(t, photonics.ChipConfig{Alpha: alpha, Hardware: photonics.Hardware{Noise: photonics.Noise{GammaStd: sigma * photonics.DefaultNoise().Gamma(), Crosstalk: sigma}}, Truncate: 3, Seed: seed})
}

// problemOn deploys the fitted MLP on a chip configured by cfg.
func (b *blobsTask) problemOn(t testing.TB, cfg photonics.ChipConfig) *Problem {
	t.Helper()
	net, err := testnet.Deploy(b.weights, b.sizes, 8, cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProblem(net, b.train, b.test, 32)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func settings(queries int64, seed int64) Settings {
	s := DefaultSettings()
	s.MaxQueries, s.EvalEvery, s.Seed = queries, 2000, seed
	return s
}

// SZO-SCD recovers most of what a noisy deployment lost.
func TestRecovery(t *testing.T) {
	ideal := blobs.problem(t, 0, 1, 1).Evaluate()
	p := blobs.problem(t, 0.05, 0.3, 1)
	r, err := NewRun(p, &SZOSCD{S: 0.3, Prune: 1}, settings(20000, 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
	c := r.Curve()
	deployed, final := c[0].Accuracy, c[len(c)-1].Accuracy
	t.Logf("ideal %.1f%%, deployed %.1f%%, after %d queries %.1f%%", ideal, deployed, r.Queries(), final)
	if deployed > ideal-20 {
		t.Fatalf("deployment lost only %.1f points; the test needs a visible drop", ideal-deployed)
	}
	if final < deployed+30 || final < ideal-5 {
		t.Errorf("final accuracy %.1f%%: want >= deployed %.1f%% + 30 and >= ideal %.1f%% - 5", final, deployed, ideal)
	}
}

// sameCurve compares two curves exactly (NaN equal to NaN).
func sameCurve(a, b []Record) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d records vs %d", len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Loss != y.Loss && !(math.IsNaN(x.Loss) && math.IsNaN(y.Loss)) {
			return fmt.Errorf("record %d: loss %v vs %v", i, x.Loss, y.Loss)
		}
		x.Loss, y.Loss = 0, 0
		if x != y {
			return fmt.Errorf("record %d: %+v vs %+v", i, x, y)
		}
	}
	return nil
}

// One seed gives one curve, for every optimizer; another seed another curve.
func TestDeterminism(t *testing.T) {
	for _, name := range Methods() {
		run := func(seed int64) (*Run, []float64) {
			p := blobs.problem(t, 0.05, 0.3, seed)
			o := DefaultOptions()
			o.Q = 10
			m, err := NewMethod(name, o)
			if err != nil {
				t.Fatal(err)
			}
			s := settings(3000, seed)
			s.Step, s.EvalEvery = DefaultStep(name, 0), 500
			r, err := NewRun(p, m, s)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Finish(); err != nil {
				t.Fatal(err)
			}
			return r, p.Network().Chip().Phases()
		}
		a, pa := run(4)
		b, pb := run(4)
		c, _ := run(5)
		if err := sameCurve(a.Curve(), b.Curve()); err != nil {
			t.Errorf("%s: same seed, different curves: %v", name, err)
		}
		for i := range pa {
			if pa[i] != pb[i] {
				t.Fatalf("%s: same seed, phase %d differs: %v vs %v", name, i, pa[i], pb[i])
			}
		}
		if sameCurve(a.Curve(), c.Curve()) == nil {
			t.Errorf("%s: seeds 4 and 5 give the same curve", name)
		}
	}
}

// Stepping a run a few queries at a time pauses exactly there and gives the curve of
// an uninterrupted run.
func TestStepPauses(t *testing.T) {
	whole, err := NewRun(blobs.problem(t, 0.05, 0.3, 2), &SZOSCD{S: 0.3, Prune: 1}, settings(3000, 2))
	if err != nil {
		t.Fatal(err)
	}
	if err := whole.Finish(); err != nil {
		t.Fatal(err)
	}
	sliced, err := NewRun(blobs.problem(t, 0.05, 0.3, 2), &SZOSCD{S: 0.3, Prune: 1}, settings(3000, 2))
	if err != nil {
		t.Fatal(err)
	}
	for prev := int64(0); ; {
		done := sliced.Step(7)
		if q := sliced.Queries(); !done && q != prev+7 {
			t.Fatalf("paused at %d queries, want %d", q, prev+7)
		}
		if done {
			break
		}
		prev = sliced.Queries()
	}
	if err := sameCurve(whole.Curve(), sliced.Curve()); err != nil {
		t.Errorf("sliced run differs: %v", err)
	}
	if whole.Energy() != sliced.Energy() {
		t.Errorf("energy %v vs %v", whole.Energy(), sliced.Energy())
	}

	// closing a run paused inside an iteration ends it
	r, _ := NewRun(blobs.problem(t, 0.05, 0.3, 2), &SZOSCD{S: 0.3, Prune: 1}, settings(3000, 2))
	r.Step(10)
	r.Close()
	if q := r.Queries(); !r.Step(10) || !r.Done() || r.Queries() != q {
		t.Errorf("a closed run went on: %d -> %d queries", q, r.Queries())
	}
}

// On a chip, the problem counts exactly the queries the methods declare; test
// evaluations cost none.
func TestChipQueryAccounting(t *testing.T) {
	for _, name := range append(Methods(), "szo-scd stale") {
		p := blobs.problem(t, 0.05, 0.3, 1)
		o := DefaultOptions()
		o.Stale = name == "szo-scd stale"
		m, err := NewMethod(strings.TrimSuffix(name, " stale"), o)
		if err != nil {
			t.Fatal(err)
		}
		s := settings(0, 1)
		s.MaxIterations, s.EvalEvery = 5, 1 // evaluate after every iteration
		r, err := NewRun(p, m, s)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Finish(); err != nil {
			t.Fatal(err)
		}
		want := int64(5 * m.Cost(p.Len()))
		sz, ok := m.(*SZOSCD)
		if pen, isPen := m.(*Penalty); isPen {
			sz, ok = pen.Method.(*SZOSCD)
		}
		if ok && !sz.Stale {
			// one query per iteration and per trial, one more per step back (kept or held)
			want = 5 + sz.Accepted + sz.SteppedBack + sz.Pruned + sz.Held + sz.SteppedBack + sz.Held
			if sz.SteppedBack == 0 {
				t.Errorf("%s: no step back in 5 iterations: the re-query is untested", name)
			}
		}
		if p.Queries() != want || r.Queries() != want || len(r.Curve()) != 6 {
			t.Errorf("%s: %d queries (run %d), %d records; want %d queries, 6 records", name, p.Queries(), r.Queries(), len(r.Curve()), want)
		}
	}
}

// powerLog sums the power at every query it serves.
type powerLog struct {
	*Problem
	sum float64
}

func (p *powerLog) Loss() float64 {
	p.sum += p.Problem.Power()
	return p.Problem.Loss()
}

// Energy is the chip's power summed over the queries, and the run's power is the chip's.
func TestEnergy(t *testing.T) {
	p := &powerLog{Problem: blobs.problem(t, 0.05, 0.3, 1)}
	r, _ := NewRun(p, &SZOSCD{S: 0.3, Prune: 1}, settings(2000, 1))
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
	if r.Energy() != p.sum || p.sum == 0 {
		t.Errorf("energy %v, want %v", r.Energy(), p.sum)
	}
	chip := p.Network().Chip()
	if last := r.Curve()[len(r.Curve())-1]; last.Energy != p.sum || last.Power != chip.Power() || last.PaperPower != chip.PaperPower() {
		t.Errorf("last record %+v: want energy %v, power %v and paper power %v", last, p.sum, chip.Power(), chip.PaperPower())
	}
}

// gridCheck is a Problem that, at every query, checks that every active phase of its
// chip is a whole number of control codes.
type gridCheck struct {
	*Problem
	bad string
}

func (g *gridCheck) Loss() float64 {
	chip, q := g.Network().Chip(), g.Resolution()
	for _, i := range chip.Active() {
		c := chip.Phase(i) / q
		if g.bad == "" && math.Abs(c-math.Round(c)) > 1e-9 {
			g.bad = fmt.Sprintf("query %d: device %d at %v = %v codes", g.Queries(), i, chip.Phase(i), c)
		}
	}
	return g.Problem.Loss()
}

// Every optimizer's every query sees the chip's active phases on the DAC grid: after
// deployment and after every step, at the method's resolution and a coarse one.
func TestEveryQueryOnTheGrid(t *testing.T) {
	for _, bits := range []int{photonics.DefaultBits, 5} {
		for _, name := range Methods() {
			c := DefaultConfig()
			c.Optimizer, c.Bits, c.Alpha, c.Seed, c.Q = name, bits, 0.3, 2, 8
			c = c.WithDefaults()
			g := &gridCheck{Problem: blobs.problemOn(t, c.Chip())}
			m, err := NewMethod(name, c.Options)
			if err != nil {
				t.Fatal(err)
			}
			s := settings(3000, 2)
			s.Step = 2.6 * photonics.Quantum(bits) // rounds to 3 codes
			r, err := NewRun(g, m, s)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Finish(); err != nil {
				t.Fatal(err)
			}
			if g.bad != "" {
				t.Errorf("%s at %d bits: %s", name, bits, g.bad)
			}
			if got, want := r.Curve()[0].Step, 3*photonics.Quantum(bits); math.Abs(got-want) > 1e-15 {
				t.Errorf("%s at %d bits: step %v, want 3 codes %v", name, bits, got, want)
			}
		}
	}
}

// On a chip with a DAC the step decays by epoch but never below one code.
func TestStepFloorsAtOneCode(t *testing.T) {
	b := newBowl(8, spread)
	b.bits, b.samples = 8, 4 // 4 iterations per epoch at batch 1
	r, err := NewRun(b, &SZOSCD{S: 1}, Settings{Batch: 1, Step: 3 * photonics.Quantum(8), Decay: 0.5, MaxIterations: 40, EvalEvery: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
	q := photonics.Quantum(8)
	seen := map[float64]bool{}
	for _, rec := range r.Curve() {
		codes := rec.Step / q
		if math.Abs(codes-math.Round(codes)) > 1e-12 || codes < 1 {
			t.Fatalf("record %+v: step %v is %v codes, want a whole number >= 1", rec, rec.Step, codes)
		}
		seen[math.Round(codes)] = true
	}
	// 3 codes, then 1.5 (rounds to 2), 0.75 and below (1 code).
	if !seen[3] || !seen[2] || !seen[1] || len(seen) != 3 {
		t.Errorf("steps seen (codes) %v, want 3, 2 and 1", seen)
	}
	for i, v := range b.x {
		if c := v / q; math.Abs(c-math.Round(c)) > 1e-9 {
			t.Errorf("phase %d = %v is off the grid", i, v)
		}
	}
}
