package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/meshlight/meshlight/photonics"
)

// ActiveSet is all an optimizer sees of a chip: its active phases, numbered 0..Len()-1,
// which it may read and set; the chip's power; and loss queries. Setting a phase costs
// no query; every Loss call is one ONN query on the current minibatch.
type ActiveSet interface {
	Len() int                    // number of active phases
	Phase(k int) float64         // programmed phase k, in [0, 2pi)
	SetPhase(k int, phi float64) // program phase k (wrapped to [0, 2pi))
	Power() float64              // sum of the active phases, radians
	Loss() float64               // one query: the loss of the current minibatch
}

// Method is an optimizer stepped by Run one iteration at a time.
type Method interface {
	// Init prepares the method for an active set of n phases; rng is its only source
	// of randomness.
	Init(n int, rng *rand.Rand) error
	// Iterate performs one iteration with step size step on the current minibatch,
	// through a only, and returns the training loss it observed.
	Iterate(a ActiveSet, step float64) float64
	// Cost returns the number of queries one iteration makes on n phases: exact for
	// every method here but SZOSCD (and Penalty around it), for which it is the
	// maximum: SZO-SCD re-queries the loss only after a step back.
	Cost(n int) int
}

// Reporter is a Method with figures of its own for a run's Outcome (SZO-SCD's decisions,
// the penalty's multiplier): Deployment.Summary asks for them here, the one place, as
// gonum's optimize asks a method that is a Statuser, and never looks at a concrete type.
type Reporter interface {
	Report(o *Outcome) // fill in the method's own fields of o
}

// Options are the parameters of the optimizers NewMethod builds. DefaultOptions gives
// the method's settings.
type Options struct {
	S      float64 // fraction of the active phases one iteration touches, in (0, 1]
	P      float64 // szo-scd: probability of pruning a step back that raises power, in [0, 1]
	Mu     float64 // zadam, znewton, flops: finite-difference / smoothing radius, > 0 (0: DefaultMu)
	Q      int     // flops: Gaussian samples per iteration, 1 to MaxQ
	Lambda float64 // admm: initial Lagrange multiplier of the power (sum of active phases), >= 0
	Budget float64 // admm: power budget as a fraction of the deployed chip's power, > 0
	Stale  bool    // szo-scd, admm: keep the old reference loss after a step back (ablation, see SZOSCD)
	Margin Margin  // szo-scd-margin: the noise margin (zero: the variant's default, DefaultMargin)
}

// MaxQ bounds FLOPS's samples per iteration: one iteration should be a small part of any
// budget, and a larger Q is a typo more often than a plan.
const MaxQ = 1_000_000

// DefaultOptions returns s = 0.1, p = 1, the optimizer's default radius (Mu 0), Q = 60,
// lambda = 0.1 with a budget of the deployed power, and SZO-SCD re-querying after a step
// back.
func DefaultOptions() Options { return Options{S: 0.1, P: 1, Q: 60, Lambda: 0.1, Budget: 1} }

// method describes one optimizer NewMethod knows. Steps and radii are in control codes
// of the method's 8-bit chip (2 pi / 256 = 0.0245 rad; photonics.Quantum), so they can
// be programmed on it; SZO-SCD takes one code, as the method does ("0.02, 8-bit
// control precision"). Every default is the best final accuracy of one grid of six
// configurations per optimizer (steps 1-8 codes; or steps 1, 2, 4 by radii 1, 2) on the
// method's chip, MNIST 8x8 MLP, alpha 0.15, s 0.1, 100k queries, seed 1: one code
// is best for SZO-SCD and STP too (train/cmd/reproduce experiment "tune",
// results/REPORT.md).
type method struct {
	step   float64 // default initial step size, codes
	mu     float64 // default radius, codes (usesMu)
	usesMu bool
	about  string
	build  func(Options) Method
}

var methods = map[string]method{
	"szo-scd": {1, 0, false, "sparse zeroth-order coordinate descent with power-aware pruning (the method)",
		func(o Options) Method { return &SZOSCD{S: o.S, Prune: o.P, Stale: o.Stale} }},
	"szo-scd-margin": {1, 0, false, "szo-scd keeping only moves that beat minibatch noise by a margin (a variant: holds what it wins on an 8-bit chip)",
		func(o Options) Method {
			if !o.Margin.On() {
				o.Margin = DefaultMargin()
			}
			return &SZOSCD{S: o.S, Prune: o.P, Margin: o.Margin}
		}},
	"zadam": {1, 1, true, "ZO-AdaMM: coordinate-wise central differences, AMSGrad update",
		func(o Options) Method { return &ZAdam{S: o.S, Mu: o.Mu} }},
	"znewton": {1, 2, true, "zeroth-order coordinate Newton: 3-point difference, step clipped to the step size",
		func(o Options) Method { return &ZNewton{S: o.S, Mu: o.Mu} }},
	"stp": {1, 0, false, "stochastic three points over coordinate directions",
		func(o Options) Method { return &STP{S: o.S} }},
	"flops": {2, 1, true, "FLOPS: Gaussian-sampled zeroth-order gradient descent",
		func(o Options) Method { return &FLOPS{S: o.S, Q: o.Q, Mu: o.Mu} }},
	"admm": {1, 0, false, "Lagrangian power penalty with a dual update toward a power budget, on szo-scd without pruning",
		func(o Options) Method {
			return &Penalty{Method: &SZOSCD{S: o.S, Stale: o.Stale}, Lambda: o.Lambda, Budget: o.Budget}
		}},
}

// code returns the phase of one control code at bits (0: the method's 8-bit code, the
// unit of steps on a continuous chip).
func code(bits int) float64 {
	if bits <= 0 {
		bits = photonics.DefaultBits
	}
	return photonics.Quantum(bits)
}

// Methods returns the optimizer names NewMethod accepts, sorted.
func Methods() []string {
	names := make([]string, 0, len(methods))
	for n := range methods {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// DefaultStep returns an optimizer's default initial step size, in radians, on a chip
// of the given control resolution (0 for an unknown name): a whole number of codes (of
// the 8-bit code on a continuous chip, bits 0).
func DefaultStep(name string, bits int) float64 { return methods[name].step * code(bits) }

// DefaultMu returns an optimizer's default finite-difference or smoothing radius, in
// radians, like DefaultStep (0 for a method without one).
func DefaultMu(name string, bits int) float64 { return methods[name].mu * code(bits) }

// radius is the Mu an optimizer takes when none is given: its DefaultMu, or one code for
// a method without a radius (which ignores it, but Options must still be valid).
func radius(name string, bits int) float64 { return max(DefaultMu(name, bits), code(bits)) }

// About returns a one-line description of an optimizer.
func About(name string) string { return methods[name].about }

// NewMethod returns the named optimizer ("szo-scd", "zadam", "znewton", "stp", "flops",
// "admm") with the given options (Mu 0: DefaultMu at 8 bits). Options a method does not
// use are ignored, but must still be in range.
func NewMethod(name string, o Options) (Method, error) {
	m, ok := methods[name]
	if !ok {
		return nil, unknownOptimizer(name)
	}
	if o.Mu == 0 {
		o.Mu = radius(name, 0)
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	return m.build(o), nil
}

func unknownOptimizer(name string) error {
	return &FieldError{"optimizer", name, "one of " + strings.Join(Methods(), ", ")}
}

// validate checks every option, used by the method or not (a typo in an unused flag is
// still a typo), with the same rules the methods' Init apply.
func (o Options) validate() error {
	return firstError(checkS(o.S), checkP(o.P), checkMu(o.Mu), checkQ(o.Q), checkLambda(o.Lambda), checkBudget(o.Budget), o.Margin.validate())
}

// The rule of each optimizer parameter, written once: Options.validate and the methods'
// Init (for methods built by hand) apply them.
func checkS(s float64) error { return inRange("s", s, sRange) }
func checkP(p float64) error { return inRange("p", p, pRange) }
func checkMu(mu float64) error {
	return want(mu > 0 && !math.IsInf(mu, 0), "mu", mu, "a finite mu > 0")
}
func checkQ(q int) error { return want(q >= 1 && q <= MaxQ, "q", q, fmt.Sprintf("1 <= q <= %d", MaxQ)) }
func checkLambda(l float64) error {
	return want(l >= 0 && !math.IsInf(l, 0), "lambda", l, "a finite lambda >= 0")
}
func checkBudget(b float64) error {
	return want(b > 0 && !math.IsInf(b, 0), "budget", b, "a finite power budget > 0 (a fraction of the deployed power)")
}
func checkRho(r float64) error {
	return want(r >= 0 && !math.IsInf(r, 0), "rho", r, "a finite dual step >= 0")
}

// checkPhases refuses a method on no active phases.
func checkPhases(method string, n int) error {
	if n < 1 {
		return fmt.Errorf("%s: no active phases", method)
	}
	return nil
}

// want returns a FieldError for field unless ok.
func want(ok bool, field string, v any, what string) error {
	if ok {
		return nil
	}
	return &FieldError{field, v, what}
}

// firstError returns the first non-nil error.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// FieldError reports a setting out of range: which field, its value and what is wanted.
type FieldError struct {
	Field string
	Value any
	Want  string
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s = %v, want %s", e.Field, e.Value, e.Want) }

// count returns how many of n phases a fraction s selects: round(s*n), at least 1 and at
// most n (0 when n is 0).
func count(s float64, n int) int {
	if n == 0 {
		return 0
	}
	return min(max(int(math.Round(s*float64(n))), 1), n)
}

// subset draws random subsets of 0..n-1 without allocating.
type subset struct{ perm []int }

func newSubset(n int) subset {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return subset{p}
}

// draw returns k distinct indices in random order (a view valid until the next draw):
// a partial Fisher-Yates shuffle, uniform whatever order perm is left in.
func (s subset) draw(rng *rand.Rand, k int) []int {
	p := s.perm
	for i := range k {
		j := i + rng.IntN(len(p)-i)
		p[i], p[j] = p[j], p[i]
	}
	return p[:k]
}
