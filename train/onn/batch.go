package onn

import (
	"fmt"

	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

// Batch is one minibatch on a network: its inputs and labels, and the activations of
// every layer from its last forward pass. Forward recomputes only what the phase changes
// since that pass touched. A Batch belongs to one network; use one per goroutine.
type Batch struct {
	net    *Network
	cap, n int
	x      []float64 // n samples of the input shape
	labels []uint8
	act    [][]float64 // per layer: n samples of its output shape
	cols   [][]float64 // per conv layer: im2col patches, n*positions rows of In values
	seen   [][]uint64  // per layer and row group: the version its rows were computed at
	fresh  bool        // inputs changed since the last pass
}

// NewBatch returns a batch of up to size samples.
func (n *Network) NewBatch(size int) (*Batch, error) {
	if size < 1 {
		return nil, fmt.Errorf("onn: batch size %d, want >= 1", size)
	}
	b := &Batch{net: n, cap: size, fresh: true}
	b.x = make([]float64, size*n.input.Size())
	b.labels = make([]uint8, size)
	b.act = make([][]float64, len(n.specs))
	b.cols = make([][]float64, len(n.specs))
	b.seen = make([][]uint64, len(n.specs))
	for l, s := range n.specs {
		b.act[l] = make([]float64, size*s.OutShape().Size())
		if s.Kind == model.Conv {
			b.cols[l] = make([]float64, size*s.Conv.OutHeight()*s.Conv.OutWidth()*s.In)
		}
		b.seen[l] = make([]uint64, len(n.groups[l]))
	}
	return b, nil
}

// Network returns the network the batch runs on.
func (b *Batch) Network() *Network { return b.net }

// Size returns the number of samples loaded.
func (b *Batch) Size() int { return b.n }

// Labels returns the labels of the loaded samples (do not modify).
func (b *Batch) Labels() []uint8 { return b.labels[:b.n] }

// Load copies samples idx of set into the batch (at most the batch's size).
func (b *Batch) Load(set *dataset.Set, idx []int) error {
	if err := b.check(set, len(idx)); err != nil {
		return err
	}
	f := set.Features()
	for j, i := range idx {
		if i < 0 || i >= set.Len() {
			return fmt.Errorf("onn: load: sample %d out of range [0, %d) of %s", i, set.Len(), set.Name)
		}
		x := b.x[j*f : (j+1)*f]
		for k, v := range set.X[i*f : (i+1)*f] {
			x[k] = float64(v)
		}
		b.labels[j] = set.Y[i]
	}
	b.n, b.fresh = len(idx), true
	return nil
}

// LoadRange copies samples from, from+1, ... of set into the batch, as many as fit and
// exist, and returns how many it loaded.
func (b *Batch) LoadRange(set *dataset.Set, from int) (int, error) {
	count := min(b.cap, set.Len()-from)
	if from < 0 || count < 1 {
		return 0, fmt.Errorf("onn: load: start %d out of range [0, %d) of %s", from, set.Len(), set.Name)
	}
	if err := b.check(set, count); err != nil {
		return 0, err
	}
	f := set.Features()
	for j, v := range set.X[from*f : (from+count)*f] {
		b.x[j] = float64(v)
	}
	copy(b.labels, set.Y[from:from+count])
	b.n, b.fresh = count, true
	return count, nil
}

func (b *Batch) check(set *dataset.Set, count int) error {
	in := b.net.input
	switch {
	case set == nil:
		return fmt.Errorf("onn: load: nil data set")
	case set.Features() != in.Size():
		return fmt.Errorf("onn: load: %s has %d features per sample (%v), network input is %v", set.Name, set.Features(), set.Shape, in)
	case set.Classes > b.net.Classes():
		return fmt.Errorf("onn: load: %s has %d classes, network has %d outputs", set.Name, set.Classes, b.net.Classes())
	case count > b.cap:
		return fmt.Errorf("onn: load: %d samples into a batch of %d", count, b.cap)
	}
	return nil
}

// Forward runs the loaded samples through the network and returns the logits, one row
// of Classes values per sample (owned by the batch, valid until its next pass).
func (b *Batch) Forward() []float64 {
	net := b.net
	in := b.x[:b.n*net.input.Size()]
	changed := b.fresh
	b.fresh = false
	last := len(net.specs) - 1
	for l, s := range net.specs {
		src, positions := in, 1
		if s.Kind == model.Conv {
			c := s.Conv
			positions = c.OutHeight() * c.OutWidth()
			src = b.cols[l][:b.n*positions*s.In]
			if changed {
				im2col(src, in, c, b.n)
			}
		}
		out := b.act[l][:b.n*s.Out*positions]
		clip := net.clip
		if l == last {
			clip = 0
		}
		var w []float64
		recomputed := false
		for g, sp := range net.groups[l] {
			v := net.ver[l][g]
			if !changed && b.seen[l][g] == v {
				continue
			}
			if w == nil {
				w = net.chip.LayerWeights(l)
			}
			b.seen[l][g] = v
			recomputed = true
			rows(out, w, src, s.Out, s.In, positions, b.n, sp, clip)
		}
		changed = changed || recomputed
		in = out
	}
	return b.act[last][:b.n*net.Classes()]
}

// Input returns what entered layer l in the last Forward, one row of the layer's input
// shape per sample (owned by the batch, valid until its next pass): the loaded samples
// for l = 0, the clipped output of layer l-1 otherwise, and the logits for l = the
// number of layers. It panics if l is out of that range.
func (b *Batch) Input(l int) []float64 {
	if l == 0 {
		return b.x[:b.n*b.net.input.Size()]
	}
	return b.act[l-1][:b.n*b.net.specs[l-1].OutShape().Size()]
}

// rows computes output channels sp.r0..sp.r1-1 of a layer for n samples:
// out[(s*outC + o)*positions + p] = act(W[o] . src[s*positions + p]), where src holds
// n*positions rows of k values (the input itself for a dense layer, positions = 1).
// clip > 0 applies min(max(x, 0), clip); clip == 0 leaves x as it is. Channels are taken
// four at a time (dot4), the rest one by one; the grouping depends only on sp, so a
// partial and a full recomputation give identical values.
func rows(out, w, src []float64, outC, k, positions, n int, sp span, clip float64) {
	o := sp.r0
	for ; o+4 <= sp.r1; o += 4 {
		w0, w1, w2, w3 := w[o*k:(o+1)*k], w[(o+1)*k:(o+2)*k], w[(o+2)*k:(o+3)*k], w[(o+3)*k:(o+4)*k]
		for r := range n * positions {
			s, p := r/positions, r%positions
			v0, v1, v2, v3 := dot4(w0, w1, w2, w3, src[r*k:(r+1)*k])
			base := (s*outC+o)*positions + p
			out[base] = activate(v0, clip)
			out[base+positions] = activate(v1, clip)
			out[base+2*positions] = activate(v2, clip)
			out[base+3*positions] = activate(v3, clip)
		}
	}
	for ; o < sp.r1; o++ {
		wo := w[o*k : (o+1)*k]
		for r := range n * positions {
			s, p := r/positions, r%positions
			out[(s*outC+o)*positions+p] = activate(dot(wo, src[r*k:(r+1)*k]), clip)
		}
	}
}

// activate is the hidden-layer activation min(max(v, 0), clip), or v when clip is 0.
func activate(v, clip float64) float64 {
	if clip > 0 {
		return min(max(v, 0), clip)
	}
	return v
}

// im2col writes the patches of n input maps (channel-major C x H x W each) into cols:
// one row per sample and output position (row-major), each row channel-major, then
// kernel row, then kernel column, with zeros outside the input (padding).
func im2col(cols, in []float64, c *model.ConvParams, n int) {
	oh, ow := c.OutHeight(), c.OutWidth()
	size := c.InChannels * c.InHeight * c.InWidth
	width := c.InChannels * c.Kernel * c.Kernel
	j := 0
	for s := range n {
		img := in[s*size : (s+1)*size]
		for oy := range oh {
			for ox := range ow {
				c.Patch(cols[j:j+width], img, oy, ox)
				j += width
			}
		}
	}
}

// Loss runs a forward pass and returns the mean softmax cross-entropy of the loaded
// samples against their labels.
func (b *Batch) Loss() float64 {
	z := b.Forward()
	c := b.net.Classes()
	sum := 0.0
	for s, y := range b.labels[:b.n] {
		row := z[s*c : (s+1)*c]
		m := row[0]
		for _, v := range row[1:] {
			m = max(m, v)
		}
		e := 0.0
		for _, v := range row {
			e += exp(v - m)
		}
		sum += m + log(e) - row[y]
	}
	return sum / float64(b.n)
}

// Correct runs a forward pass and returns how many loaded samples are classified right:
// their largest logit (the first on ties) is at their label.
func (b *Batch) Correct() int {
	z := b.Forward()
	c := b.net.Classes()
	right := 0
	for s, y := range b.labels[:b.n] {
		row := z[s*c : (s+1)*c]
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
	return right
}

// Accuracy returns the percentage of set classified right, running it through the
// batch in pieces of the batch's size. It overwrites the batch's samples.
func (b *Batch) Accuracy(set *dataset.Set) (float64, error) {
	if set == nil || set.Len() == 0 {
		return 0, fmt.Errorf("onn: accuracy: empty data set")
	}
	right := 0
	for from := 0; from < set.Len(); {
		n, err := b.LoadRange(set, from)
		if err != nil {
			return 0, err
		}
		right += b.Correct()
		from += n
	}
	return 100 * float64(right) / float64(set.Len()), nil
}
