package train

import "math/rand/v2"

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
type SZOSCD struct {
	S     float64 // fraction of the active phases tried per iteration, (0, 1]
	Prune float64 // p: probability of skipping a power-raising step back, [0, 1]
	Stale bool    // keep the old reference loss after a step back (no re-query; ablation)

	Decisions // counts over the run, for diagnostics

	rng  *rand.Rand
	pick subset
}

// Init implements Method.
func (m *SZOSCD) Init(n int, rng *rand.Rand) error {
	if err := firstError(checkS(m.S), checkP(m.Prune), checkPhases("szo-scd", n)); err != nil {
		return err
	}
	m.rng, m.pick = rng, newSubset(n)
	return nil
}

// Cost implements Method: the most an iteration makes (exact when Stale).
func (m *SZOSCD) Cost(n int) int {
	if m.Stale {
		return 1 + count(m.S, n)
	}
	return 1 + 2*count(m.S, n)
}

// Iterate implements Method.
func (m *SZOSCD) Iterate(a ActiveSet, d float64) float64 {
	loss := a.Loss()
	for _, i := range m.pick.draw(m.rng, count(m.S, a.Len())) {
		phi := a.Phase(i)
		a.SetPhase(i, phi+d)
		if l := a.Loss(); l < loss {
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
		m.SteppedBack++
		if !m.Stale {
			loss = a.Loss()
		}
	}
	return loss
}
