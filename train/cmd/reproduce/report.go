package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/train/internal/limitio"
)

// group is the runs of one variant of one experiment at one noise level.
type group struct {
	exp     experiment
	noise   string
	v       variant
	runs    []result
	curves  [][]train.Record
	missing int
}

// load reads the finished runs of a group. A run file that is not this job's finished run
// (another configuration or budget, cut short) is an error: the report never averages a
// run it did not ask for.
func load(o options, e experiment, noise string, v variant) (*group, error) {
	g := &group{exp: e, noise: noise, v: v}
	for seed := int64(1); seed <= int64(e.seeds(o)); seed++ {
		j := e.job(o, noise, v, seed)
		r, c, err := j.finished(o.out)
		if errors.Is(err, os.ErrNotExist) {
			g.missing++
			continue
		} else if err != nil {
			return nil, fmt.Errorf("%w (rerun it without -report-only)", err)
		}
		g.runs = append(g.runs, r)
		g.curves = append(g.curves, c)
	}
	return g, nil
}

// readCurve reads a curve written by train.WriteCSV, from a regular file of at most
// maxCurveFile bytes.
func readCurve(path string) ([]train.Record, error) {
	c, _, err := readCurveFile(path)
	return c, err
}

// readCurveFile reads a curve as readCurve does, and returns the file's bytes too.
func readCurveFile(path string) ([]train.Record, []byte, error) {
	b, err := readFile(path, maxCurveFile)
	if err != nil {
		return nil, nil, err
	}
	c, err := train.ReadCSV(bytes.NewReader(b))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, b, nil
}

// readFile reads a regular file of at most limit bytes.
func readFile(path string, limit int64) ([]byte, error) {
	f, _, err := limitio.Open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// mean and sd of a field over the group's runs (NaN when there are none).
func (g *group) mean(f func(result) float64) float64 {
	if len(g.runs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, r := range g.runs {
		s += f(r)
	}
	return s / float64(len(g.runs))
}

func (g *group) sd(f func(result) float64) float64 {
	if len(g.runs) < 2 {
		return 0
	}
	m, s := g.mean(f), 0.0
	for _, r := range g.runs {
		s += (f(r) - m) * (f(r) - m)
	}
	return math.Sqrt(s / float64(len(g.runs)-1))
}

func deployed(r result) float64 { return r.DeployedAcc }
func kept(r result) float64     { return r.KeptAcc }
func final(r result) float64    { return r.FinalAcc }
func best(r result) float64     { return r.BestAcc }
func ideal(r result) float64    { return r.IdealAcc }
func powerEnd(r result) float64 { return r.PowerFinal }
func paperEnd(r result) float64 { return r.PaperPowerFinal }
func paper0(r result) float64   { return r.PaperPowerInitial }
func power0(r result) float64   { return r.PowerInitial }
func energy(r result) float64   { return r.Energy }
func fullPow(r result) float64  { return r.FullPower }

// curve is the record-wise mean of the group's curves (cut to the shortest; the records
// of one configuration fall at the same queries for every seed).
func (g *group) curve() series {
	s := series{label: g.v.Label}
	if len(g.curves) == 0 {
		return s
	}
	n := len(g.curves[0])
	for _, c := range g.curves {
		n = min(n, len(c))
	}
	for k := range n {
		var q, a, p float64
		for _, c := range g.curves {
			q += float64(c[k].Queries)
			a += c[k].Accuracy
			p += c[k].Power
		}
		m := float64(len(g.curves))
		s.queries = append(s.queries, q/m)
		s.acc = append(s.acc, a/m)
		s.power = append(s.power, p/m)
	}
	return s
}

// reach returns the queries at which the mean curve first reaches accuracy target
// (-1 if never).
// peak returns the highest accuracy of the mean curve.
func (g *group) peak() float64 {
	p := math.Inf(-1)
	for _, a := range g.curve().acc {
		p = max(p, a)
	}
	return p
}

func (g *group) reach(target float64) float64 {
	s := g.curve()
	for k, a := range s.acc {
		if a >= target {
			return s.queries[k]
		}
	}
	return -1
}

// at returns the mean curve's accuracy at its first record at or after q queries (NaN
// if the curve ends before).
func (g *group) at(q float64) float64 {
	s := g.curve()
	for k, x := range s.queries {
		if x >= q {
			return s.acc[k]
		}
	}
	return math.NaN()
}

// bestUpTo returns the mean over the group's runs of each run's best test accuracy among
// its records up to q queries (the paper's "Best Acc." protocol, cut at a budget).
func (g *group) bestUpTo(q float64) float64 {
	if len(g.curves) == 0 {
		return math.NaN()
	}
	sum := 0.0
	for _, c := range g.curves {
		b := math.Inf(-1)
		for _, r := range c {
			if float64(r.Queries) <= q {
				b = max(b, r.Accuracy)
			}
		}
		sum += b
	}
	return sum / float64(len(g.curves))
}

// protocols are the accuracies of a group under each protocol a claim may be judged by:
// the best test accuracy seen up to 20k and 60k queries and over the whole budget (the
// paper's "Best Acc.", chosen on the test set), the test accuracy of the state the
// validation split ranked best (kept), and the accuracy at the end (final).
func (g *group) protocols() string {
	if g == nil {
		return ""
	}
	return fmt.Sprintf("%s / %s / %s · %s · %s", f2(g.bestUpTo(20_000)), f2(g.bestUpTo(60_000)), f2(g.mean(best)), f2(g.mean(kept)), f2(g.mean(final)))
}

// suite is every group of the report, by experiment, noise and label.
type suite map[string]*group

func (s suite) get(id, noise, label string) *group {
	if g := s[id+"|"+noise+"|"+label]; g != nil && len(g.runs) > 0 {
		return g
	}
	return nil
}

func report(o options, stderr io.Writer) error {
	all := suite{}
	var md strings.Builder
	var exps []experiment
	for _, e := range experiments() {
		if o.only == nil || o.only[e.ID] {
			exps = append(exps, e)
		}
	}
	total, missing := 0, 0
	var wall, queries float64
	counted := map[string]bool{} // a run can serve several experiments
	for _, e := range exps {
		for _, nz := range e.Chips {
			for _, v := range e.Vars {
				g, err := load(o, e, nz, v)
				if err != nil {
					return err
				}
				all[e.ID+"|"+nz+"|"+v.Label] = g
				for _, r := range g.runs {
					id := fmt.Sprint(e.Model, nz, r.Config, r.Seed)
					if !counted[id] {
						counted[id] = true
						total++
						wall += r.WallS
						queries += float64(r.Queries)
					}
				}
				if id := fmt.Sprint("missing", e.Model, nz, e.job(o, nz, v, 1).Key); g.missing > 0 && !counted[id] {
					counted[id] = true
					missing += g.missing
				}
			}
		}
	}
	if total == 0 {
		return fmt.Errorf("no finished runs in %s: run without -report-only first", o.out)
	}

	writeSetup(&md, o, exps, all, total, missing, wall, queries)
	var scaling strings.Builder
	scaled, err := writeScaling(&scaling, o, all)
	if err != nil {
		return err
	}
	writeClaims(&md, all, scaled...)
	writeTuning(&md, all)
	writeMargin(&md, all)
	writeScale(&md, all)
	md.WriteString(scaling.String())
	writeDecisions(&md, all)
	writeDiscussion(&md)
	for _, e := range exps {
		if err := writeExperiment(&md, o, e, all); err != nil {
			return err
		}
	}
	path := filepath.Join(o.out, "REPORT.md")
	if err := writeAtomic(path, []byte(md.String())); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "reproduce: wrote %s (%d runs, %d missing)\n", path, total, missing)
	return nil
}

func writeSetup(md *strings.Builder, o options, exps []experiment, all suite, total, missing int, wall, queries float64) {
	fmt.Fprintf(md, "# meshlight: the method's experiments, reproduced\n\n")
	fmt.Fprintf(md, "Generated by `make reproduce` (`go run ./train/cmd/reproduce`) from %d runs", total)
	if missing > 0 {
		fmt.Fprintf(md, " (**%d runs missing**: their rows average fewer seeds or are absent)", missing)
	}
	fmt.Fprintf(md, ". Every number is a mean over seeds 1..%d; each seed fixes the chip (noise draw and active set), the data order and the optimizer's choices.\n\n", o.seeds)
	fmt.Fprintf(md, "Setup:\n\n")
	models := map[string]bool{}
	for _, e := range exps {
		if models[e.Model] {
			continue
		}
		models[e.Model] = true
		ideal, budgets := math.NaN(), map[int64]bool{}
		for _, g := range all {
			if g.exp.Model == e.Model && len(g.runs) > 0 {
				ideal = g.runs[0].IdealAcc
				budgets[g.runs[0].Budget] = true
			}
		}
		qs := slices.Sorted(maps.Keys(budgets))
		fmt.Fprintf(md, "- `%s`: ideal-chip test accuracy %.2f%% (the model file's), budgets %s queries per run.\n", e.Model, ideal, strings.Trim(fmt.Sprint(qs), "[]"))
	}
	fmt.Fprintf(md, "- Chips (`photonics.Presets`): *paper* is the method's chip: phase-shifter drift gamma std 2e-3 in the units of gamma = pi / V_pi^2 at V_pi = 4.36 V (a relative drift of 1.21%%, truncated at 2 sd as the authors' code draws it), crosstalk 2e-3 between adjacent devices from active heaters only, and 8-bit control of the active phases (one code = 2 pi / 256 = 0.0245 rad); Sigma phases are folded into [0, pi] and every active phase is on the code grid. *strong* is 1.5x the drift and crosstalk. Ablation rows: *continuous* (no DAC), *heat all* (passive devices heat too, as the authors' code does), *shadow* (full-precision optimizer phases rounded by the chip, the step decaying without a floor, as the authors' code does).\n")
	fmt.Fprintf(md, "- Minibatch 32; step size x0.985 per epoch (one epoch = one pass over the shipped training pool) but never below one code, and always a whole number of codes; test accuracy on the shipped test set every 1/40 of the budget (1/200 for 2M-query runs, 1/400 for Fig. 4; not counted as queries). Power = sum of the active phases (rad); energy = power summed over queries.\n")
	fmt.Fprintf(md, "- SZO-SCD steps one code (the method's 0.02, \"8-bit control precision\") and queries the loss of the chip as it is after a step back (the method's 1.5 T alpha s d queries). Every baseline's step and radius is the best of the same tuning grid (below). ADMM is SZO-SCD without pruning on L + lambda * P, the power P being the sum of the active phases, with a dual step lambda <- max(0, lambda + 1e-3 (P - B) / B) after every iteration toward the budget B (the deployed power, or 90%% of it).\n")
	fmt.Fprintf(md, "- Read against the authors' code (JeremieMelo/L2ight: `core/optimizer/mixedtrain.py` `MixedTrainOptimizer.zo_coordinate_descent`; `core/models/layers/utils.py` `PhaseQuantizer`, `ThermalCrosstalkSimulator`; `config/mnist/cnn3/mixedtrain/learn.yml`; `core/builder.py` `make_scheduler`; `core/optimizer/flops.py` `FLOPSOptimizer` with `config/mnist/cnn3/flops/learn.yml`; and the same quantizer in JeremieMelo/pytorch-onn `torchonn/op/mzi_op.py`); where we follow it and where not is in the discussion.\n")
	fmt.Fprintf(md, "- Throughput of these runs: %.0f ONN queries per second per core on average over all models, including test evaluations (%.0f queries in %.0f s of run time). The PyTorch reference does about 120 queries/s on the MNIST MLP.\n\n", queries/wall, queries, wall)
}

// claim is one line of the verdict table.
// Each claim names the group whose protocols it shows and the protocol its verdict uses.
type claim struct {
	what, paper, ours, verdict string
	protocol                   string // the accuracy the verdict judges: "final", "best", "kept", or "power" (final power)
	primary                    *group // the group whose accuracies under every protocol the table shows
}

// modelName is the network an experiment runs on, for claims.
func modelName(all suite, id string) string {
	for _, g := range all {
		if g.exp.ID == id {
			switch g.exp.Model {
			case "mnist8-mlp.json":
				return "MNIST 8x8 MLP"
			case "vowel-mlp.json":
				return "vowel MLP"
			case "mnist16-cnn.json":
				return "MNIST 16x16 CNN"
			case "fmnist32-cnn.json":
				return "FMNIST 32x32 CNN"
			}
			return g.exp.Model
		}
	}
	return id
}

func writeClaims(md *strings.Builder, all suite, more ...claim) {
	type check func() (claim, bool)
	var checks []check
	for _, nz := range chips {
		checks = append(checks,
			func() (claim, bool) { return claimRecovery(all, nz) },
			func() (claim, bool) {
				return claimBaselines(all, "table1", nz, "SZO-SCD 93.5, ZAdam 88.1, STP 90.2, FLOPS 83.5")
			},
			func() (claim, bool) { return claimDense(all, nz) })
	}
	for _, id := range []string{"fig4", "fig4-vowel"} {
		checks = append(checks, func() (claim, bool) { return claimAlpha(all, id) })
	}
	for _, key := range []string{"fig6", "fig6 sigma", "fig6 authors", "fig6 margin", "fig6-vowel", "fig6-vowel margin", "fig6c", "margin"} {
		checks = append(checks, func() (claim, bool) { return claimPruning(all, key) })
	}
	for _, id := range []string{"fig6", "fig6-vowel"} {
		checks = append(checks, func() (claim, bool) { return claimTotal(all, id) })
	}
	checks = append(checks, func() (claim, bool) { return claimADMM(all) })
	for _, id := range []string{"table2", "table4"} {
		checks = append(checks,
			func() (claim, bool) { return claimCNN(all, id) },
			func() (claim, bool) { return claimBaselines(all, id, "paper", "SZO-SCD above the baselines") })
	}
	fmt.Fprintf(md, `## Claims and verdicts

On the method's chip (*paper*) unless the claim names the *strong* chip. Protocols: the
paper reports "Best Acc." (its Table 1 column; the authors' configurations keep the best
checkpoints by test accuracy), which is a state chosen on the test set. We give, for the
claim's main configuration, the best test accuracy seen up to 20k and 60k queries and over
the whole budget, then *kept*, the test accuracy of the state a held-out tenth of the
training pool ranked best (chosen without the test set, and programmed back at the end),
then *final*, what the chip holds at the end of the budget. The verdict column says which
protocol it judges by.

| claim | paper | ours | best ≤20k / ≤60k / all · kept · final (%%) | verdict (protocol) |
| --- | --- | --- | --- | --- |
`)
	for _, c := range more {
		checks = append(checks, func() (claim, bool) { return c, true })
	}
	for _, f := range checks {
		if c, ok := f(); ok {
			fmt.Fprintf(md, "| %s | %s | %s | %s | %s (%s) |\n", c.what, c.paper, c.ours, c.primary.protocols(), c.verdict, c.protocol)
		}
	}
	md.WriteString("\n")
}

func f2(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// chipNote names the chip in a claim: nothing for the method's chip.
func chipNote(nz string) string {
	if nz == "paper" {
		return ""
	}
	return ", " + nz + " chip"
}

func claimRecovery(all suite, nz string) (claim, bool) {
	g := all.get("table1", nz, "SZO-SCD")
	if g == nil {
		return claim{}, false
	}
	id, dep, fin := g.mean(ideal), g.mean(deployed), g.mean(final)
	c := claim{what: fmt.Sprintf("MNIST 8x8 MLP%s, alpha 0.15, s 0.1: SZO-SCD recovers most of the deployment drop", chipNote(nz)),
		paper: "recovers (93.5% Best Acc.)", protocol: "final; best and kept beside", primary: g}
	drop := id - dep
	c.ours = fmt.Sprintf("ideal %s%%, deployed %s%%, final %s%% (best on the way %s%%)", f2(id), f2(dep), f2(fin), f2(g.mean(best)))
	for _, alt := range []string{"SZO-SCD margin", "SZO-SCD continuous, paper's step", "SZO-SCD continuous", "SZO-SCD continuous d=0.005", "SZO-SCD stale", "SZO-SCD heat all", "SZO-SCD shadow", "SZO-SCD shadow d=0.02", "SZO-SCD shadow d=0.005"} {
		if a := all.get("table1", nz, alt); a != nil {
			c.ours += fmt.Sprintf("; %s: deployed %s%%, final %s%% (best %s%%, kept %s%%)", strings.TrimPrefix(alt, "SZO-SCD "), f2(a.mean(deployed)), f2(a.mean(final)), f2(a.mean(best)), f2(a.mean(kept)))
		}
	}
	switch {
	case drop < 1:
		c.verdict = fmt.Sprintf("untestable: deployment costs only %s points; SZO-SCD then ends %s points from deployed", f2(drop), f2(fin-dep))
	default:
		c.verdict = recoveryVerdict(fin-dep, drop) + fmt.Sprintf(" at the end; by the paper's protocol (best seen) %.0f%%, kept %.0f%%",
			100*(g.mean(best)-dep)/drop, 100*(g.mean(kept)-dep)/drop)
		if m := all.get("table1", nz, "SZO-SCD margin"); m != nil {
			c.verdict += fmt.Sprintf("; SZO-SCD margin: %.0f%% at the end", 100*(m.mean(final)-m.mean(deployed))/(m.mean(ideal)-m.mean(deployed)))
		}
	}
	return c, true
}

// recoveryVerdict judges a gain over deployment against the drop from ideal (>= 1 point).
func recoveryVerdict(gain, drop float64) string {
	switch {
	case gain/drop >= 0.5:
		return fmt.Sprintf("holds: recovers %.0f%% of the drop", 100*gain/drop)
	case gain < 0:
		return fmt.Sprintf("does not hold: ends %s points below the deployed chip", f2(-gain))
	}
	return fmt.Sprintf("does not hold: recovers %.0f%% of the drop", 100*gain/drop)
}

var baselineLabels = []string{"ZAdam", "ZNewton", "STP", "FLOPS"}

// claimBaselines compares SZO-SCD with the four baselines of experiment id at the end of
// the budget and after a tenth of it.
func claimBaselines(all suite, id, nz, paper string) (claim, bool) {
	g := all.get(id, nz, "SZO-SCD")
	if g == nil {
		return claim{}, false
	}
	c := claim{what: fmt.Sprintf("%s%s: SZO-SCD ends above every baseline at equal queries", modelName(all, id), chipNote(nz)), paper: paper,
		protocol: "final; best seen beside", primary: g}
	szo := g.mean(final)
	parts := []string{"SZO-SCD " + f2(szo)}
	beaten, n, bestName, bestAcc := 0, 0, "", -1.0
	for _, b := range baselineLabels {
		bg := all.get(id, nz, b)
		if bg == nil {
			continue
		}
		n++
		a := bg.mean(final)
		parts = append(parts, b+" "+f2(a))
		if szo > a {
			beaten++
		}
		if a > bestAcc {
			bestName, bestAcc = b, a
		}
	}
	if n == 0 {
		return claim{}, false
	}
	c.ours = "final: " + strings.Join(parts, ", ")
	early := float64(g.runs[0].Budget) / 10
	var eparts []string
	for _, l := range append([]string{"SZO-SCD"}, baselineLabels...) {
		if bg := all.get(id, nz, l); bg != nil {
			eparts = append(eparts, l+" "+f2(bg.at(early)))
		}
	}
	c.ours += fmt.Sprintf("; after %.0f queries: %s", early, strings.Join(eparts, ", "))
	var bparts []string
	bestSeen, bestSeenName := g.mean(best), "SZO-SCD"
	for _, l := range append([]string{"SZO-SCD", "SZO-SCD margin"}, baselineLabels...) {
		if bg := all.get(id, nz, l); bg != nil {
			bparts = append(bparts, l+" "+f2(bg.mean(best)))
			if bg.mean(best) > bestSeen && l != "SZO-SCD margin" {
				bestSeen, bestSeenName = bg.mean(best), l
			}
		}
	}
	c.ours += "; best seen: " + strings.Join(bparts, ", ")
	if m := all.get(id, nz, "SZO-SCD margin"); m != nil {
		c.ours += "; SZO-SCD margin final " + f2(m.mean(final))
	}

	spread := g.sd(final)
	switch {
	case beaten == n:
		c.verdict = "holds"
	case bestAcc-szo <= max(spread, 0.1):
		c.verdict = fmt.Sprintf("a tie: %s ends %s points above SZO-SCD, within the seeds' spread (sd %s)", bestName, f2(bestAcc-szo), f2(spread))
	default:
		c.verdict = fmt.Sprintf("does not hold: best is %s (%s%%), %s points above SZO-SCD; SZO-SCD beats %d of %d", bestName, f2(bestAcc), f2(bestAcc-szo), beaten, n)
	}
	if bestSeenName == "SZO-SCD" {
		c.verdict += "; by best seen (the paper's protocol) SZO-SCD is highest"
	} else {
		c.verdict += fmt.Sprintf("; by best seen (the paper's protocol) %s is highest (%s%%, SZO-SCD %s%%)", bestSeenName, f2(bestSeen), f2(g.mean(best)))
	}
	return c, true
}

func claimDense(all suite, nz string) (claim, bool) {
	c := claim{what: fmt.Sprintf("MNIST 8x8 MLP%s: dense variants (alpha 1, s 1) do worse / diverge", chipNote(nz)), paper: "dense variants diverge",
		protocol: "final", primary: all.get("table1", nz, "SZO-SCD dense")}
	var parts []string
	worse, n := 0, 0
	for _, b := range append([]string{"SZO-SCD"}, baselineLabels...) {
		d, s := all.get("table1", nz, b+" dense"), all.get("table1", nz, b)
		if d == nil || s == nil {
			continue
		}
		n++
		parts = append(parts, fmt.Sprintf("%s %s (deployed %s)", b, f2(d.mean(final)), f2(d.mean(deployed))))
		if d.mean(final) < s.mean(final) {
			worse++
		}
	}
	if n == 0 {
		return claim{}, false
	}
	c.ours = strings.Join(parts, ", ")
	c.verdict = fmt.Sprintf("%d of %d dense variants end below their sparse variant", worse, n)
	if worse == n {
		c.verdict = "holds: " + c.verdict
	} else {
		c.verdict = "partly: " + c.verdict
	}
	return c, true
}

func claimAlpha(all suite, id string) (claim, bool) {
	const nz = "paper"
	one := all.get(id, nz, "alpha=1")
	if one == nil {
		return claim{}, false
	}
	small := []string{"alpha=0.05", "alpha=0.1", "alpha=0.15"}
	target := one.peak() // of the mean curves, so that each of them reaches it
	for _, l := range small {
		if g := all.get(id, nz, l); g != nil {
			target = min(target, g.peak())
		}
	}
	target -= 0.5
	show := func(q float64) string {
		switch {
		case q == 0:
			return "at deployment"
		case q < 0:
			return "never"
		}
		return fmt.Sprintf("%.0f", q)
	}
	// half: queries to close half of a group's own drop from ideal (-2 if no drop).
	half := func(g *group) float64 {
		dep, id := g.mean(deployed), g.mean(ideal)
		if id-dep < 1 {
			return -2
		}
		return g.reach(dep + (id-dep)/2)
	}
	showHalf := func(q float64) string {
		if q == -2 {
			return "no drop"
		}
		return show(q)
	}
	q1, h1 := one.reach(target), half(one)
	var parts, halves []string
	ratioOK, trivial, never := true, true, false
	halfLo, halfHi, halfOK := math.Inf(1), 0.0, h1 > 0 // speed-ups in closing half the own drop
	for _, l := range small {
		g := all.get(id, nz, l)
		if g == nil {
			continue
		}
		q := g.reach(target)
		parts = append(parts, l+": "+show(q))
		h := half(g)
		halves = append(halves, l+": "+showHalf(h))
		if h > 0 && h1 > 0 {
			halfLo, halfHi = min(halfLo, h1/h), max(halfHi, h1/h)
		} else {
			halfOK = false
		}
		if q != 0 {
			trivial = false
		}
		if q < 0 {
			never = true
		}
		if q1 <= 0 || q < 0 || (q > 0 && q1/q < 3) {
			ratioOK = false
		}
	}
	parts = append(parts, "alpha=1: "+show(q1))
	halves = append(halves, "alpha=1: "+showHalf(half(one)))
	c := claim{what: fmt.Sprintf("%s: alpha 0.05-0.15 reaches a given accuracy (here %s%%, just under the lowest peak of the mean curves) with >= 3x fewer queries than alpha 1", modelName(all, id), f2(target)),
		paper: "3.7x-7.6x fewer queries", protocol: "queries to an accuracy on the mean curve", primary: all.get(id, nz, "alpha=0.15"),
		ours: "queries to reach it: " + strings.Join(parts, ", ") + "; queries to close half of the own drop from ideal: " + strings.Join(halves, ", ")}
	switch {
	case never:
		c.verdict = "does not hold: a small alpha never reaches it"
	case q1 < 0:
		c.verdict = "holds: alpha 1 never reaches it within the budget"
	case trivial && halfOK && halfLo >= 3:
		c.verdict = fmt.Sprintf("holds: small alpha starts above it (less crosstalk with fewer active heaters), and closes half of its own drop from ideal with %.1fx-%.1fx fewer queries than alpha 1", halfLo, halfHi)
	case trivial && q1 > 0:
		c.verdict = fmt.Sprintf("holds, trivially: with fewer active heaters there is less crosstalk, so small alpha is above it when deployed; alpha 1 needs %.0f queries", q1)
	case ratioOK:
		c.verdict = "holds"
	default:
		c.verdict = "does not hold (see the queries)"
	}
	return c, true
}

// pruningPairs are the runs each pruning claim compares: p = 1 against p = 0.
var pruningPairs = map[string][2]string{
	"fig6": {"p=1", "p=0"}, "fig6-vowel": {"p=1", "p=0"}, "fig6c": {"p=1", "p=0"},
	"margin":            {"SZO-SCD (the method's rule)", "SZO-SCD p=0"},
	"fig6 sigma":        {"sigma per block p=1", "sigma per block p=0"},
	"fig6 authors":      {"authors' setup p=1", "authors' setup p=0"},
	"fig6 margin":       {"margin p=1", "margin p=0"},
	"fig6-vowel margin": {"margin p=1", "margin p=0"},
}

// claimPruning compares the final power of p = 1 and p = 0 in experiment key (an
// experiment ID, then optionally which pair of its rows): as the paper counts it
// (Chip.PaperPower, the verdict's) and as the chip dissipates it.
func claimPruning(all suite, key string) (claim, bool) {
	const nz = "paper"
	id, which, _ := strings.Cut(key, " ")
	pair := pruningPairs[key]
	p1, p0 := all.get(id, nz, pair[0]), all.get(id, nz, pair[1])
	if p1 == nil || p0 == nil {
		return claim{}, false
	}
	cut := 1 - p1.mean(paperEnd)/p0.mean(paperEnd)
	phys := 1 - p1.mean(powerEnd)/p0.mean(powerEnd)
	ecut := 1 - p1.mean(energy)/p0.mean(energy)
	rise := func(g *group) float64 { return g.mean(paperEnd) - g.mean(paper0) }
	loss := p0.mean(final) - p1.mean(final)
	setting := map[string]string{"": "", "sigma": ", each block's Sigma scaled by its own largest singular value",
		"authors": ", the authors' setup (per-block Sigma, full-precision unfolded optimizer phases)", "margin": ", szo-scd-margin"}[which]
	what := fmt.Sprintf("%s%s: pruning p = 1 ends with >= 30%% less power than p = 0, for <= 1 point of accuracy", modelName(all, id), setting)
	if budget := p1.runs[0].Budget; budget > mlpQueries && id == "fig6c" {
		what = fmt.Sprintf("%s over %d queries (seed 1): pruning p = 1 ends with >= 30%% less power than p = 0", modelName(all, id), budget)
	} else if budget > mlpQueries {
		what = fmt.Sprintf("%s over %d queries: pruning p = 1 ends with >= 30%% less power than p = 0", modelName(all, id), budget)
	}
	c := claim{what: what, paper: "30-50% less power", protocol: "final power as the paper counts it", primary: p1,
		ours: fmt.Sprintf("as the paper counts it (Sigma unfolded): %.0f vs %.0f rad (%.0f%% less; change over the run %+.0f vs %+.0f rad); as the chip dissipates it: %.0f vs %.0f rad (%.0f%% less; energy %.0f%% less); accuracy %s vs %s%%",
			p1.mean(paperEnd), p0.mean(paperEnd), 100*cut, rise(p1), rise(p0), p1.mean(powerEnd), p0.mean(powerEnd), 100*phys, 100*ecut, f2(p1.mean(final)), f2(p0.mean(final)))}
	switch {
	case cut >= 0.3 && loss <= 1:
		c.verdict = "holds"
	case cut >= 0.3:
		c.verdict = fmt.Sprintf("does not hold: power cut, but %s points of accuracy lost", f2(loss))
	default:
		c.verdict = fmt.Sprintf("does not hold: %.0f%% less power", 100*cut)
	}
	return c, true
}

func claimTotal(all suite, id string) (claim, bool) {
	const nz = "paper"
	mixed, full := all.get(id, nz, "p=1"), all.get(id, nz, "alpha=1 p=0")
	if mixed == nil || full == nil {
		return claim{}, false
	}
	save := 1 - mixed.mean(powerEnd)/full.mean(powerEnd)
	esave := 1 - mixed.mean(energy)/full.mean(energy)
	c := claim{what: fmt.Sprintf("%s: mixed training (alpha 0.15, p 1) uses about 90%% less power than alpha 1 (p 0)", modelName(all, id)),
		paper: ">90% power saving", protocol: "final power", primary: mixed,
		ours: fmt.Sprintf("power %.0f vs %.0f rad (%.1f%% less), energy %.1f%% less; accuracy %s vs %s%%",
			mixed.mean(powerEnd), full.mean(powerEnd), 100*save, 100*esave, f2(mixed.mean(final)), f2(full.mean(final)))}
	if save >= 0.85 {
		c.verdict = "holds"
	} else {
		c.verdict = fmt.Sprintf("does not hold: %.0f%% saving", 100*save)
	}
	return c, true
}

// admmLabels are Table 3's penalty variants.
var admmLabels = []string{"ADMM lambda=0.05", "ADMM lambda=0.1", "ADMM lambda=0.2", "ADMM lambda=0.3", "ADMM lambda=1", "ADMM lambda=0.1 budget=0.9"}

func claimADMM(all suite) (claim, bool) {
	pr := all.get("table3", "paper", "pruning p=1")
	if pr == nil {
		return claim{}, false
	}
	c := claim{what: "MNIST 8x8 MLP: power-aware pruning beats the Lagrangian/ADMM power penalty (lambda 0.05-1, dual update toward the deployed power or 90% of it)",
		paper: "pruning: lower power at similar accuracy", protocol: "final", primary: pr}
	parts := []string{fmt.Sprintf("pruning %s%% at %.0f rad", f2(pr.mean(final)), pr.mean(powerEnd))}
	if p0 := all.get("table3", "paper", "no pruning p=0"); p0 != nil {
		parts = append(parts, fmt.Sprintf("no pruning %s%% at %.0f rad", f2(p0.mean(final)), p0.mean(powerEnd)))
	}
	var dominated, dominates []string
	for _, l := range admmLabels {
		g := all.get("table3", "paper", l)
		if g == nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s%% at %.0f rad (lambda ends %.3g)", strings.TrimPrefix(l, "ADMM "), f2(g.mean(final)), g.mean(powerEnd),
			g.mean(func(r result) float64 { return r.Multiplier })))
		switch {
		case g.mean(final) >= pr.mean(final) && g.mean(powerEnd) <= pr.mean(powerEnd):
			dominated = append(dominated, strings.TrimPrefix(l, "ADMM "))
		case g.mean(final) <= pr.mean(final) && g.mean(powerEnd) >= pr.mean(powerEnd):
			dominates = append(dominates, strings.TrimPrefix(l, "ADMM "))
		}
	}
	c.ours = strings.Join(parts, "; ")
	switch {
	case len(dominated) > 0:
		c.verdict = "does not hold: " + strings.Join(dominated, ", ") + " is as accurate at lower power"
	case len(dominates) == len(parts)-2:
		c.verdict = "holds: pruning is at least as accurate at lower power than every penalty setting"
	case len(dominates) > 0:
		c.verdict = "a trade-off: no penalty setting is both as accurate and lower in power; pruning dominates " + strings.Join(dominates, ", ")
	default:
		c.verdict = "a trade-off: every penalty setting ends at lower power and lower accuracy than pruning"
	}
	return c, true
}

// claimCNN: SZO-SCD on a CNN recovers, at a fraction of the power of both bases the
// paper's Table 4 caption may mean (alpha = 1, and the same alpha with p = 0).
func claimCNN(all suite, id string) (claim, bool) {
	const nz = "paper"
	g := all.get(id, nz, "SZO-SCD")
	if g == nil {
		return claim{}, false
	}
	c := claim{what: fmt.Sprintf("%s, alpha 0.05, s 0.1, p 1: SZO-SCD recovers at a fraction of the power", modelName(all, id)),
		paper: "recovers; large power saving (Table 4)", protocol: "final; best and kept beside", primary: g}
	c.ours = fmt.Sprintf("ideal %s%%, deployed %s%%, final %s%% (best %s%%, kept %s%%)", f2(g.mean(ideal)), f2(g.mean(deployed)), f2(g.mean(final)), f2(g.mean(best)), f2(g.mean(kept)))
	if m := all.get(id, nz, "SZO-SCD margin"); m != nil {
		c.ours += fmt.Sprintf("; SZO-SCD margin: final %s%% (best %s%%, kept %s%%) at %.0f rad", f2(m.mean(final)), f2(m.mean(best)), f2(m.mean(kept)), m.mean(powerEnd))
	}
	for _, base := range []string{"SZO-SCD alpha=1 p=0", "SZO-SCD p=0"} {
		if b := all.get(id, nz, base); b != nil {
			c.ours += fmt.Sprintf("; power %.0f vs %.0f rad with %s (%.0f%% less; as the paper counts it %.0f vs %.0f rad, %.0f%% less; energy %.0f%% less)", g.mean(powerEnd), b.mean(powerEnd),
				strings.TrimPrefix(base, "SZO-SCD "), 100*(1-g.mean(powerEnd)/b.mean(powerEnd)),
				g.mean(paperEnd), b.mean(paperEnd), 100*(1-g.mean(paperEnd)/b.mean(paperEnd)), 100*(1-g.mean(energy)/b.mean(energy)))
		}
	}
	drop, gain := g.mean(ideal)-g.mean(deployed), g.mean(final)-g.mean(deployed)
	switch {
	case drop < 1:
		c.verdict = fmt.Sprintf("untestable recovery (drop %s points); ends %s points from deployed", f2(drop), f2(gain))
	default:
		c.verdict = recoveryVerdict(gain, drop) + fmt.Sprintf(" at the end; by the paper's protocol (best seen) %.0f%%, kept %.0f%%",
			100*(g.mean(best)-g.mean(deployed))/drop, 100*(g.mean(kept)-g.mean(deployed))/drop)
	}
	return c, true
}

// marginGoal is what issue 17 asks of a margin variant, on the mean of 3 seeds on the
// method's chip: 94% within 15k queries, at least 95% at 200k, and at 2M a final accuracy
// within half a point of the run's best.
const (
	goalAcc, goalQueries = 94.0, 15_000
	goalAt200k           = 95.0
	goalGap              = 0.5
)

// writeMargin reports the margin experiment (the method's rule against noise margins over
// 2M queries) against the goal, and where the margin helps on the other networks.
func writeMargin(md *strings.Builder, all suite) {
	var rows []string
	var verdict string
	for _, v := range experimentByID("margin").Vars {
		g := all.get("margin", "paper", v.Label)
		if g == nil {
			continue
		}
		iters := 0.0
		for _, c := range g.curves {
			iters += float64(c[len(c)-1].Iteration)
		}
		perIter := g.mean(func(r result) float64 { return float64(r.Queries) }) * float64(len(g.curves)) / iters
		to := "never"
		if q := g.reach(goalAcc); q >= 0 {
			to = fmt.Sprintf("%.0f", q)
		}
		gap := g.mean(func(r result) float64 { return r.BestAcc - r.FinalAcc })
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f -> %.0f | %.0f |", v.Label, f2(g.mean(deployed)), to,
			f2(g.bestUpTo(20_000)), f2(g.at(200_000)), f2(g.mean(final)), f2(g.mean(best)), f2(gap), f2(g.mean(kept)), g.mean(power0), g.mean(powerEnd), perIter))
		if v.Cfg.Optimizer == "szo-scd-margin" && !v.Cfg.Margin.On() && v.Cfg.P == 1 {
			q := g.reach(goalAcc)
			ok := []bool{q >= 0 && q <= goalQueries, g.at(200_000) >= goalAt200k, gap <= goalGap}
			verdict = fmt.Sprintf("szo-scd-margin at its defaults (`train.DefaultMargin`): %s%% within %d queries: %s (%s); at least %s%% at 200k: %s (%s%%); final within %s points of the run's best at 2M: %s (%s)",
				f2(goalAcc), goalQueries, yes(ok[0]), to, f2(goalAt200k), yes(ok[1]), f2(g.at(200_000)), f2(goalGap), yes(ok[2]), f2(gap))
		}
	}
	if len(rows) == 0 {
		return
	}
	md.WriteString(`## Keeping what it wins: the method's rule against noise margins

On the method's 8-bit chip SZO-SCD's step cannot shrink below one code, and at one code a
phase's effect on a 32-sample loss is mostly that minibatch's own slope: a touched phase
moves one code in a nearly random direction, the active phases random-walk away from what
the chip learnt, and the accuracy won back early slides away. A noise margin keeps a move
(the +d trial, or the step back, which is queried anyway) only if it lowers the minibatch
loss by more than the margin, and otherwise programs the phase back: no extra query.
` + "`szo-scd-margin`" + ` uses 8 times the running mean of |delta L| over the trials (the size of
the loss changes one code makes, measured as the run goes), ramped in from zero over the
first 100 iterations so that the early recovery runs at the method's speed, and growing by
0.3 per e-fold of iterations after (*growing*): over N trials the largest noise grows like
the square root of ln N, so a fixed margin lets ever more through. *down 0.75* asks a
power-lowering move to clear only three quarters of the margin (pruning's intent); *tau* is
a fixed margin from the start. MNIST 8x8 MLP, paper chip, alpha 0.15, s 0.1, 3 seeds, 2M queries, test
accuracy every 2,000 queries; "to 94%" is on the mean curve, "final - best" the mean over
runs of each run's best minus its final.

| variant | deployed | queries to 94% | best ≤20k | at 200k | final (2M) | best | best - final | kept | power (rad) | queries / iteration |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
`)
	md.WriteString(strings.Join(rows, "\n") + "\n\n")
	if verdict != "" {
		md.WriteString("Goal (issue 17): " + verdict + ".\n\n")
	}
	// Where it helps: the same chips and seeds, the method's rule against the margin.
	var more []string
	for _, w := range []struct{ id, nz, paper, margin string }{
		{"table1", "paper", "SZO-SCD", "SZO-SCD margin"}, {"table1", "strong", "SZO-SCD", "SZO-SCD margin"},
		{"scale", "paper", "SZO-SCD", "SZO-SCD margin"}, {"scale", "strong", "SZO-SCD", "SZO-SCD margin"},
		{"fig6-vowel", "paper", "p=1", "margin p=1"}, {"table2", "paper", "SZO-SCD", "SZO-SCD margin"}, {"table4", "paper", "SZO-SCD", "SZO-SCD margin"},
	} {
		a, b := all.get(w.id, w.nz, w.paper), all.get(w.id, w.nz, w.margin)
		if a == nil || b == nil {
			continue
		}
		more = append(more, fmt.Sprintf("| %s | %s | %d | %s | %s -> %s | %s -> %s | %s -> %s | %s -> %s | %.0f -> %.0f |", experimentByID(w.id).Model, w.nz, a.runs[0].Budget,
			f2(a.mean(deployed)), f2(a.mean(final)), f2(b.mean(final)), f2(a.mean(best)), f2(b.mean(best)), f2(a.mean(kept)), f2(b.mean(kept)),
			f2(a.mean(best)-a.mean(final)), f2(b.mean(best)-b.mean(final)), a.mean(powerEnd), b.mean(powerEnd)))
	}
	if len(more) > 0 {
		md.WriteString("Where the margin helps: each network's SZO-SCD row (the method's rule -> szo-scd-margin), same chips and seeds.\n\n| model | chip | queries | deployed | final | best | kept | best - final | final power (rad) |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
		md.WriteString(strings.Join(more, "\n") + "\n\n")
	}
}

// yes writes a goal's outcome.
func yes(ok bool) string {
	if ok {
		return "met"
	}
	return "missed"
}

// experimentByID returns the experiment of that ID (the zero experiment if none).
func experimentByID(id string) experiment {
	for _, e := range experiments() {
		if e.ID == id {
			return e
		}
	}
	return experiment{}
}

// writeTuning summarises the tuning grid: each optimizer's best configuration.
func writeTuning(md *strings.Builder, all suite) {
	type pick struct {
		label string
		acc   float64
	}
	bestOf := map[string]pick{}
	var order []string
	for _, v := range tuneGrid() {
		g := all.get("tune", "paper", v.Label)
		if g == nil {
			continue
		}
		opt := names[v.Cfg.Optimizer]
		if _, ok := bestOf[opt]; !ok {
			order = append(order, opt)
		}
		if p, ok := bestOf[opt]; !ok || g.mean(final) > p.acc {
			bestOf[opt] = pick{v.Label, g.mean(final)}
		}
	}
	if len(order) == 0 {
		return
	}
	md.WriteString("## Tuning: the same search for every optimizer\n\nSix configurations per optimizer on the method's chip, in whole 8-bit codes (one code = 2 pi / 256 = 0.0245 rad): steps 1, 2, 3, 4, 6, 8 for SZO-SCD and STP; steps 1, 2, 4 by radii 1, 2 for ZAdam, ZNewton and FLOPS. MNIST 8x8 MLP, alpha 0.15, s 0.1, 100k queries, seed 1; the best final accuracy becomes the optimizer's default (`train.DefaultStep`, `train.DefaultMu`) and every other experiment uses it. Best of each:\n\n")
	for _, o := range order {
		fmt.Fprintf(md, "- %s: %s (%s%%)\n", o, bestOf[o].label, f2(bestOf[o].acc))
	}
	md.WriteString("\nThe whole grid is in the tuning section below.\n\n")
}

// writeScale reports, for the chip ten times the method's, the queries and the wall time
// each optimizer needed to win back half of the deployment drop.
func writeScale(md *strings.Builder, all suite) {
	var rows []string
	for _, nz := range chips {
		for _, l := range []string{"SZO-SCD", "FLOPS", "ZNewton"} {
			g := all.get("scale", nz, l)
			if g == nil {
				continue
			}
			dep, id := g.mean(deployed), g.mean(ideal)
			rate := g.mean(func(r result) float64 { return float64(r.Queries) / r.WallS })
			half, wall := "never", ""
			if q := g.reach(dep + (id-dep)/2); q >= 0 {
				half, wall = fmt.Sprintf("%.0f", q), fmt.Sprintf("%.1f", q/rate)
			}
			rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %s | %.0f |", nz, l, f2(dep), f2(g.mean(final)), f2(g.mean(best)), half, wall, rate))
		}
	}
	if len(rows) == 0 {
		return
	}
	md.WriteString(`## Ten times the method's chip (MNIST 28x28 MLP, 26,624 phases)

Queries to win back half of the deployment drop (on the mean curve, evaluated every 1/40 of
the budget), and the wall time that took at the run's mean rate on one core (queries/s,
including test evaluations). SZO-SCD's trials move one phase, so its queries are delta
queries; FLOPS moves 10% of the active phases at once and mostly pays full passes.

| chip | optimizer | deployed | final | best | queries to half | seconds to half | queries/s |
| --- | --- | --- | --- | --- | --- | --- | --- |
`)
	md.WriteString(strings.Join(rows, "\n") + "\n\n")
}

// writeDecisions reports how SZO-SCD's trials went in Table 1: the share of trials
// kept, stepped back and pruned, on the method's chip and its ablations.
func writeDecisions(md *strings.Builder, all suite) {
	var rows []string
	for _, nz := range chips {
		for _, l := range []string{"SZO-SCD", "SZO-SCD stale", "SZO-SCD continuous", "SZO-SCD continuous d=0.005", "SZO-SCD shadow", "SZO-SCD shadow d=0.02", "SZO-SCD shadow d=0.005"} {
			g := all.get("table1", nz, l)
			if g == nil || g.mean(func(r result) float64 { return float64(r.Accepted + r.SteppedBack + r.Pruned) }) == 0 {
				continue
			}
			share := func(f func(result) int64) string {
				return fmt.Sprintf("%.1f%%", 100*g.mean(func(r result) float64 {
					return float64(f(r)) / float64(r.Accepted+r.SteppedBack+r.Pruned)
				}))
			}
			rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s | %.0f -> %.0f | %s -> %s |", nz, l,
				share(func(r result) int64 { return r.Accepted }), share(func(r result) int64 { return r.SteppedBack }),
				share(func(r result) int64 { return r.Pruned }), g.mean(power0), g.mean(powerEnd), f2(g.mean(deployed)), f2(g.mean(final))))
		}
	}
	if len(rows) == 0 {
		return
	}
	md.WriteString(`## How SZO-SCD's trials went (Table 1, alpha 0.15, s 0.1, p 1)

Each trial moves one phase by +d and keeps it if the minibatch loss is lower than the
reference; otherwise the phase steps back to -d (or stays, when pruned), and SZO-SCD
queries the loss of the chip as it now is and makes it the reference: the method's price
of 1.5 T alpha s d queries in its Table 1. *stale* is an ablation without that query (a
later trial is judged against a loss the chip no longer has). *continuous* is a chip
without a DAC (any phase can be programmed), at one code's step or at d = 0.005. *shadow*
is the authors' optimizer: it keeps full-precision phases that the chip rounds to codes
when programmed, and its step decays without a floor (from one code, 0.02 or 0.005 rad).

| chip | variant | kept | stepped back | pruned | power (rad) | accuracy (%) |
| --- | --- | --- | --- | --- | --- | --- |
`)
	md.WriteString(strings.Join(rows, "\n") + "\n\n")
}

// writeDiscussion says where and why the reproduction differs from the paper.
func writeDiscussion(md *strings.Builder) {
	md.WriteString(discussion)
}

// writeExperiment writes the experiment's CSV and plots and its section of the report.
func writeExperiment(md *strings.Builder, o options, e experiment, all suite) error {
	var csv strings.Builder
	csv.WriteString("chip,variant,optimizer,alpha,s,p,step,mu,stale,lambda,power_budget,bits,heat_all,seeds,queries,ideal_acc,deployed_acc,final_acc,final_sd,best_acc,kept_acc,power_initial,power_final,power_final_sd,full_power,energy\n")
	fmt.Fprintf(md, "## %s\n\n", e.Title)
	for _, nz := range e.Chips {
		var ss []series
		fmt.Fprintf(md, "*%s chip* (`%s-%s.png`):\n\n| variant | deployed | final | best | kept | power start -> end (rad) | energy (rad-queries) | seeds |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n", nz, e.ID, nz)
		for _, v := range e.Vars {
			g := all[e.ID+"|"+nz+"|"+v.Label]
			if g == nil || len(g.runs) == 0 {
				fmt.Fprintf(md, "| %s | missing | | | | | | 0 |\n", v.Label)
				continue
			}
			r := g.runs[0]
			fmt.Fprintf(&csv, "%s,%s,%s,%g,%g,%g,%g,%g,%t,%g,%g,%d,%t,%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.2f,%.2f,%.2f,%.2f,%.6g\n",
				nz, v.Label, r.Optimizer, r.Alpha, r.S, r.P, r.Step, r.Mu, r.Stale, r.Lambda, r.PowerBudget, r.Bits, r.HeatAll, len(g.runs), r.Queries,
				g.mean(ideal), g.mean(deployed), g.mean(final), g.sd(final), g.mean(best), g.mean(kept),
				g.mean(power0), g.mean(powerEnd), g.sd(powerEnd), g.mean(fullPow), g.mean(energy))
			fmt.Fprintf(md, "| %s | %s | %s ± %s | %s | %s | %.0f -> %.0f | %.3g | %d |\n", v.Label, f2(g.mean(deployed)), f2(g.mean(final)), f2(g.sd(final)),
				f2(g.mean(best)), f2(g.mean(kept)), g.mean(power0), g.mean(powerEnd), g.mean(energy), len(g.runs))
			ss = append(ss, g.curve())
		}
		md.WriteString("\n")
		if len(ss) > 0 {
			name := fmt.Sprintf("%s-%s.png", e.ID, nz)
			if err := plotCurves(filepath.Join(o.out, name), fmt.Sprintf("%s, %s chip", e.ID, nz), ss); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			fmt.Fprintf(md, "![%s %s](%s)\n\n", e.ID, nz, name)
		}
	}
	return writeAtomic(filepath.Join(o.out, e.ID+".csv"), []byte(csv.String()))
}
