package main

import (
	"bytes"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// series is one mean curve of a variant.
type series struct {
	label               string
	queries, acc, power []float64
}

// plotCurves writes (atomically) a PNG of two panels, test accuracy and power (relative to the
// deployed chip's) against ONN queries, one line per series.
func plotCurves(path, title string, ss []series) error {
	acc, err := panel(title, "test accuracy (%)", ss, func(s series) []float64 { return s.acc })
	if err != nil {
		return err
	}
	acc.Legend.Top = false // accuracy curves rise to the top: legend bottom right
	pow, err := panel("", "power, % of the deployed chip's", ss, func(s series) []float64 {
		rel := make([]float64, len(s.power))
		for i, p := range s.power {
			rel[i] = 100 * p / s.power[0]
		}
		return rel
	})
	if err != nil {
		return err
	}
	pow.Legend = plot.NewLegend() // same colours as the accuracy panel
	img := vgimg.New(vg.Points(1100), vg.Points(420))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Points(18), PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(6)}
	canvases := plot.Align([][]*plot.Plot{{acc, pow}}, tiles, dc)
	acc.Draw(canvases[0][0])
	pow.Draw(canvases[0][1])
	var png bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&png); err != nil {
		return err
	}
	return writeAtomic(path, png.Bytes())
}

func panel(title, ylabel string, ss []series, y func(series) []float64) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "ONN queries"
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	p.Add(plotter.NewGrid())
	for i, s := range ss {
		pts := make(plotter.XYs, len(s.queries))
		for k := range pts {
			pts[k].X, pts[k].Y = s.queries[k], y(s)[k]
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.label, err)
		}
		l.Color = plotutil.Color(i)
		l.Dashes = plotutil.Dashes(i / 7)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(s.label, l)
	}
	return p, nil
}

// plotScaling writes (atomically) a PNG of queries to win back half the drop against
// active phases, on log-log axes: each optimizer's MLP points and its fitted line over
// them, the CNNs as hollow points off the line, and an MLP run that did not reach half as a
// triangle at its budget (a lower bound).
func plotScaling(path, title string, pts []scalingPoint, fits map[string]fit) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "active phases"
	p.Y.Label.Text = "queries to win back half the drop"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	p.Add(plotter.NewGrid())
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, q := range pts {
		lo, hi = min(lo, float64(q.active)), max(hi, float64(q.active))
	}
	drawn := false
	for i, opt := range scalingOptimizers {
		var line, off, bound plotter.XYs
		for _, q := range pts {
			switch {
			case q.g.v.Cfg.Optimizer != opt:
			case q.half > 0 && q.cnn:
				off = append(off, plotter.XY{X: float64(q.active), Y: q.half})
			case q.half > 0:
				line = append(line, plotter.XY{X: float64(q.active), Y: q.half})
			case !q.cnn && q.budget > 0:
				bound = append(bound, plotter.XY{X: float64(q.active), Y: q.budget})
			}
		}
		for _, set := range []struct {
			xys    plotter.XYs
			shape  draw.GlyphDrawer
			suffix string
		}{{line, draw.CircleGlyph{}, ""}, {off, draw.RingGlyph{}, ", CNNs"}, {bound, draw.TriangleGlyph{}, ": not reached (at its budget)"}} {
			if len(set.xys) == 0 {
				continue
			}
			sc, err := plotter.NewScatter(set.xys)
			if err != nil {
				return fmt.Errorf("%s: %w", opt, err)
			}
			sc.GlyphStyle.Color, sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = plotutil.Color(i), set.shape, vg.Points(4)
			p.Add(sc)
			label := names[opt] + set.suffix
			if f := fits[opt]; set.suffix == "" && f.points >= 2 {
				label += fmt.Sprintf(" (slope %.2f)", f.slope)
			}
			p.Legend.Add(label, sc)
			drawn = true
		}
		if f := fits[opt]; f.points >= 2 {
			fl := plotter.NewFunction(f.at)
			fl.XMin, fl.XMax = math.Inf(1), math.Inf(-1) // over the points it fits, no further
			for _, xy := range line {
				fl.XMin, fl.XMax = min(fl.XMin, xy.X), max(fl.XMax, xy.X)
			}
			fl.Color, fl.Width = plotutil.Color(i), vg.Points(1)
			fl.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			p.Add(fl)
		}
	}
	// Log axes need positive ranges: span every network on x, every point drawn on y (a
	// decade when nothing reached half, which the title says).
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for _, q := range pts {
		if q.half > 0 {
			ylo, yhi = min(ylo, q.half), max(yhi, q.half)
		} else if !q.cnn && q.budget > 0 {
			ylo, yhi = min(ylo, q.budget), max(yhi, q.budget)
		}
	}
	if !drawn {
		ylo, yhi = 1, 10
		p.Title.Text += " (none reached half within its budget)"
	}
	if math.IsInf(lo, 0) {
		lo, hi = 1, 10
	}
	p.X.Min, p.X.Max = lo/2, hi*2
	p.Y.Min, p.Y.Max = ylo/2, yhi*2
	img := vgimg.New(vg.Points(640), vg.Points(420))
	p.Draw(draw.New(img))
	var png bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&png); err != nil {
		return err
	}
	return writeAtomic(path, png.Bytes())
}
