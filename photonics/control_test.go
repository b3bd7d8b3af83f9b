package photonics

import (
	"math"
	"strings"
	"testing"
)

// onGrid reports whether phi is a whole number of codes of a bits-bit DAC in [0, 2pi).
func onGrid(phi float64, bits int) bool {
	c := phi / Quantum(bits)
	return c >= 0 && c < float64(int(1)<<bits) && math.Abs(c-math.Round(c)) < 1e-9
}

func TestQuantize(t *testing.T) {
	q := Quantum(8)
	if want := 2 * math.Pi / 256; q != want {
		t.Fatalf("Quantum(8) = %v, want %v", q, want)
	}
	for _, tc := range []struct {
		name string
		phi  float64
		bits int
		want float64
	}{
		{"zero", 0, 8, 0},
		{"below half a code", 0.49 * q, 8, 0},
		{"half a code rounds up", 0.5 * q, 8, q},
		{"three codes", 3 * q, 8, 3 * q},
		{"just below 2pi wraps to code 0", 2*math.Pi - 0.4*q, 8, 0},
		{"minus one code", -q, 8, 255 * q},
		{"above 2pi", 2*math.Pi + 2.2*q, 8, 2 * q},
		{"one bit", 2, 1, math.Pi},
		{"continuous only wraps", 7, 0, 7 - 2*math.Pi},
	} {
		if got := Quantize(tc.phi, tc.bits); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: Quantize(%v, %d) = %v, want %v", tc.name, tc.phi, tc.bits, got, tc.want)
		}
	}
	if !math.IsNaN(Quantize(math.NaN(), 8)) || !math.IsNaN(Quantize(math.Inf(1), 8)) {
		t.Error("Quantize of NaN or Inf is not NaN")
	}
	rng := newRand(3)
	for _, bits := range []int{1, 4, 8, 12, MaxBits} {
		for range 1000 {
			phi := (rng.Float64() - 0.5) * 40
			got := Quantize(phi, bits)
			if !onGrid(got, bits) {
				t.Fatalf("Quantize(%v, %d) = %v is off the grid", phi, bits, got)
			}
			// The nearest code: at most half a code from phi, around the circle.
			d := math.Abs(Wrap(got-phi+math.Pi) - math.Pi)
			if d > Quantum(bits)/2+1e-12 {
				t.Fatalf("Quantize(%v, %d) = %v is %v from phi, more than half a code", phi, bits, got, d)
			}
		}
	}
}

func TestFoldSigma(t *testing.T) {
	rng := newRand(4)
	for range 1000 {
		phi := (rng.Float64() - 0.5) * 40
		f := FoldSigma(phi)
		if f < 0 || f > math.Pi {
			t.Fatalf("FoldSigma(%v) = %v outside [0, pi]", phi, f)
		}
		if math.Abs(math.Cos(f)-math.Cos(phi)) > 1e-12 {
			t.Fatalf("FoldSigma(%v) = %v changes the cosine: %v vs %v", phi, f, math.Cos(f), math.Cos(phi))
		}
	}
	if got := FoldSigma(1); got != 1 {
		t.Errorf("FoldSigma(1) = %v, want 1 unchanged", got)
	}
}

// TestChipControlGrid deploys random programs at several resolutions and checks where
// every device's phase lands, after deployment and after SetPhase.
func TestChipControlGrid(t *testing.T) {
	layers := mlp(t, []int{24, 16, 10}, 8, Clements)
	ph, sg := randomProgram(layers, 5)
	for _, bits := range []int{0, 4, 8, 12} {
		c, err := Deploy(layers, ph, sg, ChipConfig{Alpha: 0.3, Hardware: Hardware{Noise: DefaultNoise(), Bits: bits}, Truncate: DefaultTruncate, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		if c.Quantum() != Quantum(bits) {
			t.Errorf("bits %d: chip quantum %v, want %v", bits, c.Quantum(), Quantum(bits))
		}
		lay := c.Layout()
		for li := range layers {
			off := lay.LayerOffset(li)
			for k, v := range ph[li] {
				i := off + k
				want := Wrap(v)
				if lay.Sites[i].Part == PartSigma {
					want = FoldSigma(v)
				}
				if c.IsActive(i) {
					want = Quantize(want, bits)
				}
				if got := c.Phase(i); got != want {
					t.Fatalf("bits %d: deployed %s (active %v): phase %v, want %v", bits, c.where(i), c.IsActive(i), got, want)
				}
				if bits > 0 && c.IsActive(i) && !onGrid(c.Phase(i), bits) {
					t.Fatalf("bits %d: deployed %s off the grid: %v", bits, c.where(i), c.Phase(i))
				}
			}
		}
		rng := newRand(uint64(bits) + 9)
		for _, i := range c.Active() {
			phi := (rng.Float64() - 0.5) * 20
			if err := c.SetPhase(i, phi); err != nil {
				t.Fatal(err)
			}
			got := c.Phase(i)
			if bits > 0 && !onGrid(got, bits) {
				t.Fatalf("bits %d: SetPhase(%s, %v) left %v off the grid", bits, c.where(i), phi, got)
			}
			if lay.Sites[i].Part == PartSigma && got > math.Pi {
				t.Fatalf("bits %d: SetPhase(%s, %v) left a Sigma phase %v above pi", bits, c.where(i), phi, got)
			}
			if bits == 0 && lay.Sites[i].Part != PartSigma && got != Wrap(phi) {
				t.Fatalf("continuous SetPhase(%s, %v) = %v, want %v", c.where(i), phi, got, Wrap(phi))
			}
		}
	}
}

func TestHeatAll(t *testing.T) {
	layers := mlp(t, []int{16, 16, 8}, 8, Clements)
	ph, sg := randomProgram(layers, 3)
	for _, all := range []bool{false, true} {
		nz := DefaultNoise()
		nz.Crosstalk, nz.HeatAll = 0.05, all
		cfg := ChipConfig{Alpha: 0.3, Hardware: Hardware{Noise: nz}, Truncate: DefaultTruncate, Seed: 9}
		c, err := Deploy(layers, ph, sg, cfg)
		if err != nil {
			t.Fatal(err)
		}
		// The effective phase of every device, recomputed from the definition.
		for i := 0; i < c.NumPhases(); i++ {
			heat := 0.0
			for _, j := range c.Layout().Neighbors[i] {
				if all || c.IsActive(j) {
					heat += c.Gamma(j) * c.Phase(j)
				}
			}
			want := c.Gamma(i)*c.Phase(i) + nz.Crosstalk*heat
			if math.Abs(c.Effective(i)-want) > 1e-15 {
				t.Fatalf("heat all %v: %s effective %v, want %v", all, c.where(i), c.Effective(i), want)
			}
		}
	}
}

func TestChipBitsValidated(t *testing.T) {
	layers := mlp(t, []int{8, 8}, 8, Reck)
	ph, sg := randomProgram(layers, 1)
	for _, bits := range []int{-1, MaxBits + 1, 64} {
		_, err := Deploy(layers, ph, sg, ChipConfig{Alpha: 0.5, Hardware: Hardware{Bits: bits}})
		if err == nil || !strings.Contains(err.Error(), "bits") {
			t.Errorf("bits %d: got %v, want an error naming the bits", bits, err)
		}
	}
}

func TestPresets(t *testing.T) {
	p, err := LookupPreset("paper")
	if err != nil {
		t.Fatal(err)
	}
	if p.Noise != DefaultNoise() || p.Bits != DefaultBits || Presets()[0].Name != "paper" || p.Preset != "paper" {
		t.Errorf("paper preset %+v, want the default noise and %d bits, first", p, DefaultBits)
	}
	if got := p.Noise.RelativeDrift(); math.Abs(got-0.0121) > 5e-5 {
		t.Errorf("paper chip relative drift %v, want 2e-3 / (pi / 4.36^2) = 1.21%%", got)
	}
	ideal, err := LookupPreset("ideal")
	if err != nil || ideal.Noise.GammaStd != 0 || ideal.Noise.Crosstalk != 0 || ideal.Bits != 0 {
		t.Errorf("ideal preset %+v, %v: want no noise, continuous control", ideal, err)
	}
	for _, p := range Presets() {
		if err := p.Hardware.Validate(); err != nil || p.Preset != p.Name {
			t.Errorf("preset %s: %v, hardware named %q", p.Name, err, p.Preset)
		}
	}
	if _, err := LookupPreset("papr"); err == nil || !strings.Contains(err.Error(), `"papr"`) || !strings.Contains(err.Error(), "ideal") {
		t.Errorf("unknown preset: got %v, want an error naming it and the known ones", err)
	}
}
