package render

import (
	"math"
	"testing"
)

func TestHeatRampIsOrderedByLightness(t *testing.T) {
	if Heat(0) != heatStops[0] || Heat(1) != heatStops[len(heatStops)-1] {
		t.Errorf("endpoints %v %v", Heat(0), Heat(1))
	}
	if Heat(-3) != Heat(0) || Heat(7) != Heat(1) || Heat(math.NaN()) != Heat(0) {
		t.Error("out-of-range values must clamp")
	}
	// CIE lightness L* (a difference below 1 is invisible) never falls visibly along the ramp
	// and rises over most of its range.
	lstar := func(y float64) float64 { return 116*math.Cbrt(y) - 16 }
	top := -1.0
	for i := 0; i <= 2048; i++ {
		l := lstar(Luminance(Heat(float64(i) / 2048)))
		if l < top-0.5 {
			t.Fatalf("lightness falls at t=%g: L* %g after %g", float64(i)/2048, l, top)
		}
		top = math.Max(top, l)
	}
	if lo, hi := lstar(Luminance(Heat(0))), lstar(Luminance(Heat(1))); hi-lo < 60 {
		t.Errorf("ramp spans L* %g..%g, want a range of at least 60", lo, hi)
	}
}

func TestPhaseHeat(t *testing.T) {
	if PhaseHeat(0) != Heat(0) || PhaseHeat(2*math.Pi) != Heat(0) {
		t.Error("phase 0 and 2pi are the same cold heater")
	}
	if PhaseHeat(math.Pi) != Heat(0.5) || PhaseHeat(-math.Pi/2) != Heat(0.75) {
		t.Error("phases must wrap to [0, 2pi) before the ramp")
	}
}

func TestMixAndScale(t *testing.T) {
	a, b := LightColor, Background
	if Mix(a, b, 0) != a || Mix(a, b, 1) != b || Mix(a, b, 2) != b {
		t.Error("Mix endpoints")
	}
	m := Mix(Heat(0), Heat(1), 0.5)
	if m.R != uint8(math.Round((float64(Heat(0).R)+float64(Heat(1).R))/2)) {
		t.Errorf("Mix midpoint %v", m)
	}
	if s := Scale(LightColor, 0.5); s.A != 128 || s.G != 116 {
		t.Errorf("Scale %v", s)
	}
	if LightAt(0) != Waveguide || LightAt(1) != LightColor {
		t.Error("LightAt endpoints")
	}
}

func TestHaloStrength(t *testing.T) {
	if HaloStrength(3, 2e-3, false) != 0 || HaloStrength(3, 0, true) != 0 || HaloStrength(0, 2e-3, true) != 0 {
		t.Error("no halo without heat, crosstalk or activity")
	}
	if h := HaloStrength(2*math.Pi-1e-9, 2e-3, true); !near(h, 0.6, 1e-6) {
		t.Errorf("default crosstalk at full phase: %g, want 0.6", h)
	}
	if a, b := HaloStrength(1, 2e-3, true), HaloStrength(2, 2e-3, true); !near(b, 2*a, 1e-12) {
		t.Errorf("halo must grow with the phase: %g %g", a, b)
	}
	if HaloStrength(6, 1, true) != 1 {
		t.Error("halo must saturate at 1")
	}
	if h := HaloStrength(math.NaN(), 2e-3, true); h != 0 {
		t.Errorf("NaN phase: %g", h)
	}
}
