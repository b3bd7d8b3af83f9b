package page

import (
	"math"
	"slices"
	"strings"

	"github.com/meshlight/meshlight/render"
)

// The race rules the page applies: which settings go on to the racers, how their messages
// show, and who leads. The race list and each racer's settings are the engine's
// (sim.ParseRace, sim.RaceSettings), which the snapshot carries (wire.Racer).

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
