package render

import "math"

// Point is a position, in floor-plan units or in screen pixels.
type Point struct{ X, Y float64 }

// Rect is an axis-aligned rectangle [X0, X1) x [Y0, Y1).
type Rect struct{ X0, Y0, X1, Y1 float64 }

// Pt is the point (x, y).
func Pt(x, y float64) Point { return Point{x, y} }

// R is the rectangle [x0, x1) x [y0, y1).
func R(x0, y0, x1, y1 float64) Rect { return Rect{x0, y0, x1, y1} }

// W is the width of r.
func (r Rect) W() float64 { return r.X1 - r.X0 }

// H is the height of r.
func (r Rect) H() float64 { return r.Y1 - r.Y0 }

// Empty reports whether r has no area.
func (r Rect) Empty() bool { return !(r.X1 > r.X0 && r.Y1 > r.Y0) }

// Center is the middle of r.
func (r Rect) Center() Point { return Point{(r.X0 + r.X1) / 2, (r.Y0 + r.Y1) / 2} }

// Contains reports whether p lies in r.
func (r Rect) Contains(p Point) bool { return p.X >= r.X0 && p.X < r.X1 && p.Y >= r.Y0 && p.Y < r.Y1 }

// Inset shrinks r by d on every side (never below zero size: it collapses to the centre).
func (r Rect) Inset(d float64) Rect {
	out := Rect{r.X0 + d, r.Y0 + d, r.X1 - d, r.Y1 - d}
	if out.X1 < out.X0 {
		out.X0, out.X1 = (r.X0+r.X1)/2, (r.X0+r.X1)/2
	}
	if out.Y1 < out.Y0 {
		out.Y0, out.Y1 = (r.Y0+r.Y1)/2, (r.Y0+r.Y1)/2
	}
	return out
}

// Union is the smallest rectangle holding r and o; an empty rectangle is ignored.
func (r Rect) Union(o Rect) Rect {
	if r.Empty() {
		return o
	}
	if o.Empty() {
		return r
	}
	return Rect{math.Min(r.X0, o.X0), math.Min(r.Y0, o.Y0), math.Max(r.X1, o.X1), math.Max(r.Y1, o.Y1)}
}

// Overlaps reports whether r and o share area.
func (r Rect) Overlaps(o Rect) bool {
	return r.X0 < o.X1 && o.X0 < r.X1 && r.Y0 < o.Y1 && o.Y0 < r.Y1
}

// Transform maps floor-plan units to screen pixels with one uniform scale:
// screen = plan * Scale + (DX, DY).
type Transform struct{ Scale, DX, DY float64 }

// Fit returns the transform that shows all of content inside view, as large as possible
// with margin pixels left free on every side, centred. An empty content or view gives the
// identity scaled to 1 at view's corner.
func Fit(content, view Rect, margin float64) Transform {
	inner := view.Inset(margin)
	if content.Empty() || inner.Empty() {
		return Transform{Scale: 1, DX: view.X0, DY: view.Y0}
	}
	s := math.Min(inner.W()/content.W(), inner.H()/content.H())
	c, v := content.Center(), inner.Center()
	return Transform{Scale: s, DX: v.X - c.X*s, DY: v.Y - c.Y*s}
}

// Apply maps a plan point to the screen.
func (t Transform) Apply(p Point) Point { return Point{p.X*t.Scale + t.DX, p.Y*t.Scale + t.DY} }

// ApplyRect maps a plan rectangle to the screen.
func (t Transform) ApplyRect(r Rect) Rect {
	a, b := t.Apply(Point{r.X0, r.Y0}), t.Apply(Point{r.X1, r.Y1})
	return Rect{a.X, a.Y, b.X, b.Y}
}

// Invert maps a screen point back to the plan.
func (t Transform) Invert(p Point) Point {
	return Point{(p.X - t.DX) / t.Scale, (p.Y - t.DY) / t.Scale}
}

// InvertRect maps a screen rectangle back to the plan: the part of the plan it shows.
func (t Transform) InvertRect(r Rect) Rect {
	a, b := t.Invert(Point{r.X0, r.Y0}), t.Invert(Point{r.X1, r.Y1})
	return Rect{a.X, a.Y, b.X, b.Y}
}

// ZoomAt scales by factor about the screen point at: the plan point under it stays put.
func (t Transform) ZoomAt(at Point, factor float64) Transform {
	return Transform{Scale: t.Scale * factor, DX: at.X - (at.X-t.DX)*factor, DY: at.Y - (at.Y-t.DY)*factor}
}

// Pan moves the picture by (dx, dy) pixels.
func (t Transform) Pan(dx, dy float64) Transform {
	return Transform{Scale: t.Scale, DX: t.DX + dx, DY: t.DY + dy}
}

// Clamp limits a user-zoomed transform: its scale stays within [fit.Scale, maxScale] (or
// fit.Scale when that is larger), and the content cannot be panned out of view: each axis
// keeps the content covering the view, or centred like fit when it is smaller.
func (t Transform) Clamp(fit Transform, content, view Rect, maxScale float64) Transform {
	maxScale = math.Max(maxScale, fit.Scale)
	if t.Scale < fit.Scale || t.Scale > maxScale || math.IsNaN(t.Scale) {
		s := math.Min(math.Max(t.Scale, fit.Scale), maxScale)
		if math.IsNaN(s) {
			s = fit.Scale
		}
		t = t.ZoomAt(view.Center(), s/t.Scale)
		t.Scale = s
	}
	clampAxis := func(d, lo, hi, vlo, vhi, fitD float64) float64 {
		size := (hi - lo) * t.Scale
		if size <= vhi-vlo {
			return fitD + (lo+hi)/2*(fit.Scale-t.Scale) // centred as fit centres it
		}
		// content spans [lo*s+d, hi*s+d]; keep it covering [vlo, vhi]
		return math.Min(math.Max(d, vhi-hi*t.Scale), vlo-lo*t.Scale)
	}
	t.DX = clampAxis(t.DX, content.X0, content.X1, view.X0, view.X1, fit.DX)
	t.DY = clampAxis(t.DY, content.Y0, content.Y1, view.Y0, view.Y1, fit.DY)
	return t
}
