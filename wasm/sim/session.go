package sim

import (
	"bytes"
	"fmt"
	"math"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/wasm/wire"
)

// Session is the simulator's engine: settings, loading, the run on a deployed chip and the
// scene it shows, everything but drawing. Tick advances it by one slice of work (Update by
// one frame's); every other method is a command of the page, which the Session routes to
// the part whose state it changes. Its state is in three parts, each a type of its own
// with its methods: the model (loader), the run (runner) and what it shows (display); the
// Session holds the settings and the messages, which every part's changes go through. In
// the browser it runs in a Web Worker (wasm/engine) and the page draws from its snapshots
// (Snapshot, wire, page.Mirror). A Session is not safe for concurrent use: one thread
// calls it.
type Session struct {
	fetch Fetch
	now   func() time.Time
	set   Settings
	ver   int // bumped by every settings change, so the page resyncs its controls
	errs  wire.Messages

	loader  // the model: loading it, and the one loaded
	runner  // the run on a deployed chip
	display // the sample shown, the scene and the snapshot
}

const (
	// Slice is the training time of one Tick: short enough that a command waits at most
	// about this long, long enough that the loop's overhead is small.
	Slice = 8 * time.Millisecond
	// sampleEvery is how long one test sample stays on the canvas.
	sampleEvery = 2 * time.Second
	// lightEvery is the shortest time between two recomputations of the light and the
	// scores of the shown sample while the chip changes.
	lightEvery = 200 * time.Millisecond
	// EvalSamples is how many test samples (the first of the shipped test set) the browser
	// evaluates: a test evaluation runs inside a frame, and this keeps it to a few
	// milliseconds, so it does not stall the picture.
	EvalSamples = 2000
	// maxHistory is the number of earlier runs kept for comparison.
	maxHistory = 6
)

// NewSession reads the settings from a URL query (invalid ones become messages and
// defaults) and starts loading the chosen model.
func NewSession(query string, fetch Fetch) *Session {
	s := &Session{fetch: fetch, now: time.Now, loader: loader{loadCh: make(chan loaded, 1)}}
	var errs []error
	s.set, errs = ParseQuery(query)
	for _, e := range errs {
		s.report(e)
	}
	s.loader.start(fetch, s.set.Model)
	return s
}

// SetClock replaces the session's clock (tests).
func (s *Session) SetClock(now func() time.Time) { s.now = now }

// Report adds a message for the page (for errors found outside the session).
func (s *Session) Report(err error) { s.report(err) }

// report adds a message for the page; a nil err adds none.
func (s *Session) report(err error) {
	if err != nil {
		s.errs.Add(err.Error())
	}
}

// ClearErrors drops the messages shown in the page.
func (s *Session) ClearErrors() { s.errs = nil }

// Errors returns the messages for the page, oldest first.
func (s *Session) Errors() []string { return append([]string(nil), s.errs...) }

// Update advances the session by one frame: Tick with a slice of Slice and at most Speed
// queries.
func (s *Session) Update() error {
	s.Tick(s.now().Add(Slice), int64(s.set.Speed))
	s.fillDevices(&s.runner)
	return nil
}

// Tick advances the session by one slice of work: it takes a finished load, ends a run
// that has plateaued by its rule (Until), trains until deadline or for at most limit
// queries, and refreshes the scene.
func (s *Session) Tick(deadline time.Time, limit int64) {
	s.Flush() // the run the commands asked for
	s.Settle()
	s.runner.plateaued()
	if s.running && s.run != nil && limit > 0 {
		s.report(s.runner.train(s.now, deadline, limit))
	}
	s.refreshScene()
}

// refreshScene refreshes the scene at the clock's time.
func (s *Session) refreshScene() {
	s.report(s.display.refresh(s.now(), s.set, &s.runner, &s.loader, s.Stats()))
}

// Settle takes a finished load, if any: it deploys the model (or reports why it failed,
// keeping the last good state) and starts the oldest file that waited for it (choosing a
// model drops the waiting files). It does nothing else: no training. The engine calls it
// alone while the page holds it for a race (wasm/engine), so that a model file the page
// sends every engine is in place, and a bad one reported, while the racers run, not when
// the race closes.
func (s *Session) Settle() {
	l, ok := s.loader.take()
	if !ok {
		return
	}
	s.settle(l)
	if f, ok := s.loader.nextFile(); ok {
		s.report(s.loader.startFile(s.fetch, s.set.Model, f))
	}
}

// settle installs a loaded model and deploys it, or reports why it failed and keeps the
// last good state; the settings follow.
func (s *Session) settle(l loaded) {
	if s.loader.stale(l, s.set.Model) {
		s.settleStale(l) // a model chosen since wins
		return
	}
	if l.err != nil {
		s.report(l.err)
		if s.model != nil {
			// Keep the last good model; point the settings back at it.
			s.set.Model = s.modelRef
			s.status = ""
			s.ver++
		} else if def := DefaultSettings().Model; l.ref != def {
			s.report(fmt.Errorf("loading the default model %s instead", def))
			s.set.Model = def
			s.ver++
			s.loader.start(s.fetch, def)
		} else {
			s.status = "could not load a model"
		}
		return
	}
	s.runner.forget()
	s.loader.install(l)
	s.set.Model = l.ref
	if s.set.Layer >= len(l.m.Layer) {
		s.report(fmt.Errorf("layer %d: the model has layers 0..%d; showing layer 0", s.set.Layer, len(l.m.Layer)-1))
		s.set.Layer = 0
	}
	s.ver++
	s.display.shuffle(&s.loader, s.set.Seed)
	s.deploy()
	if s.set.Run || s.set.Booth {
		s.running = s.run != nil
	}
}

// settleStale finishes a stale load (loader.stale): its error is still reported (the page
// was told the file or model would load), and the model chosen loads unless it is the one
// shown.
func (s *Session) settleStale(l loaded) {
	s.report(l.err)
	if s.model == nil || s.modelFile != "" || s.modelRef != s.set.Model {
		s.loader.start(s.fetch, s.set.Model)
		return
	}
	s.status = ""
}

// deploy starts a new run on a chip from the current settings.
func (s *Session) deploy() {
	s.report(s.runner.deploy(&s.loader, s.set))
	s.report(s.display.attach(&s.runner))
}

// Speed is the most ONN queries per frame of 1/60 s the settings allow (the engine trains
// at most 60 times this per second).
func (s *Session) Speed() int { return s.set.Speed }

// Running reports whether a run is training.
func (s *Session) Running() bool { return s.running && s.run != nil }

// Queries is the current run's ONN queries (0 before the first deployment).
func (s *Session) Queries() int64 { return s.runner.queries() }

// Start starts (or resumes) training; a finished or failed run starts over on its chip.
func (s *Session) Start() {
	id := s.runID
	s.report(s.runner.start(&s.loader, s.set))
	if s.runID != id {
		s.report(s.display.attach(&s.runner))
	}
}

// Pause pauses training.
func (s *Session) Pause() { s.running = false }

// Reset starts a new run on the same chip (same noise and active set) from its deployed
// phases; the old run's curve is kept for comparison.
func (s *Session) Reset() {
	id := s.runID
	s.report(s.runner.restart(&s.loader, s.set))
	if s.runID != id { // not when the deployment waits for Flush (Command)
		s.report(s.display.attach(&s.runner))
	}
}

// Redeploy deploys a new chip: the next seed (NextSeed: after MaxSeed comes 0, so the
// address always reloads), so a new noise draw and active set.
func (s *Session) Redeploy() {
	s.set.Seed = NextSeed(s.set.Seed)
	s.ver++
	s.Reset()
}

// End ends the run as its budget would (train.Run.End): the chip is programmed back to
// the state the run keeps (the best on its validation split), and training pauses. The
// page's booth cycle ends a chip's recovery with it once the run has plateaued.
func (s *Session) End() { s.runner.end() }

// Until ends the current run, as End does, at the first slice where it has plateaued by
// rule p (the page's booth cycle sends page.BoothPlateau); nil drops the rule. The rule
// is the run's: a new deployment has none.
func (s *Session) Until(p *wire.Plateau) { s.runner.setUntil(p) }

// Step runs one iteration's worth of queries while paused.
func (s *Session) Step() {
	id := s.runID
	s.report(s.runner.step(&s.loader, s.set, s.now()))
	if s.runID != id {
		s.report(s.display.attach(&s.runner))
	}
}

// Set changes settings by name (URL form values), in the canonical order of the URL
// parameters (a chip preset before the chip fields, the chip before the step). Each bad
// value is reported (and returned) and leaves its setting as it was; the rest apply. A
// change that needs a new chip or run gets one, keeping the running state. Choosing a
// model (model), even the one the settings name already, replaces a model file shown or
// loading, and wins over a load started before.
func (s *Session) Set(params map[string]string) []error {
	effect, applied, errs := s.set.Apply(params, s.loader.layers())
	for _, err := range errs {
		s.report(err)
	}
	if slices.Contains(applied, "model") && s.loader.choose(s.set.Model) {
		effect = Reload // the model shown is not the one chosen (a model file)
	}
	s.ver++
	switch effect {
	case Reload:
		s.waiting = nil // the model chosen now is newer than the files waiting to load
		s.loader.start(s.fetch, s.set.Model)
	case Redeploy, Restart:
		s.Reset()
	}
	return errs
}

// Settings returns the current settings.
func (s *Session) Settings() Settings { return s.set }

// Version changes whenever the settings do.
func (s *Session) Version() int { return s.ver }

// Query is the URL query of the current settings.
func (s *Session) Query() string { return s.set.Query() }

// Options lists the choices of the select controls: models, optimizers, chip presets and
// layers. The chosen preset's label says when its fields were edited.
func (s *Session) Options() map[string][]Option {
	models, layers := s.loader.options(s.set.Model)
	var opts []Option
	for _, m := range train.Methods() {
		label := m
		switch m {
		case "szo-scd":
			label = "SZO-SCD (pruning)"
		case "szo-scd-margin":
			label = "SZO-SCD + noise margin"
		}
		opts = append(opts, Option{Value: m, Label: label, About: train.About(m)})
	}
	var chips []Option
	for _, p := range photonics.Presets() {
		label := p.Name
		if p.Name == "paper" {
			label = "paper (the method's)"
		}
		if p.Name == s.set.Preset && s.set.ChipEdited() {
			label += ", edited"
		}
		chips = append(chips, Option{Value: p.Name, Label: label})
	}
	views := []Option{{Value: "layer", Label: "one layer"}, {Value: "network", Label: "whole network"}}
	return map[string][]Option{"model": models, "optimizer": opts, "chip": chips, "layer": layers, "view": views}
}

// Stats returns the page API's figures.
func (s *Session) Stats() Stats {
	st := Stats{Model: s.set.Model, Optimizer: s.set.Optimizer,
		Error: strings.Join(s.errs, "\n"), Status: s.status,
		BudgetMS: float64(Slice.Microseconds()) / 1000, SettingsVersion: s.ver,
		Accuracy: math.NaN(), DeployedAccuracy: math.NaN(), BestAccuracy: math.NaN(), Power: math.NaN(),
		FullPower: math.NaN(), Saving: math.NaN(), Energy: math.NaN(),
		KeptQueries: -1, KeptAccuracy: math.NaN(), KeptValid: math.NaN(), IdealAccuracy: math.NaN()}
	chip := s.set
	if s.run != nil {
		chip = s.runSet
	}
	setChip(&st, chip)
	s.runner.stats(&st)
	if st.Ready {
		st.Model, st.ModelFile, st.Title = s.modelRef, s.modelFile, s.loader.title()
	}
	return st
}

// setChip fills the chip's figures and readouts from settings.
func setChip(st *Stats, set Settings) {
	st.Chip, st.ChipEdited = set.Preset, set.ChipEdited()
	st.GammaStd, st.VPi, st.Crosstalk, st.Bits, st.HeatAll, st.Step = set.GammaStd, set.VPi, set.Crosstalk, set.Bits, set.HeatAll, set.Step
	st.RelativeDrift = 100 * set.RelativeDrift()
	st.DriftText, st.CrosstalkText, st.ControlText = ChipReadouts(set)
}

// ChipReadouts returns the page's readouts of a chip: the drift, as gamma's standard
// deviation and relative to gamma ("γ σ 2e-3 (1.21%)", with V_π when it is not 4.36 V),
// the crosstalk ("2e-3", "2e-3, all devices heat" with HeatAll) and the control resolution
// ("8-bit", "continuous").
func ChipReadouts(set Settings) (drift, crosstalk, control string) {
	rel := 100 * set.RelativeDrift()
	drift = fmt.Sprintf("γ σ %s (%.3g%%)", Sci(set.GammaStd), rel)
	if set.GammaStd == 0 {
		drift = "none (γ σ 0)"
	}
	if set.VPi != photonics.DefaultVPi {
		drift += fmt.Sprintf(" at V_π %g V", set.VPi)
	}
	crosstalk = Sci(set.Crosstalk)
	if set.Crosstalk == 0 {
		crosstalk = "none (0)"
	}
	if set.HeatAll {
		crosstalk += ", all devices heat"
	}
	control = fmt.Sprintf("%d-bit", set.Bits)
	if set.Bits == 0 {
		control = "continuous"
	}
	return drift, crosstalk, control
}

// Sci formats a small coefficient the way the method writes it: 2e-3 rather than 0.002
// (below 0.01), %g otherwise.
func Sci(x float64) string {
	if x == 0 || math.Abs(x) >= 0.01 || math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'g', 4, 64)
	}
	m, e, _ := strings.Cut(strconv.FormatFloat(x, 'e', -1, 64), "e")
	if len(m) > 5 {
		m = strconv.FormatFloat(x, 'e', 3, 64)
		m, _, _ = strings.Cut(m, "e")
		m = strings.TrimRight(strings.TrimRight(m, "0"), ".")
	}
	n, _ := strconv.Atoi(e)
	return m + "e" + strconv.Itoa(n)
}

// Scene is the scene the session shows (natively, for tests and tools; the page draws the
// snapshot's).
func (s *Session) Scene() *render.Scene { return &s.scene }

// Chip returns the deployed chip (nil before the first deployment).
func (s *Session) Chip() *photonics.Chip {
	if s.dep == nil {
		return nil
	}
	return s.dep.Net.Chip()
}

// CurveCSV is the current run's curve as train.WriteCSV writes it, the format of onchip's
// -csv and of make reproduce's curves (nil before the first deployment): every evaluation
// of the run so far, as the page's "curves (CSV)" button saves it.
func (s *Session) CurveCSV() ([]byte, error) {
	s.Flush() // the run the commands asked for, not the one a reset replaces
	if s.run == nil {
		return nil, nil
	}
	var b bytes.Buffer
	if err := train.WriteCSV(&b, s.run.Curve()); err != nil {
		return nil, fmt.Errorf("the run's curve as CSV: %w", err)
	}
	return b.Bytes(), nil
}

// memorySamples are the runtime's figures engineMemory reads (runtime/metrics: cheap, no
// collection and no stop of the world, unlike runtime.ReadMemStats).
var memorySamples = []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"}}

// engineMemory is what this engine holds: its live heap as of its last collection, and all
// the memory its Go runtime has from the system (in a worker, about its WebAssembly memory).
// They are the process's, not a session's: Inbox.Snapshot puts them in the snapshots the
// page gets, and Session.Stats leaves them zero, so two sessions' stats compare alike.
func engineMemory() (heap, total float64) {
	metrics.Read(memorySamples)
	v := func(s metrics.Sample) float64 {
		if s.Value.Kind() != metrics.KindUint64 {
			return math.NaN()
		}
		return float64(s.Value.Uint64())
	}
	return v(memorySamples[0]), v(memorySamples[1])
}
