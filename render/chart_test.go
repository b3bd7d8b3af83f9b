package render

import (
	"math"
	"testing"
)

func TestNiceAxis(t *testing.T) {
	cases := []struct {
		lo, hi   float64
		ticks    int
		min, max float64
		step     float64
	}{
		{0, 9731, 5, 0, 10000, 2500},
		{61.3, 93.8, 5, 60, 100, 10},
		{0, 1, 6, 0, 1, 0.2},
		{-3.2, 4.1, 4, -5, 5, 2.5},
		{5, 5, 5, 4, 6, 0.5},
		{0, 0, 5, 0, 1, 0.25},
		{math.NaN(), 3, 3, 0, 1, 0.5},
		{12000, 0, 4, 0, 15000, 5000},
	}
	for _, c := range cases {
		a, step := NiceAxis(c.lo, c.hi, c.ticks)
		if !near(a.Min, c.min, 1e-9) || !near(a.Max, c.max, 1e-9) || !near(step, c.step, 1e-12) {
			t.Errorf("NiceAxis(%g, %g, %d) = %+v step %g, want [%g, %g] step %g", c.lo, c.hi, c.ticks, a, step, c.min, c.max, c.step)
		}
		if finite(c.lo) && finite(c.hi) && (a.Min > math.Min(c.lo, c.hi) || a.Max < math.Max(c.lo, c.hi)) {
			t.Errorf("NiceAxis(%g, %g) = %+v does not cover the data", c.lo, c.hi, a)
		}
	}
}

func TestTicksAndLabels(t *testing.T) {
	got := Axis{-0.5, 1}.Ticks(0.5)
	want := []float64{-0.5, 0, 0.5, 1}
	if len(got) != len(want) {
		t.Fatalf("ticks %v", got)
	}
	for i := range got {
		if !near(got[i], want[i], 1e-12) {
			t.Errorf("tick %d = %g, want %g", i, got[i], want[i])
		}
	}
	if (Axis{0, 1}).Ticks(0) != nil {
		t.Error("zero step gives no ticks")
	}
	for v, s := range map[float64]string{0: "0", 12000: "12k", 2500: "2.5k", 1.5e6: "1.5M", 0.25: "0.25", 90: "90", 0.1 + 0.2: "0.3"} {
		if TickLabel(v) != s {
			t.Errorf("TickLabel(%g) = %q, want %q", v, TickLabel(v), s)
		}
	}
}

func TestChartMap(t *testing.T) {
	c := Chart{Plot: Rect{10, 20, 110, 70}, X: Axis{0, 1000}, Y: Axis{0, 100}}
	if p := c.Map(0, 0); p != (Point{10, 70}) {
		t.Errorf("origin at %v", p)
	}
	if p := c.Map(1000, 100); p != (Point{110, 20}) {
		t.Errorf("top right at %v", p)
	}
	if p := c.Map(500, 25); p != (Point{60, 57.5}) {
		t.Errorf("middle at %v", p)
	}
}

// A long noisy series thins to a few points per pixel column and keeps its extremes.
func TestPolylineThinsAndKeepsExtremes(t *testing.T) {
	n := 100000
	xs, ys := make([]float64, n), make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
		ys[i] = 50 + 40*math.Sin(float64(i)*0.37)
	}
	ys[77777] = 100 // a spike
	ys[123] = math.NaN()
	c := Chart{Plot: Rect{0, 0, 200, 100}, X: Axis{0, float64(n)}, Y: Axis{0, 100}}
	pts := c.Polyline(xs, ys)
	if len(pts) > 4*201 {
		t.Errorf("%d points for a 200 pixel wide plot", len(pts))
	}
	top := math.Inf(1)
	for i, p := range pts {
		top = math.Min(top, p.Y)
		if i > 0 && p.X < pts[i-1].X-1 {
			t.Fatalf("points go back in x at %d", i)
		}
	}
	if top != 0 {
		t.Errorf("the spike to 100 (y pixel 0) was lost: top %g", top)
	}
	if len(c.Polyline(nil, nil)) != 0 {
		t.Error("empty series")
	}
}

func TestExtent(t *testing.T) {
	lo, hi := Extent([]float64{3, math.NaN(), -1}, nil, []float64{math.Inf(1), 7})
	if lo != -1 || hi != 7 {
		t.Errorf("Extent = %g, %g", lo, hi)
	}
	if lo, hi := Extent(); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Error("no data gives NaN")
	}
}

func TestCompact(t *testing.T) {
	for v, want := range map[float64]string{
		3143941: "3.14M", 12345: "12.3k", 999.6: "1.00k", 987: "987", 0.25: "0.25", 42.26: "42.3",
		-1500: "-1.50k", 0: "0", 7: "7", 7.5: "7.50", 999999: "1.00M", math.NaN(): "–",
	} {
		if got := Compact(v); got != want {
			t.Errorf("Compact(%g) = %q, want %q", v, got, want)
		}
	}
}

// The kept state's marker sits on its point with its label in the plot, above the point
// unless the plot's top is too close, inside the plot at its edges, and racers' labels at
// one point do not cover each other; a run that keeps nothing has no marker.
func TestKeptMarks(t *testing.T) {
	c := Chart{Plot: R(100, 50, 500, 250), X: Axis{0, 10000}, Y: Axis{80, 100}}
	width := func(s string) float64 { return 6 * float64(len(s)) } // "kept 93.4 %" is 66 wide
	const lineH, gap = 12, 4
	run := func(kept int, q, acc []float64) Run { return Run{Queries: q, Accuracy: acc, Kept: kept} }
	curve := []float64{0, 5000, 10000}
	cases := []struct {
		name  string
		runs  []Run
		marks int
		check func(t *testing.T, ms []KeptMark)
	}{
		{"middle: above its point", []Run{run(2, curve, []float64{85, 93.4, 90})}, 1, func(t *testing.T, ms []KeptMark) {
			m := ms[0]
			if m.At != c.Map(5000, 93.4) || m.Label != "kept 93.4 %" {
				t.Errorf("mark at %v %q, want %v \"kept 93.4 %%\"", m.At, m.Label, c.Map(5000, 93.4))
			}
			if m.Box.Y1 != m.At.Y-gap || m.Box.Center().X != m.At.X || m.Box.W() != 66 || m.Box.H() != lineH {
				t.Errorf("label %v, want centred %g above %v", m.Box, float64(gap), m.At)
			}
		}},
		{"near the top: below its point", []Run{run(2, curve, []float64{85, 99.5, 90})}, 1, func(t *testing.T, ms []KeptMark) {
			if m := ms[0]; m.Box.Y0 != m.At.Y+gap {
				t.Errorf("label %v, want %g below %v", m.Box, float64(gap), m.At)
			}
		}},
		{"at the right edge: inside the plot", []Run{run(3, curve, []float64{85, 90, 92})}, 1, func(t *testing.T, ms []KeptMark) {
			if m := ms[0]; m.Box.X1 != c.Plot.X1 || m.Box.X0 < c.Plot.X0 {
				t.Errorf("label %v, want its right at the plot's %g", m.Box, c.Plot.X1)
			}
		}},
		{"at the left edge: inside the plot", []Run{run(1, curve, []float64{85, 90, 92})}, 1, func(t *testing.T, ms []KeptMark) {
			if m := ms[0]; m.Box.X0 != c.Plot.X0 {
				t.Errorf("label %v, want its left at the plot's %g", m.Box, c.Plot.X0)
			}
		}},
		{"racers at one point: labels stacked", []Run{run(2, curve, []float64{85, 93, 90}), run(2, curve, []float64{85, 93, 91}), run(2, curve, []float64{85, 93, 89})}, 3, func(t *testing.T, ms []KeptMark) {
			for i := range ms {
				if ms[i].Run != i || ms[i].Box.Y0 < c.Plot.Y0 || ms[i].Box.Y1 > c.Plot.Y1 {
					t.Errorf("mark %d: run %d, label %v outside %v", i, ms[i].Run, ms[i].Box, c.Plot)
				}
				for j := range i {
					if ms[i].Box.Overlaps(ms[j].Box) {
						t.Errorf("labels %d %v and %d %v overlap", i, ms[i].Box, j, ms[j].Box)
					}
				}
			}
		}},
		{"keeps none", []Run{run(0, curve, []float64{85, 93, 90})}, 0, nil},
		{"kept past the points", []Run{run(4, curve, []float64{85, 93, 90})}, 0, nil},
		{"kept accuracy NaN", []Run{run(2, curve, []float64{85, math.NaN(), 90})}, 0, nil},
		{"kept below the axis", []Run{run(1, curve, []float64{50, 93, 90})}, 0, nil},
		{"the zero run", []Run{{}}, 0, nil},
		{"only the runs that keep one", []Run{run(0, curve, []float64{85, 93, 90}), run(3, curve, []float64{85, 93, 95})}, 1, func(t *testing.T, ms []KeptMark) {
			if ms[0].Run != 1 || ms[0].Label != "kept 95.0 %" {
				t.Errorf("mark of run %d %q, want run 1 \"kept 95.0 %%\"", ms[0].Run, ms[0].Label)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ms := c.KeptMarks(tc.runs, width, lineH, gap)
			if len(ms) != tc.marks {
				t.Fatalf("%d marks %+v, want %d", len(ms), ms, tc.marks)
			}
			if tc.check != nil {
				tc.check(t, ms)
			}
		})
	}
}
