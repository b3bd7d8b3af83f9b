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
			leaves(plane, w, x, k, out, rs, cs)
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
