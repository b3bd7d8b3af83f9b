package train

import (
	"math"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
)

// With Shadow, the optimizer's phases are full precision and the chip takes the nearest
// code: a step of a third of a code reaches the chip on the third step, and the chip's
// phase is always the copy's nearest code.
func TestShadowPhases(t *testing.T) {
	p := blobs.problemOn(t, photonics.ChipConfig{Alpha: 0.3, Hardware: photonics.Hardware{Bits: 8}, Seed: 4})
	s := shadow(p)
	q := photonics.Quantum(8)
	k := 0
	start := s.Phase(k)
	if start != p.Phase(k) {
		t.Fatalf("copy %v, chip %v at the start", start, p.Phase(k))
	}
	changes := 0
	last := p.Phase(k)
	for i := 1; i <= 9; i++ {
		s.SetPhase(k, s.Phase(k)+q/3)
		if math.Abs(s.Phase(k)-photonics.Wrap(start+float64(i)*q/3)) > 1e-12 {
			t.Fatalf("step %d: copy %v", i, s.Phase(k))
		}
		if want := photonics.Quantize(s.Phase(k), 8); math.Abs(p.Phase(k)-want) > 1e-12 {
			t.Fatalf("step %d: chip %v, want the copy's nearest code %v", i, p.Phase(k), want)
		}
		if p.Phase(k) != last {
			changes++
			last = p.Phase(k)
		}
	}
	if changes != 3 {
		t.Errorf("nine thirds of a code moved the chip %d times, want 3", changes)
	}
	if s.Resolution() != 0 {
		t.Error("the shadow objective reports a control code")
	}
	s.SetPhase(k, math.NaN())
	if p.Err() == nil || math.IsNaN(s.Phase(k)) {
		t.Error("a NaN phase was taken")
	}
}

// A run with Shadow takes a step below one code as it is, decays it without a floor,
// keeps the chip on its grid, and its summary says so.
func TestShadowRun(t *testing.T) {
	m, sets := shippedMLP(t)
	c := DefaultConfig()
	c.Step, c.Decay, c.Batch = 0.005, 0.5, 256
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "lr = 0.005") {
		t.Fatalf("a step below one code without Shadow: %v", err)
	}
	c.Shadow = true
	c.MaxQueries, c.EvalEvery, c.Seed = 20000, 5000, 1
	d, err := Deploy(m, sets[0], sets[1], c)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Run.Finish(); err != nil {
		t.Fatal(err)
	}
	curve := d.Run.Curve()
	if curve[0].Step != 0.005 || !(curve[len(curve)-1].Step < 0.005) {
		t.Errorf("steps %v .. %v, want 0.005 decaying", curve[0].Step, curve[len(curve)-1].Step)
	}
	chip := d.Net.Chip()
	for _, i := range chip.Active() {
		if c := chip.Phase(i) / chip.Quantum(); math.Abs(c-math.Round(c)) > 1e-9 {
			t.Fatalf("device %d off the grid: %v codes", i, c)
		}
	}
	if s := d.Summary(); !s.Shadow || s.Step != 0.005 {
		t.Errorf("summary shadow %v step %v", s.Shadow, s.Step)
	}
}
