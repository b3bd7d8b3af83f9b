package sim

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
)

// Mirror is the page's copy of the engine's state, built from the engine's snapshots
// (Session.AppendSnapshot): what drawing and the page API read. It is the view's state; the
// engine's lives in the Session, in another thread. A malformed snapshot is refused whole,
// with an error that says what is wrong and where, and the mirror keeps its last good state.
type Mirror struct {
	Seq      uint64 // the last page command the engine had applied
	Stats    Stats
	Settings Settings
	Options  map[string][]Option
	Scene    render.Scene
	Received bool // a snapshot was applied

	run     uint64 // the deployment whose structure it holds
	layers  []*photonics.SVDLayer
	conv    []bool
	chip    *render.ChipState // the structure of run (no device state)
	curve   render.Run
	histVer uint64
	history []render.Run
	net     []render.NetLayer // the network structure of run (no state)
}

// Have is what the mirror holds, for the next snapshot request.
func (m *Mirror) Have() Have {
	h := Have{Run: m.run, Points: len(m.curve.Queries), History: m.histVer}
	if h.Points > 0 {
		h.Last = m.curve.Queries[h.Points-1]
	}
	return h
}

// Limits of a snapshot's chip structure: far above any shipped model, low enough that a
// malformed one cannot make the page build a huge floor plan.
const (
	maxLayers    = 64
	maxLayerSide = 1 << 14
	maxPhases    = 1 << 22
)

// Apply decodes a snapshot into the mirror. On error the mirror is unchanged.
func (m *Mirror) Apply(b []byte) error {
	r := &reader{b: b, at: "header"}
	if string(r.take(len(snapshotMagic))) != snapshotMagic {
		return errors.New("snapshot: not a meshlight snapshot (no MLSN header)")
	}
	if v := r.u16(); r.err == nil && v != SnapshotVersion {
		return fmt.Errorf("snapshot: format version %d, this page reads %d (reload the page)", v, SnapshotVersion)
	}
	seq := r.u64()
	r.at = "stats"
	st := readStats(r)
	r.at = "settings"
	query := r.str()
	optsJSON := r.str()
	var set Settings
	var opts map[string][]Option
	if r.err == nil {
		var errs []error
		if set, errs = ParseQuery(query); len(errs) > 0 {
			r.fail("query %q: %v", query, errs[0])
		} else if err := json.Unmarshal([]byte(optsJSON), &opts); err != nil {
			r.fail("options: %v", err)
		}
	}
	r.at = "scene"
	var sc render.Scene
	sc.Title, sc.Status, sc.Note, sc.LoadingText, sc.View = r.str(), r.str(), r.str(), r.str(), r.str()
	sc.Ready = r.boolean()
	sc.Layer = r.int("layer", maxLayers)
	sc.Crosstalk = r.f64()
	sc.Version = r.u64()
	for i := range sc.Sample.Shape {
		sc.Sample.Shape[i] = r.int("sample shape", maxLayerSide)
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

	r.at = "chip"
	run, layers, conv, chip, net := m.run, m.layers, m.conv, m.chip, m.net
	if r.boolean() {
		id := r.u64()
		if r.boolean() {
			layers, conv = readStructure(r)
			if r.err == nil {
				chip = render.NewChipState(id, layers)
				net = nil
				if ls, err := render.NewNetLayers(chip.Layout, layers); err != nil {
					r.fail("%v", err)
				} else {
					for i := range ls {
						ls[i].Conv = conv[i]
					}
					net = ls
				}
			}
		} else if r.err == nil && id != m.run {
			r.fail("no structure for deployment %d (the page holds %d)", id, m.run)
		}
		run = id
		li := r.int("layer", maxLayers)
		off := r.int("offset", maxPhases)
		cs := &render.ChipState{Layer: li, Offset: off, DevPhase: r.f32s(), DevEffective: r.f32s(), DevActive: r.bools()}
		if r.err == nil && chip == nil {
			r.fail("no structure for deployment %d", id)
		}
		if r.err == nil {
			if li >= len(layers) {
				r.fail("layer %d of %d", li, len(layers))
			} else if n := layers[li].NumPhases(); off != chip.Layout.LayerOffset(li) || len(cs.DevPhase) != n || len(cs.DevEffective) != n || len(cs.DevActive) != n {
				r.fail("layer %d: devices at %d: %d phases, %d effective, %d active, want %d at %d",
					li, off, len(cs.DevPhase), len(cs.DevEffective), len(cs.DevActive), n, chip.Layout.LayerOffset(li))
			}
		}
		if r.err == nil {
			cs.ID, cs.Layers, cs.Layout = chip.ID, chip.Layers, chip.Layout
			sc.Chip = cs
		}
		if r.err == nil && sc.Layer != li {
			r.fail("devices of layer %d for the scene's layer %d", li, sc.Layer)
		}
		if r.err == nil && len(sc.LayerInput) != 0 && len(sc.LayerInput) != layers[li].In {
			r.fail("layer input of %d values, layer %d takes %d", len(sc.LayerInput), li, layers[li].In)
		}
	}
	r.at = "light"
	if r.boolean() {
		if sc.Chip == nil && r.err == nil {
			r.fail("light without a chip")
		} else if r.err == nil {
			sc.Light = readLight(r, layers[sc.Chip.Layer])
		}
	}

	r.at = "curve"
	curveRun := r.u64()
	from := r.int("from", maxCount)
	label := r.str()
	q, acc, pow, valid := r.f64s(), r.f64s(), r.f64s(), r.f64s()
	kept := r.int("kept", maxCount)
	curve := m.curve
	if r.err == nil {
		switch {
		case len(q) != len(acc) || len(q) != len(pow) || len(q) != len(valid):
			r.fail("%d queries, %d accuracies, %d powers, %d validation accuracies", len(q), len(acc), len(pow), len(valid))
		case curveRun != m.run && curveRun != run:
			r.fail("curve of deployment %d, the chip is %d", curveRun, run)
		case curveRun != m.run && from != 0, from > len(m.curve.Queries):
			r.fail("points from %d, the page holds %d of deployment %d", from, len(m.curve.Queries), m.run)
		case curveRun != m.run:
			curve = render.Run{Label: label, Queries: q, Accuracy: acc, Power: pow, Valid: valid, Kept: kept}
		default:
			// Appending past the held points leaves them as they are; a resent tail is
			// copied, so the held curve stays whole if the snapshot is refused later.
			keep := func(v []float64) []float64 {
				if from < len(v) {
					return v[:from:from]
				}
				return v
			}
			curve = render.Run{Label: label, Queries: append(keep(curve.Queries), q...),
				Accuracy: append(keep(curve.Accuracy), acc...), Power: append(keep(curve.Power), pow...),
				Valid: append(keep(curve.Valid), valid...), Kept: kept}
		}
		// The kept point is one of the whole curve's, which only the engine chooses.
		if r.err == nil && kept > len(curve.Queries) {
			r.fail("kept point %d of %d", kept, len(curve.Queries))
		}
	}
	r.at = "history"
	histVer, history := m.histVer, m.history
	if r.boolean() {
		histVer = r.u64()
		n := r.int("runs", maxHistory)
		history = make([]render.Run, 0, n)
		for range n {
			h := render.Run{Label: r.str(), Queries: r.f64s(), Accuracy: r.f64s(), Power: r.f64s(), Valid: r.f64s()}
			h.Kept = r.int("kept", maxCount)
			if r.err == nil && (len(h.Queries) != len(h.Accuracy) || len(h.Queries) != len(h.Power) || len(h.Queries) != len(h.Valid)) {
				r.fail("run %q: %d queries, %d accuracies, %d powers, %d validation accuracies", h.Label, len(h.Queries), len(h.Accuracy), len(h.Power), len(h.Valid))
			}
			if r.err == nil && h.Kept > len(h.Queries) {
				r.fail("run %q: kept point %d of %d", h.Label, h.Kept, len(h.Queries))
			}
			history = append(history, h)
		}
	}

	r.at = "network"
	if r.boolean() {
		sc.Network.Version = r.u64()
		devices := r.boolean()
		if r.err == nil && (sc.Chip == nil || len(net) != len(layers)) {
			r.fail("a network without a chip")
		}
		ls := make([]render.NetLayer, len(net))
		for i := range ls {
			if r.err != nil {
				break
			}
			l := net[i] // the structure; the state below is new
			l.Input, l.Output, l.Active = r.f32s(), r.f32s(), r.bools()
			n, nb := len(l.Sites), l.NumBlocks()
			if devices { // zoomed out the page asked for none: Phase, Effective and Light stay empty
				l.Phase, l.Effective = r.f32s(), r.f32s()
				if li := readLight(r, layers[i]); li != nil {
					l.Light = *li
				}
				if r.err == nil && (len(l.Phase) != n || len(l.Effective) != n) {
					r.fail("layer %d: %d/%d device phases, want %d", i, len(l.Phase), len(l.Effective), n)
				}
			}
			l.BlockPower, l.BlockActive, l.BlockLight = r.f32s(), r.f32s(), r.f32s()
			if r.err == nil && (len(l.Input) != l.In || len(l.Output) != l.Out || len(l.Active) != n) {
				r.fail("layer %d: %d inputs, %d outputs, %d device states, want %d, %d, %d",
					i, len(l.Input), len(l.Output), len(l.Active), l.In, l.Out, n)
			}
			if r.err == nil && (len(l.BlockPower) != nb || len(l.BlockActive) != nb || len(l.BlockLight) != nb) {
				r.fail("layer %d: %d/%d/%d block shades, want %d", i, len(l.BlockPower), len(l.BlockActive), len(l.BlockLight), nb)
			}
			ls[i] = l
		}
		sc.Network.Layers = ls
		sc.Network.Input, sc.Network.Scores = sc.Sample, sc.Scores
	}
	if r.err == nil && r.off != len(r.b) {
		r.fail("%v: %d", errTrailing, len(r.b)-r.off)
	}
	if r.err != nil {
		return fmt.Errorf("snapshot: %w", r.err)
	}
	sc.Runs = append(append(make([]render.Run, 0, len(history)+1), history...), curve)
	m.Seq, m.Stats, m.Settings, m.Options, m.Scene, m.Received = seq, st, set, opts, sc, true
	m.run, m.layers, m.conv, m.chip, m.net = run, layers, conv, chip, net
	m.curve, m.histVer, m.history = curve, histVer, history
	return nil
}

// readStructure reads a chip's layer shapes and builds them.
func readStructure(r *reader) ([]*photonics.SVDLayer, []bool) {
	n := r.int("layers", maxLayers)
	layers := make([]*photonics.SVDLayer, 0, n)
	conv := make([]bool, 0, n)
	total := 0
	for i := range n {
		out, in, block := r.int("out", maxLayerSide), r.int("in", maxLayerSide), r.int("block", maxLayerSide)
		bound := r.f64()
		top := photonics.Topology(r.u8())
		c := r.boolean()
		if r.err != nil {
			return nil, nil
		}
		if top != photonics.Reck && top != photonics.Clements {
			r.fail("layer %d: topology %d", i, top)
			return nil, nil
		}
		l, err := photonics.NewSVDLayer(out, in, block, bound, top)
		if err != nil {
			r.fail("layer %d: %v", i, err)
			return nil, nil
		}
		if total += l.NumPhases(); total > maxPhases {
			r.fail("over %d phases", maxPhases)
			return nil, nil
		}
		layers, conv = append(layers, l), append(conv, c)
	}
	if n == 0 {
		r.fail("a chip of no layers")
	}
	return layers, conv
}
