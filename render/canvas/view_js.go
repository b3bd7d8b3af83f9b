package canvas

import (
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/meshlight/meshlight/render"
)

// This file holds what the layer, network and race views share, all of it Update's: the
// input of one tick, the zoom and how the input steers it, and the floor plans kept from
// frame to frame with what a zoom shows of them, at which level of detail, and what of them
// is under the cursor. Draw only reads what these leave (describe, hovered).

// input is what the mouse and the keys did in one tick, read from ebiten once (readInput)
// so that the views handle a value, which tests can make up.
type input struct {
	cursor render.Point // in screen pixels
	wheel  float64      // wheel steps, positive away from the user (zoom in)
	press  bool         // the left button went down in this tick
	held   bool         // the left button is down
	fit    bool         // F or 0 went down: fit the view
	at     time.Time    // the tick's time: the animation clock, and a press soon after another is a double click
}

// readInput reads this tick's input from ebiten.
func readInput() input {
	cx, cy := ebiten.CursorPosition()
	_, wy := ebiten.Wheel()
	return input{
		cursor: render.Pt(float64(cx), float64(cy)),
		wheel:  wy,
		press:  inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft),
		held:   ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft),
		fit:    inpututil.IsKeyJustPressed(ebiten.KeyF) || inpututil.IsKeyJustPressed(ebiten.Key0),
		at:     time.Now(),
	}
}

// zoom is a view of content that the user zooms and pans in an area of the screen: fit
// shows all of it, view is what is shown, the same as fit until the user zooms and then
// kept within fit's bounds. The layer, network and race views each have one (the race one
// for all its lanes).
type zoom struct {
	fit, view     render.Transform
	zoomed        bool
	content, area render.Rect // what fit shows, and where
}

// show fits content into area with margin pixels free around it: the view follows the fit
// until the user zooms, and after that stays within it. Other content (another model,
// layer or shape: plan bounds that differ) is fitted afresh; a new chip of the same shape
// keeps the user's zoom, so the same devices stay in view.
func (z *zoom) show(content, area render.Rect, margin, maxScale float64) {
	if content != z.content {
		z.content, z.zoomed = content, false
	}
	z.area = area
	z.fit = render.Fit(content, area, margin)
	if z.zoomed {
		z.view = z.view.Clamp(z.fit, content, area, maxScale)
	} else {
		z.view = z.fit
	}
}

// steer applies the input to z: over its area the wheel zooms at the cursor and a press
// starts a drag that pans; a double click, F or 0 fits. at is the cursor in z's pixels and
// over whether the cursor is over z's content (a drag pans by the cursor's moves, the same
// in any pixels).
func (pa *paint) steer(z *zoom, in input, at render.Point, over bool) {
	if pa.dragging && !in.held {
		pa.dragging = false
	}
	if z.content.Empty() {
		return
	}
	if in.wheel != 0 && over {
		z.view = z.view.ZoomAt(at, math.Pow(1.15, in.wheel)).Clamp(z.fit, z.content, z.area, pa.maxScale())
		z.zoomed = true
	}
	if in.press && over {
		if in.at.Sub(pa.lastClick) < 350*time.Millisecond {
			z.view, z.zoomed = z.fit, false
		}
		pa.lastClick = in.at
		pa.dragging, pa.dragFrom = true, in.cursor
	}
	if pa.dragging {
		if d := render.Pt(in.cursor.X-pa.dragFrom.X, in.cursor.Y-pa.dragFrom.Y); d != (render.Point{}) {
			z.view = z.view.Pan(d.X, d.Y).Clamp(z.fit, z.content, z.area, pa.maxScale())
			pa.dragFrom, z.zoomed = in.cursor, true
		}
	}
	if in.fit {
		z.view, z.zoomed = z.fit, false
	}
}

// kept is a value built from a key and kept while the key stays: a floor plan, built again
// only when its chip, layer or shape changes, not every frame. The layer view, each race
// lane and the network view keep their plans in one.
type kept[K comparable, V any] struct {
	key   K
	val   V
	err   error
	built bool
}

// get returns the value for key, built by build when the key changed or none was built.
func (k *kept[K, V]) get(key K, build func() (V, error)) (V, error) {
	if !k.built || key != k.key {
		k.val, k.err = build()
		k.key, k.built = key, true
	}
	return k.val, k.err
}

// planAspect is the width/height ratio a plan is laid out for in area r, in eighths, so a
// plan is laid out again only when the area's shape really changes.
func planAspect(r render.Rect) float64 { return math.Round(r.W()/math.Max(r.H(), 1)*8) / 8 }

// sheet is one layer's floor plan as a zoom shows it, the layer view's or a race lane's:
// Update plans it (the plan of the chip, layer and area shape, kept while they stay), culls
// it at the view's level of detail (the tiles, and the devices when they are large enough
// to see, found again only when the plan, the view or the area changes) and, zoomed out,
// shades the tiles in view; Draw draws those only.
type sheet struct {
	plans   kept[planKey, *render.Plan]
	plan    *render.Plan // for the scene's chip and layer; nil when there is none
	err     error        // why there is no plan, when laying it out failed
	detail  render.Detail
	tiles   []int   // indices into plan.Tiles in view
	devices []int   // indices into plan.Devices in view; none at render.DetailTiles
	culled  cullKey // what tiles and devices were found for

	// At render.DetailTiles, shades[b] is how tile b in view is drawn (render.Plan.Shade),
	// found for shadedFor, at shadedAt on the animation clock; shading counts the times they
	// were found, so a picture of them knows when to be drawn again.
	shades    []render.TileShade
	shadedFor shadeKey
	shadedAt  float64
	shading   uint64
}

// planKey is what a layer's plan depends on.
type planKey struct {
	chip   uint64 // render.ChipState.ID
	layer  int
	aspect float64
}

// cullKey is what the tiles and devices in view depend on.
type cullKey struct {
	plan *render.Plan
	view render.Transform
	area render.Rect
	full float64
}

// shadeKey is what the tiles' shades depend on: the tiles in view, and the chip's state
// and light as of a scene's version.
type shadeKey struct {
	culled  cullKey
	chip    *render.ChipState
	light   *render.Light
	version uint64
}

// replan sets the plan of layer li of chip for an area of the given aspect, kept unless
// one of them changed; none without a chip or such a layer.
func (s *sheet) replan(chip *render.ChipState, li int, aspect float64) {
	s.plan, s.err = nil, nil
	if chip == nil || li < 0 || li >= len(chip.Layers) {
		return
	}
	s.plan, s.err = s.plans.get(planKey{chip.ID, li, aspect}, func() (*render.Plan, error) {
		return render.NewPlan(chip.Layout, chip.Layers, li, aspect)
	})
}

// shows reports whether the sheet's plan is chip's layer li (Draw checks that what it draws
// is the scene's).
func (s *sheet) shows(chip *render.ChipState, li int) bool {
	return s.plan != nil && chip != nil && s.plans.key.chip == chip.ID && s.plans.key.layer == li
}

// cull finds what view shows of the plan inside area at its level of detail
// (render.Plan.Shown) at the full resolution, full of its pixels to one of the screen's
// (paint.full), unless it did for the same plan, view and area last time.
func (s *sheet) cull(view render.Transform, area render.Rect, full float64) {
	key := cullKey{s.plan, view, area, full}
	if key == s.culled {
		return
	}
	s.culled = key
	s.detail, s.tiles, s.devices = render.DetailDevices, s.tiles[:0], s.devices[:0]
	if s.plan != nil {
		s.detail, s.tiles, s.devices = s.plan.Shown(atFull(view, full), scaleRect(area, full), s.tiles, s.devices)
	}
}

// atFull is view as it maps the plan to the pixels of the full resolution, full of them to
// one of the screen's: what is in view is the same, and the level of detail is decided
// there, so drawing at fewer pixels changes the sharpness, not what is drawn.
func atFull(view render.Transform, full float64) render.Transform {
	return render.Transform{Scale: view.Scale * full, DX: view.DX * full, DY: view.DY * full}
}

// scaleRect is r with its corners scaled by k.
func scaleRect(r render.Rect, k float64) render.Rect {
	return render.R(r.X0*k, r.Y0*k, r.X1*k, r.Y1*k)
}

// detailAt is the level of detail of a view of scale pixels of the screen per plan unit,
// decided at the full resolution (atFull).
func (pa *paint) detailAt(scale float64) render.Detail { return render.DetailAt(scale * pa.full) }

// shade finds, at render.DetailTiles, the shades of the tiles in view from chip's state
// and light (as of the scene's version): at once when the tiles in view changed, else at
// most rate times a second while the chip trains (at now on the animation clock), as often
// as a picture of them may be drawn again. Zoomed in it does nothing: devices are drawn.
func (s *sheet) shade(chip *render.ChipState, light *render.Light, version uint64, now, rate float64) {
	if s.plan == nil || s.detail != render.DetailTiles {
		return
	}
	key := shadeKey{s.culled, chip, light, version}
	if key == s.shadedFor || (key.culled == s.shadedFor.culled && now-s.shadedAt < 1/rate) {
		return
	}
	if n := len(s.plan.Tiles); len(s.shades) != n {
		s.shades = make([]render.TileShade, n) // once per plan
	}
	for _, b := range s.tiles {
		s.shades[b], _ = s.plan.Shade(b, chip, light)
	}
	s.shadedFor, s.shadedAt = key, now
	s.shading++
}

// hit is what the cursor is over in a layer's plan: a tile (an index into its Tiles) and,
// when devices are drawn, one of its devices (an index into its Devices); -1 for none.
type hit struct{ tile, device int }

// noHit is the cursor over nothing.
var noHit = hit{-1, -1}

// hitAt is the tile and device of the sheet's plan under plan point q (shownHit).
func (s *sheet) hitAt(q render.Point) hit { return s.shownHit(s.plan.At(q)) }

// shownHit is a tile and device of the sheet's plan (render.Plan.At) as the level of detail
// shows them: zoomed out, the tile and no device.
func (s *sheet) shownHit(tile, device int) hit {
	if s.detail != render.DetailDevices {
		device = -1
	}
	return hit{tile, device}
}

// describe is the tooltip of h in the sheet's plan of chip's layer: the device (its phase,
// power, state) or, zoomed out, the tile as drawn (its shade); "" over nothing.
func (s *sheet) describe(h hit, chip *render.ChipState) string {
	switch {
	case s.plan == nil || chip == nil:
		return ""
	case h.device >= 0 && h.device < len(s.plan.Devices):
		return chip.DeviceInfo(s.plan.Devices[h.device])
	case s.detail == render.DetailTiles && h.tile >= 0 && h.tile < len(s.shades):
		return s.plan.BlockInfo(h.tile, s.shades[h.tile])
	}
	return ""
}

// hovered is the plan rectangle that h outlines: its device's body or, zoomed out, its
// tile's; false for none.
func (s *sheet) hovered(h hit) (render.Rect, bool) {
	switch {
	case s.plan == nil:
		return render.Rect{}, false
	case h.device >= 0 && h.device < len(s.plan.Devices):
		return s.plan.Devices[h.device].Rect, true
	case s.detail == render.DetailTiles && h.tile >= 0 && h.tile < len(s.plan.Tiles):
		return s.plan.Tiles[h.tile].Rect, true
	}
	return render.Rect{}, false
}
