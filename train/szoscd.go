package train

import (
	"math"
	"math/rand/v2"
)

// SZOSCD is stochastic zeroth-order sparse coordinate descent with power-aware dynamic
// pruning. One iteration on the current minibatch:
//
//  1. query L = L(phi);
//  2. pick round(S * n) active phases at random, without replacement;
//  3. for each phase i: set phi_i + d and query. If the loss is lower, keep it (L takes
//     the new value). Otherwise step back to phi_i - d, unless the step back raises
//     power (the programmed phase rises, as when phi_i - d wraps below 0 to near 2 pi):
//     then, with probability Prune, skip it and restore phi_i. After a step back, query
//     the loss of the chip as it now is and make it L.
//
// The step d is the run's step size, a whole number of control codes on a chip with a
// DAC (one code by default). Cost: 1 + round(S*n) queries per iteration, plus one per
// step back; at most 1 + 2*round(S*n). That is the method's price: Table 1 of its paper
// counts 1.5 T alpha s d queries, a re-query after about half of the trials (the
// authors' code, L2ight's MixedTrainOptimizer, re-queries the same way).
//
// Stale is an ablation without the re-query (exactly 1 + round(S*n) queries): a later
// trial is then judged against a loss the chip no longer has, so after a step back
// that helped a worse trial is kept, and after one that hurt a better one is thrown
// back; the phases drift. results/REPORT.md measures it.
//
// Margin, when set, is the variant "szo-scd-margin" (see Margin): a move is kept only if
// it lowers the loss by more than the margin, the step back included, which is then
// programmed back when it does not. It makes no extra query.
type SZOSCD struct {
	S      float64 // fraction of the active phases tried per iteration, (0, 1]
	Prune  float64 // p: probability of skipping a power-raising step back, [0, 1]
	Stale  bool    // keep the old reference loss after a step back (no re-query; ablation)
	Margin Margin  // noise margin (zero: the method's rule)

	Decisions // counts over the run, for diagnostics

	rng   *rand.Rand
	pick  subset
	noise float64 // running mean of |trial loss - reference loss| (Margin.Scale), before bias correction
	bias  float64 // (1 - noiseRate)^trials: the running mean's weight still on its start at 0
	iter  int     // iterations begun (Margin.Ramp)
}

// Margin is the noise margin of the variant "szo-scd-margin". On an 8-bit chip SZO-SCD's
// step cannot shrink below one control code, and at one code a phase's effect on a
// minibatch's loss is mostly that minibatch's own slope: under the method's rule a touched
// phase moves one code in a nearly random direction at every trial, so the phases random
// walk away from what the chip has learnt and the accuracy it won back decays. A margin
// keeps only the moves that win more than minibatch noise, so that walk stops.
//
// The margin at iteration t is (Tau + Scale * m) * min(1, t / Ramp), where m is the
// running mean of |L_trial - L| over the run's trials (the size of the loss changes one
// code makes, measured as the run goes: the noise the margin must clear) and Ramp 0
// means no ramp. A ramp lets the early recovery, where moves win far more than noise,
// run at the method's speed. After the ramp the margin grows by the factor
// 1 + Grow * ln(t / Ramp): over N trials the largest noise a margin must clear grows
// like the square root of ln N, so a fixed margin lets ever more noise through as a run
// goes on, and a slowly growing one keeps the walk bounded. A move that lowers the power (the step back, but for a
// wrap) must clear Down times the margin, so that with Down < 1 the chip still drifts to
// lower power as pruning intends.
type Margin struct {
	Tau   float64 `json:"tau,omitempty"`   // fixed margin, in loss units (mean cross-entropy), >= 0
	Scale float64 `json:"scale,omitempty"` // adaptive margin, in units of the running mean |delta L|, >= 0
	Ramp  int     `json:"ramp,omitempty"`  // iterations over which the margin grows from 0 (0: full from the start)
	Down  float64 `json:"down,omitempty"`  // the margin of a power-lowering move, a fraction of the margin, [0, 1] (0: 1)
	Grow  float64 `json:"grow,omitempty"`  // after the ramp, the margin grows by this fraction per e-fold of iterations, >= 0
}

// On reports whether m sets a margin.
func (m Margin) On() bool { return m.Tau > 0 || m.Scale > 0 }

// validate checks m's fields.
func (m Margin) validate() error {
	finite := func(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }
	return firstError(
		want(finite(m.Tau), "tau", m.Tau, "a finite margin >= 0"),
		want(finite(m.Scale), "margin-scale", m.Scale, "a finite margin scale >= 0"),
		want(m.Ramp >= 0, "margin-ramp", m.Ramp, "a ramp >= 0 iterations"),
		want(m.Down >= 0 && m.Down <= 1, "margin-down", m.Down, "0 <= down <= 1 (0: 1)"),
		want(finite(m.Grow), "margin-grow", m.Grow, "a finite growth >= 0"))
}

// noiseRate is the weight of one trial in the running mean of |delta L|: about the last
// thousand trials, ten iterations of the method's MLP, so the margin follows the loss
// level as it falls.
const noiseRate = 1e-3

// Init implements Method.
func (m *SZOSCD) Init(n int, rng *rand.Rand) error {
	if err := firstError(checkS(m.S), checkP(m.Prune), m.Margin.validate(), checkPhases("szo-scd", n)); err != nil {
		return err
	}
	if m.Stale && m.Margin.On() {
		return &FieldError{"stale", true, "no stale reference with a margin (a step back must be queried to be judged)"}
	}
	m.rng, m.pick = rng, newSubset(n)
	m.noise, m.bias, m.iter = 0, 1, 0
	return nil
}

// Report implements Reporter: the run's decisions.
func (m *SZOSCD) Report(o *Outcome) { o.Decisions = m.Decisions }

// Cost implements Method: the most an iteration makes (exact when Stale).
func (m *SZOSCD) Cost(n int) int {
	if m.Stale {
		return 1 + count(m.S, n)
	}
	return 1 + 2*count(m.S, n)
}

// margin returns the margins of this iteration: of a move that raises the power, and of
// one that lowers it.
func (m *SZOSCD) margin() (up, down float64) {
	g := m.Margin
	if !g.On() {
		return 0, 0
	}
	tau := g.Tau
	if m.bias < 1 {
		tau += g.Scale * m.noise / (1 - m.bias) // corrected for the running mean's start at 0, as Adam's moments are
	}
	if g.Ramp > 0 && m.iter < g.Ramp {
		tau *= float64(m.iter) / float64(g.Ramp)
	} else if from := max(g.Ramp, 1); g.Grow > 0 && m.iter > from {
		tau *= 1 + g.Grow*math.Log(float64(m.iter)/float64(from))
	}
	if g.Down > 0 {
		return tau, g.Down * tau
	}
	return tau, tau
}

// observe adds a trial's loss change to the running mean of |delta L|.
func (m *SZOSCD) observe(dl float64) {
	if m.Margin.Scale > 0 && !math.IsNaN(dl) && !math.IsInf(dl, 0) {
		m.noise += noiseRate * (math.Abs(dl) - m.noise)
		m.bias *= 1 - noiseRate
	}
}

// Iterate implements Method.
func (m *SZOSCD) Iterate(a ActiveSet, d float64) float64 {
	up, down := m.margin()
	m.iter++
	loss := a.Loss()
	for _, i := range m.pick.draw(m.rng, count(m.S, a.Len())) {
		phi := a.Phase(i)
		a.SetPhase(i, phi+d)
		l := a.Loss()
		m.observe(l - loss)
		if l < loss-m.need(a.Phase(i) > phi, up, down) {
			loss = l
			m.Accepted++
			continue
		}
		a.SetPhase(i, phi-d)
		if a.Phase(i) > phi && m.Prune > 0 && m.rng.Float64() < m.Prune {
			a.SetPhase(i, phi)
			m.Pruned++
			continue
		}
		if m.Stale {
			m.SteppedBack++
			continue
		}
		l = a.Loss()
		m.observe(l - loss)
		if m.Margin.On() && !(l < loss-m.need(a.Phase(i) > phi, up, down)) {
			a.SetPhase(i, phi) // the chip is again as it was at loss
			m.Held++
			continue
		}
		m.SteppedBack++
		loss = l
	}
	return loss
}

// need returns the margin a move must clear: up if it raised the power, else down.
func (m *SZOSCD) need(raised bool, up, down float64) float64 {
	if raised {
		return up
	}
	return down
}

// DefaultMargin returns the margin of the variant "szo-scd-margin": 8 times the running
// mean of |delta L|, ramped in over 100 iterations and growing by 0.3 per e-fold after.
// It is the schedule of the margin experiment (make reproduce, results/REPORT.md) that
// was both fast and holding on the method's chip: a fixed margin from the start is slow
// to recover, and one that does not grow lets the accuracy slide slowly.
func DefaultMargin() Margin { return Margin{Scale: 8, Ramp: 100, Grow: 0.3} }
