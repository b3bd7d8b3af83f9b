package onn

import (
	"math"
	"math/big"
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
	// Around the ends of the fast range and of the range of float64: within 2 ulps of
	// e^x computed in 300-bit arithmetic (math.Exp's amd64 code overflows early), 0
	// below its underflow and +Inf above ln(MaxFloat64) = 709.7827.
	for _, x := range []float64{-745.1, -744, -709, -708.3900001, -708.39, -708.3899999, -700, 700,
		709.7699999, 709.77, 709.7700001, 709.78, 709.782} {
		if want := bigExp(x); ulps(exp(x), want) > 2 {
			t.Errorf("exp(%v) = %v, want %v: %v ulps", x, exp(x), want, ulps(exp(x), want))
		}
	}
	if exp(-745.3) != 0 || !math.IsInf(exp(709.783), 1) || !math.IsInf(exp(709.8), 1) {
		t.Errorf("exp(-745.3) = %v, exp(709.783) = %v, exp(709.8) = %v, want 0, +Inf and +Inf", exp(-745.3), exp(709.783), exp(709.8))
	}
	// sumExp adds, in order, what exp gives.
	xs := []float64{0.5, -3, 2, -700, 0}
	want := 0.0
	for _, x := range xs {
		want += exp(x - 2)
	}
	if got := sumExp(xs, 2); got != want {
		t.Errorf("sumExp %v, want %v", got, want)
	}
}

// bigExp returns e^x rounded to float64, computed in 300-bit arithmetic: the Taylor
// series of e^(x/2^20) (exact argument, |x/2^20| < 0.001), squared 20 times.
func bigExp(x float64) float64 {
	const prec = 300
	y := new(big.Float).SetPrec(prec).SetMantExp(big.NewFloat(x), -20)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := int64(1); n <= 40; n++ {
		term.Mul(term, y)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(n))
		sum.Add(sum, term)
	}
	for range 20 {
		sum.Mul(sum, sum)
	}
	f, _ := sum.Float64()
	return f
}

// Each entry of exp's table, its float64 plus its remainder, is 2^(j/64) to 1e-30:
// raised to the 64th power in 256-bit arithmetic it gives 2^j; and the remainder is
// below half an ulp of the float64.
func TestExp2Table(t *testing.T) {
	for j, e := range exp2Table {
		v := new(big.Float).SetPrec(256).SetFloat64(e[0])
		v.Add(v, new(big.Float).SetFloat64(e[1]))
		p := new(big.Float).SetPrec(256).SetInt64(1)
		for range 64 {
			p.Mul(p, v)
		}
		p.SetMantExp(p, -j) // p / 2^j, want 1
		d, _ := p.Sub(p, big.NewFloat(1)).Float64()
		if math.Abs(d) > 1e-30 {
			t.Errorf("entry %d: (%v + %v)^64 / 2^%d - 1 = %.3g", j, e[0], e[1], j, d)
		}
		if ulp := math.Nextafter(e[0], math.Inf(1)) - e[0]; math.Abs(e[1]) > ulp/2 {
			t.Errorf("entry %d: remainder %v above half an ulp of %v", j, e[1], e[0])
		}
	}
}

// leaves gives every output of every input row the plain sum, in column order from the
// first product, of its products over the block's columns, through its unrolled path for
// blocks eight wide and its loop for others, and touches nothing else of the plane.
func TestLeaves(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const k, out, n = 21, 11, 3 // W is 11 x 21; 3 input rows
	w, x := make([]float64, out*k), make([]float64, n*k)
	for i := range w {
		w[i] = rng.NormFloat64()
	}
	for i := range x {
		if rng.IntN(3) > 0 {
			x[i] = rng.NormFloat64()
		}
	}
	for _, rs := range []span{{0, 8}, {3, 11}, {10, 11}} {
		for _, cs := range []span{{0, 8}, {8, 16}, {16, 21}, {20, 21}, {0, 21}} {
			plane := make([]float64, n*out)
			for i := range plane {
				plane[i] = -1
			}
			leaves(plane, w, x, k, out, rs, cs, testSigns(w, k, out, cs))
			for r := range n {
				for o := range out {
					want := -1.0
					if o >= rs.a && o < rs.b {
						want = w[o*k+cs.a] * x[r*k+cs.a]
						for c := cs.a + 1; c < cs.b; c++ {
							want = want + w[o*k+c]*x[r*k+c]
						}
					}
					if got := plane[r*out+o]; got != want {
						t.Errorf("rows %v, columns %v: input row %d, output %d is %v, want %v", rs, cs, r, o, got, want)
					}
				}
			}
		}
	}
}

// addPlanes adds two node planes into a third, for every output or for a range of outputs
// of each input row, and touches nothing else.
func TestAddPlanes(t *testing.T) {
	const out, rows, ps = 5, 4, 24 // planes of 24 elements; rows 1..3 of 5 outputs are used
	for _, rs := range []span{{0, out}, {1, 3}, {4, 5}} {
		tr := make([]float64, 5*ps) // nodes 0..4: node 1 = node 3 + node 4
		for i := range tr {
			tr[i] = float64(i)
		}
		addPlanes(tr, ps, 1, out, rows*out, out, rs)
		for i, got := range tr {
			want := float64(i)
			if e := i - ps; i/ps == 1 && e >= out && e < rows*out && e%out >= rs.a && e%out < rs.b {
				want = float64(3*ps+e) + float64(4*ps+e)
			}
			if got != want {
				t.Fatalf("rows %v: element %d is %v, want %v", rs, i, got, want)
			}
		}
	}
}
