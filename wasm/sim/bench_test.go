package sim

import (
	"github.com/meshlight/meshlight/wasm/page"
	"testing"
	"time"

	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/testnet"
)

// shipped reads a shipped model and its data from static/, skipping when they are absent.
func shipped(b *testing.B, name string) (*model.Model, *dataset.Set, *dataset.Set) {
	b.Helper()
	m, tr, te, err := testnet.Shipped(name)
	if err != nil {
		b.Skipf("shipped model: %v", err)
	}
	return m, tr, te
}

// BenchmarkTrainQueries measures the training queries per second of the browser's run
// settings on the shipped MNIST 8x8 MLP (run it natively and under js/wasm to compare).
func BenchmarkTrainQueries(b *testing.B) {
	m, tr, te := shipped(b, "mnist8-mlp")
	cfg := train.DefaultConfig()
	cfg.Seed = 1
	cfg.EvalEvery = 1 << 40 // queries only
	d, err := train.Deploy(m, tr, te, cfg)
	if err != nil {
		b.Fatal(err)
	}
	run := d.Run
	run.Step(1)
	b.ResetTimer()
	start := time.Now()
	run.Step(int64(b.N))
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "queries/s")
}

// BenchmarkEvaluate measures one test evaluation of the shipped MNIST 8x8 MLP.
func BenchmarkEvaluate(b *testing.B) {
	m, tr, te := shipped(b, "mnist8-mlp")
	d, err := train.Deploy(m, tr, te, train.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		d.Run.Objective().Evaluate()
	}
	b.ReportMetric(float64(te.Len()), "samples")
}

// BenchmarkMirrorApplyNetworkMNIST28 measures the page's decoding of one snapshot of the
// whole-network view of the shipped 26,624-phase MNIST 28x28 MLP while it trains (a delta:
// the chip's structure already mirrored), the page's share of each frame in that view:
// zoomed out (tiles) and zoomed in (the devices' phases and light too).
func BenchmarkMirrorApplyNetworkMNIST28(b *testing.B) {
	dir, err := testnet.Static()
	if err != nil {
		b.Skipf("static/: %v", err)
	}
	c := newClock()
	s := NewSession("?model=mnist28-mlp&view=network&run=1", DirFetch(dir))
	s.SetClock(c.now)
	ready(b, s, c)
	var m page.Mirror
	if err := m.Apply(s.Snapshot(1, m.Have(false)).Append(nil)); err != nil {
		b.Fatal(err)
	}
	c.add(16 * time.Millisecond)
	s.Update()
	for _, devices := range []bool{false, true} {
		name := map[bool]string{false: "tiles", true: "devices"}[devices]
		b.Run(name, func(b *testing.B) {
			h := m.Have(false)
			h.Devices = devices
			snap := s.Snapshot(2, h).Append(nil)
			b.SetBytes(int64(len(snap)))
			b.ReportAllocs()
			for range b.N {
				if err := m.Apply(snap); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
