package photonics

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Noise parameters of a chip. The zero value is an ideal chip.
//
// Drift is the standard deviation of the phase-shifter gain error d:
// Gamma = 1 + d, d ~ N(0, Drift^2) truncated to |d| <= Truncate*Drift by
// resampling. Truncate is in units of Drift; 0 means no truncation, and a
// positive value must be at least 0.5 (so resampling stays cheap).
// Crosstalk is the coupling omega between adjacent devices: the effective
// phase of device i is Gamma_i phi_i + Crosstalk * sum of Gamma_j phi_j over
// its active neighbours j (passive devices dissipate no heat).
type Noise struct{ Drift, Truncate, Crosstalk float64 }

// DefaultNoise returns Drift 2e-3, Truncate 3, Crosstalk 2e-3.
func DefaultNoise() Noise { return Noise{Drift: 2e-3, Truncate: 3, Crosstalk: 2e-3} }

// Validate reports negative, NaN or infinite parameters and a truncation
// in (0, 0.5).
func (n Noise) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"drift", n.Drift}, {"truncate", n.Truncate}, {"crosstalk", n.Crosstalk}} {
		if !finite(f.v) || f.v < 0 {
			return fmt.Errorf("photonics: noise: %s %v, want a finite value >= 0", f.name, f.v)
		}
	}
	if n.Truncate > 0 && n.Truncate < 0.5 {
		return fmt.Errorf("photonics: noise: truncate %v, want 0 (none) or >= 0.5", n.Truncate)
	}
	return nil
}

// gamma draws one drift factor 1 + d. It consumes the stream only when
// Drift > 0. Valid parameters are assumed.
func (n Noise) gamma(rng *rand.Rand) float64 {
	if n.Drift == 0 {
		return 1
	}
	d := rng.NormFloat64()
	if n.Truncate > 0 {
		for math.Abs(d) > n.Truncate {
			d = rng.NormFloat64()
		}
	}
	return 1 + n.Drift*d
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
