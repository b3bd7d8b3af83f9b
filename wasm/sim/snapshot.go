package sim

import (
	"slices"

	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/wasm/wire"
)

// The figures, choices and what the page holds are the wire format's types: the engine
// fills them, the page (wasm/page) reads them.
type (
	// Stats are the figures of the page API (wire.Stats).
	Stats = wire.Stats
	// Option is one choice of a select control (wire.Option).
	Option = wire.Option
	// Have is what the page holds (wire.Have).
	Have = wire.Have
)

// RunID names the current deployment (0 before the first); it changes at every deployment.
func (s *Session) RunID() uint64 { return s.runID }

// Snapshot is what the engine sends a page that holds have, after the page's command seq
// was applied (wire.Snapshot; the engine encodes it with its Append). It is the session's
// own storage, valid until the next call.
func (s *Session) Snapshot(seq uint64, have Have) *wire.Snapshot {
	if s.run != nil && (s.scene.Chip == nil || s.scene.Chip.ID != s.runID) {
		// A command deployed since the last tick: the scene must show the new chip, or the
		// snapshot would carry the new run's curve without its chip and the page refuse it.
		s.refreshScene(s.now())
	}
	s.fillDevices()
	sn := &s.snap
	sn.Seq, sn.Stats, sn.Options, sn.Race = seq, s.Stats(), s.Options(), s.racers()
	sn.Settings = s.wireSettings()
	sc := &s.scene
	sn.Scene = wire.Scene{Title: sc.Title, Status: sc.Status, Note: sc.Note, LoadingText: sc.LoadingText, View: sc.View,
		Ready: sc.Ready, Layer: sc.Layer, Crosstalk: sc.Crosstalk, Version: sc.Version, Sample: sc.Sample,
		Scores: sc.Scores, ClassNames: sc.ClassNames, Readouts: sc.Readouts, LayerInput: sc.LayerInput}

	chip := s.run != nil && sc.Chip != nil && sc.Chip.ID == s.runID
	sn.Chip, sn.Light = nil, nil
	if chip {
		c := &s.snapChip
		*c = wire.Chip{Run: s.runID, Layer: sc.Chip.Layer, Offset: sc.Chip.Offset, Devices: true,
			Phase: sc.Chip.DevPhase, Effective: sc.Chip.DevEffective, Active: sc.Chip.DevActive}
		if have.Run != s.runID {
			var specs []model.Spec
			if s.view != nil {
				specs = s.view.Network().Specs()
			}
			c.Structure = make([]wire.Layer, len(sc.Chip.Layers))
			for i, l := range sc.Chip.Layers {
				c.Structure[i] = wire.Layer{Out: l.Out, In: l.In, Block: l.Block, Bound: l.Bound,
					Topology: uint8(l.Topology), Conv: i < len(specs) && specs[i].Kind == model.Conv}
			}
		}
		sn.Chip = c
		if sc.Light != nil {
			s.snapLight = flatLight(s.snapLight, sc.Light)
			sn.Light = &s.snapLight
		}
	}

	from := 0
	if have.Run == s.runID && have.Points <= len(s.curve.Queries) && have.Points >= 0 &&
		(have.Points == 0 || s.curve.Queries[have.Points-1] == have.Last) {
		from = have.Points
	}
	sn.Curve = wire.Curve{ID: s.runID, From: from, Points: render.Run{Label: s.curve.Label,
		Queries: s.curve.Queries[from:], Accuracy: s.curve.Accuracy[from:], Power: s.curve.Power[from:],
		Valid: s.curve.Valid[from:], Kept: s.curve.Kept}}

	sn.History = nil
	if have.History != s.histVer {
		sn.History = &wire.History{Version: s.histVer, Runs: s.history}
	}

	sn.Network = nil
	if chip && sc.View == "network" && len(sc.Network.Layers) == len(sc.Chip.Layers) {
		n := &s.snapNet
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
	return sn
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

// wireSettings are the settings as the page shows them: every parameter's URL form, in the
// canonical order, and the query.
func (s *Session) wireSettings() wire.Settings {
	vals := s.set.Values()
	ps := make([]wire.Param, 0, len(vals))
	for _, name := range ParamNames() {
		switch v := vals[name].(type) {
		case bool:
			b := "0"
			if v {
				b = "1"
			}
			ps = append(ps, wire.Param{Name: name, Value: b, Bool: true})
		case string:
			ps = append(ps, wire.Param{Name: name, Value: v})
		}
	}
	return wire.Settings{Query: s.set.Query(), Params: ps}
}

// racers are the racers of the settings' race, or in booth mode of BoothRace when the
// settings name none, each with the query its engine starts from (RaceSettings).
func (s *Session) racers() []wire.Racer {
	names := s.set.Racers()
	if names == nil && s.set.Booth {
		names, _ = ParseRace(BoothRace)
	}
	var out []wire.Racer
	for _, n := range names {
		rs, err := RaceSettings(s.set, n)
		if err != nil {
			s.report(err)
			continue
		}
		out = append(out, wire.Racer{Optimizer: n, Query: rs.Query()})
	}
	return out
}
