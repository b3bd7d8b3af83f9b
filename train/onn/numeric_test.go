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
		x := (rng.Float64() - 0.9) * 800 // [-720, 80]: normal and subnormal results
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
		w := make([][]float64, 4)
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i) - 2.5
		}
		var want [4]float64
		for j := range w {
			w[j] = make([]float64, n+j)
			for i := range w[j] {
				w[j][i] = float64((i+1)*(j+2)) / 7
			}
			for i, v := range x {
				want[j] += w[j][i] * v
			}
		}
		s0, s1, s2, s3 := dot4(w[0], w[1], w[2], w[3], x)
		if got := [4]float64{s0, s1, s2, s3}; got != want {
			t.Errorf("n=%d: dot4 %v, want %v", n, got, want)
		}
	}
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
