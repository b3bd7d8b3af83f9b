package canvas

import (
	"testing"
	"time"
)

// A Resolution goes down a level per judged window while frames are slow, never below
// half, up again while they are fast, and stays between the two rates or over a stall.
func TestResolution(t *testing.T) {
	type phase struct {
		fps  float64 // frames a second
		secs float64 // for how long
	}
	for _, tc := range []struct {
		name   string
		phases []phase
		want   []float64 // the fraction after each phase
	}{
		{"fast frames keep the full resolution", []phase{{60, 10}}, []float64{1}},
		{"slow frames lower it a level per judged window, never below half", []phase{{10, 2.5}, {10, 2}, {10, 10}}, []float64{0.75, 0.5, 0.5}},
		{"a change's own window is not judged", []phase{{10, 2.5}, {10, 1.2}}, []float64{0.75, 0.75}},
		{"between the rates it stays, low or high", []phase{{30, 10}, {10, 10}, {30, 10}}, []float64{1, 0.5, 0.5}},
		{"fast frames raise it again", []phase{{5, 10}, {60, 2.5}, {60, 10}}, []float64{0.5, 0.75, 1}},
		{"a stall is no slow frame", []phase{{60, 2}, {0.2, 5}, {60, 2}}, []float64{1, 1, 1}},
		{"a few frames a second are slow", []phase{{0.5, 20}}, []float64{0.5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r Resolution
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			r.Frame(now)
			for i, p := range tc.phases {
				dt := time.Duration(float64(time.Second) / p.fps)
				for n := int(p.secs * p.fps); n > 0; n-- {
					now = now.Add(dt)
					r.Frame(now)
				}
				if got := r.Fraction(); got != tc.want[i] {
					t.Errorf("after phase %d (%g fps for %g s): fraction %g, want %g", i, p.fps, p.secs, got, tc.want[i])
				}
			}
		})
	}
}
