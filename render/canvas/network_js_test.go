package canvas

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
)

// networkScene is testScene showing the whole network of an MNIST 8x8 MLP's shape (24x64
// and 10x24 in 8x8 blocks: 30 tiles), its devices' phases and activity drawn at random.
func networkScene(t *testing.T) *render.Scene {
	t.Helper()
	sc := testScene(t)
	var layers []*photonics.SVDLayer
	for _, s := range [][3]int{{24, 64, 8}, {10, 24, 8}} {
		l, err := photonics.NewSVDLayer(s[0], s[1], s[2], 0, photonics.Reck)
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, l)
	}
	ls, err := render.NewNetLayers(photonics.NewLayout(layers), layers)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range ls {
		l := &ls[i]
		l.Phase, l.Effective, l.Active = make([]float64, len(l.Sites)), make([]float64, len(l.Sites)), make([]bool, len(l.Sites))
		for d := range l.Phase {
			l.Phase[d] = 2 * math.Pi * rng.Float64()
			l.Effective[d] = l.Phase[d]
			l.Active[d] = rng.Float64() < 0.5
		}
		l.Input, l.Output = make([]float64, l.In), make([]float64, l.Out)
		render.BlockAggregates(l)
	}
	x := make([]float32, 64)
	for i := range x {
		x[i] = rng.Float32()
	}
	sc.View = "network"
	sc.Network = render.Network{Version: 1, Input: render.Sample{Shape: [3]int{1, 8, 8}, X: x}, Layers: ls, Scores: make([]float64, 10)}
	return sc
}

// In the network view, Update plans the network, finds what is in view and under the
// cursor: zoomed out a tile is hovered and no more items than tiles are drawn; the wheel
// zooms in to the devices, one of which is then hovered. The layer and network views keep
// their own zoom when the other is shown.
func TestNetworkViewFollowsTheInput(t *testing.T) {
	sc := networkScene(t)
	const w, h = 900, 600
	d := drive(t, sc, w, h)
	g, nv := d.g, &d.g.net
	away := render.Pt(2, h-2)
	d.frame(input{cursor: away})
	if nv.plan == nil || g.shown != shownNetwork || g.Zoom() != 1 {
		t.Fatalf("network view: plan %v (%v), view %d, zoom %g", nv.plan != nil, nv.err, g.shown, g.Zoom())
	}
	if n := g.NetworkItems(); n != len(nv.plan.Tiles) || n != 30 {
		t.Errorf("zoomed out: %d items for %d tiles", n, len(nv.plan.Tiles))
	}
	tile := nv.plan.Tiles[5]
	cur := nv.view.Apply(tile.Rect.Center())
	d.frame(input{cursor: cur})
	if want := sc.Network.BlockInfo(tile.Layer, tile.Block); nv.hover[0] != 5 || g.Hover() != want || want == "" {
		t.Errorf("over tile 5: hover %v, tooltip %q, want %q", nv.hover, g.Hover(), want)
	}

	for range 40 {
		if render.DetailAt(nv.view.Scale) == render.DetailDevices {
			break
		}
		d.frame(input{cursor: cur, wheel: 2})
	}
	if render.DetailAt(nv.view.Scale) != render.DetailDevices || g.NetworkItems() <= len(nv.tiles) {
		t.Fatalf("zoomed %g: %d items for %d tiles in view", g.Zoom(), g.NetworkItems(), len(nv.tiles))
	}
	if len(nv.tiles) >= len(nv.plan.Tiles) {
		t.Errorf("zoomed %g: all %d tiles in view", g.Zoom(), len(nv.tiles))
	}
	// A device of the tile in view, the one nearest the tile's centre.
	l := &sc.Network.Layers[tile.Layer]
	d0, d1 := l.BlockDevices(tile.Block)
	dev, best := -1, math.Inf(1)
	for k := d0; k < d1; k++ {
		_, heater := render.DeviceGeometry(tile.Tile, l.Sites[k])
		if p := nv.view.Apply(heater); math.Hypot(p.X-cur.X, p.Y-cur.Y) < best {
			dev, best = k, math.Hypot(p.X-cur.X, p.Y-cur.Y)
		}
	}
	_, heater := render.DeviceGeometry(tile.Tile, l.Sites[dev])
	d.frame(input{cursor: nv.view.Apply(heater)})
	if want := sc.Network.DeviceInfo(tile.Layer, dev); nv.hover != [2]int{5, dev} || g.Hover() != want {
		t.Errorf("over device %d of tile 5: hover %v, tooltip %q, want %q", dev, nv.hover, g.Hover(), want)
	}

	zoomed := g.Zoom()
	sc.View = "layer"
	d.frame(input{cursor: away})
	if g.shown != shownLayer || g.NetworkItems() != 0 || g.Zoom() != 1 {
		t.Errorf("layer view: view %d, %d network items, zoom %g", g.shown, g.NetworkItems(), g.Zoom())
	}
	sc.View = "network"
	d.frame(input{cursor: away})
	if g.Zoom() != zoomed {
		t.Errorf("back in the network view: zoom %g, was %g", g.Zoom(), zoomed)
	}
}

// litNetworkScene is networkScene with light on every fan and a booth caption.
func litNetworkScene(t *testing.T) *render.Scene {
	t.Helper()
	sc := networkScene(t)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range sc.Network.Layers {
		l := &sc.Network.Layers[i]
		for k := range l.Input {
			l.Input[k] = 2*rng.Float64() - 1
		}
		for k := range l.Output {
			l.Output[k] = 2*rng.Float64() - 1
		}
	}
	for k := range sc.Network.Scores {
		sc.Network.Scores[k] = rng.Float64()
	}
	sc.Caption = render.Caption{Headline: "A chip from the fab", Detail: "SZO-SCD tunes 15 % of the heaters", Link: "https://meshlight.example/?seed=7"}
	return sc
}

// marker paints a small square of a colour no view draws at p, and returns a check that
// says whether it is still there.
func (d *driver) marker(p render.Point) func() bool {
	magenta := color.RGBA{0xff, 0, 0xff, 0xff}
	x, y := int(p.X), int(p.Y)
	d.screen.SubImage(image.Rect(x-2, y-2, x+2, y+2)).(*ebiten.Image).Fill(magenta)
	return func() bool { return at(pixels(d.screen), d.screen.Bounds().Dx(), p) == magenta }
}

// The network view draws its picture once and, frame after frame, only the pulses of light
// that move over it: a mark on a tile stays while nothing else changes, as does one on
// booth mode's caption, yet the screen is what a fresh game draws at that moment but for
// the marks. A new state of the network is drawn at most lightRate times a second; when
// only the chrome's figures change, the chrome is drawn again around the mesh area, not
// over it, and the caption over it.
func TestNetworkViewDrawsOnlyWhatMoves(t *testing.T) {
	sc := litNetworkScene(t)
	const w, h = 900, 600
	in := input{cursor: render.Pt(w/2, 2)} // over the header: nothing hovered
	d := drive(t, sc, w, h)
	d.frame(in)
	nv := &d.g.net
	tile := nv.view.ApplyRect(nv.plan.Tiles[0].Rect).Center()
	band, _ := render.CaptionBand(w, h)
	onTile, onBand := d.marker(tile), d.marker(render.Pt(band.X0+4, band.Y1-4))
	same := func(what string, got []byte) {
		t.Helper()
		f := drive(t, sc, w, h)
		f.clock = f.g.start.Add(d.clock.Sub(d.g.start) - time.Second) // its frame comes at the same moment
		want := f.frame(in)
		diff := 0
		for y := range h {
			for x := range w {
				p := render.Pt(float64(x), float64(y))
				if at(got, w, p) != at(want, w, p) && math.Hypot(p.X-tile.X, p.Y-tile.Y) > 4 && math.Hypot(p.X-band.X0-4, p.Y-band.Y1+4) > 4 {
					diff++
				}
			}
		}
		if diff != 0 {
			t.Errorf("%s: %d pixels differ from a fresh game's frame at the same moment", what, diff)
		}
	}

	before := pixels(d.screen)
	got := d.frameAfter(40*time.Millisecond, in)
	if !onTile() || !onBand() {
		t.Errorf("a frame with nothing new drew over the tile (%v) or the caption (%v)", !onTile(), !onBand())
	}
	moved := 0
	for i := range got {
		if got[i] != before[i] {
			moved++
		}
	}
	if moved == 0 {
		t.Error("the pulses did not move in 40 ms")
	}
	same("pulses moved", got)

	l := &sc.Network.Layers[0]
	for k := range l.Active {
		l.Active[k] = !l.Active[k]
	}
	render.BlockAggregates(l)
	sc.Network.Version++
	d.frameAfter(40*time.Millisecond, in)
	if !onTile() {
		t.Error("the network's new state was drawn 80 ms after the last")
	}
	got = d.frameAfter(time.Second/lightRate, in)
	if onTile() {
		t.Error("the network's new state was not drawn after 1/lightRate s")
	}
	same("the network changed", got)

	onTile, onBand = d.marker(tile), d.marker(render.Pt(band.X0+4, band.Y1-4))
	sc.Readouts.Queries += 100
	sc.Runs[1].Queries = append(sc.Runs[1].Queries, 200)
	sc.Runs[1].Accuracy = append(sc.Runs[1].Accuracy, 75)
	sc.Runs[1].Power = append(sc.Runs[1].Power, 19)
	got = d.frameAfter(time.Second/chromeRate, in)
	if !onTile() || onBand() {
		t.Errorf("new figures: the mark on the tile is gone (%v), the one on the caption stays (%v)", !onTile(), onBand())
	}
	same("new figures", got)
}

// The level of detail is decided at the full resolution: drawn at half the pixels (a
// dynamic resolution), a view zoomed as far shows the same devices, not its tiles.
func TestLevelOfDetailAtFullResolution(t *testing.T) {
	sc := networkScene(t)
	const w, h = 900, 600
	full := drive(t, sc, w, h)
	half := drive(t, sc, w/2, h/2)
	half.g.scale, half.g.full = 0.5, 2
	full.frame(input{cursor: render.Pt(2, h-2)})
	half.frame(input{cursor: render.Pt(1, h/2-1)})
	cur := full.g.net.view.Apply(full.g.net.plan.Tiles[5].Rect.Center())
	wheels := 0
	for ; wheels < 40 && full.g.detailAt(full.g.net.view.Scale) != render.DetailDevices; wheels++ {
		full.frame(input{cursor: cur, wheel: 1})
	}
	full.frame(input{cursor: cur, wheel: 1}) // a step past the threshold, for rounding
	for range wheels + 1 {
		half.frame(input{cursor: render.Pt(cur.X/2, cur.Y/2), wheel: 1})
	}
	f, hf := &full.g.net, &half.g.net
	if !full.g.Devices() || !half.g.Devices() {
		t.Fatalf("zoomed %g (full) and %g (half): devices drawn %v and %v", full.g.Zoom(), half.g.Zoom(), full.g.Devices(), half.g.Devices())
	}
	if n, m := len(f.items), len(hf.items); n <= len(f.tiles) || m < n*9/10 || m > n*11/10 {
		t.Errorf("%d items in %d tiles at full resolution, %d in %d at half", n, len(f.tiles), m, len(hf.tiles))
	}
}
