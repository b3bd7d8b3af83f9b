package sim

import (
	"fmt"
	"slices"
	"strings"

	"github.com/meshlight/meshlight/train"
)

// A race runs several optimizers side by side on identical chips: every racer is a Session
// of its own (in the browser, an engine in a Web Worker of its own) whose settings are the
// race's with only the optimizer changed (RaceSettings), so they share the seed and with it
// the drift, the crosstalk, the active set and the data order. Racer i's curve is then the
// curve of a single run of its optimizer with the same settings. The page starts, steps and
// draws the racers, and holds the leader rule and booth mode's cycle (wasm/page); this file
// holds the engine's part: the race list (ParseRace) and each racer's settings.

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
