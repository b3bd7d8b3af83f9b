package onn

import "math"

// ln2Hi + ln2Lo = ln 2; ln2Hi has trailing zero bits so that k*ln2Hi is exact for |k| < 2^11.
const (
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
)

// exp returns e^x to about one ulp using only +, -, *, / and exact scaling, so that the
// result is the same on every platform: 0 below -745.2, +Inf where e^x exceeds the
// largest float64 (x above 709.7827).
func exp(x float64) float64 { return sumExp([]float64{x}, 0) }

// sumExp returns the sum over xs, in order from zero, of e^(x-m), each term as exp gives
// it: the exponentials of a softmax, without a call per term (a query takes hundreds).
//
// x = (64e + j) ln2/64 + r with |r| <= ln2/128, so e^x = 2^e 2^(j/64) e^r: 2^(j/64) from a
// table (each entry a float64 and its rounding error), e^r - 1 as a polynomial of degree 5
// (error below 4e-17) in a short dependency chain. Adding 1.5 * 2^52 rounds x*64/ln2 to
// the integer 64e + j (ties to even) and leaves that integer in the low bits.
func sumExp(xs []float64, m float64) float64 {
	sum := 0.0
	for _, v := range xs {
		x := v - m
		if !(x >= -708.39 && x <= 709.77) { // NaN, or 2^e not a normal float64
			sum += expEdge(x)
			continue
		}
		z := x*(64/math.Ln2) + 0x1.8p52
		k := z - 0x1.8p52
		ki := int64(int32(uint32(math.Float64bits(z))))                         // k, |k| < 2^17
		sum += expCore(x, k, ki) * math.Float64frombits(uint64(ki>>6+1023)<<52) // y * 2^e, e in [-1022, 1023]
	}
	return sum
}

// expCore is the part of e^x that sumExp and expEdge share: for k = round(x * 64/ln 2)
// (ki the same as an integer), y = 2^((k mod 64)/64) * e^r with r = x - k ln2/64, so that
// e^x = y * 2^(k div 64). The table gives 2^(j/64) in two parts and a degree-5
// polynomial e^r - 1 on |r| <= ln2/128.
func expCore(x, k float64, ki int64) float64 {
	r := (x - k*(ln2Hi/64)) - k*(ln2Lo/64) // k*ln2Hi/64 is exact
	r2 := r * r
	q := r + r2*((0.5+r*(1.0/6))+r2*(1.0/24+r*(1.0/120)))
	t := &exp2Table[ki&63]
	return t[0] + (t[1] + t[0]*q)
}

// expEdge is e^x for NaN and for x outside [-708.39, 709.77], where 2^e is not a normal
// float64, by the same method as sumExp: a subnormal result is scaled by Ldexp, and near
// the top the scaling is split in two, so that the last multiplication rounds, or
// overflows to +Inf, as the exact product would.
func expEdge(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > 709.79: // e^x > 1.8e308
		return math.Inf(1)
	case x < -745.2:
		return 0
	}
	k := math.Round(x * (64 / math.Ln2))
	ki := int64(k)
	y := expCore(x, k, ki)
	switch e := ki >> 6; {
	case e < -1022:
		return math.Ldexp(y, int(e)) // subnormal
	case e > 1023:
		return y * 2 * math.Float64frombits(uint64(e+1022)<<52) // 2^e alone would overflow
	default:
		return y * math.Float64frombits(uint64(e+1023)<<52)
	}
}

// exp2Table holds 2^(j/64), j = 0..63, rounded to float64, and the rest, 2^(j/64) minus
// that, rounded (computed with 60-digit decimals).
var exp2Table = [64][2]float64{
	{0x1.0000000000000p+0, 0},
	{0x1.02c9a3e778061p+0, -0x1.19083535b085dp-56},
	{0x1.059b0d3158574p+0, 0x1.d73e2a475b465p-55},
	{0x1.0874518759bc8p+0, 0x1.186be4bb284ffp-57},
	{0x1.0b5586cf9890fp+0, 0x1.8a62e4adc610bp-54},
	{0x1.0e3ec32d3d1a2p+0, 0x1.03a1727c57b53p-59},
	{0x1.11301d0125b51p+0, -0x1.6c51039449b3ap-54},
	{0x1.1429aaea92de0p+0, -0x1.32fbf9af1369ep-54},
	{0x1.172b83c7d517bp+0, -0x1.19041b9d78a76p-55},
	{0x1.1a35beb6fcb75p+0, 0x1.e5b4c7b4968e4p-55},
	{0x1.1d4873168b9aap+0, 0x1.e016e00a2643cp-54},
	{0x1.2063b88628cd6p+0, 0x1.dc775814a8495p-55},
	{0x1.2387a6e756238p+0, 0x1.9b07eb6c70573p-54},
	{0x1.26b4565e27cddp+0, 0x1.2bd339940e9d9p-55},
	{0x1.29e9df51fdee1p+0, 0x1.612e8afad1255p-55},
	{0x1.2d285a6e4030bp+0, 0x1.0024754db41d5p-54},
	{0x1.306fe0a31b715p+0, 0x1.6f46ad23182e4p-55},
	{0x1.33c08b26416ffp+0, 0x1.32721843659a6p-54},
	{0x1.371a7373aa9cbp+0, -0x1.63aeabf42eae2p-54},
	{0x1.3a7db34e59ff7p+0, -0x1.5e436d661f5e3p-56},
	{0x1.3dea64c123422p+0, 0x1.ada0911f09ebcp-55},
	{0x1.4160a21f72e2ap+0, -0x1.ef3691c309278p-58},
	{0x1.44e086061892dp+0, 0x1.89b7a04ef80d0p-59},
	{0x1.486a2b5c13cd0p+0, 0x1.3c1a3b69062f0p-56},
	{0x1.4bfdad5362a27p+0, 0x1.d4397afec42e2p-56},
	{0x1.4f9b2769d2ca7p+0, -0x1.4b309d25957e3p-54},
	{0x1.5342b569d4f82p+0, -0x1.07abe1db13cadp-55},
	{0x1.56f4736b527dap+0, 0x1.9bb2c011d93adp-54},
	{0x1.5ab07dd485429p+0, 0x1.6324c054647adp-54},
	{0x1.5e76f15ad2148p+0, 0x1.ba6f93080e65ep-54},
	{0x1.6247eb03a5585p+0, -0x1.383c17e40b497p-54},
	{0x1.6623882552225p+0, -0x1.bb60987591c34p-54},
	{0x1.6a09e667f3bcdp+0, -0x1.bdd3413b26456p-54},
	{0x1.6dfb23c651a2fp+0, -0x1.bbe3a683c88abp-57},
	{0x1.71f75e8ec5f74p+0, -0x1.16e4786887a99p-55},
	{0x1.75feb564267c9p+0, -0x1.0245957316dd3p-54},
	{0x1.7a11473eb0187p+0, -0x1.41577ee04992fp-55},
	{0x1.7e2f336cf4e62p+0, 0x1.05d02ba15797ep-56},
	{0x1.82589994cce13p+0, -0x1.d4c1dd41532d8p-54},
	{0x1.868d99b4492edp+0, -0x1.fc6f89bd4f6bap-54},
	{0x1.8ace5422aa0dbp+0, 0x1.6e9f156864b27p-54},
	{0x1.8f1ae99157736p+0, 0x1.5cc13a2e3976cp-55},
	{0x1.93737b0cdc5e5p+0, -0x1.75fc781b57ebcp-57},
	{0x1.97d829fde4e50p+0, -0x1.d185b7c1b85d1p-54},
	{0x1.9c49182a3f090p+0, 0x1.c7c46b071f2bep-56},
	{0x1.a0c667b5de565p+0, -0x1.359495d1cd533p-54},
	{0x1.a5503b23e255dp+0, -0x1.d2f6edb8d41e1p-54},
	{0x1.a9e6b5579fdbfp+0, 0x1.0fac90ef7fd31p-54},
	{0x1.ae89f995ad3adp+0, 0x1.7a1cd345dcc81p-54},
	{0x1.b33a2b84f15fbp+0, -0x1.2805e3084d708p-57},
	{0x1.b7f76f2fb5e47p+0, -0x1.5584f7e54ac3bp-56},
	{0x1.bcc1e904bc1d2p+0, 0x1.23dd07a2d9e84p-55},
	{0x1.c199bdd85529cp+0, 0x1.11065895048ddp-55},
	{0x1.c67f12e57d14bp+0, 0x1.2884dff483cadp-54},
	{0x1.cb720dcef9069p+0, 0x1.503cbd1e949dbp-56},
	{0x1.d072d4a07897cp+0, -0x1.cbc3743797a9cp-54},
	{0x1.d5818dcfba487p+0, 0x1.2ed02d75b3707p-55},
	{0x1.da9e603db3285p+0, 0x1.c2300696db532p-54},
	{0x1.dfc97337b9b5fp+0, -0x1.1a5cd4f184b5cp-54},
	{0x1.e502ee78b3ff6p+0, 0x1.39e8980a9cc8fp-55},
	{0x1.ea4afa2a490dap+0, -0x1.e9c23179c2893p-54},
	{0x1.efa1bee615a27p+0, 0x1.dc7f486a4b6b0p-54},
	{0x1.f50765b6e4540p+0, 0x1.9d3e12dd8a18bp-54},
	{0x1.fa7c1819e90d8p+0, 0x1.74853f3a5931ep-55},
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
	q := 1.0/25*s2 + 1.0/23
	q = q*s2 + 1.0/21
	q = q*s2 + 1.0/19
	q = q*s2 + 1.0/17
	q = q*s2 + 1.0/15
	q = q*s2 + 1.0/13
	q = q*s2 + 1.0/11
	q = q*s2 + 1.0/9
	q = q*s2 + 1.0/7
	q = q*s2 + 1.0/5
	q = q*s2 + 1.0/3
	q = q*s2 + 1
	k := float64(e)
	return k*ln2Hi + (k*ln2Lo + 2*s*q)
}
