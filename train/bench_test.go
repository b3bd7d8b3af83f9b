package train

import (
	"runtime"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/testnet"
)

// mnist8Problem is a random-phase 64-24-24-10 MLP in 8x8 blocks (the shipped MNIST 8x8
// model's size) with default noise and the given alpha, on uniform data, batch 32.
func mnist8Problem(b *testing.B, alpha float64) *Problem {
	net, err := testnet.MLP([]int{64, 24, 24, 10}, 8, photonics.ChipConfig{Alpha: alpha, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise()}, Truncate: photonics.DefaultTruncate, Seed: 1}, 1)
	if err != nil {
		b.Fatal(err)
	}
	data := testnet.Uniform("u", 2048, [3]int{64, 1, 1}, 10, 1)
	p, err := NewProblem(net, data, data.Head(256), 32)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkSZOSCD runs SZO-SCD in the method's setting (alpha 0.15, s 0.1, p 1) through
// the Run loop, Cost = 1 + 2*round(0.1*|A|) queries (an iteration's most) per op, and
// reports the iterations (a new minibatch, 1 + round(0.1*|A|) trials, a re-query per
// step back) and queries it made per second.
func BenchmarkSZOSCD(b *testing.B) {
	for _, alpha := range []float64{0.15, 1} {
		name := map[float64]string{0.15: "alpha0.15", 1: "alpha1"}[alpha]
		b.Run(name, func(b *testing.B) {
			p := mnist8Problem(b, alpha)
			m := &SZOSCD{S: 0.1, Prune: 1}
			s := DefaultSettings()
			s.EvalEvery = 1 << 62
			r, err := NewRun(p, m, s)
			if err != nil {
				b.Fatal(err)
			}
			per := int64(m.Cost(p.Len()))
			r.Step(per) // the deployed record's test evaluation and first iteration
			b.ReportAllocs()
			b.ResetTimer()
			q0, i0 := r.Queries(), r.Iteration()
			for b.Loop() {
				r.Step(per)
			}
			b.StopTimer()
			sec := b.Elapsed().Seconds()
			b.ReportMetric(float64(r.Iteration()-i0)/sec, "iterations/s")
			b.ReportMetric(float64(r.Queries()-q0)/sec, "queries/s")
			r.Close()
		})
	}
}

// BenchmarkMemoryMNIST28 measures the memory of a run on the shipped MNIST 28x28 MLP
// (26,624 phases) on the method's chip: the heap the engine holds beyond its data sets
// (chip, network, minibatch caches, optimizer), per phase, and the largest heap seen
// while SZO-SCD makes b.N iterations (data sets included).
func BenchmarkMemoryMNIST28(b *testing.B) {
	m, tr, te, err := testnet.Shipped("mnist28-mlp")
	if err != nil {
		b.Skip(err) // the shipped model is optional for benchmarks
	}
	sets := [2]*dataset.Set{tr, te}
	before := liveHeap()
	c := DefaultConfig()
	c.EvalEvery = 1 << 62
	d, err := Deploy(m, sets[0], sets[1], c)
	if err != nil {
		b.Fatal(err)
	}
	r := d.Run
	r.Step(1) // a first query builds the minibatch caches
	engine := liveHeap() - before
	phases := d.Net.Chip().NumPhases()
	b.ResetTimer()
	peak := uint64(0)
	for range b.N {
		r.Step(int64(d.IterationCost()))
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}
	b.ReportMetric(float64(engine)/float64(phases), "engine-B/phase")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(phases), "phases")
	b.ReportMetric(float64(before)/(1<<20), "data-heap-MiB")
}

// liveHeap is the heap's live bytes after a collection: what a benchmark's engine holds is
// the difference across building it.
func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
