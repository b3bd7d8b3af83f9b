package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/meshlight/meshlight/train"
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

// load reads the finished runs of a group.
func load(o options, e experiment, noise string, v variant) (*group, error) {
	g := &group{exp: e, noise: noise, v: v}
	for seed := int64(1); seed <= int64(e.seeds(o)); seed++ {
		j := job{Model: e.Model, Chip: noise, Key: configKey(v.resolved(noise)), Seed: seed}
		b, err := os.ReadFile(j.path(o.out, ".json"))
		if os.IsNotExist(err) {
			g.missing++
			continue
		}
		if err != nil {
			return nil, err
		}
		var r result
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s: %w", j.path(o.out, ".json"), err)
		}
		c, err := readCurve(j.path(o.out, ".csv"))
		if err != nil {
			return nil, err
		}
		g.runs = append(g.runs, r)
		g.curves = append(g.curves, c)
	}
	return g, nil
}

// readCurve reads a curve written by train.WriteCSV.
func readCurve(path string) ([]train.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var c []train.Record
	for line := 0; sc.Scan(); line++ {
		if line == 0 {
			if sc.Text() != train.CSVHeader {
				return nil, fmt.Errorf("%s: header %q, want %q", path, sc.Text(), train.CSVHeader)
			}
			continue
		}
		f := strings.Split(sc.Text(), ",")
		if len(f) != 8 {
			return nil, fmt.Errorf("%s:%d: %d fields, want 8", path, line+1, len(f))
		}
		var v [8]float64
		for i, s := range f {
			if v[i], err = strconv.ParseFloat(s, 64); err != nil {
				return nil, fmt.Errorf("%s:%d: field %d: %w", path, line+1, i+1, err)
			}
		}
		c = append(c, train.Record{Queries: int64(v[0]), Iteration: int(v[1]), Epoch: int(v[2]),
			Step: v[3], Loss: v[4], Accuracy: v[5], Power: v[6], Energy: v[7]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(c) == 0 {
		return nil, fmt.Errorf("%s: no records", path)
	}
	return c, nil
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
func final(r result) float64    { return r.FinalAcc }
func best(r result) float64     { return r.BestAcc }
func ideal(r result) float64    { return r.IdealAcc }
func powerEnd(r result) float64 { return r.PowerFinal }
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
				if g.missing > 0 && !counted[fmt.Sprint("missing", e.Model, nz, configKey(v.resolved(nz)))] {
					counted[fmt.Sprint("missing", e.Model, nz, configKey(v.resolved(nz)))] = true
					missing += g.missing
				}
			}
		}
	}
	if total == 0 {
		return fmt.Errorf("no finished runs in %s: run without -report-only first", o.out)
	}

	writeSetup(&md, o, exps, all, total, missing, wall, queries)
	writeClaims(&md, all)
	writeDecisions(&md, all)
	writeDiscussion(&md)
	for _, e := range exps {
		if err := writeExperiment(&md, o, e, all); err != nil {
			return err
		}
	}
	path := filepath.Join(o.out, "REPORT.md")
	if err := os.WriteFile(path, []byte(md.String()), 0o644); err != nil {
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
		for _, g := range all {
			if g.exp.Model == e.Model && len(g.runs) > 0 {
				r := g.runs[0]
				fmt.Fprintf(md, "- `%s`: ideal-chip test accuracy %.2f%% (the model file's), budget %d queries per run.\n", e.Model, r.IdealAcc, r.Budget)
				break
			}
		}
	}
	fmt.Fprintf(md, "- Noise: *paper* = drift sigma 2e-3 and crosstalk 2e-3 (DESIGN's defaults); *strong* = 1e-2 and 1e-2, five times larger, because at the paper's level our chips lose little accuracy at small alpha (see the claims).\n")
	fmt.Fprintf(md, "- Minibatch 32; step size x0.985 per epoch (one epoch = one pass over the shipped training pool); test accuracy on the shipped test set every 1/40 of the budget (not counted as queries). Power = sum of the active phases (rad); energy = power summed over queries.\n")
	fmt.Fprintf(md, "- SZO-SCD re-queries the loss after every step back, as the authors' own code does, and starts from step d = 0.005, the best of the grid the baselines were tuned on (see `train.DefaultStep`). *d=0.02* is the same with the method's step; *stale d=0.02* is the algorithm exactly as the paper's text reads (no query after a step back, the old reference kept, d = 0.02). Baselines use their tuned steps (ZAdam, ZNewton, STP 0.005, FLOPS 0.05 with Q = 60).\n")
	fmt.Fprintf(md, "- Throughput of these runs: %.0f ONN queries per second per core on average over all models, including test evaluations (%.0f queries in %.0f s of run time). The PyTorch reference does about 120 queries/s on the MNIST MLP.\n\n", queries/wall, queries, wall)
}

// claim is one line of the verdict table.
type claim struct{ what, paper, ours, verdict string }

func writeClaims(md *strings.Builder, all suite) {
	var cs []claim
	add := func(c claim) { cs = append(cs, c) }
	claims := []func(suite, string) (claim, bool){claimRecovery, claimBaselines, claimDense,
		claimAlpha, claimPruning, claimTotal, claimADMM,
		func(all suite, nz string) (claim, bool) { return claimCNN(all, "table2", nz) },
		func(all suite, nz string) (claim, bool) { return claimCNN(all, "table4", nz) }}
	for _, nz := range []string{"paper", "strong"} {
		for _, f := range claims {
			if c, ok := f(all, nz); ok {
				add(c)
			}
		}
	}
	fmt.Fprintf(md, "## Claims and verdicts\n\n| claim | paper | ours | verdict |\n| --- | --- | --- | --- |\n")
	for _, c := range cs {
		fmt.Fprintf(md, "| %s | %s | %s | %s |\n", c.what, c.paper, c.ours, c.verdict)
	}
	md.WriteString("\n")
}

func f2(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

func claimRecovery(all suite, nz string) (claim, bool) {
	g := all.get("table1", nz, "SZO-SCD")
	if g == nil {
		return claim{}, false
	}
	id, dep, fin := g.mean(ideal), g.mean(deployed), g.mean(final)
	c := claim{what: fmt.Sprintf("MNIST MLP, %s noise, alpha 0.15, s 0.1: SZO-SCD recovers most of the deployment drop", nz),
		paper: "recovers (93.5% final)"}
	drop := id - dep
	c.ours = fmt.Sprintf("ideal %s%%, deployed %s%%, final %s%% (best on the way %s%%)", f2(id), f2(dep), f2(fin), f2(g.mean(best)))
	for _, alt := range []string{"SZO-SCD d=0.02", "SZO-SCD stale d=0.02"} {
		if a := all.get("table1", nz, alt); a != nil {
			c.ours += fmt.Sprintf("; %s: final %s%% (best %s%%)", alt, f2(a.mean(final)), f2(a.mean(best)))
		}
	}
	switch {
	case drop < 1:
		c.verdict = fmt.Sprintf("untestable: deployment costs only %s points; SZO-SCD then ends %s points from deployed", f2(drop), f2(fin-dep))
	default:
		c.verdict = recoveryVerdict(fin-dep, drop)
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

func claimBaselines(all suite, nz string) (claim, bool) {
	g := all.get("table1", nz, "SZO-SCD")
	if g == nil {
		return claim{}, false
	}
	c := claim{what: fmt.Sprintf("MNIST MLP, %s noise: SZO-SCD ends above every baseline at equal queries", nz),
		paper: "SZO-SCD 93.5, ZAdam 88.1, STP 90.2, FLOPS 83.5"}
	szo := g.mean(final)
	parts := []string{"SZO-SCD " + f2(szo)}
	beaten, bestName, bestAcc := 0, "", -1.0
	for _, b := range baselineLabels {
		bg := all.get("table1", nz, b)
		if bg == nil {
			continue
		}
		a := bg.mean(final)
		parts = append(parts, b+" "+f2(a))
		if szo > a {
			beaten++
		}
		if a > bestAcc {
			bestName, bestAcc = b, a
		}
	}
	c.ours = "final: " + strings.Join(parts, ", ")
	// the same comparison early in the run, at a tenth of the budget
	early := float64(g.runs[0].Budget) / 10
	var eparts []string
	for _, l := range append([]string{"SZO-SCD"}, baselineLabels...) {
		if bg := all.get("table1", nz, l); bg != nil {
			eparts = append(eparts, l+" "+f2(bg.at(early)))
		}
	}
	c.ours += fmt.Sprintf("; after %.0f queries: %s", early, strings.Join(eparts, ", "))
	if t := all.get("table1", nz, "SZO-SCD stale d=0.02"); t != nil {
		c.ours += fmt.Sprintf("; SZO-SCD stale d=0.02: final %s", f2(t.mean(final)))
	}
	spread := g.sd(final)
	switch {
	case beaten == len(parts)-1:
		c.verdict = "holds"
	case bestAcc-szo <= max(spread, 0.1):
		c.verdict = fmt.Sprintf("a tie: %s ends %s points above SZO-SCD, within the seeds' spread (sd %s)", bestName, f2(bestAcc-szo), f2(spread))
	default:
		c.verdict = fmt.Sprintf("does not hold: best is %s (%s%%), %s points above SZO-SCD", bestName, f2(bestAcc), f2(bestAcc-szo))
	}
	return c, true
}

func claimDense(all suite, nz string) (claim, bool) {
	c := claim{what: fmt.Sprintf("MNIST MLP, %s noise: dense variants (alpha 1, s 1) do worse / diverge", nz), paper: "dense variants diverge"}
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

func claimAlpha(all suite, nz string) (claim, bool) {
	one := all.get("fig4", nz, "alpha=1")
	if one == nil {
		return claim{}, false
	}
	small := []string{"alpha=0.05", "alpha=0.1", "alpha=0.15"}
	target := one.mean(best)
	for _, l := range small {
		if g := all.get("fig4", nz, l); g != nil {
			target = min(target, g.mean(best))
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
		g := all.get("fig4", nz, l)
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
	c := claim{what: fmt.Sprintf("MNIST MLP, %s noise: alpha 0.05-0.15 reaches a given accuracy (here %s%%, just under the lowest best accuracy) with >= 3x fewer queries than alpha 1", nz, f2(target)),
		paper: "3.7x-7.6x fewer queries",
		ours:  "queries to reach it: " + strings.Join(parts, ", ") + "; queries to close half of the own drop from ideal: " + strings.Join(halves, ", ")}
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

func claimPruning(all suite, nz string) (claim, bool) {
	p1, p0 := all.get("fig6", nz, "p=1"), all.get("fig6", nz, "p=0")
	if p1 == nil || p0 == nil {
		return claim{}, false
	}
	cut := 1 - p1.mean(powerEnd)/p0.mean(powerEnd)
	ecut := 1 - p1.mean(energy)/p0.mean(energy)
	loss := p0.mean(final) - p1.mean(final)
	c := claim{what: fmt.Sprintf("MNIST MLP, %s noise: pruning p = 1 ends with >= 30%% less power than p = 0, for <= 1 point of accuracy", nz),
		paper: "30-50% less power",
		ours: fmt.Sprintf("power %.0f vs %.0f rad (%.0f%% less; energy %.0f%% less); accuracy %s vs %s%%",
			p1.mean(powerEnd), p0.mean(powerEnd), 100*cut, 100*ecut, f2(p1.mean(final)), f2(p0.mean(final)))}
	switch {
	case cut >= 0.3 && loss <= 1:
		c.verdict = "holds"
	case cut >= 0.3:
		c.verdict = fmt.Sprintf("does not hold: power cut, but %s points of accuracy lost", f2(loss))
	default:
		c.verdict = fmt.Sprintf("does not hold: %.0f%% less power", 100*cut)
	}
	rise := func(g *group) float64 { return g.mean(powerEnd) - g.mean(power0) }
	c.ours += fmt.Sprintf("; power change over the run %+.0f vs %+.0f rad", rise(p1), rise(p0))
	if r1, r0 := all.get("fig6", nz, "stale d=0.02 p=1"), all.get("fig6", nz, "stale d=0.02 p=0"); r1 != nil && r0 != nil {
		c.ours += fmt.Sprintf("; stale d=0.02: power %.0f vs %.0f rad (%.0f%% less), accuracy %s vs %s%%",
			r1.mean(powerEnd), r0.mean(powerEnd), 100*(1-r1.mean(powerEnd)/r0.mean(powerEnd)), f2(r1.mean(final)), f2(r0.mean(final)))
	}
	return c, true
}

func claimTotal(all suite, nz string) (claim, bool) {
	mixed, full := all.get("fig6", nz, "p=1"), all.get("fig6", nz, "alpha=1 p=0")
	if mixed == nil || full == nil {
		return claim{}, false
	}
	save := 1 - mixed.mean(powerEnd)/full.mean(powerEnd)
	esave := 1 - mixed.mean(energy)/full.mean(energy)
	c := claim{what: fmt.Sprintf("MNIST MLP, %s noise: mixed training (alpha 0.15, p 1) uses about 90%% less power than alpha 1 (p 0)", nz),
		paper: ">90% power saving",
		ours: fmt.Sprintf("power %.0f vs %.0f rad (%.1f%% less), energy %.1f%% less; accuracy %s vs %s%%",
			mixed.mean(powerEnd), full.mean(powerEnd), 100*save, 100*esave, f2(mixed.mean(final)), f2(full.mean(final)))}
	if save >= 0.85 {
		c.verdict = "holds"
	} else {
		c.verdict = fmt.Sprintf("does not hold: %.0f%% saving", 100*save)
	}
	return c, true
}

func claimADMM(all suite, nz string) (claim, bool) {
	pr := all.get("table3", nz, "pruning p=1")
	if pr == nil {
		return claim{}, false
	}
	c := claim{what: fmt.Sprintf("MNIST MLP, %s noise: power-aware pruning beats the Lagrangian/ADMM power penalty", nz), paper: "pruning: lower power at similar accuracy"}
	parts := []string{fmt.Sprintf("pruning %s%% at %.0f rad", f2(pr.mean(final)), pr.mean(powerEnd))}
	dominated := ""
	for _, l := range []float64{0.01, 0.1, 1} {
		g := all.get("table3", nz, fmt.Sprintf("ADMM lambda=%g", l))
		if g == nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("lambda %g: %s%% at %.0f rad", l, f2(g.mean(final)), g.mean(powerEnd)))
		if g.mean(final) >= pr.mean(final) && g.mean(powerEnd) <= pr.mean(powerEnd) {
			dominated = fmt.Sprintf("lambda %g", l)
		}
	}
	c.ours = strings.Join(parts, "; ")
	if dominated == "" {
		c.verdict = "holds: no penalty weight has both higher accuracy and lower power"
	} else {
		c.verdict = "does not hold: " + dominated + " is as accurate at lower power"
	}
	return c, true
}

func claimCNN(all suite, id, nz string) (claim, bool) {
	g, full := all.get(id, nz, "SZO-SCD"), all.get(id, nz, "SZO-SCD alpha=1 p=0")
	if g == nil {
		return claim{}, false
	}
	c := claim{what: fmt.Sprintf("%s, %s noise, alpha 0.05, s 0.1, p 1: SZO-SCD keeps/recovers accuracy at a fraction of the power", g.exp.Model, nz),
		paper: "recovers, large power saving"}
	c.ours = fmt.Sprintf("ideal %s%%, deployed %s%%, final %s%% (best %s%%)", f2(g.mean(ideal)), f2(g.mean(deployed)), f2(g.mean(final)), f2(g.mean(best)))
	if t := all.get(id, nz, "SZO-SCD stale d=0.02"); t != nil {
		c.ours += fmt.Sprintf("; stale d=0.02: final %s%%", f2(t.mean(final)))
	}
	if full != nil {
		save := 1 - g.mean(powerEnd)/full.mean(powerEnd)
		c.ours += fmt.Sprintf("; power %.0f vs %.0f rad at alpha 1 (%.0f%% less)", g.mean(powerEnd), full.mean(powerEnd), 100*save)
	}
	drop, gain := g.mean(ideal)-g.mean(deployed), g.mean(final)-g.mean(deployed)
	switch {
	case drop < 1:
		c.verdict = fmt.Sprintf("untestable recovery (drop %s points); ends %s points from deployed", f2(drop), f2(gain))
	default:
		c.verdict = recoveryVerdict(gain, drop)
	}
	return c, true
}

// writeDecisions reports how SZO-SCD's trials went in Table 1: the share of trials
// kept, stepped back and pruned, with and without the re-query ablation.
func writeDecisions(md *strings.Builder, all suite) {
	var rows []string
	for _, nz := range []string{"paper", "strong"} {
		for _, l := range []string{"SZO-SCD", "SZO-SCD d=0.02", "SZO-SCD stale d=0.02"} {
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
reference; otherwise the phase steps back to -d (or stays, when pruned). SZO-SCD then
queries the loss once more and makes it the reference. The paper's text skips that query
and keeps the old reference (*stale*): a later trial is then judged against a loss the
chip no longer has, so after a step back that helped, a worse trial is kept. The stale
variant keeps more than half of its trials, its phases creep upward by d on balance, its
power rises and, near an optimum, its accuracy falls. Pruning fires only when a phase
below d would wrap to near 2 pi.

| noise | variant | kept | stepped back | pruned | power (rad) | accuracy (%) |
| --- | --- | --- | --- | --- | --- | --- |
`)
	md.WriteString(strings.Join(rows, "\n") + "\n\n")
}

// writeDiscussion says where and why the reproduction differs from the paper.
func writeDiscussion(md *strings.Builder) {
	md.WriteString(`## Where we differ from the paper, and why we think so

- **Little to recover at the paper's noise.** Our shipped MNIST MLP is deployed with drift
  and crosstalk 2e-3 and loses only about 0.2 points at alpha 0.15 (a few points at alpha 1):
  in 8x8 blocks a phase error passes through at most 28 rotators, and crosstalk comes only
  from active neighbours, which are few at small alpha. The paper's chips evidently lost
  more. The *strong* noise level (1e-2) gives our chips a real drop to recover from.
- **Two changes to the method, both measured here.** (1) After a step back SZO-SCD
  queries the loss once more and makes it the reference, as the authors' own code (L2ight)
  does; the paper's text keeps the old reference. (2) The step starts at 0.005, the best of
  the grid every baseline was tuned on, not at the paper's 0.02. The algorithm exactly as
  the paper's text reads (*stale d=0.02*) keeps more than half of its trials (see the trial
  table), its phases creep upward by d on balance, and near an optimum its accuracy falls:
  it is best early and ends at 76-77% after 200k queries, 10-20 points below the deployed
  chip. With the re-query but d = 0.02 it holds far better yet ends 2.5-3.5 points below
  the tuned baselines: a coordinate step of 0.02 keeps every tried phase that far from its
  optimum. With both changes SZO-SCD ties the best baseline at the end and leads it early.
- **Ties, not a clear win, at equal queries.** The paper's baselines ended 3-10 points
  below SZO-SCD. Ours were each tuned on the same step grid and end within 0.1-0.2 points
  of it, except ZAdam (about 1.3-1.9 points below); FLOPS's Gaussian estimate with Q = 60
  works well on our 8x8-block chips. SZO-SCD's edge shows early, if narrowly: after a
  tenth of the budget under strong noise it leads every baseline (see the claims table).
- **Pruning removes the power that training adds, which is little here.** Pruning acts
  only on a step back that would wrap a phase from just above 0 to just below 2 pi. Without
  it (p = 0) such wraps add about 160 rad over 200k queries (+9%), from the phases that
  sit at or near 0 (108 of the MLP's 2,496 are within 0.05 rad of it); with p = 1 the
  power instead falls slightly. That is a 9-10% lower final power at equal accuracy, not
  30-50%: almost all of the power is the deployed phases, which pruning never touches. A
  longer run does not change that: over 1M queries (strong noise, seed 1) p = 0 levels
  off at +10% once the phases near 0 have wrapped, and p = 1 ends 12% below it (1659
  against 1888 rad).
- **Mixed training.** The saving against alpha = 1 (83% on the MLP at alpha 0.15) comes
  almost entirely from the fraction of heaters that are active: 15% of the U/V phases plus
  every Sigma phase. On the CNNs, at alpha 0.05, it is 92-93%, the paper's figure.
- **Shorter epochs.** The step decays by 0.985 per pass over the shipped training pool
  (10,000 MNIST samples rather than 60,000), i.e. six times more often per query than with
  the full set; over our budgets the step stays near its start either way.
- **Dense runs** (alpha 1, s 1) spend thousands of queries per iteration on one minibatch;
  they end below their sparse counterparts, FLOPS (about 56%) and ZAdam (71-82%) worst,
  as the paper's dense variants diverge.

`)
}

// writeExperiment writes the experiment's CSV and plots and its section of the report.
func writeExperiment(md *strings.Builder, o options, e experiment, all suite) error {
	var csv strings.Builder
	csv.WriteString("noise,variant,optimizer,alpha,s,p,step,stale,lambda,seeds,queries,ideal_acc,deployed_acc,final_acc,final_sd,best_acc,power_initial,power_final,power_final_sd,full_power,energy\n")
	fmt.Fprintf(md, "## %s\n\n", e.Title)
	for _, nz := range e.Chips {
		var ss []series
		fmt.Fprintf(md, "*%s noise* (`%s-%s.png`):\n\n| variant | deployed | final | best | power start -> end (rad) | energy (rad-queries) | seeds |\n| --- | --- | --- | --- | --- | --- | --- |\n", nz, e.ID, nz)
		for _, v := range e.Vars {
			g := all[e.ID+"|"+nz+"|"+v.Label]
			if g == nil || len(g.runs) == 0 {
				fmt.Fprintf(md, "| %s | missing | | | | | 0 |\n", v.Label)
				continue
			}
			r := g.runs[0]
			fmt.Fprintf(&csv, "%s,%s,%s,%g,%g,%g,%g,%t,%g,%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.2f,%.2f,%.2f,%.2f,%.6g\n",
				nz, v.Label, r.Optimizer, r.Alpha, r.S, r.P, r.Step, r.Stale, r.Lambda, len(g.runs), r.Queries,
				g.mean(ideal), g.mean(deployed), g.mean(final), g.sd(final), g.mean(best),
				g.mean(power0), g.mean(powerEnd), g.sd(powerEnd), g.mean(fullPow), g.mean(energy))
			fmt.Fprintf(md, "| %s | %s | %s ± %s | %s | %.0f -> %.0f | %.3g | %d |\n", v.Label, f2(g.mean(deployed)), f2(g.mean(final)), f2(g.sd(final)),
				f2(g.mean(best)), g.mean(power0), g.mean(powerEnd), g.mean(energy), len(g.runs))
			ss = append(ss, g.curve())
		}
		md.WriteString("\n")
		if len(ss) > 0 {
			name := fmt.Sprintf("%s-%s.png", e.ID, nz)
			if err := plotCurves(filepath.Join(o.out, name), fmt.Sprintf("%s, %s noise", e.ID, nz), ss); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			fmt.Fprintf(md, "![%s %s](%s)\n\n", e.ID, nz, name)
		}
	}
	return os.WriteFile(filepath.Join(o.out, e.ID+".csv"), []byte(csv.String()), 0o644)
}
