package render

import (
	"math"
	"strconv"
)

// Axis is a data range shown along one side of a chart.
type Axis struct{ Min, Max float64 }

// NiceAxis widens [lo, hi] to round numbers (1, 2, 2.5 or 5 times a power of ten) so that
// about ticks ticks fit, and returns the tick step. A degenerate or non-finite range is
// widened around its value (or to [0, 1]).
func NiceAxis(lo, hi float64, ticks int) (Axis, float64) {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi == lo {
		d := math.Max(math.Abs(lo)*0.1, 1)
		if lo >= 0 && lo-d < 0 {
			lo, hi = 0, lo+d // keep non-negative data non-negative
		} else {
			lo, hi = lo-d, hi+d
		}
	}
	ticks = max(ticks, 2)
	step := niceStep((hi - lo) / float64(ticks-1))
	return Axis{math.Floor(lo/step+1e-9) * step, math.Ceil(hi/step-1e-9) * step}, step
}

// niceStep rounds a raw step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}

// Ticks lists the multiples of step within the axis.
func (a Axis) Ticks(step float64) []float64 {
	if !(step > 0) {
		return nil
	}
	var t []float64
	for k := math.Ceil(a.Min/step - 1e-9); k*step <= a.Max+step*1e-9; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		t = append(t, v)
	}
	return t
}

// TickLabel formats a tick value compactly: 12k for 12000, 1.5M, 0.25, 90.
func TickLabel(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', -1, 64) + "M"
	case a >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', -1, 64) + "k"
	}
	return strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
}

// Compact formats a readout with three significant digits and a k or M suffix: 3.14M,
// 12.3k, 987, 0.25; "–" for NaN or infinite values.
func Compact(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	a, suffix := math.Abs(v), ""
	switch {
	case a >= 999.5e3:
		v, a, suffix = v/1e6, a/1e6, "M"
	case a >= 999.5:
		v, a, suffix = v/1e3, a/1e3, "k"
	}
	digits := 2
	switch {
	case suffix == "" && v == math.Trunc(v):
		digits = 0 // a count below a thousand
	case a >= 99.95:
		digits = 0
	case a >= 9.995:
		digits = 1
	}
	return strconv.FormatFloat(v, 'f', digits, 64) + suffix
}

// Chart maps data to pixels inside Plot.
type Chart struct {
	Plot Rect
	X, Y Axis
}

// Map returns the pixel of data point (x, y); y grows upwards on screen.
func (c Chart) Map(x, y float64) Point {
	fx := (x - c.X.Min) / (c.X.Max - c.X.Min)
	fy := (y - c.Y.Min) / (c.Y.Max - c.Y.Min)
	return Point{c.Plot.X0 + fx*c.Plot.W(), c.Plot.Y1 - fy*c.Plot.H()}
}

// Polyline maps a series to pixels, dropping non-finite points, and thins it so that each
// pixel column keeps at most its first, lowest, highest and last point (in x order): a long
// run draws with a bounded number of segments and keeps its extremes.
func (c Chart) Polyline(xs, ys []float64) []Point {
	n := min(len(xs), len(ys))
	out := make([]Point, 0, min(n, 4*int(c.Plot.W()+2)))
	col := math.MinInt
	var first, lo, hi, last Point
	flush := func() {
		if col == math.MinInt {
			return
		}
		pts := []Point{first, lo, hi, last}
		if lo.X > hi.X {
			pts[1], pts[2] = hi, lo
		}
		for _, p := range pts {
			if len(out) == 0 || out[len(out)-1] != p {
				out = append(out, p)
			}
		}
	}
	for i := 0; i < n; i++ {
		if !finite(xs[i]) || !finite(ys[i]) {
			continue
		}
		p := c.Map(xs[i], ys[i])
		k := int(math.Floor(p.X))
		if k != col {
			flush()
			col, first, lo, hi = k, p, p, p
		}
		if p.Y > lo.Y {
			lo = p // lowest on screen = smallest value
		}
		if p.Y < hi.Y {
			hi = p
		}
		last = p
	}
	flush()
	return out
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Extent returns the smallest and largest finite values of the slices (NaN, NaN if none).
func Extent(vals ...[]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, vs := range vals {
		for _, v := range vs {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo > hi {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}

// KeptMark is a run's kept state on an accuracy chart (Run.KeptAt): a marker at its point
// and a label beside it that gives its test accuracy ("kept 93.4 %").
type KeptMark struct {
	Run   int    // the run's index in the runs given to KeptMarks
	At    Point  // the kept point
	Label string // KeptLabel of its accuracy
	Box   Rect   // where the label goes: inside the plot, clear of the labels placed before it
}

// KeptLabel is the label of a kept state whose test accuracy is acc percent.
func KeptLabel(acc float64) string {
	return "kept " + strconv.FormatFloat(acc, 'f', 1, 64) + " %"
}

// KeptMarks places the kept state of each of runs that has one (with a finite accuracy, in
// the chart's range) on the accuracy chart c: the marker at the point, its label centred
// above it, or below it where the plot's top is too close, moved sideways to stay inside
// the plot, and stacked further up or down, a line at a time, until it covers no label
// placed before (runs in order: in a race the racers' labels do not overwrite each other).
// width measures a label, lineH is a label's height and gap the space between a marker and
// its label.
func (c Chart) KeptMarks(runs []Run, width func(string) float64, lineH, gap float64) []KeptMark {
	var marks []KeptMark
	for i, r := range runs {
		k, ok := r.KeptAt()
		if !ok || !finite(r.Queries[k]) || !finite(r.Accuracy[k]) {
			continue
		}
		at := c.Map(r.Queries[k], r.Accuracy[k])
		if at.X < c.Plot.X0-0.5 || at.X > c.Plot.X1+0.5 || at.Y < c.Plot.Y0-0.5 || at.Y > c.Plot.Y1+0.5 {
			continue // outside the axes: no marker to label
		}
		label := KeptLabel(r.Accuracy[k])
		w := width(label)
		x0 := math.Max(c.Plot.X0, math.Min(at.X-w/2, c.Plot.X1-w))
		box := func(y0 float64) Rect { return Rect{x0, y0, x0 + w, y0 + lineH} }
		inside := func(b Rect) bool { return b.Y0 >= c.Plot.Y0 && b.Y1 <= c.Plot.Y1 }
		free := func(b Rect) bool {
			for _, m := range marks {
				if m.Box.Overlaps(b) {
					return false
				}
			}
			return true
		}
		above, below := box(at.Y-gap-lineH), box(at.Y+gap)
		chosen := above
		if !inside(above) {
			chosen = below
		}
	stack:
		for n := 0; n <= len(marks); n++ {
			d := float64(n) * lineH
			for _, b := range []Rect{box(above.Y0 - d), box(below.Y0 + d)} {
				if inside(b) && free(b) {
					chosen = b
					break stack
				}
			}
		}
		marks = append(marks, KeptMark{Run: i, At: at, Label: label, Box: chosen})
	}
	return marks
}
