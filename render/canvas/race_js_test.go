package canvas

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/render"
)

// raceScene is a race of two lanes on testScene's chip, as the page fills it.
func raceScene(t *testing.T) *render.Scene {
	t.Helper()
	one := testScene(t)
	race := &render.Race{Leader: -1, Rule: "leader: best test accuracy at an equal query budget"}
	for i, name := range []string{"szo-scd", "flops"} {
		race.Lanes = append(race.Lanes, render.Lane{Name: name, Colour: render.RaceColour(i), Status: "paused",
			Chip: one.Chip, Light: one.Light, Version: 1, Run: one.Runs[1], Readouts: one.Readouts, Standing: math.NaN()})
	}
	return &render.Scene{Title: "test", Status: "paused", Ready: true, Race: race}
}

// Hovering a lane's device describes it as the layer view does, naming the racer, and
// outlines it; the tooltip is drawn over the cached picture, which stays as it was and is
// not redrawn for it, and leaves no trace once the cursor moves off. The wheel zooms every
// lane alike: each shows the same device at the same place, and draws only what is in view.
func TestRaceHoverAndZoom(t *testing.T) {
	sc := raceScene(t)
	const w, h = 800, 600
	d := drive(t, sc, w, h)
	g := d.g
	away := render.Pt(2, h-2)
	plain := d.frame(input{cursor: away})
	rv := &g.race
	if len(rv.planned) != 2 || rv.planned[0] == nil || rv.planned[1] == nil || g.Zoom() != 1 {
		t.Fatalf("lanes not planned (%v), or zoom %g", rv.planned, g.Zoom())
	}
	for i, l := range rv.lanes {
		if len(l.tiles) != len(l.plan.Tiles) || len(l.devices) != len(l.plan.Devices) {
			t.Errorf("fitted: lane %d shows %d of %d tiles, %d of %d devices", i, len(l.tiles), len(l.plan.Tiles), len(l.devices), len(l.plan.Devices))
		}
	}
	painted := rv.at

	p := rv.planned[1]
	mid := len(p.Devices) / 2
	cur := rv.layout.Lane(rv.view, 1).Apply(p.Devices[mid].Heater)
	hovered := d.frame(input{cursor: cur})
	if rv.hover != (laneHit{1, hit{p.Devices[mid].Site.Block, mid}}) {
		t.Fatalf("hover %v, want lane 1 device %d", rv.hover, mid)
	}
	chip := sc.Race.Lanes[1].Chip
	if want := "flops · " + chip.DeviceInfo(p.Devices[mid]); g.Hover() != want || !strings.Contains(want, " rad") {
		t.Errorf("tooltip %q, want %q", g.Hover(), want)
	}
	if bytes.Equal(hovered, plain) {
		t.Error("no tooltip drawn")
	}
	if !bytes.Equal(pixels(rv.img), plain) || rv.at != painted {
		t.Error("the tooltip repainted the cached picture")
	}
	if again := d.frame(input{cursor: away}); !bytes.Equal(again, plain) || g.Hover() != "" {
		t.Errorf("the tooltip left a trace (hover %q)", g.Hover())
	}

	// The wheel at the device in lane 1 zooms 3x there; lane 0 shows it at the same place.
	pix := d.frame(input{cursor: cur, wheel: math.Log(3) / math.Log(1.15)})
	if z := g.Zoom(); math.Abs(z-3) > 1e-9 {
		t.Errorf("zoom %g after zooming 3x", z)
	}
	if rv.at == painted {
		t.Error("zooming did not repaint the lanes")
	}
	want := render.PhaseHeat(chip.Phase(p.Devices[mid].Global))
	for i := range 2 {
		s := rv.layout.Lane(rv.view, i).Apply(p.Devices[mid].Heater)
		if c := at(pix, w, s); !close(c, want, 40) {
			t.Errorf("lane %d: the device's heater at %v is %v, want about %v", i, s, c, want)
		}
		if l := rv.lanes[i]; len(l.devices) == 0 || len(l.devices) >= len(l.plan.Devices) || !slices.Contains(l.devices, mid) {
			t.Errorf("zoomed: lane %d draws %d of %d devices (device %d among them: %v)", i, len(l.devices), len(l.plan.Devices), mid, slices.Contains(l.devices, mid))
		}
	}
	for i := range 2 {
		if d.frame(input{cursor: rv.layout.Lane(rv.view, i).Apply(p.Devices[mid].Heater)}); rv.hover != (laneHit{i, hit{p.Devices[mid].Site.Block, mid}}) {
			t.Errorf("zoomed: hover %v over lane %d's device %d", rv.hover, i, mid)
		}
	}
	// F fits every lane again; closing the race drops its lanes, so the next starts fitted.
	d.frame(input{cursor: away, fit: true})
	if g.Zoom() != 1 || len(rv.lanes[0].devices) != len(p.Devices) {
		t.Errorf("F: zoom %g, %d of %d devices in view", g.Zoom(), len(rv.lanes[0].devices), len(p.Devices))
	}
	d.frame(input{cursor: cur, wheel: 4})
	race := sc.Race
	sc.Race, sc.Chip = nil, race.Lanes[0].Chip
	d.frame(input{cursor: away})
	if rv.open || len(rv.lanes) != 0 || g.shown != shownLayer {
		t.Errorf("race closed: open %v, %d lanes, view %d", rv.open, len(rv.lanes), g.shown)
	}
	sc.Race = race
	d.frame(input{cursor: away})
	if g.Zoom() != 1 || !rv.open {
		t.Errorf("race opened again: zoom %g, open %v", g.Zoom(), rv.open)
	}
}
