package sim

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/wasm/wire"
)

// runner is the Session's run: a deployed chip and an optimizer on it, its curve for the
// charts, the earlier runs kept for comparison, and its measured speed.
type runner struct {
	dep      *train.Deployment
	run      *train.Run // dep.Run
	runID    uint64     // bumped by every deployment: names the run and its chip in snapshots
	histVer  uint64     // bumped whenever history changes
	runSet   Settings   // the settings the run was deployed with
	runLabel string
	curve    render.Run // the run's records as chart series
	history  []render.Run
	running  bool
	failed   bool
	until    *wire.Plateau // the rule that ends the run (booth mode's), nil when none

	// While a page's command applies (Session.Command) a deployment it asks for waits:
	// deferring makes deploy mark it pending, and Session.Flush makes it once, from the
	// settings then. nextUntil is the rule given since it was marked, the waiting run's.
	deferring, pending bool
	nextUntil          *wire.Plateau

	qps     float64 // smoothed training queries per second of wall time
	measure struct {
		t time.Time
		q int64
	}
}

// deploy starts a new run of l's model on a chip from set (the chip is a function of the
// seed, so the same settings give the same chip), retiring the current one. On error no
// run is left.
func (r *runner) deploy(l *loader, set Settings) error {
	if l.model == nil {
		return nil
	}
	if r.deferring {
		r.pending, r.nextUntil = true, nil // a new deployment has no rule
		return nil
	}
	r.pending, r.nextUntil = false, nil
	r.retire(set.Compare)
	cfg := set.Config()
	cfg.EvalEvery = evalEvery(l.model)
	dep, err := train.Deploy(l.model, l.trainSet, l.testSet, cfg)
	if err != nil {
		r.running = false
		return fmt.Errorf("deploy: %w", err)
	}
	r.dep, r.run, r.runSet, r.failed, r.until = dep, dep.Run, set, false, nil
	r.runID++
	r.runLabel = fmt.Sprintf("%s α %g s %g p %g lr %.4g seed %d γσ %s Vπ %g xt %s bits %d heat-all %v",
		cfg.Optimizer, cfg.Alpha, cfg.S, cfg.P, cfg.Step, cfg.Seed, Sci(cfg.GammaStd), cfg.VPi, Sci(cfg.Crosstalk), cfg.Bits, cfg.HeatAll)
	r.curve = render.Run{Label: r.runLabel}
	r.measure.t = time.Time{} // the speed is measured again from this run's first queries (not against the last run's count)
	r.syncCurve()
	return nil
}

// flush makes the deployment that waits, if any (deferring), with the rule given for it,
// and reports whether it made one.
func (r *runner) flush(l *loader, set Settings) (bool, error) {
	if !r.pending {
		return false, nil
	}
	until := r.nextUntil
	err := r.deploy(l, set)
	if r.run != nil {
		r.until = until
	}
	return true, err
}

// setUntil sets the rule that ends the run (nil: none); while a deployment waits, the
// rule is the waiting run's.
func (r *runner) setUntil(p *wire.Plateau) {
	r.until = p
	if r.pending {
		r.nextUntil = p
	}
}

// evalEvery spaces the test evaluations of a run: often enough for a smooth curve,
// rarely enough that evaluating stays a small share of the training time.
func evalEvery(m *model.Model) int64 {
	if m.Layer[0].Kind == model.Conv {
		return 200
	}
	return 500
}

// retire ends the current run, keeping its curve for comparison when compare is set.
func (r *runner) retire(compare bool) {
	if r.run == nil {
		return
	}
	r.run.Close()
	if compare && len(r.curve.Queries) > 1 {
		r.history = append(r.history, r.curve)
		if len(r.history) > maxHistory {
			r.history = r.history[len(r.history)-maxHistory:]
		}
		r.histVer++
	}
	r.run = nil
}

// forget drops the earlier runs (another model's curves do not compare).
func (r *runner) forget() {
	r.history = nil
	r.histVer++
}

// train steps the run until deadline, for at most n queries, on the clock now.
func (r *runner) train(now func() time.Time, deadline time.Time, n int64) error {
	limit := r.run.Queries() + n
	chunk := int64(8)
	if left := deadline.Sub(now()); r.qps > 0 && left > 0 { // about a tenth of the slice per call, so the deadline is kept
		chunk = max(1, int64(r.qps*left.Seconds()/10))
	}
	for r.run.Queries() < limit && now().Before(deadline) {
		n := min(chunk, limit-r.run.Queries())
		if r.run.Step(n) {
			break
		}
	}
	return r.afterSteps(now())
}

// afterSteps follows the run after training: its curve, its end, its speed. It returns
// the message of a run that failed, once.
func (r *runner) afterSteps(now time.Time) error {
	r.syncCurve()
	var failed error
	if err := r.run.Err(); err != nil && !r.failed {
		r.failed = true
		r.running = false
		failed = fmt.Errorf("training stopped: %w; the chip keeps its last phases (reset or redeploy to start again)", err)
	} else if r.run.Done() {
		r.running = false
	}
	r.measureRate(now)
	return failed
}

// measureRate updates the smoothed queries per second, over spans of at least half a
// second.
func (r *runner) measureRate(now time.Time) {
	if r.measure.t.IsZero() {
		r.measure.t, r.measure.q = now, r.run.Queries()
	} else if dt := now.Sub(r.measure.t).Seconds(); dt >= 0.5 {
		rate := float64(r.run.Queries()-r.measure.q) / dt
		if r.qps == 0 {
			r.qps = rate
		}
		r.qps += 0.5 * (rate - r.qps)
		r.measure.t, r.measure.q = now, r.run.Queries()
	}
}

// syncCurve appends the run's new records to the chart series and follows its kept state.
func (r *runner) syncCurve() {
	for _, rec := range r.run.Curve()[len(r.curve.Queries):] {
		r.curve.Queries = append(r.curve.Queries, float64(rec.Queries))
		r.curve.Accuracy = append(r.curve.Accuracy, rec.Accuracy)
		r.curve.Power = append(r.curve.Power, rec.Power)
		r.curve.Valid = append(r.curve.Valid, rec.Valid)
	}
	r.curve.Kept = 0
	if k, ok := r.run.Kept(); ok {
		// Records have distinct query counts (one per evaluation), so the kept record's
		// count finds its point.
		if i, found := slices.BinarySearch(r.curve.Queries, float64(k.Queries)); found {
			r.curve.Kept = i + 1
		}
	}
}

// start starts (or resumes) training; a finished or failed run starts over on its chip.
func (r *runner) start(l *loader, set Settings) error {
	var err error
	if r.run != nil && r.run.Done() {
		err = r.deploy(l, set)
	}
	r.running = r.run != nil
	r.measure.t = time.Time{}
	return err
}

// restart starts a new run on the chip of set, keeping the running state.
func (r *runner) restart(l *loader, set Settings) error {
	running := r.running
	err := r.deploy(l, set)
	r.running = running && r.run != nil
	return err
}

// end ends the run as its budget would (train.Run.End): the chip is programmed back to
// the state the run keeps, and training pauses.
func (r *runner) end() {
	if r.run == nil {
		return
	}
	r.run.End()
	r.running = false
	r.syncCurve()
}

// plateaued ends the run, as end does, once it has plateaued by the rule until.
func (r *runner) plateaued() {
	if r.until == nil || r.run == nil || r.run.Done() {
		return
	}
	kept := int64(-1)
	if k, ok := r.run.Kept(); ok {
		kept = k.Queries
	}
	if r.until.Reached(r.run.Queries(), kept) {
		r.end()
	}
}

// step runs one iteration's worth of queries while paused (a finished run starts over).
func (r *runner) step(l *loader, set Settings, now time.Time) error {
	if r.run == nil || r.running {
		return nil
	}
	if r.run.Done() {
		if err := r.deploy(l, set); err != nil || r.run == nil {
			return err
		}
	}
	r.run.Step(int64(r.dep.IterationCost()))
	return r.afterSteps(now)
}

// queries is the run's ONN queries (0 before the first deployment).
func (r *runner) queries() int64 {
	if r.run == nil {
		return 0
	}
	return r.run.Queries()
}

// state is the run's state as the status line says it.
func (r *runner) state() string {
	switch {
	case r.failed:
		return "stopped (error)"
	case r.running:
		return "training"
	case r.run.Done():
		return "finished"
	}
	return "paused"
}

// stats fills the run's figures into st.
func (r *runner) stats(st *Stats) {
	st.Running, st.Runs = r.running, len(r.history)
	st.QueriesPerSecond = math.Round(r.qps)
	if r.run == nil {
		return
	}
	st.Ready = true
	st.Optimizer = r.runSet.Optimizer
	st.Done = r.run.Done()
	sum := r.dep.Summary()
	st.Queries, st.Evaluations = sum.Queries, len(r.run.Curve())
	st.DeployedAccuracy, st.Accuracy, st.BestAccuracy, st.IdealAccuracy = sum.DeployedAcc, sum.FinalAcc, sum.BestAcc, sum.IdealAcc
	if k, ok := r.run.Kept(); ok {
		st.Kept, st.KeptQueries, st.KeptAccuracy, st.KeptValid = true, k.Queries, k.Accuracy, k.Valid
	}
	c := r.dep.Net.Chip()
	st.Power, st.FullPower, st.Energy = c.Power(), c.FullPower(), sum.Energy
	st.Saving = (render.Readouts{Power: st.Power, FullPower: st.FullPower}).Saving()
	st.Phases, st.ActivePhases = c.NumPhases(), len(c.Active())
}
