package pretrain

import (
	"bytes"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/sugarme/gotch/ts"
	"gonum.org/v1/gonum/mat"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/photonics/mapping"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/testnet"
)

// shipped reads a shipped data file (static/data), the data the tests train on.
func shipped(t *testing.T, name string, split dataset.Split) *dataset.Set {
	t.Helper()
	s, err := testnet.ShippedSet(name, split)
	if err != nil {
		t.Fatalf("%v (run `make data`)", err)
	}
	return s
}

// A short run on a few hundred samples learns: the loss falls, accuracy is far above
// chance, and the exported model is the trained network on the ideal chip.
func TestShortRunLearns(t *testing.T) {
	cfg, err := Preset("mnist8-mlp")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Epochs, cfg.Limit = 30, 300
	train := shipped(t, dataset.MNIST8, dataset.Train)
	test := shipped(t, dataset.MNIST8, dataset.Test).Head(1000)
	res, err := Train(cfg, train, test, nil)
	if err != nil {
		t.Fatal(err)
	}
	first, last := res.History[0], res.History[len(res.History)-1]
	t.Logf("first %v", first)
	t.Logf("last  %v", last)
	if len(res.History) != cfg.Epochs || last.Loss > 0.5*first.Loss {
		t.Errorf("loss did not fall: %v -> %v over %d epochs", first.Loss, last.Loss, len(res.History))
	}
	if last.TrainAccuracy < 60 || last.TestAccuracy < 50 { // chance: 10%
		t.Errorf("accuracy train %.1f%%, test %.1f%%: not learning", last.TrainAccuracy, last.TestAccuracy)
	}
	m, dev, err := Export(cfg, res.Weights, test)
	if err != nil {
		t.Fatal(err)
	}
	if dev > 1e-5 {
		t.Errorf("ideal chip weights differ from the trained ones by %g", dev)
	}
	// float32 libtorch and float64 Go may disagree on a near-tie, not more.
	if d := math.Abs(m.TestAccuracy - last.TestAccuracy); d > 0.3 {
		t.Errorf("ideal chip %.2f%% vs libtorch %.2f%%", m.TestAccuracy, last.TestAccuracy)
	}
	var b bytes.Buffer
	if err := model.Write(&b, m); err != nil {
		t.Fatal(err)
	}
	back, err := model.Read(&b, "export.json")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, m) {
		t.Fatal("exported model does not read back equal")
	}
	net, err := back.IdealNet()
	if err != nil {
		t.Fatal(err)
	}
	acc, err := net.Accuracy(test.X, test.Y)
	if err != nil || acc != m.TestAccuracy {
		t.Fatalf("read-back model: accuracy %v (%v), exported %v", acc, err, m.TestAccuracy)
	}
}

// The same seed gives the same weights; another seed other weights.
func TestReproducible(t *testing.T) {
	cfg, err := Preset("vowel-mlp")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Epochs = 5
	train, test := shipped(t, dataset.Vowel4, dataset.Train), shipped(t, dataset.Vowel4, dataset.Test)
	run := func(seed int64) [][]float64 {
		c := cfg
		c.Seed = seed
		res, err := Train(c, train, test, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.Weights
	}
	a, b, c := run(3), run(3), run(4)
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs with seed 3 differ")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("seeds 3 and 4 gave the same weights")
	}
}

// libtorch's forward pass (conv2d over kernel views of the weight matrices) and the Go
// engine's (explicit im2col) compute the same logits for every shipped architecture.
func TestTorchForwardMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, cfg := range Presets() {
		in, specs, err := model.ParseArchitecture(cfg.Arch, cfg.Channels)
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.New(cfg.Name, cfg.Dataset, cfg.Arch, cfg.Channels, cfg.Block, cfg.M, cfg.Topology, cfg.Clip)
		if err != nil {
			t.Fatal(err)
		}
		n := &net{input: in, specs: specs, clip: cfg.Clip}
		var ws [][]float64
		for _, s := range specs {
			w := make([]float64, s.Out*s.In)
			w32 := make([]float32, len(w))
			for j := range w {
				w32[j] = float32(rng.NormFloat64() * math.Sqrt(3/float64(s.In)))
				w[j] = float64(w32[j])
			}
			ws = append(ws, w)
			n.w = append(n.w, ts.MustOfSlice(w32).MustView([]int64{int64(s.Out), int64(s.In)}, true))
		}
		const batch = 20
		x := make([]float32, batch*in.Size())
		for j := range x {
			x[j] = float32(rng.Float64())
		}
		var sc scope
		xt := sc.keep(ts.MustOfSlice(x).MustView([]int64{batch, int64(in.Size())}, true))
		got := n.forward(xt, &sc).Float64Values()
		sc.drop()
		for _, w := range n.w {
			w.MustDrop()
		}
		goNet, err := model.NewNet(m, ws)
		if err != nil {
			t.Fatal(err)
		}
		classes := m.Classes()
		worst := 0.0
		for b := range batch {
			z, err := goNet.Logits(x[b*in.Size() : (b+1)*in.Size()])
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range z {
				worst = max(worst, math.Abs(v-got[b*classes+k])/(1+math.Abs(v)))
			}
		}
		if worst > 1e-4 {
			t.Errorf("%s: libtorch and Go logits differ by %g (relative)", cfg.Arch, worst)
		}
	}
}

// The libtorch block projection (batched SVD in float32) and the Go one
// (mapping.ClampToBound, gonum, float64) agree, and both leave every block's singular
// values at most m.
func TestClampBlocksAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, block := range []int{8, 5, 0} {
		const out, in, bound = 13, 20, 3.0
		w := make([]float64, out*in)
		w32 := make([]float32, out*in)
		for j := range w {
			w32[j] = float32(2 * rng.NormFloat64())
			w[j] = float64(w32[j])
		}
		var sc scope
		wt := sc.keep(ts.MustOfSlice(w32).MustView([]int64{out, in}, true))
		torchW := clampBlocks(wt, out, in, block, bound, &sc).Float64Values()
		sc.drop()
		l, err := photonics.NewSVDLayer(out, in, block, bound, photonics.Reck)
		if err != nil {
			t.Fatal(err)
		}
		goW, err := mapping.ClampToBound(l, mat.NewDense(out, in, w))
		if err != nil {
			t.Fatal(err)
		}
		for j, v := range torchW {
			if d := math.Abs(v - goW.RawMatrix().Data[j]); d > 1e-4 {
				t.Fatalf("block %d: entry %d: libtorch %v, Go %v", block, j, v, goW.RawMatrix().Data[j])
			}
		}
		top := func(w *mat.Dense) float64 {
			v, _, err := mapping.MaxSingular(l, w)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if top(goW) > bound*(1+1e-12) {
			t.Errorf("block %d: Go clamp left a singular value %v > %v", block, top(goW), bound)
		}
		if v := top(mat.NewDense(out, in, torchW)); v > bound*(1+1e-5) {
			t.Errorf("block %d: libtorch clamp left a singular value %v > %v", block, v, bound)
		}
		if top(mat.NewDense(out, in, w)) <= bound {
			t.Fatalf("block %d: test matrix already within the bound", block)
		}
	}
}

func TestTrainRejects(t *testing.T) {
	vowel := shipped(t, dataset.Vowel4, dataset.Test)
	cfg, _ := Preset("mnist8-mlp")
	if _, err := Train(cfg, vowel, vowel, nil); err == nil || !strings.Contains(err.Error(), "wants 64 features") {
		t.Errorf("mnist8 network on vowel data: %v", err)
	}
	cfg, _ = Preset("vowel-mlp")
	cfg.Epochs = 0
	if _, err := Train(cfg, vowel, vowel, nil); err == nil {
		t.Error("zero epochs accepted")
	}
	cfg, _ = Preset("vowel-mlp")
	cfg.Arch = "8-16-x"
	if _, err := Train(cfg, vowel, vowel, nil); err == nil {
		t.Error("bad architecture accepted")
	}
	if _, _, err := Export(cfg, nil, vowel); err == nil {
		t.Error("Export accepted a bad architecture")
	}
	if _, err := Preset("resnet"); err == nil {
		t.Error("unknown preset accepted")
	}
}
