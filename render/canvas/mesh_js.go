package canvas

import (
	"image/color"
	"math"
	"slices"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
)

// meshLayers caches the mesh picture in two images the size of the plan area, so a frame
// redraws only what changed: guides holds the background, tile frames, waveguides lit by
// the light and the crosstalk halos (redrawn when the light changes, at most lightRate
// times a second); devices holds the MZIs and shifters on a transparent background
// (a device is redrawn when its colour changes). Each frame composes guides, the flowing
// light pulses and devices. Zoomed out (render.DetailTiles) guides holds the tiles in their
// shades instead, redrawn when Update shaded them again, and is all there is.
type meshLayers struct {
	guides, devices *ebiten.Image
	culled          cullKey // the plan, view and area drawn: their devices in view are in the layers
	w, h            int
	lightVersion    uint64
	lightAt         float64
	shading         uint64       // the sheet's shading drawn zoomed out
	drawn           []color.RGBA // per device in view (the sheet's devices): its colour in the devices layer
}

// lightRate is how many times a second the lit waveguides may be redrawn while training.
const lightRate = 5

// drawMesh draws the shown layer's plan as Update prepared it: its view, the tiles and
// devices in view, the light and the device under the cursor.
func (lv *layerView) draw(screen *ebiten.Image, sc *render.Scene) {
	m := lv.regions.Mesh
	if lv.plan == nil {
		lv.drawPlaceholder(screen, m, sc.LoadingText, lv.err)
		lv.damaged(m)
		return
	}
	area := lv.planArea()
	w, h := int(math.Ceil(area.W())), int(math.Ceil(area.H()))
	if w < 1 || h < 1 {
		return
	}
	L := &lv.layers
	full := L.culled != lv.culled || L.w != w || L.h != h || L.guides == nil
	if full {
		if L.guides == nil || L.w != w || L.h != h {
			if L.guides != nil {
				L.guides.Deallocate()
				L.devices.Deallocate()
			}
			L.guides, L.devices = ebiten.NewImage(w, h), ebiten.NewImage(w, h)
		}
		L.culled, L.w, L.h = lv.culled, w, h
		L.drawn = slices.Grow(L.drawn[:0], len(lv.devices))[:len(lv.devices)] // every one is drawn below
		L.devices.Clear()
	}
	// In the layers, plan units map to pixels of the area.
	local := lv.view.Pan(-area.X0, -area.Y0)
	op := &ebiten.DrawImageOptions{Blend: ebiten.BlendCopy}
	op.GeoM.Translate(math.Floor(area.X0), math.Floor(area.Y0))
	if lv.detail == render.DetailTiles {
		if full || L.shading != lv.shading {
			L.guides.Fill(render.Background)
			lv.flat.begin(L.guides)
			lv.paintTiles(&lv.sheet, local)
			lv.flat.flush()
			L.shading = lv.shading
		}
		screen.DrawImage(L.guides, op)
		lv.damaged(area)
		lv.drawHover(lv.sub(screen, area))
		return
	}
	if full || (L.lightVersion != sc.Version && lv.t-L.lightAt >= 1.0/lightRate) {
		lv.drawGuides(L.guides, sc, local)
		L.lightVersion, L.lightAt = sc.Version, lv.t
	}
	lv.updateDevices(L, sc, local, full)

	screen.DrawImage(L.guides, op)
	lv.damaged(area)
	lv.drawPulses(lv.sub(screen, area), sc)
	op.Blend = ebiten.BlendSourceOver
	screen.DrawImage(L.devices, op)
	lv.drawHover(lv.sub(screen, area))
}

// haloRadius is how far, in pixels, a device's crosstalk halo glows from its heater at s
// pixels per plan unit: what is drawn of a device or tile reaches no farther.
func haloRadius(s float64) float64 { return math.Max(4, 1.5*s) }

// drawGuides redraws the guides layer: tiles, waveguides lit by the light, halos of the
// tiles and devices in view.
func (lv *layerView) drawGuides(dst *ebiten.Image, sc *render.Scene, v render.Transform) {
	dst.Fill(render.Background)
	s := v.Scale
	bounds := render.R(0, 0, float64(dst.Bounds().Dx()), float64(dst.Bounds().Dy()))
	lv.flat.begin(dst)
	lv.paintGuides(lv.plan, lv.tiles, lv.light, v, bounds)
	lv.flat.flush()
	if sc.Crosstalk <= 0 {
		return
	}
	lv.add.begin(dst)
	chip := sc.Chip
	r := haloRadius(s)
	for _, i := range lv.devices {
		d := lv.plan.Devices[i]
		h := render.HaloStrength(chip.Phase(d.Global), sc.Crosstalk, chip.IsActive(d.Global))
		if h < 0.02 {
			continue
		}
		c := v.Apply(d.Heater)
		if !(render.R(c.X-r, c.Y-r, c.X+r, c.Y+r)).Overlaps(bounds) {
			continue
		}
		lv.add.sprite(c, r, render.Scale(render.PhaseHeat(chip.Phase(d.Global)), 0.55*h))
	}
	lv.add.flush()
	lv.drawPartLabels(dst, v)
}

// paintGuides adds to g.flat the frames of plan p's tiles listed in tiles and their
// waveguides, each segment lit by light (nil: dark), as v maps them into clip; what lies
// outside clip is left out. The layer view and the race's lanes draw their meshes with it.
func (pa *paint) paintGuides(p *render.Plan, tiles []int, light *render.Light, v render.Transform, clip render.Rect) {
	for _, b := range tiles {
		t := p.Tiles[b]
		fr := v.ApplyRect(render.R(t.Rect.X0-0.3, t.Rect.Y0-0.1, t.Rect.X1+0.3, t.Rect.Y1+0.1))
		if fr.Overlaps(clip) {
			pa.flat.rect(fr, color.RGBA{0x0d, 0x12, 0x1a, 0xff})
		}
	}
	wgw := math.Max(1, 0.18*v.Scale)
	for _, b := range tiles {
		t := p.Tiles[b]
		for k := 0; k <= t.Columns; k++ {
			x0, x1 := t.SegmentX(k)
			for r := 0; r < t.Rows; r++ {
				if !pa.hasGuide(t, k, r) {
					continue
				}
				y := t.RowY(r)
				sr := v.ApplyRect(render.R(x0, y, x1, y))
				seg := render.R(sr.X0, sr.Y0-wgw/2, sr.X1, sr.Y0+wgw/2)
				if seg.Overlaps(clip) {
					pa.flat.rect(seg, render.LightAt(brightness(light, b, k, r)))
				}
			}
		}
	}
}

// paintTiles adds to g.flat the tiles of sheet s in view in their shades, as v maps them
// (zoomed out, for the layer view and the race's lanes).
func (pa *paint) paintTiles(s *sheet, v render.Transform) {
	for _, b := range s.tiles {
		if b < len(s.shades) {
			pa.paintTile(v.ApplyRect(s.plan.Tiles[b].Rect), s.shades[b])
		}
	}
}

// deviceColour is what a device shows: its heater's ramp colour when active (Sigma
// shifters always are), the passive colour otherwise.
func deviceColour(chip *render.ChipState, d render.Device) color.RGBA {
	if d.Site.Part == photonics.PartSigma || chip.IsActive(d.Global) {
		return render.PhaseHeat(chip.Phase(d.Global))
	}
	return render.Passive
}

// updateDevices redraws the devices in view whose colour changed (all of them when full).
func (lv *layerView) updateDevices(L *meshLayers, sc *render.Scene, v render.Transform, full bool) {
	lv.flat.begin(L.devices)
	for k, i := range lv.devices {
		d := lv.plan.Devices[i]
		c := deviceColour(sc.Chip, d)
		if !full && L.drawn[k] == c {
			continue
		}
		L.drawn[k] = c
		lv.paintDevice(d, c, v)
	}
	lv.flat.flush()
}

// paintDevice adds device d in colour c (deviceColour) to g.flat as v maps it: a Sigma
// shifter is a square of its colour, a passive MZI a body of the passive colour (with a
// thin dark bar, its fixed unheated phase, once large enough) and an active one a body with
// its heater; too small for a body, the heater fills the device.
func (pa *paint) paintDevice(d render.Device, c color.RGBA, v render.Transform) {
	s := v.Scale
	r := v.ApplyRect(d.Rect)
	if d.Site.Part == photonics.PartSigma {
		pa.flat.rect(r, c)
		return
	}
	hc := v.Apply(d.Heater)
	if c == render.Passive {
		pa.flat.rect(r, render.Passive)
		if s >= 6 {
			pa.flat.rect(render.R(r.X0+r.W()*0.2, hc.Y-0.06*s, r.X1-r.W()*0.2, hc.Y+0.06*s), render.DeviceBody)
		}
		return
	}
	if s < 4 {
		pa.flat.rect(r, c)
		return
	}
	pa.flat.rect(r, render.DeviceBody)
	hw, hh := r.W()*0.42, math.Max(r.H()*0.22, 1)
	pa.flat.rect(render.R(hc.X-hw, hc.Y-hh, hc.X+hw, hc.Y+hh), c)
}

// drawPulses draws light flowing left to right along the lit waveguides of the tiles in
// view: bright pulses a few waveguide pitches apart, moving with the animation clock.
func (lv *layerView) drawPulses(dst *ebiten.Image, sc *render.Scene) {
	const period, speed = 3.0, 3.0 // plan units; plan units per second
	v := lv.view
	area := lv.planArea()
	radius := math.Max(2, 0.42*v.Scale)
	lv.add.begin(dst)
	for _, b := range lv.tiles {
		t := lv.plan.Tiles[b]
		for k := 0; k <= t.Columns; k++ {
			x0, x1 := t.SegmentX(k)
			first := x0 + math.Mod(math.Mod(speed*lv.t-x0, period)+period, period)
			if first >= x1 {
				continue
			}
			for r := 0; r < t.Rows; r++ {
				if !lv.hasGuide(t, k, r) {
					continue
				}
				br := brightness(lv.light, b, k, r)
				if br < 0.15 {
					continue
				}
				y := t.RowY(r)
				for x := first; x < x1; x += period {
					p := v.Apply(render.Pt(x, y))
					if area.Contains(p) {
						lv.add.sprite(p, radius, render.Scale(render.LightColor, 0.85*br))
					}
				}
			}
		}
	}
	lv.add.flush()
}

// drawHover outlines the device under the cursor or, zoomed out, its tile.
func (lv *layerView) drawHover(dst *ebiten.Image) {
	if r, ok := lv.hovered(lv.hover); ok {
		lv.outline(dst, lv.view.ApplyRect(r).Inset(-1.5*lv.scale), render.Text)
	}
}

// drawPartLabels names V*, Sigma and U above the first tile once they fit (v maps the plan
// to dst's pixels).
func (lv *layerView) drawPartLabels(dst *ebiten.Image, v render.Transform) {
	p := lv.plan
	if v.Scale < 5 || len(p.Tiles) == 0 {
		return
	}
	t := p.Tiles[0]
	y := v.Apply(render.Pt(0, t.Rect.Y0)).Y - 13*lv.scale
	if y < -2 {
		return
	}
	sig := t.ColumnX(t.SigmaColumn)
	for _, lb := range []struct {
		x float64
		s string
	}{{(t.Rect.X0 + sig) / 2, "V*"}, {sig, "Σ"}, {(sig + t.Rect.X1) / 2, "U"}} {
		drawText(dst, lb.s, lv.fonts.small, v.Apply(render.Pt(lb.x, 0)).X, y, render.TextDim, text.AlignCenter)
	}
}
