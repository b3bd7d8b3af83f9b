package canvas

import (
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
)

// bigScene is testScene on the first layer of the 26,624-phase MNIST 28x28 MLP (32x784 in
// 8x8 blocks: 392 tiles, 25,088 devices), its phases drawn at random, lit by a random input.
func bigScene(t *testing.T) *render.Scene {
	t.Helper()
	sc := testScene(t)
	l, err := photonics.NewSVDLayer(32, 784, 8, 0, photonics.Reck)
	if err != nil {
		t.Fatal(err)
	}
	sc.Chip, sc.LayerInput, sc.Light = chipScene(t, l, rand.New(rand.NewPCG(7, 8)), 0.15, 2)
	return sc
}

// Zoomed out on a big layer, the layer view draws each block as a tile in the network
// view's shade (its colour, its light as a band) and lists no device; the cursor over a tile
// names the block. The tiles are shaded again as the chip trains, at most lightRate times a
// second. Zoomed in, devices appear, and the colours kept of them are as many as are in view
// (a zoom step reuses their storage).
func TestLayerViewZoomedOutDrawsTiles(t *testing.T) {
	sc := bigScene(t)
	const w, h = 776, 640 // the page's canvas beside the panel
	d := drive(t, sc, w, h)
	g, lv := d.g, &d.g.layer
	away := render.Pt(2, h-2)
	pix := d.frame(input{cursor: away})
	if lv.plan == nil || lv.detail != render.DetailTiles || len(lv.devices) != 0 || len(lv.tiles) != len(lv.plan.Tiles) || len(lv.tiles) != 392 {
		t.Fatalf("fitted: plan %v (%v), %v with %d tiles and %d devices", lv.plan != nil, lv.err, lv.detail, len(lv.tiles), len(lv.devices))
	}
	checked := 0
	for _, b := range []int{0, 97, 200, 391} {
		tile := lv.plan.Tiles[b]
		shade, ok := lv.plan.Shade(b, sc.Chip, sc.Light)
		if !ok || lv.shades[b] != shade {
			t.Fatalf("tile %d: shade %+v, want %+v (%v)", b, lv.shades[b], shade, ok)
		}
		r := lv.view.ApplyRect(tile.Rect)
		body := above(r)
		if c := at(pix, w, body); !close(c, shade.Colour(), 12) {
			t.Errorf("tile %d at %v: %v, want its shade's %v", b, body, c, shade.Colour())
		}
		if c, want := at(pix, w, r.Center()), paintedTile(g, shade); !close(c, want, 12) {
			t.Errorf("tile %d's light at %v: %v, want %v", b, r.Center(), c, want)
		}
		checked++
	}
	tile := lv.plan.Tiles[97]
	cur := lv.view.Apply(tile.Rect.Center())
	d.frame(input{cursor: cur})
	if want := lv.plan.BlockInfo(97, lv.shades[97]); lv.hover != (hit{97, -1}) || g.Hover() != want || !strings.HasPrefix(want, "block 97 (row ") {
		t.Errorf("over tile 97: hover %v, tooltip %q, want %q", lv.hover, g.Hover(), want)
	}

	// Training: a new version is shaded, the next within 1/lightRate of it only after that.
	shading := lv.shading
	for k, step := range []struct {
		after time.Duration
		want  uint64
	}{{50 * time.Millisecond, 1}, {50 * time.Millisecond, 1}, {time.Second / lightRate, 2}} {
		sc.Version++
		d.frameAfter(step.after, input{cursor: cur})
		if lv.shading-shading != step.want {
			t.Errorf("training, step %d: shaded %d times, want %d", k, lv.shading-shading, step.want)
		}
	}

	// Zoomed in at the tile until devices are drawn: only those in view, one colour kept each.
	for range 60 {
		if lv.detail == render.DetailDevices {
			break
		}
		d.frame(input{cursor: cur, wheel: 1})
	}
	if lv.detail != render.DetailDevices || len(lv.devices) == 0 || len(lv.devices) >= len(lv.plan.Devices)/10 {
		t.Fatalf("zoomed %g: %v with %d of %d devices in view", g.Zoom(), lv.detail, len(lv.devices), len(lv.plan.Devices))
	}
	L := &lv.layers
	if len(L.drawn) != len(lv.devices) {
		t.Errorf("%d colours kept for %d devices in view", len(L.drawn), len(lv.devices))
	}
	kept := &L.drawn[0]
	for range 3 {
		d.frame(input{cursor: cur, wheel: 1})
		if len(L.drawn) != len(lv.devices) || &L.drawn[0] != kept {
			t.Errorf("zoom step: %d colours for %d devices in view, reallocated %v", len(L.drawn), len(lv.devices), &L.drawn[0] != kept)
		}
	}
	dev, best := -1, math.Inf(1) // the device in view nearest the cursor, at tile 97's centre
	for _, i := range lv.devices {
		p := lv.view.Apply(lv.plan.Devices[i].Heater)
		if d := math.Hypot(p.X-cur.X, p.Y-cur.Y); d < best {
			dev, best = i, d
		}
	}
	if dev < 0 || lv.plan.Devices[dev].Site.Block != 97 {
		t.Fatalf("zoomed in at tile 97: the device nearest its centre is %d", dev)
	}
	p := lv.view.Apply(lv.plan.Devices[dev].Heater)
	d.frame(input{cursor: p})
	if want := sc.Chip.DeviceInfo(lv.plan.Devices[dev]); lv.hover.device != dev || g.Hover() != want {
		t.Errorf("zoomed, over device %d: hover %v, tooltip %q, want %q", dev, lv.hover, g.Hover(), want)
	}
	// F fits again: the tiles, no device, no colour kept.
	d.frame(input{cursor: away, fit: true})
	if lv.detail != render.DetailTiles || len(lv.devices) != 0 || len(L.drawn) != 0 {
		t.Errorf("fitted again: %v, %d devices, %d colours kept", lv.detail, len(lv.devices), len(L.drawn))
	}
}

// Zoomed out on a big layer, a race's lanes draw the tiles as the layer view does, and the
// cursor over a lane's tile names the racer and the block, outlining it in every lane.
func TestRaceLanesZoomedOutDrawTiles(t *testing.T) {
	sc := raceScene(t)
	big := bigScene(t)
	for i := range sc.Race.Lanes {
		sc.Race.Lanes[i].Chip, sc.Race.Lanes[i].Light = big.Chip, big.Light
	}
	const w, h = 776, 640
	d := drive(t, sc, w, h)
	g, rv := d.g, &d.g.race
	d.frame(input{cursor: render.Pt(2, h-2)})
	for i, l := range rv.lanes {
		if l.plan == nil || l.detail != render.DetailTiles || len(l.devices) != 0 || len(l.tiles) != len(l.plan.Tiles) {
			t.Fatalf("lane %d fitted: %v, %d tiles and %d devices", i, l.detail, len(l.tiles), len(l.devices))
		}
	}
	p := rv.planned[1]
	cur := rv.layout.Lane(rv.view, 1).Apply(p.Tiles[50].Rect.Center())
	pix := d.frame(input{cursor: cur})
	shade := rv.lanes[1].shades[50]
	if want := "flops · " + p.BlockInfo(50, shade); rv.hover != (laneHit{1, hit{50, -1}}) || g.Hover() != want {
		t.Errorf("over lane 1's tile 50: hover %v, tooltip %q, want %q", rv.hover, g.Hover(), want)
	}
	r := rv.layout.Lane(rv.view, 0).ApplyRect(p.Tiles[50].Rect)
	if c := at(pix, w, above(r)); !close(c, shade.Colour(), 12) {
		t.Errorf("lane 0's tile 50: %v, want its shade's %v", c, shade.Colour())
	}
}

// above is a point of the pixel row a tile drawn as r begins with, above its band of light.
func above(r render.Rect) render.Point { return render.Pt(r.Center().X, math.Ceil(r.Y0)+0.5) }

// paintedTile is the colour of a tile of shade s in its band of light, as g paints it
// alone on a small image.
func paintedTile(g *Game, s render.TileShade) color.RGBA {
	img := ebiten.NewImage(8, 8)
	defer img.Deallocate()
	img.Fill(render.Background)
	g.flat.begin(img)
	g.paintTile(render.R(0, 0, 8, 8), s)
	g.flat.flush()
	return at(pixels(img), 8, render.Pt(4, 4))
}
