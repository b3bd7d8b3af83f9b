package photonics

import (
	"fmt"
	"math"
	"slices"
)

// DefaultBound is the default bound m on |Sigma| (Sigma_i = m cos phi_i).
const DefaultBound = 3

// SVDLayer is the structure of one Out x In weight matrix on the chip:
// W = U Sigma V*, in Block x Block blocks (Block > 0; edges zero-padded;
// blocks row-major over a BlockRows x BlockCols grid) or whole-matrix
// (Block == 0: U is Out x Out, V* is In x In, Sigma has min(Out, In)
// entries). Sigma_i = Bound * cos(phiS_i) (Gain(b) in place of Bound, see Gains).
// V denotes the mesh light meets first, i.e. it implements V* (V transposed).
//
// Phase order within a layer: block by block (row-major), each block
// [U phases | Sigma phases | V phases]. Sign order: block by block, each
// block [U signs | V signs].
//
// Edge blocks keep all their devices: the rotators and Sigma shifters that
// only reach padding rows or columns exist on the chip (and draw power) but
// do not change W.
//
// Gains, when set, gives each block its own gain in Bound's place: Sigma_i = Gains[b]
// cos(phiS_i) in block b (one electronic gain per block, as a transimpedance
// amplifier after the block's photodetectors would apply). PerBlockSigma sets it.
type SVDLayer struct {
	Out, In, Block       int
	Bound                float64 // m, default 3
	Topology             Topology
	BlockRows, BlockCols int
	U, V                 *Mesh // shared by all blocks of the layer
	SigmaLen             int
	Gains                []float64 // per block, > 0; nil: Bound in every block
}

// NewSVDLayer returns the structure of an out x in layer. block > 0 gives
// block x block blocks, block == 0 one whole-matrix SVD. bound is the bound m
// on |Sigma|; 0 means DefaultBound.
func NewSVDLayer(out, in, block int, bound float64, t Topology) (*SVDLayer, error) {
	where := fmt.Sprintf("photonics: svd layer %dx%d block %d", out, in, block)
	if out < 1 || in < 1 {
		return nil, fmt.Errorf("%s: shape must be at least 1x1", where)
	}
	if block < 0 {
		return nil, fmt.Errorf("%s: negative block size", where)
	}
	if bound == 0 {
		bound = DefaultBound
	}
	if !(bound > 0) || math.IsInf(bound, 0) {
		return nil, fmt.Errorf("%s: bound %v, want a finite bound > 0", where, bound)
	}
	l := &SVDLayer{Out: out, In: in, Block: block, Bound: bound, Topology: t}
	nu, nv := out, in
	if block > 0 {
		nu, nv = block, block
		l.BlockRows = (out + block - 1) / block
		l.BlockCols = (in + block - 1) / block
	} else {
		l.BlockRows, l.BlockCols = 1, 1
	}
	var err error
	if l.U, err = NewMesh(t, nu); err != nil {
		return nil, fmt.Errorf("%s: U: %w", where, err)
	}
	if l.V, err = NewMesh(t, nv); err != nil {
		return nil, fmt.Errorf("%s: V: %w", where, err)
	}
	l.SigmaLen = min(nu, nv)
	return l, nil
}

func (l *SVDLayer) String() string {
	return fmt.Sprintf("svd layer %dx%d block %d", l.Out, l.In, l.Block)
}

// NumBlocks returns BlockRows * BlockCols (1 for a whole-matrix layer).
func (l *SVDLayer) NumBlocks() int { return l.BlockRows * l.BlockCols }

// Gain returns the factor of block b's Sigma: Gains[b], or Bound when Gains is nil.
func (l *SVDLayer) Gain(b int) float64 {
	if l.Gains == nil {
		return l.Bound
	}
	return l.Gains[b]
}

// PerBlockSigma returns the layer with one gain per block, and the phases that realise
// the same weights with it, as the method's authors map a block (github.com/JeremieMelo/L2ight,
// core/models/layers/custom_linear.py, build_phase_from_usv: S_scale = max |S| per block,
// phase_S = arccos(S / S_scale)): block b's gain is its largest |Sigma_i| = |Gain(b)
// cos(phiS_i)| and its Sigma phases become arccos(Sigma_i / gain), in [0, pi], so its
// largest singular value sits at phase 0 (pi if it is negative). U and V phases are
// kept. On a chip this moves each block's top Sigma to the phase that costs no power and
// uses the full swing of cos for every block, instead of one bound for all.
//
// The returned layer shares the meshes of l; phases is not modified. A block whose
// singular values are all zero keeps its gain and phases.
func (l *SVDLayer) PerBlockSigma(phases []float64) (*SVDLayer, []float64, error) {
	if len(phases) != l.NumPhases() {
		return nil, nil, fmt.Errorf("photonics: %v: per-block Sigma: got %d phases, want %d", l, len(phases), l.NumPhases())
	}
	if err := l.validGains(); err != nil {
		return nil, nil, fmt.Errorf("photonics: %v: %w", l, err)
	}
	nl := *l
	nl.Gains = make([]float64, l.NumBlocks())
	out := slices.Clone(phases)
	bp, pu := l.BlockPhases(), l.U.NumPhases()
	for b := range nl.Gains {
		sPh := out[b*bp+pu : b*bp+pu+l.SigmaLen]
		g := 0.0
		for _, p := range sPh {
			g = max(g, math.Abs(l.Gain(b)*math.Cos(p)))
		}
		if !(g > 0) || math.IsInf(g, 0) { // no light passes the block: nothing to scale
			nl.Gains[b] = l.Gain(b)
			continue
		}
		for i, p := range sPh {
			// Sigma / g is in [-1, 1] up to rounding; clamp so acos cannot give NaN.
			sPh[i] = math.Acos(max(-1, min(1, l.Gain(b)*math.Cos(p)/g)))
		}
		nl.Gains[b] = g
	}
	return &nl, out, nil
}

// validGains reports a Gains slice that is neither nil nor one finite gain > 0 per block.
func (l *SVDLayer) validGains() error {
	if l.Gains == nil {
		return nil
	}
	if len(l.Gains) != l.NumBlocks() {
		return fmt.Errorf("got %d gains, want %d (one per block)", len(l.Gains), l.NumBlocks())
	}
	for b, g := range l.Gains {
		if !(g > 0) || math.IsInf(g, 0) {
			return fmt.Errorf("block %d: gain %v, want a finite gain > 0", b, g)
		}
	}
	return nil
}

// BlockPhases returns the phases of one block: U.NumPhases() + SigmaLen + V.NumPhases().
func (l *SVDLayer) BlockPhases() int { return l.U.NumPhases() + l.SigmaLen + l.V.NumPhases() }

// NumPhases returns NumBlocks() * BlockPhases().
func (l *SVDLayer) NumPhases() int { return l.NumBlocks() * l.BlockPhases() }

// NumSigns returns NumBlocks() * (U.N + V.N).
func (l *SVDLayer) NumSigns() int { return l.NumBlocks() * (l.U.N + l.V.N) }

// ScratchLen is the scratch length BlockWeightsTo needs: V.N*V.N + U.N*V.N.
func (l *SVDLayer) ScratchLen() int { return l.V.N*l.V.N + l.U.N*l.V.N }

// BlockRegion returns the rows [r0, r1) and columns [c0, c1) of W that block
// b covers (clipped to the matrix: padding rows and columns are dropped).
func (l *SVDLayer) BlockRegion(b int) (r0, r1, c0, c1 int) {
	if l.Block == 0 {
		return 0, l.Out, 0, l.In
	}
	r0 = (b / l.BlockCols) * l.Block
	c0 = (b % l.BlockCols) * l.Block
	return r0, min(r0+l.Block, l.Out), c0, min(c0+l.Block, l.In)
}

// Validate reports whether phases and signs fit the layer: NumPhases finite
// phases and NumSigns signs of +1 or -1 (and Gains nil or one finite gain > 0 per
// block). Errors name the block and part.
func (l *SVDLayer) Validate(phases, signs []float64) error {
	if err := l.validate(phases, signs); err != nil {
		return fmt.Errorf("photonics: %v: %w", l, err)
	}
	return nil
}

func (l *SVDLayer) validate(phases, signs []float64) error {
	if err := l.validGains(); err != nil {
		return err
	}
	if len(phases) != l.NumPhases() {
		return fmt.Errorf("got %d phases, want %d", len(phases), l.NumPhases())
	}
	if len(signs) != l.NumSigns() {
		return fmt.Errorf("got %d signs, want %d", len(signs), l.NumSigns())
	}
	bp, bs := l.BlockPhases(), l.U.N+l.V.N
	nu, ns := l.U.NumPhases(), l.SigmaLen
	for i, p := range phases {
		if !finite(p) {
			b, j := i/bp, i%bp
			part, idx := PartU, j
			if j >= nu+ns {
				part, idx = PartV, j-nu-ns
			} else if j >= nu {
				part, idx = PartSigma, j-nu
			}
			return fmt.Errorf("block %d: %v phase %d is %s", b, part, idx, badValue(p))
		}
	}
	for i, s := range signs {
		if s != 1 && s != -1 {
			b, j := i/bs, i%bs
			part, idx := PartU, j
			if j >= l.U.N {
				part, idx = PartV, j-l.U.N
			}
			return fmt.Errorf("block %d: %v sign %d is %v, want +1 or -1", b, part, idx, s)
		}
	}
	return nil
}

// Weights returns the Out x In matrix W the phases and signs program, row-major.
func (l *SVDLayer) Weights(phases, signs []float64) ([]float64, error) {
	if err := l.Validate(phases, signs); err != nil {
		return nil, err
	}
	w := make([]float64, l.Out*l.In)
	scratch := make([]float64, l.ScratchLen())
	for b := 0; b < l.NumBlocks(); b++ {
		l.BlockWeightsTo(w, b, phases, signs, scratch)
	}
	return w, nil
}

// BlockWeightsTo writes block b of W into its region (see BlockRegion) of
// dst, the whole Out x In matrix, row-major; other entries are untouched.
// phases and signs are the whole layer's. It computes Sigma V* and then lets
// U's rotators act on its rows, so no U matrix is formed.
//
// Fast path, no allocation and no checks: len(dst) >= Out*In,
// 0 <= b < NumBlocks(), len(scratch) >= ScratchLen() and
// Validate(phases, signs) must hold.
func (l *SVDLayer) BlockWeightsTo(dst []float64, b int, phases, signs []float64, scratch []float64) {
	nu, nv := l.U.N, l.V.N
	bp := l.BlockPhases()
	ph := phases[b*bp : (b+1)*bp]
	pu := l.U.NumPhases()
	uPh, sPh, vPh := ph[:pu], ph[pu:pu+l.SigmaLen], ph[pu+l.SigmaLen:]
	sg := signs[b*(nu+nv) : (b+1)*(nu+nv)]

	g := l.Gain(b)
	vm := scratch[:nv*nv]
	l.V.MatrixTo(vm, vPh, sg[nu:])
	p := scratch[nv*nv : nv*nv+nu*nv] // Sigma (nu x nv, rectangular diagonal) times V*
	for i := 0; i < nu; i++ {
		row := p[i*nv : i*nv+nv]
		if i >= l.SigmaLen {
			clear(row)
			continue
		}
		s := g * math.Cos(sPh[i])
		for j, v := range vm[i*nv : i*nv+nv] {
			row[j] = s * v
		}
	}
	l.U.rotateRows(p, nv, uPh)
	l.finishBlock(dst, b, p, sg[:nu])
}

// blockWeightsTrig is BlockWeightsTo with the trigonometry of the phases done:
// sn and cs hold, per device of the layer (in phase order), the sine and cosine
// of a rotator's phase (math.Sincos) and, for a Sigma shifter, the cosine of
// its phase (math.Cos) in cs. It gives the same matrix, bit for bit.
func (l *SVDLayer) blockWeightsTrig(dst []float64, b int, sn, cs, signs []float64, scratch []float64) {
	nu, nv := l.U.N, l.V.N
	bp := l.BlockPhases()
	sn, cs = sn[b*bp:(b+1)*bp], cs[b*bp:(b+1)*bp]
	pu, pv := l.U.NumPhases(), l.U.NumPhases()+l.SigmaLen
	sg := signs[b*(nu+nv) : (b+1)*(nu+nv)]

	g := l.Gain(b)
	vm := scratch[:nv*nv]
	l.V.matrixToTrig(vm, sn[pv:], cs[pv:], sg[nu:])
	p := scratch[nv*nv : nv*nv+nu*nv]
	for i := 0; i < nu; i++ {
		row := p[i*nv : i*nv+nv]
		if i >= l.SigmaLen {
			clear(row)
			continue
		}
		s := g * cs[pu+i]
		for j, v := range vm[i*nv : i*nv+nv] {
			row[j] = s * v
		}
	}
	l.U.rotateRowsTrig(p, nv, sn[:pu], cs[:pu])
	l.finishBlock(dst, b, p, sg[:nu])
}

// finishBlock applies U's signs to p (U.N x V.N, the block's matrix without
// them) and copies the block's region into dst, the whole Out x In matrix.
func (l *SVDLayer) finishBlock(dst []float64, b int, p, uSigns []float64) {
	nv := l.V.N
	scaleRows(p, nv, uSigns)
	r0, r1, c0, c1 := l.BlockRegion(b)
	for i := r0; i < r1; i++ {
		copy(dst[i*l.In+c0:i*l.In+c1], p[(i-r0)*nv:(i-r0)*nv+c1-c0])
	}
}
