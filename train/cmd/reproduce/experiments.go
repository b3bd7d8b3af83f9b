package main

import (
	"fmt"
	"strings"

	"github.com/meshlight/meshlight/train"
)

// Noise levels the experiments run at: the method's (drift = crosstalk = 2e-3, the
// DESIGN default) and a strong one (1e-2) under which deployment costs accuracy even
// at small alpha.
var noises = []struct {
	Name  string
	Sigma float64
}{{"paper", 2e-3}, {"strong", 1e-2}}

// variant is one configuration of an experiment.
type variant struct {
	Label string
	Cfg   train.Config // Seed, budget and noise are set per run
}

// experiment is a table or figure of the method's paper, reproduced.
type experiment struct {
	ID      string // short name, file prefix
	Title   string
	Model   string // file in -models
	Queries int64  // budget per run
	Noises  []string
	Vars    []variant
}

// cfg returns the method's configuration with changes.
func cfg(opt string, alpha, s float64, edit func(*train.Config)) train.Config {
	c := train.DefaultConfig()
	c.Optimizer, c.Alpha, c.S = opt, alpha, s
	c.Step = train.DefaultStep(opt)
	if edit != nil {
		edit(&c)
	}
	return c
}

func step(d float64) func(*train.Config) { return func(c *train.Config) { c.Step = d } }

func prune(p float64) func(*train.Config) { return func(c *train.Config) { c.P = p } }

// stale is SZO-SCD as the paper's text reads: the method's step 0.02, no query after a
// step back, pruning probability p.
func stale(p float64) func(*train.Config) {
	return func(c *train.Config) { c.P, c.Stale, c.Step = p, true, 0.02 }
}

// Budgets (queries per run) at scale 1.
const (
	mlpQueries = 200_000
	cnnQueries = 100_000
)

// experiments returns the reproduction suite: Table 1, the alpha, s and p sweeps of
// Figs. 4-6, the power-penalty comparison of Table 3 and the CNNs of Tables 2 and 4.
func experiments() []experiment {
	const mlp = "mnist8-mlp.json"
	both := []string{"paper", "strong"}
	baselines := []string{"zadam", "znewton", "stp", "flops"}

	t1 := experiment{ID: "table1", Title: "Table 1: optimizers on the MNIST 8x8 MLP, sparse (alpha 0.15, s 0.1) and dense (alpha 1, s 1)",
		Model: mlp, Queries: mlpQueries, Noises: both}
	t1.Vars = append(t1.Vars,
		variant{"SZO-SCD", cfg("szo-scd", 0.15, 0.1, nil)},
		variant{"SZO-SCD d=0.02", cfg("szo-scd", 0.15, 0.1, step(0.02))},
		variant{"SZO-SCD stale d=0.02", cfg("szo-scd", 0.15, 0.1, stale(1))})
	for _, b := range baselines {
		t1.Vars = append(t1.Vars, variant{names[b], cfg(b, 0.15, 0.1, nil)})
	}
	for _, b := range append([]string{"szo-scd"}, baselines...) {
		t1.Vars = append(t1.Vars, variant{names[b] + " dense", cfg(b, 1, 1, nil)})
	}

	f4 := experiment{ID: "fig4", Title: "Fig. 4: active fraction alpha (SZO-SCD, s 0.1, p 1)", Model: mlp, Queries: mlpQueries, Noises: both}
	for _, a := range []float64{0.05, 0.1, 0.15, 0.3, 0.6, 1} {
		f4.Vars = append(f4.Vars, variant{fmt.Sprintf("alpha=%g", a), cfg("szo-scd", a, 0.1, nil)})
	}
	f5 := experiment{ID: "fig5", Title: "Fig. 5: sparsity s (SZO-SCD, alpha 0.15, p 1)", Model: mlp, Queries: mlpQueries, Noises: []string{"strong"}}
	for _, s := range []float64{0.02, 0.05, 0.1, 0.2, 0.5, 1} {
		f5.Vars = append(f5.Vars, variant{fmt.Sprintf("s=%g", s), cfg("szo-scd", 0.15, s, nil)})
	}
	f6 := experiment{ID: "fig6", Title: "Fig. 6: pruning probability p (SZO-SCD, alpha 0.15, s 0.1)", Model: mlp, Queries: mlpQueries, Noises: both}
	for _, p := range []float64{0, 0.25, 0.5, 0.75, 1} {
		f6.Vars = append(f6.Vars, variant{fmt.Sprintf("p=%g", p), cfg("szo-scd", 0.15, 0.1, prune(p))})
	}
	f6.Vars = append(f6.Vars, variant{"alpha=1 p=0", cfg("szo-scd", 1, 0.1, prune(0))})
	f6.Vars = append(f6.Vars,
		variant{"stale d=0.02 p=0", cfg("szo-scd", 0.15, 0.1, stale(0))},
		variant{"stale d=0.02 p=1", cfg("szo-scd", 0.15, 0.1, stale(1))})
	t3 := experiment{ID: "table3", Title: "Table 3: Lagrangian power penalty (ADMM) against power-aware pruning (alpha 0.15, s 0.1)",
		Model: mlp, Queries: mlpQueries, Noises: both}
	t3.Vars = append(t3.Vars,
		variant{"pruning p=1", cfg("szo-scd", 0.15, 0.1, nil)},
		variant{"no pruning p=0", cfg("szo-scd", 0.15, 0.1, prune(0))})
	for _, l := range []float64{0.01, 0.1, 1} {
		t3.Vars = append(t3.Vars, variant{fmt.Sprintf("ADMM lambda=%g", l), cfg("admm", 0.15, 0.1, func(c *train.Config) { c.P, c.Lambda = 0, l })})
	}

	exps := []experiment{t1, f4, f5, f6, t3}
	for _, m := range []struct{ id, file, name string }{
		{"table2", "mnist16-cnn.json", "MNIST 16x16 CNN"}, {"table4", "fmnist32-cnn.json", "Fashion-MNIST 32x32 CNN"},
	} {
		e := experiment{ID: m.id, Title: "Table " + m.id[len(m.id)-1:] + ": " + m.name + " (alpha 0.05, s 0.1, p 1)",
			Model: m.file, Queries: cnnQueries, Noises: both}
		e.Vars = append(e.Vars,
			variant{"SZO-SCD", cfg("szo-scd", 0.05, 0.1, nil)},
			variant{"SZO-SCD stale d=0.02", cfg("szo-scd", 0.05, 0.1, stale(1))},
			variant{"SZO-SCD p=0", cfg("szo-scd", 0.05, 0.1, prune(0))},
			variant{"FLOPS", cfg("flops", 0.05, 0.1, nil)},
			variant{"SZO-SCD alpha=1 p=0", cfg("szo-scd", 1, 0.1, prune(0))})
		exps = append(exps, e)
	}
	return exps
}

// names are the display names of the optimizers.
var names = map[string]string{"szo-scd": "SZO-SCD", "zadam": "ZAdam", "znewton": "ZNewton", "stp": "STP", "flops": "FLOPS", "admm": "ADMM"}

// configKey is a file-safe name of a configuration (without seed and noise).
func configKey(c train.Config) string {
	k := fmt.Sprintf("%s_a%g_s%g_p%g_d%g", c.Optimizer, c.Alpha, c.S, c.P, c.Step)
	if c.Stale {
		k += "_stale"
	}
	switch c.Optimizer {
	case "admm":
		k += fmt.Sprintf("_l%g", c.Lambda)
	case "flops":
		k += fmt.Sprintf("_q%d_mu%g", c.Q, c.Mu)
	case "zadam", "znewton":
		k += fmt.Sprintf("_mu%g", c.Mu)
	}
	return strings.ReplaceAll(k, "+", "")
}
