package render

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
)

// testLayers builds layers of the given (out, in, block) shapes.
func testLayers(t testing.TB, top photonics.Topology, shapes ...[3]int) []*photonics.SVDLayer {
	t.Helper()
	var ls []*photonics.SVDLayer
	for _, s := range shapes {
		l, err := photonics.NewSVDLayer(s[0], s[1], s[2], 0, top)
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
	}
	return ls
}

func TestPlanPlacesEveryDeviceInItsTile(t *testing.T) {
	for _, top := range []photonics.Topology{photonics.Reck, photonics.Clements} {
		layers := testLayers(t, top, [3]int{24, 64, 8}, [3]int{5, 7, 0}, [3]int{10, 3, 4})
		lay := photonics.NewLayout(layers)
		for li, l := range layers {
			for _, aspect := range []float64{0, 0.5, 2, 8} {
				p, err := NewPlan(lay, layers, li, aspect)
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Tiles) != l.NumBlocks() || len(p.Devices) != l.NumPhases() {
					t.Fatalf("%v: %d tiles, %d devices", l, len(p.Tiles), len(p.Devices))
				}
				for i, a := range p.Tiles {
					if !containsRect(p.Bounds, a.Rect) {
						t.Errorf("%v: tile %d %v outside the bounds %v", l, i, a.Rect, p.Bounds)
					}
					for _, b := range p.Tiles[i+1:] {
						if a.Rect.Overlaps(b.Rect) {
							t.Errorf("%v: tiles %d and %d overlap", l, a.Block, b.Block)
						}
					}
				}
				sigmaX := make(map[int]float64)
				for k, d := range p.Devices {
					if d.Global != p.Offset+k || d.Site != lay.Sites[d.Global] {
						t.Fatalf("%v: device %d is global %d", l, k, d.Global)
					}
					tile := p.Tiles[d.Site.Block]
					if !containsRect(tile.Rect, d.Rect) || !d.Rect.Contains(d.Heater) {
						t.Errorf("%v: device %d %v not inside tile %v or heater outside body", l, k, d.Rect, tile.Rect)
					}
					if d.Site.Part == photonics.PartSigma {
						sigmaX[d.Site.Block] = d.Heater.X
					}
				}
				// Light meets V* first: every V device lies left of its block's Sigma column, every U device right.
				for _, d := range p.Devices {
					sx := sigmaX[d.Site.Block]
					if d.Site.Part == photonics.PartV && d.Heater.X >= sx || d.Site.Part == photonics.PartU && d.Heater.X <= sx {
						t.Errorf("%v: %v device at x %g, Sigma column at %g", l, d.Site.Part, d.Heater.X, sx)
					}
				}
				// No two devices of a tile overlap.
				for i, a := range p.Devices {
					for _, b := range p.Devices[i+1:] {
						if a.Site.Block == b.Site.Block && a.Rect.Overlaps(b.Rect) {
							t.Fatalf("%v: devices %d and %d overlap", l, a.Global, b.Global)
						}
					}
				}
				for _, k := range []int{0, len(p.Devices) / 2, len(p.Devices) - 1} {
					if got := p.DeviceAt(p.Devices[k].Heater); got != k {
						t.Errorf("%v: DeviceAt(heater of %d) = %d", l, k, got)
					}
				}
			}
		}
	}
}

func containsRect(outer, inner Rect) bool {
	return inner.X0 >= outer.X0 && inner.X1 <= outer.X1 && inner.Y0 >= outer.Y0 && inner.Y1 <= outer.Y1
}

func TestPlanTileGrid(t *testing.T) {
	layers := testLayers(t, photonics.Reck, [3]int{24, 64, 8})
	lay := photonics.NewLayout(layers)
	p, _ := NewPlan(lay, layers, 0, 0)
	if p.TilesPerRow != 8 {
		t.Errorf("without an aspect the 3x8 block grid is kept, got %d per row", p.TilesPerRow)
	}
	// Block (1, 2) is in the second row, third column of the picture.
	tl := p.Tiles[1*8+2]
	if tl.BlockRow != 1 || tl.BlockCol != 2 || !(tl.Rect.X0 > p.Tiles[1].Rect.X0) || !(tl.Rect.Y0 > p.Tiles[2].Rect.Y0) {
		t.Errorf("tile 10: %+v", tl)
	}
	// In a tall view, wrapping shows the tiles larger than the flat 3x8 grid.
	tall, _ := NewPlan(lay, layers, 0, 0.75)
	fitScale := func(p *Plan, aspect float64) float64 {
		return Fit(p.Bounds, Rect{0, 0, aspect * 1000, 1000}, 0).Scale
	}
	if tall.TilesPerRow >= 8 || fitScale(tall, 0.75) < 1.5*fitScale(p, 0.75) {
		t.Errorf("tall view: %d tiles per row, scale %g vs %g", tall.TilesPerRow, fitScale(tall, 0.75), fitScale(p, 0.75))
	}
	if _, err := NewPlan(lay, layers, 1, 0); err == nil {
		t.Error("a layer out of range must be an error")
	}
}

// What a view shows of a plan is exactly what drawing it would put on screen: the tiles
// whose leads or devices reach the screen and the devices whose bodies do, in plan order;
// zoomed in, a fraction of the layer.
func TestPlanVisibleMatchesBruteForce(t *testing.T) {
	screen := R(40, 30, 1000, 430)
	for _, tc := range []struct {
		name   string
		shape  [3]int // out, in, block
		aspect float64
	}{
		{"mnist28 first layer, 392 tiles", [3]int{32, 784, 8}, screen.W() / screen.H()},
		{"one whole-matrix tile", [3]int{16, 16, 0}, 2},
		{"blocks that do not fill the matrix", [3]int{10, 3, 4}, 1},
	} {
		layers := testLayers(t, photonics.Clements, tc.shape)
		p, err := NewPlan(photonics.NewLayout(layers), layers, 0, tc.aspect)
		if err != nil {
			t.Fatal(err)
		}
		fit := Fit(p.Bounds, screen, 4)
		first := p.Devices[0].Heater
		views := []struct {
			name string
			v    Transform
		}{
			{"fitted", fit},
			{"zoomed 20x at the centre", fit.ZoomAt(screen.Center(), 20)},
			{"zoomed 40x at the top left corner", fit.ZoomAt(Pt(screen.X0, screen.Y0), 40)},
			{"zoomed 10x at the first device", fit.ZoomAt(fit.Apply(first), 10)},
			{"panned off the plan", fit.Pan(2*screen.W(), 0)},
			{"no scale", Transform{}},
		}
		rng := rand.New(rand.NewPCG(7, 8))
		for k := range 100 {
			at := Pt(screen.X0+rng.Float64()*screen.W(), screen.Y0+rng.Float64()*screen.H())
			views = append(views, struct {
				name string
				v    Transform
			}{fmt.Sprintf("random %d", k), fit.ZoomAt(at, math.Pow(2, 7*rng.Float64()))})
		}
		for _, vc := range views {
			tiles, devices := p.Visible(vc.v, screen, nil, nil)
			var wantTiles, wantDevices []int
			for b, tl := range p.Tiles {
				if vc.v.Scale > 0 && vc.v.ApplyRect(tl.Rect.Inset(-leadLength)).Overlaps(screen) {
					wantTiles = append(wantTiles, b)
				}
			}
			for i, d := range p.Devices {
				if vc.v.Scale > 0 && vc.v.ApplyRect(d.Rect).Overlaps(screen) {
					wantDevices = append(wantDevices, i)
				}
			}
			if !slices.Equal(tiles, wantTiles) || !slices.Equal(devices, wantDevices) {
				t.Errorf("%s, %s: %d tiles and %d devices visible, want %d and %d", tc.name, vc.name, len(tiles), len(devices), len(wantTiles), len(wantDevices))
			}
			if vc.name == "fitted" && (len(tiles) != len(p.Tiles) || len(devices) != len(p.Devices)) {
				t.Errorf("%s: fitted, %d of %d tiles and %d of %d devices visible", tc.name, len(tiles), len(p.Tiles), len(devices), len(p.Devices))
			}
			if vc.name == "zoomed 20x at the centre" && (len(devices) == 0 || 4*len(devices) > len(p.Devices)) {
				t.Errorf("%s: zoomed 20x, %d of %d devices visible", tc.name, len(devices), len(p.Devices))
			}
		}
	}
}

// Culling takes a tile's devices as one run of Devices, as a layout lists them block by
// block; a layout that does not is refused, not culled wrongly.
func TestPlanRefusesDevicesOutOfBlockOrder(t *testing.T) {
	layers := testLayers(t, photonics.Reck, [3]int{16, 16, 8})
	lay := photonics.NewLayout(layers)
	if _, err := NewPlan(lay, layers, 0, 1); err != nil {
		t.Fatal(err)
	}
	per := layers[0].NumPhases() / layers[0].NumBlocks()
	lay.Sites[0], lay.Sites[per] = lay.Sites[per], lay.Sites[0] // block 1's first device first
	if _, err := NewPlan(lay, layers, 0, 1); err == nil || !strings.Contains(err.Error(), "block by block") {
		t.Errorf("devices out of block order: error %v", err)
	}
}

// Culling reuses the caller's buffers: a view moving over the layer allocates nothing.
func TestPlanVisibleReusesItsBuffers(t *testing.T) {
	layers := testLayers(t, photonics.Reck, [3]int{32, 784, 8})
	p, err := NewPlan(photonics.NewLayout(layers), layers, 0, 2.4)
	if err != nil {
		t.Fatal(err)
	}
	screen := R(0, 0, 960, 400)
	fit := Fit(p.Bounds, screen, 4)
	tiles, devices := p.Visible(fit, screen, nil, nil)
	k := 0
	allocs := testing.AllocsPerRun(20, func() {
		k++
		tiles, devices = p.Visible(fit.ZoomAt(Pt(float64(k*40), 200), 1+float64(k%4)), screen, tiles[:0], devices[:0])
	})
	if allocs != 0 {
		t.Errorf("Visible: %.0f allocations a call with buffers that hold the whole layer", allocs)
	}
}

func BenchmarkPlanVisibleMNIST28(b *testing.B) {
	layers := testLayers(b, photonics.Reck, [3]int{32, 784, 8})
	p, _ := NewPlan(photonics.NewLayout(layers), layers, 0, 2.4)
	screen := R(0, 0, 960, 400)
	fit := Fit(p.Bounds, screen, 4)
	for _, bc := range []struct {
		name string
		v    Transform
	}{{"fitted", fit}, {"zoomed 20x", fit.ZoomAt(screen.Center(), 20)}} {
		b.Run(bc.name, func(b *testing.B) {
			var tiles, devices []int
			b.ReportAllocs()
			for b.Loop() {
				tiles, devices = p.Visible(bc.v, screen, tiles[:0], devices[:0])
			}
		})
	}
}

func TestSegmentX(t *testing.T) {
	tl := Tile{Rect: Rect{10, 0, 10 + 5*ColumnPitch, 4}, Columns: 5}
	x0, x1 := tl.SegmentX(0)
	if x0 >= tl.Rect.X0 || x1 != tl.ColumnX(0) {
		t.Errorf("segment 0: %g..%g", x0, x1)
	}
	for k := 1; k < 5; k++ {
		a, b := tl.SegmentX(k)
		if a != tl.ColumnX(k-1) || b != tl.ColumnX(k) {
			t.Errorf("segment %d: %g..%g", k, a, b)
		}
	}
	if a, b := tl.SegmentX(5); a != tl.ColumnX(4) || b <= tl.Rect.X1 {
		t.Errorf("last segment: %g..%g", a, b)
	}
}

func randomProgram(rng *rand.Rand, l *photonics.SVDLayer) (phases, signs []float64) {
	phases = make([]float64, l.NumPhases())
	for i := range phases {
		phases[i] = rng.Float64() * 2 * math.Pi
	}
	signs = make([]float64, l.NumSigns())
	for i := range signs {
		signs[i] = float64(1 - 2*rng.IntN(2))
	}
	return phases, signs
}

// The light leaving the tiles adds up to W x, with W from photonics' own weights; inside the
// orthogonal meshes the total intensity of a tile is conserved column by column.
func TestLightMatchesWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, top := range []photonics.Topology{photonics.Reck, photonics.Clements} {
		for _, l := range testLayers(t, top, [3]int{24, 64, 8}, [3]int{5, 7, 0}, [3]int{7, 5, 0}, [3]int{10, 3, 4}) {
			phases, signs := randomProgram(rng, l)
			x := make([]float64, l.In)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			li, err := NewLight(l, phases, signs, x)
			if err != nil {
				t.Fatal(err)
			}
			w, err := l.Weights(phases, signs)
			if err != nil {
				t.Fatal(err)
			}
			y := li.Output(l)
			for r := 0; r < l.Out; r++ {
				want := 0.0
				for c := 0; c < l.In; c++ {
					want += w[r*l.In+c] * x[c]
				}
				if !near(y[r], want, 1e-9) {
					t.Fatalf("%v %v: output %d = %g, want %g", top, l, r, y[r], want)
				}
			}
			maxAbs := 0.0
			for b, f := range li.Fields {
				if len(f) != l.V.Columns+l.U.Columns+2 {
					t.Fatalf("%v: %d segments", l, len(f))
				}
				in := energy(f[0])
				for k := 1; k <= l.V.Columns; k++ {
					if !near(energy(f[k]), in, 1e-9) {
						t.Errorf("%v: block %d: V* segment %d carries %g, input %g", l, b, k, energy(f[k]), in)
					}
				}
				mid := energy(f[l.V.Columns+1])
				for k := l.V.Columns + 2; k < len(f); k++ {
					if !near(energy(f[k]), mid, 1e-9) {
						t.Errorf("%v: block %d: U segment %d carries %g, after Sigma %g", l, b, k, energy(f[k]), mid)
					}
				}
				for _, seg := range f {
					for _, a := range seg {
						maxAbs = math.Max(maxAbs, math.Abs(a))
					}
				}
			}
			if li.Max != maxAbs {
				t.Errorf("Max %g, want %g", li.Max, maxAbs)
			}
		}
	}
}

func energy(v []float64) float64 {
	e := 0.0
	for _, a := range v {
		e += a * a
	}
	return e
}

func TestLightErrors(t *testing.T) {
	l := testLayers(t, photonics.Reck, [3]int{4, 4, 0})[0]
	phases, signs := randomProgram(rand.New(rand.NewPCG(3, 4)), l)
	if _, err := NewLight(l, phases, signs, make([]float64, 3)); err == nil {
		t.Error("short input must be an error")
	}
	phases[2] = math.NaN()
	if _, err := NewLight(l, phases, signs, make([]float64, 4)); err == nil {
		t.Error("NaN phase must be an error")
	}
}

func TestBrightness(t *testing.T) {
	for _, c := range []struct{ a, max, want float64 }{
		{0, 2, 0}, {-2, 2, 1}, {0.5, 2, 0.5}, {3, 2, 1}, {1, 0, 0}, {math.NaN(), 1, 0}, {-0.08, 2, 0.2},
	} {
		if got := Brightness(c.a, c.max); got != c.want {
			t.Errorf("Brightness(%g, %g) = %g, want %g", c.a, c.max, got, c.want)
		}
	}
}
