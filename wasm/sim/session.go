package sim

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/onn"
	"github.com/meshlight/meshlight/wasm/wire"
)

// Session is the simulator's engine: settings, loading, the run on a deployed chip and the
// scene it shows, everything but drawing. Tick advances it by one slice of work (Update by
// one frame's); every other method is a control of the page. In the browser it runs in a
// Web Worker (wasm/engine) and the page draws from its snapshots (Snapshot, wire,
// page.Mirror). Its state is in three parts, each a type of its own: the model (loader),
// the run (runner) and what it shows (display). A Session is not safe for concurrent use:
// one thread calls it.
type Session struct {
	fetch Fetch
	now   func() time.Time
	set   Settings
	ver   int // bumped by every settings change, so the page resyncs its controls
	errs  wire.Messages

	loader  // the model: loading it, and the one loaded
	runner  // the run on a deployed chip
	display // the sample shown and the scene
}

// loader is the Session's model: one load at a time (its result delivered to Update),
// and the model loaded with its data.
type loader struct {
	loadCh   chan loaded
	loading  string // the model reference being loaded, "" if none
	status   string
	modelRef string // the reference of the loaded model (for a file, what the URL keeps)
	// modelFile names the loaded model's file when it came from the page (dropped or
	// chosen; "" when fetched from the site), and waiting are the files that arrived
	// while another load ran, oldest first (modelfile.go).
	modelFile string
	waiting   []fileLoad
	model     *model.Model
	trainSet  *dataset.Set
	testSet   *dataset.Set
	classes   []string
}

// runner is the Session's run: a deployed chip and an optimizer on it, its curve for the
// charts, the earlier runs kept for comparison, and its measured speed.
type runner struct {
	dep      *train.Deployment
	run      *train.Run // dep.Run
	runID    uint64     // bumped by every deployment: names the run and its chip in snapshots
	histVer  uint64     // bumped whenever history changes
	runSet   Settings   // the settings the run was deployed with
	runLabel string
	curve    render.Run // the run's records as chart series
	history  []render.Run
	running  bool
	failed   bool
	lastQ    int64

	qps     float64 // smoothed training queries per second of wall time
	measure struct {
		t time.Time
		q int64
	}
}

// display is what the Session shows: the test sample on the canvas (and the batch that
// computes its light and scores), and the scene that snapshots carry.
type display struct {
	view       *onn.Batch // one test sample, for the scores on the canvas
	order      []int
	sampleAt   int
	sampleTime time.Time
	lightTime  time.Time

	scene   render.Scene
	netView networkView // the whole network in the scene (network.go)

	// The snapshot's storage, reused (snapshot.go).
	snap      wire.Snapshot
	snapChip  wire.Chip
	snapLight wire.Light
	snapNet   wire.Network
}

type loaded struct {
	ref         string
	file        string // the file's name for a model from the page, "" for a fetched one
	m           *model.Model
	train, test *dataset.Set
	err         error
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
	s.startLoad(s.set.Model)
	return s
}

// SetClock replaces the session's clock (tests).
func (s *Session) SetClock(now func() time.Time) { s.now = now }

// Report adds a message for the page (for errors found outside the session).
func (s *Session) Report(err error) { s.report(err) }

// report adds a message for the page.
func (s *Session) report(err error) { s.errs.Add(err.Error()) }

// ClearErrors drops the messages shown in the page.
func (s *Session) ClearErrors() { s.errs = nil }

// Errors returns the messages for the page, oldest first.
func (s *Session) Errors() []string { return append([]string(nil), s.errs...) }

// startLoad fetches and validates a model and its data in the background.
func (s *Session) startLoad(ref string) {
	if s.loading != "" {
		return // Update starts the newest request when this one ends
	}
	s.loading = ref
	s.status = "loading " + ModelPath(ref) + "…"
	fetch := s.fetch
	go func() { s.loadCh <- load(fetch, ref) }()
}

// load fetches and validates the model file of ref and its data set's shipped splits. The
// model file is read up to model.MaxFileSize bytes, a data file up to dataset.MaxFileSize.
// The data set's name, which becomes a path, was checked by model.Read
// (dataset.CheckName), as ref was by ValidModelRef.
func load(fetch Fetch, ref string) loaded {
	p := ModelPath(ref)
	b, err := fetch(p, model.MaxFileSize)
	if err != nil {
		return loaded{ref: ref, err: fmt.Errorf("model %s: %w", p, err)}
	}
	return loadModel(fetch, loaded{ref: ref}, path.Base(p), b)
}

// loadModel validates the model file b (plain or gzipped: model.Read tells them apart),
// named name, and fetches its data set's shipped splits: the part of loading that a model
// fetched from the site (load) and a file from the page (loadFile) share. out says where
// the model came from; its m, train and test are filled, or err.
func loadModel(fetch Fetch, out loaded, name string, b []byte) loaded {
	fail := func(err error) loaded { return loaded{ref: out.ref, file: out.file, err: err} }
	m, err := model.Read(bytes.NewReader(b), name)
	if err != nil {
		if out.file != "" {
			return fail(fmt.Errorf("model file %w", err)) // model.Read names the file
		}
		return fail(err)
	}
	what := "model" // how messages name the model: a fetched one, or a file from the page
	if out.file != "" {
		what = "model file"
	}
	out.m = m
	for _, sp := range []struct {
		split dataset.Split
		dst   **dataset.Set
	}{{dataset.Test, &out.test}, {dataset.Train, &out.train}} {
		dp := "data/" + dataset.FileName(m.Dataset, sp.split)
		db, err := fetch(dp, dataset.MaxFileSize)
		if err != nil {
			if out.file != "" { // a file made elsewhere may name a data set this site lacks
				return fail(fmt.Errorf("model file %s: this site has no data set %q (%s: %w)", name, m.Dataset, dp, err))
			}
			return fail(fmt.Errorf("model %s: data set %s: %w", name, dp, err))
		}
		var set *dataset.Set
		if sp.split == dataset.Test { // its first EvalSamples (the file is still read and checked whole)
			set, err = dataset.ReadHead(bytes.NewReader(db), path.Base(dp), EvalSamples)
		} else {
			set, err = dataset.Read(bytes.NewReader(db), path.Base(dp))
		}
		if err != nil {
			return fail(fmt.Errorf("%s %s: %w", what, name, err))
		}
		if set.Features() != m.Input.Size() {
			return fail(fmt.Errorf("%s %s: data set %s has %d features per sample, the model takes %d", what, name, dp, set.Features(), m.Input.Size()))
		}
		*sp.dst = set
	}
	return out
}

// Update advances the session by one frame: Tick with a slice of Slice and at most Speed
// queries.
func (s *Session) Update() error {
	s.Tick(s.now().Add(Slice), int64(s.set.Speed))
	s.fillDevices()
	return nil
}

// Tick advances the session by one slice of work: it takes a finished load, trains until
// deadline or for at most limit queries, and refreshes the scene.
func (s *Session) Tick(deadline time.Time, limit int64) {
	now := s.now()
	s.Settle()
	if s.running && s.run != nil && limit > 0 {
		s.train(deadline, limit)
	}
	s.refreshScene(now)
}

// Settle takes a finished load, if any: it deploys the model (or reports why it failed,
// keeping the last good state) and starts a file that waited for it. It does nothing else:
// no training. The engine calls it alone while the page holds it for a race
// (wasm/engine), so that a model file the page sends every engine is in place, and a bad
// one reported, while the racers run, not when the race closes.
func (s *Session) Settle() {
	select {
	case l := <-s.loadCh:
		s.finishLoad(l)
	default:
	}
}

// Speed is the most ONN queries per frame of 1/60 s the settings allow (the engine trains
// at most 60 times this per second).
func (s *Session) Speed() int { return s.set.Speed }

// Running reports whether a run is training.
func (s *Session) Running() bool { return s.running && s.run != nil }

// Queries is the current run's ONN queries (0 before the first deployment).
func (s *Session) Queries() int64 {
	if s.run == nil {
		return 0
	}
	return s.run.Queries()
}

// finishLoad takes a finished load, then starts the oldest file that came meanwhile
// (choosing a model drops the waiting files), unless settling started another load.
func (s *Session) finishLoad(l loaded) {
	s.settleLoad(l)
	if len(s.waiting) > 0 && s.loading == "" {
		next := s.waiting[0]
		s.waiting = slices.Delete(s.waiting, 0, 1)
		s.startFile(next)
	}
}

// settleLoad installs a loaded model and deploys it, or reports why it failed and keeps
// the last good state.
func (s *Session) settleLoad(l loaded) {
	s.loading = ""
	want := s.set.Model
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
			s.startLoad(def)
		} else {
			s.status = "could not load a model"
		}
		return
	}
	if want != l.ref && want != s.modelRef {
		s.startLoad(want) // the user chose another model meanwhile
		return
	}
	s.history = nil
	s.histVer++
	s.model, s.modelRef, s.modelFile, s.trainSet, s.testSet = l.m, l.ref, l.file, l.train, l.test
	s.classes = dataset.ClassNames(l.m.Dataset)
	s.set.Model = l.ref
	if s.set.Layer >= len(l.m.Layer) {
		s.report(fmt.Errorf("layer %d: the model has layers 0..%d; showing layer 0", s.set.Layer, len(l.m.Layer)-1))
		s.set.Layer = 0
	}
	s.ver++
	rng := rand.New(rand.NewPCG(uint64(s.set.Seed), 0x5a))
	s.order = rng.Perm(s.testSet.Len())
	s.sampleAt = 0
	s.status = ""
	s.deploy()
	if s.set.Run || s.set.Booth {
		s.running = s.run != nil
	}
}

// deploy starts a new run on a chip from the current settings (the chip is a function of
// the seed, so the same settings give the same chip).
func (s *Session) deploy() {
	if s.model == nil {
		return
	}
	s.retire()
	cfg := s.set.Config()
	cfg.EvalEvery = evalEvery(s.model)
	dep, err := train.Deploy(s.model, s.trainSet, s.testSet, cfg)
	if err != nil {
		s.report(fmt.Errorf("deploy: %w", err))
		s.running = false
		return
	}
	s.dep, s.run, s.runSet, s.failed = dep, dep.Run, s.set, false
	s.runID++
	s.view, err = dep.Net.NewBatch(1)
	if err != nil {
		s.report(fmt.Errorf("deploy: %w", err))
	}
	s.runLabel = fmt.Sprintf("%s α %g s %g p %g lr %.4g seed %d γσ %s Vπ %g xt %s bits %d heat-all %v",
		cfg.Optimizer, cfg.Alpha, cfg.S, cfg.P, cfg.Step, cfg.Seed, Sci(cfg.GammaStd), cfg.VPi, Sci(cfg.Crosstalk), cfg.Bits, cfg.HeatAll)
	s.curve = render.Run{Label: s.runLabel}
	s.lastQ = 0
	s.measure.t = time.Time{} // the speed is measured again from this run's first queries (not against the last run's count)
	s.syncCurve()
}

// evalEvery spaces the test evaluations of a run: often enough for a smooth curve,
// rarely enough that evaluating stays a small share of the training time.
func evalEvery(m *model.Model) int64 {
	if m.Layer[0].Kind == model.Conv {
		return 200
	}
	return 500
}

// retire ends the current run, keeping its curve for comparison.
func (s *Session) retire() {
	if s.run == nil {
		return
	}
	s.run.Close()
	if s.set.Compare && len(s.curve.Queries) > 1 {
		s.history = append(s.history, s.curve)
		if len(s.history) > maxHistory {
			s.history = s.history[len(s.history)-maxHistory:]
		}
		s.histVer++
	}
	s.run = nil
}

// train steps the run until deadline, for at most n queries.
func (s *Session) train(deadline time.Time, n int64) {
	limit := s.run.Queries() + n
	chunk := int64(8)
	if left := deadline.Sub(s.now()); s.qps > 0 && left > 0 { // about a tenth of the slice per call, so the deadline is kept
		chunk = max(1, int64(s.qps*left.Seconds()/10))
	}
	for s.run.Queries() < limit && s.now().Before(deadline) {
		n := min(chunk, limit-s.run.Queries())
		if s.run.Step(n) {
			break
		}
	}
	s.afterSteps()
}

func (s *Session) afterSteps() {
	s.syncCurve()
	if err := s.run.Err(); err != nil && !s.failed {
		s.failed = true
		s.running = false
		s.report(fmt.Errorf("training stopped: %w; the chip keeps its last phases (reset or redeploy to start again)", err))
	} else if s.run.Done() {
		s.running = false
	}
	s.measureRate(s.now())
}

// measureRate updates the smoothed queries per second, over spans of at least half a
// second.
func (r *runner) measureRate(now time.Time) {
	if r.measure.t.IsZero() {
		r.measure.t, r.measure.q = now, r.run.Queries()
	} else if dt := now.Sub(r.measure.t).Seconds(); dt >= 0.5 {
		rate := float64(r.run.Queries()-r.measure.q) / dt
		if r.qps == 0 {
			r.qps = rate
		}
		r.qps += 0.5 * (rate - r.qps)
		r.measure.t, r.measure.q = now, r.run.Queries()
	}
}

// syncCurve appends the run's new records to the chart series and follows its kept state.
func (r *runner) syncCurve() {
	for _, rec := range r.run.Curve()[len(r.curve.Queries):] {
		r.curve.Queries = append(r.curve.Queries, float64(rec.Queries))
		r.curve.Accuracy = append(r.curve.Accuracy, rec.Accuracy)
		r.curve.Power = append(r.curve.Power, rec.Power)
		r.curve.Valid = append(r.curve.Valid, rec.Valid)
	}
	r.curve.Kept = 0
	if k, ok := r.run.Kept(); ok {
		// Records have distinct query counts (one per evaluation), so the kept record's
		// count finds its point.
		if i, found := slices.BinarySearch(r.curve.Queries, float64(k.Queries)); found {
			r.curve.Kept = i + 1
		}
	}
}

// Start starts (or resumes) training.
func (s *Session) Start() {
	if s.run != nil && s.run.Done() {
		s.deploy() // a finished or failed run starts over on its chip
	}
	s.running = s.run != nil
	s.measure.t = time.Time{}
}

// Pause pauses training.
func (s *Session) Pause() { s.running = false }

// Reset starts a new run on the same chip (same noise and active set) from its deployed
// phases; the old run's curve is kept for comparison.
func (s *Session) Reset() {
	running := s.running
	s.deploy()
	s.running = running && s.run != nil
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
func (s *Session) End() {
	if s.run == nil {
		return
	}
	s.run.End()
	s.running = false
	s.syncCurve()
}

// Step runs one iteration's worth of queries while paused.
func (s *Session) Step() {
	if s.run == nil || s.running {
		return
	}
	if s.run.Done() {
		s.deploy()
	}
	s.run.Step(int64(s.dep.IterationCost()))
	s.afterSteps()
}

// Set changes settings by name (URL form values), in the canonical order of the URL
// parameters (a chip preset before the chip fields, the chip before the step). Each bad
// value is reported (and returned) and leaves its setting as it was; the rest apply. A
// change that needs a new chip or run gets one, keeping the running state.
func (s *Session) Set(params map[string]string) []error {
	layers := 0
	if s.model != nil {
		layers = len(s.model.Layer)
	}
	effect, _, errs := s.set.Apply(params, layers)
	for _, err := range errs {
		s.report(err)
	}
	s.ver++
	switch effect {
	case Reload:
		s.waiting = nil // the model chosen now is newer than the files waiting to load
		s.startLoad(s.set.Model)
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
	var models []Option
	found := false
	for _, m := range Catalog() {
		models = append(models, Option{Value: m.Name, Label: m.Title})
		found = found || m.Name == s.set.Model
	}
	if !found {
		models = append(models, Option{Value: s.set.Model, Label: s.set.Model})
	}
	if s.modelFile != "" {
		models = append(models, fileOption(s.modelFile))
	}
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
	var layers []Option
	if s.model != nil {
		for i, l := range s.model.Layer {
			layers = append(layers, Option{Value: fmt.Sprint(i), Label: fmt.Sprintf("%d: %s %d×%d", i+1, l.Kind, l.Out, l.In)})
		}
	} else {
		layers = []Option{{Value: "0", Label: "1"}}
	}
	var chips []Option
	for _, p := range photonics.Presets() {
		label := p.Name
		if p.Name == "paper" {
			label = "paper (the method's)"
		}
		if p.Name == s.set.Chip && s.set.ChipEdited() {
			label += ", edited"
		}
		chips = append(chips, Option{Value: p.Name, Label: label})
	}
	views := []Option{{Value: "layer", Label: "one layer"}, {Value: "network", Label: "whole network"}}
	return map[string][]Option{"model": models, "optimizer": opts, "chip": chips, "layer": layers, "view": views}
}

// Stats returns the page API's figures.
func (s *Session) Stats() Stats {
	st := Stats{Model: s.set.Model, Optimizer: s.set.Optimizer, Running: s.running,
		Error: strings.Join(s.errs, "\n"), Status: s.status, QueriesPerSecond: math.Round(s.qps),
		BudgetMS: float64(Slice.Microseconds()) / 1000, Runs: len(s.history), SettingsVersion: s.ver,
		Accuracy: math.NaN(), DeployedAccuracy: math.NaN(), BestAccuracy: math.NaN(), Power: math.NaN(),
		FullPower: math.NaN(), Saving: math.NaN(), Energy: math.NaN(),
		KeptQueries: -1, KeptAccuracy: math.NaN(), KeptValid: math.NaN()}
	chip := s.set
	if s.run != nil {
		chip = s.runSet
	}
	setChip(&st, chip)
	if s.run == nil {
		return st
	}
	st.Ready = true
	st.Model, st.ModelFile, st.Title = s.modelRef, s.modelFile, s.modelTitle()
	st.Optimizer = s.runSet.Optimizer
	st.Done = s.run.Done()
	sum := s.dep.Summary()
	st.Queries, st.Evaluations = sum.Queries, len(s.run.Curve())
	st.DeployedAccuracy, st.Accuracy, st.BestAccuracy = sum.DeployedAcc, sum.FinalAcc, sum.BestAcc
	if k, ok := s.run.Kept(); ok {
		st.Kept, st.KeptQueries, st.KeptAccuracy, st.KeptValid = true, k.Queries, k.Accuracy, k.Valid
	}
	c := s.dep.Net.Chip()
	st.Power, st.FullPower, st.Energy = c.Power(), c.FullPower(), sum.Energy
	st.Saving = (render.Readouts{Power: st.Power, FullPower: st.FullPower}).Saving()
	st.Phases, st.ActivePhases = c.NumPhases(), len(c.Active())
	return st
}

// setChip fills the chip's figures and readouts from settings.
func setChip(st *Stats, set Settings) {
	cfg := set.Config()
	st.Chip, st.ChipEdited = set.Chip, set.ChipEdited()
	st.GammaStd, st.VPi, st.Crosstalk, st.Bits, st.HeatAll, st.Step = set.GammaStd, set.VPi, set.Crosstalk, set.Bits, set.HeatAll, set.LR
	st.RelativeDrift = 100 * cfg.Noise().RelativeDrift()
	st.DriftText, st.CrosstalkText, st.ControlText = ChipReadouts(set)
}

// ChipReadouts returns the page's readouts of a chip: the drift, as gamma's standard
// deviation and relative to gamma ("γ σ 2e-3 (1.21%)", with V_π when it is not 4.36 V),
// the crosstalk ("2e-3", "2e-3, all devices heat" with HeatAll) and the control resolution
// ("8-bit", "continuous").
func ChipReadouts(set Settings) (drift, crosstalk, control string) {
	rel := 100 * set.Config().Noise().RelativeDrift()
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

// Scene implements canvas.Sim.
func (s *Session) Scene() *render.Scene { return &s.scene }

// refreshScene fills the scene from the session's state.
func (s *Session) refreshScene(now time.Time) {
	sc := &s.scene
	sc.Ready = s.run != nil
	sc.LoadingText = s.status
	if s.model == nil || s.run == nil {
		sc.Title = "meshlight"
		sc.Status = s.status
		sc.Chip = nil
		return
	}
	sc.Title = s.modelTitle()
	state := "paused"
	switch {
	case s.failed:
		state = "stopped (error)"
	case s.running:
		state = "training"
	case s.run.Done():
		state = "finished"
	}
	chipName := s.runSet.Chip
	if s.runSet.ChipEdited() {
		chipName += "*"
	}
	sc.Status = fmt.Sprintf("%s · %s · α %g · s %g · p %g · seed %d · %s chip", state, s.runSet.Optimizer, s.runSet.Alpha, s.runSet.S, s.runSet.P, s.runSet.Seed, chipName)
	chip := s.dep.Net.Chip()
	// Recompute the light and scores for a new chip, layer or sample at once, and for
	// phases moved by training at most every lightEvery.
	newChip := sc.Chip == nil || sc.Chip.ID != s.runID
	changed := newChip || sc.Layer != s.set.Layer ||
		(s.run.Queries() != s.lastQ && now.Sub(s.lightTime) >= lightEvery)
	if newChip {
		sc.Chip = render.NewChipState(s.runID, chip.Layers())
	}
	sc.Layer, sc.Crosstalk = s.set.Layer, s.runSet.Crosstalk
	if s.sampleTime.IsZero() || now.Sub(s.sampleTime) >= sampleEvery {
		s.sampleTime = now
		if sc.Sample.X != nil {
			s.sampleAt = (s.sampleAt + 1) % len(s.order)
		}
		changed = true
	}
	if changed {
		s.lightTime = now
		s.lastQ = s.run.Queries()
		s.showSample(sc)
		sc.Version++
	}
	s.refreshNetwork(sc, chip)
	runs := append(append([]render.Run(nil), s.history...), s.curve)
	sc.Runs = runs
	st := s.Stats()
	sc.Readouts = render.Readouts{Deployed: st.DeployedAccuracy, Accuracy: st.Accuracy, Best: st.BestAccuracy,
		Queries: st.Queries, Power: st.Power, FullPower: st.FullPower, Energy: st.Energy}
	sc.ClassNames = s.classes
}

// showSample computes the shown test sample's class scores on the chip, the light entering
// the shown layer and that light on every waveguide of the layer (the one place the page's
// light is computed: drawing only reads it).
func (s *Session) showSample(sc *render.Scene) {
	i := s.order[s.sampleAt]
	x := s.testSet.Sample(i)
	sc.Sample = render.Sample{Shape: s.testSet.Shape, X: x, Label: int(s.testSet.Y[i])}
	sc.LayerInput, sc.Light = nil, nil
	if s.view == nil || s.view.Load(s.testSet, []int{i}) != nil {
		return
	}
	sc.Scores = render.Softmax(s.view.Forward())
	in, err := LayerInput(s.view, s.set.Layer)
	if err != nil {
		return
	}
	sc.LayerInput = in
	chip := s.dep.Net.Chip()
	l := chip.Layers()[s.set.Layer]
	off := chip.Layout().LayerOffset(s.set.Layer)
	eff := make([]float64, l.NumPhases())
	for k := range eff {
		eff[k] = chip.Effective(off + k)
	}
	if li, err := render.NewLight(l, eff, chip.Signs(s.set.Layer), in); err == nil {
		sc.Light = li
	}
}

// fillDevices copies the shown layer's device state into the scene (heater colours follow
// training at the rate the scene is looked at, not at every slice).
func (s *Session) fillDevices() {
	if s.run == nil || s.scene.Chip == nil {
		return
	}
	s.scene.Chip.Fill(s.dep.Net.Chip(), s.scene.Layer)
}

// Chip returns the deployed chip (nil before the first deployment).
func (s *Session) Chip() *photonics.Chip {
	if s.dep == nil {
		return nil
	}
	return s.dep.Net.Chip()
}
