package onn

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestExpLog(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	ulps := func(got, want float64) float64 {
		return math.Abs(got-want) / (math.Nextafter(math.Abs(want), math.Inf(1)) - math.Abs(want))
	}
	for range 100000 {
		x := (rng.Float64() - 0.8) * 100 // [-80, 20]
		if u := ulps(exp(x), math.Exp(x)); u > 2 {
			t.Fatalf("exp(%v) = %v, math.Exp %v: %v ulps", x, exp(x), math.Exp(x), u)
		}
		y := math.Exp(rng.Float64()*60 - 30) // log-uniform in [e^-30, e^30]
		if u := ulps(log(y), math.Log(y)); u > 2 && math.Abs(log(y)-math.Log(y)) > 1e-16 {
			t.Fatalf("log(%v) = %v, math.Log %v: %v ulps", y, log(y), math.Log(y), u)
		}
	}
	for _, tc := range []struct{ got, want float64 }{
		{exp(0), 1}, {exp(-800), 0}, {exp(800), math.Inf(1)}, {log(1), 0}, {log(0), math.Inf(-1)},
		{log(math.Inf(1)), math.Inf(1)}, {log(math.E), 1},
	} {
		if tc.got != tc.want {
			t.Errorf("got %v, want %v", tc.got, tc.want)
		}
	}
	if !math.IsNaN(log(-1)) || !math.IsNaN(exp(math.NaN())) {
		t.Error("log(-1) or exp(NaN) is not NaN")
	}
}

func TestDot(t *testing.T) {
	for n := range 11 {
		a, b := make([]float64, n), make([]float64, n+2)
		want := 0.0
		for i := range a {
			a[i], b[i] = float64(i+1), float64(2*i-3)
			want += a[i] * b[i]
		}
		if got := dot(a, b); got != want {
			t.Errorf("n=%d: dot %v, want %v", n, got, want)
		}
	}
}
