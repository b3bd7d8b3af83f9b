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

// Hardware is a chip's settings: the preset they started from, the noise and the control
// resolution. It is the one type of them: the chip's configuration (ChipConfig), a run's
// (train.Config) and its summary (train.Setup), and the page's settings embed it, and its
// fields are set from the command line and the page's address by one table
// (train.Params). The JSON names are those of a run's summary.
type Hardware struct {
	Preset string `json:"chip"` // the preset these started from, a label: set by a preset, kept when a field is edited
	Noise
	Bits int `json:"bits"` // control resolution of the active phases: a Bits-bit DAC, 0 to MaxBits (0: continuous)
}

// Validate reports noise parameters (Noise.Validate) or a resolution out of range.
func (h Hardware) Validate() error {
	if err := h.Noise.Validate(); err != nil {
		return err
	}
	return validBits(h.Bits)
}

// ChipPreset is a named kind of chip: its Hardware, whose Preset is Name.
type ChipPreset struct {
	Name  string
	About string
	Hardware
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
	preset := func(name, about string, n Noise, bits int) ChipPreset {
		return ChipPreset{name, about, Hardware{Preset: name, Noise: n, Bits: bits}}
	}
	return []ChipPreset{
		preset("paper", "the method's chip: 1.21% drift, crosstalk 2e-3, 8-bit control", DefaultNoise(), DefaultBits),
		preset("ideal", "no drift, no crosstalk, continuous control", Noise{VPi: DefaultVPi}, 0),
		preset("strong", "1.5x the method's drift and crosstalk, 8-bit control", strong, DefaultBits),
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
