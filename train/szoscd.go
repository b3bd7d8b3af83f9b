package train

import (
	"math/rand/v2"

	"github.com/meshlight/meshlight/photonics"
)

// SZOSCD is stochastic zeroth-order sparse coordinate descent with power-aware dynamic
// pruning. One iteration on the current minibatch:
//
//  1. query L = L(phi);
//  2. pick round(S * n) active phases at random, without replacement;
//  3. for each phase i: set phi_i + d and query. If the loss is lower, keep it (L takes
//     the new value). Otherwise step back to phi_i - d without a query, unless the step
//     back raises power (phi_i - d wraps below 0 to near 2 pi): then, with probability
//     Prune, skip it and restore phi_i.
//
// The step d is the run's step size. Cost: 1 + round(S*n) queries per iteration. The
// reference loss after a step back is not re-queried: L keeps the value it had.
//
// Requery is an ablation, off in the method: it queries the loss after every step back
// and makes it the reference, as the authors' later L2ight code does (1 + 2*round(S*n)
// queries at most). Near an optimum both directions of a coordinate are worse, so blind
// step backs raise the true loss while the stale reference makes later trials harder
// to accept; with Requery the reference is always the current loss.
type SZOSCD struct {
	S       float64 // fraction of the active phases tried per iteration, (0, 1]
	Prune   float64 // p: probability of skipping a power-raising step back, [0, 1]
	Requery bool    // query the loss after a step back (ablation)

	// Counters over the run, for diagnostics.
	Accepted, SteppedBack, Pruned int64

	rng  *rand.Rand
	pick subset
}

// Init implements Method.
func (m *SZOSCD) Init(n int, rng *rand.Rand) error {
	if !(m.Prune >= 0 && m.Prune <= 1) {
		return &FieldError{"p", m.Prune, "0 <= p <= 1"}
	}
	if err := checkSparsity("szo-scd", m.S, n); err != nil {
		return err
	}
	m.rng, m.pick = rng, newSubset(n)
	return nil
}

// Cost implements Method; with Requery it is the most an iteration makes.
func (m *SZOSCD) Cost(n int) int {
	if m.Requery {
		return 1 + 2*count(m.S, n)
	}
	return 1 + count(m.S, n)
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
		back := photonics.Wrap(phi - d)
		if back > phi && m.Prune > 0 && m.rng.Float64() < m.Prune {
			a.SetPhase(i, phi)
			m.Pruned++
			continue
		}
		a.SetPhase(i, back)
		m.SteppedBack++
		if m.Requery {
			loss = a.Loss()
		}
	}
	return loss
}
