package train

import (
	"runtime"
	"testing"
	"time"

	"github.com/meshlight/meshlight/train/testnet"
)

// shippedRun deploys the shipped model name on the method's chip (default noise, 8-bit
// control, alpha 0.15) with the given optimizer and its default options, no test
// evaluation during the run, and makes its first queries (the second, a delta query, builds
// the sums the minibatch keeps). It skips the benchmark when the model is not shipped.
func shippedRun(b *testing.B, name, optimizer string) *Deployment {
	m, tr, te, err := testnet.Shipped(name)
	if err != nil {
		b.Skip(err) // the shipped models are optional for benchmarks
	}
	c := DefaultConfig()
	c.Optimizer = optimizer
	c.EvalEvery = 1 << 62
	d, err := Deploy(m, tr, te, c)
	if err != nil {
		b.Fatal(err)
	}
	d.Run.Step(2)
	return d
}

// BenchmarkShippedScale runs an optimizer on the shipped MNIST 8x8 MLP (64-24-24-10) and
// on the shipped 270k-phase MLP (784-256-256-10, mnist28-mlp256) in the same run: each op
// gives each run the same number of queries in turn (a whole number of the small model's
// iterations), so a busy machine slows both alike. It reports each run's queries/s and
// their ratio, large over small (SZO-SCD's goal is at least 0.25), by the processor time
// of the benchmark's thread where the system gives it (Linux), which other jobs on the
// machine disturb less than the wall clock, and by the wall clock (wall-ratio).
func BenchmarkShippedScale(b *testing.B) {
	for _, opt := range []string{"szo-scd", "flops"} {
		b.Run(opt, func(b *testing.B) {
			// The runs' processor time is this thread's: locked before the runs start,
			// as the coroutine that steps a run must see the thread it was made on.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			small := shippedRun(b, "mnist8-mlp", opt)
			large := shippedRun(b, "mnist28-mlp256", opt)
			per := int64(4 * small.IterationCost())
			var ts, tl, cs, cl time.Duration
			qs0, ql0 := small.Run.Queries(), large.Run.Queries()
			b.ReportAllocs()
			for b.Loop() {
				c0, _ := threadCPU()
				t0 := time.Now()
				small.Run.Step(per)
				c1, _ := threadCPU()
				t1 := time.Now()
				large.Run.Step(per)
				c2, cpu := threadCPU()
				t2 := time.Now()
				ts, tl = ts+t1.Sub(t0), tl+t2.Sub(t1)
				cs, cl = cs+c1-c0, cl+c2-c1
				if !cpu {
					cs, cl = ts, tl
				}
			}
			ns, nl := float64(small.Run.Queries()-qs0), float64(large.Run.Queries()-ql0)
			b.ReportMetric(ns/cs.Seconds(), "small-queries/s")
			b.ReportMetric(nl/cl.Seconds(), "large-queries/s")
			b.ReportMetric((nl/cl.Seconds())/(ns/cs.Seconds()), "ratio")
			b.ReportMetric((nl/tl.Seconds())/(ns/ts.Seconds()), "wall-ratio")
			small.Run.Close()
			large.Run.Close()
		})
	}
}

// BenchmarkShippedQueries runs an optimizer with its default options on a shipped MLP on
// the method's chip and reports its queries/s (by the thread's processor time where the
// system gives it, as BenchmarkShippedScale): the optimizers that move many phases per
// query (FLOPS, and ZAdam's and ZNewton's updates) beside SZO-SCD.
func BenchmarkShippedQueries(b *testing.B) {
	for _, name := range []string{"mnist28-mlp", "mnist28-mlp256"} {
		for _, opt := range []string{"szo-scd", "flops", "zadam", "znewton"} {
			b.Run(name+"/"+opt, func(b *testing.B) {
				runtime.LockOSThread() // before the run starts: see BenchmarkShippedScale
				defer runtime.UnlockOSThread()
				d := shippedRun(b, name, opt)
				q0 := d.Run.Queries()
				c0, cpu := threadCPU()
				b.ReportAllocs()
				for b.Loop() {
					d.Run.Step(64)
				}
				c1, _ := threadCPU()
				spent := c1 - c0
				if !cpu {
					spent = b.Elapsed()
				}
				b.ReportMetric(float64(d.Run.Queries()-q0)/spent.Seconds(), "queries/s")
				d.Run.Close()
			})
		}
	}
}

// BenchmarkMemoryShipped measures, on the shipped wide MLPs (26k and 270k phases) on the
// method's chip, the heap the engine holds beyond its data sets once SZO-SCD has made its
// first queries (chip, network, the minibatch's kept sums, optimizer), per phase; each op
// is one SZO-SCD iteration.
func BenchmarkMemoryShipped(b *testing.B) {
	for _, name := range []string{"mnist28-mlp", "mnist28-mlp256"} {
		b.Run(name, func(b *testing.B) {
			m, tr, te, err := testnet.Shipped(name)
			if err != nil {
				b.Skip(err) // the shipped models are optional for benchmarks
			}
			before := liveHeap()
			c := DefaultConfig()
			c.EvalEvery = 1 << 62
			d, err := Deploy(m, tr, te, c)
			if err != nil {
				b.Fatal(err)
			}
			d.Run.Step(2) // a delta query builds the minibatch's kept sums
			engine := liveHeap() - before
			phases := d.Net.Chip().NumPhases()
			b.ReportAllocs()
			for b.Loop() {
				d.Run.Step(int64(d.IterationCost()))
			}
			b.ReportMetric(float64(engine)/float64(phases), "engine-B/phase")
			b.ReportMetric(float64(phases), "phases")
			runtime.KeepAlive(d)
		})
	}
}
