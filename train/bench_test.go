package train

import (
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/internal/testnet"
)

// mnist8Problem is a random-phase 64-24-24-10 MLP in 8x8 blocks (the shipped MNIST 8x8
// model's size) with default noise and the given alpha, on uniform data, batch 32.
func mnist8Problem(b *testing.B, alpha float64) *Problem {
	net, err := testnet.MLP([]int{64, 24, 24, 10}, 8, photonics.ChipConfig{Alpha: alpha, Noise: photonics.DefaultNoise(), Seed: 1}, 1)
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
