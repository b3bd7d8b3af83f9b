package render

import (
	"math"
	"testing"

	"github.com/meshlight/meshlight/photonics"
)

func TestRaceLanes(t *testing.T) {
	for _, tc := range []struct {
		name       string
		r          Rect
		n          int
		cols, rows int
	}{
		{"two", R(0, 30, 1000, 330), 2, 2, 1},
		{"three", R(0, 30, 1000, 330), 3, 3, 1},
		{"four on a wide area", R(0, 0, 1600, 300), 4, 4, 1},
		{"four on a narrow area", R(0, 0, 800, 400), 4, 2, 2},
	} {
		lanes := RaceLanes(tc.r, tc.n, 8)
		if len(lanes) != tc.n {
			t.Fatalf("%s: %d lanes", tc.name, len(lanes))
		}
		xs, ys := map[float64]bool{}, map[float64]bool{}
		for i, a := range lanes {
			if a.Empty() || a.X0 < tc.r.X0 || a.Y0 < tc.r.Y0 || a.X1 > tc.r.X1 || a.Y1 > tc.r.Y1 {
				t.Errorf("%s: lane %d %v outside %v", tc.name, i, a, tc.r)
			}
			for j, b := range lanes[:i] {
				if a.Overlaps(b) {
					t.Errorf("%s: lanes %d and %d overlap", tc.name, i, j)
				}
			}
			xs[a.X0], ys[a.Y0] = true, true
		}
		if len(xs) != tc.cols || len(ys) != tc.rows {
			t.Errorf("%s: %d columns, %d rows; want %d, %d", tc.name, len(xs), len(ys), tc.cols, tc.rows)
		}
	}
	if RaceLanes(R(0, 0, 100, 100), 0, 4) != nil || RaceLanes(Rect{}, 2, 4) != nil {
		t.Error("lanes for nothing")
	}
}

func TestRaceColoursDiffer(t *testing.T) {
	seen := map[[3]uint8]bool{}
	for i := range 4 {
		c := RaceColour(i)
		seen[[3]uint8{c.R, c.G, c.B}] = true
	}
	if len(seen) != 4 {
		t.Errorf("%d distinct colours for 4 racers", len(seen))
	}
	if RaceColour(4) != RaceColour(0) || RaceColour(-1) != RaceColour(3) {
		t.Error("colours do not cycle")
	}
}

// Every lane's meshes lie in the lane below its caption, all of the frame's size; a point
// maps to the lane whose meshes hold it, at the same frame position in every lane, and to
// no lane over a caption or a gap.
func TestRaceLayout(t *testing.T) {
	for _, tc := range []struct {
		name  string
		m     Rect
		n     int
		scale float64
	}{
		{"two", R(0, 30, 1024, 330), 2, 1},
		{"three", R(0, 30, 1000, 330), 3, 1},
		{"three at scale 2", R(0, 60, 2001, 661), 3, 2},
		{"four in a grid", R(0, 0, 801, 401), 4, 1},
	} {
		l := NewRaceLayout(tc.m, tc.n, tc.scale)
		if len(l.Lanes) != tc.n || len(l.Areas) != tc.n || l.Frame.Empty() || l.Frame.X0 != 0 || l.Frame.Y0 != 0 {
			t.Fatalf("%s: %d lanes, %d areas, frame %v", tc.name, len(l.Lanes), len(l.Areas), l.Frame)
		}
		for i, a := range l.Areas {
			r := l.Lanes[i]
			if !containsRect(r, a) || a.Y0 < r.Y0+LaneCaption*tc.scale {
				t.Errorf("%s: lane %d: meshes %v not below the caption of %v", tc.name, i, a, r)
			}
			if a.W() != l.Frame.W() || a.H() != l.Frame.H() {
				t.Errorf("%s: lane %d: meshes %gx%g, frame %gx%g", tc.name, i, a.W(), a.H(), l.Frame.W(), l.Frame.H())
			}
			for _, q := range []Point{Pt(0, 0), Pt(l.Frame.W()/3, l.Frame.H()/2), Pt(l.Frame.W()-0.5, l.Frame.H()-0.5)} {
				if lane, got := l.At(Pt(a.X0+q.X, a.Y0+q.Y)); lane != i || !nearPt(got, q) {
					t.Errorf("%s: %v in lane %d's meshes is lane %d at %v", tc.name, q, i, lane, got)
				}
			}
			if lane, _ := l.At(Pt(a.X0+2, r.Y0+2)); lane != -1 {
				t.Errorf("%s: lane %d's caption is lane %d", tc.name, i, lane)
			}
			if lane, _ := l.At(Pt(r.X1+1, a.Center().Y)); lane != -1 {
				t.Errorf("%s: the gap right of lane %d is lane %d", tc.name, i, lane)
			}
		}
	}
	if l := NewRaceLayout(R(0, 0, 100, 20), 3, 1); len(l.Lanes) != 3 || !l.Frame.Empty() {
		t.Errorf("lanes too low for meshes: frame %v", l.Frame)
	} else if lane, _ := l.At(Pt(10, 10)); lane != -1 {
		t.Errorf("lanes without meshes: lane %d", lane)
	}
}

// One view shows the same device at the same place in every lane, fitted or zoomed, and
// the hit test finds it there in each lane's own plan; zooming at the cursor in one lane
// keeps the device under it there, and moves it alike in the others.
func TestRaceLayoutDeviceAtTheSamePlaceInEveryLane(t *testing.T) {
	layers := testLayers(t, photonics.Reck, [3]int{24, 64, 8})
	l := NewRaceLayout(R(0, 30, 1024, 330), 3, 1)
	aspect := math.Round(l.Frame.W()/l.Frame.H()*8) / 8
	plans := make([]*Plan, 3) // each lane's own, as the canvas keeps them
	for i := range plans {
		p, err := NewPlan(photonics.NewLayout(layers), layers, 0, aspect)
		if err != nil {
			t.Fatal(err)
		}
		plans[i] = p
	}
	p := plans[0]
	fit := Fit(p.Bounds, l.Frame, 2)
	mid := len(p.Devices) / 2
	zoomed := fit.ZoomAt(fit.Apply(p.Devices[mid].Heater), 4).Clamp(fit, p.Bounds, l.Frame, 40)
	for _, v := range []struct {
		name string
		view Transform
	}{{"fitted", fit}, {"zoomed", zoomed}} {
		seen := 0
		for k, d := range p.Devices {
			q := v.view.Apply(d.Heater) // in the frame
			if !l.Frame.Contains(q) {
				continue
			}
			seen++
			for i, a := range l.Areas {
				s := l.Lane(v.view, i).Apply(d.Heater)
				if !nearPt(s, Pt(a.X0+q.X, a.Y0+q.Y)) {
					t.Fatalf("%s: device %d in lane %d at %v, not at %v from the lane's corner", v.name, k, i, s, q)
				}
				if lane, tile, dev := l.Hit(plans, v.view, s); lane != i || tile != d.Site.Block || dev != k {
					t.Fatalf("%s: device %d of tile %d in lane %d: hit lane %d tile %d device %d", v.name, k, d.Site.Block, i, lane, tile, dev)
				}
			}
		}
		if seen == 0 || (v.name == "fitted" && seen != len(p.Devices)) {
			t.Errorf("%s: %d of %d devices in view", v.name, seen, len(p.Devices))
		}
	}
	// Zoom at a device in lane 1, as the wheel does: it stays under the cursor there, and
	// lane 0 shows it at the same place from its own corner.
	at := l.Lane(fit, 1).Apply(p.Devices[mid].Heater)
	_, q := l.At(at)
	view := fit.ZoomAt(q, 3).Clamp(fit, p.Bounds, l.Frame, 40)
	if lane, _, dev := l.Hit(plans, view, at); lane != 1 || dev != mid {
		t.Errorf("after zooming at device %d in lane 1: lane %d device %d", mid, lane, dev)
	}
	a0, a1 := l.Areas[0], l.Areas[1]
	if lane, _, dev := l.Hit(plans, view, Pt(at.X-a1.X0+a0.X0, at.Y-a1.Y0+a0.Y0)); lane != 0 || dev != mid {
		t.Errorf("after zooming in lane 1: lane 0 shows device %d (lane %d) where lane 1 shows %d", dev, lane, mid)
	}
	// A lane without a plan (its racer not deployed yet) has no device under the cursor.
	if lane, tile, dev := l.Hit([]*Plan{p, nil}, fit, l.Lane(fit, 1).Apply(p.Devices[mid].Heater)); lane != 1 || tile != -1 || dev != -1 {
		t.Errorf("lane without a plan: lane %d tile %d device %d", lane, tile, dev)
	}
	if lane, tile, dev := l.Hit(plans, fit, Pt(0, 0)); lane != -1 || tile != -1 || dev != -1 {
		t.Errorf("outside every lane: lane %d tile %d device %d", lane, tile, dev)
	}
}

// nearPt reports whether a and b are the same point but for rounding.
func nearPt(a, b Point) bool { return near(a.X, b.X, 1e-9) && near(a.Y, b.Y, 1e-9) }
