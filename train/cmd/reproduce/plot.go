package main

import (
	"bytes"
	"fmt"

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
