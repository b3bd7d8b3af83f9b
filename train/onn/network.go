package onn

import (
	"fmt"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/model"
)

// Network is a feed-forward ONN on a deployed chip: layer l computes with the chip's
// effective weights chip.LayerWeights(l). Hidden layers apply min(max(x, 0), Clip); the
// last layer's outputs are the logits. A Network is not safe for concurrent use.
//
// Every change of a phase must go through SetPhase (not the chip's own SetPhase), so that
// batches know which activations to recompute.
type Network struct {
	chip  *photonics.Chip
	input model.Shape
	specs []model.Spec
	clip  float64
	geom  []geometry

	owner    []owner    // per device: the layer and block its phase changes
	ver      [][]uint64 // per layer and block: the clock of the last SetPhase in it
	rowVer   [][]uint64 // per layer and block row: the clock of the last SetPhase in it
	layerVer []uint64   // per layer: the clock of the last SetPhase in it
	clock    uint64

	// neg is, per layer, Out x block columns: whether every weight of the output's row
	// in the block is negative, the sign of a leaf whose inputs are all +0 (see leaves).
	// negVer and negRowVer are the clocks of the blocks and block rows it was computed
	// at (all ones: never).
	neg               [][]bool
	negVer, negRowVer [][]uint64
}

// owner locates a device's effect: a phase change (with the crosstalk it causes, which
// stays inside the device's tile) changes one block (in one block row) of one layer.
type owner struct{ layer, block, row int32 }

// span is an index range [a, b): rows or columns of a weight matrix, or channels.
type span struct{ a, b int }

// geometry is what a batch needs to know of a layer to recompute parts of it: the
// matrix shape, how many input rows (im2col patches) each sample has, and the block grid
// of the chip's layer.
type geometry struct {
	out, in   int
	positions int    // output positions per sample (1 for a dense layer)
	rows      []span // per block row: the rows of W it covers
	cols      []span // per block column: the columns of W it covers
	all       []int  // 0, 1, ..., len(cols)-1: every block column
	nodes     int    // 2*len(cols) - 1: leaves and inner nodes of one output's sum tree
	depth     int    // inner nodes from a leaf up to the root, at most
	perInput  int    // columns of this layer's input per channel of the previous output
	colOf     []int  // per column: its block column
	chunk     int    // input rows per chunk of a pass that keeps no trees
	clip      float64
}

// New returns the network of the given input shape and layers on chip. specs[l] must
// match the chip's layer l (Out x In), conv layers must have In = PatchSize, and each
// layer's input must be the previous layer's output (the first's: input). clip > 0 is the
// hidden-layer clip.
func New(chip *photonics.Chip, input model.Shape, specs []model.Spec, clip float64) (*Network, error) {
	if chip == nil {
		return nil, fmt.Errorf("onn: nil chip")
	}
	layers := chip.Layers()
	if len(specs) != len(layers) {
		return nil, fmt.Errorf("onn: %d layer specs for a chip of %d layers", len(specs), len(layers))
	}
	if !(clip > 0) {
		return nil, fmt.Errorf("onn: clip %v, want > 0", clip)
	}
	if input.Size() < 1 {
		return nil, fmt.Errorf("onn: input shape %v is empty", input)
	}
	cur := input
	for l, s := range specs {
		sl := layers[l]
		if s.Out != sl.Out || s.In != sl.In {
			return nil, fmt.Errorf("onn: layer %d: spec is %dx%d, chip layer is %dx%d", l, s.Out, s.In, sl.Out, sl.In)
		}
		switch s.Kind {
		case model.Dense:
			if s.In != cur.Size() {
				return nil, fmt.Errorf("onn: layer %d: dense layer takes %d inputs, previous output has %d (%v)", l, s.In, cur.Size(), cur)
			}
		case model.Conv:
			c := s.Conv
			if c == nil {
				return nil, fmt.Errorf("onn: layer %d: conv layer without conv parameters", l)
			}
			if (model.Shape{Channels: c.InChannels, Height: c.InHeight, Width: c.InWidth}) != cur {
				return nil, fmt.Errorf("onn: layer %d: conv input %dx%dx%d, previous output is %v", l, c.InChannels, c.InHeight, c.InWidth, cur)
			}
			if s.In != c.PatchSize() || c.Kernel < 1 || c.Stride < 1 || c.OutHeight() < 1 || c.OutWidth() < 1 {
				return nil, fmt.Errorf("onn: layer %d: conv geometry %+v does not fit In = %d", l, *c, s.In)
			}
		default:
			return nil, fmt.Errorf("onn: layer %d: unknown kind %q", l, s.Kind)
		}
		cur = s.OutShape()
	}

	n := &Network{chip: chip, input: input, specs: specs, clip: clip}
	n.geom = make([]geometry, len(layers))
	n.ver = make([][]uint64, len(layers))
	n.rowVer = make([][]uint64, len(layers))
	n.layerVer = make([]uint64, len(layers))
	for l, sl := range layers {
		g := &n.geom[l]
		s := specs[l]
		g.out, g.in, g.positions, g.perInput = s.Out, s.In, 1, 1
		if s.Kind == model.Conv {
			g.positions = s.Conv.OutHeight() * s.Conv.OutWidth()
			g.perInput = s.Conv.Kernel * s.Conv.Kernel
		} else if l > 0 {
			g.perInput = specs[l-1].OutShape().Size() / specs[l-1].Out
		}
		if l < len(layers)-1 {
			g.clip = clip
		}
		for br := range sl.BlockRows {
			r0, r1, _, _ := sl.BlockRegion(br * sl.BlockCols)
			g.rows = append(g.rows, span{r0, r1})
		}
		g.colOf = make([]int, s.In)
		for bc := range sl.BlockCols {
			_, _, c0, c1 := sl.BlockRegion(bc)
			g.cols = append(g.cols, span{c0, c1})
			g.all = append(g.all, bc)
			for c := c0; c < c1; c++ {
				g.colOf[c] = bc
			}
		}
		g.nodes = 2*len(g.cols) - 1
		g.chunk = max(1, scratchTrees/(g.out*g.nodes))
		for j := g.nodes - 1; j > 0; j = (j - 1) / 2 { // from the last leaf, the deepest
			g.depth++
		}
		n.ver[l] = make([]uint64, sl.NumBlocks())
		n.rowVer[l] = make([]uint64, sl.BlockRows)
		n.neg = append(n.neg, make([]bool, s.Out*len(g.cols)))
		n.negVer = append(n.negVer, make([]uint64, sl.NumBlocks()))
		n.negRowVer = append(n.negRowVer, make([]uint64, sl.BlockRows))
		for _, v := range [][]uint64{n.negVer[l], n.negRowVer[l]} {
			for i := range v {
				v[i] = ^uint64(0)
			}
		}
	}
	sites := chip.Layout().Sites
	n.owner = make([]owner, len(sites))
	for i, s := range sites {
		n.owner[i] = owner{int32(s.Layer), int32(s.Block), int32(s.Block / layers[s.Layer].BlockCols)}
	}
	return n, nil
}

// Deploy reads a model's layers onto a new chip with the given configuration and returns
// the network on it.
func Deploy(m *model.Model, cfg photonics.ChipConfig) (*Network, error) {
	layers, phases, signs, err := m.Layers()
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", m.Name, err)
	}
	chip, err := photonics.Deploy(layers, phases, signs, cfg)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", m.Name, err)
	}
	specs := make([]model.Spec, len(m.Layer))
	for i, l := range m.Layer {
		specs[i] = l.Spec
	}
	return New(chip, m.Input, specs, m.Activation.Clip)
}

// Chip returns the chip the network runs on. Read it freely; change phases only through
// the network's SetPhase.
func (n *Network) Chip() *photonics.Chip { return n.chip }

// Input returns the shape of one input sample.
func (n *Network) Input() model.Shape { return n.input }

// Specs returns the layer geometry (do not modify).
func (n *Network) Specs() []model.Spec { return n.specs }

// Classes returns the number of logits.
func (n *Network) Classes() int { return n.specs[len(n.specs)-1].OutShape().Size() }

// SetPhase programs active device i (a global chip index) to phi, like the chip's
// SetPhase, and records which block of which layer changed (the device's own, which
// holds every neighbour its heater reaches), so that a batch recomputes only that
// block's part of the layer and what follows. It does not allocate on success.
func (n *Network) SetPhase(i int, phi float64) error {
	if err := n.chip.SetPhase(i, phi); err != nil {
		return err
	}
	o := n.owner[i]
	n.clock++
	n.ver[o.layer][o.block] = n.clock
	n.rowVer[o.layer][o.row] = n.clock
	n.layerVer[o.layer] = n.clock
	return nil
}

// signs brings layer l's table of all-negative weight rows (neg) up to date with the
// layer's weights w, recomputing only the blocks whose phases changed since, and returns
// it.
func (n *Network) signs(l int, w []float64) []bool {
	g := &n.geom[l]
	cols := len(g.cols)
	for br, rs := range g.rows {
		if n.negRowVer[l][br] == n.rowVer[l][br] {
			continue
		}
		for bc, cs := range g.cols {
			if b := br*cols + bc; n.negVer[l][b] != n.ver[l][b] {
				allNegative(n.neg[l], w, g.in, cols, bc, rs, cs)
				n.negVer[l][b] = n.ver[l][b]
			}
		}
		n.negRowVer[l][br] = n.rowVer[l][br]
	}
	return n.neg[l]
}
