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
// frame to frame with what a zoom shows of them. Draw only reads what these leave.

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
func (g *Game) steer(z *zoom, in input, at render.Point, over bool) {
	if g.dragging && !in.held {
		g.dragging = false
	}
	if z.content.Empty() {
		return
	}
	if in.wheel != 0 && over {
		z.view = z.view.ZoomAt(at, math.Pow(1.15, in.wheel)).Clamp(z.fit, z.content, z.area, g.maxScale())
		z.zoomed = true
	}
	if in.press && over {
		if in.at.Sub(g.lastClick) < 350*time.Millisecond {
			z.view, z.zoomed = z.fit, false
		}
		g.lastClick = in.at
		g.dragging, g.dragFrom = true, in.cursor
	}
	if g.dragging {
		if d := render.Pt(in.cursor.X-g.dragFrom.X, in.cursor.Y-g.dragFrom.Y); d != (render.Point{}) {
			z.view = z.view.Pan(d.X, d.Y).Clamp(z.fit, z.content, z.area, g.maxScale())
			g.dragFrom, z.zoomed = in.cursor, true
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
// Update plans it (the plan of the chip, layer and area shape, kept while they stay) and
// culls it (the tiles and devices the view shows, found again only when the plan, the view
// or the area changes); Draw draws those only.
type sheet struct {
	plans   kept[planKey, *render.Plan]
	plan    *render.Plan // for the scene's chip and layer; nil when there is none
	err     error        // why there is no plan, when laying it out failed
	tiles   []int        // indices into plan.Tiles in view
	devices []int        // indices into plan.Devices in view
	culled  cullKey      // what tiles and devices were found for
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

// cull finds what view shows of the plan inside area (render.Plan.Visible), unless it did
// for the same plan, view and area last time.
func (s *sheet) cull(view render.Transform, area render.Rect) {
	key := cullKey{s.plan, view, area}
	if key == s.culled {
		return
	}
	s.culled = key
	s.tiles, s.devices = s.tiles[:0], s.devices[:0]
	if s.plan != nil {
		s.tiles, s.devices = s.plan.Visible(view, area, s.tiles, s.devices)
	}
}
