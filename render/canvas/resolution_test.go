package canvas

import (
	"fmt"
	"testing"
	"time"
)

// A Resolution goes down a level per judged window while frames are slow, never below
// half, up again while they are fast, and stays between the two rates, over a stall or
// while the page loads.
func TestResolution(t *testing.T) {
	type phase struct {
		fps  float64 // frames a second
		secs float64 // for how long
		skip bool    // loading: Skip instead of Frame
	}
	for _, tc := range []struct {
		name   string
		phases []phase
		want   []float64 // the fraction after each phase
	}{
		{"fast frames keep the full resolution", []phase{{60, 10, false}}, []float64{1}},
		{"slow frames lower it a level per judged window, never below half", []phase{{10, 2.5, false}, {10, 2, false}, {10, 10, false}}, []float64{0.75, 0.5, 0.5}},
		{"a change's own window is not judged", []phase{{10, 2.5, false}, {10, 1.2, false}}, []float64{0.75, 0.75}},
		{"between the rates it stays, low or high", []phase{{30, 10, false}, {10, 10, false}, {30, 10, false}}, []float64{1, 0.5, 0.5}},
		{"fast frames raise it again", []phase{{5, 10, false}, {60, 2.5, false}, {60, 10, false}}, []float64{0.5, 0.75, 1}},
		{"a stall is no slow frame", []phase{{60, 2, false}, {0.2, 5, false}, {60, 2, false}}, []float64{1, 1, 1}},
		{"a few frames a second are slow", []phase{{0.5, 20, false}}, []float64{0.5}},
		{"frames while loading are not judged", []phase{{60, 2, false}, {2, 2.5, true}, {60, 0.1, false}}, []float64{1, 1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r Resolution
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			r.Frame(now)
			for i, p := range tc.phases {
				dt := time.Duration(float64(time.Second) / p.fps)
				for n := int(p.secs * p.fps); n > 0; n-- {
					now = now.Add(dt)
					if p.skip {
						r.Skip()
					} else {
						r.Frame(now)
					}
				}
				if got := r.Fraction(); got != tc.want[i] {
					t.Errorf("after phase %d (%g fps for %g s): fraction %g, want %g", i, p.fps, p.secs, got, tc.want[i])
				}
			}
		})
	}
}

// The screen's pixels per CSS pixel: the device's, at most two, times the fraction, never
// below one half.
func TestScreenScale(t *testing.T) {
	for _, tc := range []struct{ dpr, fraction, want float64 }{
		{1, 1, 1}, {2, 1, 2}, {3, 1, 2}, {1.25, 1, 1.25},
		{1, 0.75, 0.75}, {1, 0.5, 0.5}, {2, 0.5, 1}, {3, 0.5, 1},
		{0.5, 1, 0.5}, {0.5, 0.5, 0.5}, {0.8, 1, 0.8},
	} {
		t.Run(fmt.Sprintf("dpr %g at %g", tc.dpr, tc.fraction), func(t *testing.T) {
			if got := ScreenScale(tc.dpr, tc.fraction); got != tc.want {
				t.Errorf("ScreenScale(%g, %g) = %g, want %g", tc.dpr, tc.fraction, got, tc.want)
			}
		})
	}
}

// WebGL renderers that draw on the CPU, by the names browsers give them, and some GPUs'.
func TestSoftwareRenderer(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)", true},
		{"Google SwiftShader", true},
		{"llvmpipe (LLVM 15.0.6, 256 bits)", true},
		{"softpipe", true},
		{"Microsoft Basic Render Driver (Software)", true},
		{"ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)", false},
		{"ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)", false},
		{"Apple M1", false},
		{"", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SoftwareRenderer(tc.name); got != tc.want {
				t.Errorf("SoftwareRenderer(%q) = %v, want %v", tc.name, got, tc.want)
			}
		})
	}
}
