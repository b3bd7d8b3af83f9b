package train

import (
	"math"
	"math/rand/v2"
)

// ZAdam is ZO-AdaMM restricted to coordinates: each iteration picks round(S*n) active
// phases, estimates each partial derivative by a central difference
// (L(phi + Mu e_i) - L(phi - Mu e_i)) / 2Mu, restoring the phase after, and then applies
// the AMSGrad update phi_i -= step * m_i / (sqrt(vmax_i) + 1e-8) with beta1 0.9, beta2
// 0.999 to the picked phases (moments of the others are kept). Cost: 2*round(S*n).
// The reported loss is the mean of the difference queries.
type ZAdam struct {
	S, Mu float64

	rng             *rand.Rand
	pick            subset
	m, v, vmax, g   []float64
	beta1, beta2, e float64
}

// Init implements Method.
func (z *ZAdam) Init(n int, rng *rand.Rand) error {
	if err := firstError(checkS(z.S), checkMu(z.Mu), checkPhases("zadam", n)); err != nil {
		return err
	}
	z.rng, z.pick = rng, newSubset(n)
	z.m, z.v, z.vmax, z.g = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	z.beta1, z.beta2, z.e = 0.9, 0.999, 1e-8
	return nil
}

// Cost implements Method.
func (z *ZAdam) Cost(n int) int { return 2 * count(z.S, n) }

// Iterate implements Method.
func (z *ZAdam) Iterate(a ActiveSet, step float64) float64 {
	idx := z.pick.draw(z.rng, count(z.S, a.Len()))
	loss := 0.0
	for j, i := range idx {
		phi := a.Phase(i)
		lp, lm := pair(a, i, phi, z.Mu)
		a.SetPhase(i, phi)
		z.g[j] = (lp - lm) / (2 * z.Mu)
		loss += (lp + lm) / 2
	}
	for j, i := range idx {
		g := z.g[j]
		z.m[i] = z.beta1*z.m[i] + (1-z.beta1)*g
		z.v[i] = z.beta2*z.v[i] + (1-z.beta2)*g*g
		z.vmax[i] = max(z.vmax[i], z.v[i])
		a.SetPhase(i, a.Phase(i)-step*z.m[i]/(math.Sqrt(z.vmax[i])+z.e))
	}
	return loss / float64(len(idx))
}

// pair sets phase i to phi + mu and then to phi - mu, querying the loss at each (two
// queries); it leaves the phase at phi - mu.
func pair(a ActiveSet, i int, phi, mu float64) (plus, minus float64) {
	a.SetPhase(i, phi+mu)
	plus = a.Loss()
	a.SetPhase(i, phi-mu)
	return plus, a.Loss()
}

// ZNewton is a zeroth-order coordinate Newton method: for each of round(S*n) random
// active phases in turn it queries L(phi), L(phi + Mu e_i) and L(phi - Mu e_i), forms the
// central first and second differences g and h, and moves phi_i by -g/h where h > 0
// (downhill by the full step where h <= 0), clipped to [-step, step]. Cost: 3*round(S*n).
// The reported loss is the mean of the L(phi) queries.
type ZNewton struct {
	S, Mu float64

	rng  *rand.Rand
	pick subset
}

// Init implements Method.
func (z *ZNewton) Init(n int, rng *rand.Rand) error {
	if err := firstError(checkS(z.S), checkMu(z.Mu), checkPhases("znewton", n)); err != nil {
		return err
	}
	z.rng, z.pick = rng, newSubset(n)
	return nil
}

// Cost implements Method.
func (z *ZNewton) Cost(n int) int { return 3 * count(z.S, n) }

// Iterate implements Method.
func (z *ZNewton) Iterate(a ActiveSet, step float64) float64 {
	idx := z.pick.draw(z.rng, count(z.S, a.Len()))
	loss := 0.0
	for _, i := range idx {
		phi := a.Phase(i)
		l0 := a.Loss()
		lp, lm := pair(a, i, phi, z.Mu)
		g := (lp - lm) / (2 * z.Mu)
		h := (lp - 2*l0 + lm) / (z.Mu * z.Mu)
		delta := -math.Copysign(step, g)
		if h > 0 {
			delta = -g / h
		}
		if g == 0 {
			delta = 0
		}
		a.SetPhase(i, phi+min(max(delta, -step), step))
		loss += l0
	}
	return loss / float64(len(idx))
}

// STP is the stochastic three points method over coordinate directions: each iteration
// queries L(phi), then for each of round(S*n) random active phases in turn queries
// L(phi + step e_i) and L(phi - step e_i) and keeps the best of the three points (the
// reference loss follows the kept point). Cost: 1 + 2*round(S*n).
type STP struct {
	S float64

	rng  *rand.Rand
	pick subset
}

// Init implements Method.
func (s *STP) Init(n int, rng *rand.Rand) error {
	if err := firstError(checkS(s.S), checkPhases("stp", n)); err != nil {
		return err
	}
	s.rng, s.pick = rng, newSubset(n)
	return nil
}

// Cost implements Method.
func (s *STP) Cost(n int) int { return 1 + 2*count(s.S, n) }

// Iterate implements Method.
func (s *STP) Iterate(a ActiveSet, step float64) float64 {
	loss := a.Loss()
	for _, i := range s.pick.draw(s.rng, count(s.S, a.Len())) {
		phi := a.Phase(i)
		lp, lm := pair(a, i, phi, step)
		switch {
		case lp < loss && lp <= lm:
			a.SetPhase(i, phi+step)
			loss = lp
		case lm < loss:
			loss = lm // already there
		default:
			a.SetPhase(i, phi)
		}
	}
	return loss
}

// FLOPS is zeroth-order gradient descent with a Gaussian-sampled gradient (FLOPS,
// Gu et al. 2020): each iteration queries L(phi), draws Q directions u_q ~ N(0, I) on a
// random subset of round(S*n) active phases, queries L(phi + Mu u_q) for each, and moves
// phi -= step * g with g = 1/(Q Mu) sum_q (L(phi + Mu u_q) - L(phi)) u_q. Cost: 1 + Q.
// On a chip with control codes, phi + Mu u_q is rounded to the grid; u_q is then the
// perturbation the chip really took (read back, divided by Mu), so the estimate stays
// that of the realised directions.
type FLOPS struct {
	S, Mu float64
	Q     int

	rng        *rand.Rand
	pick       subset
	base, u, g []float64
}

// Init implements Method.
func (f *FLOPS) Init(n int, rng *rand.Rand) error {
	if err := firstError(checkS(f.S), checkMu(f.Mu), checkQ(f.Q), checkPhases("flops", n)); err != nil {
		return err
	}
	f.rng, f.pick = rng, newSubset(n)
	f.base, f.u, f.g = make([]float64, n), make([]float64, n), make([]float64, n)
	return nil
}

// Cost implements Method.
func (f *FLOPS) Cost(int) int { return 1 + f.Q }

// Iterate implements Method.
func (f *FLOPS) Iterate(a ActiveSet, step float64) float64 {
	loss := a.Loss()
	idx := f.pick.draw(f.rng, count(f.S, a.Len()))
	k := len(idx)
	base, u, g := f.base[:k], f.u[:k], f.g[:k]
	for j, i := range idx {
		base[j] = a.Phase(i)
		g[j] = 0
	}
	for range f.Q {
		for j, i := range idx {
			a.SetPhase(i, base[j]+f.Mu*f.rng.NormFloat64())
			u[j] = angle(a.Phase(i)-base[j]) / f.Mu
		}
		dl := (a.Loss() - loss) / (float64(f.Q) * f.Mu)
		for j := range g {
			g[j] += dl * u[j]
		}
	}
	for j, i := range idx {
		a.SetPhase(i, base[j]-step*g[j])
	}
	return loss
}

// angle maps a phase difference to (-pi, pi].
func angle(d float64) float64 {
	d = math.Mod(d, 2*math.Pi)
	switch {
	case d > math.Pi:
		d -= 2 * math.Pi
	case d <= -math.Pi:
		d += 2 * math.Pi
	}
	return d
}

// Penalty is the power-constrained alternative to power-aware pruning (the method's
// "ADMM" baseline): Method runs on the Lagrangian L(phi) + lambda * P(phi), where P is the
// chip's power (the sum of the active phases, radians), and after every iteration the
// multiplier takes a dual ascent step toward the power budget B = Budget * P(deployed):
// lambda <- max(0, lambda + Rho * (P - B) / B). Lambda is the multiplier's start. Power
// costs no query, so Cost is Method's. The reported loss includes the penalty.
type Penalty struct {
	Method Method
	Lambda float64 // initial multiplier, per radian of power
	Budget float64 // power budget as a fraction of the power at the first iteration, > 0
	Rho    float64 // dual step per iteration (0: DefaultRho)

	view   penalized
	budget float64 // radians, from the first iteration
}

// DefaultRho is Penalty's dual step: a power 10% above budget raises lambda by 1e-4 per
// iteration.
const DefaultRho = 1e-3

// penalized is an ActiveSet whose loss carries the power penalty.
type penalized struct {
	ActiveSet
	lambda float64
}

func (p *penalized) Loss() float64 { return p.ActiveSet.Loss() + p.lambda*p.ActiveSet.Power() }

// Init implements Method.
func (p *Penalty) Init(n int, rng *rand.Rand) error {
	if err := firstError(checkLambda(p.Lambda), checkBudget(p.Budget), checkRho(p.Rho), checkPhases("admm", n)); err != nil {
		return err
	}
	if p.Rho == 0 {
		p.Rho = DefaultRho
	}
	p.view.lambda, p.budget = p.Lambda, 0
	return p.Method.Init(n, rng)
}

// Cost implements Method.
func (p *Penalty) Cost(n int) int { return p.Method.Cost(n) }

// Multiplier returns the current Lagrange multiplier lambda.
func (p *Penalty) Multiplier() float64 { return p.view.lambda }

// Report implements Reporter: the multiplier now, and what the wrapped method reports.
func (p *Penalty) Report(o *Outcome) {
	o.Multiplier = p.Multiplier()
	if rep, ok := p.Method.(Reporter); ok {
		rep.Report(o)
	}
}

// Iterate implements Method.
func (p *Penalty) Iterate(a ActiveSet, step float64) float64 {
	if p.budget == 0 {
		p.budget = max(p.Budget*a.Power(), 1e-9)
	}
	p.view.ActiveSet = a
	loss := p.Method.Iterate(&p.view, step)
	p.view.lambda = max(0, p.view.lambda+p.Rho*(a.Power()-p.budget)/p.budget)
	return loss
}
