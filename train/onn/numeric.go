package onn

import "math"

// dot returns sum a[i]*b[i] over len(a) (b must be at least as long), with four partial
// sums so that independent multiply-adds can overlap.
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	for len(a) >= 4 {
		s0 += a[0] * b[0]
		s1 += a[1] * b[1]
		s2 += a[2] * b[2]
		s3 += a[3] * b[3]
		a, b = a[4:], b[4:]
	}
	for i, v := range a {
		s0 += v * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// dot4 returns the dot products of w0..w3 with x (each w at least as long as x),
// loading each x[i] once for four rows. Each sum is accumulated in index order, like a
// plain loop.
func dot4(w0, w1, w2, w3, x []float64) (s0, s1, s2, s3 float64) {
	w0, w1, w2, w3 = w0[:len(x)], w1[:len(x)], w2[:len(x)], w3[:len(x)]
	for i, v := range x {
		s0 += w0[i] * v
		s1 += w1[i] * v
		s2 += w2[i] * v
		s3 += w3[i] * v
	}
	return
}

// ln2Hi + ln2Lo = ln 2; ln2Hi has trailing zero bits so that k*ln2Hi is exact for |k| < 2^11.
const (
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
)

// exp returns e^x to about one ulp using only +, -, *, / and exact scaling, so that the
// result is the same on every platform. x below -745 gives 0, above 709 +Inf.
func exp(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > 709.78:
		return math.Inf(1)
	case x < -745.2:
		return 0
	}
	k := math.Round(x / math.Ln2)
	r := (x - k*ln2Hi) - k*ln2Lo // |r| <= ln2/2
	// Taylor series of e^r to r^13 (error below 1e-17 for |r| <= 0.35), Horner form.
	p := 1.0 / 6227020800 // 1/13!
	for _, c := range [...]float64{1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880,
		1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1, 1} {
		p = p*r + c
	}
	if k < -1021 { // 2^k is subnormal
		return math.Ldexp(p, int(k))
	}
	return p * math.Float64frombits(uint64(int64(k)+1023)<<52) // p * 2^k, exact
}

// log returns the natural logarithm of x > 0 to about one ulp, portably like exp.
// It returns NaN for x < 0 or NaN, -Inf for 0 and +Inf for +Inf.
func log(x float64) float64 {
	switch {
	case x != x || x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	}
	f, e := math.Frexp(x) // x = f * 2^e, f in [0.5, 1)
	if f < math.Sqrt2/2 {
		f *= 2
		e--
	}
	// log f = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (f-1)/(f+1), |s| <= 0.1716.
	s := (f - 1) / (f + 1)
	s2 := s * s
	q := 1.0 / 25
	for _, c := range [...]float64{1.0 / 23, 1.0 / 21, 1.0 / 19, 1.0 / 17, 1.0 / 15, 1.0 / 13,
		1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3, 1} {
		q = q*s2 + c
	}
	k := float64(e)
	return k*ln2Hi + (k*ln2Lo + 2*s*q)
}
