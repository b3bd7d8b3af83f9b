package sim

import (
	"fmt"
	"time"

	"github.com/meshlight/meshlight/render"
)

// Booth mode loops on its own, for a screen at a conference booth: deploy a noisy chip,
// let it recover until it has plateaued (BoothPlateau), show the result, then deploy the
// next chip (the next seed). The page races optimizers on each chip between its result and
// the next chip (BoothCycle).
type boothState struct {
	phase string // "" (off), "recover" or "result"
	since time.Time
	note  string
}

// Plateau is the rule that ends a run in booth mode, judged on the run's validation split
// (never on the test set) through its kept state, the record of best validation accuracy
// (Stats.KeptQueries): a run has plateaued when it has found no better kept state for
// Factor times the queries it took to find the one it keeps, once it has made Min queries;
// at Max queries it ends whatever its progress. A run that keeps improving moves its kept
// state on and is not cut before Max; one that slides after its best is cut a bounded
// stretch after it.
type Plateau struct {
	Factor   float64 // the stretch without a better kept state, in multiples of the kept state's queries
	Min, Max int64   // ONN queries
}

// BoothPlateau is booth mode's rule: as long again as the kept state took, between 10,000
// and 60,000 queries. Measured on the default model (the MNIST 8x8 MLP on the method's
// chip, the page's 2,000 test samples, chip seeds 1-10, 300,000 queries each): the paper's
// SZO-SCD finds its last kept state at 3,000-24,000 queries and then slides (test accuracy
// 92.8-94.0% at its peak, about 90.5% at 50,000 queries and 88% at 300,000). This rule
// stops it at 10,000-25,600 queries (12,500 on average) with a kept state of 92.85% on
// average (92.87% for the state kept over all 300,000), its last test 0.8 points below the
// best test so far on average, 1.9 at most; twice as long a stretch stops at 21,200 on
// average and shows a slide of 1.2 points (2.35 at most). szo-scd-margin, which holds what
// it wins, stops at 27,400 on average, at the cap on 2 chips of 10.
var BoothPlateau = Plateau{Factor: 1, Min: 10_000, Max: 60_000}

// Reached reports whether a run that has made queries ONN queries, whose kept state was
// recorded at kept queries, has plateaued by the rule. kept < 0 says the run keeps none
// (it holds out no validation split): its progress cannot be judged and it runs to Max.
func (p Plateau) Reached(queries, kept int64) bool {
	switch {
	case queries >= p.Max:
		return true
	case queries < p.Min || kept < 0:
		return false
	}
	return float64(queries-kept) >= p.Factor*float64(kept)
}

// Plateaued reports whether the run the stats describe has ended in booth mode: it has
// plateaued by p, or it is done (a failed run does not improve).
func (st Stats) Plateaued(p Plateau) bool {
	return st.Ready && (st.Done || p.Reached(st.Queries, st.KeptQueries))
}

const (
	// boothRecoverCap is a safety net: a chip's recovery ends after this long even if the
	// run has not plateaued (a slow machine, a model far slower than the default). Booth
	// mode otherwise moves on the run's progress, not on the clock.
	boothRecoverCap = 3 * time.Minute
	// boothResult is how long a result stays up: a time to read, the one phase on the clock.
	boothResult = 8 * time.Second
)

// boothChanged follows the booth setting: on, it starts recovering the current chip from
// its deployment; off, it stops looping (training goes on or stays paused as it is).
func (s *Session) boothChanged() {
	if !s.set.Booth {
		s.booth = boothState{}
		return
	}
	s.booth = boothState{phase: "recover", since: s.now()}
	if s.run != nil {
		s.Reset()
		s.running = true
	}
}

// boothTick moves booth mode along.
func (s *Session) boothTick(now time.Time) {
	if !s.set.Booth || s.run == nil {
		return
	}
	switch s.booth.phase {
	case "":
		s.booth = boothState{phase: "recover", since: now}
		s.running = true
	case "recover":
		s.running = !s.run.Done()
		kept := int64(-1)
		if k, ok := s.run.Kept(); ok {
			kept = k.Queries
		}
		if !s.run.Done() && !s.plateau.Reached(s.run.Queries(), kept) && now.Sub(s.booth.since) < boothRecoverCap {
			return
		}
		s.run.End() // the chip shows the state it keeps, not the last one of a slide
		s.booth = boothState{phase: "result", since: now, note: s.boothNote()}
		s.running = false
	case "result":
		if now.Sub(s.booth.since) < boothResult {
			return
		}
		s.Redeploy()
		s.running = true
		s.booth = boothState{phase: "recover", since: now}
	}
}

// boothNote is the line a recovered chip shows: what it deployed at and the accuracy of
// the state it keeps (chosen on the validation split: the last state of a run that slid
// is not its result).
func (s *Session) boothNote() string {
	st := s.Stats()
	if !st.Kept {
		return fmt.Sprintf("chip %d recovered from %.1f %% to %.1f %% in %s ONN queries, drawing %.0f %% less power than a fully active chip",
			s.set.Seed, st.DeployedAccuracy, st.Accuracy, render.Compact(float64(st.Queries)), st.Saving)
	}
	return fmt.Sprintf("chip %d recovered from %.1f %% to %.1f %% (the state kept at %s of %s ONN queries, best on the validation split), drawing %.0f %% less power than a fully active chip",
		s.set.Seed, st.DeployedAccuracy, st.KeptAccuracy, render.Compact(float64(st.KeptQueries)), render.Compact(float64(st.Queries)), st.Saving)
}
