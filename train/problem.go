package train

import (
	"fmt"
	"math"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/onn"
)

// Objective is what Run drives: an ActiveSet whose queries use the minibatch the loop
// chooses, with test evaluation and an exact query count.
type Objective interface {
	ActiveSet
	Samples() int           // training samples; an epoch is one pass over them
	SetBatch(samples []int) // later queries use these training samples
	Evaluate() float64      // test accuracy in percent; not a query
	Queries() int64         // queries so far
	Resolution() float64    // the phase of one control code (0: continuous phases)
	PaperPower() float64    // the power as the method's authors count it (photonics.Chip.PaperPower); methods see Power only
	Err() error             // the first failure (e.g. a NaN phase), nil if none
}

// Problem is the Objective of a network deployed on a chip: its ActiveSet is the chip's
// active phases (phase k is chip device Active()[k]), its loss the mean cross-entropy of
// the current minibatch of the training set, its evaluation the accuracy on the test set.
// Problem counts every query. A Problem is not safe for concurrent use.
type Problem struct {
	net         *onn.Network
	chip        *photonics.Chip
	active      []int
	train, test *dataset.Set
	batch, eval *onn.Batch
	queries     int64
	err         error
}

// evalBatch is the batch size of test evaluations.
const evalBatch = 256

// NewProblem returns the problem of net on the given training and test sets with
// minibatches of up to batch samples.
func NewProblem(net *onn.Network, train, test *dataset.Set, batch int) (*Problem, error) {
	if net == nil {
		return nil, fmt.Errorf("problem: nil network")
	}
	for _, s := range []struct {
		what string
		set  *dataset.Set
	}{{"training", train}, {"test", test}} {
		if s.set == nil || s.set.Len() == 0 {
			return nil, fmt.Errorf("problem: empty %s set", s.what)
		}
		if s.set.Features() != net.Input().Size() {
			return nil, fmt.Errorf("problem: %s set %s has %d features per sample, network input is %v", s.what, s.set.Name, s.set.Features(), net.Input())
		}
		if s.set.Classes > net.Classes() {
			return nil, fmt.Errorf("problem: %s set %s has %d classes, network has %d outputs", s.what, s.set.Name, s.set.Classes, net.Classes())
		}
	}
	if batch < 1 {
		return nil, &FieldError{"batch", batch, "batch >= 1"}
	}
	p := &Problem{net: net, chip: net.Chip(), active: net.Chip().Active(), train: train, test: test}
	var err error
	if p.batch, err = net.NewBatch(min(batch, train.Len())); err != nil {
		return nil, err
	}
	if p.eval, err = net.NewBatch(evalBatch); err != nil {
		return nil, err
	}
	if len(p.active) == 0 {
		return nil, fmt.Errorf("problem: the chip has no active phases")
	}
	return p, nil
}

// Network returns the network the problem trains.
func (p *Problem) Network() *onn.Network { return p.net }

// Len implements ActiveSet.
func (p *Problem) Len() int { return len(p.active) }

// Phase implements ActiveSet.
func (p *Problem) Phase(k int) float64 { return p.chip.Phase(p.active[k]) }

// SetPhase implements ActiveSet. A value the chip refuses (NaN or infinite) leaves the
// phase as it was and is reported by Err.
func (p *Problem) SetPhase(k int, phi float64) {
	if err := p.net.SetPhase(p.active[k], phi); err != nil && p.err == nil {
		p.err = fmt.Errorf("active phase %d: %w", k, err)
	}
}

// Power implements ActiveSet: the chip's power, the sum of its active phases.
func (p *Problem) Power() float64 { return p.chip.Power() }

// PaperPower implements Objective: the chip's power as the method's authors count it,
// Sigma phases unfolded (photonics.Chip.PaperPower).
func (p *Problem) PaperPower() float64 { return p.chip.PaperPower() }

// Loss implements ActiveSet: one query, the mean cross-entropy of the current minibatch.
func (p *Problem) Loss() float64 {
	p.queries++
	return p.batch.Loss()
}

// Samples implements Objective.
func (p *Problem) Samples() int { return p.train.Len() }

// SetBatch implements Objective.
func (p *Problem) SetBatch(samples []int) {
	if err := p.batch.Load(p.train, samples); err != nil && p.err == nil {
		p.err = err
	}
}

// Evaluate implements Objective: the test accuracy in percent. It costs no query.
func (p *Problem) Evaluate() float64 {
	acc, err := p.eval.Accuracy(p.test)
	if err != nil && p.err == nil {
		p.err = err
	}
	return acc
}

// TrainingAccuracy implements Validator: the accuracy on the given training samples, in
// percent. It costs no query (it is an inference pass, like Evaluate).
func (p *Problem) TrainingAccuracy(samples []int) float64 {
	acc, err := p.eval.AccuracyOf(p.train, samples)
	if err != nil {
		if p.err == nil {
			p.err = err
		}
		return math.NaN()
	}
	return acc
}

// Queries implements Objective.
func (p *Problem) Queries() int64 { return p.queries }

// Resolution implements Objective: the chip's control code (photonics.Chip.Quantum).
func (p *Problem) Resolution() float64 { return p.chip.Quantum() }

// Err implements Objective.
func (p *Problem) Err() error { return p.err }
