package photonics

import (
	"fmt"
	"math"
	"strings"
)

// MaxBits is the finest control resolution a chip may have (a 16-bit DAC).
const MaxBits = 16

// Quantum returns the phase step of one DAC code at the given resolution, 2 pi / 2^bits
// (0.0245 rad at 8 bits); 0 for bits 0, continuous control.
func Quantum(bits int) float64 {
	if bits <= 0 {
		return 0
	}
	return twoPi / float64(int(1)<<bits)
}

// Quantize wraps phi to [0, 2pi) and rounds it to the nearest code of a bits-bit DAC
// (halves away from zero; the code 2^bits is 0 again). Bits 0 only wraps.
func Quantize(phi float64, bits int) float64 {
	w := Wrap(phi)
	if bits <= 0 || math.IsNaN(w) {
		return w
	}
	n := float64(int(1) << bits)
	code := math.Round(w / twoPi * n)
	if code >= n {
		code = 0
	}
	return code * Quantum(bits)
}

// FoldSigma maps a Sigma shifter's phase to the one in [0, pi] with the same
// cos(phi), and so the same singular value: 2 pi - phi for phi in (pi, 2 pi). It wraps
// first. Of the two phases that realise a singular value, the folded one is the
// smaller, so it is what a heater is driven to.
func FoldSigma(phi float64) float64 {
	w := Wrap(phi)
	if w > math.Pi {
		return twoPi - w
	}
	return w
}

func validBits(bits int) error {
	if bits < 0 || bits > MaxBits {
		return fmt.Errorf("photonics: control resolution %d bits, want 0 (continuous) to %d", bits, MaxBits)
	}
	return nil
}

// ChipPreset is a named kind of chip: its noise and control resolution.
type ChipPreset struct {
	Name  string
	About string
	Noise Noise
	Bits  int
}

// Presets returns the named chips, the method's ("paper", the default) first:
//
//   - paper: the method's chip: gamma std 2e-3 at V_pi 4.36 V (1.21% drift), crosstalk
//     2e-3, 8-bit control;
//   - ideal: no drift, no crosstalk, continuous control (deploys the ideal model);
//   - strong: 1.5x the method's drift (gamma std 3e-3, 1.82%) and crosstalk (3e-3), 8 bits.
func Presets() []ChipPreset {
	strong := DefaultNoise()
	strong.GammaStd, strong.Crosstalk = 3e-3, 3e-3
	return []ChipPreset{
		{"paper", "the method's chip: 1.21% drift, crosstalk 2e-3, 8-bit control", DefaultNoise(), DefaultBits},
		{"ideal", "no drift, no crosstalk, continuous control", Noise{VPi: DefaultVPi}, 0},
		{"strong", "1.5x the method's drift and crosstalk, 8-bit control", strong, DefaultBits},
	}
}

// PresetNames lists the names of Presets, the default first.
func PresetNames() []string {
	var names []string
	for _, p := range Presets() {
		names = append(names, p.Name)
	}
	return names
}

// LookupPreset returns the preset of that name.
func LookupPreset(name string) (ChipPreset, error) {
	for _, p := range Presets() {
		if p.Name == name {
			return p, nil
		}
	}
	return ChipPreset{}, fmt.Errorf("photonics: unknown chip preset %q, want one of %s", name, strings.Join(PresetNames(), ", "))
}
