package canvas

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

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
// not redrawn for it, and leaves no trace once the cursor moves off. Zoomed, every lane
// shows the same device at the same place.
func TestRaceHoverAndZoom(t *testing.T) {
	sc := raceScene(t)
	g := NewGame(&fixedSim{sc})
	const w, h = 800, 600
	g.Layout(w, h)
	g.w, g.h, g.scale = w, h, 1
	screen := ebiten.NewImage(w, h)
	frame := func(cursor render.Point) []byte { // what Update leaves, then Draw
		g.cursor = cursor
		g.prepareRace(sc)
		g.Draw(screen)
		g.t += 1 // a figure change could repaint now; the scene has none
		return pixels(screen)
	}
	away := render.Pt(2, h-2)
	plain := frame(away)
	rv := &g.race
	if len(rv.planned) != 2 || rv.planned[0] == nil || rv.planned[1] == nil || g.Zoom() != 1 {
		t.Fatalf("lanes not planned (%v), or zoom %g", rv.planned, g.Zoom())
	}
	painted := rv.at

	p := rv.planned[1]
	mid := len(p.Devices) / 2
	cur := rv.layout.Lane(rv.view, 1).Apply(p.Devices[mid].Heater)
	hovered := frame(cur)
	if rv.hover != [2]int{1, mid} {
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
	if again := frame(away); !bytes.Equal(again, plain) || g.Hover() != "" {
		t.Errorf("the tooltip left a trace (hover %q)", g.Hover())
	}

	// Zoom at the device in lane 1, as the wheel does; lane 0 shows it at the same place.
	_, q := rv.layout.At(cur)
	rv.view, rv.zoomed = rv.view.ZoomAt(q, 3).Clamp(rv.fit, rv.content, rv.layout.Frame, g.maxScale()), true
	pix := frame(away)
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
	}
	for i := range 2 {
		if frame(rv.layout.Lane(rv.view, i).Apply(p.Devices[mid].Heater)); rv.hover != [2]int{i, mid} {
			t.Errorf("zoomed: hover %v over lane %d's device %d", rv.hover, i, mid)
		}
	}
}
