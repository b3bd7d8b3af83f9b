package train

import (
	"flag"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/param"
)

// The bounds of a run's settings, where the physics has them. A fraction of phases below
// MinFraction picks one phase of a layer, as any smaller one does, for every layer of up
// to a million phases: a setting with no meaning of its own. V_pi spans the phase
// shifters built, thermo-optic and electro-optic (the method's: 4.36 V); outside it
// gamma = pi / V_pi^2 is so large or small that a drift of any gamma-std is nothing or
// everything.
var (
	alphaRange     = param.Range{Lo: MinFraction, Hi: 1}
	sRange         = param.Range{Lo: MinFraction, Hi: 1}
	pRange         = param.Range{Lo: 0, Hi: 1}
	stepRange      = param.Range{Lo: 0, Hi: math.Pi, OpenLo: true} // half a turn: a larger step is a smaller one the other way
	gammaStdRange  = param.Range{Lo: 0, Hi: 1, OpenHi: true}       // rad/V^2; the relative drift is bounded as well (Validate)
	vpiRange       = param.Range{Lo: 0.1, Hi: 100}                 // volts
	crosstalkRange = param.Range{Lo: 0, Hi: 0.5}                   // beyond it a device's neighbours outweigh it
)

// MinFraction is the smallest alpha and s: one phase in a million (see the bounds above).
const MinFraction = 1e-6

// MaxSeed is the largest seed: 2^53, below which every integer is a JavaScript number
// exactly, so a page's link with any seed reloads as it was, and the CLI takes the same.
const MaxSeed = 1 << 53

// Param is one setting of a run that the command-line tools take as a flag and the page
// as a parameter of its address, by one name and one rule (package param's grammar and
// a range). Params lists them; Config.Validate checks the same ranges.
type Param struct {
	Name    string // the flag's name and the address's parameter
	Usage   string // what it sets, for the flag's help
	Deploys bool   // a new value needs a new chip (noise draw, active set), not only a new run
	Bool    bool   // a boolean: true, false, 1 or 0

	get   func(*Config) string
	set   func(*Config, string) error
	check func(*Config) error // the range of the current value; nil for a name from a list
}

// Get returns the setting's value in c as text, in the form Set reads.
func (p Param) Get(c *Config) string { return p.get(c) }

// Set parses v and sets it in c. On error c is unchanged and the error says why, without
// naming the setting (the caller names it as its user spells it).
func (p Param) Set(c *Config, v string) error { return p.set(c, strings.TrimSpace(v)) }

// Params are the settings of a run that the CLI and the page share, in the order they
// apply: the optimizer and the chip's preset before the chip's fields and the step that
// depend on them. A setting of the chip (photonics.Hardware) is one entry here.
var Params = []Param{
	{Name: "optimizer", Usage: "optimizer: " + strings.Join(Methods(), ", "),
		get: func(c *Config) string { return c.Optimizer },
		set: func(c *Config, v string) error {
			v = strings.ToLower(v)
			if !slices.Contains(Methods(), v) {
				return fmt.Errorf("unknown optimizer (known: %s)", strings.Join(Methods(), ", "))
			}
			c.Optimizer = v
			return nil
		}},
	{Name: "chip", Deploys: true, Usage: "chip preset, which the chip settings after it start from: " + strings.Join(photonics.PresetNames(), ", "),
		get: func(c *Config) string { return c.Preset },
		set: func(c *Config, v string) error {
			p, err := photonics.LookupPreset(strings.ToLower(v))
			if err != nil {
				return fmt.Errorf("unknown chip preset (known: %s)", strings.Join(photonics.PresetNames(), ", "))
			}
			c.SetChip(p)
			return nil
		}},
	floatParam("gamma-std", "phase-shifter drift: standard deviation of gamma = pi/V_pi^2, rad/V^2 (the method's sigma)", true, gammaStdRange, func(c *Config) *float64 { return &c.GammaStd }),
	floatParam("vpi", "phase-shifter half-wave voltage V_pi, volts", true, vpiRange, func(c *Config) *float64 { return &c.VPi }),
	floatParam("crosstalk", "thermal crosstalk between adjacent devices", true, crosstalkRange, func(c *Config) *float64 { return &c.Crosstalk }),
	intParam("bits", "control resolution of the active phases, bits (0: continuous)", true, 0, photonics.MaxBits, func(c *Config) *int { return &c.Bits }),
	boolParam("heat-all", "passive devices heat their neighbours too (ablation)", true, func(c *Config) *bool { return &c.HeatAll }),
	floatParam("alpha", "fraction of U/V phases that are active", true, alphaRange, func(c *Config) *float64 { return &c.Alpha }),
	floatParam("s", "fraction of the active phases touched per iteration", false, sRange, func(c *Config) *float64 { return &c.S }),
	floatParam("p", "szo-scd: power-aware pruning probability", false, pRange, func(c *Config) *float64 { return &c.P }),
	floatParam("lr", "initial step, radians (not given: the optimizer's default for the chip, whole control codes)", false, stepRange, func(c *Config) *float64 { return &c.Step }),
	intParam("seed", "seed of the chip (noise, active set), data order and optimizer", true, 0, MaxSeed, func(c *Config) *int64 { return &c.Seed }),
}

// LookupParam returns the entry of Params of that name.
func LookupParam(name string) (Param, bool) {
	i := slices.IndexFunc(Params, func(p Param) bool { return p.Name == name })
	if i < 0 {
		return Param{}, false
	}
	return Params[i], true
}

func floatParam(name, usage string, deploys bool, r param.Range, field func(*Config) *float64) Param {
	return Param{Name: name, Usage: fmt.Sprintf("%s, %s", usage, r), Deploys: deploys,
		get: func(c *Config) string { return param.FormatFloat(*field(c)) },
		set: func(c *Config, v string) error {
			x, err := r.Parse(v)
			if err == nil {
				*field(c) = x
			}
			return err
		},
		check: func(c *Config) error { return inRange(name, *field(c), r) }}
}

func intParam[T int | int64](name, usage string, deploys bool, lo, hi int64, field func(*Config) *T) Param {
	return Param{Name: name, Usage: fmt.Sprintf("%s, [%d, %d]", usage, lo, hi), Deploys: deploys,
		get: func(c *Config) string { return fmt.Sprint(*field(c)) },
		set: func(c *Config, v string) error {
			n, err := param.Int(v, lo, hi)
			if err == nil {
				*field(c) = T(n)
			}
			return err
		},
		check: func(c *Config) error {
			if n := int64(*field(c)); n < lo || n > hi {
				return &FieldError{name, n, fmt.Sprintf("%d <= %s <= %d", lo, name, hi)}
			}
			return nil
		}}
}

func boolParam(name, usage string, deploys bool, field func(*Config) *bool) Param {
	return Param{Name: name, Usage: usage + " (true/false/1/0)", Deploys: deploys, Bool: true,
		get: func(c *Config) string { return param.FormatBool(*field(c)) },
		set: func(c *Config, v string) error {
			b, err := param.Bool(v)
			if err == nil {
				*field(c) = b
			}
			return err
		}}
}

// inRange returns a FieldError naming the setting unless x lies in r.
func inRange(name string, x float64, r param.Range) error {
	return want(r.Contains(x), name, x, r.Bounds(name))
}

// checkParams checks every setting of Params in c against its range.
func (c *Config) checkParams() error {
	for _, p := range Params {
		if p.check != nil {
			if err := p.check(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// ParamFlags defines a flag on fs for each of Params, with c's values as the defaults,
// and returns the function that applies the flags given to c, or says which is bad and
// why ("-alpha 0: out of range [1e-06, 1]"). The given flags apply in the order of Params,
// whatever their order on the command line, as the page applies its address: "-bits 6
// -chip strong" is the strong chip with 6-bit control.
func ParamFlags(fs *flag.FlagSet, c *Config) (apply func() error) {
	var flags []*paramFlag
	for _, p := range Params {
		f := &paramFlag{p: p, def: p.Get(c)}
		flags = append(flags, f)
		fs.Var(f, p.Name, p.Usage)
	}
	return func() error {
		for _, f := range flags {
			if !f.given {
				continue
			}
			if err := f.p.Set(c, f.value); err != nil {
				return fmt.Errorf("-%s %s: %w", f.p.Name, f.value, err)
			}
		}
		return nil
	}
}

// paramFlag is the flag.Value of a Param.
type paramFlag struct {
	p          Param
	def, value string
	given      bool
}

// String is the value given, or the default; a default of 0 (false, or lr's "not given")
// reads as none, as package flag shows a zero default.
func (f *paramFlag) String() string {
	switch {
	case f == nil || f.p.get == nil:
		return ""
	case f.given:
		return f.value
	case f.def == "0":
		return ""
	}
	return f.def
}

// Set records the value; the returned function of ParamFlags checks it, so its message
// reads as the page's ("-alpha 0: out of range [1e-06, 1]").
func (f *paramFlag) Set(v string) error {
	f.value, f.given = v, true
	return nil
}

// IsBoolFlag lets a boolean be given as -heat-all alone.
func (f *paramFlag) IsBoolFlag() bool { return f != nil && f.p.Bool }
