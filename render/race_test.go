package render

import "testing"

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
