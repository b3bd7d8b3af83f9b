package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
)

// Queries to half the drop cross between records linearly, and a curve that never gets
// there says so; the accuracy at a budget interpolates the same way.
func TestCrossingAndInterpolate(t *testing.T) {
	s := series{queries: []float64{0, 100, 200, 300}, acc: []float64{90, 92, 96, 95}}
	for _, tc := range []struct {
		name   string
		target float64
		want   float64
	}{
		{"at the start", 89, 0},
		{"on a record", 92, 100},
		{"between records", 94, 150},
		{"the peak", 96, 200},
		{"never", 96.5, -1},
	} {
		if got := crossing(s, tc.target); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: crossing %v at %v queries, want %v", tc.name, tc.target, got, tc.want)
		}
	}
	for _, tc := range []struct {
		q, want float64
	}{{0, 90}, {50, 91}, {250, 95.5}, {300, 95}, {301, math.NaN()}, {-1, math.NaN()}} {
		got := interpolate(s, tc.q)
		if math.IsNaN(tc.want) != math.IsNaN(got) || (!math.IsNaN(got) && math.Abs(got-tc.want) > 1e-12) {
			t.Errorf("accuracy at %v queries %v, want %v", tc.q, got, tc.want)
		}
	}
}

// point is an MLP point of an optimizer that reached half the drop at half queries (-1:
// not within budget) with a rate of queries per second.
func point(opt string, active int, half, budget, rate float64) scalingPoint {
	return scalingPoint{active: active, half: half, budget: budget, rate: rate,
		g: &group{v: variant{Label: names[opt], Cfg: cfg(opt, 0.15, 0.1)}}}
}

// The fit recovers a power law's exponent exactly, leaves out the points that never
// reached half and the CNNs, and needs two points.
func TestFitScaling(t *testing.T) {
	law := func(n float64) float64 { return 3 * math.Pow(n, 0.8) }
	pts := []scalingPoint{
		point("szo-scd", 384, law(384), 1e9, 1),
		point("szo-scd", 4000, law(4000), 1e9, 1),
		point("szo-scd", 40000, law(40000), 1e9, 1),
		point("flops", 384, 100, 1e9, 1),
		point("flops", 40000, -1, 40000, 1),
	}
	cnn := point("szo-scd", 1000, 1e7, 1e9, 1)
	cnn.cnn = true
	pts = append(pts, cnn)
	f := fitScaling(pts, "szo-scd")
	if f.points != 3 || math.Abs(f.slope-0.8) > 1e-9 || math.Abs(f.r2-1) > 1e-9 || math.Abs(f.at(1000)-law(1000)) > 1e-6*law(1000) {
		t.Errorf("fit %+v: want 3 points on slope 0.8, R² 1, through %v at 1000", f, law(1000))
	}
	if g := fitScaling(pts, "flops"); g.points != 1 || g.above != 1 {
		t.Errorf("FLOPS fit %+v: want 1 point fitted and 1 not reached", g)
	}
}

// The scalability verdict compares each baseline's growth from the smallest MLP to the
// largest against SZO-SCD's: twice as much holds, less fails, and a baseline that did not
// reach half on the largest chip is a lower bound that decides only when it already
// reaches twice.
func TestScalingClaims(t *testing.T) {
	szo := []scalingPoint{point("szo-scd", 400, 1000, 1e6, 100), point("szo-scd", 40000, 10_000, 2e6, 50)}
	for _, tc := range []struct {
		name     string
		flops    []scalingPoint
		contains string
	}{
		{"grows 3x as much", []scalingPoint{point("flops", 400, 100, 1e6, 10), point("flops", 40000, 3000, 40000, 1)}, "holds against FLOPS 3.0x"},
		{"grows as much", []scalingPoint{point("flops", 400, 100, 1e6, 10), point("flops", 40000, 1000, 40000, 1)}, "does not hold against FLOPS 1.00x"},
		{"not reached, bound 4x", []scalingPoint{point("flops", 400, 100, 1e6, 10), point("flops", 40000, -1, 4000, 1)}, "holds against FLOPS at least 4.0x"},
		{"not reached, bound 1.5x", []scalingPoint{point("flops", 400, 100, 1e6, 10), point("flops", 40000, -1, 1500, 1)}, "undecided against FLOPS at least 1.50x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs := scalingClaims(append(append([]scalingPoint{}, szo...), tc.flops...))
			if len(cs) != 2 {
				t.Fatalf("%d claims, want 2", len(cs))
			}
			byQueries, bySeconds, ok := strings.Cut(cs[1].verdict, "by the simulator's seconds")
			if !ok || !strings.Contains(bySeconds, "FLOPS") {
				t.Errorf("verdict %q: no judgement by seconds", cs[1].verdict)
			}
			if !strings.Contains(cs[0].verdict, "holds") || !strings.Contains(byQueries, tc.contains) {
				t.Errorf("verdicts %q, %q; want the second to say %q", cs[0].verdict, cs[1].verdict, tc.contains)
			}
		})
	}
}

// A same-drop chip is the method's chip with the model's drift; presets pass through.
func TestSameDropHardware(t *testing.T) {
	paper, err := photonics.LookupPreset("paper")
	if err != nil {
		t.Fatal(err)
	}
	for file, g := range sameDropGamma {
		h := hardware(sameDrop, file)
		want := paper.Hardware
		want.Preset, want.GammaStd = sameDrop, g
		if h != want {
			t.Errorf("%s: same-drop chip %+v, want %+v", file, h, want)
		}
	}
	if h := hardware("strong", mlp); h.Preset != "strong" || h.GammaStd != 3e-3 {
		t.Errorf("strong preset became %+v", h)
	}
	// A run file of the 270k-phase MLP lives under its name without .json.gz.
	j := job{Model: mlp256, Chip: sameDrop, Key: "k", Seed: 1}
	if got := j.path("out", ".json"); got != "out/runs/mnist28-mlp256/same-drop/k-seed1.json" {
		t.Errorf("run path %q", got)
	}
	if got := j.setup().Model; got != "mnist28-mlp256" {
		t.Errorf("setup names the model %q", got)
	}
}

// The scaling plot draws whatever reached half, including nothing or a single point (a log
// axis needs a positive range).
func TestPlotScaling(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		pts  []scalingPoint
	}{
		{"none", nil},
		{"none reached", []scalingPoint{point("szo-scd", 400, -1, 1e4, 1)}},
		{"one", []scalingPoint{point("szo-scd", 400, 1000, 1e4, 1)}},
		{"a line and a bound", []scalingPoint{point("szo-scd", 400, 1000, 1e4, 1), point("szo-scd", 40000, 30000, 1e6, 1), point("flops", 40000, -1, 4e4, 1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fits := map[string]fit{}
			for _, o := range scalingOptimizers {
				fits[o] = fitScaling(tc.pts, o)
			}
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".png")
			if err := plotScaling(path, tc.name, tc.pts, fits); err != nil {
				t.Fatal(err)
			}
			if b, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
				t.Errorf("no PNG written (%v)", err)
			}
		})
	}
}
