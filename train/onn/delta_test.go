package onn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/onn"
	"github.com/meshlight/meshlight/train/testnet"
)

// trialRun drives a delta-query batch through random optimizer-like trials and checks
// every query against a forward pass from scratch of the same minibatch.
type trialRun struct {
	t      *testing.T
	name   string
	net    *onn.Network
	set    *dataset.Set
	delta  *onn.Batch // queried after every change: recomputes only what changed
	fresh  *onn.Batch // reloaded before every query: a full pass, no kept sums
	idx    []int
	rng    *rand.Rand
	step   float64 // one move, radians (one control code on a chip with a DAC)
	checks int     // queries checked against the full pass
	direct int     // queries also checked against the plain-loop network
}

func newTrialRun(t *testing.T, name string, net *onn.Network, set *dataset.Set, size int, seed uint64) *trialRun {
	r := &trialRun{t: t, name: name, net: net, set: set, rng: rand.New(rand.NewPCG(seed, 77))}
	r.delta, r.fresh = mustBatch(t, net, size), mustBatch(t, net, size)
	r.idx = make([]int, min(size, set.Len()))
	r.step = net.Chip().Quantum()
	if r.step == 0 {
		r.step = 0.02
	}
	r.newMinibatch()
	return r
}

// newMinibatch loads a random minibatch into the delta batch.
func (r *trialRun) newMinibatch() {
	for i, j := range r.rng.Perm(r.set.Len())[:len(r.idx)] {
		r.idx[i] = j
	}
	if err := r.delta.Load(r.set, r.idx); err != nil {
		r.t.Fatal(err)
	}
}

// query reads the delta batch's loss and logits and compares them with a full pass:
// bit for bit, and so within 1e-12 relative.
func (r *trialRun) query(trial int) float64 {
	r.t.Helper()
	got := r.delta.Loss()
	if err := r.fresh.Load(r.set, r.idx); err != nil {
		r.t.Fatal(err)
	}
	want := r.fresh.Loss()
	if math.Float64bits(got) != math.Float64bits(want) || !(math.Abs(got-want) <= 1e-12*math.Abs(want)) {
		r.t.Fatalf("%s: trial %d: delta query loss %v, full pass %v", r.name, trial, got, want)
	}
	gz, wz := r.delta.Forward(), r.fresh.Forward()
	for i := range wz {
		if math.Float64bits(gz[i]) != math.Float64bits(wz[i]) {
			r.t.Fatalf("%s: trial %d: logit %d is %v after the delta query, %v after a full pass", r.name, trial, i, gz[i], wz[i])
		}
	}
	r.checks++
	return got
}

// checkDirect compares the logits of the first sample with the plain-loop network.
func (r *trialRun) checkDirect(trial int) {
	r.t.Helper()
	layers := direct(r.net, r.set.Sample(r.idx[0]))
	want := layers[len(layers)-1]
	got := r.delta.Forward()[:len(want)]
	for i, v := range want {
		if math.Abs(got[i]-v) > 1e-12*max(1, math.Abs(v)) {
			r.t.Fatalf("%s: trial %d: logit %d is %v, plain loops give %v", r.name, trial, i, got[i], v)
		}
	}
	r.direct++
}

// run makes n trials in the manner of the optimizers: most move one active phase by a
// few control codes and query (SZO-SCD, ZNewton, STP), some move dozens of phases at
// once (FLOPS); then the move is kept (an accepted trial) or reverted, and a reverted
// move is queried again or not (SZO-SCD's re-query after a step back, or its pruned
// restore). Every 40 trials or so a new minibatch is loaded.
func (r *trialRun) run(n int) {
	active := r.net.Chip().Active()
	chip := r.net.Chip()
	type move struct {
		i   int
		old float64
	}
	var moves []move
	r.query(-1)
	for trial := range n {
		if r.rng.IntN(40) == 0 {
			r.newMinibatch()
		}
		count := 1
		if r.rng.IntN(20) == 0 {
			count = 20 + r.rng.IntN(40)
		}
		moves = moves[:0]
		for range count {
			i := active[r.rng.IntN(len(active))]
			moves = append(moves, move{i, chip.Phase(i)})
			codes := float64(1 + r.rng.IntN(4))
			if r.rng.IntN(2) == 0 {
				codes = -codes
			}
			if err := r.net.SetPhase(i, chip.Phase(i)+codes*r.step); err != nil {
				r.t.Fatal(err)
			}
		}
		r.query(trial)
		if trial%97 == 0 {
			r.checkDirect(trial)
		}
		if r.rng.IntN(2) == 0 {
			continue // accepted: the chip keeps the move
		}
		for k := len(moves) - 1; k >= 0; k-- {
			if err := r.net.SetPhase(moves[k].i, moves[k].old); err != nil {
				r.t.Fatal(err)
			}
		}
		if r.rng.IntN(2) == 0 {
			r.query(trial)
		}
	}
}

// Every shipped model (static/models) on the method's chip (drift, crosstalk, 8-bit
// control; alpha 0.15 for an MLP, 0.05 for a CNN, as the method runs them): thousands of
// delta queries, each equal to a full forward pass of its minibatch, bit for bit, and
// some checked against the plain-loop network as well.
func TestDeltaQueriesShippedModels(t *testing.T) {
	names, err := testnet.ShippedModels()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			m, set, _, err := testnet.Shipped(name)
			if err != nil {
				t.Fatal(err)
			}
			alpha, trials := 0.15, 2000
			for _, l := range m.Layer {
				if l.Spec.Kind == model.Conv {
					alpha, trials = 0.05, 800
				}
			}
			// Each trial also runs a full pass, whose cost grows with the chip: the
			// 270k-phase chip gets as many phases' worth of checks as the 26k one.
			if n := m.NumPhases(); n > 100_000 {
				trials = trials * 30_000 / n
			}
			if testing.Short() {
				trials /= 10
			}
			net, err := onn.Deploy(m, photonics.ChipConfig{Alpha: alpha, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise(), Bits: photonics.DefaultBits}, Truncate: photonics.DefaultTruncate, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			r := newTrialRun(t, m.Name, net, set, 32, 1)
			r.run(trials)
			t.Logf("%s: %d delta queries equal to full passes, %d also to plain loops", m.Name, r.checks, r.direct)
		})
	}
}

// randomNet deploys layers of the given specs with uniformly random phases and signs,
// in blocks of block (0: whole-matrix) with meshes of topology top.
func randomNet(t *testing.T, in model.Shape, specs []model.Spec, block int, top photonics.Topology, cfg photonics.ChipConfig, seed uint64) *onn.Network {
	t.Helper()
	net, err := testnet.RandomOn(in, specs, block, top, cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// Random networks of both mesh topologies, dense and convolutional, in blocks of 8, 4 and
// whole matrices, with edge blocks, on chips with drift, crosstalk (from active devices,
// or from every device) and 8-bit or continuous control: delta queries equal full passes
// bit for bit.
func TestDeltaQueriesRandomNetworks(t *testing.T) {
	paper := photonics.ChipConfig{Alpha: 0.3, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise(), Bits: photonics.DefaultBits}, Truncate: photonics.DefaultTruncate, Seed: 5}
	hot := photonics.ChipConfig{Alpha: 0.5, Hardware: photonics.Hardware{Noise: photonics.Noise{GammaStd: 0.01, Crosstalk: 0.05, HeatAll: true}}, Truncate: 2, Seed: 6}
	for _, tc := range []struct {
		arch     string
		channels int
		block    int
		top      photonics.Topology
		cfg      photonics.ChipConfig
		batch    int
	}{
		{"20-12-9-5", 1, 8, photonics.Reck, paper, 16},
		{"20-12-9-5", 1, 4, photonics.Clements, paper, 16},
		{"64-24-24-10", 1, 8, photonics.Clements, hot, 32},
		{"10-7-3", 1, 0, photonics.Reck, hot, 8},
		{"10-7-3", 1, 0, photonics.Clements, paper, 8},
		{"200-40-10", 1, 8, photonics.Reck, paper, 8},         // 25 block columns: deep sum trees, chunked passes
		{"100-80-64-10", 1, 8, photonics.Clements, paper, 16}, // wide enough to follow samples through layer 0
		{"9x9-c3s2-c4k2s1p0-5", 2, 4, photonics.Reck, paper, 8},
		{"9x9-c3s2-c4k2s1p0-5", 2, 4, photonics.Clements, hot, 8},
		{"12x12-c6s2-c8s1-7", 1, 8, photonics.Clements, paper, 6},
		{"8x8-c5s2-c4s2-3", 3, 0, photonics.Reck, paper, 4},
	} {
		name := fmt.Sprintf("%s/%dch/block%d/%v/heatall=%v", tc.arch, tc.channels, tc.block, tc.top, tc.cfg.Noise.HeatAll)
		t.Run(name, func(t *testing.T) {
			in, specs, err := model.ParseArchitecture(tc.arch, tc.channels)
			if err != nil {
				t.Fatal(err)
			}
			net := randomNet(t, in, specs, tc.block, tc.top, tc.cfg, 2)
			set := testnet.Uniform("u", 64, [3]int{in.Channels, in.Height, in.Width}, specs[len(specs)-1].Out, 4)
			for i := range set.X { // zeros, as in images and ReLU layers
				if i%3 == 0 {
					set.X[i] = 0
				}
			}
			trials := 600
			if testing.Short() {
				trials = 60
			}
			r := newTrialRun(t, name, net, set, tc.batch, 3)
			r.run(trials)
		})
	}
}

// A query after many phases moved at once, as FLOPS, ZAdam and ZNewton move them (k from
// one to a quarter of the active set, log-uniformly, on the shipped MLPs and a CNN on the
// method's chip), equals a full pass of its minibatch bit for bit; some moves are taken
// back before the query, and a new minibatch comes now and then.
func TestDeltaQueriesManyMoves(t *testing.T) {
	for _, tc := range []struct {
		model  string
		trials int
	}{
		{"mnist8-mlp", 150},
		{"mnist16-cnn", 40},
		{"mnist28-mlp", 60},
		{"mnist28-mlp256", 12},
	} {
		t.Run(tc.model, func(t *testing.T) {
			m, set, _, err := testnet.Shipped(tc.model)
			if err != nil {
				t.Fatal(err)
			}
			net, err := onn.Deploy(m, photonics.ChipConfig{Alpha: 0.15, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise(), Bits: photonics.DefaultBits}, Truncate: photonics.DefaultTruncate, Seed: 4})
			if err != nil {
				t.Fatal(err)
			}
			trials := tc.trials
			if testing.Short() {
				trials = max(trials/10, 2)
			}
			r := newTrialRun(t, tc.model, net, set, 32, 2)
			chip := net.Chip()
			active := chip.Active()
			r.query(-1)
			for trial := range trials {
				if r.rng.IntN(8) == 0 {
					r.newMinibatch()
				}
				k := int(math.Exp(r.rng.Float64() * math.Log(float64(len(active))/4)))
				var back []int
				for range max(k, 1) {
					i := active[r.rng.IntN(len(active))]
					if r.rng.IntN(10) == 0 {
						back = append(back, i)
					}
					if err := net.SetPhase(i, chip.Phase(i)+float64(1+r.rng.IntN(8))*r.step); err != nil {
						t.Fatal(err)
					}
				}
				for _, i := range back { // taken back before the query
					if err := net.SetPhase(i, chip.Phase(i)-r.step); err != nil {
						t.Fatal(err)
					}
				}
				r.query(trial)
			}
			t.Logf("%s: %d queries after many moves equal to full passes", tc.model, r.checks)
		})
	}
}
