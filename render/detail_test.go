package render

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
)

// sameChip is one chip state seen both ways: the layer view's (a ChipState of layer li and
// its light) and the network view's (a Network whose layers carry the same phases, activity
// and light, aggregated as the engine does).
type sameChip struct {
	layers []*photonics.SVDLayer
	lay    *photonics.Layout
	net    *Network
	chips  []*ChipState // chips[li] holds layer li's device state
	lights []*Light
}

func newSameChip(t *testing.T, shapes ...[3]int) *sameChip {
	t.Helper()
	c := &sameChip{layers: testLayers(t, photonics.Reck, shapes...)}
	c.lay = photonics.NewLayout(c.layers)
	ls, err := NewNetLayers(c.lay, c.layers)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for li, l := range c.layers {
		phases, signs := randomProgram(rng, l)
		x := make([]float64, l.In)
		for i := range x {
			x[i] = rng.Float64()
		}
		light, err := NewLight(l, phases, signs, x)
		if err != nil {
			t.Fatal(err)
		}
		active := make([]bool, len(phases))
		for d := range active {
			active[d] = rng.Float64() < 0.3
		}
		if li == 0 { // a block with no active device, and one all active
			per := l.BlockPhases()
			clear(active[:per])
			for d := per; d < 2*per && d < len(active); d++ {
				active[d] = true
			}
		}
		cs := NewChipState(1, c.layers)
		cs.Layer, cs.Offset = li, c.lay.LayerOffset(li)
		cs.DevPhase, cs.DevEffective, cs.DevActive = phases, phases, active
		c.chips, c.lights = append(c.chips, cs), append(c.lights, light)
		nl := &ls[li]
		nl.Phase, nl.Effective, nl.Active, nl.Light = phases, phases, active, *light
		BlockAggregates(nl)
	}
	c.net = &Network{Layers: ls}
	return c
}

// A tile of the layer view zoomed out is the network view's tile of the same block: the
// same shade (mean active power, active share, light: one function computes both), so the
// same colours, and the same tooltip but for the layer the network view names.
func TestPlanShadeIsTheNetworkViews(t *testing.T) {
	for name, shapes := range map[string][][3]int{"mnist8": netShapes["mnist8"], "ragged": netShapes["ragged"]} {
		c := newSameChip(t, shapes...)
		for li := range c.layers {
			p, err := NewPlan(c.lay, c.layers, li, 2)
			if err != nil {
				t.Fatal(err)
			}
			nl := &c.net.Layers[li]
			for b := range p.Tiles {
				got, ok := p.Shade(b, c.chips[li], c.lights[li])
				want, wok := nl.Shade(b)
				if !ok || !wok || got != want {
					t.Fatalf("%s layer %d block %d: layer view shade %+v (%v), network view %+v (%v)", name, li, b, got, ok, want, wok)
				}
				if got.Colour() != want.Colour() || got.LightColour() != want.LightColour() {
					t.Errorf("%s layer %d block %d: colours differ", name, li, b)
				}
				info, netInfo := p.BlockInfo(b, got), c.net.BlockInfo(li, b)
				if info == "" || !strings.HasSuffix(netInfo, " · "+info) {
					t.Errorf("%s layer %d block %d: tooltip %q, the network view's %q", name, li, b, info, netInfo)
				}
			}
			if li == 0 && name == "mnist8" {
				none, _ := p.Shade(0, c.chips[0], c.lights[0])
				all, _ := p.Shade(1, c.chips[0], c.lights[0])
				if none.Active != 0 || none.Power != 0 || all.Active != 1 || !(all.Power > 0) || !(all.Light > 0) {
					t.Errorf("a block without active devices %+v, one all active %+v", none, all)
				}
				if none.Colour() == all.Colour() {
					t.Error("an idle block and a busy one look alike")
				}
			}
			// Another layer's state, or no chip, shades nothing.
			other := c.chips[(li+1)%len(c.chips)]
			if _, ok := p.Shade(0, other, c.lights[li]); ok && len(c.chips) > 1 {
				t.Errorf("%s layer %d shaded from layer %d's state", name, li, other.Layer)
			}
			if _, ok := p.Shade(0, nil, nil); ok {
				t.Errorf("%s layer %d shaded without a chip", name, li)
			}
			if _, ok := p.Shade(len(p.Tiles), c.chips[li], nil); ok {
				t.Errorf("%s layer %d: a tile past the last shaded", name, li)
			}
			if s, ok := p.Shade(0, c.chips[li], nil); !ok || s.Light != 0 {
				t.Errorf("%s layer %d: without light, shade %+v", name, li, s)
			}
		}
	}
}

// The layer view and the network view decide alike when devices are drawn: at every scale,
// Plan.Shown lists devices exactly when NetPlan.Visible does (DetailAt, for both).
func TestPlanDetailIsTheNetworkViews(t *testing.T) {
	c := newSameChip(t, netShapes["mnist8"]...)
	p, err := NewPlan(c.lay, c.layers, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	np, err := NewNetPlan(c.net, 2)
	if err != nil {
		t.Fatal(err)
	}
	screen := R(0, 0, 800, 400)
	threshold := MinDevicePixels / mziWidth
	for _, s := range []float64{0.5, 2, threshold * 0.999, threshold, threshold * 1.001, 10, 30} {
		// Each view at scale s, centred on the first tile of the plan it shows.
		view := func(at Point) Transform {
			return Transform{Scale: s, DX: screen.Center().X - at.X*s, DY: screen.Center().Y - at.Y*s}
		}
		detail, tiles, devices := p.Shown(view(p.Tiles[0].Rect.Center()), screen, nil, nil)
		_, items := np.Visible(c.net, view(np.Tiles[0].Rect.Center()), screen, nil, nil)
		netDevices := slices.ContainsFunc(items, func(it Item) bool { return it.Device >= 0 })
		if detail != DetailAt(s) || (len(devices) > 0) != (detail == DetailDevices) || netDevices != (detail == DetailDevices) || len(tiles) == 0 {
			t.Errorf("scale %g: layer view %v with %d tiles and %d devices; the network view draws devices: %v", s, detail, len(tiles), len(devices), netDevices)
		}
	}
}

// pageArea is where the page fits a layer's plan on a canvas of w x h CSS pixels at one
// device pixel each, as render/canvas lays it out: the mesh region below its caption line.
func pageArea(w, h float64) Rect {
	m := Arrange(w, h, 1).Mesh
	return R(m.X0, m.Y0+16, m.X1, m.Y1)
}

// The fitted layer view of the 26,624-phase MNIST 28x28 MLP's first layer draws at most one
// item per block, its tiles, however many devices it has: on the page's canvas beside the
// panel, on a wide screen and on a narrow one, and at every zoom below the device threshold.
// Zoomed in past it, devices appear, only as many as the screen holds.
func TestPlanShownFittedMNIST28IsItsBlocks(t *testing.T) {
	layers := testLayers(t, photonics.Reck, netShapes["mnist28"]...)
	lay := photonics.NewLayout(layers)
	for _, size := range [][2]float64{{776, 640}, {1920, 1080}, {400, 640}} {
		area := pageArea(size[0], size[1])
		p, err := NewPlan(lay, layers, 0, math.Round(area.W()/area.H()*8)/8)
		if err != nil {
			t.Fatal(err)
		}
		fit := Fit(p.Bounds, area, 4)
		detail, tiles, devices := p.Shown(fit, area, nil, nil)
		if detail != DetailTiles || len(devices) != 0 || len(tiles) != len(p.Tiles) || len(tiles) > layers[0].NumBlocks() {
			t.Errorf("%v fitted (%.2f px/unit): %v, %d tiles and %d devices for %d blocks", size, fit.Scale, detail, len(tiles), len(devices), layers[0].NumBlocks())
		}
		sawDevices := false
		for f := 1.0; f < 40; f *= 1.3 {
			v := fit.ZoomAt(area.Center(), f).Clamp(fit, p.Bounds, area, 40)
			detail, tiles, devices = p.Shown(v, area, tiles[:0], devices[:0])
			switch detail {
			case DetailTiles:
				if len(devices) != 0 || len(tiles) > len(p.Tiles) {
					t.Errorf("%v zoom %.1f: %d tiles and %d devices zoomed out", size, f, len(tiles), len(devices))
				}
			case DetailDevices:
				sawDevices = true
				// A Sigma shifter, the smallest body, covers (0.64 scale)^2 pixels: the
				// area cannot show many more devices than it holds such bodies.
				if limit := 4 * area.W() * area.H() / math.Pow(0.64*v.Scale, 2); len(devices) == 0 || float64(len(devices)) > limit {
					t.Errorf("%v zoom %.1f: %d devices on an area that holds about %.0f", size, f, len(devices), limit)
				}
			}
		}
		if !sawDevices {
			t.Errorf("%v: no zoom showed devices", size)
		}
	}
}

// The small shipped models keep their devices in the fitted layer view on the page's canvas
// beside the panel (the default look): the device threshold lies below their MZIs' width.
func TestPlanShownFittedSmallModelsShowDevices(t *testing.T) {
	area := pageArea(776, 640)
	for _, name := range []string{"mnist8", "vowel"} {
		shapes := netShapes[name]
		if name == "vowel" {
			shapes = [][3]int{{16, 8, 8}, {16, 16, 8}, {4, 16, 8}} // as shipped, in 8x8 blocks
		}
		layers := testLayers(t, photonics.Reck, shapes...)
		lay := photonics.NewLayout(layers)
		for li := range layers {
			p, err := NewPlan(lay, layers, li, math.Round(area.W()/area.H()*8)/8)
			if err != nil {
				t.Fatal(err)
			}
			fit := Fit(p.Bounds, area, 4)
			if detail, _, devices := p.Shown(fit, area, nil, nil); detail != DetailDevices || len(devices) != len(p.Devices) {
				t.Errorf("%s layer %d fitted: MZIs %.1f px wide, %v with %d of %d devices", name, li, fit.Scale*mziWidth, detail, len(devices), len(p.Devices))
			}
		}
	}
}

// The hit test finds the tile from the grid and tests only its devices: it agrees with a
// scan of every tile and device, on the plan and around it.
func TestPlanAtMatchesBruteForce(t *testing.T) {
	for _, shape := range [][3]int{{32, 784, 8}, {10, 3, 4}, {16, 16, 0}} {
		layers := testLayers(t, photonics.Reck, shape)
		for _, aspect := range []float64{0, 0.5, 2.4} {
			p, err := NewPlan(photonics.NewLayout(layers), layers, 0, aspect)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(3, 4))
			b := p.Bounds.Inset(-3)
			points := []Point{}
			for range 4000 {
				points = append(points, Pt(b.X0+rng.Float64()*b.W(), b.Y0+rng.Float64()*b.H()))
			}
			for _, d := range p.Devices[:min(len(p.Devices), 500)] {
				points = append(points, d.Heater)
			}
			onDevice := 0
			for _, q := range points {
				wantTile, wantDevice := -1, -1
				for i, tl := range p.Tiles {
					if tl.Rect.Contains(q) {
						wantTile = i
					}
				}
				for i, d := range p.Devices {
					if d.Rect.Contains(q) {
						wantDevice = i
					}
				}
				if tile, dev := p.At(q); tile != wantTile || dev != wantDevice || p.TileAt(q) != wantTile {
					t.Fatalf("%v aspect %g: at %v tile %d device %d, want %d and %d", shape, aspect, q, tile, dev, wantTile, wantDevice)
				}
				if wantDevice >= 0 {
					onDevice++
				}
			}
			if onDevice < min(len(p.Devices), 500) {
				t.Errorf("%v aspect %g: only %d points on devices", shape, aspect, onDevice)
			}
		}
	}
}
