package train

import (
	"fmt"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/onn"
)

// Deployment is a model deployed on a chip and one run of an optimizer on it: the one
// owner of what such a run knows (the model, the configuration as run, the network on the
// chip, the run and its counters) and of its Summary. The command-line tools and the page
// read a run through it, so none of them re-derives what the run knows. A Deployment is
// not safe for concurrent use.
type Deployment struct {
	Model  *model.Model
	Config Config       // as run: WithDefaults applied
	Net    *onn.Network // the network on the chip; Net.Chip() is the chip
	Run    *Run

	fullPower float64 // the chip's power if every device were active, at deployment
}

// Deploy validates c, deploys m on a new chip as c says (the chip's noise and active set
// from c.Seed) and starts a run of c's optimizer on it with the given training and test
// sets. The run's first record, the deployed chip's, is taken before Deploy returns.
func Deploy(m *model.Model, train, test *dataset.Set, c Config) (*Deployment, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("train: nil model")
	}
	c = c.WithDefaults()
	net, err := onn.Deploy(m, c.Chip())
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", m.Name, err)
	}
	p, err := NewProblem(net, train, test, c.Batch)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", m.Name, err)
	}

	var obj Objective = p
	if c.Shadow {
		obj = shadow(p)
	}
	// c was validated above: build the method and the run without checking again.
	r, err := newRun(obj, methods[c.Optimizer].build(c.Options), c.Settings)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", m.Name, err)
	}
	return &Deployment{Model: m, Config: c, Net: net, Run: r, fullPower: net.Chip().FullPower()}, nil
}

// Deployed returns the deployed chip's record: its test accuracy and power before any
// query.
func (d *Deployment) Deployed() Record { return d.Run.curve[0] }

// FullPower returns the chip's power at deployment if every device were active (the
// alpha = 1 reference of pruning's saving), radians.
func (d *Deployment) FullPower() float64 { return d.fullPower }

// IterationCost returns the most queries one iteration of the run makes.
func (d *Deployment) IterationCost() int { return d.Run.method.Cost(d.Run.obj.Len()) }

// Decisions counts SZO-SCD's choices over a run: trials kept, step backs made and step
// backs pruned.
type Decisions struct {
	Accepted    int64 `json:"accepted,omitempty"`
	SteppedBack int64 `json:"stepped_back,omitempty"`
	Pruned      int64 `json:"pruned,omitempty"`
	Held        int64 `json:"held,omitempty"` // szo-scd-margin: step backs that did not clear the margin, programmed back
}

// Setup is what a run's configuration fixes, as its Summary states it: a finished run
// matches a job when their Setups are equal.
type Setup struct {
	Model         string  `json:"model"`
	Optimizer     string  `json:"optimizer"`
	Alpha         float64 `json:"alpha"`
	S             float64 `json:"s"`
	P             float64 `json:"p"`
	Step          float64 `json:"step"`         // the initial step as the chip takes it: whole codes
	Mu            float64 `json:"mu,omitempty"` // zadam, znewton, flops
	Stale         bool    `json:"stale,omitempty"`
	Margin        Margin  `json:"margin,omitzero"`           // szo-scd-margin
	Shadow        bool    `json:"shadow,omitempty"`          // full-precision optimizer phases (ablation)
	SigmaPerBlock bool    `json:"sigma_per_block,omitempty"` // per-block Sigma gains (ablation)
	Lambda        float64 `json:"lambda,omitempty"`          // admm
	PowerBudget   float64 `json:"power_budget,omitempty"`    // admm: fraction of the deployed power
	// The chip: chip (the preset it started from), gamma_std, vpi, crosstalk, heat_all, bits.
	photonics.Hardware
	Seed       int64   `json:"seed"`
	Budget     int64   `json:"budget"`               // query budget, 0: none
	Validation float64 `json:"validation,omitempty"` // fraction of the training pool held out to choose the state kept
}

// Outcome is what a run measured: accuracies in percent, powers in radians, energy in
// radian-queries.
type Outcome struct {
	Queries      int64   `json:"queries"`
	IdealAcc     float64 `json:"ideal_acc"` // the model's own, on an ideal chip
	DeployedAcc  float64 `json:"deployed_acc"`
	FinalAcc     float64 `json:"final_acc"`
	BestAcc      float64 `json:"best_acc"`               // the best test accuracy seen (the method's paper's "Best Acc.": chosen on the test set)
	KeptAcc      float64 `json:"kept_acc,omitempty"`     // test accuracy of the state the validation split ranked best (Run.Kept)
	KeptQueries  int64   `json:"kept_queries,omitempty"` // when that state was recorded
	KeptValid    float64 `json:"kept_valid,omitempty"`   // its validation accuracy
	PowerInitial float64 `json:"power_initial"`
	PowerFinal   float64 `json:"power_final"`
	// The power as the method's authors count it (Sigma phases unfolded, see
	// photonics.Chip.PaperPower), at deployment and at the end: the paper-comparable figures.
	PaperPowerInitial float64 `json:"paper_power_initial"`
	PaperPowerFinal   float64 `json:"paper_power_final"`
	FullPower         float64 `json:"full_power"` // if every phase were active, at deployment
	Energy            float64 `json:"energy"`
	WallS             float64 `json:"wall_s"`
	Multiplier        float64 `json:"multiplier,omitempty"` // admm: lambda now
	Decisions                 // szo-scd and admm
}

// Summary is a run's configuration and outcome, the JSON object the tools write.
type Summary struct {
	Setup
	Outcome
}

// Setup returns what c fixes of a run of the named model, with the optimizer's defaults
// filled in; options an optimizer does not use are left out.
func (c Config) Setup(model string) Setup {
	c = c.WithDefaults()
	code := photonics.Quantum(c.Bits)
	if c.Shadow {
		code = 0 // the optimizer's phases are continuous
	}
	s := Setup{Model: model, Optimizer: c.Optimizer, Alpha: c.Alpha, S: c.S, P: c.P,
		Step: programmable(c.Step, code), Shadow: c.Shadow, SigmaPerBlock: c.SigmaPerBlock,
		Stale: c.Stale, Hardware: c.Hardware, Seed: c.Seed, Budget: c.MaxQueries, Validation: c.Validation}
	if methods[c.Optimizer].usesMu {
		s.Mu = c.Mu
	}
	if c.Optimizer == "admm" {
		s.Lambda, s.PowerBudget = c.Lambda, c.Budget
	}
	if c.Optimizer == "szo-scd-margin" {
		s.Margin = c.Margin
	}
	return s
}

// Summary returns the run's summary so far (at any point of the run).
func (d *Deployment) Summary() Summary {
	r := d.Run
	first, last := r.curve[0], r.curve[len(r.curve)-1]
	o := Outcome{Queries: r.Queries(), IdealAcc: d.Model.TestAccuracy, DeployedAcc: first.Accuracy,
		FinalAcc: last.Accuracy, BestAcc: r.Best().Accuracy, PowerInitial: first.Power, PowerFinal: last.Power,
		PaperPowerInitial: first.PaperPower, PaperPowerFinal: last.PaperPower, FullPower: d.fullPower, Energy: r.Energy(), WallS: r.Elapsed().Seconds()}
	if k, ok := r.Kept(); ok {
		o.KeptAcc, o.KeptQueries, o.KeptValid = k.Accuracy, k.Queries, k.Valid
	}
	if rep, ok := r.method.(Reporter); ok {
		rep.Report(&o)
	}
	return Summary{Setup: d.Config.Setup(d.Model.Name), Outcome: o}
}
