package render

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
)

// testNetwork builds the structure of a network of the given (out, in, block) layers, with
// every device's phase and activity drawn at random.
func testNetwork(t testing.TB, top photonics.Topology, shapes ...[3]int) *Network {
	t.Helper()
	var layers []*photonics.SVDLayer
	for _, s := range shapes {
		l, err := photonics.NewSVDLayer(s[0], s[1], s[2], 0, top)
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, l)
	}
	ls, err := NewNetLayers(photonics.NewLayout(layers), layers)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range ls {
		l := &ls[i]
		l.Phase = make([]float64, len(l.Sites))
		l.Active = make([]bool, len(l.Sites))
		for d := range l.Phase {
			l.Phase[d] = 2 * math.Pi * rng.Float64()
			l.Active[d] = rng.Float64() < 0.3
		}
		BlockAggregates(l)
	}
	return &Network{Layers: ls}
}

// The shipped networks' shapes: the MNIST 8x8 MLP, the 26,624-phase MNIST 28x28 MLP, a
// whole-matrix vowel MLP and a layer whose blocks do not fill its matrix.
var netShapes = map[string][][3]int{
	"mnist8":  {{24, 64, 8}, {24, 24, 8}, {10, 24, 8}},
	"mnist28": {{32, 784, 8}, {32, 32, 8}, {10, 32, 8}},
	"vowel":   {{16, 8, 0}, {16, 16, 0}, {4, 16, 0}},
	"ragged":  {{10, 3, 4}, {5, 10, 4}},
}

func TestNetPlanMNIST28HasEveryPhase(t *testing.T) {
	n := testNetwork(t, photonics.Reck, netShapes["mnist28"]...)
	devices, tiles := 0, 0
	for _, l := range n.Layers {
		devices += len(l.Sites)
		tiles += l.NumBlocks()
	}
	if devices != 26624 || tiles != 416 {
		t.Fatalf("%d devices in %d tiles, want 26624 in 416", devices, tiles)
	}
}

func TestNetPlanLayoutDoesNotOverlap(t *testing.T) {
	for name, shapes := range netShapes {
		for _, top := range []photonics.Topology{photonics.Reck, photonics.Clements} {
			n := testNetwork(t, top, shapes...)
			for _, aspect := range []float64{0, 0.5, 1.6, 3} {
				p, err := NewNetPlan(n, aspect)
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Tiles) != countTiles(n) {
					t.Fatalf("%s: %d tiles", name, len(p.Tiles))
				}
				// Columns left to right, disjoint: input, then each layer and its outputs, then scores.
				cols := []Rect{p.Input}
				for _, pl := range p.Layers {
					cols = append(cols, pl.Rect.Inset(-leadLength), pl.Out)
				}
				cols = append(cols, p.Scores)
				for i := 1; i < len(cols); i++ {
					if !(cols[i].X0 >= cols[i-1].X1) {
						t.Errorf("%s aspect %g: column %d %v starts before column %d %v ends", name, aspect, i, cols[i], i-1, cols[i-1])
					}
				}
				for i, a := range p.Tiles {
					pl := p.Layers[a.Layer]
					if !containsRect(pl.Rect, a.Rect) || !containsRect(p.Bounds, a.Rect) {
						t.Errorf("%s: tile %d %v outside its layer %v or the bounds %v", name, i, a.Rect, pl.Rect, p.Bounds)
					}
					for j := i + 1; j < len(p.Tiles); j++ {
						if b := p.Tiles[j]; a.Rect.Inset(-leadLength).Overlaps(b.Rect.Inset(-leadLength)) {
							t.Fatalf("%s aspect %g: tiles %d %v and %d %v overlap", name, aspect, i, a.Rect, j, b.Rect)
						}
					}
				}
			}
		}
	}
}

func countTiles(n *Network) int {
	k := 0
	for _, l := range n.Layers {
		k += l.NumBlocks()
	}
	return k
}

func TestNetPlanHitTestFindsEveryDevice(t *testing.T) {
	for name, shapes := range netShapes {
		n := testNetwork(t, photonics.Clements, shapes...)
		p, err := NewNetPlan(n, 1.6)
		if err != nil {
			t.Fatal(err)
		}
		for ti, nt := range p.Tiles {
			l := &n.Layers[nt.Layer]
			d0, d1 := l.BlockDevices(nt.Block)
			if d1-d0 != len(l.Sites)/l.NumBlocks() {
				t.Fatalf("%s: tile %d has devices [%d, %d)", name, ti, d0, d1)
			}
			for d := d0; d < d1; d++ {
				if l.Sites[d].Block != nt.Block {
					t.Fatalf("%s: device %d of layer %d is in block %d, its range says %d", name, d, nt.Layer, l.Sites[d].Block, nt.Block)
				}
				body, heater := DeviceGeometry(nt.Tile, l.Sites[d])
				for _, q := range []Point{heater, {body.X0 + 0.01, body.Y0 + 0.01}, {body.X1 - 0.01, body.Y1 - 0.01}} {
					if gt, gd := p.DeviceAt(n, q); gt != ti || gd != d {
						t.Fatalf("%s: point %v of layer %d device %d (tile %d) hits tile %d device %d", name, q, nt.Layer, d, ti, gt, gd)
					}
				}
			}
		}
		// Outside every tile: the gaps between tiles, the input, the margins.
		for _, q := range []Point{p.Input.Center(), {p.Bounds.X0 - 1, p.Bounds.Y0 - 1}, {p.Bounds.X1 + 5, p.Bounds.Y1}, p.Scores.Center()} {
			if gt, gd := p.DeviceAt(n, q); gt != -1 || gd != -1 {
				t.Errorf("%s: point %v outside the tiles hits tile %d device %d", name, q, gt, gd)
			}
		}
	}
}

func TestNetPlanTileAtMatchesTheTiles(t *testing.T) {
	n := testNetwork(t, photonics.Reck, netShapes["mnist28"]...)
	p, err := NewNetPlan(n, 1.8)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		q := Pt(p.Bounds.X0+rng.Float64()*p.Bounds.W(), p.Bounds.Y0+rng.Float64()*p.Bounds.H())
		want := -1
		for i, nt := range p.Tiles {
			if nt.Rect.Contains(q) {
				want = i
			}
		}
		if got := p.TileAt(q); got != want {
			t.Fatalf("TileAt(%v) = %d, want %d", q, got, want)
		}
	}
}

func TestNetPlanVisibleTilesMatchBruteForce(t *testing.T) {
	n := testNetwork(t, photonics.Reck, netShapes["mnist28"]...)
	p, err := NewNetPlan(n, 1.8)
	if err != nil {
		t.Fatal(err)
	}
	screen := R(0, 0, 1280, 700)
	fit := Fit(p.Bounds, screen, 4)
	rng := rand.New(rand.NewPCG(5, 6))
	for k := range 300 {
		v := fit.ZoomAt(Pt(rng.Float64()*1280, rng.Float64()*700), math.Pow(2, 8*rng.Float64()))
		if k == 0 {
			v = fit
		}
		got := p.VisibleTiles(v, screen, nil)
		var want []int
		for i, nt := range p.Tiles {
			if v.ApplyRect(nt.Rect.Inset(-leadLength)).Overlaps(screen) {
				want = append(want, i)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("view %+v: %d visible tiles, want %d", v, len(got), len(want))
		}
	}
}

func TestNetPlanDetailBoundsTheItems(t *testing.T) {
	n := testNetwork(t, photonics.Reck, netShapes["mnist28"]...)
	screen := R(0, 0, 1920, 900)
	p, err := NewNetPlan(n, screen.W()/screen.H())
	if err != nil {
		t.Fatal(err)
	}
	fit := Fit(p.Bounds, screen, 4)
	if DetailAt(fit.Scale) != DetailTiles {
		t.Fatalf("the whole 26k-phase network at %.2f px/unit shows devices", fit.Scale)
	}
	tiles, items := p.Visible(n, fit, screen, nil, nil)
	if len(items) != len(p.Tiles) || len(tiles) != len(p.Tiles) {
		t.Errorf("zoomed out: %d items for %d visible of %d tiles, want one per tile", len(items), len(tiles), len(p.Tiles))
	}
	// Any zoom below the device threshold: never more items than tiles. Above it: devices
	// appear, and only as many as fit the screen.
	for f := 1.0; f < 64; f *= 1.3 {
		v := fit.ZoomAt(screen.Center(), f)
		tiles, items = p.Visible(n, v, screen, tiles, items[:0])
		devices := len(items) - len(tiles)
		switch DetailAt(v.Scale) {
		case DetailTiles:
			if len(items) > len(p.Tiles) || devices != 0 {
				t.Errorf("zoom %.1f (%.2f px/unit): %d items, %d devices, %d tiles", f, v.Scale, len(items), devices, len(p.Tiles))
			}
		case DetailDevices:
			if devices == 0 {
				t.Errorf("zoom %.1f (%.2f px/unit): no devices at device detail", f, v.Scale)
			}
			// A device's body covers at least MinDevicePixels^2 / 4 pixels of screen... so the
			// screen cannot hold more than this many (a Sigma shifter is the smallest body).
			perDevice := (0.64 * v.Scale) * (0.64 * v.Scale)
			if limit := 4 * screen.W() * screen.H() / perDevice; float64(devices) > limit {
				t.Errorf("zoom %.1f: %d devices on a screen that holds about %.0f", f, devices, limit)
			}
		}
	}
}

func TestNetPlanBuildsWithBoundedAllocations(t *testing.T) {
	n := testNetwork(t, photonics.Reck, netShapes["mnist28"]...)
	allocs := testing.AllocsPerRun(5, func() {
		if _, err := NewNetPlan(n, 1.8); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 4 { // the plan, its layers and its tiles: none per device
		t.Errorf("NewNetPlan: %.0f allocations for the 26,624-phase network", allocs)
	}
}

func BenchmarkNewNetPlanMNIST28(b *testing.B) {
	n := testNetwork(b, photonics.Reck, netShapes["mnist28"]...)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewNetPlan(n, 1.8); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVisibleMNIST28ZoomedOut(b *testing.B) {
	n := testNetwork(b, photonics.Reck, netShapes["mnist28"]...)
	screen := R(0, 0, 1920, 900)
	p, _ := NewNetPlan(n, screen.W()/screen.H())
	fit := Fit(p.Bounds, screen, 4)
	var tiles []int
	var items []Item
	b.ReportAllocs()
	for b.Loop() {
		tiles, items = p.Visible(n, fit, screen, tiles, items[:0])
	}
}

func TestBlockAggregates(t *testing.T) {
	n := testNetwork(t, photonics.Reck, [3]int{4, 8, 4})
	l := &n.Layers[0] // two blocks
	d0, d1 := l.BlockDevices(1)
	for d := range l.Phase {
		l.Active[d], l.Phase[d] = false, 0
	}
	// Block 1: two active devices at a quarter and three quarters of 2 pi, one passive at
	// nearly 2 pi (no power); block 0 all passive.
	l.Active[d0], l.Phase[d0] = true, math.Pi/2
	l.Active[d0+1], l.Phase[d0+1] = true, 3*math.Pi/2
	l.Phase[d0+2] = 6
	l.Light = Light{Fields: [][][]float64{{{0, 0}}, {{1, 1}, {0.25, 0}}}, Max: 1}
	BlockAggregates(l)
	if l.BlockPower[0] != 0 || l.BlockActive[0] != 0 || l.BlockLight[0] != 0 {
		t.Errorf("block 0: power %g, active %g, light %g, want 0, 0, 0", l.BlockPower[0], l.BlockActive[0], l.BlockLight[0])
	}
	if want := 2 / float64(d1-d0); math.Abs(l.BlockPower[1]-0.5) > 1e-12 || math.Abs(l.BlockActive[1]-want) > 1e-12 {
		t.Errorf("block 1: power %g, active %g, want 0.5, %g", l.BlockPower[1], l.BlockActive[1], want)
	}
	if want := (1 + 1 + 0.5 + 0) / 4; math.Abs(l.BlockLight[1]-want) > 1e-12 {
		t.Errorf("block 1: light %g, want %g", l.BlockLight[1], want)
	}
}

func TestDeviceAndBlockInfo(t *testing.T) {
	n := testNetwork(t, photonics.Reck, [3]int{4, 8, 4})
	l := &n.Layers[0]
	d0, _ := l.BlockDevices(1)
	l.Active[d0], l.Phase[d0] = true, math.Pi
	l.Active[d0+1], l.Phase[d0+1] = false, 1
	if s := n.DeviceInfo(0, d0); !strings.Contains(s, "block 1") || !strings.Contains(s, "phase 3.142 rad") || !strings.Contains(s, "active, 50 % power") {
		t.Errorf("active device: %q", s)
	}
	if s := n.DeviceInfo(0, d0+1); !strings.Contains(s, "passive") {
		t.Errorf("passive device: %q", s)
	}
	if s := n.DeviceInfo(1, 0) + n.DeviceInfo(0, len(l.Sites)); s != "" {
		t.Errorf("out of range: %q", s)
	}
	BlockAggregates(l)
	if s := n.BlockInfo(0, 1); !strings.Contains(s, "block 1 (row 0, column 1)") || !strings.Contains(s, "active") {
		t.Errorf("block: %q", s)
	}
}
