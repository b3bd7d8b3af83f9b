package canvas

import (
	"errors"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"testing"

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

// fixedSim is a Sim that only shows a scene.
type fixedSim struct{ sc *render.Scene }

func (f *fixedSim) Update() error        { return nil }
func (f *fixedSim) Scene() *render.Scene { return f.sc }

func testScene(t *testing.T) *render.Scene {
	t.Helper()
	l, err := photonics.NewSVDLayer(8, 8, 0, 0, photonics.Reck)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	phases := make([]float64, l.NumPhases())
	for i := range phases {
		phases[i] = rng.Float64() * 2 * math.Pi
	}
	signs := make([]float64, l.NumSigns())
	for i := range signs {
		signs[i] = float64(1 - 2*rng.IntN(2))
	}
	chip, err := photonics.Deploy([]*photonics.SVDLayer{l}, [][]float64{phases}, [][]float64{signs},
		photonics.ChipConfig{Alpha: 0.5, Noise: photonics.DefaultNoise(), Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, 8)
	for i := range x {
		x[i] = rng.Float64()
	}
	// The scene as the engine fills it: plain copies of the chip's state, and the light.
	cs := render.NewChipState(1, chip.Layers())
	cs.Fill(chip, 0)
	light, err := render.NewLight(l, cs.DevEffective, chip.Signs(0), x)
	if err != nil {
		t.Fatal(err)
	}
	return &render.Scene{Title: "test", Status: "paused", Chip: cs, Crosstalk: 2e-3, Version: 1, LayerInput: x, Light: light, Ready: true,
		Sample:   render.Sample{Shape: [3]int{1, 2, 4}, X: []float32{0, .1, .2, .3, .4, .5, .6, 1}, Label: 1},
		Scores:   []float64{0.1, 0.7, 0.2},
		Runs:     []render.Run{{Queries: []float64{0, 100, 200}, Accuracy: []float64{50, 60, 55}, Power: []float64{30, 28, 27}}, {Queries: []float64{0, 100}, Accuracy: []float64{50, 70}, Power: []float64{30, 20}}},
		Readouts: render.Readouts{Deployed: 50, Accuracy: 70, Best: 70, Queries: 100, Power: 20, FullPower: 60, Energy: 500}}
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

// Drawing a scene paints every active heater in its phase's ramp colour and every passive
// MZI in the passive colour, at the positions the plan and view give.
func TestDrawHeatersAndPassiveDevices(t *testing.T) {
	sc := testScene(t)
	g := NewGame(&fixedSim{sc})
	const w, h = 800, 600
	g.Layout(w, h)
	g.w, g.h, g.scale = w, h, 1 // whatever the test page's device scale
	screen := ebiten.NewImage(w, h)
	g.Draw(screen)
	if g.plan == nil || g.light == nil {
		t.Fatalf("no plan (%v) or light", g.planErr)
	}
	pix := pixels(screen)
	var heaters, passive int
	for _, d := range g.plan.Devices {
		c := at(pix, w, g.view.Apply(d.Heater))
		switch {
		case d.Site.Part == photonics.PartSigma || sc.Chip.IsActive(d.Global):
			// halos add a little light on top of the heater colour
			if !close(c, render.PhaseHeat(sc.Chip.Phase(d.Global)), 40) {
				t.Errorf("active device %d: pixel %v, want about %v", d.Global, c, render.PhaseHeat(sc.Chip.Phase(d.Global)))
			}
			heaters++
		default:
			edge := g.view.Apply(render.Pt(d.Rect.X0+0.1, d.Rect.Y0+0.1))
			if !close(at(pix, w, edge), render.Passive, 40) {
				t.Errorf("passive device %d: pixel %v, want about %v", d.Global, at(pix, w, edge), render.Passive)
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

// Zooming at the cursor keeps the device under it in place; drawing shows the scene's light
// (the engine's), never its own.
func TestViewAndLightFollowTheScene(t *testing.T) {
	sc := testScene(t)
	g := NewGame(&fixedSim{sc})
	g.Layout(640, 480)
	g.w, g.h, g.scale = 640, 480, 1
	screen := ebiten.NewImage(640, 480)
	g.Draw(screen)
	d := g.plan.Devices[len(g.plan.Devices)/2]
	at := g.view.Apply(d.Heater)
	g.view = g.view.ZoomAt(at, 0.9*g.maxScale()/g.fit.Scale).Clamp(g.fit, g.plan.Bounds, g.planArea(), g.maxScale())
	g.zoomed = true
	g.Draw(screen)
	if r := g.view.ApplyRect(g.plan.Bounds); r.W() < g.planArea().W() || r.H() < g.planArea().H() {
		t.Fatalf("zoomed plan %v does not cover the area %v", r, g.planArea())
	}
	if p := g.view.Apply(d.Heater); math.Hypot(p.X-at.X, p.Y-at.Y) > 1e-6 {
		t.Errorf("zoom moved the device from %v to %v", at, p)
	}
	if g.light != sc.Light {
		t.Error("drawing does not show the scene's light")
	}
	next := *sc.Light
	sc.Light, sc.Version = &next, sc.Version+1
	g.Draw(screen)
	if g.light != &next {
		t.Error("drawing does not follow the scene's new light")
	}
}
