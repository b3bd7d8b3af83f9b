package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/onn"
	"github.com/meshlight/meshlight/wasm/wire"
)

// display is what the Session shows: the test sample on the canvas (and the batch that
// computes its light and scores), the scene that snapshots carry, and the snapshot's
// storage.
type display struct {
	view       *onn.Batch // one test sample, for the scores on the canvas
	order      []int
	sampleAt   int
	sampleTime time.Time
	lightTime  time.Time
	lastQ      int64 // the run's queries when the light was last computed

	scene   render.Scene
	netView networkView // the whole network in the scene (network.go)

	// The snapshot's storage, reused.
	snap      wire.Snapshot
	snapChip  wire.Chip
	snapLight wire.Light
	snapNet   wire.Network
	shades    []render.TileShade
}

// shuffle orders the test samples shown for a new model, by the settings' seed.
func (d *display) shuffle(l *loader, seed int64) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5a))
	d.order = rng.Perm(l.testSet.Len())
	d.sampleAt = 0
}

// attach takes a new deployment: its network computes the shown sample's light.
func (d *display) attach(r *runner) error {
	if r.run == nil {
		return nil
	}
	var err error
	if d.view, err = r.dep.Net.NewBatch(1); err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	d.lastQ = 0
	return nil
}

// refresh fills the scene from the run and the model at now: the status line, the shown
// sample's light (at once for a new chip, layer or sample; for phases moved by training at
// most every lightEvery), the network view's state, the curves and readouts (st).
func (d *display) refresh(now time.Time, set Settings, r *runner, l *loader, st Stats) error {
	sc := &d.scene
	sc.Ready = r.run != nil
	sc.LoadingText = l.status
	if l.model == nil || r.run == nil {
		sc.Title = "meshlight"
		sc.Status = l.status
		sc.Chip = nil
		return nil
	}
	sc.Title = l.title()
	chipName := r.runSet.Preset
	if r.runSet.ChipEdited() {
		chipName += "*"
	}
	sc.Status = fmt.Sprintf("%s · %s · α %g · s %g · p %g · seed %d · %s chip", r.state(), r.runSet.Optimizer, r.runSet.Alpha, r.runSet.S, r.runSet.P, r.runSet.Seed, chipName)
	chip := r.dep.Net.Chip()
	newChip := sc.Chip == nil || sc.Chip.ID != r.runID
	changed := newChip || sc.Layer != set.Layer ||
		(r.run.Queries() != d.lastQ && now.Sub(d.lightTime) >= lightEvery)
	if newChip {
		sc.Chip = render.NewChipState(r.runID, chip.Layers())
	}
	sc.Layer, sc.Crosstalk = set.Layer, r.runSet.Crosstalk
	if d.sampleTime.IsZero() || now.Sub(d.sampleTime) >= sampleEvery {
		d.sampleTime = now
		if sc.Sample.X != nil {
			d.sampleAt = (d.sampleAt + 1) % len(d.order)
		}
		changed = true
	}
	if changed {
		d.lightTime = now
		d.lastQ = r.run.Queries()
		d.showSample(r, l, set.Layer)
		sc.Version++
	}
	err := d.refreshNetwork(set.View, chip)
	sc.Runs = append(append([]render.Run(nil), r.history...), r.curve)
	sc.Readouts = render.Readouts{Deployed: st.DeployedAccuracy, Accuracy: st.Accuracy, Best: st.BestAccuracy,
		Queries: st.Queries, Power: st.Power, FullPower: st.FullPower, Energy: st.Energy}
	sc.ClassNames = l.classes
	return err
}

// showSample computes the shown test sample's class scores on the chip, the light entering
// the shown layer and that light on every waveguide of the layer (the one place the page's
// light is computed: drawing only reads it).
func (d *display) showSample(r *runner, l *loader, layer int) {
	sc := &d.scene
	i := d.order[d.sampleAt]
	x := l.testSet.Sample(i)
	sc.Sample = render.Sample{Shape: l.testSet.Shape, X: x, Label: int(l.testSet.Y[i])}
	sc.LayerInput, sc.Light = nil, nil
	if d.view == nil || d.view.Load(l.testSet, []int{i}) != nil {
		return
	}
	sc.Scores = render.Softmax(d.view.Forward())
	in, err := LayerInput(d.view, layer)
	if err != nil {
		return
	}
	sc.LayerInput = in
	chip := r.dep.Net.Chip()
	ml := chip.Layers()[layer]
	off := chip.Layout().LayerOffset(layer)
	eff := make([]float64, ml.NumPhases())
	for k := range eff {
		eff[k] = chip.Effective(off + k)
	}
	if li, err := render.NewLight(ml, eff, chip.Signs(layer), in); err == nil {
		sc.Light = li
	}
}

// fillDevices copies the shown layer's device state into the scene (heater colours follow
// training at the rate the scene is looked at, not at every slice).
func (d *display) fillDevices(r *runner) {
	if r.run == nil || d.scene.Chip == nil {
		return
	}
	d.scene.Chip.Fill(r.dep.Net.Chip(), d.scene.Layer)
}

// snapshot fills sn's chip, light, curve, history and network for a page that holds have.
func (d *display) snapshot(sn *wire.Snapshot, r *runner, have Have) {
	sc := &d.scene
	sn.Scene = wire.Scene{Title: sc.Title, Status: sc.Status, Note: sc.Note, LoadingText: sc.LoadingText, View: sc.View,
		Ready: sc.Ready, Layer: sc.Layer, Crosstalk: sc.Crosstalk, Version: sc.Version, Sample: sc.Sample,
		Scores: sc.Scores, ClassNames: sc.ClassNames, Readouts: sc.Readouts, LayerInput: sc.LayerInput}

	chip := r.run != nil && sc.Chip != nil && sc.Chip.ID == r.runID
	sn.Chip, sn.Light = nil, nil
	if chip {
		c := &d.snapChip
		*c = wire.Chip{Run: r.runID, Layer: sc.Chip.Layer, Offset: sc.Chip.Offset, Count: sc.Chip.Active, Devices: have.Devices,
			ShadePower: c.ShadePower[:0], ShadeActive: c.ShadeActive[:0], ShadeLight: c.ShadeLight[:0]}
		if have.Devices {
			c.Phase, c.Effective, c.Active = sc.Chip.DevPhase, sc.Chip.DevEffective, sc.Chip.DevActive
		} else {
			// Drawn as tiles, the layer needs their shades alone: its devices and light
			// (on the big chips, megabytes a frame) stay here.
			d.shades = render.LayerShades(d.shades, sc.Chip.Layers[sc.Chip.Layer], sc.Chip.DevPhase, sc.Chip.DevActive, sc.Light)
			for _, t := range d.shades {
				c.ShadePower = append(c.ShadePower, t.Power)
				c.ShadeActive = append(c.ShadeActive, t.Active)
				c.ShadeLight = append(c.ShadeLight, t.Light)
			}
		}
		if have.Run != r.runID {
			var specs []model.Spec
			if d.view != nil {
				specs = d.view.Network().Specs()
			}
			c.Structure = make([]wire.Layer, len(sc.Chip.Layers))
			for i, l := range sc.Chip.Layers {
				c.Structure[i] = wire.Layer{Out: l.Out, In: l.In, Block: l.Block, Bound: l.Bound,
					Topology: uint8(l.Topology), Conv: i < len(specs) && specs[i].Kind == model.Conv}
			}
		}
		sn.Chip = c
		if sc.Light != nil && have.Devices {
			d.snapLight = flatLight(d.snapLight, sc.Light)
			sn.Light = &d.snapLight
		}
	}

	from := 0
	if have.Run == r.runID && have.Points <= len(r.curve.Queries) && have.Points >= 0 &&
		(have.Points == 0 || r.curve.Queries[have.Points-1] == have.Last) {
		from = have.Points
	}
	sn.Curve = wire.Curve{ID: r.runID, From: from, Points: render.Run{Label: r.curve.Label,
		Queries: r.curve.Queries[from:], Accuracy: r.curve.Accuracy[from:], Power: r.curve.Power[from:],
		Valid: r.curve.Valid[from:], Kept: r.curve.Kept}}

	sn.History = nil
	if have.History != r.histVer {
		sn.History = &wire.History{Version: r.histVer, Runs: r.history}
	}

	sn.Network = nil
	if chip && sc.View == "network" && len(sc.Network.Layers) == len(sc.Chip.Layers) {
		n := &d.snapNet
		n.Version, n.Devices = sc.Network.Version, have.Devices
		n.Layers = slices.Grow(n.Layers[:0], len(sc.Network.Layers))[:len(sc.Network.Layers)]
		for i := range sc.Network.Layers {
			l, w := &sc.Network.Layers[i], &n.Layers[i]
			*w = wire.NetLayer{Input: l.Input, Output: l.Output, Active: l.Active,
				BlockPower: l.BlockPower, BlockActive: l.BlockActive, BlockLight: l.BlockLight, Light: w.Light}
			if have.Devices {
				w.Phase, w.Effective = l.Phase, l.Effective
				w.Light = flatLight(w.Light, &l.Light)
			} else {
				w.Light = wire.Light{Fields: w.Light.Fields[:0]}
			}
		}
		sn.Network = n
	}
}

// flatLight flattens a light's fields (blocks × segments × rows) into dst's storage.
func flatLight(dst wire.Light, li *render.Light) wire.Light {
	dst.Max, dst.Fields = li.Max, dst.Fields[:0]
	for _, b := range li.Fields {
		for _, seg := range b {
			dst.Fields = append(dst.Fields, seg...)
		}
	}
	return dst
}
