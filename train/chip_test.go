package train

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/internal/testnet"
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

// problem deploys the fitted MLP with drift and crosstalk sigma.
func (b *blobsTask) problem(t testing.TB, sigma, alpha float64, seed int64) *Problem {
	t.Helper()
	net, err := testnet.Deploy(b.weights, b.sizes, 8, photonics.ChipConfig{Alpha: alpha, Noise: photonics.Noise{Drift: sigma, Truncate: 3, Crosstalk: sigma}, Seed: seed})
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
			s.Step, s.EvalEvery = DefaultStep(name), 500
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
			// one query per iteration and per trial, one more per step back
			want = 5 + sz.Accepted + sz.SteppedBack + sz.Pruned + sz.SteppedBack
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
	if last := r.Curve()[len(r.Curve())-1]; last.Energy != p.sum || last.Power != p.Network().Chip().Power() {
		t.Errorf("last record %+v: want energy %v and power %v", last, p.sum, p.Network().Chip().Power())
	}
}
