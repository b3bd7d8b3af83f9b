package model

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/param"
)

// Format is the format string of the files this package reads and writes.
const Format = "meshlight-model/1"

// formatPrefix and formatVersion split Format into its name and version.
const (
	formatPrefix  = "meshlight-model/"
	formatVersion = 1
)

// ReLUClip is the activation kind of hidden layers: min(max(x, 0), Clip).
const ReLUClip = "relu-clip"

// Limits on what a model may declare, so that a bad file cannot make the reader or a
// forward pass allocate without bound.
const (
	MaxFileSize = 32 << 20 // bytes of a model file, before and after gzip
	MaxValues   = 1 << 20  // values of any input or feature map
	MaxBlock    = 1024     // block size
	MaxLayers   = 64       // layers of a model
	MaxArrays   = 1 << 18  // JSON arrays in a model file (a list per block and field)
)

// Activation is the hidden-layer activation.
type Activation struct {
	Kind string  `json:"kind"` // ReLUClip
	Clip float64 `json:"clip"` // upper clip, > 0
}

// Phases holds one layer's phases, one slice per block (blocks row-major over the
// layer's block grid): U mesh phases, Sigma phases (Sigma_i = M cos phi_i) and V* mesh
// phases, each in [0, 2pi) and in the photonics mesh's light order.
type Phases struct {
	U     [][]float64 `json:"u"`
	Sigma [][]float64 `json:"sigma"`
	V     [][]float64 `json:"v"`
}

// Signs holds one layer's diagonal signs (+1 or -1) of the U and V* meshes per block.
type Signs struct {
	U [][]float64 `json:"u"`
	V [][]float64 `json:"v"`
}

// Layer is one layer of a model: its geometry and its chip programming.
type Layer struct {
	Spec
	Phases Phases `json:"phases"`
	Signs  Signs  `json:"signs"`
}

// MRange bounds a model's Sigma bound m (Sigma_i = m cos phi_i): an amplitude gain of up
// to 100 (40 dB of optical power) on each singular value, more than an on-chip amplifier
// gives. A larger m is no chip, and its products overflow a float64 a few layers on
// (the run then reads a NaN loss as an optimizer's divergence).
var MRange = param.Range{Lo: 0, Hi: 100, OpenLo: true}

// Model is a trained network as stored in a model file. The zero value is not valid;
// build one with New (or Read) and fill its layers with SetMapping.
type Model struct {
	Format        string     `json:"format"`        // Format
	Name          string     `json:"name"`          // e.g. "mnist8-mlp"
	Dataset       string     `json:"dataset"`       // data set name, e.g. "mnist8"
	Architecture  string     `json:"architecture"`  // e.g. "64-24-24-10", "16x16-c8s2-c6s2-10"
	Block         int        `json:"block"`         // k of the k x k blocks; 0 = whole-matrix SVD
	M             float64    `json:"m"`             // Sigma bound
	Topology      string     `json:"topology"`      // "reck" or "clements"
	TestAccuracy  float64    `json:"test_accuracy"` // percent, shipped test set, ideal chip
	Seed          int64      `json:"seed"`          // training seed
	Activation    Activation `json:"activation"`
	Input         Shape      `json:"input"`
	Preprocessing string     `json:"preprocessing"` // free text
	Layer         []Layer    `json:"layers"`        // Layer[i] is layer i, input first
}

// New returns a model with the geometry of the architecture string (see
// ParseArchitecture; channels is the CNN input channel count), ReLU clipped at clip, and
// layers without phases yet.
func New(name, dataset, arch string, channels, block int, m float64, t photonics.Topology, clip float64) (*Model, error) {
	in, specs, err := ParseArchitecture(arch, channels)
	if err != nil {
		return nil, err
	}
	md := &Model{
		Format: Format, Name: name, Dataset: dataset, Architecture: arch,
		Block: block, M: m, Topology: t.String(),
		Activation: Activation{Kind: ReLUClip, Clip: clip},
		Input:      in,
		Layer:      make([]Layer, len(specs)),
	}
	for i, s := range specs {
		md.Layer[i].Spec = s
	}
	return md, nil
}

// SVDLayer returns the photonics layer that implements layer i's weight matrix.
func (m *Model) SVDLayer(i int) (*photonics.SVDLayer, error) {
	if i < 0 || i >= len(m.Layer) {
		return nil, fmt.Errorf("layer %d: out of range 0..%d", i, len(m.Layer)-1)
	}
	t, err := photonics.ParseTopology(m.Topology)
	if err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	l := m.Layer[i]
	if err := checkSize(l.Out, l.In, m.Block); err != nil {
		return nil, fmt.Errorf("layer %d: %w", i, err)
	}
	s, err := photonics.NewSVDLayer(l.Out, l.In, m.Block, m.M, t)
	if err != nil {
		return nil, fmt.Errorf("layer %d: %w", i, err)
	}
	return s, nil
}

// SetMapping stores layer i's chip programming from the photonics order (phases block by
// block, each [U | Sigma | V]; signs block by block, each [U | V]), as returned by
// mapping.Decompose. Phases are wrapped to [0, 2pi).
func (m *Model) SetMapping(i int, phases, signs []float64) error {
	s, err := m.SVDLayer(i)
	if err != nil {
		return err
	}
	if len(phases) != s.NumPhases() || len(signs) != s.NumSigns() {
		return fmt.Errorf("layer %d: got %d phases and %d signs, want %d and %d", i, len(phases), len(signs), s.NumPhases(), s.NumSigns())
	}
	nu, ns := s.U.NumPhases(), s.SigmaLen
	var p Phases
	var g Signs
	for b := range s.NumBlocks() {
		blk := phases[b*s.BlockPhases() : (b+1)*s.BlockPhases()]
		p.U = append(p.U, wrapAll(blk[:nu]))
		p.Sigma = append(p.Sigma, wrapAll(blk[nu:nu+ns]))
		p.V = append(p.V, wrapAll(blk[nu+ns:]))
		sg := signs[b*(s.U.N+s.V.N) : (b+1)*(s.U.N+s.V.N)]
		g.U = append(g.U, append([]float64(nil), sg[:s.U.N]...))
		g.V = append(g.V, append([]float64(nil), sg[s.U.N:]...))
	}
	m.Layer[i].Phases, m.Layer[i].Signs = p, g
	return nil
}

func wrapAll(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = photonics.Wrap(v)
	}
	return out
}

// Layers returns the photonics layers of the model with their phases and signs in the
// photonics order, ready for photonics.Deploy. The model must be valid (see Validate).
func (m *Model) Layers() ([]*photonics.SVDLayer, [][]float64, [][]float64, error) {
	layers, err := m.validate()
	if err != nil {
		return nil, nil, nil, err
	}
	phases := make([][]float64, len(m.Layer))
	signs := make([][]float64, len(m.Layer))
	for i, l := range m.Layer {
		s := layers[i]
		p := make([]float64, 0, s.NumPhases())
		g := make([]float64, 0, s.NumSigns())
		for b := range s.NumBlocks() {
			p = append(append(append(p, l.Phases.U[b]...), l.Phases.Sigma[b]...), l.Phases.V[b]...)
			g = append(append(g, l.Signs.U[b]...), l.Signs.V[b]...)
		}
		phases[i], signs[i] = p, g
	}
	return layers, phases, signs, nil
}

// Weights returns the ideal chip's Out x In weights (row-major) of every layer, rebuilt
// from the phases and signs.
func (m *Model) Weights() ([][]float64, error) {
	layers, phases, signs, err := m.Layers()
	if err != nil {
		return nil, err
	}
	w := make([][]float64, len(layers))
	for i, l := range layers {
		if w[i], err = l.Weights(phases[i], signs[i]); err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
	}
	return w, nil
}

// OutputShape is the shape of the last layer's output (the logits).
func (m *Model) OutputShape() Shape {
	if len(m.Layer) == 0 {
		return Shape{}
	}
	return m.Layer[len(m.Layer)-1].OutShape()
}

// Classes is the number of logits, the size of the last layer's output.
func (m *Model) Classes() int { return m.OutputShape().Size() }

// NumPhases is the number of phase devices of the whole network.
func (m *Model) NumPhases() int {
	n := 0
	for _, l := range m.Layer {
		for b := range l.Phases.U {
			n += len(l.Phases.U[b]) + len(l.Phases.Sigma[b]) + len(l.Phases.V[b])
		}
	}
	return n
}

// Validate checks the whole model: format, fields, geometry against the architecture,
// and per layer and block the phase and sign counts against the photonics layer, finite
// phases in [0, 2pi) and signs of +-1. Its errors name the layer, block and field.
func (m *Model) Validate() error {
	_, err := m.validate()
	return err
}

// validate is Validate returning the photonics layers it built to check the mapping, so
// that Layers builds them once.
func (m *Model) validate() ([]*photonics.SVDLayer, error) {
	if err := checkFormat(m.Format); err != nil {
		return nil, err
	}
	switch {
	case strings.TrimSpace(m.Name) == "":
		return nil, errors.New("name: empty")
	case m.Block < 0 || m.Block > MaxBlock:
		return nil, fmt.Errorf("block: %d, want 0 (whole matrix) .. %d", m.Block, MaxBlock)
	case !MRange.Contains(m.M):
		return nil, fmt.Errorf("m: %v, want a Sigma bound %s", m.M, MRange.Bounds("m"))
	case !finite(m.TestAccuracy) || m.TestAccuracy < 0 || m.TestAccuracy > 100:
		return nil, fmt.Errorf("test_accuracy: %v, want a percentage in 0..100", m.TestAccuracy)
	case m.Activation.Kind != ReLUClip:
		return nil, fmt.Errorf("activation.kind: %q, want %q", m.Activation.Kind, ReLUClip)
	case !finite(m.Activation.Clip) || m.Activation.Clip <= 0:
		return nil, fmt.Errorf("activation.clip: %v, want a finite value > 0", m.Activation.Clip)
	}
	if err := dataset.CheckName(m.Dataset); err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	if _, err := photonics.ParseTopology(m.Topology); err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	if err := m.checkGeometry(); err != nil {
		return nil, err
	}
	layers := make([]*photonics.SVDLayer, len(m.Layer))
	for i := range m.Layer {
		var err error
		if layers[i], err = m.checkMapping(i); err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
	}
	return layers, nil
}

// checkFormat accepts Format and explains any other format string.
func checkFormat(f string) error {
	if f == Format {
		return nil
	}
	if v, ok := strings.CutPrefix(f, formatPrefix); ok {
		if n, err := strconv.Atoi(v); err == nil && n > formatVersion {
			return fmt.Errorf("format: %q is a newer version (%d) than this reader's %q; update meshlight", f, n, Format)
		}
	}
	return fmt.Errorf("format: %q, want %q", f, Format)
}

// checkGeometry checks the input shape and every layer's spec: chained shapes first (the
// clearest messages), then equality with the architecture string.
func (m *Model) checkGeometry() error {
	in := m.Input
	if in.Channels < 1 || in.Height < 1 || in.Width < 1 || in.Channels > MaxValues || in.Height > MaxValues || in.Width > MaxValues || in.Size() > MaxValues {
		return fmt.Errorf("input: %s, want every size >= 1 and at most %d values", in, MaxValues)
	}
	if len(m.Layer) == 0 {
		return errors.New("layers: empty")
	}
	if len(m.Layer) > MaxLayers {
		return fmt.Errorf("layers: %d, more than %d", len(m.Layer), MaxLayers)
	}
	cur := in
	for i, l := range m.Layer {
		if err := checkSpec(l.Spec, cur); err != nil {
			return fmt.Errorf("layer %d: %w", i, err)
		}
		cur = l.OutShape()
		if cur.Size() > MaxValues || cur.Size() < 1 {
			return fmt.Errorf("layer %d: output %s, want 1..%d values", i, cur, MaxValues)
		}
	}
	pin, specs, err := ParseArchitecture(m.Architecture, in.Channels)
	if err != nil {
		return fmt.Errorf("architecture: %w", err)
	}
	if pin != in {
		return fmt.Errorf("input: %s, but architecture %q has input %s", in, m.Architecture, pin)
	}
	if len(specs) != len(m.Layer) {
		return fmt.Errorf("layers: %d, but architecture %q has %d", len(m.Layer), m.Architecture, len(specs))
	}
	for i, s := range specs {
		l := m.Layer[i].Spec
		if l.Kind != s.Kind || l.Out != s.Out || l.In != s.In || (s.Conv != nil && *l.Conv != *s.Conv) {
			return fmt.Errorf("layer %d: %s, but architecture %q says %s", i, describe(l), m.Architecture, describe(s))
		}
	}
	return nil
}

// checkSpec checks one layer's spec against the shape of its input.
func checkSpec(s Spec, in Shape) error {
	if s.Out < 1 || s.In < 1 || s.Out > MaxValues || s.In > MaxValues {
		return fmt.Errorf("out %d, in %d: want 1..%d", s.Out, s.In, MaxValues)
	}
	switch s.Kind {
	case Dense:
		if s.Conv != nil {
			return errors.New("conv: given for a dense layer")
		}
		if s.In != in.Size() {
			return fmt.Errorf("in: %d, want %d (the size of the %s input)", s.In, in.Size(), in)
		}
	case Conv:
		c := s.Conv
		if c == nil {
			return errors.New("conv: missing for a conv layer")
		}
		if err := c.check(); err != nil {
			return err
		}
		if got := (Shape{c.InChannels, c.InHeight, c.InWidth}); got != in {
			return fmt.Errorf("conv input %s (in_channels x in_height x in_width), want %s (the previous output)", got, in)
		}
		if s.In != c.PatchSize() {
			return fmt.Errorf("in: %d, want in_channels*kernel*kernel = %d", s.In, c.PatchSize())
		}
	default:
		return fmt.Errorf("kind: %q, want %q or %q", s.Kind, Dense, Conv)
	}
	return nil
}

func describe(s Spec) string {
	if s.Conv == nil {
		return fmt.Sprintf("%s %dx%d", s.Kind, s.Out, s.In)
	}
	c := s.Conv
	return fmt.Sprintf("%s %dx%d (input %dx%dx%d, kernel %d, stride %d, padding %d)", s.Kind, s.Out, s.In, c.InChannels, c.InHeight, c.InWidth, c.Kernel, c.Stride, c.Padding)
}

// checkSize bounds a layer's meshes before photonics builds them.
func checkSize(out, in, block int) error {
	if block == 0 && (out > 4*MaxBlock || in > 4*MaxBlock) {
		return fmt.Errorf("%dx%d whole-matrix layer: meshes larger than %d ports are not supported", out, in, 4*MaxBlock)
	}
	return nil
}

// checkMapping checks layer i's phases and signs against its photonics layer and returns
// that layer. The counts are checked arithmetically first, so that photonics only builds
// meshes whose phases the model actually holds.
func (m *Model) checkMapping(i int) (*photonics.SVDLayer, error) {
	l := m.Layer[i]
	nb, un, vn, sl := blockCounts(l.Out, l.In, m.Block)
	lists := []struct {
		name string
		v    [][]float64
	}{{"phases.u", l.Phases.U}, {"phases.sigma", l.Phases.Sigma}, {"phases.v", l.Phases.V}, {"signs.u", l.Signs.U}, {"signs.v", l.Signs.V}}
	want := []int{un * (un - 1) / 2, sl, vn * (vn - 1) / 2, un, vn}
	for _, f := range lists {
		if len(f.v) != nb {
			return nil, fmt.Errorf("%s: %d blocks, want %d (%dx%d in %s)", f.name, len(f.v), nb, l.Out, l.In, blockWord(m.Block))
		}
	}
	for b := range nb {
		for j, f := range lists {
			row := f.v[b]
			if len(row) != want[j] {
				return nil, fmt.Errorf("block %d: %s has %d values, want %d", b, f.name, len(row), want[j])
			}
			for k, x := range row {
				if j < 3 && (!finite(x) || x < 0 || x >= 2*math.Pi) {
					return nil, fmt.Errorf("block %d: %s[%d] = %v, want a phase in [0, 2pi)", b, f.name, k, x)
				}
				if j >= 3 && x != 1 && x != -1 {
					return nil, fmt.Errorf("block %d: %s[%d] = %v, want +1 or -1", b, f.name, k, x)
				}
			}
		}
	}
	s, err := m.SVDLayer(i)
	if err != nil {
		return nil, err
	}
	if s.NumBlocks() != nb || s.U.NumPhases() != want[0] || s.SigmaLen != sl || s.V.NumPhases() != want[2] || s.U.N != un || s.V.N != vn {
		return nil, fmt.Errorf("photonics layer %v disagrees with the model's counts per block", s)
	}
	return s, nil
}

// blockCounts gives a layer's number of blocks, U and V* mesh ports and Sigma count.
func blockCounts(out, in, block int) (blocks, uN, vN, sigma int) {
	if block == 0 {
		return 1, out, in, min(out, in)
	}
	return ((out + block - 1) / block) * ((in + block - 1) / block), block, block, block
}

func blockWord(block int) string {
	if block == 0 {
		return "one whole-matrix block"
	}
	return fmt.Sprintf("%dx%d blocks", block, block)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Bounds of a written model file, for CheckCapacity: the longest a phase takes in the
// file ('g' -1 formatting, e.g. "1.2345678901234567e-05," is 23 bytes), a sign ("-1,"),
// a block's list (its brackets and indentation) and everything outside the lists.
const (
	phaseBytes, signBytes, listBytes, headBytes = 23, 3, 12, 4 << 10
)

// CheckCapacity reports whether a model of this geometry (layers, block size; phases
// need not be set, as from New) fits what Read accepts: at most MaxLayers layers,
// MaxArrays arrays, and MaxFileSize bytes with every phase written at its longest. It
// lets a trainer refuse a network too large for a model file before training it.
func (m *Model) CheckCapacity() error {
	if len(m.Layer) > MaxLayers {
		return fmt.Errorf("%d layers, more than the %d a model file may hold", len(m.Layer), MaxLayers)
	}
	arrays, size := 1, int64(headBytes)
	for i, l := range m.Layer {
		if err := checkSize(l.Out, l.In, m.Block); err != nil {
			return fmt.Errorf("layer %d: %w", i, err)
		}
		nb, un, vn, sl := blockCounts(l.Out, l.In, m.Block)
		phases := int64(nb) * int64(un*(un-1)/2+sl+vn*(vn-1)/2)
		signs := int64(nb) * int64(un+vn)
		arrays += 5 + 5*nb
		size += phaseBytes*phases + signBytes*signs + listBytes*int64(5*nb)
	}
	switch {
	case arrays > MaxArrays:
		return fmt.Errorf("%d arrays in its model file, more than the %d a model file may hold; want larger blocks or smaller layers", arrays, MaxArrays)
	case size > MaxFileSize:
		return fmt.Errorf("a model file of up to %.1f MiB, more than the %d MiB limit; want smaller layers", float64(size)/(1<<20), MaxFileSize>>20)
	}
	return nil
}
