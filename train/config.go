package train

import (
	"fmt"

	"github.com/meshlight/meshlight/photonics"
)

// Config is a whole on-chip training run: the optimizer and its options, the chip
// (alpha, noise, control resolution) and the loop settings. Field errors name the CLI
// flag (FieldError.Field).
type Config struct {
	Optimizer string  // a name of Methods()
	Options           // optimizer parameters; Mu 0 takes the optimizer's default
	Alpha     float64 // fraction of U/V phases active, (0, 1]
	// The chip: its preset's name, noise and control resolution (SetChip sets all).
	photonics.Hardware
	// Shadow is an ablation: the optimizer keeps full-precision phases and the chip
	// quantizes them when programmed (the method's authors' code), so steps need not be
	// whole codes and decay without a floor.
	Shadow bool
	// SigmaPerBlock is an ablation: each weight block is deployed with its own Sigma gain,
	// its largest singular value at phase 0, as the method's authors map it
	// (photonics.ChipConfig.SigmaPerBlock), instead of one bound m for every block. The
	// model file is unchanged: the phases are derived from its own when it is deployed.
	SigmaPerBlock bool
	Settings      // loop; Step 0 takes the optimizer's default (DefaultStep)
}

// DefaultConfig returns the method's setting on the method's chip ("paper" of
// photonics.Presets: gamma std 2e-3 at V_pi 4.36 V, crosstalk 2e-3, 8-bit control):
// SZO-SCD with alpha 0.15, s 0.1, p 1, minibatch 32, the optimizer's default step and
// radius (Step and Mu 0, see DefaultStep) x 0.985 per epoch.
func DefaultConfig() Config {
	s := DefaultSettings()
	s.Step = 0
	c := Config{Optimizer: "szo-scd", Options: DefaultOptions(), Alpha: 0.15, Settings: s}
	c.SetChip(photonics.Presets()[0])
	return c
}

// SetChip sets the chip's noise and control resolution to a preset's, and names it.
func (c *Config) SetChip(p photonics.ChipPreset) { c.Hardware = p.Hardware }

// Chip returns the chip configuration the run deploys on: the drift truncated as the
// method's code draws it (photonics.DefaultTruncate).
func (c Config) Chip() photonics.ChipConfig {
	return photonics.ChipConfig{Alpha: c.Alpha, Hardware: c.Hardware, Truncate: photonics.DefaultTruncate,
		Seed: c.Seed, SigmaPerBlock: c.SigmaPerBlock}
}

// Validate reports the first setting out of range: those of Params by their ranges,
// the others by their own rules. On a chip with control codes
// (Bits > 0), the step and the radius must be at least one code: a smaller change cannot
// be programmed (except the step with Shadow, whose optimizer keeps finer phases).
func (c Config) Validate() error {
	if _, ok := methods[c.Optimizer]; !ok {
		return unknownOptimizer(c.Optimizer)
	}
	c = c.WithDefaults()
	if err := c.Options.validate(); err != nil {
		return err
	}
	if err := c.checkParams(); err != nil {
		return err
	}
	code := photonics.Quantum(c.Bits)
	if !(c.RelativeDrift() < 0.5) {
		return &FieldError{"gamma-std", c.GammaStd, fmt.Sprintf("a relative drift gamma std * V_pi^2 / pi below 0.5 (it is %.3g)", c.RelativeDrift())}
	}
	if err := c.Settings.validate(); err != nil {
		return err
	}
	switch {
	case c.Step < code && !c.Shadow:
		return &FieldError{"lr", c.Step, fmt.Sprintf("at least one control code, %.4g rad at %d bits (or bits 0)", code, c.Bits)}
	case c.Mu < code && methods[c.Optimizer].usesMu:
		return &FieldError{"mu", c.Mu, fmt.Sprintf("at least one control code, %.4g rad at %d bits (or bits 0)", code, c.Bits)}
	}
	return nil
}

// WithDefaults returns c with the optimizer's default step and radius for its chip
// filled in where Step or Mu is 0, and szo-scd-margin's default margin where none is set,
// as Deploy runs it.
func (c Config) WithDefaults() Config {
	if c.Step == 0 {
		c.Step = DefaultStep(c.Optimizer, c.Bits)
	}
	if c.Mu == 0 {
		c.Mu = radius(c.Optimizer, c.Bits)
	}
	if c.Optimizer == "szo-scd-margin" && !c.Margin.On() {
		c.Margin = DefaultMargin()
	}
	return c
}
