package train

import (
	"fmt"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/onn"
)

// Config is a whole on-chip training run: the optimizer and its options, the chip
// (alpha, noise) and the loop settings. Field errors name the CLI flag (FieldError.Field).
type Config struct {
	Optimizer string  // a name of Methods()
	Options           // optimizer parameters
	Alpha     float64 // fraction of U/V phases active, (0, 1]
	Sigma     float64 // phase-shifter gamma drift (standard deviation), >= 0
	Crosstalk float64 // thermal crosstalk coefficient between adjacent devices, >= 0
	Settings          // loop; Step 0 takes the optimizer's DefaultStep
}

// DefaultConfig returns the method's setting: SZO-SCD with alpha 0.15, s 0.1, p 1, drift
// 2e-3 and crosstalk 2e-3 (truncated at 3 sigma), minibatch 32, the optimizer's default
// step (Step 0, see DefaultStep) x 0.985 per epoch.
func DefaultConfig() Config {
	n := photonics.DefaultNoise()
	s := DefaultSettings()
	s.Step = 0
	return Config{Optimizer: "szo-scd", Options: DefaultOptions(), Alpha: 0.15,
		Sigma: n.Drift, Crosstalk: n.Crosstalk, Settings: s}
}

// Noise returns the chip noise of the configuration.
func (c Config) Noise() photonics.Noise {
	return photonics.Noise{Drift: c.Sigma, Truncate: photonics.DefaultNoise().Truncate, Crosstalk: c.Crosstalk}
}

// Validate reports the first setting out of range.
func (c Config) Validate() error {
	if _, ok := methods[c.Optimizer]; !ok {
		return unknownOptimizer(c.Optimizer)
	}
	if err := c.Options.validate(); err != nil {
		return err
	}
	switch {
	case !(c.Alpha > 0 && c.Alpha <= 1):
		return &FieldError{"alpha", c.Alpha, "0 < alpha <= 1"}
	case !(c.Sigma >= 0 && c.Sigma < 1):
		return &FieldError{"sigma", c.Sigma, "0 <= sigma < 1"}
	case !(c.Crosstalk >= 0 && c.Crosstalk < 1):
		return &FieldError{"crosstalk", c.Crosstalk, "0 <= crosstalk < 1"}
	}
	s := c.Settings
	if s.Step == 0 {
		s.Step = 1 // checked after defaulting
	}
	return s.validate()
}

// Start deploys m on a new chip as c says (the chip's noise and active set from c.Seed)
// and returns a run of c's optimizer on it with the given training and test sets.
func Start(m *model.Model, train, test *dataset.Set, c Config) (*Run, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("train: nil model")
	}
	if c.Step == 0 {
		c.Step = DefaultStep(c.Optimizer)
	}
	net, err := onn.Deploy(m, photonics.ChipConfig{Alpha: c.Alpha, Noise: c.Noise(), Seed: c.Seed})
	if err != nil {
		return nil, err
	}
	p, err := NewProblem(net, train, test, c.Batch)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", m.Name, err)
	}
	meth, err := NewMethod(c.Optimizer, c.Options)
	if err != nil {
		return nil, err
	}
	return NewRun(p, meth, c.Settings)
}
