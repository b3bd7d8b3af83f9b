package page

import (
	"fmt"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/wasm/wire"
)

// Mirror is the page's copy of one engine's state, built from the engine's snapshots
// (wire.Snapshot): what drawing and the page API read. The engine's state lives in its
// sim.Session, in another thread. A malformed snapshot, or one that does not fit the chip
// the mirror holds, is refused whole, with an error that says what is wrong and where, and
// the mirror keeps its last good state.
type Mirror struct {
	Seq      uint64 // the last page command the engine had applied
	Stats    wire.Stats
	Settings wire.Settings // as the engine applied them: the page shows these, and checks none
	Options  map[string][]wire.Option
	Race     []wire.Racer
	Scene    render.Scene
	Received bool // a snapshot was applied

	run     uint64 // the deployment whose structure it holds
	layers  []*photonics.SVDLayer
	chip    *render.ChipState // the structure of run (no device state)
	curve   render.Run
	histVer uint64
	history []render.Run
	net     []render.NetLayer // the network structure of run (no state)
}

// Have is what the mirror holds, for the next snapshot request; devices says whether the
// page draws the devices one by one (wire.Have.Devices).
func (m *Mirror) Have(devices bool) wire.Have {
	h := wire.Have{Run: m.run, Points: len(m.curve.Queries), History: m.histVer, Devices: devices}
	if h.Points > 0 {
		h.Last = m.curve.Queries[h.Points-1]
	}
	return h
}

// Curve is the engine's current run.
func (m *Mirror) Curve() render.Run { return m.curve }

// Apply decodes a snapshot into the mirror. On error the mirror is unchanged.
func (m *Mirror) Apply(b []byte) error {
	sn, err := wire.Decode(b)
	if err != nil {
		return err
	}
	if err := m.apply(sn); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	return nil
}

// apply checks a decoded snapshot against what the mirror holds and takes it.
func (m *Mirror) apply(sn *wire.Snapshot) error {
	ws := &sn.Scene
	sc := render.Scene{Title: ws.Title, Status: ws.Status, Note: ws.Note, LoadingText: ws.LoadingText, View: ws.View,
		Ready: ws.Ready, Layer: ws.Layer, Crosstalk: ws.Crosstalk, Version: ws.Version, Sample: ws.Sample,
		Scores: ws.Scores, ClassNames: ws.ClassNames, Readouts: ws.Readouts, LayerInput: ws.LayerInput}

	run, layers, chip, net := m.run, m.layers, m.chip, m.net
	if c := sn.Chip; c != nil {
		if c.Structure != nil {
			var conv []bool
			var err error
			if layers, conv, err = buildLayers(c.Structure); err != nil {
				return fmt.Errorf("chip: %w", err)
			}
			chip = render.NewChipState(c.Run, layers)
			ls, err := render.NewNetLayers(chip.Layout, layers)
			if err != nil {
				return fmt.Errorf("chip: %w", err)
			}
			for i := range ls {
				ls[i].Conv = conv[i]
			}
			net = ls
		} else if c.Run != m.run || chip == nil {
			return fmt.Errorf("chip: no structure for deployment %d (the page holds %d)", c.Run, m.run)
		}
		run = c.Run
		li := c.Layer
		if li >= len(layers) {
			return fmt.Errorf("chip: layer %d of %d", li, len(layers))
		}
		if off := chip.Layout.LayerOffset(li); c.Offset != off {
			return fmt.Errorf("chip: layer %d: devices at %d, want %d", li, c.Offset, off)
		}
		cs := &render.ChipState{ID: chip.ID, Layers: chip.Layers, Layout: chip.Layout, Layer: li, Offset: c.Offset, Active: c.Count}
		if n := layers[li].NumPhases(); c.Count > n {
			return fmt.Errorf("chip: layer %d: %d active devices of %d", li, c.Count, n)
		}
		if c.Devices {
			if n := layers[li].NumPhases(); len(c.Phase) != n {
				return fmt.Errorf("chip: layer %d: %d devices, want %d", li, len(c.Phase), n)
			}
			cs.DevPhase, cs.DevEffective, cs.DevActive = c.Phase, c.Effective, c.Active
		} else {
			if nb := layers[li].NumBlocks(); len(c.ShadePower) != nb {
				return fmt.Errorf("chip: layer %d: %d tile shades, want %d", li, len(c.ShadePower), nb)
			}
			cs.Shades = make([]render.TileShade, len(c.ShadePower))
			for b := range cs.Shades {
				cs.Shades[b] = render.TileShade{Power: c.ShadePower[b], Active: c.ShadeActive[b], Light: c.ShadeLight[b]}
			}
		}
		sc.Chip = cs
		if sc.Layer != li {
			return fmt.Errorf("chip: devices of layer %d for the scene's layer %d", li, sc.Layer)
		}
		if len(sc.LayerInput) != 0 && len(sc.LayerInput) != layers[li].In {
			return fmt.Errorf("scene: layer input of %d values, layer %d takes %d", len(sc.LayerInput), li, layers[li].In)
		}
	}
	if sn.Light != nil {
		if sc.Chip == nil {
			return fmt.Errorf("light: without a chip")
		}
		li, err := shapeLight(sn.Light, layers[sc.Chip.Layer])
		if err != nil {
			return fmt.Errorf("light: %w", err)
		}
		sc.Light = li
	}

	c := &sn.Curve
	p := &c.Points
	curve := m.curve
	switch {
	case c.ID != m.run && c.ID != run:
		return fmt.Errorf("curve: of deployment %d, the chip is %d", c.ID, run)
	case c.ID != m.run && c.From != 0, c.From > len(m.curve.Queries):
		return fmt.Errorf("curve: points from %d, the page holds %d of deployment %d", c.From, len(m.curve.Queries), m.run)
	case c.ID != m.run:
		curve = *p
	default:
		// Appending past the held points leaves them as they are; a resent tail is copied,
		// so the held curve stays whole if the snapshot is refused later.
		keep := func(v []float64) []float64 {
			if c.From < len(v) {
				return v[:c.From:c.From]
			}
			return v
		}
		curve = render.Run{Label: p.Label, Queries: append(keep(curve.Queries), p.Queries...),
			Accuracy: append(keep(curve.Accuracy), p.Accuracy...), Power: append(keep(curve.Power), p.Power...),
			Valid: append(keep(curve.Valid), p.Valid...), Kept: p.Kept}
	}
	// The kept point is one of the whole curve's, which only the engine chooses.
	if curve.Kept > len(curve.Queries) {
		return fmt.Errorf("curve: kept point %d of %d", curve.Kept, len(curve.Queries))
	}
	histVer, history := m.histVer, m.history
	if h := sn.History; h != nil {
		histVer, history = h.Version, h.Runs
	}

	if n := sn.Network; n != nil {
		if sc.Chip == nil || len(net) != len(layers) || len(n.Layers) != len(net) {
			return fmt.Errorf("network: %d layers for a chip of %d", len(n.Layers), len(layers))
		}
		ls := make([]render.NetLayer, len(net))
		for i := range ls {
			l, w := net[i], &n.Layers[i] // the structure; the state below is new
			l.Input, l.Output, l.Active = w.Input, w.Output, w.Active
			ns, nb := len(l.Sites), l.NumBlocks()
			if n.Devices { // zoomed out the page asked for none: Phase, Effective and Light stay empty
				if len(w.Phase) != ns {
					return fmt.Errorf("network: layer %d: %d device phases, want %d", i, len(w.Phase), ns)
				}
				li, err := shapeLight(&w.Light, layers[i])
				if err != nil {
					return fmt.Errorf("network: layer %d: %w", i, err)
				}
				l.Phase, l.Effective, l.Light = w.Phase, w.Effective, *li
			}
			l.BlockPower, l.BlockActive, l.BlockLight = w.BlockPower, w.BlockActive, w.BlockLight
			if len(l.Input) != l.In || len(l.Output) != l.Out || len(l.Active) != ns {
				return fmt.Errorf("network: layer %d: %d inputs, %d outputs, %d device states, want %d, %d, %d",
					i, len(l.Input), len(l.Output), len(l.Active), l.In, l.Out, ns)
			}
			if len(l.BlockPower) != nb {
				return fmt.Errorf("network: layer %d: %d block shades, want %d", i, len(l.BlockPower), nb)
			}
			ls[i] = l
		}
		sc.Network = render.Network{Version: n.Version, Layers: ls, Input: sc.Sample, Scores: sc.Scores}
	}

	sc.Runs = append(append(make([]render.Run, 0, len(history)+1), history...), curve)
	m.Seq, m.Stats, m.Settings, m.Options, m.Race, m.Scene, m.Received = sn.Seq, sn.Stats, sn.Settings, sn.Options, sn.Race, sc, true
	m.run, m.layers, m.chip, m.net = run, layers, chip, net
	m.curve, m.histVer, m.history = curve, histVer, history
	return nil
}

// buildLayers builds a chip's layers from their shapes.
func buildLayers(shapes []wire.Layer) ([]*photonics.SVDLayer, []bool, error) {
	layers := make([]*photonics.SVDLayer, 0, len(shapes))
	conv := make([]bool, 0, len(shapes))
	total := 0
	for i, s := range shapes {
		top := photonics.Topology(s.Topology)
		if top != photonics.Reck && top != photonics.Clements {
			return nil, nil, fmt.Errorf("layer %d: topology %d", i, top)
		}
		l, err := photonics.NewSVDLayer(s.Out, s.In, s.Block, s.Bound, top)
		if err != nil {
			return nil, nil, fmt.Errorf("layer %d: %w", i, err)
		}
		if total += l.NumPhases(); total > wire.MaxPhases {
			return nil, nil, fmt.Errorf("over %d phases", wire.MaxPhases)
		}
		layers, conv = append(layers, l), append(conv, s.Conv)
	}
	return layers, conv, nil
}

// shapeLight gives a light the shape of layer l (blocks × segments × rows), without a copy.
func shapeLight(w *wire.Light, l *photonics.SVDLayer) (*render.Light, error) {
	segs, rows := l.V.Columns+1+l.U.Columns+1, max(l.U.N, l.V.N)
	if want := l.NumBlocks() * segs * rows; len(w.Fields) != want {
		return nil, fmt.Errorf("%d values for %v, want %d", len(w.Fields), l, want)
	}
	li := &render.Light{Max: w.Max, Fields: make([][][]float64, l.NumBlocks())}
	for b := range li.Fields {
		li.Fields[b] = make([][]float64, segs)
		for k := range segs {
			o := (b*segs + k) * rows
			li.Fields[b][k] = w.Fields[o : o+rows : o+rows]
		}
	}
	return li, nil
}
