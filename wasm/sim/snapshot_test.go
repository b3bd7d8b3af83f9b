package sim

import (
	"encoding/binary"
	"fmt"
	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/wasm/page"
	"github.com/meshlight/meshlight/wasm/wire"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// snapshotOf sends one snapshot from s to m, as the worker does for a page request, with
// the network's devices (a page zoomed in).
func snapshotOf(t *testing.T, s *Session, m *page.Mirror, seq uint64) []byte {
	t.Helper()
	h := m.Have(false)
	h.Devices = true
	b := s.Snapshot(seq, h).Append(nil)
	if err := m.Apply(b); err != nil {
		t.Fatalf("apply: %v", err)
	}
	return b
}

// TestSnapshotNetworkZoomedOut: a page that draws the network's tiles (not asking for
// devices) gets every block's shade and every device's state but no phases or light, in a
// snapshot a fraction of the size; asking for devices again brings them.
func TestSnapshotNetworkZoomedOut(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=60&view=network")
	s.Start()
	for range 10 {
		frame(s, c)
	}
	var m page.Mirror
	tiles := s.Snapshot(1, m.Have(false)).Append(nil)
	if err := m.Apply(tiles); err != nil {
		t.Fatal(err)
	}
	want := s.scene.Network.Layers
	for i, g := range m.Scene.Network.Layers {
		w := want[i]
		if len(g.Phase) != 0 || len(g.Effective) != 0 || len(g.Light.Fields) != 0 {
			t.Fatalf("layer %d zoomed out: %d phases, %d effective, %d light blocks; want none", i, len(g.Phase), len(g.Effective), len(g.Light.Fields))
		}
		if !reflect.DeepEqual(g.Active, w.Active) {
			t.Errorf("layer %d: device states differ", i)
		}
		sameFloats(t, "block power", g.BlockPower, w.BlockPower)
		sameFloats(t, "block light", g.BlockLight, w.BlockLight)
		sameFloats(t, "layer output", g.Output, w.Output)
	}
	h := m.Have(false)
	h.Devices = true
	devices := s.Snapshot(2, h).Append(nil)
	if err := m.Apply(devices); err != nil {
		t.Fatal(err)
	}
	if 2*len(tiles) > len(devices) {
		t.Errorf("zoomed out the snapshot is %d bytes, with devices %d: want less than half", len(tiles), len(devices))
	}
	for i, g := range m.Scene.Network.Layers {
		sameFloats(t, "phases", g.Phase, want[i].Phase)
		if len(g.Light.Fields) != len(want[i].Light.Fields) {
			t.Fatalf("layer %d: %d light blocks, want %d", i, len(g.Light.Fields), len(want[i].Light.Fields))
		}
	}
	t.Logf("network snapshot: %d bytes zoomed out, %d with devices", len(tiles), len(devices))
}

// The mirror keeps nothing of a snapshot's bytes (the page decodes every snapshot into one
// reused buffer): overwriting them after Apply leaves the mirror as it was.
func TestMirrorKeepsNoSnapshotBytes(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=60&view=network")
	s.Start()
	for range 10 {
		frame(s, c)
	}
	var m page.Mirror
	h := m.Have(false)
	h.Devices = true
	b := s.Snapshot(1, h).Append(nil)
	if err := m.Apply(b); err != nil {
		t.Fatal(err)
	}
	var again page.Mirror
	if err := again.Apply(slices.Clone(b)); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 0xa5
	}
	if !reflect.DeepEqual(m, again) {
		t.Error("overwriting a snapshot's bytes after Apply changed the mirror")
	}
}

// sameFloats compares display values sent as float32.
func sameFloats(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if float32(got[i]) != float32(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Fatalf("%s[%d] = %g, want %g", what, i, got[i], want[i])
		}
	}
}

// A mirror fed the engine's snapshots holds what the engine shows: stats, settings,
// options, the scene with the shown layer's devices and light, the whole curve (sent in
// pieces), the earlier runs, and in the network view the whole network.
func TestSnapshotRoundTrip(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=60&layer=1&seed=4")
	var m page.Mirror
	first := snapshotOf(t, s, &m, 7)
	if m.Seq != 7 || !m.Received {
		t.Fatalf("seq %d received %v", m.Seq, m.Received)
	}
	s.Start()
	for range 30 {
		frame(s, c)
	}
	s.Set(map[string]string{"view": "network"})
	frame(s, c)
	b := snapshotOf(t, s, &m, 8)
	if len(b) >= len(first)+len(s.curve.Queries)*24 {
		t.Logf("second snapshot %d bytes, first %d", len(b), len(first))
	}
	for range 30 {
		frame(s, c)
	}
	snapshotOf(t, s, &m, 9)

	st := s.Stats()
	if !reflect.DeepEqual(m.Stats, st) {
		t.Errorf("stats\n got %+v\nwant %+v", m.Stats, st)
	}
	if m.Settings.Query != s.Settings().Query() || !reflect.DeepEqual(m.Options, s.Options()) {
		t.Errorf("settings %+v options %v", m.Settings, m.Options)
	}
	want, got := &s.scene, &m.Scene
	if got.Title != want.Title || got.Status != want.Status || got.View != "network" || got.Layer != 1 || got.Version != want.Version ||
		got.Readouts != want.Readouts || !reflect.DeepEqual(got.Sample, want.Sample) || !reflect.DeepEqual(got.Scores, want.Scores) ||
		!reflect.DeepEqual(got.ClassNames, want.ClassNames) || got.Crosstalk != want.Crosstalk || !got.Ready {
		t.Errorf("scene header\n got %+v\nwant %+v", *got, *want)
	}
	if !reflect.DeepEqual(got.Runs, want.Runs) {
		t.Errorf("curves\n got %v\nwant %v", got.Runs, want.Runs)
	}
	sameFloats(t, "layer input", got.LayerInput, want.LayerInput)
	gc, wc := got.Chip, want.Chip
	if gc.ID != wc.ID || gc.Layer != 1 || gc.Offset != wc.Offset || len(gc.Layers) != len(wc.Layers) || !reflect.DeepEqual(gc.DevActive, wc.DevActive) ||
		!reflect.DeepEqual(gc.Layout.Sites, wc.Layout.Sites) {
		t.Fatalf("chip: id %d layer %d offset %d", gc.ID, gc.Layer, gc.Offset)
	}
	sameFloats(t, "phases", gc.DevPhase, wc.DevPhase)
	sameFloats(t, "effective", gc.DevEffective, wc.DevEffective)
	if got.Light == nil || len(got.Light.Fields) != len(want.Light.Fields) || float32(got.Light.Max) != float32(want.Light.Max) {
		t.Fatal("light")
	}
	for b := range want.Light.Fields {
		for k := range want.Light.Fields[b] {
			sameFloats(t, "light", got.Light.Fields[b][k], want.Light.Fields[b][k])
		}
	}
	gn, wn := got.Network, want.Network
	if gn.Version != wn.Version || len(gn.Layers) != len(wn.Layers) || len(gn.Layers) == 0 {
		t.Fatalf("network: version %d layers %d, want %d, %d", gn.Version, len(gn.Layers), wn.Version, len(wn.Layers))
	}
	for i := range wn.Layers {
		g, w := &gn.Layers[i], &wn.Layers[i]
		if g.Out != w.Out || g.In != w.In || g.Offset != w.Offset || g.Conv != w.Conv || !reflect.DeepEqual(g.Sites, w.Sites) || !reflect.DeepEqual(g.Active, w.Active) {
			t.Fatalf("network layer %d structure", i)
		}
		sameFloats(t, "network input", g.Input, w.Input)
		sameFloats(t, "network phase", g.Phase, w.Phase)
		for b := range w.Light.Fields {
			for k := range w.Light.Fields[b] {
				sameFloats(t, "network light", g.Light.Fields[b][k], w.Light.Fields[b][k])
			}
		}
		sameFloats(t, "block power", g.BlockPower, w.BlockPower)
		sameFloats(t, "block active share", g.BlockActive, w.BlockActive)
		sameFloats(t, "block light", g.BlockLight, w.BlockLight)
	}

	// A new run: its curve starts over, earlier runs arrive with their new version.
	s.Reset()
	frame(s, c)
	snapshotOf(t, s, &m, 10)
	if !reflect.DeepEqual(m.Scene.Runs, s.scene.Runs) || len(m.Scene.Runs) != 2 || m.Scene.Chip.ID != s.RunID() {
		t.Errorf("after reset: %d runs, chip %d", len(m.Scene.Runs), m.Scene.Chip.ID)
	}
}

// Only new curve points travel: a snapshot for a page that holds the curve carries none
// of the old ones, nor the chip's structure.
func TestSnapshotSendsOnlyWhatIsNew(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=100")
	s.Start()
	for range 40 {
		frame(s, c)
	}
	var m page.Mirror
	full := snapshotOf(t, s, &m, 1)
	again := s.Snapshot(1, m.Have(false)).Append(nil)
	if n := len(s.curve.Queries); n < 3 || len(full)-len(again) < 3*8*n {
		t.Errorf("a page holding %d points: snapshot %d bytes, full %d", n, len(again), len(full))
	}
	if err := m.Apply(again); err != nil || !reflect.DeepEqual(m.Scene.Runs, s.scene.Runs) {
		t.Fatalf("apply: %v", err)
	}
	// A curve rewritten in the engine (thinned to every other point) reaches the page whole.
	thin := func(v []float64) []float64 {
		var out []float64
		for i := 0; i < len(v); i += 2 {
			out = append(out, v[i])
		}
		return out
	}
	s.curve.Queries, s.curve.Accuracy, s.curve.Power, s.curve.Valid = thin(s.curve.Queries), thin(s.curve.Accuracy), thin(s.curve.Power), thin(s.curve.Valid)
	s.curve.Kept = 1
	snapshotOf(t, s, &m, 2)
	if got := m.Scene.Runs[len(m.Scene.Runs)-1]; !reflect.DeepEqual(got, s.curve) {
		t.Errorf("a thinned curve: the page holds %v, the engine %v", got.Queries, s.curve.Queries)
	}
	// The kept point is of the whole curve: one that moves to a point the page holds
	// already travels in a snapshot that carries no new point.
	s.curve.Kept = len(s.curve.Queries) - 1
	delta := s.Snapshot(3, m.Have(false)).Append(nil)
	if err := m.Apply(delta); err != nil {
		t.Fatal(err)
	}
	if got := m.Scene.Runs[len(m.Scene.Runs)-1]; got.Kept != s.curve.Kept || len(got.Queries) != len(s.curve.Queries) {
		t.Errorf("kept point %d of %d, the engine's %d of %d", got.Kept, len(got.Queries), s.curve.Kept, len(s.curve.Queries))
	}
}

// The chart's kept marker is the engine's kept state: the curve's kept point is the record
// train.Run.Kept names (the best validation accuracy, the earliest of equals), the stats
// give its figures, and both reach the page; the marker moves as training finds a better
// validated state.
func TestSnapshotCarriesTheKeptState(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=100&seed=3")
	var m page.Mirror
	s.Start()
	moves := 0
	last := 0
	for range 200 {
		frame(s, c)
		snapshotOf(t, s, &m, 1)
		cur := m.Scene.Runs[len(m.Scene.Runs)-1]
		k, ok := cur.KeptAt()
		if !ok {
			t.Fatalf("after %d queries: no kept point (Kept %d of %d points)", s.Queries(), cur.Kept, len(cur.Queries))
		}
		best := 0 // the earliest point of best validation accuracy, as train keeps it
		for i, v := range cur.Valid {
			if v > cur.Valid[best] {
				best = i
			}
		}
		if k != best {
			t.Fatalf("after %d queries: kept point %d (valid %.2f), the best validated is %d (valid %.2f)", s.Queries(), k, cur.Valid[k], best, cur.Valid[best])
		}
		st := m.Stats
		if !st.Kept || float64(st.KeptQueries) != cur.Queries[k] || st.KeptAccuracy != cur.Accuracy[k] || st.KeptValid != cur.Valid[k] {
			t.Fatalf("stats kept %v at %d: %.2f (valid %.2f); the curve's point %d: %g queries, %.2f (valid %.2f)",
				st.Kept, st.KeptQueries, st.KeptAccuracy, st.KeptValid, k, cur.Queries[k], cur.Accuracy[k], cur.Valid[k])
		}
		if k != last {
			moves++
			last = k
		}
	}
	if moves == 0 {
		t.Errorf("the kept point never moved from the deployment in %d queries", s.Queries())
	}
}

// Every malformed snapshot is refused with an error (never a panic), and the mirror keeps
// its last good state.
func TestSnapshotMalformedIsRefused(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=50&view=network")
	s.Start()
	for range 20 {
		frame(s, c)
	}
	good := s.Snapshot(3, Have{}).Append(nil)
	var m page.Mirror
	if err := m.Apply(good); err != nil {
		t.Fatal(err)
	}
	kept := m.Stats
	le := binary.LittleEndian
	flip := func(off int, f func([]byte)) []byte {
		b := append([]byte(nil), good...)
		f(b[off:])
		return b
	}
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "not a meshlight snapshot"},
		{"bad magic", flip(0, func(b []byte) { b[0] = 'X' }), "not a meshlight snapshot"},
		{"newer version", flip(4, func(b []byte) { le.PutUint16(b, wire.Version+1) }), fmt.Sprintf("format version %d", wire.Version+1)},
		{"stats field count", flip(14, func(b []byte) { le.PutUint16(b, 3) }), "stats fields"},
		{"trailing byte", append(append([]byte(nil), good...), 0), "bytes after the end"},
	}
	for _, tc := range cases {
		var fresh page.Mirror
		err := fresh.Apply(tc.b)
		if err == nil || !strings.Contains(err.Error(), tc.want) || fresh.Received {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		if err := m.Apply(tc.b); err == nil {
			t.Errorf("%s: applied", tc.name)
		}
	}
	// Every truncation, and a flipped byte anywhere, fails cleanly or decodes consistently.
	for n := range len(good) {
		if err := m.Apply(good[:n]); err == nil {
			t.Fatalf("truncated at %d of %d: applied", n, len(good))
		}
	}
	for off := 0; off < len(good); off += 7 {
		b := flip(off, func(b []byte) { b[0] ^= 0xa5 })
		var fresh page.Mirror
		_ = fresh.Apply(b) // must not panic
	}
	if !reflect.DeepEqual(m.Stats, kept) || m.Seq != 3 {
		t.Errorf("the mirror changed after refused snapshots: seq %d", m.Seq)
	}
	// A page that holds no chip cannot take a snapshot without the chip's structure.
	var other page.Mirror
	err := other.Apply(s.Snapshot(4, Have{Run: s.RunID(), History: s.histVer}).Append(nil))
	if err == nil || !strings.Contains(err.Error(), "no structure for deployment") {
		t.Errorf("missing structure: %v", err)
	}
	// A kept point past the curve's points, of the current run or an earlier one.
	s.curve.Kept = len(s.curve.Queries) + 1
	if err := (&page.Mirror{}).Apply(s.Snapshot(4, Have{}).Append(nil)); err == nil || !strings.Contains(err.Error(), "kept point") {
		t.Errorf("a kept point past the curve: %v", err)
	}
	s.syncCurve()
	s.Reset()
	s.history[0].Kept = len(s.history[0].Queries) + 1
	if err := (&page.Mirror{}).Apply(s.Snapshot(4, Have{}).Append(nil)); err == nil || !strings.Contains(err.Error(), "kept point") {
		t.Errorf("an earlier run's kept point past its curve: %v", err)
	}
}

// FuzzMirrorApply: no input makes Apply panic, and a refused one leaves the mirror as it was.
func FuzzMirrorApply(f *testing.F) {
	st := testSite(f)
	s := NewSession("?speed=50", st.fetch)
	c := newClock()
	s.SetClock(c.now)
	ready(f, s, c)
	s.Start()
	for range 5 {
		c.add(16e6)
		s.Update()
	}
	s.Set(map[string]string{"view": "network"})
	s.Update()
	f.Add(s.Snapshot(1, Have{}).Append(nil))
	f.Add(s.Snapshot(2, Have{Devices: true}).Append(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		var m page.Mirror
		if err := m.Apply(b); err != nil && m.Received {
			t.Fatal("a refused snapshot changed the mirror")
		}
	})
}

// A snapshot asked for right after a command that deploys (reset, redeploy, a setting that
// needs a new run), before the engine's next tick, carries the new chip with the new run's
// curve: the page applies it.
func TestSnapshotRightAfterADeployment(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=60")
	var m page.Mirror
	snapshotOf(t, s, &m, 1)
	s.Start()
	for range 5 {
		frame(s, c)
	}
	snapshotOf(t, s, &m, 2)
	for i, deploy := range []func(){s.Reset, s.Redeploy, func() { s.Set(map[string]string{"p": "0.25"}) }} {
		run := s.RunID()
		deploy()
		if s.RunID() == run {
			t.Fatalf("command %d: no new deployment", i)
		}
		snapshotOf(t, s, &m, uint64(3+i)) // no tick in between
		if m.Scene.Chip == nil || m.Scene.Chip.ID != s.RunID() || m.Have(false).Run != s.RunID() {
			t.Errorf("command %d: the mirror holds run %d, the engine deployed %d", i, m.Have(false).Run, s.RunID())
		}
		frame(s, c)
		snapshotOf(t, s, &m, uint64(10+i))
	}
}

// The settings the page shows and the racers it starts come from the engine: a snapshot
// carries the settings as applied (every parameter, the query) and each racer's query, the
// race's settings with its own optimizer, which its engine parses back to RaceSettings.
func TestSnapshotCarriesSettingsAndRacers(t *testing.T) {
	for _, tc := range []struct {
		name, query string
		racers      []string
	}{
		{"no race", "seed=3", nil},
		{"a race", "race=flops,zadam&seed=3&alpha=0.3", []string{"flops", "zadam"}},
		{"booth mode's race", "booth=1&seed=3", []string{"szo-scd", "szo-scd-margin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSession(tc.query, testSite(t).fetch)
			sn := s.Snapshot(1, Have{})
			if sn.Settings.Query != s.Query() || sn.Settings.Get("seed") != "3" {
				t.Errorf("settings %+v, want the query %q and seed 3", sn.Settings, s.Query())
			}
			if got := sn.Settings.Get("booth"); got != map[bool]string{true: "1", false: "0"}[s.Settings().Booth] {
				t.Errorf("booth %q", got)
			}
			if len(sn.Race) != len(tc.racers) {
				t.Fatalf("racers %+v, want %v", sn.Race, tc.racers)
			}
			for i, r := range sn.Race {
				want, err := RaceSettings(s.Settings(), tc.racers[i])
				if err != nil {
					t.Fatal(err)
				}
				got, errs := ParseQuery(r.Query)
				if r.Optimizer != tc.racers[i] || len(errs) > 0 || got != want {
					t.Errorf("racer %d: %s %q (%v) parses to %+v, want %+v", i, r.Optimizer, r.Query, errs, got, want)
				}
			}
		})
	}
}

// TestSnapshotLayerTiles: a page that draws the shown layer's tiles (not asking for
// devices) gets each tile's shade, as its plan shades the tile from the devices and light
// it would otherwise be sent, and the layer's active count, but no device state or light,
// in a snapshot a fraction of the size.
func TestSnapshotLayerTiles(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=60")
	s.Start()
	for range 10 {
		frame(s, c)
	}
	var withDevices, tiles page.Mirror
	devices := s.Snapshot(1, withDevices.Have(true)).Append(nil)
	shades := s.Snapshot(1, tiles.Have(false)).Append(nil)
	if err := withDevices.Apply(devices); err != nil {
		t.Fatal(err)
	}
	if err := tiles.Apply(shades); err != nil {
		t.Fatal(err)
	}
	full, shaded := withDevices.Scene.Chip, tiles.Scene.Chip
	if len(shaded.DevPhase) != 0 || tiles.Scene.Light != nil {
		t.Fatalf("tiles only: %d device phases, light %v; want none", len(shaded.DevPhase), tiles.Scene.Light != nil)
	}
	if shaded.Active != countTrue(full.DevActive) || shaded.Active == 0 {
		t.Errorf("active devices %d, the devices say %d", shaded.Active, countTrue(full.DevActive))
	}
	plan, err := render.NewPlan(full.Layout, full.Layers, full.Layer, 1.5)
	if err != nil {
		t.Fatal(err)
	}
	for b := range plan.Tiles {
		want, ok := plan.Shade(b, full, withDevices.Scene.Light)
		got, ok2 := plan.Shade(b, shaded, nil)
		if !ok || !ok2 || math.Abs(got.Power-want.Power) > 1e-6 || math.Abs(got.Active-want.Active) > 1e-6 || math.Abs(got.Light-want.Light) > 1e-6 {
			t.Errorf("tile %d: shade %+v (%v), from the devices %+v (%v)", b, got, ok2, want, ok)
		}
	}
	if 2*len(shades) > len(devices) {
		t.Errorf("tiles only the snapshot is %d bytes, with devices %d: want less than half", len(shades), len(devices))
	}
	t.Logf("layer snapshot: %d bytes with tiles, %d with devices", len(shades), len(devices))
}

// countTrue is how many of v are true.
func countTrue(v []bool) int {
	n := 0
	for _, x := range v {
		if x {
			n++
		}
	}
	return n
}
