package render

import "math"

// Regions are the parts of the screen, in pixels. They lie inside the screen and do not
// overlap.
type Regions struct {
	Header   Rect // title, state and the big accuracy figure
	Mesh     Rect // the floor plan of the shown layer
	Legend   Rect // heater colour ramp, passive and light swatches
	Accuracy Rect // test accuracy against ONN queries
	Power    Rect // power against ONN queries
	Input    Rect // the current sample
	Scores   Rect // the class scores of the current sample
}

// List returns the regions in drawing order.
func (r Regions) List() []Rect {
	return []Rect{r.Header, r.Mesh, r.Legend, r.Accuracy, r.Power, r.Input, r.Scores}
}

// Arrange splits a w x h screen (scale: pixels per CSS pixel, for text sizes) into regions:
// the mesh on top, the legend under it, then the two charts and the sample with its scores.
// Wide screens put charts and sample side by side; tall ones stack them.
func Arrange(w, h, scale float64) Regions {
	var r Regions
	if !(w > 0 && h > 0) {
		return r
	}
	scale = math.Max(scale, 0.5)
	pad := math.Round(6 * scale)
	header := math.Round(30 * scale)
	legend := math.Round(18 * scale)
	r.Header = Rect{0, 0, w, math.Min(header, h)}
	y := r.Header.Y1
	rest := h - y
	wide := w >= 1.15*h
	meshShare := 0.56
	if !wide {
		meshShare = 0.44
	}
	meshH := math.Max(math.Floor((rest-legend)*meshShare), 0)
	r.Mesh = Rect{0, y, w, y + meshH}
	r.Legend = Rect{pad, r.Mesh.Y1, w - pad, math.Min(r.Mesh.Y1+legend, h)}
	y = r.Legend.Y1
	bottom := Rect{pad, y, w - pad, h - pad}
	if bottom.Empty() {
		return r
	}
	if wide {
		cw := bottom.W()
		a := math.Floor(cw * 0.36)
		r.Accuracy = Rect{bottom.X0, bottom.Y0, bottom.X0 + a - pad/2, bottom.Y1}
		r.Power = Rect{bottom.X0 + a + pad/2, bottom.Y0, bottom.X0 + 2*a - pad/2, bottom.Y1}
		side := Rect{bottom.X0 + 2*a + pad/2, bottom.Y0, bottom.X1, bottom.Y1}
		iw := math.Min(side.H(), side.W()*0.45)
		r.Input = Rect{side.X0, side.Y0, side.X0 + iw, side.Y0 + iw}
		r.Scores = Rect{r.Input.X1 + pad, side.Y0, side.X1, side.Y1}
	} else {
		ch := math.Floor(bottom.H() * 0.62)
		half := math.Floor(bottom.W() / 2)
		r.Accuracy = Rect{bottom.X0, bottom.Y0, bottom.X0 + half - pad/2, bottom.Y0 + ch}
		r.Power = Rect{bottom.X0 + half + pad/2, bottom.Y0, bottom.X1, bottom.Y0 + ch}
		side := Rect{bottom.X0, bottom.Y0 + ch + pad, bottom.X1, bottom.Y1}
		iw := math.Max(math.Min(side.H(), side.W()*0.3), 0)
		r.Input = Rect{side.X0, side.Y0, side.X0 + iw, side.Y0 + iw}
		r.Scores = Rect{r.Input.X1 + pad, side.Y0, side.X1, side.Y1}
	}
	return r
}
