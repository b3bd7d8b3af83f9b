package sim

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/wasm/page"
	"github.com/meshlight/meshlight/wasm/wire"
)

func newTestSession(t *testing.T, query string) (*Session, *clock, site) {
	t.Helper()
	st := testSite(t)
	c := newClock()
	s := NewSession(query, st.fetch)
	s.SetClock(c.now)
	ready(t, s, c)
	return s, c, st
}

func frame(s *Session, c *clock) {
	c.add(16 * time.Millisecond)
	s.Update()
}

func TestSessionDeploysAndTrains(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=50")
	st := s.Stats()
	if st.Running || st.Queries != 0 || st.Evaluations != 1 || math.IsNaN(st.DeployedAccuracy) || st.Accuracy != st.DeployedAccuracy {
		t.Fatalf("deployed stats %+v", st)
	}
	if st.Model != "mnist8-mlp" || st.Optimizer != "szo-scd" || st.Phases == 0 || st.ActivePhases == 0 || st.ActivePhases >= st.Phases {
		t.Errorf("stats %+v", st)
	}
	if !(st.Saving > 0 && st.Saving < 100) || st.Power != s.Chip().Power() {
		t.Errorf("power %g of %g, saving %g", st.Power, st.FullPower, st.Saving)
	}
	frame(s, c)
	if s.Stats().Queries != 0 {
		t.Fatal("queries while paused")
	}
	s.Start()
	frame(s, c)
	// The clock stands still inside the frame, so the speed limit decides: exactly 50.
	if q := s.Stats().Queries; q != 50 {
		t.Fatalf("one frame at speed 50 ran %d queries", q)
	}
	for i := 0; i < 40; i++ {
		frame(s, c)
	}
	st = s.Stats()
	if st.Queries != 41*50 || st.Evaluations < 2 || !st.Running || !(st.Energy > 0) {
		t.Errorf("after 41 frames: %+v", st)
	}
	s.Pause()
	q := st.Queries
	frame(s, c)
	frame(s, c)
	if s.Stats().Queries != q || s.Stats().Running {
		t.Errorf("pause did not stop queries: %d -> %d", q, s.Stats().Queries)
	}
	s.Step()
	if got := s.Stats().Queries - q; got < 1 {
		t.Errorf("step ran %d queries", got)
	}
}

func TestSessionResetRedeployAndCompare(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=100")
	chip := s.Chip()
	gamma := chip.Gamma(3)
	s.Start()
	for i := 0; i < 20; i++ {
		frame(s, c)
	}
	s.Reset()
	if st := s.Stats(); st.Queries != 0 || st.Runs != 1 || !st.Running {
		t.Errorf("after reset: %+v", st)
	}
	if s.Chip() == chip || s.Chip().Gamma(3) != gamma {
		t.Error("reset must give a new run on the same chip (same noise draw)")
	}
	seed := s.Settings().Seed
	v := s.Version()
	s.Redeploy()
	if s.Settings().Seed != seed+1 || s.Version() == v || s.Chip().Gamma(3) == gamma {
		t.Errorf("redeploy: seed %d, gamma %g (was %g)", s.Settings().Seed, s.Chip().Gamma(3), gamma)
	}
	if st := s.Stats(); st.Runs != 1 { // the reset run had no curve yet
		t.Errorf("runs kept %d", st.Runs)
	}
	if q := s.Query(); !strings.Contains(q, "seed=2") || !strings.Contains(q, "speed=100") {
		t.Errorf("query %q", q)
	}
	s.Set(map[string]string{"compare": "0"})
	for i := 0; i < 20; i++ {
		frame(s, c)
	}
	s.Reset()
	if st := s.Stats(); st.Runs != 1 {
		t.Errorf("with compare off a reset keeps no new overlay: %d", st.Runs)
	}
}

func TestSessionSetChangesBehaviour(t *testing.T) {
	s, c, _ := newTestSession(t, "")
	before := s.Stats()
	if errs := s.Set(map[string]string{"alpha": "0.5", "speed": "30"}); len(errs) != 0 {
		t.Fatal(errs)
	}
	st := s.Stats()
	if !(st.ActivePhases > before.ActivePhases) {
		t.Errorf("alpha 0.5 must activate more phases: %d -> %d", before.ActivePhases, st.ActivePhases)
	}
	s.Start()
	frame(s, c)
	if st := s.Stats(); st.Queries != 30 {
		t.Errorf("speed 30: %d queries in a frame", st.Queries)
	}
	if errs := s.Set(map[string]string{"optimizer": "flops"}); len(errs) != 0 || s.Stats().Optimizer != "flops" || s.Stats().Queries != 0 {
		t.Errorf("optimizer change: %v %+v", errs, s.Stats())
	}
	// Bad values are reported, leave their setting alone, and let the good ones apply.
	errs := s.Set(map[string]string{"alpha": "7", "p": "0.5", "optimizer": "sgd", "layer": "9"})
	if len(errs) != 3 {
		t.Fatalf("errors %v", errs)
	}
	set := s.Settings()
	if set.Alpha != 0.5 || set.P != 0.5 || set.Optimizer != "flops" || set.Layer != 0 {
		t.Errorf("settings after bad values: %+v", set)
	}
	msg := s.Stats().Error
	for _, want := range []string{"alpha=\"7\"", "optimizer=\"sgd\"", "layer=\"9\""} {
		if !strings.Contains(msg, want) {
			t.Errorf("page error %q lacks %q", msg, want)
		}
	}
	s.ClearErrors()
	if s.Stats().Error != "" {
		t.Error("ClearErrors")
	}
	opts := s.Options()
	if len(opts["model"]) != len(Catalog()) || len(opts["optimizer"]) < 5 || len(opts["layer"]) != 3 {
		t.Errorf("options %v", opts)
	}
}

// The noise-margin variant of SZO-SCD is a choice of the optimizer selector (with its
// line from train.About), an address can choose it, it trains, and a race can put the
// paper's SZO-SCD beside it; the page's default stays the paper's.
func TestMarginVariantIsOffered(t *testing.T) {
	if DefaultSettings().Optimizer != "szo-scd" {
		t.Errorf("default optimizer %q, want the paper's szo-scd", DefaultSettings().Optimizer)
	}
	s, c, _ := newTestSession(t, "?optimizer=szo-scd-margin&speed=100")
	var offered Option
	for _, o := range s.Options()["optimizer"] {
		if o.Value == "szo-scd-margin" {
			offered = o
		}
		if o.About != train.About(o.Value) || o.About == "" {
			t.Errorf("optimizer %s: about %q, want train.About's %q", o.Value, o.About, train.About(o.Value))
		}
	}
	if offered.Value == "" || !strings.Contains(offered.Label, "margin") {
		t.Fatalf("szo-scd-margin not offered: %+v", s.Options()["optimizer"])
	}
	s.Start()
	for range 30 {
		frame(s, c)
	}
	if st := s.Stats(); st.Optimizer != "szo-scd-margin" || st.Queries < 3000 || st.Error != "" || !st.Kept {
		t.Errorf("?optimizer=szo-scd-margin: %+v", st)
	}
	names, err := ParseRace("szo-scd,szo-scd-margin")
	if err != nil || !slices.Equal(names, []string{"szo-scd", "szo-scd-margin"}) {
		t.Fatalf("race szo-scd,szo-scd-margin: %v %v", names, err)
	}
	if BoothRace != "szo-scd,szo-scd-margin" {
		t.Errorf("booth race %q, want the paper's szo-scd beside its margin variant", BoothRace)
	}
	base, _ := ParseQuery("race=szo-scd,szo-scd-margin&seed=4")
	for _, n := range names {
		rs, err := RaceSettings(base, n)
		if err != nil || rs.Optimizer != n || rs.Seed != 4 {
			t.Errorf("racer %s: %+v %v", n, rs, err)
		}
	}
}

func TestSessionBadModelKeepsLastGoodState(t *testing.T) {
	// A model that cannot load at start: the error is shown and the default loads instead.
	s, c, st := newTestSession(t, "?model=models/nope.json")
	if msg := s.Stats().Error; !strings.Contains(msg, "models/nope.json") || !strings.Contains(msg, "404") {
		t.Errorf("error %q", msg)
	}
	if s.Settings().Model != "mnist8-mlp" || s.Stats().Model != "mnist8-mlp" {
		t.Errorf("model %q", s.Settings().Model)
	}
	// A corrupt model later: the error names the file, the loaded model and chip stay.
	st["models/bad.json"] = []byte(`{"format": "meshlight-model/9"}`)
	chip := s.Chip()
	s.ClearErrors()
	s.Set(map[string]string{"model": "models/bad.json"})
	waitFor(t, "a message for models/bad.json", func() bool { return s.Stats().Error != "" }, func() { frame(s, c) },
		func() string { return "status " + s.Stats().Status })
	if msg := s.Stats().Error; !strings.Contains(msg, "bad.json") {
		t.Errorf("error %q", msg)
	}
	if s.Chip() != chip || s.Settings().Model != "mnist8-mlp" {
		t.Error("a failed load must keep the last good model and chip")
	}
	// Invalid URL parameters: reported, defaults used.
	s2 := NewSession("?alpha=2&bogus=1", st.fetch)
	if msg := s2.Stats().Error; !strings.Contains(msg, "alpha=\"2\"") || !strings.Contains(msg, "bogus") || s2.Settings().Alpha != 0.15 {
		t.Errorf("URL errors %q alpha %g", msg, s2.Settings().Alpha)
	}
}

func TestSessionScene(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=40&layer=1")
	frame(s, c)
	sc := s.Scene()
	if sc.Chip == nil || sc.Layer != 1 || len(sc.LayerInput) != 16 || len(sc.Runs) != 1 {
		t.Fatalf("scene: chip %v layer %d input %d runs %d", sc.Chip != nil, sc.Layer, len(sc.LayerInput), len(sc.Runs))
	}
	sum := 0.0
	for _, p := range sc.Scores {
		sum += p
	}
	if len(sc.Scores) != 4 || math.Abs(sum-1) > 1e-9 || len(sc.ClassNames) != 4 {
		t.Errorf("scores %v classes %v", sc.Scores, sc.ClassNames)
	}
	for _, v := range sc.LayerInput {
		if v < 0 || v > 4 {
			t.Fatalf("a hidden layer's input is clipped to [0, 4]: %v", sc.LayerInput)
		}
	}
	v := sc.Version
	frame(s, c)
	if sc.Version != v {
		t.Error("version changed without training or a new sample")
	}
	s.Start()
	frame(s, c)
	if sc.Version != v {
		t.Error("the light is recomputed at most every lightEvery while training")
	}
	c.add(lightEvery)
	frame(s, c)
	if sc.Version == v {
		t.Error("training must change the version (new phases, new light)")
	}
	label := sc.Sample
	c.add(sampleEvery)
	frame(s, c)
	if &sc.Sample.X[0] == &label.X[0] {
		t.Error("the shown sample must change every few seconds")
	}
}

// End ends a run as its budget would: training pauses, the run is done and the chip holds
// the state the run keeps (the page's booth cycle ends a chip's recovery with it).
func TestSessionEnd(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=100&run=1")
	ready(t, s, c)
	for range 200 {
		frame(s, c)
		if st := s.Stats(); st.Kept && st.Queries > st.KeptQueries+500 {
			break
		}
	}
	st := s.Stats()
	if !st.Kept || st.Queries <= st.KeptQueries {
		t.Fatalf("no state kept behind the last: %+v", st)
	}
	s.End()
	frame(s, c)
	st = s.Stats()
	if st.Running || !st.Done {
		t.Errorf("after End: running %v, done %v", st.Running, st.Done)
	}
	if acc := s.run.Objective().Evaluate(); acc != st.KeptAccuracy {
		t.Errorf("after End the chip scores %.2f%%, its kept state %.2f%%: want the kept state programmed back", acc, st.KeptAccuracy)
	}
}

// Until ends the run at the first slice where the rule holds on its figures (booth mode's
// recovery of a chip: the run stops where it plateaus, not a frame and a message later),
// on the state it keeps; a new deployment has no rule.
func TestSessionUntil(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=100&run=1")
	ready(t, s, c)
	rule := wire.Plateau{Factor: 1, Min: 2000, Max: 20000} // BoothPlateau's shape, within a short test
	s.Until(&rule)
	var before, earlier Stats // the figures as the last frame began, and as the one before it began
	for range 1000 {
		earlier, before = before, s.Stats()
		frame(s, c) // the rule is checked as a slice begins, on the figures the slice before left
		if !s.Stats().Running {
			break
		}
	}
	st := s.Stats()
	if st.Running || !st.Done || !st.Kept {
		t.Fatalf("after the rule held: %+v", st)
	}
	if st.Queries != before.Queries || !rule.Reached(st.Queries, st.KeptQueries) || rule.Reached(earlier.Queries, earlier.KeptQueries) {
		t.Errorf("the run ended at %d queries (kept at %d), a frame earlier it was at %d (kept at %d): want the first figures the rule holds on",
			st.Queries, st.KeptQueries, earlier.Queries, earlier.KeptQueries)
	}
	if acc := s.run.Objective().Evaluate(); acc != st.KeptAccuracy {
		t.Errorf("the chip scores %.2f%%, its kept state %.2f%%: want the kept state programmed back", acc, st.KeptAccuracy)
	}
	s.Redeploy()
	s.Start()
	for range 300 {
		frame(s, c)
	}
	if st := s.Stats(); !st.Running || st.Queries < 20000 {
		t.Errorf("a new chip stopped by the last one's rule: %+v", st)
	}
}

// A diverging run (the loss is NaN) stops training with a message in the page; the chip
// and curves stay as they were. No valid model file makes a run diverge (its Sigma bound
// is at most model.MRange's, so the logits stay finite), so the test poisons the training
// samples in memory and redeploys, which splits them again.
func TestSessionDivergenceIsReported(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=100")
	for i := range s.trainSet.X {
		s.trainSet.X[i] = float32(math.NaN())
	}
	s.Set(map[string]string{"seed": "2"})
	ready(t, s, c)
	s.Start()
	for i := 0; i < 50 && s.Stats().Running; i++ {
		frame(s, c)
	}
	stats := s.Stats()
	if stats.Running || !strings.Contains(stats.Error, "training stopped") || !strings.Contains(stats.Error, "diverged") {
		t.Fatalf("after divergence: running %v, error %q", stats.Running, stats.Error)
	}
	if !stats.Ready || s.Chip() == nil || len(s.Scene().Runs) != 1 {
		t.Error("the page must keep its last state")
	}
	if !strings.Contains(s.Scene().Status, "stopped") {
		t.Errorf("status %q", s.Scene().Status)
	}
	s.Start() // starts over on the same chip
	if st := s.Stats(); !st.Running || st.Queries != 0 {
		t.Errorf("start after a failure: %+v", st)
	}
}

// Switching presets deploys a new chip with the preset's noise, and the stats say which.
func TestSessionChipPresets(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=50")
	if st := s.Stats(); st.Chip != "paper" || st.ChipEdited || st.DriftText != "γ σ 2e-3 (1.21%)" || st.ControlText != "8-bit" || st.Bits != 8 {
		t.Fatalf("default chip: %+v", st)
	}
	if !strings.HasSuffix(s.Scene().Status, "· paper chip") {
		t.Errorf("status %q", s.Scene().Status)
	}
	cases := []struct {
		chip    string
		drift   string
		control string
		gamma   bool // the devices drift
	}{
		{"ideal", "none (γ σ 0)", "continuous", false},
		{"strong", "γ σ 3e-3 (1.82%)", "8-bit", true},
		{"paper", "γ σ 2e-3 (1.21%)", "8-bit", true},
	}
	for _, cc := range cases {
		t.Run(cc.chip, func(t *testing.T) {
			chip := s.Chip()
			if errs := s.Set(map[string]string{"chip": cc.chip}); len(errs) != 0 {
				t.Fatal(errs)
			}
			frame(s, c)
			st := s.Stats()
			if s.Chip() == chip || st.Chip != cc.chip || st.DriftText != cc.drift || st.ControlText != cc.control || st.Queries != 0 {
				t.Errorf("after chip=%s: %+v", cc.chip, st)
			}
			if drifts := s.Chip().Gamma(3) != 1; drifts != cc.gamma {
				t.Errorf("chip=%s: device 3's drift factor %g", cc.chip, s.Chip().Gamma(3))
			}
			if want := "chip=" + cc.chip + "&speed=50"; cc.chip != "paper" && s.Query() != want {
				t.Errorf("query %q, want %q", s.Query(), want)
			}
		})
	}
	// A preset and a field in one call: the preset first, whatever the map's order.
	if errs := s.Set(map[string]string{"bits": "6", "chip": "strong"}); len(errs) != 0 {
		t.Fatal(errs)
	}
	if st := s.Stats(); st.Chip != "strong" || !st.ChipEdited || st.Bits != 6 || st.Step != photonics.Quantum(6) {
		t.Errorf("strong with 6 bits: %+v", st)
	}
	if q := s.Query(); q != "chip=strong&bits=6&speed=50" {
		t.Errorf("query %q", q)
	}
	var label string
	for _, o := range s.Options()["chip"] {
		if o.Value == "strong" {
			label = o.Label
		}
	}
	if label != "strong, edited" {
		t.Errorf("the chosen preset's option reads %q", label)
	}
}

// Bad chip values and a step below one control code show a message in the page and keep
// the deployed chip, its run and the settings.
func TestSessionBadChipKeepsLastGoodState(t *testing.T) {
	cases := []struct {
		name    string
		params  map[string]string
		wantErr string
	}{
		{"bits above 16", map[string]string{"bits": "17"}, `bits="17": out of range [0, 16]`},
		{"negative vpi", map[string]string{"vpi": "-1"}, `vpi="-1": out of range [0.1, 100]`},
		{"negative gamma-std", map[string]string{"gamma-std": "-0.002"}, `gamma-std="-0.002": out of range [0, 1)`},
		{"unknown preset", map[string]string{"chip": "lab"}, `chip="lab": unknown chip preset (known: paper, ideal, strong)`},
		{"step below a code", map[string]string{"lr": "0.01"}, `lr="0.01": lr = 0.01, want at least one control code, 0.02454 rad at 8 bits (or bits 0)`},
		{"fewer bits than the step allows", map[string]string{"lr": "0.05", "bits": "6"}, `lr="0.05": lr = 0.05, want at least one control code, 0.09817 rad at 6 bits (or bits 0)`},
		{"the retired sigma", map[string]string{"sigma": "0.02"}, `sigma="0.02": the relative drift sigma was replaced by gamma-std`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, cl, _ := newTestSession(t, "?speed=20")
			s.Start()
			frame(s, cl)
			chip, set, q := s.Chip(), s.Settings(), s.Stats().Queries
			errs := s.Set(c.params)
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), c.wantErr) {
				t.Fatalf("errors %v, want one containing %q", errs, c.wantErr)
			}
			if msg := s.Stats().Error; !strings.Contains(msg, c.wantErr) {
				t.Errorf("page error %q lacks %q", msg, c.wantErr)
			}
			if len(c.params) == 2 {
				set.Bits, set.Step = 6, photonics.Quantum(6) // the good value of the pair applies
				if s.Settings() != set || s.Chip() == chip {
					t.Errorf("bits 6 must apply: %+v", s.Settings())
				}
				return
			}
			if s.Settings() != set || s.Chip() != chip {
				t.Errorf("a refused value changed the settings or the chip: %+v", s.Settings())
			}
			frame(s, cl)
			if st := s.Stats(); !st.Running || st.Queries <= q {
				t.Errorf("the run must go on: %+v", st)
			}
		})
	}
	// In the page's address: reported, the rest applies.
	s, _, _ := newTestSession(t, "?bits=17&chip=lab&seed=4")
	msg := s.Stats().Error
	for _, want := range []string{`bits="17": out of range [0, 16]; keeping bits=8`, `chip="lab": unknown chip preset`} {
		if !strings.Contains(msg, want) {
			t.Errorf("page error %q lacks %q", msg, want)
		}
	}
	if st := s.Stats(); st.Chip != "paper" || st.Bits != 8 || s.Settings().Seed != 4 {
		t.Errorf("stats %+v seed %d", st, s.Settings().Seed)
	}
}

// Redeploy at the largest seed a link carries (2^53) wraps to 0: the address still reloads.
func TestSessionRedeploySeedReloads(t *testing.T) {
	cases := []struct {
		name       string
		seed, want int64
	}{
		{"below the top", MaxSeed - 1, MaxSeed},
		{"the top", MaxSeed, 0},
	}
	for _, c := range cases {
		s, _, _ := newTestSession(t, fmt.Sprintf("?seed=%d", c.seed))
		s.Redeploy()
		if got := s.Settings().Seed; got != c.want {
			t.Errorf("%s: seed %d after redeploy, want %d", c.name, got, c.want)
		}
		back, errs := ParseQuery(s.Query())
		if len(errs) != 0 || back != s.Settings() {
			t.Errorf("%s: the address %q does not reload: %v", c.name, s.Query(), errs)
		}
	}
}

// The run's curve downloads as train's CSV, every evaluation as the run recorded it, and
// the address the page shows reproduces it: a session opened from it and trained as long
// writes the same bytes.
func TestCurveCSVAndTheLinkReproduceTheRun(t *testing.T) {
	s, c, st := newTestSession(t, "?speed=200&seed=3&alpha=0.2&p=0.5")
	if b, err := s.CurveCSV(); err != nil || !bytes.HasPrefix(b, []byte(train.CSVHeader+"\n")) {
		t.Fatalf("deployed: %q, %v", b, err)
	}
	s.Start()
	for range 60 {
		frame(s, c)
	}
	s.Pause()
	got, err := s.CurveCSV()
	if err != nil {
		t.Fatal(err)
	}
	recs, err := train.ReadCSV(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	curve := s.run.Curve()
	if len(recs) != len(curve) || len(recs) < 3 {
		t.Fatalf("%d records read back, the run has %d", len(recs), len(curve))
	}
	for i := range recs {
		a, b := recs[i], curve[i]
		if a.Loss != b.Loss && !(math.IsNaN(a.Loss) && math.IsNaN(b.Loss)) {
			t.Errorf("record %d: loss %v read back, %v recorded", i, a.Loss, b.Loss)
		}
		a.Loss, b.Loss = 0, 0
		if a.Valid != b.Valid && !(math.IsNaN(a.Valid) && math.IsNaN(b.Valid)) {
			t.Errorf("record %d: valid %v read back, %v recorded", i, a.Valid, b.Valid)
		}
		a.Valid, b.Valid = 0, 0
		if a != b {
			t.Errorf("record %d: %+v read back, %+v recorded", i, a, b)
		}
	}
	again := NewSession("?"+s.Query(), st.fetch)
	c2 := newClock()
	again.SetClock(c2.now)
	ready(t, again, c2)
	again.Start()
	for again.Stats().Queries < s.Stats().Queries {
		frame(again, c2)
	}
	again.Pause()
	if b, _ := again.CurveCSV(); !bytes.Equal(b, got) {
		t.Errorf("the address %q does not reproduce the run:\n%s\nagainst\n%s", s.Query(), b, got)
	}
}

// The snapshots the engine sends say what it holds, read from the runtime: a live heap
// within all the memory the runtime has. A session's own stats leave them out (they are
// the process's), so two sessions' stats compare alike.
func TestSnapshotsSayWhatTheEngineHolds(t *testing.T) {
	s, _, _ := newTestSession(t, "")
	runtime.GC() // the live heap is measured by a collection
	var m page.Mirror
	if err := m.Apply(NewInbox(s).Snapshot(nil, Have{})); err != nil {
		t.Fatal(err)
	}
	if st := m.Stats; !(st.EngineHeap > 0 && st.EngineMemory >= st.EngineHeap) {
		t.Errorf("engine heap %v bytes of %v", st.EngineHeap, st.EngineMemory)
	}
	if st := s.Stats(); st.EngineHeap != 0 || st.EngineMemory != 0 {
		t.Errorf("a session's stats carry the process's memory: %v, %v", st.EngineHeap, st.EngineMemory)
	}
}
