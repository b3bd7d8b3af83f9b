package sim

import "github.com/meshlight/meshlight/wasm/wire"

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
		s.refreshScene()
	}
	s.fillDevices(&s.runner)
	sn := &s.snap
	var errs []error
	sn.Seq, sn.Stats, sn.Options, sn.Settings = seq, s.Stats(), s.Options(), s.set.wire()
	sn.Race, errs = s.set.racers()
	for _, err := range errs {
		s.report(err)
	}
	s.display.snapshot(sn, &s.runner, have)
	return sn
}

// wire is the settings as the page shows them: every parameter's URL form, in the
// canonical order, and the query.
func (s Settings) wire() wire.Settings {
	vals := s.Values()
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
	return wire.Settings{Query: s.Query(), Params: ps}
}

// racers are the racers of the settings' race, or in booth mode of BoothRace when the
// settings name none, each with the query its engine starts from (RaceSettings), and the
// messages about racers whose settings are refused (left out).
func (s Settings) racers() ([]wire.Racer, []error) {
	names := s.Racers()
	if names == nil && s.Booth {
		names, _ = ParseRace(BoothRace)
	}
	var out []wire.Racer
	var errs []error
	for _, n := range names {
		rs, err := RaceSettings(s, n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, wire.Racer{Optimizer: n, Query: rs.Query()})
	}
	return out, errs
}
