package page

import (
	"math"
	"testing"
	"time"

	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/wasm/wire"
)

func TestPlateauReached(t *testing.T) {
	p := BoothPlateau
	for _, tc := range []struct {
		name          string
		queries, kept int64
		want          bool
	}{
		{"before the minimum", 9_999, 100, false},
		{"at the minimum, kept long ago", 10_000, 4_000, true},
		{"still improving", 20_000, 12_000, false},
		{"as long again as the kept state took", 24_000, 12_000, true},
		{"no kept state", 59_999, -1, false},
		{"at the cap", 60_000, 59_000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.Reached(tc.queries, tc.kept); got != tc.want {
				t.Errorf("Reached(%d, %d) = %v, want %v", tc.queries, tc.kept, got, tc.want)
			}
		})
	}
}

// TestBoothCycle walks booth mode's one state machine through a cycle: the single run
// starts, recovers until it plateaus, is ended, shows its result, a race opens on its chip,
// each racer is done when it plateaus, the race's result shows, the next chip recovers.
func TestBoothCycle(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var b Booth
	single := wire.Stats{Ready: true, Running: true, Queries: 100, KeptQueries: 50, Kept: true, DeployedAccuracy: 88, KeptAccuracy: 92.5}
	v := BoothView{On: true, Settled: true, Single: single, Seed: 1}
	step := func(want BoothAction, phase string) {
		t.Helper()
		if got := b.Tick(now, v); got != want || b.Phase() != phase {
			t.Fatalf("Tick = %v in phase %q, want %v in %q", got, b.Phase(), want, phase)
		}
	}
	step(BoothStart, BoothRecover)
	v.Settled = false
	step(BoothNone, BoothRecover) // waits for the engine to start
	v.Settled = true
	step(BoothNone, BoothRecover)
	v.Single.Queries = 12_000 // kept at 50: plateaued
	step(BoothEnd, BoothRecover)
	v.Settled = false
	step(BoothNone, BoothRecover) // until the engine has ended the run
	v.Settled, v.Single.Running = true, false
	step(BoothNone, BoothResult)
	if n := b.Note(); n != "chip 1 recovered from 88.0 % to 92.5 % (the state kept at 50 of 12.0k ONN queries, best on the validation split), drawing 0 % less power than a fully active chip" {
		t.Errorf("note %q", n)
	}
	now = now.Add(boothResult - time.Second)
	step(BoothNone, BoothResult)
	now = now.Add(time.Second)
	step(BoothOpenRace, BoothRace)
	if !b.Racing() || b.Chip() != 1 || b.Note() != "" {
		t.Errorf("racing %v on chip %d, note %q", b.Racing(), b.Chip(), b.Note())
	}
	fast := wire.Stats{Ready: true, Queries: 10_000, KeptQueries: 3_000}
	slow := wire.Stats{Ready: true, Queries: 10_000, KeptQueries: 8_000}
	v.Racers = []wire.Stats{fast, slow}
	step(BoothNone, BoothRace)
	if !b.Done(fast) || b.Done(slow) {
		t.Errorf("done: fast %v, slow %v; want the plateaued racer only", b.Done(fast), b.Done(slow))
	}
	v.Racers[1].Queries = 16_000
	step(BoothEndRace, BoothRace)
	now = now.Add(boothResult)
	step(BoothNext, BoothRecover)
	v.Racers = nil
	v.Settled = false
	step(BoothNone, BoothRecover)
	// The clock is a safety net: a run that never plateaus ends at the cap.
	v.Settled, v.Single = true, wire.Stats{Ready: true, Running: true, Queries: 1000, KeptQueries: -1}
	step(BoothNone, BoothRecover)
	now = now.Add(boothCap)
	step(BoothEnd, BoothRecover)
	// Off: the cycle stops (a race it opened is closed), once.
	v.On = false
	step(BoothOff, "")
	step(BoothNone, "")
}

// Each booth phase tells its part of the story with the live numbers: the chip from the
// fab and its recovery, the result against the drop, the race on the same chip.
func TestBoothCaption(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	name := func(id string) string { return map[string]string{"szo-scd": "SZO-SCD", "flops": "FLOPS"}[id] }
	const link = "https://example.org/m/?seed=3"
	var b Booth
	single := wire.Stats{Ready: true, Running: true, Optimizer: "szo-scd", Queries: 8_100, KeptQueries: 4_000, Kept: true,
		IdealAccuracy: 96.6, DeployedAccuracy: 90.7, Accuracy: 92.4, KeptAccuracy: 93.9, Phases: 2496, ActivePhases: 374, Saving: 18.2}
	v := BoothView{On: true, Settled: true, Single: single, Seed: 3}
	if c := b.Caption(v, name, link); c != (render.Caption{}) {
		t.Errorf("off: caption %+v, want none", c)
	}
	b.Tick(now, v) // start
	b.Tick(now, v) // recovering
	want := render.Caption{
		Headline: "A chip from the fab: drift and crosstalk cost it 96.6 % → 90.7 %",
		Detail:   "SZO-SCD tunes 15 % of its heaters, asking the chip only for its loss: 92.4 % after 8.10k queries",
		Link:     link,
	}
	if c := b.Caption(v, name, link); c != want {
		t.Errorf("recovering:\n got %+v\nwant %+v", c, want)
	}
	v.Single.Queries = 12_000
	b.Tick(now, v) // plateaued: ending
	v.Single.Running = false
	b.Tick(now, v) // settled: the result
	want = render.Caption{Headline: "Won back 3.2 of the 5.9 points drift cost: 93.9 %", Detail: "in 12.0k queries, drawing 18 % less power than tuning every heater", Link: link}
	if c := b.Caption(v, name, link); c != want {
		t.Errorf("result:\n got %+v\nwant %+v", c, want)
	}
	now = now.Add(boothResult)
	b.Tick(now, v) // the race opens
	v.Racers = []wire.Stats{{Ready: true, Optimizer: "szo-scd", Accuracy: 93.1, Queries: 5_000}, {Ready: true, Optimizer: "flops", Accuracy: 91.05, Queries: 5_000}}
	want = render.Caption{Headline: "The same chip, 2 optimizers, each asking only for the loss", Detail: "SZO-SCD 93.1 % in 5.00k queries  ·  FLOPS 91.0 % in 5.00k queries", Link: link}
	if c := b.Caption(v, name, link); c != want {
		t.Errorf("race:\n got %+v\nwant %+v", c, want)
	}
	v.Racers[0].Accuracy, v.Racers[0].DeployedAccuracy, v.Racers[1].Ready = math.NaN(), 90.7, false
	if c := b.Caption(v, name, link); c.Detail != "SZO-SCD 90.7 % in 5.00k queries  ·  FLOPS starting" {
		t.Errorf("a racer without a test shows its deployment, one not ready is starting: %q", c.Detail)
	}
}

// The link for a phone keeps the run's settings and leaves booth mode out.
func TestShareLink(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"model=mnist8-mlp&booth=1&seed=7", "https://h.example/m/?model=mnist8-mlp&seed=7"},
		{"?booth=1", "https://h.example/m/"},
		{"", "https://h.example/m/"},
		{"race=szo-scd%2Cflops&view=network", "https://h.example/m/?race=szo-scd%2Cflops&view=network"},
	} {
		if got := ShareLink("https://h.example/m/", tc.query); got != tc.want {
			t.Errorf("ShareLink(%q) = %q, want %q", tc.query, got, tc.want)
		}
	}
}
