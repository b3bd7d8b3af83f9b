package canvas

import (
	"errors"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
)

// The tests of this file draw with ebiten, so they run inside a game loop in a real browser
// (make test-render: go test -exec wasmbrowsertest). TestMain starts the loop and runs the
// tests from the first Update, where drawing and reading pixels are allowed.
func TestMain(m *testing.M) {
	code := 0
	ebiten.SetRunnableOnUnfocused(true)
	err := ebiten.RunGame(&testLoop{run: func() { code = m.Run() }})
	if err != nil && !errors.Is(err, ebiten.Termination) {
		panic(err)
	}
	os.Exit(code)
}

type testLoop struct{ run func() }

func (l *testLoop) Update() error              { l.run(); return ebiten.Termination }
func (l *testLoop) Draw(*ebiten.Image)         {}
func (l *testLoop) Layout(int, int) (int, int) { return 64, 64 }

func testScene(t *testing.T) *render.Scene {
	t.Helper()
	l, err := photonics.NewSVDLayer(8, 8, 0, 0, photonics.Reck)
	if err != nil {
		t.Fatal(err)
	}
	cs, x, light := chipScene(t, l, rand.New(rand.NewPCG(5, 6)), 0.5, 1)
	return &render.Scene{Title: "test", Status: "paused", Chip: cs, Crosstalk: 2e-3, Version: 1, LayerInput: x, Light: light, Ready: true,
		Sample:   render.Sample{Shape: [3]int{1, 2, 4}, X: []float32{0, .1, .2, .3, .4, .5, .6, 1}, Label: 1},
		Scores:   []float64{0.1, 0.7, 0.2},
		Runs:     []render.Run{{Queries: []float64{0, 100, 200}, Accuracy: []float64{50, 60, 55}, Power: []float64{30, 28, 27}}, {Queries: []float64{0, 100}, Accuracy: []float64{50, 70}, Power: []float64{30, 20}}},
		Readouts: render.Readouts{Deployed: 50, Accuracy: 70, Best: 70, Queries: 100, Power: 20, FullPower: 60, Energy: 500}}
}

// chipScene deploys l alone with random phases and signs from rng and a fraction alpha of
// its U/V phases active, and returns what the engine fills a scene with: the chip's state
// (named id), a random input and its light.
func chipScene(t *testing.T, l *photonics.SVDLayer, rng *rand.Rand, alpha float64, id uint64) (*render.ChipState, []float64, *render.Light) {
	t.Helper()
	phases := make([]float64, l.NumPhases())
	for i := range phases {
		phases[i] = rng.Float64() * 2 * math.Pi
	}
	signs := make([]float64, l.NumSigns())
	for i := range signs {
		signs[i] = float64(1 - 2*rng.IntN(2))
	}
	chip, err := photonics.Deploy([]*photonics.SVDLayer{l}, [][]float64{phases}, [][]float64{signs},
		photonics.ChipConfig{Alpha: alpha, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise()}, Truncate: photonics.DefaultTruncate, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, l.In)
	for i := range x {
		x[i] = rng.Float64()
	}
	cs := render.NewChipState(id, chip.Layers())
	cs.Fill(chip, 0)
	light, err := render.NewLight(l, cs.DevEffective, chip.Signs(0), x)
	if err != nil {
		t.Fatal(err)
	}
	return cs, x, light
}

func pixels(img *ebiten.Image) []byte {
	b := img.Bounds()
	pix := make([]byte, 4*b.Dx()*b.Dy())
	img.ReadPixels(pix)
	return pix
}

func at(pix []byte, w int, p render.Point) color.RGBA {
	i := 4 * (int(p.Y)*w + int(p.X))
	return color.RGBA{pix[i], pix[i+1], pix[i+2], pix[i+3]}
}

func close(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) int { return int(math.Abs(float64(x) - float64(y))) }
	return d(a.R, b.R) <= tol && d(a.G, b.G) <= tol && d(a.B, b.B) <= tol
}

// driver runs a Game as ebiten does, one frame at a time (Update with made-up input, then
// Draw), on a screen of its own at one pixel per CSS pixel, whatever the test page's.
type driver struct {
	t      *testing.T
	g      *Game
	sc     *render.Scene // the scene every frame shows
	screen *ebiten.Image
	clock  time.Time
}

func drive(t *testing.T, sc *render.Scene, w, h int) *driver {
	t.Helper()
	g := NewGame()
	g.Layout(w, h)
	g.w, g.h, g.scale, g.final, g.full = w, h, 1, 1, 1
	return &driver{t: t, g: g, sc: sc, screen: ebiten.NewImage(w, h), clock: g.start}
}

// frame runs a frame a second after the last (long enough for any cached picture whose
// figures changed to be redrawn, and for a press to be no double click) and returns the
// screen's pixels.
func (d *driver) frame(in input) []byte { return d.frameAfter(time.Second, in) }

// frameAfter runs a frame dt after the last.
func (d *driver) frameAfter(dt time.Duration, in input) []byte {
	d.t.Helper()
	d.clock = d.clock.Add(dt)
	in.at = d.clock
	d.g.update(in, d.sc)
	d.g.Draw(d.screen)
	return pixels(d.screen)
}

// resize changes the screen's size as Layout does, with a new screen image as ebiten gives.
func (d *driver) resize(w, h int) {
	d.g.w, d.g.h = w, h
	d.screen = ebiten.NewImage(w, h)
}

// Drawing a scene paints every active heater in its phase's ramp colour and every passive
// MZI in the passive colour, at the positions the plan and view give.
func TestDrawHeatersAndPassiveDevices(t *testing.T) {
	sc := testScene(t)
	const w, h = 800, 600
	d := drive(t, sc, w, h)
	pix := d.frame(input{cursor: render.Pt(2, h-2)})
	lv := &d.g.layer
	if lv.plan == nil || lv.light == nil {
		t.Fatalf("no plan (%v) or light", lv.err)
	}
	var heaters, passive int
	for _, dev := range lv.plan.Devices {
		c := at(pix, w, lv.view.Apply(dev.Heater))
		switch {
		case dev.Site.Part == photonics.PartSigma || sc.Chip.IsActive(dev.Global):
			// halos add a little light on top of the heater colour
			if !close(c, render.PhaseHeat(sc.Chip.Phase(dev.Global)), 40) {
				t.Errorf("active device %d: pixel %v, want about %v", dev.Global, c, render.PhaseHeat(sc.Chip.Phase(dev.Global)))
			}
			heaters++
		default:
			edge := lv.view.Apply(render.Pt(dev.Rect.X0+0.1, dev.Rect.Y0+0.1))
			if !close(at(pix, w, edge), render.Passive, 40) {
				t.Errorf("passive device %d: pixel %v, want about %v", dev.Global, at(pix, w, edge), render.Passive)
			}
			passive++
		}
	}
	if heaters == 0 || passive == 0 {
		t.Errorf("%d active and %d passive devices checked", heaters, passive)
	}
	// Many distinct colours: light, heaters, charts, text.
	colours := map[[3]uint8]bool{}
	for i := 0; i < len(pix); i += 4 {
		colours[[3]uint8{pix[i] >> 4, pix[i+1] >> 4, pix[i+2] >> 4}] = true
	}
	if len(colours) < 60 {
		t.Errorf("only %d distinct colours", len(colours))
	}
}

// In the layer view, Update does it all: the cursor over a device hovers it, the wheel
// zooms at the cursor (the device stays under it, only the devices in view are drawn), a
// drag pans, a double click and F fit, the wheel elsewhere does nothing; and the light is
// the scene's (the engine's), never the view's own.
func TestLayerViewFollowsTheInputAndTheScene(t *testing.T) {
	sc := testScene(t)
	const w, h = 640, 480
	d := drive(t, sc, w, h)
	g, lv := d.g, &d.g.layer
	away := render.Pt(2, h-2)
	d.frame(input{cursor: away})
	if lv.plan == nil || g.Zoom() != 1 || len(lv.devices) != len(lv.plan.Devices) || lv.hover != noHit {
		t.Fatalf("fitted: plan %v, zoom %g, %d devices in view, hover %v", lv.plan != nil, g.Zoom(), len(lv.devices), lv.hover)
	}
	mid := len(lv.plan.Devices) / 2
	dev := lv.plan.Devices[mid]
	cur := lv.view.Apply(dev.Heater)
	d.frame(input{cursor: cur})
	if lv.hover != (hit{dev.Site.Block, mid}) || g.Hover() != sc.Chip.DeviceInfo(dev) || g.Hover() == "" {
		t.Errorf("over device %d: hover %v, tooltip %q", mid, lv.hover, g.Hover())
	}

	// Wheel steps to 0.9 of the largest zoom (beyond it the zoom stops, at the area's centre).
	steps := math.Log(0.9*g.maxScale()/lv.fit.Scale) / math.Log(1.15)
	pix := d.frame(input{cursor: cur, wheel: steps})
	if z := g.Zoom(); math.Abs(z-math.Pow(1.15, steps)) > 1e-9 || !lv.zoomed {
		t.Fatalf("zoom %g after %.1f wheel steps", z, steps)
	}
	if p := lv.view.Apply(dev.Heater); math.Hypot(p.X-cur.X, p.Y-cur.Y) > 1e-6 {
		t.Errorf("zoom moved the device from %v to %v", cur, p)
	}
	if r := lv.view.ApplyRect(lv.plan.Bounds); r.W() < g.planArea().W() || r.H() < g.planArea().H() {
		t.Errorf("zoomed plan %v does not cover the area %v", r, g.planArea())
	}
	if n := len(lv.devices); n == 0 || n >= len(lv.plan.Devices) || !slices.Contains(lv.devices, mid) {
		t.Errorf("zoomed in: %d of %d devices in view (device %d among them: %v)", n, len(lv.plan.Devices), mid, slices.Contains(lv.devices, mid))
	}
	if c, want := at(pix, w, cur), render.PhaseHeat(sc.Chip.Phase(dev.Global)); (dev.Site.Part == photonics.PartSigma || sc.Chip.IsActive(dev.Global)) && !close(c, want, 40) {
		t.Errorf("zoomed: the device's heater is %v, want about %v", c, want)
	}
	if lv.hover.device != mid {
		t.Errorf("zoomed: hover %v, want device %d", lv.hover, mid)
	}

	// A drag pans by the cursor's moves (within the plan's bounds); nothing is hovered meanwhile.
	before := lv.view
	d.frame(input{cursor: cur, press: true, held: true})
	d.frame(input{cursor: render.Pt(cur.X+30, cur.Y+20), held: true})
	want := before.Pan(30, 20).Clamp(lv.fit, lv.plan.Bounds, g.planArea(), g.maxScale())
	if lv.view != want || want == before || !g.dragging || lv.hover != noHit {
		t.Errorf("dragged: view %+v, want %+v (before %+v); dragging %v, hover %v", lv.view, want, before, g.dragging, lv.hover)
	}
	d.frame(input{cursor: render.Pt(cur.X+30, cur.Y+20)})
	if g.dragging {
		t.Error("still dragging after the button went up")
	}

	// A double click fits; so does F after a zoom. The wheel over the charts zooms nothing.
	d.frame(input{cursor: cur, press: true, held: true})
	d.frameAfter(100*time.Millisecond, input{cursor: cur})
	d.frameAfter(100*time.Millisecond, input{cursor: cur, press: true, held: true})
	if g.Zoom() != 1 || lv.zoomed {
		t.Errorf("double click: zoom %g, zoomed %v", g.Zoom(), lv.zoomed)
	}
	d.frame(input{cursor: cur, wheel: 3})
	d.frame(input{cursor: cur, fit: true})
	if g.Zoom() != 1 || lv.zoomed {
		t.Errorf("F: zoom %g, zoomed %v", g.Zoom(), lv.zoomed)
	}
	d.frame(input{cursor: g.regions.Accuracy.Center(), wheel: 5})
	if g.Zoom() != 1 {
		t.Errorf("the wheel over a chart zoomed the mesh to %g", g.Zoom())
	}

	if lv.light != sc.Light {
		t.Error("the view does not show the scene's light")
	}
	next := *sc.Light
	sc.Light, sc.Version = &next, sc.Version+1
	d.frame(input{cursor: away})
	if lv.light != &next {
		t.Error("the view does not follow the scene's new light")
	}
}

// Draw copes with a frame that Update did not prepare: before the first Update, and after
// Layout changed the screen's size, it shows the background (nothing laid out for another
// size); the next frame shows the view laid out for the new size.
func TestDrawWaitsForUpdateOnANewScreen(t *testing.T) {
	sc := testScene(t)
	d := drive(t, sc, 800, 600)
	g := d.g
	background := func(what string) {
		t.Helper()
		pix := pixels(d.screen)
		w := d.screen.Bounds().Dx()
		for _, p := range []render.Point{render.Pt(1, 1), render.Pt(float64(w)/2, 200), render.Pt(float64(w)-2, float64(d.screen.Bounds().Dy())-2)} {
			if c := at(pix, w, p); !close(c, render.Background, 0) {
				t.Errorf("%s: pixel %v at %v, want the background", what, c, p)
			}
		}
	}
	g.Draw(d.screen)
	background("before the first Update")
	d.frame(input{})
	old := g.layer.view
	d.resize(500, 700)
	g.Draw(d.screen)
	background("after a resize, before Update")
	if g.layer.view != old || g.regions.Mesh.W() != 800 {
		t.Errorf("Draw laid the view out (mesh %v)", g.regions.Mesh)
	}
	pix := d.frame(input{})
	lv := &g.layer
	if g.regions.Mesh.W() != 500 || lv.area != g.planArea() || lv.view != render.Fit(lv.plan.Bounds, g.planArea(), 4) {
		t.Errorf("after Update: mesh %v, zoom area %v, view %+v", g.regions.Mesh, lv.area, lv.view)
	}
	for _, dev := range lv.plan.Devices {
		if dev.Site.Part == photonics.PartSigma || sc.Chip.IsActive(dev.Global) {
			if c, want := at(pix, 500, lv.view.Apply(dev.Heater)), deviceColour(sc.Chip, dev); !close(c, want, 40) {
				t.Errorf("after Update: device %d's heater is %v, want about %v", dev.Global, c, want)
			}
			break
		}
	}
}

// The accuracy chart marks the current run's kept state, in its colour, and only there: the
// same scene with and without a kept point differs in the accuracy chart alone.
func TestDrawKeptMarker(t *testing.T) {
	const w, h = 800, 600
	frameOf := func(kept int) ([]byte, *Game) {
		sc := testScene(t)
		sc.Runs[len(sc.Runs)-1].Kept = kept
		d := drive(t, sc, w, h)
		return d.frame(input{cursor: render.Pt(2, h-2)}), d.g
	}
	without, _ := frameOf(0)
	with, g := frameOf(2) // the current run's second point, 70 %
	acc, pow := g.regions.Accuracy, g.regions.Power
	var inChart, accent, elsewhere int
	for y := range h {
		for x := range w {
			p := render.Pt(float64(x), float64(y))
			a, b := at(without, w, p), at(with, w, p)
			if a == b {
				continue
			}
			switch {
			case acc.Contains(p):
				inChart++
				if close(b, render.Accent, 40) {
					accent++
				}
			case pow.Contains(p):
				elsewhere++
			}
		}
	}
	if inChart < 30 || accent < 10 || elsewhere != 0 {
		t.Errorf("the kept marker changed %d pixels of the accuracy chart (%d in the run's colour) and %d of the power chart; want a marker and label in the accuracy chart alone",
			inChart, accent, elsewhere)
	}
}
