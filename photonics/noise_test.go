package photonics

import (
	"math"
	"strings"
	"testing"
)

// truncatedStd is the standard deviation of N(0,1) truncated to [-t, t]:
// sqrt(1 - 2 t phi(t) / (2 Phi(t) - 1)).
func truncatedStd(t float64) float64 {
	pdf := math.Exp(-t*t/2) / math.Sqrt(2*math.Pi)
	mass := math.Erf(t / math.Sqrt2)
	return math.Sqrt(1 - 2*t*pdf/mass)
}

func TestNoiseStatistics(t *testing.T) {
	cases := []struct {
		name  string
		nz    Noise
		trunc float64
	}{
		{"2e-3 cut at 3 sigma", Noise{GammaStd: 2e-3}, 3},
		{"0.05 cut at 1 sigma", Noise{GammaStd: 0.05}, 1},
		{"0.01 cut at half a sigma", Noise{GammaStd: 0.01}, 0.5},
		{"0.01 untruncated", Noise{GammaStd: 0.01}, 0},
	}
	const draws = 100000
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			nz, trunc := tc.nz, tc.trunc
			rng := newStream(42, streamNoise)
			sum, sum2, worst := 0.0, 0.0, 0.0
			for k := 0; k < draws; k++ {
				d := nz.gamma(rng, trunc) - 1
				sum += d
				sum2 += d * d
				worst = max(worst, math.Abs(d))
			}
			mean := sum / draws
			std := math.Sqrt(sum2/draws - mean*mean)
			wantStd := nz.RelativeDrift()
			if trunc > 0 {
				wantStd *= truncatedStd(trunc)
				if worst > trunc*nz.RelativeDrift() {
					t.Errorf("|d| reached %v > %v", worst, trunc*nz.RelativeDrift())
				}
			} else if worst < 3*nz.RelativeDrift() {
				t.Errorf("untruncated draws never passed 3 sigma (max %v)", worst)
			}
			if se := wantStd / math.Sqrt(draws); math.Abs(mean) > 5*se {
				t.Errorf("mean %v, want 0 within %v", mean, 5*se)
			}
			if math.Abs(std/wantStd-1) > 0.02 {
				t.Errorf("std %v, want %v within 2%%", std, wantStd)
			}
		})
	}
}

func TestChipGammaStatistics(t *testing.T) {
	// The same check through the public API, over the devices of a few chips.
	layers := mlp(t, []int{24, 24, 10}, 8, Reck)
	ph, sg := randomProgram(layers, 1)
	nz := DefaultNoise()
	sum, sum2, count := 0.0, 0.0, 0
	for seed := int64(0); seed < 10; seed++ {
		c, err := Deploy(layers, ph, sg, ChipConfig{Alpha: 0.5, Hardware: Hardware{Noise: nz}, Truncate: DefaultTruncate, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < c.NumPhases(); i++ {
			d := c.Gamma(i) - 1
			if math.Abs(d) > DefaultTruncate*nz.RelativeDrift() {
				t.Fatalf("seed %d device %d: |d| = %v beyond truncation", seed, i, math.Abs(d))
			}
			sum += d
			sum2 += d * d
			count++
		}
	}
	mean := sum / float64(count)
	std := math.Sqrt(sum2/float64(count) - mean*mean)
	want := nz.RelativeDrift() * truncatedStd(DefaultTruncate)
	if math.Abs(mean) > 5*want/math.Sqrt(float64(count)) || math.Abs(std/want-1) > 0.05 {
		t.Errorf("over %d devices: mean %v std %v, want 0 and %v", count, mean, std, want)
	}
}

func TestNoiseValidate(t *testing.T) {
	if err := DefaultNoise().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (Noise{}).Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		n    Noise
		want string
	}{
		{Noise{GammaStd: -1e-3}, "gamma std -0.001"},
		{Noise{Crosstalk: math.NaN()}, "crosstalk NaN"},
		{Noise{GammaStd: math.Inf(1)}, "gamma std +Inf"},
	}
	for _, tc := range bad {
		err := tc.n.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want an error containing %q", tc.n, err, tc.want)
		}
	}
	for _, tr := range []float64{-1, 0.1, math.Inf(1), math.NaN()} {
		if err := validTruncate(tr); err == nil || !strings.Contains(err.Error(), "want 0 (none) or a finite value >= 0.5") {
			t.Errorf("truncate %v: got %v, want it refused", tr, err)
		}
	}
}
