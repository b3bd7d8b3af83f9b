package onn

import (
	"fmt"
	"math"
	"slices"

	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

// Batch is one minibatch on a network: its inputs and labels, the activations of every
// layer from its last forward pass and, once the batch has been queried after a phase
// change, the sum trees of every layer's outputs that let Forward recompute only what a
// change touched (see the package doc). A Batch belongs to one network; use one per
// goroutine.
type Batch struct {
	net    *Network
	cap, n int
	x      []float64 // n samples of the input shape
	labels []uint8
	layers []layerState
	keep   bool // the layers' sum trees are kept (allocated by the first delta query)

	top, expSums []float64 // per sample: its largest logit and sum of exponentials (Loss)
	fresh        bool      // inputs changed since the last pass

	// Scratch of one layer pass.
	sums       []float64 // the sum trees of a chunk of input rows, for passes that keep none
	groups     []group   // what to recompute: output rows and their block columns
	lists      [][]int   // per block row: the block columns of the blocks whose phases changed
	inputLists [][]int   // per block row: those and the block columns whose input changed
	runs       []span    // the input rows to recompute, in runs of whole samples
	snap       []float64 // the activations of a layer before a pass rewrites them (delta)
}

// group is a range of output rows (one block row, or all of them) whose leaves in the
// listed block columns are recomputed.
type group struct {
	rows span
	cols []int
}

// layerState is what a batch keeps of one layer.
type layerState struct {
	act  []float64 // n samples of the output shape
	cols []float64 // conv: im2col patches, n*positions rows of In values
	// tree holds the sum tree of every output before activation, node by node: node j of
	// output o of input row r (a sample, or one patch of a sample) is at
	// tree[j*plane + r*Out + o]. With first = (block columns - 1), leaf first+bc is the
	// partial product over block column bc, inner node j is node 2j+1 plus node 2j+2, and
	// node 0, the root, is the output. Node by node, a change of one leaf is a few
	// contiguous additions per output row. nil until the batch keeps trees.
	tree      []float64
	plane     int      // cap*positions*Out
	seen      []uint64 // per block: the network's clock when its leaves were computed
	seenRow   []uint64 // per block row: the network's clock when its leaves were computed
	seenLayer uint64   // the network's clock of the layer when it was last brought up to date
	dirty     []bool   // per block column: its input changed in this pass
	changed   []span   // the output channels recomputed in this pass (ranges, may overlap)
	moved     []bool   // per sample: some of its outputs changed in this pass
	anyMoved  bool     // some sample moved
}

// scratchTrees bounds the scratch of a pass that keeps no trees: it works through a chunk
// of input rows at a time, about this many float64 of sum trees.
const scratchTrees = 1 << 15

// NewBatch returns a batch of up to size samples.
func (n *Network) NewBatch(size int) (*Batch, error) {
	if size < 1 {
		return nil, fmt.Errorf("onn: batch size %d, want >= 1", size)
	}
	b := &Batch{net: n, cap: size, fresh: true}
	b.x = make([]float64, size*n.input.Size())
	b.labels = make([]uint8, size)
	b.top, b.expSums = make([]float64, size), make([]float64, size)
	b.layers = make([]layerState, len(n.specs))
	sums, rows, cols := 0, 0, 0
	for l, s := range n.specs {
		g := &n.geom[l]
		st := &b.layers[l]
		st.act = make([]float64, size*s.OutShape().Size())
		if s.Kind == model.Conv {
			st.cols = make([]float64, size*g.positions*s.In)
		}
		st.plane = size * g.positions * g.out
		st.seen = make([]uint64, len(n.ver[l]))
		st.seenRow = make([]uint64, len(n.rowVer[l]))
		st.moved = make([]bool, size)
		st.dirty = make([]bool, len(g.cols))
		st.changed = make([]span, 0, 2*len(g.rows)) // both kinds of sample (delta)
		sums = max(sums, g.chunk*g.out*g.nodes)
		rows, cols = max(rows, len(g.rows)), max(cols, len(g.cols))
	}
	b.sums = make([]float64, sums)
	b.groups = make([]group, 0, rows)
	b.lists, b.inputLists = make([][]int, rows), make([][]int, rows)
	for br := range b.lists {
		b.lists[br], b.inputLists[br] = make([]int, 0, cols), make([]int, 0, cols)
	}
	b.runs = make([]span, 0, size)
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
//
// After new samples it runs every layer. After phase changes it recomputes, in each
// layer, only the leaves of the blocks that changed and of the block columns whose input
// changed, the sums above them and the activations of their rows, and passes on to the
// next layer only the output channels it recomputed. The first such pass allocates the
// sum trees the batch keeps from then on (and runs every layer once). Either way the
// logits are, bit for bit, those of a pass from scratch.
func (b *Batch) Forward() []float64 {
	switch {
	case b.fresh:
		b.full()
	case !b.stale():
	case !b.keep:
		b.keepTrees()
		b.full()
	default:
		b.delta()
	}
	b.fresh = false
	last := len(b.layers) - 1
	return b.layers[last].act[:b.n*b.net.Classes()]
}

// stale reports whether a phase changed since the last pass.
func (b *Batch) stale() bool {
	for l, v := range b.net.layerVer {
		if b.layers[l].seenLayer != v {
			return true
		}
	}
	return false
}

// keepTrees allocates the sum trees, from now on kept by every pass, and the scratch of
// delta queries.
func (b *Batch) keepTrees() {
	snap := 0
	for l, s := range b.net.specs {
		st := &b.layers[l]
		st.tree = make([]float64, b.net.geom[l].nodes*st.plane)
		snap = max(snap, b.cap*s.OutShape().Size())
	}
	b.snap = make([]float64, snap)
	b.keep = true
}

// full computes every layer from scratch.
func (b *Batch) full() {
	net := b.net
	for l, s := range net.specs {
		g := &net.geom[l]
		st := &b.layers[l]
		src := b.Input(l)
		if s.Kind == model.Conv {
			im2col(st.cols, src, s.Conv, b.n)
			src = st.cols
		}
		b.groups = append(b.groups[:0], group{span{0, g.out}, g.all})
		b.runs = append(b.runs[:0], span{0, b.n * g.positions})
		st.changed = append(st.changed[:0], span{0, g.out})
		w := net.chip.LayerWeights(l)
		b.update(st, g, w, net.signs(l, w), src, true)
		copy(st.seen, net.ver[l])
		copy(st.seenRow, net.rowVer[l])
		st.seenLayer = net.layerVer[l]
		for s := range st.moved {
			st.moved[s] = s < b.n
		}
		st.anyMoved = true
	}
}

// delta brings every layer up to date after phase changes. A layer is visited if its
// own phases changed or its input did; in it, a block's leaves are recomputed for every
// sample if the block changed, and for the samples whose input changed if its block
// column's input did. The output channels it recomputes decide which block columns of
// the next layer are dirty, and the samples whose outputs it changed (compared bit for
// bit) for which samples: a sample whose output a change did not reach (the changed
// block's inputs were zeros, or ReLU clipped the change away) costs nothing further on.
func (b *Batch) delta() {
	net := b.net
	for l, s := range net.specs {
		g := &net.geom[l]
		st := &b.layers[l]
		var prev *layerState // the previous layer, if some of its outputs changed
		if l > 0 && b.layers[l-1].anyMoved {
			prev = &b.layers[l-1]
		}
		inChanged := prev != nil
		if st.seenLayer == net.layerVer[l] && !inChanged {
			st.changed, st.anyMoved = st.changed[:0], false
			continue
		}
		st.seenLayer = net.layerVer[l]
		src := b.Input(l)
		clear(st.dirty)
		if inChanged {
			if s.Kind == model.Conv {
				im2colChannels(st.cols, src, s.Conv, b.n, prev.changed)
			}
			for _, ch := range prev.changed { // channels [a, b) feed columns [a*perInput, b*perInput)
				for bc := g.colOf[ch.a*g.perInput]; bc <= g.colOf[ch.b*g.perInput-1]; bc++ {
					st.dirty[bc] = true
				}
			}
		}
		if s.Kind == model.Conv {
			src = st.cols
		}
		w := net.chip.LayerWeights(l)
		neg := net.signs(l, w)
		st.changed, st.anyMoved = st.changed[:0], false
		clear(st.moved)
		// Which samples moved is worth finding out only when the next layer's work per
		// sample outweighs the comparison; otherwise every recomputed sample counts.
		follow := l < len(net.specs)-1 && net.specs[l+1].Out*net.specs[l+1].In >= minFollow
		phase, input := b.plan(st, g, net.ver[l], net.rowVer[l], inChanged)
		// The samples whose input is as it was see only the blocks whose phases changed;
		// the others also the dirty block columns.
		for _, moved := range [2]bool{false, true} {
			lists := phase
			if moved {
				if !inChanged {
					break
				}
				lists = input
			}
			if !b.group(g, lists) || !b.sampleRuns(g, prev, moved) {
				continue
			}
			for _, gr := range b.groups {
				st.changed = append(st.changed, gr.rows)
			}
			if follow {
				b.snapshot(st, g)
			}
			b.update(st, g, w, neg, src, false)
			b.compare(st, g, follow)
		}
	}
}

// plan lists, per block row, the block columns whose leaves must be recomputed: in phase
// those of the blocks whose phases changed (all of them when most did), in input (when
// some input changed) those and the dirty block columns, and marks the changed blocks seen. A
// block row none of whose blocks changed is passed over at the cost of one comparison.
func (b *Batch) plan(st *layerState, g *geometry, ver, rowVer []uint64, inChanged bool) (phase, input [][]int) {
	cols := len(g.cols)
	listed := 0
	for br := range g.rows {
		list := b.lists[br][:0]
		if st.seenRow[br] != rowVer[br] {
			seen := st.seen[br*cols : (br+1)*cols]
			for bc, v := range ver[br*cols : (br+1)*cols] {
				if seen[bc] != v {
					list = append(list, bc)
					seen[bc] = v
				}
			}
			st.seenRow[br] = rowVer[br]
		}
		b.lists[br] = list
		listed += len(list)
	}
	if 2*listed >= len(g.rows)*cols && len(g.rows) > 1 {
		// Most blocks changed (many phases moved at once): every block of the layer, in
		// one group of all its rows, whose leaves skip zeros, costs less than a group
		// per block row of a few outputs each. Recomputing an unchanged leaf gives it
		// its own value again.
		for br := range g.rows {
			b.lists[br] = append(b.lists[br][:0], g.all...)
		}
	}
	if !inChanged { // no sample's input changed: input is not used
		return b.lists, nil
	}
	for br := range g.rows {
		list := b.lists[br]
		both := b.inputLists[br][:0]
		i := 0
		for bc, d := range st.dirty {
			switch {
			case i < len(list) && list[i] == bc:
				both = append(both, bc)
				i++
			case d:
				both = append(both, bc)
			}
		}
		b.inputLists[br] = both
	}
	return b.lists, b.inputLists
}

// group sets the groups of the lists (one for all rows when every block row has the same
// list) and reports whether there is anything to do.
func (b *Batch) group(g *geometry, lists [][]int) bool {
	uniform := true
	for _, list := range lists[1:len(g.rows)] {
		uniform = uniform && slices.Equal(list, lists[0])
	}
	b.groups = b.groups[:0]
	if uniform {
		if len(lists[0]) > 0 {
			b.groups = append(b.groups, group{span{0, g.out}, lists[0]})
		}
	} else {
		for br, rs := range g.rows {
			if len(lists[br]) > 0 {
				b.groups = append(b.groups, group{rs, lists[br]})
			}
		}
	}
	return len(b.groups) > 0
}

// sampleRuns sets the runs of input rows (a sample's positions, in order) of the samples
// whose input changed (moved) or did not, as the previous layer prev reports them (nil:
// no input changed), and reports whether there are any.
func (b *Batch) sampleRuns(g *geometry, prev *layerState, moved bool) bool {
	b.runs = b.runs[:0]
	pos := g.positions
	for s := 0; s < b.n; {
		if (prev != nil && prev.moved[s]) != moved {
			s++
			continue
		}
		e := s + 1
		for e < b.n && (prev != nil && prev.moved[e]) == moved {
			e++
		}
		b.runs = append(b.runs, span{s * pos, e * pos})
		s = e
	}
	return len(b.runs) > 0
}

// snapshot copies the activations the groups will rewrite in the runs' samples, for
// compare.
func (b *Batch) snapshot(st *layerState, g *geometry) {
	size := g.out * g.positions
	for _, run := range b.runs {
		for smp := run.a / g.positions; smp < run.b/g.positions; smp++ {
			if g.positions > 1 { // conv: every sample recomputed counts as moved
				continue
			}
			for _, gr := range b.groups {
				copy(b.snap[smp*size+gr.rows.a:smp*size+gr.rows.b], st.act[smp*size+gr.rows.a:smp*size+gr.rows.b])
			}
		}
	}
}

// compare marks moved the samples of the runs whose activations in the groups' rows
// differ, bit for bit, from their snapshot (with follow; without, or for a conv layer:
// every sample of the runs).
func (b *Batch) compare(st *layerState, g *geometry, follow bool) {
	size := g.out * g.positions
	for _, run := range b.runs {
		for smp := run.a / g.positions; smp < run.b/g.positions; smp++ {
			if st.moved[smp] {
				continue
			}
			if g.positions > 1 || !follow {
				st.moved[smp], st.anyMoved = true, true
				continue
			}
			for _, gr := range b.groups {
				if !sameBits(b.snap[smp*size+gr.rows.a:smp*size+gr.rows.b], st.act[smp*size+gr.rows.a:smp*size+gr.rows.b]) {
					st.moved[smp], st.anyMoved = true, true
					break
				}
			}
		}
	}
}

// sameBits reports whether a and b hold the same float64 bit patterns.
func sameBits(a, b []float64) bool {
	b = b[:len(a)]
	for i, v := range a {
		if math.Float64bits(v) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// update recomputes, for the input rows of the runs (src holds n*positions rows of In
// values), the leaves of each group's block columns in its rows, the sums above them and
// the activations of those rows. full rebuilds every sum; otherwise a group walks up from
// its leaves, or rebuilds its trees when that takes fewer additions. Without kept trees
// (a full pass only) it works through the input rows in chunks, with the trees of a chunk
// in scratch.
func (b *Batch) update(st *layerState, g *geometry, w []float64, neg []bool, src []float64, full bool) {
	out := g.out
	t, ps := st.tree, st.plane
	chunk := b.n * g.positions
	if !b.keep {
		chunk = g.chunk
		t, ps = b.sums[:g.nodes*chunk*out], chunk*out
	}
	for _, run := range b.runs {
		for r0 := run.a; r0 < run.b; r0 += chunk {
			b.updateRows(st, g, t, ps, w, neg, src, r0, min(run.b, r0+chunk), full)
		}
	}
}

// updateRows is update for the input rows [r0, r1), whose sum trees are in t (planes of
// ps values; a chunk's own when the batch keeps no trees).
func (b *Batch) updateRows(st *layerState, g *geometry, t []float64, ps int, w []float64, neg []bool, src []float64, r0, r1 int, full bool) {
	first, depth := len(g.cols)-1, g.depth
	k, out := g.in, g.out
	base := 0 // element r*out + o of the rows is at r*out + o - base in a plane
	if !b.keep {
		base = r0 * out
	}
	x := src[r0*k : r1*k]
	for _, gr := range b.groups {
		for _, bc := range gr.cols {
			j := first + bc
			leaves(t[j*ps+r0*out-base:j*ps+r1*out-base], w, x, k, out, gr.rows, g.cols[bc], colSigns{neg, len(g.cols), bc})
		}
	}
	lo, hi := r0*out-base, r1*out-base
	for _, gr := range b.groups {
		// The root is only ever read by the activation, so no pass stores it.
		switch {
		case !full && len(gr.cols) == 1 && g.positions == 1 && first > 0 && first+gr.cols[0] < 15:
			// One leaf of a dense layer, at most three levels deep: its path and
			// the activation in one pass.
			b.walk(st, g, t, ps, base, r0, r1, gr.rows, first+gr.cols[0])
		case g.positions == 1 && (first >= 1 && first <= 3 || first == 7):
			// Two to four, or eight, leaves of a dense layer: the whole tree and
			// the activation in one pass.
			b.rebuildSmall(st, g, t, ps, base, r0, r1, gr.rows)
		case full || len(gr.cols)*depth >= first:
			for j := first - 1; j >= 1; j-- {
				addPlanes(t, ps, j, lo, hi, out, gr.rows)
			}
			b.roots(st, g, t, ps, base, r0, r1, gr.rows)
		default:
			for _, bc := range gr.cols {
				for j := (first + bc - 1) / 2; j >= 1; j = (j - 1) / 2 {
					addPlanes(t, ps, j, lo, hi, out, gr.rows)
				}
			}
			b.roots(st, g, t, ps, base, r0, r1, gr.rows)
		}
	}
}

// leaves sets, in one node plane (plane[r*out + o] for input row r of x, which holds rows
// of k inputs), the partial products of outputs rs over the columns cs: row o of w (Out x
// k) times the input row, summed over cs in column order from the first product.
//
// Inputs that are zero (most of an image's pixels and of a ReLU layer's outputs) are
// skipped, and the result is still that sum bit for bit: adding a zero product to a
// nonzero sum leaves it unchanged, and a zero sum plus a term is the term, so the sum of
// the nonzero inputs' products equals the full sum or both are zeros; only the sign of a
// zero can differ. A zero sum is therefore settled apart: with every input zero, the full
// sum is -0 exactly when every product is -0 (zeroLeaf); a sum of nonzero terms that
// cancels to zero (or underflows) is recomputed in full (fullLeaf). Every pass, full or
// partial, goes through this function, so a leaf has one value however it is reached.
func leaves(plane, w, x []float64, k, out int, rs, cs span, sg colSigns) {
	n := len(x) / k
	width := cs.b - cs.a
	if width > maxSparse || rs.b-rs.a < minSparseRows {
		denseLeaves(plane, w, x, k, out, rs, cs)
		return
	}
	var at [maxSparse]int // the nonzero inputs: their columns and values
	var xv [maxSparse]float64
	for r := range n {
		xs := x[r*k+cs.a : r*k+cs.b]
		d := plane[r*out+rs.a : r*out+rs.b]
		m, negZero := 0, false
		for j, v := range xs {
			if v != 0 {
				at[m], xv[m] = cs.a+j, v
				m++
			} else if math.Signbit(v) {
				negZero = true
			}
		}
		if m == width {
			denseRow(d, w, xs, k, rs.a*k+cs.a)
			continue
		}
		base := rs.a * k
		switch m {
		case 0:
			if negZero {
				for i := range d {
					d[i] = zeroLeaf(w[base+i*k+cs.a:base+i*k+cs.b], xs)
				}
				continue
			}
			// Every input +0 (as ReLU and most data give): the sum is -0 exactly when
			// every weight is negative, which the table sg holds.
			for i := range d {
				d[i] = 0
				if sg.neg[(rs.a+i)*sg.stride+sg.col] {
					d[i] = math.Copysign(0, -1)
				}
			}
			continue
		case 1:
			a0, x0 := base+at[0], xv[0]
			for i := range d {
				d[i] = w[a0+i*k] * x0
			}
		case 2:
			a0, a1, x0, x1 := base+at[0], base+at[1], xv[0], xv[1]
			for i := range d {
				d[i] = w[a0+i*k]*x0 + w[a1+i*k]*x1
			}
		case 3:
			a0, a1, a2, x0, x1, x2 := base+at[0], base+at[1], base+at[2], xv[0], xv[1], xv[2]
			for i := range d {
				d[i] = w[a0+i*k]*x0 + w[a1+i*k]*x1 + w[a2+i*k]*x2
			}
		case 4:
			a0, a1, a2, a3 := base+at[0], base+at[1], base+at[2], base+at[3]
			x0, x1, x2, x3 := xv[0], xv[1], xv[2], xv[3]
			for i := range d {
				d[i] = w[a0+i*k]*x0 + w[a1+i*k]*x1 + w[a2+i*k]*x2 + w[a3+i*k]*x3
			}
		default:
			for i := range d {
				o := base + i*k
				acc := w[o+at[0]] * xv[0]
				for j := 1; j < m; j++ {
					acc += w[o+at[j]] * xv[j]
				}
				d[i] = acc
			}
		}
		for i, v := range d {
			if v == 0 {
				d[i] = fullLeaf(w[base+i*k+cs.a:base+i*k+cs.b], xs)
			}
		}
	}
}

// maxSparse is the widest block column whose leaves skip zero inputs (wider ones, of
// whole-matrix blocks, are summed in full), and minSparseRows the fewest outputs: finding
// an input row's zeros costs about as much as summing a few outputs in full.
const maxSparse, minSparseRows = 16, 32

// minFollow is the smallest next layer (Out x In weights) for whose sake a delta query
// compares a layer's outputs sample by sample.
const minFollow = 4096

// colSigns locates one block column in a layer's table of all-negative weight rows
// (Network.signs): output o's entry is neg[o*stride + col].
type colSigns struct {
	neg         []bool
	stride, col int
}

// allNegative sets, for outputs rs of a weight matrix w (rows of k) over the columns cs,
// whether every weight of the row is negative (its sign bit set), at neg[o*stride + col].
func allNegative(neg []bool, w []float64, k, stride, col int, rs, cs span) {
	for o := rs.a; o < rs.b; o++ {
		all := uint64(1) << 63
		for _, v := range w[o*k+cs.a : o*k+cs.b] {
			all &= math.Float64bits(v)
		}
		neg[o*stride+col] = all != 0
	}
}

// zeroLeaf returns the sum of the products of ws and xs, in order, when every x is zero:
// the products are zeros, and the sum is -0 exactly when every product is -0 (+0 plus -0
// is +0). A product's sign is its factors' signs combined, so the sum's sign bit is the
// AND over the products of the XOR of their factors' sign bits (no branch to mispredict).
func zeroLeaf(ws, xs []float64) float64 {
	ws = ws[:len(xs)]
	neg := uint64(1) << 63
	for j, v := range xs {
		neg &= math.Float64bits(ws[j]) ^ math.Float64bits(v)
	}
	return math.Float64frombits(neg)
}

// fullLeaf returns the sum of the products of ws and xs, in order from the first.
func fullLeaf(ws, xs []float64) float64 {
	ws = ws[:len(xs)]
	acc := ws[0] * xs[0]
	for c := 1; c < len(xs); c++ {
		acc += ws[c] * xs[c]
	}
	return acc
}

// denseLeaves is leaves summing every product (fullLeaf for each output). Blocks of the
// usual width 8 go through an unrolled loop that keeps the inputs in registers; every
// path takes the same operations per output.
func denseLeaves(plane, w, x []float64, k, out int, rs, cs span) {
	for r := range len(x) / k {
		denseRow(plane[r*out+rs.a:r*out+rs.b], w, x[r*k+cs.a:r*k+cs.b], k, rs.a*k+cs.a)
	}
}

// denseRow sets d[i] to the sum of the products of xs with the len(xs) weights of w from
// at + i*k (a row of the weight matrix, from the block column's first column).
func denseRow(d, w, xs []float64, k, at int) {
	if len(xs) != 8 {
		for i := range d {
			d[i] = fullLeaf(w[at+i*k:at+i*k+len(xs)], xs)
		}
		return
	}
	x0, x1, x2, x3, x4, x5, x6, x7 := xs[0], xs[1], xs[2], xs[3], xs[4], xs[5], xs[6], xs[7]
	i := 0
	for ; i+1 < len(d); i += 2 { // two outputs per step: fewer loop instructions
		ws, wz := w[at:at+8], w[at+k:at+k+8]
		d[i] = ws[0]*x0 + ws[1]*x1 + ws[2]*x2 + ws[3]*x3 + ws[4]*x4 + ws[5]*x5 + ws[6]*x6 + ws[7]*x7
		d[i+1] = wz[0]*x0 + wz[1]*x1 + wz[2]*x2 + wz[3]*x3 + wz[4]*x4 + wz[5]*x5 + wz[6]*x6 + wz[7]*x7
		at += 2 * k
	}
	if i < len(d) {
		ws := w[at : at+8]
		d[i] = ws[0]*x0 + ws[1]*x1 + ws[2]*x2 + ws[3]*x3 + ws[4]*x4 + ws[5]*x5 + ws[6]*x6 + ws[7]*x7
	}
}

// addPlanes sets node j of the trees of outputs rs of the elements [lo, hi) of the
// planes (a whole number of input rows of out outputs): node 2j+1 plus node 2j+2.
func addPlanes(t []float64, ps, j, lo, hi, out int, rs span) {
	d := t[j*ps+lo : j*ps+hi]
	a := t[(2*j+1)*ps+lo : (2*j+1)*ps+hi]
	c := t[(2*j+2)*ps+lo : (2*j+2)*ps+hi]
	a, c = a[:len(d)], c[:len(d)]
	if rs.b-rs.a == out {
		for i := range d {
			d[i] = a[i] + c[i]
		}
		return
	}
	for e := 0; e < len(d); e += out {
		dd, aa, cc := d[e+rs.a:e+rs.b], a[e+rs.a:e+rs.b], c[e+rs.a:e+rs.b]
		aa, cc = aa[:len(dd)], cc[:len(dd)]
		for i := range dd {
			dd[i] = aa[i] + cc[i]
		}
	}
}

// walk updates, for outputs rs of the input rows [r0, r1) of a dense layer, the sums on
// the path from one changed leaf (node leaf, at most three levels below the root) to the
// root, and writes their activations: each node is the running sum plus its sibling
// (addition commutes exactly, so this is node 2j+1 plus node 2j+2), in one pass.
func (b *Batch) walk(st *layerState, g *geometry, t []float64, ps, base, r0, r1 int, rs span, leaf int) {
	out, clip := g.out, g.clip
	var sib, par [3][]float64 // per level from the leaf: the sibling and the parent
	d := 0
	for j := leaf; j > 0; j = (j - 1) / 2 {
		s := j + 1
		if j%2 == 0 {
			s = j - 1
		}
		p := (j - 1) / 2
		sib[d], par[d] = t[s*ps:(s+1)*ps], t[p*ps:(p+1)*ps]
		d++
	}
	lf := t[leaf*ps : (leaf+1)*ps]
	if rs.b-rs.a == out { // whole rows: one run
		r0, r1, rs = 0, 1, span{r0 * out, r1 * out}
	}
	for r := r0; r < r1; r++ {
		act := st.act[r*out+rs.a : r*out+rs.b]
		lo, hi := r*out+rs.a-base, r*out+rs.b-base
		v0, s0 := lf[lo:hi], sib[0][lo:hi]
		v0, s0 = v0[:len(act)], s0[:len(act)]
		switch d {
		case 1:
			for i, v := range v0 {
				act[i] = activation(v+s0[i], clip)
			}
		case 2:
			p0, s1 := par[0][lo:hi], sib[1][lo:hi]
			p0, s1 = p0[:len(act)], s1[:len(act)]
			for i, v := range v0 {
				v += s0[i]
				p0[i] = v
				act[i] = activation(v+s1[i], clip)
			}
		case 3:
			p0, s1, p1, s2 := par[0][lo:hi], sib[1][lo:hi], par[1][lo:hi], sib[2][lo:hi]
			p0, s1, p1, s2 = p0[:len(act)], s1[:len(act)], p1[:len(act)], s2[:len(act)]
			for i, v := range v0 {
				v += s0[i]
				p0[i] = v
				v += s1[i]
				p1[i] = v
				act[i] = activation(v+s2[i], clip)
			}
		}
	}
}

// rebuildSmall rebuilds, for outputs rs of the input rows [r0, r1) of a dense layer of
// two to four, or eight, block columns, every inner node of the sum trees and writes the
// activations, in one pass.
func (b *Batch) rebuildSmall(st *layerState, g *geometry, t []float64, ps, base, r0, r1 int, rs span) {
	out, clip := g.out, g.clip
	first := len(g.cols) - 1
	node := func(j, lo, hi, n int) []float64 { return t[j*ps+lo : j*ps+hi][:n] }
	if rs.b-rs.a == out { // whole rows: one run
		r0, r1, rs = 0, 1, span{r0 * out, r1 * out}
	}
	for r := r0; r < r1; r++ {
		act := st.act[r*out+rs.a : r*out+rs.b]
		lo, hi, n := r*out+rs.a-base, r*out+rs.b-base, len(act)
		switch first {
		case 1: // leaves 1, 2
			t1, t2 := node(1, lo, hi, n), node(2, lo, hi, n)
			for i, v := range t1 {
				act[i] = activation(v+t2[i], clip)
			}
		case 2: // leaves 2, 3, 4; node 1 = 3 + 4
			t1, t2, t3, t4 := node(1, lo, hi, n), node(2, lo, hi, n), node(3, lo, hi, n), node(4, lo, hi, n)
			for i, v := range t3 {
				v += t4[i]
				t1[i] = v
				act[i] = activation(v+t2[i], clip)
			}
		case 3: // leaves 3..6; node 1 = 3 + 4, node 2 = 5 + 6
			t1, t2, t3, t4 := node(1, lo, hi, n), node(2, lo, hi, n), node(3, lo, hi, n), node(4, lo, hi, n)
			t5, t6 := node(5, lo, hi, n), node(6, lo, hi, n)
			for i, v := range t3 {
				u, w := v+t4[i], t5[i]+t6[i]
				t1[i], t2[i] = u, w
				act[i] = activation(u+w, clip)
			}
		case 7: // leaves 7..14 (eight block columns, as 64 inputs in blocks of 8)
			var tj [15][]float64
			for j := range tj {
				tj[j] = node(j, lo, hi, n)
			}
			for i := range tj[7] {
				a, b := tj[7][i]+tj[8][i], tj[9][i]+tj[10][i]
				c, d := tj[11][i]+tj[12][i], tj[13][i]+tj[14][i]
				tj[3][i], tj[4][i], tj[5][i], tj[6][i] = a, b, c, d
				u, w := a+b, c+d
				tj[1][i], tj[2][i] = u, w
				act[i] = activation(u+w, clip)
			}
		}
	}
}

// roots writes the activations of outputs rs of input rows [r0, r1) into the layer's
// output: each output's root, the sum of nodes 1 and 2 of its tree (or its only leaf,
// node 0, when the layer has one block column), through the activation. Element
// r*out + o of a plane is at r*out + o - base.
func (b *Batch) roots(st *layerState, g *geometry, t []float64, ps, base, r0, r1 int, rs span) {
	out, pos, clip := g.out, g.positions, g.clip
	left, right := t[:ps], []float64(nil)
	if len(g.cols) > 1 {
		left, right = t[ps:2*ps], t[2*ps:3*ps]
	}
	if pos == 1 { // dense: a sample's outputs are contiguous, as in the planes
		if rs.b-rs.a == out { // whole rows: one run
			r0, r1, rs = 0, 1, span{r0 * out, r1 * out}
		}
		for r := r0; r < r1; r++ {
			act := st.act[r*out+rs.a : r*out+rs.b]
			x := left[r*out+rs.a-base : r*out+rs.b-base]
			x = x[:len(act)]
			switch {
			case right == nil:
				for i, v := range x {
					act[i] = activation(v, clip)
				}
			case clip == 0:
				y := right[r*out+rs.a-base : r*out+rs.b-base]
				y = y[:len(act)]
				for i, v := range x {
					act[i] = v + y[i]
				}
			default:
				y := right[r*out+rs.a-base : r*out+rs.b-base]
				y = y[:len(act)]
				for i, v := range x {
					act[i] = min(max(v+y[i], 0), clip)
				}
			}
		}
		return
	}
	s, p := r0/pos, r0%pos // conv: the output is channel-major per sample
	for r := r0; r < r1; r++ {
		at := s*out*pos + p
		for o := rs.a; o < rs.b; o++ {
			v := left[r*out+o-base]
			if right != nil {
				v += right[r*out+o-base]
			}
			st.act[at+o*pos] = activation(v, clip)
		}
		if p++; p == pos {
			s, p = s+1, 0
		}
	}
}

// Input returns what entered layer l in the last Forward, one row of the layer's input
// shape per sample (owned by the batch, valid until its next pass): the loaded samples
// for l = 0, the clipped output of layer l-1 otherwise, and the logits for l = the
// number of layers. It panics if l is out of that range.
func (b *Batch) Input(l int) []float64 {
	if l == 0 {
		return b.x[:b.n*b.net.input.Size()]
	}
	return b.layers[l-1].act[:b.n*b.net.specs[l-1].OutShape().Size()]
}

// activation is the hidden-layer activation min(max(v, 0), clip), or v when clip is 0.
func activation(v, clip float64) float64 {
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

// im2colChannels rewrites, in the patch rows im2col wrote, only the entries of the input
// channels in the ranges chs.
func im2colChannels(cols, in []float64, c *model.ConvParams, n int, chs []span) {
	oh, ow := c.OutHeight(), c.OutWidth()
	hw := c.InHeight * c.InWidth
	kk := c.Kernel * c.Kernel
	width := c.InChannels * kk
	j := 0
	for s := range n {
		img := in[s*c.InChannels*hw : (s+1)*c.InChannels*hw]
		for oy := range oh {
			for ox := range ow {
				row := cols[j : j+width]
				j += width
				for ch := range channels(chs) {
					c.PatchChannel(row[ch*kk:(ch+1)*kk], img, ch, oy, ox)
				}
			}
		}
	}
}

// channels yields the channels of the ranges chs, in order.
func channels(chs []span) func(func(int) bool) {
	return func(yield func(int) bool) {
		for _, r := range chs {
			for ch := r.a; ch < r.b; ch++ {
				if !yield(ch) {
					return
				}
			}
		}
	}
}

// Loss runs a forward pass and returns the mean softmax cross-entropy of the loaded
// samples against their labels.
func (b *Batch) Loss() float64 {
	z := b.Forward()
	c := b.net.Classes()
	top, sums := b.top[:b.n], b.expSums[:b.n]
	// Each step below is a loop of its own over the samples, whose rows do not depend
	// on each other, so that the processor overlaps them rather than wait on one row's
	// chain of max, of sums or a logarithm.
	for s := range top {
		top[s] = rowMax(z[s*c : (s+1)*c])
	}
	for s, m := range top {
		sums[s] = sumExp(z[s*c:(s+1)*c], m)
	}
	sum := 0.0
	for s, y := range b.labels[:b.n] {
		sum += top[s] + log(sums[s]) - z[s*c+int(y)]
	}
	return sum / float64(b.n)
}

// rowMax returns the largest value of row (NaN if any is NaN), in two interleaved
// chains: the maximum does not depend on the order it is taken in.
func rowMax(row []float64) float64 {
	m0, m1 := row[0], row[0]
	i := 1
	for ; i+1 < len(row); i += 2 {
		m0, m1 = max(m0, row[i]), max(m1, row[i+1])
	}
	if i < len(row) {
		m0 = max(m0, row[i])
	}
	return max(m0, m1)
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

// AccuracyOf returns the percentage of the samples of set that idx names classified
// right, like Accuracy, in pieces of the batch's size. It overwrites the batch's samples.
func (b *Batch) AccuracyOf(set *dataset.Set, idx []int) (float64, error) {
	if len(idx) == 0 {
		return 0, fmt.Errorf("onn: accuracy: no samples")
	}
	right := 0
	for from := 0; from < len(idx); from += b.cap {
		if err := b.Load(set, idx[from:min(from+b.cap, len(idx))]); err != nil {
			return 0, err
		}
		right += b.Correct()
	}
	return 100 * float64(right) / float64(len(idx)), nil
}
