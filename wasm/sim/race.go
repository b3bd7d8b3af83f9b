package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/train"
)

// A race runs several optimizers side by side on identical chips: every racer is a Session
// of its own (in the browser, an engine in a Web Worker of its own) whose settings are the
// race's with only the optimizer changed (RaceSettings), so they share the seed and with it
// the drift, the crosstalk, the active set and the data order. Racer i's curve is then the
// curve of a single run of its optimizer with the same settings. The page starts, steps and
// draws the racers; this file holds what it needs that is not drawing: the race list
// (ParseRace), each racer's settings, the leader rule (Leader) and booth mode's cycle
// between a single chip and a race (BoothCycle).

// The size of a race: two to four racers fit side by side on one screen.
const (
	MinRacers = 2
	MaxRacers = 4
)

// BoothRace is the race booth mode shows when the address names none: the method's
// SZO-SCD against its variant with a noise margin, on the chip the single run has just
// recovered, where the first slides back after its best and the second holds it.
const BoothRace = "szo-scd,szo-scd-margin"

// raceExample is the race the messages about a race list give as an example.
const raceExample = "szo-scd,flops,zadam"

// raceOff is the race setting's value that closes the race (an empty list is an error, so
// that "race=" in an address is reported rather than silently ignored).
const raceOff = "off"

// ParseRace reads a race list: 2 to 4 optimizer names of train.Methods, separated by
// commas, without repeats (case and spaces around names are ignored). The error says what
// is wrong: an empty list or name, an unknown optimizer, too few or too many, a repeat.
func ParseRace(v string) ([]string, error) {
	known := strings.Join(train.Methods(), ", ")
	if strings.TrimSpace(v) == "" {
		return nil, fmt.Errorf("an empty list: want %d to %d optimizers separated by commas, e.g. %s (known: %s; %s closes the race)", MinRacers, MaxRacers, raceExample, known, raceOff)
	}
	var names []string
	for i, f := range strings.Split(v, ",") {
		name := strings.ToLower(strings.TrimSpace(f))
		switch {
		case name == "":
			return nil, fmt.Errorf("entry %d is empty (want optimizer names separated by commas, e.g. %s)", i+1, raceExample)
		case !slices.Contains(train.Methods(), name):
			return nil, fmt.Errorf("entry %d: unknown optimizer %s (known: %s)", i+1, quoteCut(name), known)
		case slices.Contains(names, name):
			return nil, fmt.Errorf("entry %d: %s is already in the race (each optimizer races once)", i+1, name)
		}
		names = append(names, name)
	}
	if len(names) < MinRacers || len(names) > MaxRacers {
		return nil, fmt.Errorf("%d optimizers, want %d to %d", len(names), MinRacers, MaxRacers)
	}
	return names, nil
}

// setRace is the race parameter's setter: a valid list in its canonical form, or off.
func setRace(s *Settings, v string) error {
	if strings.EqualFold(strings.TrimSpace(v), raceOff) {
		s.Race = ""
		return nil
	}
	names, err := ParseRace(v)
	if err != nil {
		return err
	}
	s.Race = strings.Join(names, ",")
	return nil
}

// Racers returns the optimizers of the settings' race, nil when no race is open.
func (s Settings) Racers() []string {
	if s.Race == "" {
		return nil
	}
	names, err := ParseRace(s.Race)
	if err != nil {
		return nil // Set keeps only valid lists
	}
	return names
}

// RaceSettings are the settings of the racer running optimizer in a race of set: set's
// model, chip, seed, alpha, s, p, speed and layer, with that optimizer and its default step
// unless set's step was chosen by hand. A racer shows one layer (the small multiples), runs
// no race and no booth of its own, and starts training only when the page says so.
func RaceSettings(set Settings, optimizer string) (Settings, error) {
	t := set
	t.Race, t.Booth, t.Run = "", false, false
	t.View = t.defaultView()
	if _, err := t.Set("optimizer", optimizer); err != nil {
		return set, fmt.Errorf("race: %w", err)
	}
	return t, nil
}

// RaceParams are the parameters of a page's set() that go on to the racers: those that
// change the chip, the run or the picture of every racer alike. The optimizer is each
// racer's own, the race list and booth mode belong to the page, and racers always show the
// layer view and start only when told.
func RaceParams(params map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range params {
		switch k {
		case "optimizer", "race", "booth", "view", "run":
		default:
			out[k] = v
		}
	}
	return out
}

// RaceMessages are the messages a page shows while a race is open, each text once: first
// own (the page's and the held single run's), then the racers' (racers[i] are those of the
// racer running names[i]). A message every racer has is the race's and shows as it is: a
// model file or a setting the page sent every engine is read by each, and a bad one is one
// line, not one per racer. One that only some racers have names them ("racer flops: …",
// "racers szo-scd, zadam: …"), a worker that failed, say.
func RaceMessages(own, names []string, racers [][]string) []string {
	var out []string
	shown := map[string]bool{}
	add := func(m string) {
		if m != "" && !shown[m] {
			shown[m] = true
			out = append(out, m)
		}
	}
	for _, m := range own {
		add(m)
	}
	var order []string // the racers' messages in the order they first appear
	who := map[string][]string{}
	for i, msgs := range racers {
		for _, m := range msgs {
			if m == "" || shown[m] || slices.Contains(who[m], names[i]) {
				continue
			}
			if who[m] == nil {
				order = append(order, m)
			}
			who[m] = append(who[m], names[i])
		}
	}
	for _, m := range order {
		switch n := who[m]; {
		case len(n) == len(racers):
			add(m)
		case len(n) == 1:
			add("racer " + n[0] + ": " + m)
		default:
			add("racers " + strings.Join(n, ", ") + ": " + m)
		}
	}
	return out
}

// LeaderRule says in the page how the leader is chosen (Leader).
const LeaderRule = "leader: best test accuracy at an equal query budget (each racer's last test within the queries every racer has made); a tie goes to fewer queries"

// Standing is a racer's place in the race, as the leader rule compares them.
type Standing struct {
	Accuracy float64 // percent, at the racer's last test within the budget
	Queries  float64 // the queries of that test
}

// Leader applies the leader rule to the racers' curves (queries and test accuracy): the
// budget is the most queries every racer has reached (the smallest of their last tests),
// each racer stands at its last test within the budget (so no racer is credited with
// queries another has not made), and the best accuracy there leads, a tie going to fewer
// queries and then to the earlier racer. It returns the
// leader's index, the budget and every racer's standing; the leader is -1 until every
// racer has been tested after some training (a budget above zero), since on identical
// chips they all start equal.
func Leader(curves []render.Run) (leader int, budget float64, standings []Standing) {
	leader, budget = -1, math.Inf(1)
	for _, c := range curves {
		if len(c.Queries) == 0 || len(c.Accuracy) != len(c.Queries) {
			return -1, 0, nil
		}
		budget = math.Min(budget, c.Queries[len(c.Queries)-1])
	}
	if len(curves) == 0 || !(budget > 0) {
		return -1, 0, nil
	}
	standings = make([]Standing, len(curves))
	for i, c := range curves {
		k, found := slices.BinarySearch(c.Queries, budget) // curves are in query order
		if !found {
			k-- // the first point is the deployment's, at 0 queries, below the budget
		}
		standings[i] = Standing{Accuracy: c.Accuracy[k], Queries: c.Queries[k]}
	}
	for i, s := range standings {
		if math.IsNaN(s.Accuracy) {
			continue
		}
		if leader < 0 {
			leader = i
			continue
		}
		b := standings[leader]
		if s.Accuracy > b.Accuracy || s.Accuracy == b.Accuracy && s.Queries < b.Queries {
			leader = i
		}
	}
	return leader, budget, standings
}

// BoothAction is what booth mode's cycle asks of the page.
type BoothAction int

const (
	// BoothNone: nothing to do.
	BoothNone BoothAction = iota
	// BoothOpenRace: hold the single run's engine and open a race on its chip, training.
	BoothOpenRace
	// BoothEndRace: pause the racers and show the result.
	BoothEndRace
	// BoothCloseRace: close the race and let the single run's booth go on with a new
	// recovery of its chip.
	BoothCloseRace
)

// BoothCycle is booth mode's cycle between a single chip and a race, kept by the page
// (the single run's engine loops over chips on its own, Session booth mode; the races are
// the page's): after every chip the single run has recovered and shown, a race of
// optimizers runs on that chip (Chip), each racer until it has plateaued by the single
// run's rule (BoothPlateau, on its own kept state; Done), its result shows for
// boothResult, then the single run goes on with the next chip. The zero value waits for
// the single run.
type BoothCycle struct {
	phase string // "" (the single run), "race" or "result"
	since time.Time
	last  string // the single run's booth phase at the previous Tick
	chip  int64  // the seed of the chip the single run showed its result of
}

// boothRaceCap is a safety net: a race ends after this long even if a racer has not
// plateaued (a worker that failed or stalls). Otherwise the race moves on its progress.
const boothRaceCap = 3 * time.Minute

// Tick moves the cycle along at now, given the single run's figures (single.Booth is its
// booth phase: "recover", "result" or "" when booth mode is off), the seed of its chip and,
// while a race is open, the racers' figures; it says what the page must do. A race opens
// when the single run leaves a result for its next chip, on the chip of that result (Chip),
// and ends when every racer has plateaued (Stats.Plateaued).
func (b *BoothCycle) Tick(now time.Time, single Stats, chip int64, racers []Stats) BoothAction {
	if single.Booth == "" && b.phase == "" { // booth mode is off
		b.last = ""
		return BoothNone
	}
	switch b.phase {
	case "":
		prev := b.last
		b.last = single.Booth
		if single.Booth == "result" {
			b.chip = chip
		}
		if prev == "result" && single.Booth == "recover" {
			b.phase, b.since = "race", now
			return BoothOpenRace
		}
	case "race":
		done := len(racers) > 0
		for _, r := range racers {
			done = done && r.Plateaued(BoothPlateau)
		}
		if done || now.Sub(b.since) >= boothRaceCap {
			b.phase, b.since = "result", now
			return BoothEndRace
		}
	case "result":
		if now.Sub(b.since) >= boothResult {
			b.phase, b.last = "", ""
			return BoothCloseRace
		}
	}
	return BoothNone
}

// Chip is the seed of the chip the race runs on: the chip whose recovery the single run
// showed last (it has deployed the next one meanwhile, which it recovers after the race).
func (b *BoothCycle) Chip() int64 { return b.chip }

// Done reports whether a racer of the cycle's race, whose figures are r, has finished: it
// has plateaued by BoothPlateau while the race runs. The page pauses it there, as the
// single run stops on its chip, so no racer shows a long slide and the others get the
// cores; the race ends when every racer has (Tick).
func (b *BoothCycle) Done(r Stats) bool { return b.phase == "race" && r.Plateaued(BoothPlateau) }

// Racing reports whether the cycle has a race open.
func (b *BoothCycle) Racing() bool { return b.phase != "" }

// Stop ends the cycle (booth mode was turned off): a race it opened is the page's to close.
func (b *BoothCycle) Stop() { *b = BoothCycle{} }
