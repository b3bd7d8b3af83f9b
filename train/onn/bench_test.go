package onn_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/onn"
	"github.com/meshlight/meshlight/train/testnet"
)

// mnist8MLP deploys a random-phase 64-24-24-10 MLP in 8x8 blocks (the size of the shipped
// MNIST 8x8 model) with default noise and alpha 0.15, and loads a batch of 32.
func mnist8MLP(b *testing.B) (*onn.Network, *onn.Batch) {
	net, err := testnet.MLP([]int{64, 24, 24, 10}, 8, photonics.ChipConfig{Alpha: 0.15, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise()}, Truncate: photonics.DefaultTruncate, Seed: 1}, 1)
	if err != nil {
		b.Fatal(err)
	}
	batch := mustBatch(b, net, 32)
	if err := batch.Load(testnet.Uniform("u", 32, [3]int{64, 1, 1}, 10, 1), indices(32)); err != nil {
		b.Fatal(err)
	}
	return net, batch
}

// warmUp runs the loaded samples and makes the batch's first query after a phase change,
// which allocates the sums the batch keeps for the queries that follow.
func warmUp(b *testing.B, net *onn.Network, batch *onn.Batch) {
	batch.Loss()
	i := net.Chip().Active()[0]
	if err := net.SetPhase(i, net.Chip().Phase(i)); err != nil {
		b.Fatal(err)
	}
	batch.Loss()
}

// BenchmarkQuery is one ONN query as SZO-SCD makes it: one active phase changes, then the
// minibatch's loss is read. queries/s = 1e9 / ns/op.
func BenchmarkQuery(b *testing.B) {
	net, batch := mnist8MLP(b)
	warmUp(b, net, batch)
	active := net.Chip().Active()
	rng := rand.New(rand.NewPCG(1, 1))
	b.ReportAllocs()
	for b.Loop() {
		i := active[rng.IntN(len(active))]
		if err := net.SetPhase(i, net.Chip().Phase(i)+0.02); err != nil {
			b.Fatal(err)
		}
		batch.Loss()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
}

// BenchmarkForwardFull is a forward pass of a new minibatch: every layer recomputed.
func BenchmarkForwardFull(b *testing.B) {
	_, batch := mnist8MLP(b)
	set := testnet.Uniform("u", 32, [3]int{64, 1, 1}, 10, 1)
	idx := indices(32)
	b.ReportAllocs()
	for b.Loop() {
		if err := batch.Load(set, idx); err != nil {
			b.Fatal(err)
		}
		batch.Loss()
	}
}

// BenchmarkQueryCNN is an SZO-SCD query on random-phase CNNs of the shipped
// architectures (8x8 blocks, default noise, alpha 0.05, batch 32).
func BenchmarkQueryCNN(b *testing.B) {
	for _, tc := range []struct {
		arch string
	}{{"16x16-c8s2-c6s2-10"}, {"32x32-c8s2-c8s2-10"}} {
		b.Run(tc.arch, func(b *testing.B) {
			in, specs, err := model.ParseArchitecture(tc.arch, 1)
			if err != nil {
				b.Fatal(err)
			}
			net, err := testnet.Random(in, specs, 8, photonics.ChipConfig{Alpha: 0.05, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise()}, Truncate: photonics.DefaultTruncate, Seed: 1}, 1)
			if err != nil {
				b.Fatal(err)
			}
			batch := mustBatch(b, net, 32)
			if err := batch.Load(testnet.Uniform("u", 32, [3]int{1, in.Height, in.Width}, 10, 1), indices(32)); err != nil {
				b.Fatal(err)
			}
			warmUp(b, net, batch)
			active := net.Chip().Active()
			rng := rand.New(rand.NewPCG(1, 1))
			b.ReportAllocs()
			for b.Loop() {
				i := active[rng.IntN(len(active))]
				if err := net.SetPhase(i, net.Chip().Phase(i)+0.02); err != nil {
					b.Fatal(err)
				}
				batch.Loss()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
		})
	}
}

// BenchmarkQueryVsFull compares, on a random 784-32-32-10 MLP in 8x8 blocks (416 blocks,
// 26,624 phases: ten times the method's chip) at batch 32 with default noise, 8-bit control
// and alpha 0.15, an SZO-SCD query (one active phase changed, the minibatch loss read)
// with a full forward pass of the same minibatch (reloaded, so every layer is
// recomputed). The two alternate within each op, so a busy machine slows both alike;
// speedup is the full pass's time over the query's.
func BenchmarkQueryVsFull(b *testing.B) {
	net, err := testnet.MLP([]int{784, 32, 32, 10}, 8, photonics.ChipConfig{Alpha: 0.15, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise(), Bits: photonics.DefaultBits}, Truncate: photonics.DefaultTruncate, Seed: 1}, 1)
	if err != nil {
		b.Fatal(err)
	}
	set := testnet.Uniform("u", 32, [3]int{784, 1, 1}, 10, 1)
	idx := indices(32)
	batch := mustBatch(b, net, 32)
	if err := batch.Load(set, idx); err != nil {
		b.Fatal(err)
	}
	warmUp(b, net, batch)
	active := net.Chip().Active()
	rng := rand.New(rand.NewPCG(1, 1))
	var query, full time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		i := active[rng.IntN(len(active))]
		if err := net.SetPhase(i, net.Chip().Phase(i)+net.Chip().Quantum()); err != nil {
			b.Fatal(err)
		}
		batch.Loss()
		t1 := time.Now()
		if err := batch.Load(set, idx); err != nil {
			b.Fatal(err)
		}
		batch.Loss()
		t2 := time.Now()
		query += t1.Sub(t0)
		full += t2.Sub(t1)
	}
	b.ReportMetric(float64(b.N)/query.Seconds(), "queries/s")
	b.ReportMetric(float64(b.N)/full.Seconds(), "full-passes/s")
	b.ReportMetric(full.Seconds()/query.Seconds(), "speedup")
}

// shippedQueryNet deploys a shipped model on the method's chip (default noise, 8-bit
// control, alpha 0.15) and loads the first 32 training samples; it skips the benchmark
// when the model is not shipped.
func shippedQueryNet(b *testing.B, name string) (*onn.Network, *onn.Batch) {
	m, set, _, err := testnet.Shipped(name)
	if err != nil {
		b.Skip(err) // the shipped models are optional for benchmarks
	}
	net, err := onn.Deploy(m, photonics.ChipConfig{Alpha: 0.15, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise(), Bits: photonics.DefaultBits}, Truncate: photonics.DefaultTruncate, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	batch := mustBatch(b, net, 32)
	if err := batch.Load(set, indices(32)); err != nil {
		b.Fatal(err)
	}
	warmUp(b, net, batch)
	return net, batch
}

// BenchmarkQueryMoves is a query after k random active phases each moved by one control
// code (k = 1: SZO-SCD's trial; k in the hundreds: a FLOPS sample), on the shipped MLPs.
func BenchmarkQueryMoves(b *testing.B) {
	for _, name := range []string{"mnist8-mlp", "mnist28-mlp", "mnist28-mlp256"} {
		for _, k := range []int{1, 16, 256, 4096} {
			b.Run(fmt.Sprintf("%s/k=%d", name, k), func(b *testing.B) {
				net, batch := shippedQueryNet(b, name)
				chip := net.Chip()
				active := chip.Active()
				rng := rand.New(rand.NewPCG(1, 1))
				b.ReportAllocs()
				for b.Loop() {
					for range k {
						i := active[rng.IntN(len(active))]
						if err := net.SetPhase(i, chip.Phase(i)+chip.Quantum()); err != nil {
							b.Fatal(err)
						}
					}
					batch.Loss()
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
			})
		}
	}
}
