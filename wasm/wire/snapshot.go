// Package wire is what crosses the Web Worker boundary between the engine (wasm/engine, a
// sim.Session) and the page (wasm/page, which draws): the snapshot the engine sends each
// frame and what the page holds when it asks for one (Have). Each part of a snapshot is a
// type whose encoder and decoder sit side by side, so that the two sides cannot drift
// apart; the package knows the format, not what the values mean (the page checks a
// snapshot against the chip it holds). It imports render for the plain value types that
// drawing reads, and nothing of the engine.
package wire

import (
	"errors"
	"fmt"
	"slices"

	"github.com/meshlight/meshlight/render"
)

// Version is the snapshot format's version: a page refuses a snapshot of another (after a
// deploy, a cached page and a new engine, say) with a message to reload.
//
// Format (little-endian; a string or array is a uint32 count, then its elements; f32 marks
// display data sent as float32):
//
//	"MLSN" u16 version u64 seq
//	stats: u16 fields, each by kind (bool u8, int i64, float f64, string)
//	settings: query string, u32 n, n × (name, value strings, u8 boolean)
//	options: u32 n, n × (name string, u32 m, m × (value, label, about strings)), by name
//	race: u32 n, n × (optimizer, query strings)
//	scene: title status note loading view strings, ready u8, layer u32, crosstalk f64,
//	       version u64, sample (3 u32, f32s, i32 label), scores f64s, class names strings,
//	       readouts (3 f64, i64, 3 f64), layer input f32s
//	chip: u8 present [u64 run, u8 structure [u32 n, n × (u32 out, in, block, f64 bound,
//	      u8 topology, u8 conv)], u32 layer, u32 offset, u32 active devices, u8 devices
//	      [f32s phase, f32s effective, active u8s] or [the tiles' shades: power, active
//	      and light f32s]]
//	light: u8 present [f64 max, f32s fields (blocks × segments × rows of the shown layer)]
//	curve: u64 run, u32 from, label string, queries f64s, accuracy f64s, power f64s,
//	       valid f64s (the points from from on), u32 kept (render.Run.Kept: of the whole curve)
//	history: u8 present [u64 version, u32 n, n × (label, queries, accuracy, power, valid, kept)]
//	network: u8 present [u64 version, u8 devices, per chip layer: input, output f32s,
//	         active u8s, devices [phase, effective f32s, light], block power, active and
//	         light f32s]
//
// Version 5 moved the format to this package, carries the settings as the engine applied
// them (the page no longer parses them), the racers' queries, and the shown layer's
// devices and light only when the page draws devices (Have.Devices; else its tiles' shades).
// Version 6 adds the ideal chip's accuracy (booth mode's caption) and what the engine holds
// in memory to the stats.
const Version = 6

// magic starts every snapshot.
const magic = "MLSN"

// Have is what the page holds, sent with each snapshot request so that the engine sends
// only what is new, and what it draws.
type Have struct {
	Run     uint64  // the deployment whose chip structure and curve the page holds (0: none)
	Points  int     // points of that run's curve it holds
	Last    float64 // the queries of the last of them: a curve rewritten since (thinned, say) is sent whole
	History uint64  // the version of the earlier runs it holds
	// Devices says the page draws devices (one by one, zoomed in: the layer view at device
	// detail, or the network view). Only then does a snapshot carry each device's phases
	// (and, in the network view, the light on every waveguide); drawn as tiles, the blocks'
	// shades are enough, and the big chips' snapshots stay small.
	Devices bool
}

// Snapshot is one message of the engine to the page: the figures, settings and messages of
// the page API and everything drawing shows, as plain values. It carries what the page does
// not hold yet (the page says what it holds with a Have): the chip's structure once per
// deployment, the curve's new points, the earlier runs when they changed; and what changes
// every frame in full.
type Snapshot struct {
	Seq      uint64 // the last page command the engine had applied
	Stats    Stats
	Settings Settings
	Options  map[string][]Option
	Race     []Racer // the racers of the settings' race (or booth mode's), with their queries
	Scene    Scene
	Chip     *Chip    // nil before the first deployment
	Light    *Light   // the light in the shown layer; nil when there is none to show
	Curve    Curve    // the current run's curve, from the points the page holds
	History  *History // the earlier runs; nil when the page holds their version
	Network  *Network // the whole network; nil unless the network view is shown
}

// Settings are the settings as the engine applied them: their URL query and every
// parameter's value (sim.Settings.Values), in the canonical order.
type Settings struct {
	Query  string
	Params []Param
}

// Param is one setting in its URL form.
type Param struct {
	Name, Value string
	Bool        bool // a boolean: Value is "1" or "0"
}

// Get returns the value of the setting name, "" if there is none.
func (s Settings) Get(name string) string {
	for _, p := range s.Params {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

// Option is one choice of a select control, with a line about it (the optimizers' is
// train.About; the page shows it as the choice's tooltip).
type Option struct {
	Value, Label string
	About        string `json:",omitempty"`
}

// Racer is one racer of a race: its optimizer and the URL query its engine starts from
// (sim.RaceSettings: the race's settings with only the optimizer changed).
type Racer struct {
	Optimizer, Query string
}

// Scene is the part of render.Scene that is not the chip's: texts, the sample, its scores
// and the readouts.
type Scene struct {
	Title, Status, Note, LoadingText, View string
	Ready                                  bool
	Layer                                  int
	Crosstalk                              float64
	Version                                uint64
	Sample                                 render.Sample
	Scores                                 []float64
	ClassNames                             []string
	Readouts                               render.Readouts
	LayerInput                             []float64 // f32
}

// Chip is the deployed chip: its structure when the page lacks it, and the shown layer's
// devices when the page draws them.
type Chip struct {
	Run       uint64
	Structure []Layer   // nil: the page holds Run's
	Layer     int       // the shown layer
	Offset    int       // its first device's global index
	Count     int       // the layer's active devices
	Devices   bool      // the three device slices below are sent, else the tiles' shades
	Phase     []float64 // f32
	Effective []float64 // f32
	Active    []bool
	// The shown layer's tiles' shades, one per block (render.LayerShades), in place of its
	// devices when the page draws tiles: f32.
	ShadePower, ShadeActive, ShadeLight []float64
}

// Layer is one layer's shape, from which the page builds its meshes
// (photonics.NewSVDLayer).
type Layer struct {
	Out, In, Block int
	Bound          float64
	Topology       uint8
	Conv           bool
}

// Light is the light on every waveguide of a layer: its maximum amplitude and the fields,
// blocks × segments × rows flattened (render.Light.Fields).
type Light struct {
	Max    float64
	Fields []float64 // f32
}

// Curve is the current run's curve from point From on; ID names its deployment.
type Curve struct {
	ID     uint64 // the deployment
	From   int
	Points render.Run // the points from From on; Kept is of the whole curve
}

// History is the earlier runs kept for comparison, at a version.
type History struct {
	Version uint64
	Runs    []render.Run
}

// Network is the whole network's state (its structure is the chip's).
type Network struct {
	Version uint64
	Devices bool // each layer's Phase, Effective and Light are sent
	Layers  []NetLayer
}

// NetLayer is one layer's state in the network view.
type NetLayer struct {
	Input, Output                       []float64 // f32
	Active                              []bool
	Phase, Effective                    []float64 // f32, with Devices
	Light                               Light     // with Devices
	BlockPower, BlockActive, BlockLight []float64 // f32
}

// Append appends the snapshot's encoding to b.
func (s *Snapshot) Append(b []byte) []byte {
	w := &writer{b: b}
	w.b = append(w.b, magic...)
	w.u16(Version)
	w.u64(s.Seq)
	s.Stats.append(w)
	s.Settings.append(w)
	appendOptions(w, s.Options)
	w.count(len(s.Race))
	for _, r := range s.Race {
		w.str(r.Optimizer)
		w.str(r.Query)
	}
	s.Scene.append(w)
	w.boolean(s.Chip != nil)
	if s.Chip != nil {
		s.Chip.append(w)
	}
	w.boolean(s.Light != nil)
	if s.Light != nil {
		s.Light.append(w)
	}
	s.Curve.append(w)
	w.boolean(s.History != nil)
	if s.History != nil {
		w.u64(s.History.Version)
		w.count(len(s.History.Runs))
		for i := range s.History.Runs {
			appendRun(w, &s.History.Runs[i])
		}
	}
	w.boolean(s.Network != nil)
	if s.Network != nil {
		s.Network.append(w)
	}
	return w.b
}

// Decode decodes a snapshot. It checks the format (the header, every count against the
// bytes left, no bytes after the end) and the consistency within one snapshot (a curve's
// series of one length, a kept point within them); whether it fits what the page holds is
// the page's to check. The error says what is wrong and at which byte.
func Decode(b []byte) (*Snapshot, error) {
	r := &reader{b: b, at: "header"}
	if string(r.take(len(magic))) != magic {
		return nil, errors.New("snapshot: not a meshlight snapshot (no MLSN header)")
	}
	if v := r.u16(); r.err == nil && v != Version {
		return nil, fmt.Errorf("snapshot: format version %d, this page reads %d (reload the page)", v, Version)
	}
	s := &Snapshot{Seq: r.u64()}
	r.at = "stats"
	s.Stats.read(r)
	r.at = "settings"
	s.Settings.read(r)
	r.at = "options"
	s.Options = readOptions(r)
	r.at = "race"
	if n := r.count(8); n > 0 {
		s.Race = make([]Racer, n)
		for i := range s.Race {
			s.Race[i] = Racer{Optimizer: r.str(), Query: r.str()}
		}
	}
	r.at = "scene"
	s.Scene.read(r)
	r.at = "chip"
	if r.boolean() {
		s.Chip = new(Chip)
		s.Chip.read(r)
	}
	r.at = "light"
	if r.boolean() {
		s.Light = new(Light)
		s.Light.read(r)
	}
	r.at = "curve"
	s.Curve.read(r)
	r.at = "history"
	if r.boolean() {
		h := &History{Version: r.u64()}
		if n := r.count(6 * 4); n > 0 {
			h.Runs = make([]render.Run, n)
			for i := range h.Runs {
				readRun(r, &h.Runs[i])
			}
		}
		s.History = h
	}
	r.at = "network"
	if r.boolean() {
		s.Network = new(Network)
		s.Network.read(r)
	}
	if r.err == nil && r.off != len(r.b) {
		r.fail("%v: %d", errTrailing, len(r.b)-r.off)
	}
	if r.err != nil {
		return nil, fmt.Errorf("snapshot: %w", r.err)
	}
	return s, nil
}

func (s *Settings) append(w *writer) {
	w.str(s.Query)
	w.count(len(s.Params))
	for _, p := range s.Params {
		w.str(p.Name)
		w.str(p.Value)
		w.boolean(p.Bool)
	}
}

func (s *Settings) read(r *reader) {
	s.Query = r.str()
	n := r.count(9)
	s.Params = nil
	if n > 0 {
		s.Params = make([]Param, n)
	}
	for i := range s.Params {
		s.Params[i] = Param{Name: r.str(), Value: r.str(), Bool: r.boolean()}
		if p := s.Params[i]; r.err == nil && p.Bool && p.Value != "0" && p.Value != "1" {
			r.fail("boolean setting %s=%q", p.Name, p.Value)
		}
	}
}

// appendOptions writes the options by name (a map's order would make two encodings of
// one snapshot differ).
func appendOptions(w *writer, opts map[string][]Option) {
	names := make([]string, 0, len(opts))
	for k := range opts {
		names = append(names, k)
	}
	slices.Sort(names)
	w.count(len(names))
	for _, k := range names {
		w.str(k)
		w.count(len(opts[k]))
		for _, o := range opts[k] {
			w.str(o.Value)
			w.str(o.Label)
			w.str(o.About)
		}
	}
}

func readOptions(r *reader) map[string][]Option {
	n := r.count(8)
	if n == 0 {
		return nil
	}
	out := make(map[string][]Option, n)
	for range n {
		name := r.str()
		m := r.count(12)
		var list []Option
		if m > 0 {
			list = make([]Option, m)
		}
		for i := range list {
			list[i] = Option{Value: r.str(), Label: r.str(), About: r.str()}
		}
		if _, dup := out[name]; dup && r.err == nil {
			r.fail("options of %s twice", name)
		}
		out[name] = list
	}
	return out
}

func (sc *Scene) append(w *writer) {
	for _, t := range []string{sc.Title, sc.Status, sc.Note, sc.LoadingText, sc.View} {
		w.str(t)
	}
	w.boolean(sc.Ready)
	w.count(sc.Layer)
	w.f64(sc.Crosstalk)
	w.u64(sc.Version)
	for _, d := range sc.Sample.Shape {
		w.count(d)
	}
	w.f32s32(sc.Sample.X)
	w.u32(uint32(int32(sc.Sample.Label)))
	w.f64s(sc.Scores)
	w.strs(sc.ClassNames)
	ro := sc.Readouts
	w.f64(ro.Deployed)
	w.f64(ro.Accuracy)
	w.f64(ro.Best)
	w.u64(uint64(ro.Queries))
	w.f64(ro.Power)
	w.f64(ro.FullPower)
	w.f64(ro.Energy)
	w.f32s(sc.LayerInput)
}

func (sc *Scene) read(r *reader) {
	sc.Title, sc.Status, sc.Note, sc.LoadingText, sc.View = r.str(), r.str(), r.str(), r.str(), r.str()
	sc.Ready = r.boolean()
	sc.Layer = r.int("layer", MaxLayers)
	sc.Crosstalk = r.f64()
	sc.Version = r.u64()
	for i := range sc.Sample.Shape {
		sc.Sample.Shape[i] = r.int("sample shape", MaxLayerSide)
	}
	sc.Sample.X = r.f32s32()
	sc.Sample.Label = int(int32(r.u32()))
	if c, h, w := sc.Sample.Shape[0], sc.Sample.Shape[1], sc.Sample.Shape[2]; r.err == nil && len(sc.Sample.X) != 0 && len(sc.Sample.X) != c*h*w {
		r.fail("sample of %d values, shape %dx%dx%d", len(sc.Sample.X), c, h, w)
	}
	sc.Scores = r.f64s()
	sc.ClassNames = r.strs()
	sc.Readouts.Deployed, sc.Readouts.Accuracy, sc.Readouts.Best = r.f64(), r.f64(), r.f64()
	sc.Readouts.Queries = int64(r.u64())
	sc.Readouts.Power, sc.Readouts.FullPower, sc.Readouts.Energy = r.f64(), r.f64(), r.f64()
	sc.LayerInput = r.f32s()
}

// Limits of a snapshot's chip: far above any shipped model, low enough that a malformed
// snapshot cannot make the page build a huge floor plan.
const (
	MaxLayers    = 64
	MaxLayerSide = 1 << 14
	MaxPhases    = 1 << 22
)

func (c *Chip) append(w *writer) {
	w.u64(c.Run)
	w.boolean(c.Structure != nil)
	if c.Structure != nil {
		w.count(len(c.Structure))
		for _, l := range c.Structure {
			w.count(l.Out)
			w.count(l.In)
			w.count(l.Block)
			w.f64(l.Bound)
			w.u8(l.Topology)
			w.boolean(l.Conv)
		}
	}
	w.count(c.Layer)
	w.count(c.Offset)
	w.count(c.Count)
	w.boolean(c.Devices)
	if c.Devices {
		w.f32s(c.Phase)
		w.f32s(c.Effective)
		w.bools(c.Active)
	} else {
		w.f32s(c.ShadePower)
		w.f32s(c.ShadeActive)
		w.f32s(c.ShadeLight)
	}
}

func (c *Chip) read(r *reader) {
	c.Run = r.u64()
	if r.boolean() {
		n := r.int("layers", MaxLayers)
		if r.err == nil && n == 0 {
			r.fail("a chip of no layers")
		}
		c.Structure = make([]Layer, 0, n)
		for range n {
			l := Layer{Out: r.int("out", MaxLayerSide), In: r.int("in", MaxLayerSide), Block: r.int("block", MaxLayerSide),
				Bound: r.f64(), Topology: r.u8(), Conv: r.boolean()}
			if r.err != nil {
				return
			}
			c.Structure = append(c.Structure, l)
		}
	}
	c.Layer = r.int("layer", MaxLayers)
	c.Offset = r.int("offset", MaxPhases)
	c.Count = r.int("active devices", MaxPhases)
	c.Devices = r.boolean()
	if c.Devices {
		c.Phase, c.Effective, c.Active = r.f32s(), r.f32s(), r.bools()
		if r.err == nil && (len(c.Effective) != len(c.Phase) || len(c.Active) != len(c.Phase)) {
			r.fail("%d phases, %d effective, %d active", len(c.Phase), len(c.Effective), len(c.Active))
		}
	} else {
		c.ShadePower, c.ShadeActive, c.ShadeLight = r.f32s(), r.f32s(), r.f32s()
		if r.err == nil && (len(c.ShadeActive) != len(c.ShadePower) || len(c.ShadeLight) != len(c.ShadePower)) {
			r.fail("%d/%d/%d tile shades", len(c.ShadePower), len(c.ShadeActive), len(c.ShadeLight))
		}
	}
}

func (li *Light) append(w *writer) {
	w.f64(li.Max)
	w.f32s(li.Fields)
}

func (li *Light) read(r *reader) {
	li.Max = r.f64()
	li.Fields = r.f32s()
	if r.err == nil && !(li.Max >= 0) { // NaN too
		r.fail("light maximum %g", li.Max)
	}
}

func (c *Curve) append(w *writer) {
	w.u64(c.ID)
	w.count(c.From)
	w.str(c.Points.Label)
	w.f64s(c.Points.Queries)
	w.f64s(c.Points.Accuracy)
	w.f64s(c.Points.Power)
	w.f64s(c.Points.Valid)
	w.count(c.Points.Kept)
}

func (c *Curve) read(r *reader) {
	c.ID = r.u64()
	c.From = r.int("from", maxCount)
	c.Points.Label = r.str()
	c.Points.Queries, c.Points.Accuracy, c.Points.Power, c.Points.Valid = r.f64s(), r.f64s(), r.f64s(), r.f64s()
	c.Points.Kept = r.int("kept", maxCount)
	if r.err == nil && (len(c.Points.Accuracy) != len(c.Points.Queries) || len(c.Points.Power) != len(c.Points.Queries) || len(c.Points.Valid) != len(c.Points.Queries)) {
		r.fail("%d queries, %d accuracies, %d powers, %d validation accuracies", len(c.Points.Queries), len(c.Points.Accuracy), len(c.Points.Power), len(c.Points.Valid))
	}
	// The kept point is of the whole curve (From on the page's points), which the page checks.
}

// appendRun writes an earlier run whole.
func appendRun(w *writer, h *render.Run) {
	w.str(h.Label)
	w.f64s(h.Queries)
	w.f64s(h.Accuracy)
	w.f64s(h.Power)
	w.f64s(h.Valid)
	w.count(h.Kept)
}

func readRun(r *reader, h *render.Run) {
	*h = render.Run{Label: r.str(), Queries: r.f64s(), Accuracy: r.f64s(), Power: r.f64s(), Valid: r.f64s()}
	h.Kept = r.int("kept", maxCount)
	if r.err == nil && (len(h.Queries) != len(h.Accuracy) || len(h.Queries) != len(h.Power) || len(h.Queries) != len(h.Valid)) {
		r.fail("run %q: %d queries, %d accuracies, %d powers, %d validation accuracies", h.Label, len(h.Queries), len(h.Accuracy), len(h.Power), len(h.Valid))
	}
	if r.err == nil && h.Kept > len(h.Queries) {
		r.fail("run %q: kept point %d of %d", h.Label, h.Kept, len(h.Queries))
	}
}

func (n *Network) append(w *writer) {
	w.u64(n.Version)
	w.boolean(n.Devices)
	w.count(len(n.Layers))
	for i := range n.Layers {
		l := &n.Layers[i]
		w.f32s(l.Input)
		w.f32s(l.Output)
		w.bools(l.Active)
		if n.Devices {
			w.f32s(l.Phase)
			w.f32s(l.Effective)
			l.Light.append(w)
		}
		// The blocks' shades travel too: the engine has them, and the page would
		// otherwise compute them again for every snapshot.
		w.f32s(l.BlockPower)
		w.f32s(l.BlockActive)
		w.f32s(l.BlockLight)
	}
}

func (n *Network) read(r *reader) {
	n.Version = r.u64()
	n.Devices = r.boolean()
	k := r.int("layers", MaxLayers)
	if r.err != nil {
		return
	}
	n.Layers = make([]NetLayer, k)
	for i := range n.Layers {
		l := &n.Layers[i]
		l.Input, l.Output, l.Active = r.f32s(), r.f32s(), r.bools()
		if n.Devices {
			l.Phase, l.Effective = r.f32s(), r.f32s()
			l.Light.read(r)
			if r.err == nil && len(l.Effective) != len(l.Phase) {
				r.fail("layer %d: %d phases, %d effective", i, len(l.Phase), len(l.Effective))
			}
		}
		l.BlockPower, l.BlockActive, l.BlockLight = r.f32s(), r.f32s(), r.f32s()
		if r.err == nil && (len(l.BlockActive) != len(l.BlockPower) || len(l.BlockLight) != len(l.BlockPower)) {
			r.fail("layer %d: %d/%d/%d block shades", i, len(l.BlockPower), len(l.BlockActive), len(l.BlockLight))
		}
		if r.err != nil {
			return
		}
	}
}
