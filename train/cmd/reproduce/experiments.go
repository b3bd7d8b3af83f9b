package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train"
)

// chips are the chip presets (photonics.Presets) the experiments run on: the method's
// chip, and a stronger one where it adds something.
var chips = []string{"paper", "strong"}

// variant is one configuration of an experiment.
type variant struct {
	Label string
	Cfg   train.Config // seed, budget and the chip's noise are set per run
	Chip  func(*train.Config)

	// Queries and Eval, when Queries > 0, replace the experiment's budget and evaluation
	// interval for this variant (an optimizer too slow for the experiment's budget).
	Queries, Eval int64
}

// experiment is a table or figure of the method's paper, reproduced.
type experiment struct {
	ID      string // short name, file prefix
	Title   string
	Model   string // file in -models
	Queries int64  // budget per run
	Eval    int64  // queries between test evaluations (0: Queries/40, or /200 above mlpQueries)
	Seeds   int    // seeds per configuration (0: the -seeds flag)
	Chips   []string
	Vars    []variant
}

// cfg returns the method's configuration with changes.
func cfg(opt string, alpha, s float64, edits ...func(*train.Config)) train.Config {
	c := train.DefaultConfig()
	c.Optimizer, c.Alpha, c.S = opt, alpha, s
	for _, e := range edits {
		e(&c)
	}
	return c
}

// codes is a step of n control codes of the method's 8-bit chip.
func codes(n float64) float64 { return n * photonics.Quantum(photonics.DefaultBits) }

func step(n float64) func(*train.Config) { return func(c *train.Config) { c.Step = codes(n) } }

func radius(n float64) func(*train.Config) { return func(c *train.Config) { c.Mu = codes(n) } }

func prune(p float64) func(*train.Config) { return func(c *train.Config) { c.P = p } }

func stale(c *train.Config) { c.Stale = true }

// margin sets szo-scd-margin's noise margin (train.Margin).
func margin(m train.Margin) func(*train.Config) { return func(c *train.Config) { c.Margin = m } }

// paperStep is the step size the method's paper gives an optimizer (its Sec. 4 setup:
// ZAdam and ZNewton 1e-3, STP and SZO-SCD 2e-2, FLOPS 1e-1), for a continuous chip: below
// one 8-bit code for ZAdam and ZNewton, so it cannot run on the method's 8-bit chip.
var paperStep = map[string]float64{"szo-scd": 2e-2, "stp": 2e-2, "zadam": 1e-3, "znewton": 1e-3, "flops": 1e-1}

// shadow is the ablation of the authors' code: full-precision optimizer phases,
// quantized by the chip.
func shadow(c *train.Config) { c.Shadow = true }

// authorsFLOPS is FLOPS as the authors' code configures it for MNIST
// (JeremieMelo/L2ight core/optimizer/flops.py with config/mnist/cnn3/flops/learn.yml): one
// Gaussian sample of radius 0.1 rad per step on every phase, step 2 decaying by 0.99 per
// epoch (their exponential scheduler has no floor), full-precision phases quantized when
// programmed. Used with alpha 1, s 1 and shadow.
func authorsFLOPS(c *train.Config) { c.Q, c.Mu, c.Step, c.Decay = 1, 0.1, 2, 0.99 }

// sigmaPerBlock deploys each weight block with its own Sigma gain, as the authors map it
// (an ablation of the mapping).
func sigmaPerBlock(c *train.Config) { c.SigmaPerBlock = true }

// Chip ablations, applied after the chip preset.
func continuous(c *train.Config) { c.Bits = 0 }
func heatAll(c *train.Config)    { c.HeatAll = true }

// Budgets (queries per run) at scale 1.
const (
	mlpQueries   = 200_000
	vowelQueries = 50_000
	cnnQueries   = 100_000
	tuneQueries  = 100_000
	longQueries  = 2_000_000
)

// Model files.
const (
	mlp   = "mnist8-mlp.json"
	vowel = "vowel-mlp.json"
)

var baselines = []string{"zadam", "znewton", "stp", "flops"}

// tuneGrid is the step grid (codes) of each optimizer, six configurations each: the same
// search effort for every method, in steps and radii an 8-bit chip can program.
func tuneGrid() []variant {
	var vs []variant
	for _, opt := range []string{"szo-scd", "stp"} {
		for _, d := range []float64{1, 2, 3, 4, 6, 8} {
			vs = append(vs, variant{Label: fmt.Sprintf("%s d=%g", names[opt], d), Cfg: cfg(opt, 0.15, 0.1, step(d))})
		}
	}
	for _, opt := range []string{"zadam", "znewton", "flops"} {
		for _, d := range []float64{1, 2, 4} {
			for _, mu := range []float64{1, 2} {
				vs = append(vs, variant{Label: fmt.Sprintf("%s d=%g mu=%g", names[opt], d, mu), Cfg: cfg(opt, 0.15, 0.1, step(d), radius(mu))})
			}
		}
	}
	return vs
}

// experiments returns the reproduction suite: the baselines' tuning grid, Table 1, the
// alpha, s and p sweeps of Figs. 4-6 on the MNIST and vowel MLPs, Fig. 6c's long p sweep,
// the power-penalty comparison of Table 3, a chip ten times the method's, and the CNNs of
// Tables 2 and 4.
func experiments() []experiment {
	paper := []string{"paper"}
	tune := experiment{ID: "tune", Title: "Tuning: every optimizer's step d and radius mu in 8-bit codes (MNIST 8x8 MLP, alpha 0.15, s 0.1, seed 1)",
		Model: mlp, Queries: tuneQueries, Seeds: 1, Chips: paper, Vars: tuneGrid()}

	t1 := experiment{ID: "table1", Title: "Table 1: optimizers on the MNIST 8x8 MLP, sparse (alpha 0.15, s 0.1) and dense (alpha 1, s 1)",
		Model: mlp, Queries: mlpQueries, Chips: chips}
	t1.Vars = append(t1.Vars, variant{Label: "SZO-SCD", Cfg: cfg("szo-scd", 0.15, 0.1)})
	for _, b := range baselines {
		t1.Vars = append(t1.Vars, variant{Label: names[b], Cfg: cfg(b, 0.15, 0.1)})
	}
	t1.Vars = append(t1.Vars, variant{Label: "SZO-SCD margin", Cfg: cfg("szo-scd-margin", 0.15, 0.1)})
	// The paper's own step sizes, on a continuous chip (where each can be programmed).
	for _, b := range append([]string{"szo-scd"}, baselines...) {
		d := paperStep[b]
		t1.Vars = append(t1.Vars, variant{Label: names[b] + " continuous, paper's step", Cfg: cfg(b, 0.15, 0.1, func(c *train.Config) { c.Step = d }), Chip: continuous})
	}
	for _, b := range append([]string{"szo-scd"}, baselines...) {
		t1.Vars = append(t1.Vars, variant{Label: names[b] + " dense", Cfg: cfg(b, 1, 1)})
	}
	t1.Vars = append(t1.Vars,
		variant{Label: "SZO-SCD stale", Cfg: cfg("szo-scd", 0.15, 0.1, stale)},
		variant{Label: "SZO-SCD heat all", Cfg: cfg("szo-scd", 0.15, 0.1), Chip: heatAll},
		variant{Label: "SZO-SCD continuous", Cfg: cfg("szo-scd", 0.15, 0.1), Chip: continuous},
		variant{Label: "SZO-SCD continuous d=0.005", Cfg: cfg("szo-scd", 0.15, 0.1, func(c *train.Config) { c.Step = 0.005 }), Chip: continuous},
		variant{Label: "SZO-SCD shadow", Cfg: cfg("szo-scd", 0.15, 0.1, shadow)},
		variant{Label: "SZO-SCD shadow d=0.02", Cfg: cfg("szo-scd", 0.15, 0.1, shadow, func(c *train.Config) { c.Step = 0.02 })},
		variant{Label: "SZO-SCD shadow d=0.005", Cfg: cfg("szo-scd", 0.15, 0.1, shadow, func(c *train.Config) { c.Step = 0.005 })},
		variant{Label: "FLOPS as the authors' code", Cfg: cfg("flops", 1, 1, shadow, authorsFLOPS)})

	exps := []experiment{tune, t1}
	for _, m := range []struct{ suffix, file, name string }{{"", mlp, "MNIST 8x8 MLP"}, {"-vowel", vowel, "vowel 8-16-16-4 MLP"}} {
		q, s := int64(mlpQueries), 0.1
		if m.file == vowel {
			q, s = vowelQueries, 0.6 // the paper's Fig. 6a,b setting for the vowel MLP
		}
		sNote := fmt.Sprintf("s %g", s)
		// Fig. 4's claim is about queries to reach an accuracy: evaluate often enough to see
		// the early recovery (every 1/400 of the budget).
		f4 := experiment{ID: "fig4" + m.suffix, Title: "Fig. 4, " + m.name + ": active fraction alpha (SZO-SCD, " + sNote + ", p 1)", Model: m.file, Queries: q, Eval: q / 400, Chips: paper}
		for _, a := range []float64{0.05, 0.1, 0.15, 0.3, 0.6, 1} {
			f4.Vars = append(f4.Vars, variant{Label: fmt.Sprintf("alpha=%g", a), Cfg: cfg("szo-scd", a, s)})
		}
		f5 := experiment{ID: "fig5" + m.suffix, Title: "Fig. 5, " + m.name + ": sparsity s (SZO-SCD, alpha 0.15, p 1)", Model: m.file, Queries: q, Chips: paper}
		for _, s := range []float64{0.02, 0.05, 0.1, 0.2, 0.5, 1} {
			f5.Vars = append(f5.Vars, variant{Label: fmt.Sprintf("s=%g", s), Cfg: cfg("szo-scd", 0.15, s)})
		}
		f6 := experiment{ID: "fig6" + m.suffix, Title: "Fig. 6, " + m.name + ": pruning probability p (SZO-SCD, alpha 0.15, " + sNote + ")", Model: m.file, Queries: q, Chips: paper}
		for _, p := range []float64{0, 0.25, 0.5, 0.75, 1} {
			f6.Vars = append(f6.Vars, variant{Label: fmt.Sprintf("p=%g", p), Cfg: cfg("szo-scd", 0.15, s, prune(p))})
		}
		f6.Vars = append(f6.Vars, variant{Label: "alpha=1 p=0", Cfg: cfg("szo-scd", 1, s, prune(0))},
			variant{Label: "margin p=1", Cfg: cfg("szo-scd-margin", 0.15, s)},
			variant{Label: "margin p=0", Cfg: cfg("szo-scd-margin", 0.15, s, prune(0))})
		if m.file == mlp {
			// The mapping and the optimizer as the authors' code has them: each block's
			// Sigma scaled by its own largest singular value (so its top Sigma phase sits
			// at 0, where a step down wraps to near 2 pi unless pruned), and full-precision
			// optimizer phases that are never folded.
			f6.Vars = append(f6.Vars,
				variant{Label: "sigma per block p=1", Cfg: cfg("szo-scd", 0.15, s, sigmaPerBlock)},
				variant{Label: "sigma per block p=0", Cfg: cfg("szo-scd", 0.15, s, sigmaPerBlock, prune(0))},
				variant{Label: "authors' setup p=1", Cfg: cfg("szo-scd", 0.15, s, sigmaPerBlock, shadow)},
				variant{Label: "authors' setup p=0", Cfg: cfg("szo-scd", 0.15, s, sigmaPerBlock, shadow, prune(0))})
		}
		exps = append(exps, f4, f5, f6)
	}
	f6c := experiment{ID: "fig6c", Title: "Fig. 6c, MNIST 8x8 MLP: pruning probability p over 2M queries (SZO-SCD, alpha 0.15, s 0.1, seed 1)",
		Model: mlp, Queries: longQueries, Seeds: 1, Chips: paper}
	for _, p := range []float64{0, 0.25, 0.5, 0.75, 1} {
		f6c.Vars = append(f6c.Vars, variant{Label: fmt.Sprintf("p=%g", p), Cfg: cfg("szo-scd", 0.15, 0.1, prune(p))})
	}
	// Keeping what it wins (issue 17): the method's rule against noise margins over 2M
	// queries, evaluated often enough to see the early recovery.
	keep := experiment{ID: "margin", Title: "Keeping what it wins: SZO-SCD's rule against noise margins over 2M queries (MNIST 8x8 MLP, alpha 0.15, s 0.1, p 1)",
		Model: mlp, Queries: longQueries, Eval: 2000, Chips: paper}
	keep.Vars = []variant{
		{Label: "SZO-SCD (the method's rule)", Cfg: cfg("szo-scd", 0.15, 0.1)},
		{Label: "margin tau=0.006", Cfg: cfg("szo-scd-margin", 0.15, 0.1, margin(train.Margin{Tau: 0.006}))},
		{Label: "margin 8x noise", Cfg: cfg("szo-scd-margin", 0.15, 0.1, margin(train.Margin{Scale: 8}))},
		{Label: "margin 8x noise, ramp 100", Cfg: cfg("szo-scd-margin", 0.15, 0.1, margin(train.Margin{Scale: 8, Ramp: 100}))},
		{Label: "margin 8x noise, ramp 100, growing (szo-scd-margin)", Cfg: cfg("szo-scd-margin", 0.15, 0.1)},
		{Label: "margin 8x noise, ramp 100, growing, down 0.75", Cfg: cfg("szo-scd-margin", 0.15, 0.1, margin(train.Margin{Scale: 8, Ramp: 100, Grow: 0.3, Down: 0.75}))},
		{Label: "margin 8x noise, ramp 100, growing, p=0", Cfg: cfg("szo-scd-margin", 0.15, 0.1, prune(0))},
		{Label: "SZO-SCD p=0", Cfg: cfg("szo-scd", 0.15, 0.1, prune(0))},
	}
	t3 := experiment{ID: "table3", Title: "Table 3: Lagrangian power penalty with a dual update (ADMM) against power-aware pruning (alpha 0.15, s 0.1)",
		Model: mlp, Queries: mlpQueries, Chips: paper}
	t3.Vars = append(t3.Vars,
		variant{Label: "pruning p=1", Cfg: cfg("szo-scd", 0.15, 0.1)},
		variant{Label: "no pruning p=0", Cfg: cfg("szo-scd", 0.15, 0.1, prune(0))})
	for _, l := range []float64{0.05, 0.1, 0.2, 0.3, 1} {
		t3.Vars = append(t3.Vars, variant{Label: fmt.Sprintf("ADMM lambda=%g", l), Cfg: cfg("admm", 0.15, 0.1, func(c *train.Config) { c.P, c.Lambda = 0, l })})
	}
	t3.Vars = append(t3.Vars, variant{Label: "ADMM lambda=0.1 budget=0.9", Cfg: cfg("admm", 0.15, 0.1, func(c *train.Config) { c.P, c.Lambda, c.Budget = 0, 0.1, 0.9 })})
	// Ten times the method's chip: the full-resolution MNIST MLP (26,624 phases).
	scale := experiment{ID: "scale", Title: "Scale: the MNIST 28x28 MLP, 784-32-32-10 in 8x8 blocks, 26,624 phases (alpha 0.15, s 0.1)",
		Model: "mnist28-mlp.json", Queries: mlpQueries, Chips: chips}
	for _, opt := range []string{"szo-scd", "flops", "znewton"} {
		scale.Vars = append(scale.Vars, variant{Label: names[opt], Cfg: cfg(opt, 0.15, 0.1)})
	}
	scale.Vars = append(scale.Vars, variant{Label: "SZO-SCD margin", Cfg: cfg("szo-scd-margin", 0.15, 0.1)})
	exps = append(exps, f6c, keep, t3, scale)
	exps = append(exps, scaling()...)

	for _, m := range []struct{ id, file, name string }{
		{"table2", "mnist16-cnn.json", "MNIST 16x16 CNN"}, {"table4", "fmnist32-cnn.json", "Fashion-MNIST 32x32 CNN"},
	} {
		e := experiment{ID: m.id, Title: "Table " + m.id[len(m.id)-1:] + ": " + m.name + " (alpha 0.05, s 0.1, p 1)",
			Model: m.file, Queries: cnnQueries, Chips: paper}
		e.Vars = append(e.Vars, variant{Label: "SZO-SCD", Cfg: cfg("szo-scd", 0.05, 0.1)})
		for _, b := range baselines {
			e.Vars = append(e.Vars, variant{Label: names[b], Cfg: cfg(b, 0.05, 0.1)})
		}
		e.Vars = append(e.Vars,
			variant{Label: "SZO-SCD margin", Cfg: cfg("szo-scd-margin", 0.05, 0.1)},
			variant{Label: "SZO-SCD p=0", Cfg: cfg("szo-scd", 0.05, 0.1, prune(0))},
			variant{Label: "SZO-SCD alpha=1 p=0", Cfg: cfg("szo-scd", 1, 0.1, prune(0))})
		exps = append(exps, e)
	}
	return exps
}

// names are the display names of the optimizers.
var names = map[string]string{"szo-scd": "SZO-SCD", "szo-scd-margin": "SZO-SCD margin", "zadam": "ZAdam", "znewton": "ZNewton", "stp": "STP", "flops": "FLOPS", "admm": "ADMM"}

// resolved returns the configuration a run of v on a chip of a model uses: the chip's
// noise and resolution (a preset, or the model's same-drop chip), the variant's chip
// ablation, and the optimizer's default step and radius made explicit (so a run file
// names the numbers it ran with).
func (v variant) resolved(chip, model string) train.Config {
	c := v.Cfg
	c.Hardware = hardware(chip, model)
	if v.Chip != nil {
		v.Chip(&c)
	}
	return c.WithDefaults()
}

// configKey is a file-safe name of a configuration (without seed and chip preset):
// steps and radii in 8-bit codes.
func configKey(c train.Config) string {
	k := fmt.Sprintf("%s_a%g_s%g_p%g_d%s", c.Optimizer, c.Alpha, c.S, c.P, inCodes(c.Step))
	if c.Stale {
		k += "_stale"
	}
	if c.Shadow {
		k += "_shadow"
	}
	if c.SigmaPerBlock {
		k += "_sigmablock"
	}
	if c.Bits != photonics.DefaultBits {
		k += fmt.Sprintf("_b%d", c.Bits)
	}
	if c.HeatAll {
		k += "_heatall"
	}
	if c.Decay != train.DefaultSettings().Decay {
		k += fmt.Sprintf("_decay%g", c.Decay)
	}
	if c.Validation != train.DefaultValidation {
		k += fmt.Sprintf("_v%g", c.Validation)
	}
	switch c.Optimizer {
	case "szo-scd-margin":
		if m := c.Margin; m.On() {
			k += fmt.Sprintf("_tau%g_ms%g_mr%d_md%g", m.Tau, m.Scale, m.Ramp, m.Down)
			if m.Grow > 0 {
				k += fmt.Sprintf("_mg%g", m.Grow)
			}
		}
	case "admm":
		k += fmt.Sprintf("_l%g_B%g", c.Lambda, c.Budget)
	case "flops":
		k += fmt.Sprintf("_q%d_mu%s", c.Q, inCodes(c.Mu))
	case "zadam", "znewton":
		k += "_mu" + inCodes(c.Mu)
	}
	return strings.ReplaceAll(k, "+", "")
}

// inCodes writes a phase as a number of 8-bit codes ("2c"), or in radians when it is not
// a whole number of them.
func inCodes(phi float64) string {
	n := phi / codes(1)
	if r := math.Round(n); math.Abs(n-r) < 1e-9 {
		return fmt.Sprintf("%gc", r)
	}
	return fmt.Sprintf("%g", phi)
}
