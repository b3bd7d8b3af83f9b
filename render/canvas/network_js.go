package canvas

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
)

// netView is the network view's state, all of it Update's: the plan of the scene's network
// (rebuilt when its structure or the area's shape changes), its zoom, what is in view and
// what the cursor is over. Everything it draws comes from render.Network, plain values the
// simulator filled: no chip, no propagation here.
type netView struct {
	*paint
	plans kept[netKey, *render.NetPlan]
	plan  *render.NetPlan // the scene's network's, nil when there is none
	err   error           // why there is no plan, when laying it out failed
	zoom                  // of the plan in the area below the caption
	tiles []int           // in view
	items []render.Item   // in view at the zoom's level of detail: what Draw draws
	hover [2]int          // tile and device under the cursor (-1: none)

	// devices and active are the network's devices and how many are active, for the
	// caption, counted for the structure and network version activeFor.
	devices, active int
	activeFor       netVersion

	pic netPicture // Draw's picture of the view
}

// netVersion is a network's state: its structure (its first device) and its version.
type netVersion struct {
	sites   *photonics.Site
	version uint64
}

// netKey is what a network's plan depends on: its structure and the area's shape.
type netKey struct {
	sites  *photonics.Site // the first device of the structure
	layers int
	aspect float64
}

// netShown reports whether the mesh area shows the whole network.
func netShown(sc *render.Scene) bool { return sc != nil && sc.View == "network" }

// prepareNet plans the scene's network for the mesh area (the kept plan unless its
// structure or the area's shape changed), fits the zoom, and finds what is in view and the
// tile and device under the cursor.
func (nv *netView) update(sc *render.Scene) {
	nv.plan, nv.err, nv.hover = nil, nil, [2]int{-1, -1}
	nv.tiles, nv.items = nv.tiles[:0], nv.items[:0]
	net := &sc.Network
	if len(net.Layers) == 0 || len(net.Layers[0].Sites) == 0 {
		return
	}
	key := netKey{&net.Layers[0].Sites[0], len(net.Layers), planAspect(nv.regions.Mesh)}
	nv.plan, nv.err = nv.plans.get(key, func() (*render.NetPlan, error) { return render.NewNetPlan(net, key.aspect) })
	if nv.plan == nil {
		return
	}
	if v := (netVersion{key.sites, net.Version}); v != nv.activeFor {
		nv.devices, nv.active, nv.activeFor = 0, 0, v
		for i := range net.Layers {
			nv.devices += len(net.Layers[i].Sites)
			nv.active += countActive(net.Layers[i].Active)
		}
	}
	area := nv.planArea()
	nv.show(nv.plan.Bounds, area, 8*nv.scale, nv.maxScale())
	nv.tiles, nv.items = nv.plan.Visible(net, atFull(nv.view, nv.full), scaleRect(area, nv.full), nv.tiles, nv.items)
	if area.Contains(nv.cursor) && !nv.dragging {
		t, d := nv.plan.DeviceAt(net, nv.view.Invert(nv.cursor))
		nv.hover = [2]int{t, d}
	}
}

// paintTile adds to g.flat a tile drawn without its devices, as the screen rectangle r: its
// shade's colour, with its light as a band through its middle. The layer, network and race
// views draw a tile so when its devices are too small to see.
func (pa *paint) paintTile(r render.Rect, s render.TileShade) {
	pa.flat.rect(r, s.Colour())
	h := math.Max(r.H()*0.3, 1)
	c := r.Center().Y
	pa.flat.rect(render.R(r.X0, c-h/2, r.X1, c+h/2), s.LightColour())
}

// maxAbs is the largest magnitude in v (0 for none).
func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		if !math.IsNaN(x) {
			m = math.Max(m, math.Abs(x))
		}
	}
	return m
}

// netPicture is the network view's picture: everything it draws but the pulses of light
// flowing along the fans and the hovered outline, on an image the screen's size (so it is
// drawn in screen pixels and copied to the same place). It is drawn again when what it
// shows changes (the plan, the view, the screen's size) at once, and while the network
// changes (its version) at most lightRate times a second. Each frame copies it onto the
// screen whole only when the screen under it may differ (a new screen, the chrome copied
// over the mesh area, an outline or the picture changed); otherwise only where last frame's
// pulses lay, before drawing this frame's. A software renderer fills every pixel it is
// asked to, so the frames between two pictures cost little more than the pulses.
type netPicture struct {
	img     *ebiten.Image
	key     netPictureKey // what the picture shows
	version uint64        // the network's version it shows
	at      float64       // when it was drawn, on the animation clock
	screen  *ebiten.Image // the screen it was last copied whole onto, nil: copy it whole next
	pulses  []render.Rect // where the pulses drawn since then lie on that screen
	outline bool          // an outline was drawn over it there
}

// netPictureKey is what the network view's picture shows, but for the network's state.
type netPictureKey struct {
	plan   *render.NetPlan
	view   render.Transform
	mesh   render.Rect
	zoomed bool
}

// draw draws the whole network in the mesh area as Update prepared it: its picture (the
// input picture, each layer's tiles or, zoomed in, their devices and waveguides, the fans
// of light from one column to the next, the outputs after each activation and the class
// scores, the labels), the pulses flowing along the fans and the outline of what is under
// the cursor. fresh says the screen under the mesh area was drawn over in this frame.
func (nv *netView) draw(screen *ebiten.Image, sc *render.Scene, fresh bool) {
	m := nv.regions.Mesh
	P := &nv.pic
	if nv.plan == nil {
		dst := nv.sub(screen, m)
		nv.flat.begin(dst)
		nv.flat.rect(m, render.Background)
		nv.flat.flush()
		nv.drawPlaceholder(dst, m, sc.LoadingText, nv.err)
		nv.damaged(m)
		P.screen = nil
		return
	}
	if b := screen.Bounds(); P.img == nil || P.img.Bounds() != b {
		if P.img != nil {
			P.img.Deallocate()
		}
		P.img, P.key = ebiten.NewImage(b.Dx(), b.Dy()), netPictureKey{}
	}
	net := &sc.Network
	key := netPictureKey{nv.plan, nv.view, m, nv.zoomed}
	redraw := key != P.key || (net.Version != P.version && nv.t-P.at >= 1.0/lightRate)
	if redraw {
		nv.paintPicture(P.img, net)
		P.key, P.version, P.at = key, net.Version, nv.t
	}
	area := nv.planArea()
	if redraw || fresh || P.outline || screen != P.screen {
		mesh := nv.sub(P.img, m)
		op := &ebiten.DrawImageOptions{Blend: ebiten.BlendCopy}
		op.GeoM.Translate(float64(mesh.Bounds().Min.X), float64(mesh.Bounds().Min.Y))
		screen.DrawImage(mesh, op)
		nv.damaged(m)
		P.screen, P.outline = screen, false
	} else {
		nv.restore(screen, P.img, P.pulses, area)
	}
	P.pulses = P.pulses[:0]
	clip := nv.sub(screen, area)
	nv.add.begin(clip)
	p, v := nv.plan, nv.view
	nv.fans(net, p, v, area, func(pt render.Point, r float64, c color.RGBA) {
		nv.add.sprite(pt, r, c)
		P.pulses = append(P.pulses, render.R(pt.X-r, pt.Y-r, pt.X+r, pt.Y+r))
	})
	nv.add.flush()
	if nv.hoverOutline(clip, net, v, nv.detailAt(v.Scale)) {
		P.outline = true
		nv.damaged(area)
	}
}

// restore copies the rectangles rs (clipped to area) of the picture pic back onto the
// screen, in one call: what last frame's pulses covered.
func (nv *netView) restore(screen, pic *ebiten.Image, rs []render.Rect, area render.Rect) {
	if len(rs) == 0 {
		return
	}
	nv.copier.begin(screen, pic)
	// The pixels the pulses were clipped to (sub), each pulse's whole pixels.
	clip := render.R(math.Floor(area.X0), math.Floor(area.Y0), math.Ceil(area.X1), math.Ceil(area.Y1))
	var hull render.Rect
	for _, r := range rs {
		r = render.R(math.Max(math.Floor(r.X0), clip.X0), math.Max(math.Floor(r.Y0), clip.Y0), math.Min(math.Ceil(r.X1), clip.X1), math.Min(math.Ceil(r.Y1), clip.Y1))
		if r.Empty() {
			continue
		}
		nv.copier.copyRect(r)
		hull = hull.Union(r)
	}
	nv.copier.flush()
	nv.damaged(hull)
}

// paintPicture draws the network view's picture onto dst (the screen's size), in the mesh
// area: all but the pulses and the outline.
func (nv *netView) paintPicture(dst *ebiten.Image, net *render.Network) {
	m := nv.regions.Mesh
	mesh := nv.sub(dst, m)
	nv.flat.begin(mesh)
	nv.flat.rect(m, render.Background)
	nv.flat.flush()
	p, v := nv.plan, nv.view
	area := nv.planArea()
	clip := nv.sub(dst, area)
	detail := nv.detailAt(v.Scale)

	// Fans of light between the columns (their pulses are drawn each frame, over the picture).
	nv.flat.begin(clip)
	nv.drawInput(net, p, v, area)
	nv.fans(net, p, v, area, nil)
	nv.flat.flush()

	// Tiles and devices in view (prepareNet).
	nv.flat.begin(clip)
	for _, it := range nv.items {
		nt := p.Tiles[it.Tile]
		l := &net.Layers[nt.Layer]
		if it.Device >= 0 {
			nv.device(l, nt, it.Device, v)
			continue
		}
		if detail == render.DetailTiles {
			if s, ok := l.Shade(nt.Block); ok {
				nv.paintTile(v.ApplyRect(nt.Rect), s)
			} else {
				nv.flat.rect(v.ApplyRect(nt.Rect), render.Passive)
			}
			continue
		}
		nv.flat.rect(v.ApplyRect(nt.Rect.Inset(-0.3)), color.RGBA{0x0d, 0x12, 0x1a, 0xff})
		nv.guides(l, nt, v, area)
	}
	// The outputs after each activation (the next layer's light) and the scores.
	for i, pl := range p.Layers {
		out := net.Layers[i].Output
		if i+1 < len(net.Layers) && !net.Layers[i+1].Conv {
			out = net.Layers[i+1].Input
		}
		nv.cells(v, area, pl.Out, out, -1)
	}
	nv.cells(v, area, p.Scores, net.Scores, render.Argmax(net.Scores))
	nv.flat.flush()

	nv.labels(clip, net, p, v, area)
	nv.caption(mesh, net, detail)
}

// fans draws the fans of light between the network's columns: from the input to the first
// layer, from each layer to its outputs and on to the next layer, and to the scores. With
// pulse nil it adds the beams to g.flat; else it gives pulse each pulse of light flowing
// along them now (its centre, radius and colour) instead.
func (nv *netView) fans(net *render.Network, p *render.NetPlan, v render.Transform, area render.Rect, pulse func(render.Point, float64, color.RGBA)) {
	for i := range p.Layers {
		l := &net.Layers[i]
		pl := p.Layers[i]
		left := p.Input
		var lv []float64
		if i == 0 {
			lv = rowLight(net.Input)
		} else {
			left, lv = p.Layers[i-1].Out, l.Input
		}
		nv.fan(v, area, left, pl.Rect, lv, pulse)
		nv.fan(v, area, pl.Rect, pl.Out, l.Output, pulse)
	}
	if n := len(p.Layers); n > 0 {
		nv.fan(v, area, p.Layers[n-1].Out, p.Scores, net.Scores, pulse)
	}
}

// rowLight is the light of each row of an image sample (its mean value), or the sample's
// values for a feature vector.
func rowLight(s render.Sample) []float64 {
	c, h, w := s.Shape[0], s.Shape[1], s.Shape[2]
	if len(s.X) < c*h*w || h <= 1 {
		out := make([]float64, len(s.X))
		for i, x := range s.X {
			out[i] = float64(x)
		}
		return out
	}
	out := make([]float64, h)
	for ch := 0; ch < c; ch++ {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out[y] += float64(s.X[(ch*h+y)*w+x]) / float64(c*w)
			}
		}
	}
	return out
}

// drawInput draws the sample's pixels as light (grey levels from dark to the light colour).
func (nv *netView) drawInput(net *render.Network, p *render.NetPlan, v render.Transform, area render.Rect) {
	r := v.ApplyRect(p.Input)
	if !r.Overlaps(area) || net.Input.X == nil {
		return
	}
	nv.flat.rect(r, color.RGBA{0x0b, 0x10, 0x17, 0xff})
	for _, c := range render.SampleCells(net.Input, r) {
		if c.Rect.Overlaps(area) {
			nv.flat.rect(c.Rect, render.Mix(render.Background, render.LightColor, c.Value))
		}
	}
}

// fan draws light from the right edge of a to the left edge of b: one beam per value of vals
// (spread over both edges), as bright as the value, added to g.flat; or, with pulse not nil,
// the pulses moving along the beams now, given to pulse.
func (nv *netView) fan(v render.Transform, area, a, b render.Rect, vals []float64, pulse func(render.Point, float64, color.RGBA)) {
	n := len(vals)
	if n == 0 {
		return
	}
	ra, rb := v.ApplyRect(a), v.ApplyRect(b)
	if !render.R(ra.X1, math.Min(ra.Y0, rb.Y0), rb.X0, math.Max(ra.Y1, rb.Y1)).Overlaps(area) {
		return
	}
	mx := maxAbs(vals)
	w := math.Max(1, 0.5*v.Scale)
	step := max(1, n/64) // at most 64 beams: a fan of 784 would be a grey sheet
	radius := math.Max(1.5, 0.6*v.Scale)
	for k := 0; k < n; k += step {
		br := render.Brightness(vals[k], mx)
		f := (float64(k) + 0.5) / float64(n)
		p := render.Pt(ra.X1, ra.Y0+f*ra.H())
		q := render.Pt(rb.X0, rb.Y0+f*rb.H())
		if pulse == nil {
			nv.flat.line(p, q, w, render.LightAt(br))
			continue
		}
		if br < 0.2 {
			continue
		}
		const period = 0.8 // seconds between two pulses on a beam
		for t := math.Mod(nv.t, period) / period; t < 1; t += 0.5 {
			pulse(render.Pt(p.X+(q.X-p.X)*t, p.Y+(q.Y-p.Y)*t), radius, render.Scale(render.LightColor, 0.7*br))
		}
	}
}

// cells draws a column of values as stacked cells lit by their magnitude; mark (>= 0) is
// drawn in the colour of a right answer.
func (nv *netView) cells(v render.Transform, area, col render.Rect, vals []float64, mark int) {
	r := v.ApplyRect(col)
	if !r.Overlaps(area) || len(vals) == 0 {
		return
	}
	mx := maxAbs(vals)
	h := r.H() / float64(len(vals))
	for k, x := range vals {
		c := render.LightAt(render.Brightness(x, mx))
		if k == mark {
			c = render.Good
		}
		nv.flat.rect(render.R(r.X0, r.Y0+float64(k)*h+math.Min(1, h*0.1), r.X1, r.Y0+float64(k+1)*h), c)
	}
}

// netGuides draws a tile's waveguides, each segment lit by the light on it.
func (nv *netView) guides(l *render.NetLayer, nt render.NetTile, v render.Transform, area render.Rect) {
	var f [][]float64
	if nt.Block < len(l.Light.Fields) {
		f = l.Light.Fields[nt.Block]
	}
	wgw := math.Max(1, 0.18*v.Scale)
	for k := 0; k <= nt.Columns; k++ {
		x0, x1 := nt.SegmentX(k)
		rows := nt.OutRows
		if k <= nt.SigmaColumn {
			rows = nt.InRows
		}
		for r := 0; r < rows; r++ {
			y := nt.RowY(r)
			a, b := v.Apply(render.Pt(x0, y)), v.Apply(render.Pt(x1, y))
			seg := render.R(a.X, a.Y-wgw/2, b.X, a.Y+wgw/2)
			if !seg.Overlaps(area) {
				continue
			}
			br := 0.0
			if k < len(f) && r < len(f[k]) {
				br = render.Brightness(f[k][r], l.Light.Max)
			}
			nv.flat.rect(seg, render.LightAt(br))
		}
	}
}

// netDevice draws device d of a tile: its heater on the power ramp when active, the
// passive colour otherwise.
func (nv *netView) device(l *render.NetLayer, nt render.NetTile, d int, v render.Transform) {
	if d >= len(l.Phase) || d >= len(l.Active) {
		return
	}
	body, heater := render.DeviceGeometry(nt.Tile, l.Sites[d])
	r := v.ApplyRect(body)
	if !l.Active[d] {
		nv.flat.rect(r, render.Passive)
		return
	}
	c := render.PhaseHeat(l.Phase[d])
	if l.Sites[d].Part == photonics.PartSigma {
		nv.flat.rect(r, c)
		return
	}
	nv.flat.rect(r, render.DeviceBody)
	hc := v.Apply(heater)
	hw, hh := r.W()*0.42, math.Max(r.H()*0.22, 1)
	nv.flat.rect(render.R(hc.X-hw, hc.Y-hh, hc.X+hw, hc.Y+hh), c)
}

// netLabels names the columns above them when they are wide enough on screen.
func (nv *netView) labels(dst *ebiten.Image, net *render.Network, p *render.NetPlan, v render.Transform, area render.Rect) {
	f := nv.fonts.small
	// A label goes above its column when it fits the column and half the gaps beside it.
	label := func(r render.Rect, s, short string) {
		sr := v.ApplyRect(r.Inset(-5))
		y := sr.Y0 - 14*nv.scale
		if y < area.Y0 || sr.X1 < area.X0 || sr.X0 > area.X1 {
			return
		}
		if textWidth(s, f) > sr.W() {
			s = short
		}
		if s != "" && textWidth(s, f) <= sr.W() {
			drawText(dst, s, f, (sr.X0+sr.X1)/2, y, render.TextDim, text.AlignCenter)
		}
	}
	in := net.Input.Shape
	label(p.Input, fmt.Sprintf("input %d×%d", in[1], in[2]), "input")
	for i, pl := range p.Layers {
		l := &net.Layers[i]
		label(pl.Rect, fmt.Sprintf("layer %d · %d×%d · %d blocks", i+1, l.Out, l.In, l.NumBlocks()), fmt.Sprintf("layer %d", i+1))
		if i+1 < len(p.Layers) {
			label(pl.Out, "ReLU", "")
		}
	}
	label(p.Scores, "scores", "")
}

// netCaption describes the network and the level of detail on the mesh area's top line.
func (nv *netView) caption(dst *ebiten.Image, net *render.Network, detail render.Detail) {
	m := nv.regions.Mesh
	what := "tiles: blocks by mean heater power and light (zoom in for devices)"
	if detail == render.DetailDevices {
		what = "devices"
	}
	s := fmt.Sprintf("whole network · %d layers · %d devices, %d active · %s", len(net.Layers), nv.devices, nv.active, what)
	drawText(dst, s, nv.fonts.small, m.X0+6*nv.scale, m.Y0+2*nv.scale, render.TextDim, text.AlignStart)
	if nv.zoomed {
		drawText(dst, "double-click: fit", nv.fonts.small, m.X1-6*nv.scale, m.Y0+2*nv.scale, render.TextDim, text.AlignEnd)
	}
}

// hoverOutline outlines the device (or, zoomed out, the tile) under the cursor, and
// reports whether there was one.
func (nv *netView) hoverOutline(dst *ebiten.Image, net *render.Network, v render.Transform, detail render.Detail) bool {
	t, d := nv.hover[0], nv.hover[1]
	p := nv.plan
	if t < 0 || t >= len(p.Tiles) {
		return false
	}
	nt := p.Tiles[t]
	r := nt.Rect
	if detail == render.DetailDevices && d >= 0 && d < len(net.Layers[nt.Layer].Sites) {
		r, _ = render.DeviceGeometry(nt.Tile, net.Layers[nt.Layer].Sites[d])
	}
	nv.outline(dst, v.ApplyRect(r).Inset(-1.5*nv.scale), render.Text)
	return true
}

// netTooltip describes what is under the cursor: a device (its phase, power, whether it is
// active) when devices are drawn, else its tile.
func (nv *netView) tooltip(screen *ebiten.Image, sc *render.Scene) {
	nv.tooltipShown = false
	t, d := nv.hover[0], nv.hover[1]
	p := nv.plan
	if p == nil || t < 0 || t >= len(p.Tiles) {
		return
	}
	nt := p.Tiles[t]
	s := sc.Network.BlockInfo(nt.Layer, nt.Block)
	if nv.detailAt(nv.view.Scale) == render.DetailDevices && d >= 0 {
		s = sc.Network.DeviceInfo(nt.Layer, d)
	}
	if s == "" {
		return
	}
	nv.showTooltip(screen, s)
}

// Devices reports whether the view shown draws devices one by one (zoomed in far enough),
// as Update prepared it: the network view, the layer view, or a race's lanes. Only then
// does the page ask the engines for the devices' phases and light (wire.Have.Devices);
// drawn as tiles, a view needs their shades alone.
func (g *Game) Devices() bool {
	switch g.shown {
	case shownNetwork:
		return g.net.plan != nil && g.detailAt(g.net.view.Scale) == render.DetailDevices
	case shownLayer:
		return g.layer.plan != nil && g.layer.detail == render.DetailDevices
	case shownRace:
		for i := range g.race.lanes {
			if l := &g.race.lanes[i]; l.plan != nil && l.detail == render.DetailDevices {
				return true
			}
		}
	}
	return false
}

// NetworkItems is how many tiles and devices the network view draws (0 in another view),
// for the page API: zoomed out it stays at most the number of tiles.
func (g *Game) NetworkItems() int {
	if g.net.plan == nil || g.shown != shownNetwork {
		return 0
	}
	return len(g.net.items)
}

// countActive is how many of the devices are active.
func countActive(active []bool) int {
	n := 0
	for _, a := range active {
		if a {
			n++
		}
	}
	return n
}
