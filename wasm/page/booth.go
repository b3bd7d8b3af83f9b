package page

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/wasm/wire"
)

// Booth mode loops on its own, for a screen at a conference booth: the single run recovers
// a noisy chip until it has plateaued (BoothPlateau), its result shows, optimizers race on
// that chip (the race of the settings, or sim.BoothRace), each until it has plateaued, the
// race's result shows, then the single run recovers the next chip (the next seed). Booth is
// that cycle, the one state machine of booth mode: the engines know no booth phases, they
// only obey the commands it asks for (end, redeploy, start, pause).
type Booth struct {
	phase string // "" (off), "start", "recover", "ending", "result", "race", "race-result", "next"
	since time.Time
	note  string // the single run's result line
	chip  int64  // the seed of the chip recovered
}

// The booth's phases as the page API reports them (stats().booth).
const (
	BoothRecover = "recover"
	BoothResult  = "result"
	BoothRace    = "race"
)

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
var BoothPlateau = wire.Plateau{Factor: 1, Min: 10_000, Max: 60_000}

// Plateaued reports whether the run st describes has ended in booth mode: it has plateaued
// by p, or it is done (a failed run does not improve).
func Plateaued(st wire.Stats, p wire.Plateau) bool {
	return st.Ready && (st.Done || p.Reached(st.Queries, st.KeptQueries))
}

const (
	// boothCap is a safety net: a chip's recovery, or a race, ends after this long even if
	// a run has not plateaued (a slow machine, a worker that failed or stalls). Booth mode
	// otherwise moves on the runs' progress, not on the clock.
	boothCap = 3 * time.Minute
	// boothResult is how long a result stays up: a time to read, the one phase on the clock.
	boothResult = 8 * time.Second
)

// BoothAction is what the cycle asks of the page.
type BoothAction int

const (
	// BoothNone: nothing to do.
	BoothNone BoothAction = iota
	// BoothStart: a new run on the single run's chip, training until it plateaus (reset,
	// until BoothPlateau, start).
	BoothStart
	// BoothEnd: end the single run, showing the state it keeps (end; the engine has
	// usually ended it by BoothPlateau already).
	BoothEnd
	// BoothOpenRace: hold the single run's engine and open a race on its chip, training.
	BoothOpenRace
	// BoothEndRace: pause the racers and show the result.
	BoothEndRace
	// BoothNext: close the race, and the single run recovers the next chip (redeploy,
	// until BoothPlateau, start).
	BoothNext
	// BoothOff: booth mode was turned off: close a race the cycle opened, and the single
	// run trains on without the rule (until, with none).
	BoothOff
)

// BoothView is what the cycle looks at each frame.
type BoothView struct {
	On      bool       // the booth setting, as the engine applied it
	Settled bool       // the single run's engine has applied every command sent
	Single  wire.Stats // the single run's figures
	Seed    int64      // the single run's chip
	Racers  []wire.Stats
}

// Tick moves the cycle along at now and says what the page must do.
func (b *Booth) Tick(now time.Time, v BoothView) BoothAction {
	if !v.On {
		if b.phase == "" {
			return BoothNone
		}
		*b = Booth{}
		return BoothOff
	}
	switch b.phase {
	case "":
		if !v.Single.Ready {
			return BoothNone
		}
		b.phase, b.since = "start", now
		return BoothStart
	case "start", "next": // wait for the engine to apply the commands
		if v.Settled {
			b.phase, b.since = "recover", now
		}
	case "recover":
		if Plateaued(v.Single, BoothPlateau) || v.Single.Done || now.Sub(b.since) >= boothCap {
			b.phase, b.since = "ending", now
			return BoothEnd
		}
	case "ending":
		if v.Settled {
			b.phase, b.since, b.chip = "result", now, v.Seed
			b.note = boothNote(v.Single, v.Seed)
		}
	case "result":
		if now.Sub(b.since) >= boothResult {
			b.phase, b.since = "race", now
			return BoothOpenRace
		}
	case "race":
		done := len(v.Racers) > 0
		for _, r := range v.Racers {
			done = done && Plateaued(r, BoothPlateau)
		}
		if done || now.Sub(b.since) >= boothCap {
			b.phase, b.since = "race-result", now
			return BoothEndRace
		}
	case "race-result":
		if now.Sub(b.since) >= boothResult {
			b.phase, b.since, b.note = "next", now, ""
			return BoothNext
		}
	}
	return BoothNone
}

// Phase is the cycle's phase as the page API reports it: BoothRecover, BoothResult,
// BoothRace, or "" when booth mode is off or waits for the chip.
func (b *Booth) Phase() string {
	switch b.phase {
	case "start", "recover", "ending", "next":
		return BoothRecover
	case "result":
		return BoothResult
	case "race", "race-result":
		return BoothRace
	}
	return ""
}

// Note is the single run's result line while it shows, else "".
func (b *Booth) Note() string {
	if b.phase == "result" {
		return b.note
	}
	return ""
}

// Chip is the seed of the chip the single run recovered last, which the race runs on.
func (b *Booth) Chip() int64 { return b.chip }

// Done reports whether a racer whose figures are r has finished: it has plateaued by
// BoothPlateau while the race runs. The page pauses it there, as the single run stops on
// its chip, so no racer shows a long slide and the others get the cores; the race ends
// when every racer has (Tick).
func (b *Booth) Done(r wire.Stats) bool { return b.phase == "race" && Plateaued(r, BoothPlateau) }

// Racing reports whether the cycle has a race open.
func (b *Booth) Racing() bool { return b.phase == "race" || b.phase == "race-result" }

// boothNote is the line a recovered chip shows: what it deployed at and the accuracy of
// the state it keeps (chosen on the validation split: the last state of a run that slid
// is not its result).
func boothNote(st wire.Stats, seed int64) string {
	if !st.Kept {
		return fmt.Sprintf("chip %d recovered from %.1f %% to %.1f %% in %s ONN queries, drawing %.0f %% less power than a fully active chip",
			seed, st.DeployedAccuracy, st.Accuracy, render.Compact(float64(st.Queries)), st.Saving)
	}
	return fmt.Sprintf("chip %d recovered from %.1f %% to %.1f %% (the state kept at %s of %s ONN queries, best on the validation split), drawing %.0f %% less power than a fully active chip",
		seed, st.DeployedAccuracy, st.KeptAccuracy, render.Compact(float64(st.KeptQueries)), render.Compact(float64(st.Queries)), st.Saving)
}

// Caption is the story of the cycle's phase for a passer-by (render.Caption), with the live
// numbers: the chip as it came from the fab and what its drift cost while it recovers, the
// accuracy won back and the power against tuning every heater once it has, and the race on
// the same chip. name gives an optimizer's display name; link is the run's address for a
// phone. Off, or waiting for the chip, there is none.
func (b *Booth) Caption(v BoothView, name func(optimizer string) string, link string) render.Caption {
	st := v.Single
	var c render.Caption
	switch b.Phase() {
	case BoothRecover:
		if !st.Ready {
			return c
		}
		c.Headline = fmt.Sprintf("A chip from the fab: drift and crosstalk cost it %.1f %% → %.1f %%", st.IdealAccuracy, st.DeployedAccuracy)
		share := 0.0
		if st.Phases > 0 {
			share = 100 * float64(st.ActivePhases) / float64(st.Phases)
		}
		c.Detail = fmt.Sprintf("%s tunes %.0f %% of its heaters, asking the chip only for its loss: %.1f %% after %s queries",
			name(st.Optimizer), share, st.Accuracy, render.Compact(float64(st.Queries)))
	case BoothResult:
		acc := st.Accuracy
		if st.Kept {
			acc = st.KeptAccuracy
		}
		drop := st.IdealAccuracy - st.DeployedAccuracy
		if won := acc - st.DeployedAccuracy; won > 0 && drop > 0 {
			c.Headline = fmt.Sprintf("Won back %.1f of the %.1f points drift cost: %.1f %%", won, drop, acc)
		} else {
			c.Headline = fmt.Sprintf("Held at %.1f %% (deployed at %.1f %%)", acc, st.DeployedAccuracy)
		}
		c.Detail = fmt.Sprintf("in %s queries, drawing %.0f %% less power than tuning every heater", render.Compact(float64(st.Queries)), st.Saving)
	case BoothRace:
		if len(v.Racers) == 0 {
			return c
		}
		c.Headline = fmt.Sprintf("The same chip, %d optimizers, each asking only for the loss", len(v.Racers))
		if b.phase == "race-result" {
			c.Headline = "Race over, on the same chip:"
		}
		parts := make([]string, len(v.Racers))
		for i, r := range v.Racers {
			acc := r.Accuracy
			if math.IsNaN(acc) {
				acc = r.DeployedAccuracy // no test since the deployment
			}
			if !r.Ready || math.IsNaN(acc) {
				parts[i] = name(r.Optimizer) + " starting"
				continue
			}
			parts[i] = fmt.Sprintf("%s %.1f %% in %s queries", name(r.Optimizer), acc, render.Compact(float64(r.Queries)))
		}
		c.Detail = strings.Join(parts, "  ·  ")
	default:
		return c
	}
	c.Link = link
	return c
}

// ShareLink is the address a phone opens to follow the run a booth shows: base (the page's
// address without its query) with the settings' query, booth mode left out (a phone's
// visitor explores; the booth's screen loops).
func ShareLink(base, query string) string {
	q, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		return base
	}
	q.Del("booth")
	if len(q) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}
