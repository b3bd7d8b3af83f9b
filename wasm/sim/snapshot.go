package sim

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/train/model"
)

// A snapshot is what the engine (a Session, in a Web Worker) sends the page (a Mirror)
// each frame: the figures, settings and messages of the page API and everything drawing
// shows, as plain values in one binary message. It carries what the page does not hold yet
// (the page says what it holds with a Have): the chip's structure once per deployment, the
// curve's new points, the earlier runs when they changed; and what changes every frame in
// full: the shown layer's devices and light, the sample and scores, and in the network view
// the whole network's state.
//
// Format (SnapshotVersion 4; little-endian; a string or array is a uint32 count, then its
// elements; float32 for display data):
//
//	"MLSN" u16 version u64 seq
//	stats: u16 fields, each by kind (bool u8, int i64, float f64, string)
//	query string, options JSON string
//	scene: title status note loading view strings, ready u8, layer u32, crosstalk f64,
//	       version u64, sample (3 u32, f32s, i32 label), scores f64s, class names strings,
//	       readouts (3 f64, i64, 3 f64), layer input f32s
//	chip: u8 present [u64 run, u8 structure [u32 n, n × (u32 out, in, block, f64 bound,
//	      u8 topology, u8 conv)], u32 layer, u32 offset, f32s phase, f32s effective,
//	      active u8s]
//	light: u8 present [f64 max, f32s fields (blocks × segments × rows of the shown layer)]
//	curve: u64 run, u32 from, label string, queries f64s, accuracy f64s, power f64s,
//	       valid f64s (the points from from on), u32 kept (render.Run.Kept: of the whole curve)
//	history: u8 present [u64 version, u32 n, n × (label, queries, accuracy, power, valid, kept)]
//	network: u8 present [u64 version, per chip layer: input, output, phase, effective
//	         f32s, active u8s, f64 light max, light f32s]
//
// Version 4 added each curve's validation accuracy and kept point, and the kept state's
// figures to the stats.
const SnapshotVersion = 4

// snapshotMagic starts every snapshot.
const snapshotMagic = "MLSN"

// Have is what the page holds, sent with each snapshot request so that the engine sends
// only what is new.
type Have struct {
	Run     uint64  // the deployment whose chip structure and curve the page holds (0: none)
	Points  int     // points of that run's curve it holds
	Last    float64 // the queries of the last of them: a curve rewritten since (thinned, say) is sent whole
	History uint64  // the version of the earlier runs it holds
	// Devices says the page draws the whole network's devices (zoomed in). Only then does
	// the snapshot carry every device's phases and the light on every waveguide; zoomed
	// out, tiles need the blocks' shades alone, and the big chips' snapshots stay small.
	Devices bool
}

// RunID names the current deployment (0 before the first); it changes at every deployment.
func (s *Session) RunID() uint64 { return s.runID }

// AppendSnapshot appends to b the snapshot for a page that holds have, after the page's
// command seq was applied.
func (s *Session) AppendSnapshot(b []byte, seq uint64, have Have) []byte {
	if s.run != nil && (s.scene.Chip == nil || s.scene.Chip.ID != s.runID) {
		// A command deployed since the last tick: the scene must show the new chip, or the
		// snapshot would carry the new run's curve without its chip and the page refuse it.
		s.refreshScene(s.now())
	}
	s.fillDevices()
	w := &writer{b: b}
	w.b = append(w.b, snapshotMagic...)
	w.u16(SnapshotVersion)
	w.u64(seq)
	writeStats(w, s.Stats())
	w.str(s.set.Query())
	opts, _ := json.Marshal(s.Options()) // plain strings: never fails
	w.str(string(opts))
	sc := &s.scene
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

	chip := s.run != nil && sc.Chip != nil && sc.Chip.ID == s.runID
	w.boolean(chip)
	if chip {
		w.u64(s.runID)
		w.boolean(have.Run != s.runID)
		if have.Run != s.runID {
			var specs []model.Spec
			if s.view != nil {
				specs = s.view.Network().Specs()
			}
			w.count(len(sc.Chip.Layers))
			for i, l := range sc.Chip.Layers {
				w.count(l.Out)
				w.count(l.In)
				w.count(l.Block)
				w.f64(l.Bound)
				w.u8(uint8(l.Topology))
				w.boolean(i < len(specs) && specs[i].Kind == model.Conv)
			}
		}
		w.count(sc.Chip.Layer)
		w.count(sc.Chip.Offset)
		w.f32s(sc.Chip.DevPhase)
		w.f32s(sc.Chip.DevEffective)
		w.bools(sc.Chip.DevActive)
	}
	w.boolean(chip && sc.Light != nil)
	if chip && sc.Light != nil {
		writeLight(w, sc.Light)
	}

	from := 0
	if have.Run == s.runID && have.Points <= len(s.curve.Queries) && have.Points >= 0 &&
		(have.Points == 0 || s.curve.Queries[have.Points-1] == have.Last) {
		from = have.Points
	}
	w.u64(s.runID)
	w.count(from)
	w.str(s.curve.Label)
	w.f64s(s.curve.Queries[from:])
	w.f64s(s.curve.Accuracy[from:])
	w.f64s(s.curve.Power[from:])
	w.f64s(s.curve.Valid[from:])
	w.count(s.curve.Kept)

	w.boolean(have.History != s.histVer)
	if have.History != s.histVer {
		w.u64(s.histVer)
		w.count(len(s.history))
		for _, r := range s.history {
			w.str(r.Label)
			w.f64s(r.Queries)
			w.f64s(r.Accuracy)
			w.f64s(r.Power)
			w.f64s(r.Valid)
			w.count(r.Kept)
		}
	}

	net := chip && sc.View == "network" && len(sc.Network.Layers) == len(sc.Chip.Layers)
	w.boolean(net)
	if net {
		w.u64(sc.Network.Version)
		w.boolean(have.Devices)
		for i := range sc.Network.Layers {
			l := &sc.Network.Layers[i]
			w.f32s(l.Input)
			w.f32s(l.Output)
			w.bools(l.Active)
			if have.Devices {
				w.f32s(l.Phase)
				w.f32s(l.Effective)
				writeLight(w, &l.Light)
			}
			// The blocks' shades travel too: the engine has them from FillNetwork, and
			// the page would otherwise compute them again for every snapshot.
			w.f32s(l.BlockPower)
			w.f32s(l.BlockActive)
			w.f32s(l.BlockLight)
		}
	}
	return w.b
}

// writeLight writes a light's maximum and its fields, flattened.
func writeLight(w *writer, li *render.Light) {
	w.f64(li.Max)
	n := 0
	for _, b := range li.Fields {
		for _, seg := range b {
			n += len(seg)
		}
	}
	w.count(n)
	for _, b := range li.Fields {
		for _, seg := range b {
			for _, a := range seg {
				w.u32(math.Float32bits(float32(a)))
			}
		}
	}
}

// readLight reads a light of layer l's shape (blocks × segments × rows).
func readLight(r *reader, l *photonics.SVDLayer) *render.Light {
	li := &render.Light{Max: r.f64()}
	flat := r.f32s()
	if r.err != nil {
		return nil
	}
	segs, rows := l.V.Columns+1+l.U.Columns+1, max(l.U.N, l.V.N)
	if want := l.NumBlocks() * segs * rows; len(flat) != want {
		r.fail("light of %d values for %v, want %d", len(flat), l, want)
		return nil
	}
	if math.IsNaN(li.Max) || li.Max < 0 {
		r.fail("light maximum %g", li.Max)
		return nil
	}
	li.Fields = make([][][]float64, l.NumBlocks())
	for b := range li.Fields {
		li.Fields[b] = make([][]float64, segs)
		for k := range segs {
			o := (b*segs + k) * rows
			li.Fields[b][k] = flat[o : o+rows : o+rows]
		}
	}
	return li
}

// writeStats writes a Stats field by field, in declaration order.
func writeStats(w *writer, st Stats) {
	v := reflect.ValueOf(st)
	w.u16(uint16(v.NumField()))
	for i := range v.NumField() {
		switch f := v.Field(i); f.Kind() {
		case reflect.Bool:
			w.boolean(f.Bool())
		case reflect.Int, reflect.Int64:
			w.u64(uint64(f.Int()))
		case reflect.Float64:
			w.f64(f.Float())
		case reflect.String:
			w.str(f.String())
		default:
			panic(fmt.Sprintf("sim: Stats.%s: no wire form for %s", v.Type().Field(i).Name, f.Kind()))
		}
	}
}

// readStats reads what writeStats wrote.
func readStats(r *reader) Stats {
	var st Stats
	v := reflect.ValueOf(&st).Elem()
	if n := int(r.u16()); n != v.NumField() && r.err == nil {
		r.fail("%d stats fields, want %d", n, v.NumField())
		return st
	}
	for i := range v.NumField() {
		switch f := v.Field(i); f.Kind() {
		case reflect.Bool:
			f.SetBool(r.boolean())
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(r.u64()))
		case reflect.Float64:
			f.SetFloat(r.f64())
		case reflect.String:
			f.SetString(r.str())
		}
	}
	return st
}
