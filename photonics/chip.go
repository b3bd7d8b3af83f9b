package photonics

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// ChipConfig configures Deploy.
type ChipConfig struct {
	Alpha    float64 // fraction of U/V phases active per layer, in (0,1]; Sigma phases are always active
	Hardware         // the chip's noise and control resolution
	// Truncate cuts the drift's normal distribution at this many standard deviations: 0
	// for none, else at least 0.5 (runs use DefaultTruncate, as the method's code does).
	Truncate float64
	Seed     int64 // fixes the noise draw and the active set
	// SigmaPerBlock deploys each block with its own Sigma gain (SVDLayer.PerBlockSigma, the
	// authors' mapping) instead of one bound for all: the same weights, other Sigma phases.
	SigmaPerBlock bool
}

// DefaultBits is the method's control resolution: its coordinate step 0.02
// "corresponds to 8-bit control precision" (one code is 2 pi / 256 = 0.0245 rad).
const DefaultBits = 8

// Chip is a deployed network: layers with programmed phases, a fixed noise
// realization, an ActiveSet and cached effective weights.
//
// The noise (one Gamma per device, for passive and active devices alike) is
// drawn from a PCG stream of Seed, and the active set from a second stream,
// so one seed gives one chip on every platform and changing Alpha does not
// change the noise. Per layer, round(Alpha * U/V phases) U/V phases
// (math.Round, halves away from zero; at least one) are chosen uniformly at
// random without replacement; every Sigma phase is active.
//
// Programming a phase (Deploy, SetPhase) follows the device chain of the method's code:
// the phase is wrapped to [0, 2pi); a Sigma shifter's phase is folded into [0, pi]
// (FoldSigma: cos is symmetric, and the folded phase is the one that costs less power);
// an active device's phase is rounded to its DAC's grid (Quantize with Bits); then the
// device's drift factor scales it and its heating neighbours add crosstalk (Effective).
// Phase and Power report the programmed phase, so power and pruning see the folded,
// quantized value; PaperPower counts Sigma phases as programmed, before the fold (the
// authors' estimate). Passive devices keep the pre-trained phase at full precision: they are
// set once, when the chip is made (by trimming or a non-volatile shifter), not driven by
// the DAC, and they still drift like every device.
//
// A Chip is not safe for concurrent use.
type Chip struct {
	layers []*SVDLayer
	layout *Layout
	cfg    ChipConfig

	phi, gamma, eff []float64 // programmed (wrapped), drift factor, effective phase
	sn, cs          []float64 // per device: sin and cos of eff (Sigma: cos only), see trig
	active          []bool
	activeList      []int
	signs           [][]float64 // per layer

	// power is a sum tree over the ActiveSet (see Power): leaf first+k is the
	// programmed phase of device activeList[k], inner node j is node 2j+1 plus
	// node 2j+2, the root is the power. The trees are settled when read (settle):
	// SetPhase only queues the device.
	power []float64
	leaf  []int32 // per device: its leaf in power, -1 if passive
	// full is the same kind of tree over every device (leaf len(phi)-1+i is device i): its
	// root is FullPower.
	full []float64
	// queue holds the devices set since the trees were last settled, each once (queued).
	queue  []int32
	queued []bool
	// upper marks a Sigma shifter whose phase, as programmed (wrapped), lay in (pi, 2pi):
	// the device holds its mirror image (FoldSigma), PaperPower counts the phase asked for.
	upper []bool
	// paper is the sum tree of PaperPower, laid out as power (same leaves, same order):
	// leaf first+k is the unfolded phase of device activeList[k].
	paper []float64

	weights [][]float64 // per layer, Out x In effective weights
	stale   [][]bool    // per layer, per block
	dirty   []bool      // per layer: some block stale
	scratch []float64
}

// Deploy programs phases and signs (one flat slice per layer, in SVDLayer
// order) onto a chip with the configured noise and active set. The inputs
// are copied; phases are wrapped to [0, 2pi). With cfg.SigmaPerBlock the chip's
// layers are PerBlockSigma's (Layers returns them) and so are the Sigma phases it
// programs.
func Deploy(layers []*SVDLayer, phases, signs [][]float64, cfg ChipConfig) (*Chip, error) {
	if len(layers) == 0 {
		return nil, fmt.Errorf("photonics: deploy: no layers")
	}
	if len(phases) != len(layers) || len(signs) != len(layers) {
		return nil, fmt.Errorf("photonics: deploy: %d layers but %d phase and %d sign slices", len(layers), len(phases), len(signs))
	}
	if !(cfg.Alpha > 0 && cfg.Alpha <= 1) {
		return nil, fmt.Errorf("photonics: deploy: alpha %v, want 0 < alpha <= 1", cfg.Alpha)
	}
	if err := cfg.Hardware.Validate(); err != nil {
		return nil, fmt.Errorf("photonics: deploy: %w", err)
	}
	if err := validTruncate(cfg.Truncate); err != nil {
		return nil, fmt.Errorf("photonics: deploy: %w", err)
	}
	for i, l := range layers {
		if l == nil || l.U == nil || l.V == nil {
			return nil, fmt.Errorf("photonics: deploy: layer %d: nil layer", i)
		}
		if err := l.validate(phases[i], signs[i]); err != nil {
			return nil, fmt.Errorf("photonics: deploy: layer %d (%v): %w", i, l, err)
		}
	}
	layers = slices.Clone(layers)
	if cfg.SigmaPerBlock {
		phases = slices.Clone(phases)
		for i, l := range layers {
			var err error
			if layers[i], phases[i], err = l.PerBlockSigma(phases[i]); err != nil {
				return nil, fmt.Errorf("photonics: deploy: layer %d: %w", i, err)
			}
		}
	}
	c := &Chip{layers: layers, layout: NewLayout(layers), cfg: cfg}
	n := len(c.layout.Sites)
	c.phi = make([]float64, 0, n)
	for _, p := range phases {
		c.phi = append(c.phi, p...)
	}
	c.gamma = make([]float64, n)
	rng := newStream(cfg.Seed, streamNoise)
	for i := range c.gamma {
		c.gamma[i] = cfg.Noise.gamma(rng, cfg.Truncate)
	}
	c.chooseActive()
	c.upper = make([]bool, n)
	for i, v := range c.phi {
		c.phi[i], c.upper[i] = c.program(i, v)
	}

	c.eff = make([]float64, n)
	c.sn, c.cs = make([]float64, n), make([]float64, n)
	for i := range c.eff {
		c.refresh(i)
	}
	c.power = make([]float64, max(2*len(c.activeList)-1, 1))
	c.paper = make([]float64, len(c.power))
	c.leaf = make([]int32, n)
	for i := range c.leaf {
		c.leaf[i] = -1
	}
	first := len(c.activeList) - 1
	for k, i := range c.activeList {
		c.leaf[i] = int32(first + k)
		c.power[first+k] = c.phi[i]
		c.paper[first+k] = c.unfolded(i)
	}
	sumTree(c.power, first)
	sumTree(c.paper, first)
	c.full = make([]float64, max(2*n-1, 1))
	copy(c.full[max(n-1, 0):], c.phi)
	sumTree(c.full, max(n-1, 0))
	c.queue, c.queued = make([]int32, 0, len(c.activeList)), make([]bool, n)
	scratch := 0
	c.signs = make([][]float64, len(layers))
	c.weights = make([][]float64, len(layers))
	c.stale = make([][]bool, len(layers))
	c.dirty = make([]bool, len(layers))
	for li, l := range layers {
		c.signs[li] = slices.Clone(signs[li])
		c.weights[li] = make([]float64, l.Out*l.In)
		c.stale[li] = make([]bool, l.NumBlocks())
		for b := range c.stale[li] {
			c.stale[li][b] = true
		}
		c.dirty[li] = true
		scratch = max(scratch, l.ScratchLen())
	}
	c.scratch = make([]float64, scratch)
	return c, nil
}

// chooseActive draws the active set: per layer round(alpha * #U/V phases)
// (at least one) U/V phases plus all Sigma phases.
func (c *Chip) chooseActive() {
	rng := newStream(c.cfg.Seed, streamActive)
	c.active = make([]bool, len(c.phi))
	for li := range c.layers {
		off := c.layout.offsets[li]
		var uv []int
		for i := off; i < c.layout.offsets[li+1]; i++ {
			if c.layout.Sites[i].Part == PartSigma {
				c.active[i] = true
			} else {
				uv = append(uv, i)
			}
		}
		k := activeCount(c.cfg.Alpha, len(uv))
		for j := 0; j < k; j++ { // partial Fisher-Yates
			r := j + rng.IntN(len(uv)-j)
			uv[j], uv[r] = uv[r], uv[j]
			c.active[uv[j]] = true
		}
	}
	for i, a := range c.active {
		if a {
			c.activeList = append(c.activeList, i)
		}
	}
}

// activeCount returns how many of n U/V phases a layer activates:
// round(alpha*n), at least 1 when n > 0.
func activeCount(alpha float64, n int) int {
	if n == 0 {
		return 0
	}
	return min(max(int(math.Round(alpha*float64(n))), 1), n)
}

// program returns the phase device i holds when phi is programmed: wrapped, folded
// for a Sigma shifter (FoldSigma; upper reports that it was folded, the wrapped phi
// lying in (pi, 2pi)), and on the DAC grid for an active device.
func (c *Chip) program(i int, phi float64) (held float64, upper bool) {
	held = Wrap(phi)
	if c.layout.Sites[i].Part == PartSigma {
		folded := FoldSigma(held)
		held, upper = folded, folded != held
	}
	if c.active[i] {
		held = Quantize(held, c.cfg.Bits)
	}
	return held, upper
}

// unfolded returns the phase PaperPower counts for device i: the programmed phase,
// mirrored back into (pi, 2pi) for a Sigma shifter that was folded. A folded phase
// the DAC rounded to 0 stays 0 (code 2^Bits is code 0), so the result is in [0, 2pi)
// and on the DAC grid like the programmed phase.
func (c *Chip) unfolded(i int) float64 {
	if p := c.phi[i]; c.upper[i] && p > 0 {
		return twoPi - p
	}
	return c.phi[i]
}

// refresh recomputes the effective phase of device i from its own drift and
// its heating neighbours (the active ones, or all with HeatAll).
func (c *Chip) refresh(i int) {
	heat := 0.0
	if c.cfg.Noise.Crosstalk != 0 {
		all := c.cfg.Noise.HeatAll
		for _, j := range c.layout.Neighbors[i] {
			if all || c.active[j] {
				heat += c.gamma[j] * c.phi[j]
			}
		}
	}
	c.eff[i] = c.gamma[i]*c.phi[i] + c.cfg.Noise.Crosstalk*heat
	c.trig(i)
}

// trig caches the trigonometry the weights take of device i's effective phase:
// Sincos for a rotator, Cos for a Sigma shifter (as BlockWeightsTo computes
// them), so that rebuilding a block after a phase change recomputes only the
// few devices the change reached.
func (c *Chip) trig(i int) {
	if c.layout.Sites[i].Part == PartSigma {
		c.cs[i] = math.Cos(c.eff[i])
	} else {
		c.sn[i], c.cs[i] = math.Sincos(c.eff[i])
	}
}

// Layers returns the chip's layers (do not modify).
func (c *Chip) Layers() []*SVDLayer { return c.layers }

// Layout returns the chip's floor plan (do not modify).
func (c *Chip) Layout() *Layout { return c.layout }

// Config returns the configuration the chip was deployed with.
func (c *Chip) Config() ChipConfig { return c.cfg }

// NumPhases returns the number of phase devices on the chip.
func (c *Chip) NumPhases() int { return len(c.phi) }

func (c *Chip) inRange(i int) bool { return i >= 0 && i < len(c.phi) }

// Phase returns the programmed phase of device i (wrapped), NaN if i is out of range.
func (c *Chip) Phase(i int) float64 {
	if !c.inRange(i) {
		return math.NaN()
	}
	return c.phi[i]
}

// Phases returns a copy of all programmed phases, in global order.
func (c *Chip) Phases() []float64 { return slices.Clone(c.phi) }

// Signs returns a copy of the signs of a layer (nil if out of range).
func (c *Chip) Signs(layer int) []float64 {
	if layer < 0 || layer >= len(c.signs) {
		return nil
	}
	return slices.Clone(c.signs[layer])
}

// Effective returns the phase device i actually realises: its drifted phase
// plus crosstalk from its heating neighbours; NaN if i is out of range.
func (c *Chip) Effective(i int) float64 {
	if !c.inRange(i) {
		return math.NaN()
	}
	return c.eff[i]
}

// Gamma returns the drift factor of device i (phi_v = phi * Gamma(i)); NaN
// if i is out of range.
func (c *Chip) Gamma(i int) float64 {
	if !c.inRange(i) {
		return math.NaN()
	}
	return c.gamma[i]
}

// Active returns the ActiveSet: sorted global indices of the active devices
// (do not modify).
func (c *Chip) Active() []int { return c.activeList }

// IsActive reports whether device i is active (false if out of range).
func (c *Chip) IsActive(i int) bool { return c.inRange(i) && c.active[i] }

// Quantum returns the phase step of one control code, 2 pi / 2^Bits; 0 for a
// continuous chip.
func (c *Chip) Quantum() float64 { return Quantum(c.cfg.Bits) }

// SetPhase programs active device i to phi: wrapped to [0, 2pi), folded into [0, pi]
// for a Sigma shifter and rounded to the control grid (see Chip). It
// refreshes only the effective phases of i and its neighbours and marks
// their block stale; the power sums take the new phase when next read, so moving
// many phases between two reads costs one settling of the sums. It does not
// allocate on success.
func (c *Chip) SetPhase(i int, phi float64) error {
	if !c.inRange(i) {
		return fmt.Errorf("photonics: set phase: device %d out of range [0, %d)", i, len(c.phi))
	}
	if !finite(phi) {
		return fmt.Errorf("photonics: set phase: %s: value is %s", c.where(i), badValue(phi))
	}
	if !c.active[i] {
		return fmt.Errorf("photonics: set phase: %s: device is passive", c.where(i))
	}
	c.phi[i], c.upper[i] = c.program(i, phi)
	if !c.queued[i] {
		c.queued[i] = true
		c.queue = append(c.queue, int32(i))
	}
	c.refresh(i)
	for _, j := range c.layout.Neighbors[i] {
		c.refresh(j)
	}
	s := &c.layout.Sites[i]
	c.stale[s.Layer][s.Block] = true
	c.dirty[s.Layer] = true
	return nil
}

// where describes device i for error messages.
func (c *Chip) where(i int) string {
	s := c.layout.Sites[i]
	return fmt.Sprintf("device %d (layer %d: block %d: %v %d)", i, s.Layer, s.Block, s.Part, s.Index)
}

// Power returns the sum over the ActiveSet of the programmed phases (each
// in [0, 2pi)), the chip's power estimate in radians. The sum is pairwise, in
// a fixed order (a sum tree over the ActiveSet in index order, brought up to
// date on read with the phases set since the last: a few additions per phase),
// so it depends only on the phases, not on the order they were set in.
func (c *Chip) Power() float64 {
	c.settle()
	return c.power[0]
}

// PaperPower returns the power as the method's authors count it, the paper-comparable
// estimate of Eq. 8, in radians: the sum over the ActiveSet of each phase as it was
// programmed, wrapped to [0, 2pi) and on the DAC grid, with Sigma shifters NOT folded.
// It differs from Power only on Sigma shifters whose phase was programmed in
// (pi, 2pi): Power counts the folded phase 2pi - phi the heater is driven to, PaperPower
// counts phi (a Sigma programmed at 2pi - 0.1 counts 2pi - 0.1 here and 0.1 in Power).
//
// It follows get_power of MZIBlockLinear in the authors' code (github.com/JeremieMelo/L2ight,
// core/models/layers/custom_linear.py, and MZIBlockConv2d in custom_conv2d.py): the sum of
// (phase mod 2pi) over the trainable phase_U, phase_S and phase_V times the mixed-training
// mask (so over the active phases). There phase_S is the optimizer's own copy
// (core/optimizer/mixedtrain.py steps it by +-lr without wrapping or folding and
// programs S = S_scale cos(phase_S); only the layer's PhaseQuantizer, mode "diagonal" in
// core/models/layers/utils.py, folds it into [0, pi], and only when it quantizes phases
// to build weights), so a Sigma phase mapped at 0 (its block's largest singular value)
// and stepped down by d counts 2pi - d. On this chip the phase asked for
// is the one the last Deploy or SetPhase programmed: with Config.Shadow in package train
// it is the optimizer's own copy, as in the authors' code; otherwise the optimizer reads
// the folded phase back, so only a Sigma's last move can leave it unfolded. Summed and
// kept up to date like Power. (The authors sum the optimizer's
// full-precision phases; this sums the programmed ones, at most half a code apart, and
// equal when the optimizer takes whole codes.)
func (c *Chip) PaperPower() float64 {
	c.settle()
	return c.paper[0]
}

// FullPower returns the sum of all programmed phases: the power if every
// device were active (the alpha = 1 reference), summed like Power, so that on
// a chip whose every device is active the two are equal.
func (c *Chip) FullPower() float64 {
	c.settle()
	return c.full[0]
}

// settle brings the power sum trees up to date with the devices set since the last
// read: it writes their leaves, then either walks up from each (a node is recomputed
// from its children after every leaf below it was written, so it ends as its children's
// sum) or, when that would visit more nodes than a tree has, rebuilds the tree, which
// streams through memory where a walk misses the cache at every level. Each inner node
// ends as node 2j+1 plus node 2j+2 either way, so the sums are those of the phases alone,
// bit for bit, whatever the order they were set in.
func (c *Chip) settle() {
	if len(c.queue) == 0 {
		return
	}
	n := len(c.phi)
	for _, d := range c.queue {
		i := int(d)
		j := int(c.leaf[i])
		c.power[j], c.paper[j] = c.phi[i], c.unfolded(i)
		c.full[n-1+i] = c.phi[i]
		c.queued[i] = false
	}
	// A walk visits about log2(tree) nodes, each a likely cache miss, worth a few
	// nodes of a rebuild.
	const missCost = 4
	if walk := len(c.queue) * bits.Len(uint(len(c.power))) * missCost; walk >= len(c.power) {
		first := len(c.activeList) - 1
		sumTree(c.power, first)
		sumTree(c.paper, first)
	} else {
		for _, d := range c.queue {
			for j := int(c.leaf[d]); j > 0; {
				j = (j - 1) / 2
				c.power[j] = c.power[2*j+1] + c.power[2*j+2]
				c.paper[j] = c.paper[2*j+1] + c.paper[2*j+2]
			}
		}
	}
	if walk := len(c.queue) * bits.Len(uint(len(c.full))) * missCost; walk >= len(c.full) {
		sumTree(c.full, max(n-1, 0))
	} else {
		for _, d := range c.queue {
			for j := n - 1 + int(d); j > 0; {
				j = (j - 1) / 2
				c.full[j] = c.full[2*j+1] + c.full[2*j+2]
			}
		}
	}
	c.queue = c.queue[:0]
}

// sumTree sets the inner nodes of a sum tree whose leaves start at first:
// node j is node 2j+1 plus node 2j+2, from the last inner node to the root.
func sumTree(t []float64, first int) {
	for j := first - 1; j >= 0; j-- {
		t[j] = t[2*j+1] + t[2*j+2]
	}
}

// LayerWeights returns the effective Out x In weights of a layer (row-major),
// rebuilding only the blocks changed since the last call. The slice is owned
// by the chip and valid until the next SetPhase; nil if layer is out of range.
func (c *Chip) LayerWeights(layer int) []float64 {
	if layer < 0 || layer >= len(c.layers) {
		return nil
	}
	w := c.weights[layer]
	if !c.dirty[layer] {
		return w
	}
	l := c.layers[layer]
	from, to := c.layout.offsets[layer], c.layout.offsets[layer+1]
	for b, st := range c.stale[layer] {
		if st {
			l.blockWeightsTrig(w, b, c.sn[from:to], c.cs[from:to], c.signs[layer], c.scratch)
			c.stale[layer][b] = false
		}
	}
	c.dirty[layer] = false
	return w
}
