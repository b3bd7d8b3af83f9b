package page

import (
	"math"
	"slices"
	"testing"

	"github.com/meshlight/meshlight/render"
)

func TestLeader(t *testing.T) {
	run := func(qa ...float64) render.Run {
		var r render.Run
		for i := 0; i+1 < len(qa); i += 2 {
			r.Queries, r.Accuracy = append(r.Queries, qa[i]), append(r.Accuracy, qa[i+1])
		}
		return r
	}
	for _, tc := range []struct {
		name   string
		curves []render.Run
		leader int
		budget float64
		at     []Standing
	}{
		{"no racers", nil, -1, 0, nil},
		{"a racer without points", []render.Run{run(0, 90), run()}, -1, 0, nil},
		{"nobody trained yet", []render.Run{run(0, 90, 500, 91), run(0, 90)}, -1, 0, nil},
		{"best at the budget, not now", []render.Run{
			run(0, 90, 510, 91, 1020, 95), // its 95 % came after the budget
			run(0, 90, 530, 92),
		}, 1, 530, []Standing{{91, 510}, {92, 530}}},
		{"each at its last test within the budget", []render.Run{
			run(0, 90, 505, 91, 1004, 93, 1500, 99),
			run(0, 90, 560, 92, 1100, 92.5),
			run(0, 90, 520, 90, 1010, 94),
		}, 2, 1010, []Standing{{93, 1004}, {92, 560}, {94, 1010}}},
		{"a tie goes to fewer queries", []render.Run{run(0, 90, 530, 92, 600, 93), run(0, 90, 540, 92, 560, 92)}, 0, 560, []Standing{{92, 530}, {92, 560}}},
		{"then to the earlier racer", []render.Run{run(0, 90, 540, 92), run(0, 90, 540, 92)}, 0, 540, []Standing{{92, 540}, {92, 540}}},
		{"NaN never leads", []render.Run{run(0, 90, 500, math.NaN()), run(0, 90, 500, 80)}, 1, 500, nil},
	} {
		leader, budget, at := Leader(tc.curves)
		if leader != tc.leader || budget != tc.budget {
			t.Errorf("%s: leader %d at %g, want %d at %g", tc.name, leader, budget, tc.leader, tc.budget)
		}
		if tc.at != nil && !slices.Equal(at, tc.at) {
			t.Errorf("%s: standings %v, want %v", tc.name, at, tc.at)
		}
	}
}

// A page shows each message of a race once: the page's and the held single run's as they
// are, one every racer has (a bad model file sent to every engine) as it is, one that only
// some have with their names.

func TestRaceMessages(t *testing.T) {
	names := []string{"szo-scd", "flops", "zadam"}
	bad := "model file notes.json: malformed JSON at byte 2"
	for _, tc := range []struct {
		name   string
		own    []string
		racers [][]string
		want   []string
	}{
		{"none", nil, [][]string{nil, nil, nil}, nil},
		{"every racer's, once", nil, [][]string{{bad}, {bad}, {bad}}, []string{bad}},
		{"the held single run's too", []string{bad}, [][]string{{bad}, {bad}, {bad}}, []string{bad}},
		{"the single run's before a racer's", []string{bad}, [][]string{{bad}, nil, nil}, []string{bad}},
		{"one racer's, named", nil, [][]string{nil, {"the engine failed"}, nil}, []string{"racer flops: the engine failed"}},
		{"some racers', named once", nil, [][]string{{bad}, nil, {bad}}, []string{"racers szo-scd, zadam: " + bad}},
		{"own first, then the racers' in order", []string{"page: x"}, [][]string{{"a", bad}, {bad, "b"}, {bad}},
			[]string{"page: x", "racer szo-scd: a", bad, "racer flops: b"}},
		{"empty lines dropped, repeats once", []string{"", "x", "x"}, [][]string{{"", "y", "y"}, {"y"}, {"y"}}, []string{"x", "y"}},
	} {
		if got := RaceMessages(tc.own, names, tc.racers); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Booth mode's cycle: a chip of the single run, then a race on that chip, each racer done
// when it has plateaued and the race over when every racer has (progress, not time; the
// clock only as a safety net), its result, then the single run again on its next chip;
// nothing while booth mode is off.
func TestRaceParams(t *testing.T) {
	got := RaceParams(map[string]string{"alpha": "0.2", "optimizer": "stp", "race": "off", "booth": "1", "view": "network", "run": "1", "seed": "3", "layer": "1"})
	if len(got) != 3 || got["alpha"] != "0.2" || got["seed"] != "3" || got["layer"] != "1" {
		t.Errorf("RaceParams passed on %v", got)
	}
}
