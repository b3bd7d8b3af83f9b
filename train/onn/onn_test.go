package onn_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/onn"
	"github.com/meshlight/meshlight/train/testnet"
)

var noisy = photonics.ChipConfig{Alpha: 0.3, Hardware: photonics.Hardware{Noise: photonics.Noise{GammaStd: 0.008, Crosstalk: 0.02}}, Truncate: 3, Seed: 7}

func mustBatch(t testing.TB, n *onn.Network, size int) *onn.Batch {
	t.Helper()
	b, err := n.NewBatch(size)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func indices(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// direct computes the network on one sample from the chip's effective weights with plain
// loops: dense y = W x and convolution as a sum over channels and kernel offsets (not
// im2col), ReLU clipped on hidden layers. It returns what enters every layer, the logits
// last.
func direct(net *onn.Network, x []float32) [][]float64 {
	cur := make([]float64, len(x))
	for i, v := range x {
		cur[i] = float64(v)
	}
	specs := net.Specs()
	inputs := [][]float64{cur}
	for l, s := range specs {
		w := append([]float64(nil), net.Chip().LayerWeights(l)...)
		var out []float64
		if s.Kind == model.Dense {
			out = make([]float64, s.Out)
			for o := range s.Out {
				for k := range s.In {
					out[o] += w[o*s.In+k] * cur[k]
				}
			}
		} else {
			c := s.Conv
			oh, ow, K := c.OutHeight(), c.OutWidth(), c.Kernel
			out = make([]float64, s.Out*oh*ow)
			for o := range s.Out {
				for oy := range oh {
					for ox := range ow {
						sum := 0.0
						for ch := range c.InChannels {
							for ky := range K {
								for kx := range K {
									y, x := oy*c.Stride-c.Padding+ky, ox*c.Stride-c.Padding+kx
									if y >= 0 && y < c.InHeight && x >= 0 && x < c.InWidth {
										sum += w[o*s.In+ch*K*K+ky*K+kx] * cur[ch*c.InHeight*c.InWidth+y*c.InWidth+x]
									}
								}
							}
						}
						out[(o*oh+oy)*ow+ox] = sum
					}
				}
			}
		}
		if l < len(specs)-1 {
			for i, v := range out {
				out[i] = math.Min(math.Max(v, 0), testnet.Clip)
			}
		}
		cur = out
		inputs = append(inputs, cur)
	}
	return inputs
}

func convNet(t testing.TB, cfg photonics.ChipConfig) *onn.Network {
	t.Helper()
	in, specs, err := model.ParseArchitecture("9x9-c3s2-c4k2s1p0-5", 2)
	if err != nil {
		t.Fatal(err)
	}
	net, err := testnet.Random(in, specs, 4, cfg, 11)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func TestForwardMatchesDirect(t *testing.T) {
	mlp, err := testnet.MLP([]int{20, 12, 9, 5}, 8, noisy, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		net  *onn.Network
	}{{"mlp", mlp}, {"cnn", convNet(t, noisy)}} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.net.Input()
			set := testnet.Uniform("u", 7, [3]int{in.Channels, in.Height, in.Width}, 5, 1)
			b := mustBatch(t, tc.net, 8)
			if err := b.Load(set, []int{6, 0, 3}); err != nil {
				t.Fatal(err)
			}
			z := b.Forward()
			if len(z) != 3*5 {
				t.Fatalf("got %d logits, want 15", len(z))
			}
			for j, i := range []int{6, 0, 3} {
				layers := direct(tc.net, set.Sample(i))
				for c, v := range layers[len(layers)-1] {
					if d := math.Abs(z[j*5+c] - v); d > 1e-12 {
						t.Errorf("sample %d logit %d: got %v, want %v", i, c, z[j*5+c], v)
					}
				}
				for l, want := range layers { // what entered each layer, and the logits
					all := b.Input(l)
					if len(all) != 3*len(want) {
						t.Fatalf("layer %d: Input has %d values, want 3 x %d", l, len(all), len(want))
					}
					for k, v := range want {
						if d := math.Abs(all[j*len(want)+k] - v); d > 1e-12 {
							t.Fatalf("sample %d layer %d input %d: got %v, want %v", i, l, k, all[j*len(want)+k], v)
						}
					}
				}
			}
		})
	}
}

// A batch that recomputes only what phase changes touched gives exactly the logits of
// a batch computed from scratch.
func TestIncrementalEqualsFull(t *testing.T) {
	mlp, err := testnet.MLP([]int{20, 12, 9, 5}, 4, noisy, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, net := range []*onn.Network{mlp, convNet(t, noisy)} {
		in := net.Input()
		set := testnet.Uniform("u", 16, [3]int{in.Channels, in.Height, in.Width}, 5, 2)
		cached, fresh := mustBatch(t, net, 16), mustBatch(t, net, 16)
		if err := cached.Load(set, indices(16)); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		active := net.Chip().Active()
		for step := range 300 {
			for range 1 + step%3 { // several changes, sometimes in different layers
				i := active[rng.IntN(len(active))]
				if err := net.SetPhase(i, net.Chip().Phase(i)+rng.NormFloat64()); err != nil {
					t.Fatal(err)
				}
			}
			got := cached.Forward()
			if err := fresh.Load(set, indices(16)); err != nil {
				t.Fatal(err)
			}
			want := fresh.Forward()
			for k := range want {
				if got[k] != want[k] {
					t.Fatalf("step %d: logit %d: cached %v, full %v", step, k, got[k], want[k])
				}
			}
		}
	}
}

func TestLoss(t *testing.T) {
	net, err := testnet.MLP([]int{6, 8, 3}, 0, noisy, 5)
	if err != nil {
		t.Fatal(err)
	}
	set := testnet.Uniform("u", 5, [3]int{6, 1, 1}, 3, 3)
	b := mustBatch(t, net, 5)
	if err := b.Load(set, indices(5)); err != nil {
		t.Fatal(err)
	}
	z := append([]float64(nil), b.Forward()...)
	want := 0.0
	for s, y := range set.Y {
		sum := 0.0
		for _, v := range z[s*3 : s*3+3] {
			sum += math.Exp(v)
		}
		want += math.Log(sum) - z[s*3+int(y)]
	}
	want /= 5
	if got := b.Loss(); math.Abs(got-want) > 1e-13 {
		t.Errorf("loss %v, want %v", got, want)
	}
	right := 0
	for s, y := range set.Y {
		row := z[s*3 : s*3+3]
		best := 0
		for i, v := range row {
			if v > row[best] {
				best = i
			}
		}
		if best == int(y) {
			right++
		}
	}
	if got := b.Correct(); got != right {
		t.Errorf("correct %d, want %d", got, right)
	}
	acc, err := mustBatch(t, net, 2).Accuracy(set) // 3 pieces: 2, 2, 1
	if err != nil {
		t.Fatal(err)
	}
	if want := 100 * float64(right) / 5; acc != want {
		t.Errorf("accuracy %v, want %v", acc, want)
	}
}

// A network fitted in Go and deployed on an ideal chip classifies as well as its weights.
func TestTrainedIdealChip(t *testing.T) {
	train := testnet.Blobs("blobs", 200, 8, 4, 0.3, 1, 1)
	test := testnet.Blobs("blobs", 200, 8, 4, 0.3, 1, 2)
	sizes := []int{8, 16, 4}
	w := testnet.TrainMLP(train, sizes, 150, 0.3, 1)
	net, err := testnet.Deploy(w, sizes, 8, photonics.ChipConfig{Alpha: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := mustBatch(t, net, 32).Accuracy(test)
	if err != nil {
		t.Fatal(err)
	}
	if acc < 95 {
		t.Errorf("ideal chip accuracy %.1f%%, want >= 95%%", acc)
	}
}

func TestQueryDoesNotAllocate(t *testing.T) {
	net, err := testnet.MLP([]int{64, 24, 24, 10}, 8, photonics.ChipConfig{Alpha: 0.15, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise()}, Truncate: photonics.DefaultTruncate, Seed: 1}, 1)
	if err != nil {
		t.Fatal(err)
	}
	set := testnet.Uniform("u", 32, [3]int{64, 1, 1}, 10, 1)
	b := mustBatch(t, net, 32)
	if err := b.Load(set, indices(32)); err != nil {
		t.Fatal(err)
	}
	active := net.Chip().Active()
	k := 0
	allocs := testing.AllocsPerRun(200, func() {
		i := active[k%len(active)]
		k += 7
		if err := net.SetPhase(i, net.Chip().Phase(i)+0.02); err != nil {
			t.Fatal(err)
		}
		b.Loss()
	})
	if allocs != 0 {
		t.Errorf("%v allocations per query, want 0", allocs)
	}
}

func TestErrors(t *testing.T) {
	net, err := testnet.MLP([]int{6, 8, 3}, 4, noisy, 5)
	if err != nil {
		t.Fatal(err)
	}
	chip := net.Chip()
	shape := model.Shape{Channels: 6, Height: 1, Width: 1}
	for _, tc := range []struct {
		name string
		err  func() error
		want string
	}{
		{"nil chip", func() error { _, err := onn.New(nil, shape, testnet.Specs([]int{6, 8, 3}), 4); return err }, "nil chip"},
		{"layer count", func() error { _, err := onn.New(chip, shape, testnet.Specs([]int{6, 8}), 4); return err }, "1 layer specs for a chip of 2"},
		{"layer shape", func() error { _, err := onn.New(chip, shape, testnet.Specs([]int{6, 9, 3}), 4); return err }, "layer 0: spec is 9x6, chip layer is 8x6"},
		{"input", func() error {
			_, err := onn.New(chip, model.Shape{Channels: 5, Height: 1, Width: 1}, testnet.Specs([]int{6, 8, 3}), 4)
			return err
		}, "layer 0: dense layer takes 6 inputs, previous output has 5"},
		{"clip", func() error { _, err := onn.New(chip, shape, testnet.Specs([]int{6, 8, 3}), 0); return err }, "clip 0"},
		{"batch size", func() error { _, err := net.NewBatch(0); return err }, "batch size 0"},
		{"features", func() error {
			return mustBatch(t, net, 4).Load(testnet.Uniform("wide", 4, [3]int{7, 1, 1}, 3, 1), indices(2))
		}, "wide has 7 features per sample"},
		{"classes", func() error {
			return mustBatch(t, net, 4).Load(testnet.Uniform("many", 4, [3]int{6, 1, 1}, 4, 1), indices(2))
		}, "many has 4 classes, network has 3 outputs"},
		{"too many", func() error {
			return mustBatch(t, net, 2).Load(testnet.Uniform("u", 4, [3]int{6, 1, 1}, 3, 1), indices(3))
		}, "3 samples into a batch of 2"},
		{"index", func() error {
			return mustBatch(t, net, 4).Load(testnet.Uniform("u", 4, [3]int{6, 1, 1}, 3, 1), []int{0, 4})
		}, "sample 4 out of range [0, 4) of u"},
		{"range", func() error {
			_, err := mustBatch(t, net, 4).LoadRange(testnet.Uniform("u", 4, [3]int{6, 1, 1}, 3, 1), 4)
			return err
		}, "start 4 out of range"},
		{"empty", func() error { _, err := mustBatch(t, net, 4).Accuracy(&dataset.Set{Name: "e"}); return err }, "empty data set"},
		{"passive", func() error {
			for i := range chip.NumPhases() {
				if !chip.IsActive(i) {
					return net.SetPhase(i, 1)
				}
			}
			t.Fatal("no passive device")
			return nil
		}, "passive"},
		{"NaN", func() error { return net.SetPhase(chip.Active()[0], math.NaN()) }, "NaN"},
	} {
		err := tc.err()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
