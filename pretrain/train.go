package pretrain

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/sugarme/gotch"
	"github.com/sugarme/gotch/nn"
	"github.com/sugarme/gotch/ts"

	"github.com/meshlight/meshlight/pretrain/internal/torchseed"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

// Progress is the state after one training epoch.
type Progress struct {
	Epoch, Epochs int
	Loss          float64 // mean training loss of the epoch
	TrainAccuracy float64 // percent, over the epoch's minibatches
	TestAccuracy  float64 // percent, libtorch forward pass on the test set
	Elapsed       time.Duration
}

// String formats one progress line.
func (p Progress) String() string {
	return fmt.Sprintf("epoch %3d/%d  loss %.4f  train %6.2f%%  test %6.2f%%  %6.1fs",
		p.Epoch, p.Epochs, p.Loss, p.TrainAccuracy, p.TestAccuracy, p.Elapsed.Seconds())
}

// Result is a trained network.
type Result struct {
	Weights [][]float64 // per layer, Out x In row-major, every block's singular values <= M
	History []Progress  // one entry per epoch
}

// Train trains cfg's network on train with Adam and the per-step SVD projection (see the
// package doc) and reports every epoch to progress (which may be nil). test is only
// evaluated, never trained on.
func Train(cfg Config, train, test *dataset.Set, progress func(Progress)) (*Result, error) {
	in, specs, err := checkConfig(cfg, train, test)
	if err != nil {
		return nil, err
	}
	if cfg.Limit > 0 {
		train = train.Head(cfg.Limit)
	}
	// libtorch keeps the grad mode per OS thread: stay on one.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if !torchseed.Manual(cfg.Seed) {
		return nil, fmt.Errorf("pretrain %s: libtorch's at_manual_seed is not linked", cfg.Name)
	}
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6d6573686c696768))

	vs := nn.NewVarStore(gotch.CPU)
	n := &net{input: in, specs: specs, clip: cfg.Clip}
	for i, s := range specs {
		b := math.Sqrt(6 / float64(s.In)) // He uniform, for ReLU layers
		n.w = append(n.w, vs.Root().MustNewVar(fmt.Sprintf("w%d", i), []int64{int64(s.Out), int64(s.In)}, nn.NewUniformInit(-b, b)))
	}
	opt, err := nn.DefaultAdamConfig().Build(vs, cfg.LR)
	if err != nil {
		return nil, fmt.Errorf("pretrain %s: adam: %w", cfg.Name, err)
	}
	n.project(cfg.Block, cfg.M)

	x, y := tensors(train)
	defer x.MustDrop()
	defer y.MustDrop()
	tx, ty := tensors(test)
	defer tx.MustDrop()
	defer ty.MustDrop()

	N := train.Len()
	perm := make([]int64, N)
	for i := range perm {
		perm[i] = int64(i)
	}
	steps := (N + cfg.Batch - 1) / cfg.Batch
	total := cfg.Epochs * steps
	start := time.Now()
	res := &Result{}
	for epoch := range cfg.Epochs {
		rng.Shuffle(N, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		lossSum, right := 0.0, 0
		for b := range steps {
			t := float64(epoch*steps+b) / float64(total)
			opt.SetLR(cfg.LR * (0.01 + 0.99*0.5*(1+math.Cos(math.Pi*t))))
			idx := perm[b*cfg.Batch : min((b+1)*cfg.Batch, N)]
			l, r := n.step(opt, x, y, idx)
			lossSum += l * float64(len(idx))
			right += r
			n.project(cfg.Block, cfg.M)
		}
		p := Progress{
			Epoch: epoch + 1, Epochs: cfg.Epochs,
			Loss:          lossSum / float64(N),
			TrainAccuracy: 100 * float64(right) / float64(N),
			TestAccuracy:  n.accuracy(tx, ty),
			Elapsed:       time.Since(start),
		}
		res.History = append(res.History, p)
		if progress != nil {
			progress(p)
		}
	}
	for _, w := range n.w {
		res.Weights = append(res.Weights, w.Float64Values())
	}
	return res, nil
}

// checkConfig validates the configuration (Config.Check) and then the data against it,
// before libtorch sees either.
func checkConfig(cfg Config, train, test *dataset.Set) (model.Shape, []model.Spec, error) {
	fail := func(format string, args ...any) (model.Shape, []model.Spec, error) {
		return model.Shape{}, nil, fmt.Errorf("pretrain %s: "+format, append([]any{cfg.Name}, args...)...)
	}
	if err := cfg.Check(); err != nil {
		return model.Shape{}, nil, err
	}
	in, specs, err := model.ParseArchitecture(cfg.Arch, cfg.Channels)
	if err != nil {
		return fail("%w", err)
	}
	classes := specs[len(specs)-1].OutShape().Size()
	for _, s := range []*dataset.Set{train, test} {
		if s == nil {
			return fail("no data")
		}
		if err := s.Validate(); err != nil {
			return fail("%w", err)
		}
		if s.Len() == 0 || s.Features() != in.Size() || s.Classes != classes {
			return fail("data set %s: %d samples of %d features, %d classes; architecture %q wants %d features, %d classes",
				s.Name, s.Len(), s.Features(), s.Classes, cfg.Arch, in.Size(), classes)
		}
	}
	return in, specs, nil
}

// tensors copies a data set into libtorch: X as (N, features) float32, Y as int64.
func tensors(s *dataset.Set) (*ts.Tensor, *ts.Tensor) {
	x := ts.MustOfSlice(s.X).MustView([]int64{int64(s.Len()), int64(s.Features())}, true)
	labels := make([]int64, s.Len())
	for i, v := range s.Y {
		labels[i] = int64(v)
	}
	return x, ts.MustOfSlice(labels)
}

// net is the network in libtorch: one (Out, In) weight variable per layer.
type net struct {
	input model.Shape
	specs []model.Spec
	clip  float64
	w     []*ts.Tensor
}

// scope drops the intermediate tensors of one computation.
type scope []*ts.Tensor

func (s *scope) keep(t *ts.Tensor) *ts.Tensor { *s = append(*s, t); return t }

func (s *scope) drop() {
	for _, t := range *s {
		t.MustDrop()
	}
	*s = nil
}

// forward computes the logits of x (B, features).
func (n *net) forward(x *ts.Tensor, s *scope) *ts.Tensor {
	cur := x
	last := len(n.specs) - 1
	for i, sp := range n.specs {
		if sp.Kind == model.Conv {
			c := sp.Conv
			if len(cur.MustSize()) != 4 {
				cur = s.keep(cur.MustView([]int64{-1, int64(c.InChannels), int64(c.InHeight), int64(c.InWidth)}, false))
			}
			k := s.keep(n.w[i].MustView([]int64{int64(sp.Out), int64(c.InChannels), int64(c.Kernel), int64(c.Kernel)}, false))
			noBias := s.keep(ts.NewTensor())
			st, pd := int64(c.Stride), int64(c.Padding)
			cur = s.keep(ts.MustConv2d(cur, k, noBias, []int64{st, st}, []int64{pd, pd}, []int64{1, 1}, 1))
		} else {
			if len(cur.MustSize()) != 2 {
				cur = s.keep(cur.MustFlatten(1, -1, false))
			}
			wt := s.keep(n.w[i].MustT(false))
			cur = s.keep(cur.MustMatmul(wt, false))
		}
		if i < last {
			lo, hi := ts.FloatScalar(0), ts.FloatScalar(n.clip)
			cur = s.keep(cur.MustClamp(lo, hi, false))
			lo.MustDrop()
			hi.MustDrop()
		}
	}
	return cur
}

// step runs one Adam step on the samples idx and returns the loss and the number of
// samples classified right before the step.
func (n *net) step(opt *nn.Optimizer, x, y *ts.Tensor, idx []int64) (float64, int) {
	var s scope
	defer s.drop()
	ix := s.keep(ts.MustOfSlice(idx))
	xb := s.keep(x.MustIndexSelect(0, ix, false))
	yb := s.keep(y.MustIndexSelect(0, ix, false))
	logits := n.forward(xb, &s)
	loss := s.keep(logits.CrossEntropyForLogits(yb))
	opt.MustBackwardStep(loss)
	return loss.Float64Values()[0], correct(logits, yb, &s)
}

// correct counts the rows of logits whose argmax equals the label.
func correct(logits, labels *ts.Tensor, s *scope) int {
	pred := s.keep(logits.MustArgmax([]int64{-1}, false, false))
	eq := s.keep(pred.MustEqTensor(labels, false))
	sum := s.keep(eq.MustSum(gotch.Int64, false))
	return int(sum.Int64Values()[0])
}

// accuracy evaluates the network on (x, y) without gradients, in chunks.
func (n *net) accuracy(x, y *ts.Tensor) float64 {
	const chunk = 2000
	N := x.MustSize()[0]
	right := 0
	ts.NoGrad(func() {
		for at := int64(0); at < N; at += chunk {
			var s scope
			l := min(chunk, N-at)
			xb := s.keep(x.MustNarrow(0, at, l, false))
			yb := s.keep(y.MustNarrow(0, at, l, false))
			right += correct(n.forward(xb, &s), yb, &s)
			s.drop()
		}
	})
	return 100 * float64(right) / float64(N)
}

// project clamps the singular values of every block of every weight matrix to <= m, in
// place. It works on detached views of the weights (same storage, no autograd), so it
// neither records a graph nor counts as an in-place change of a leaf variable.
func (n *net) project(block int, m float64) {
	for i, sp := range n.specs {
		var s scope
		w := s.keep(n.w[i].MustDetach(false))
		w.Copy_(clampBlocks(w, sp.Out, sp.In, block, m, &s))
		s.drop()
	}
}

// clampBlocks returns w (out x in) with each k x k block's singular values clamped to
// <= m (k = 0: the whole matrix), computed as one batched SVD.
func clampBlocks(w *ts.Tensor, out, in, k int, m float64, s *scope) *ts.Tensor {
	mk := ts.FloatScalar(m)
	defer mk.MustDrop()
	if k == 0 {
		u, sv, vh := ts.MustLinalgSvd(w, false)
		s.keep(u)
		s.keep(sv)
		s.keep(vh)
		sc := s.keep(sv.MustClampMax(mk, false))
		us := s.keep(u.MustMul(s.keep(sc.MustUnsqueeze(0, false)), false))
		return s.keep(us.MustMatmul(vh, false))
	}
	br, bc := (out+k-1)/k, (in+k-1)/k
	K := int64(k)
	padded := s.keep(w.MustConstantPadNd([]int64{0, int64(bc*k - in), 0, int64(br*k - out)}, false))
	blocks := s.keep(padded.MustView([]int64{int64(br), K, int64(bc), K}, false).
		MustPermute([]int64{0, 2, 1, 3}, true).MustReshape([]int64{-1, K, K}, true))
	u, sv, vh := ts.MustLinalgSvd(blocks, false)
	s.keep(u)
	s.keep(sv)
	s.keep(vh)
	sc := s.keep(sv.MustClampMax(mk, false))
	us := s.keep(u.MustMul(s.keep(sc.MustUnsqueeze(1, false)), false))
	rec := s.keep(us.MustMatmul(vh, false))
	grid := s.keep(rec.MustView([]int64{int64(br), int64(bc), K, K}, false).
		MustPermute([]int64{0, 2, 1, 3}, true).MustReshape([]int64{int64(br * k), int64(bc * k)}, true))
	return s.keep(grid.MustNarrow(0, 0, int64(out), false).MustNarrow(1, 0, int64(in), true))
}
