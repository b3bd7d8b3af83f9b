package photonics

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// DefaultVPi is the half-wave voltage V_pi of a phase shifter, in volts, as in the
// method's code: its power-to-phase factor is gamma = pi / V_pi^2.
const DefaultVPi = 4.36

// DefaultTruncate is where the method's code cuts the drift's normal distribution, in
// standard deviations (PyTorch's trunc_normal_ bounds): ChipConfig.Truncate of a run.
const DefaultTruncate = 2

// Noise parameters of a chip, part of its Hardware. The zero value is an ideal chip.
//
// Drift: each phase shifter's power-to-phase factor is gamma_v = gamma + dgamma with
// gamma = pi / VPi^2 and dgamma ~ N(0, GammaStd^2) truncated to |dgamma| <=
// Truncate*GammaStd by resampling (ChipConfig.Truncate, a property of the draw rather
// than a setting of the chip), drawn once per deployed chip. The phase it realises
// is phi_v = phi * gamma_v / gamma, so GammaStd is absolute, in the units of gamma
// (rad/V^2), and the relative drift is GammaStd / gamma (RelativeDrift): the method's
// 2e-3 at V_pi = 4.36 V is 1.21%. VPi 0 means DefaultVPi.
//
// Crosstalk is the coupling omega between adjacent devices: the effective phase of
// device i is phi_v,i + Crosstalk * sum of phi_v,j over its neighbours j that heat.
// As the method's text has it, only active devices heat (a passive device dissipates
// no power); HeatAll makes every device heat, as the method's code does (an ablation).
//
// The JSON names are those of a run's summary (train.Setup).
type Noise struct {
	GammaStd  float64 `json:"gamma_std"`          // standard deviation of gamma, rad/V^2 (the method's sigma: 2e-3)
	VPi       float64 `json:"vpi"`                // half-wave voltage, volts (0: DefaultVPi)
	Crosstalk float64 `json:"crosstalk"`          // omega between adjacent devices
	HeatAll   bool    `json:"heat_all,omitempty"` // passive devices heat their neighbours too (ablation)
}

// DefaultNoise returns the method's chip: GammaStd 2e-3 at V_pi 4.36 V (1.21% relative
// drift), crosstalk 2e-3 from active devices only. The method's code truncates the
// drift at DefaultTruncate standard deviations.
func DefaultNoise() Noise {
	return Noise{GammaStd: 2e-3, VPi: DefaultVPi, Crosstalk: 2e-3}
}

// Gamma returns the nominal power-to-phase factor pi / V_pi^2, rad/V^2.
func (n Noise) Gamma() float64 {
	v := n.VPi
	if v == 0 {
		v = DefaultVPi
	}
	return math.Pi / (v * v)
}

// RelativeDrift returns GammaStd / Gamma: the standard deviation of phi_v / phi - 1.
func (n Noise) RelativeDrift() float64 { return n.GammaStd / n.Gamma() }

// Validate reports negative, NaN or infinite parameters.
func (n Noise) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"gamma std", n.GammaStd}, {"V_pi", n.VPi}, {"crosstalk", n.Crosstalk}} {
		if !finite(f.v) || f.v < 0 {
			return fmt.Errorf("photonics: noise: %s %v, want a finite value >= 0", f.name, f.v)
		}
	}
	return nil
}

// validTruncate reports a truncation that is not 0 (none) or a finite value of at least
// 0.5 (so resampling stays cheap).
func validTruncate(t float64) error {
	if !finite(t) || t < 0 || (t > 0 && t < 0.5) {
		return fmt.Errorf("photonics: noise: truncate %v, want 0 (none) or a finite value >= 0.5", t)
	}
	return nil
}

// gamma draws one drift factor gamma_v / gamma = 1 + dgamma / gamma, dgamma cut at
// truncate standard deviations (0: not cut). It consumes the stream only when
// GammaStd > 0. Valid parameters are assumed.
func (n Noise) gamma(rng *rand.Rand, truncate float64) float64 {
	if n.GammaStd == 0 {
		return 1
	}
	d := rng.NormFloat64()
	if truncate > 0 {
		for math.Abs(d) > truncate {
			d = rng.NormFloat64()
		}
	}
	return 1 + n.RelativeDrift()*d
}

// Random streams derived from a chip seed. Separate streams keep the noise
// realization independent of alpha (and the active set independent of the
// noise parameters).
const (
	streamNoise  = 0x6e6f697365 // "noise"
	streamActive = 0x616374697665
)

// newStream returns a PCG generator for one purpose of a seed. math/rand/v2's
// PCG is pure integer arithmetic, so native and js/wasm builds draw the same.
func newStream(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream))
}
