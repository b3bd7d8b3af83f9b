package render

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestFitCentresAndFills(t *testing.T) {
	content := Rect{0, 0, 200, 50}
	view := Rect{10, 20, 410, 320}
	tr := Fit(content, view, 5)
	got := tr.ApplyRect(content)
	// 200x50 into 390x290: width limits, scale 1.95.
	if !near(tr.Scale, 1.95, 1e-12) {
		t.Errorf("scale %g, want 1.95", tr.Scale)
	}
	if !near(got.X0, 15, 1e-9) || !near(got.X1, 405, 1e-9) {
		t.Errorf("x span %g..%g, want 15..405", got.X0, got.X1)
	}
	if c, v := got.Center(), view.Center(); !near(c.X, v.X, 1e-9) || !near(c.Y, v.Y, 1e-9) {
		t.Errorf("centre %v, want %v", c, v)
	}
	if id := Fit(Rect{}, view, 0); id.Scale != 1 {
		t.Errorf("empty content: %+v", id)
	}
}

func TestZoomPanInvert(t *testing.T) {
	tr := Transform{Scale: 2, DX: 5, DY: -3}
	at := Point{100, 40}
	planAt := tr.Invert(at)
	z := tr.ZoomAt(at, 3)
	if p := z.Apply(planAt); !near(p.X, at.X, 1e-9) || !near(p.Y, at.Y, 1e-9) {
		t.Errorf("zoom moved the point under the cursor to %v", p)
	}
	if z.Scale != 6 {
		t.Errorf("zoomed scale %g", z.Scale)
	}
	p := Point{7, 11}
	q := z.Pan(4, -2).Apply(p)
	r := z.Apply(p)
	if q.X-r.X != 4 || q.Y-r.Y != -2 {
		t.Errorf("pan moved by %g,%g", q.X-r.X, q.Y-r.Y)
	}
	if back := z.Invert(z.Apply(p)); !near(back.X, p.X, 1e-12) || !near(back.Y, p.Y, 1e-12) {
		t.Errorf("invert(apply(p)) = %v", back)
	}
	rect := R(-3, 2, 8, 9.5)
	if back := z.InvertRect(z.ApplyRect(rect)); !near(back.X0, rect.X0, 1e-12) || !near(back.Y0, rect.Y0, 1e-12) || !near(back.X1, rect.X1, 1e-12) || !near(back.Y1, rect.Y1, 1e-12) {
		t.Errorf("InvertRect(ApplyRect(%v)) = %v", rect, back)
	}
}

func TestClampKeepsContentInView(t *testing.T) {
	content := Rect{0, 0, 100, 20}
	view := Rect{0, 0, 200, 200}
	fit := Fit(content, view, 0) // scale 2: 200 x 40, centred vertically
	// Zoomed out beyond fit: back to fit.
	if c := (Transform{Scale: 0.5}).Clamp(fit, content, view, 10); !near(c.Scale, fit.Scale, 1e-12) || !near(c.DX, fit.DX, 1e-9) || !near(c.DY, fit.DY, 1e-9) {
		t.Errorf("zoomed out: %+v, want fit %+v", c, fit)
	}
	// Zoomed in 4x and panned far right: the content's left edge may not leave the view's.
	z := fit.ZoomAt(Point{100, 100}, 4).Pan(5000, 0)
	c := z.Clamp(fit, content, view, 10)
	r := c.ApplyRect(content)
	if r.X0 > view.X0+1e-9 || r.X1 < view.X1-1e-9 {
		t.Errorf("content %v no longer covers the view width", r)
	}
	// Height 20*8 = 160 < 200: centred vertically.
	if !near(r.Center().Y, 100, 1e-9) {
		t.Errorf("content centre y %g, want 100", r.Center().Y)
	}
	// Zoom limit.
	if c := fit.ZoomAt(Point{}, 1000).Clamp(fit, content, view, 10); !near(c.Scale, 10, 1e-12) {
		t.Errorf("scale %g, want the limit 10", c.Scale)
	}
}

func TestRectHelpers(t *testing.T) {
	r := Rect{0, 0, 10, 4}
	if !r.Contains(Point{0, 0}) || r.Contains(Point{10, 1}) {
		t.Error("Contains is half-open")
	}
	if in := r.Inset(3); in.W() != 4 || in.H() != 0 {
		t.Errorf("Inset(3) = %v", in)
	}
	if u := (Rect{}).Union(r); u != r {
		t.Errorf("union with empty = %v", u)
	}
	if !r.Overlaps(Rect{9, 3, 12, 5}) || r.Overlaps(Rect{10, 0, 12, 4}) {
		t.Error("Overlaps")
	}
}
