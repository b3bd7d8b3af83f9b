package sim

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/meshlight/meshlight/render"
)

func TestParseRace(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
		err      string // a part of the error, "" for none
	}{
		{"three", "szo-scd,flops,zadam", []string{"szo-scd", "flops", "zadam"}, ""},
		{"two, case and spaces", " FLOPS , stp", []string{"flops", "stp"}, ""},
		{"four", "szo-scd,flops,zadam,znewton", []string{"szo-scd", "flops", "zadam", "znewton"}, ""},
		{"empty", "", nil, "an empty list: want 2 to 4 optimizers"},
		{"blank", "  ", nil, "an empty list"},
		{"one", "szo-scd", nil, "1 optimizers, want 2 to 4"},
		{"five", "szo-scd,flops,zadam,znewton,stp", nil, "5 optimizers, want 2 to 4"},
		{"unknown", "szo-scd,sgd", nil, `entry 2: unknown optimizer "sgd" (known: `},
		{"repeat", "flops,stp,flops", nil, "entry 3: flops is already in the race"},
		{"repeat in another case", "flops,FLOPS", nil, "entry 2: flops is already in the race"},
		{"empty entry", "flops,,stp", nil, "entry 2 is empty"},
		{"trailing comma", "flops,stp,", nil, "entry 3 is empty"},
	} {
		got, err := ParseRace(tc.in)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: ParseRace(%q): %v", tc.name, tc.in, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: ParseRace(%q) error %v, want one containing %q", tc.name, tc.in, err, tc.err)
		case !slices.Equal(got, tc.want):
			t.Errorf("%s: ParseRace(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// The race is a setting of the address: a good list in its canonical form, "off" closes
// it, and a bad one is refused naming what is wrong while the last good race stays.
func TestRaceSetting(t *testing.T) {
	s, errs := ParseQuery("?race=FLOPS,szo-scd&seed=4")
	if len(errs) > 0 || s.Race != "flops,szo-scd" || !slices.Equal(s.Racers(), []string{"flops", "szo-scd"}) {
		t.Fatalf("race from the address: %q %v", s.Race, errs)
	}
	if q := s.Query(); q != "seed=4&race=flops%2Cszo-scd" {
		t.Errorf("query %q", q)
	}
	if r, _ := ParseQuery(s.Query()); r != s {
		t.Errorf("the query does not round-trip: %+v", r)
	}
	for _, bad := range []string{"", "flops", "flops,flops", "flops,sgd", "a,b,c,d,e"} {
		if _, err := s.Set("race", bad); err == nil || !strings.HasPrefix(err.Error(), "race=") {
			t.Errorf("race=%q: error %v, want one naming race", bad, err)
		}
		if s.Race != "flops,szo-scd" {
			t.Errorf("race=%q changed the race to %q", bad, s.Race)
		}
	}
	if _, err := s.Set("race", "off"); err != nil || s.Race != "" || s.Racers() != nil {
		t.Errorf("race=off: %v, race %q", err, s.Race)
	}
	if _, errs := ParseQuery("race=szo-scd"); len(errs) != 1 || !strings.Contains(errs[0].Error(), "race=\"szo-scd\": 1 optimizers, want 2 to 4") {
		t.Errorf("a bad race in the address: %v", errs)
	}
}

func TestRaceSettings(t *testing.T) {
	base, _ := ParseQuery("race=szo-scd,flops,zadam&booth=1&run=1&seed=7&alpha=0.3")
	for _, name := range base.Racers() {
		rs, err := RaceSettings(base, name)
		if err != nil {
			t.Fatal(err)
		}
		single, _ := ParseQuery("seed=7&alpha=0.3&optimizer=" + name)
		if rs != single {
			t.Errorf("racer %s: %+v, want a single run's %+v", name, rs, single)
		}
	}
	// A step chosen by hand is every racer's.
	base.Set("lr", "0.1")
	rs, _ := RaceSettings(base, "flops")
	if rs.Step != 0.1 || rs.Optimizer != "flops" {
		t.Errorf("lr by hand: %+v", rs)
	}
	if _, err := RaceSettings(base, "sgd"); err == nil {
		t.Error("an unknown optimizer raced")
	}
	got := RaceParams(map[string]string{"alpha": "0.2", "optimizer": "stp", "race": "off", "booth": "1", "view": "network", "run": "1", "seed": "3", "layer": "1"})
	if len(got) != 3 || got["alpha"] != "0.2" || got["seed"] != "3" || got["layer"] != "1" {
		t.Errorf("RaceParams passed on %v", got)
	}
}

// runTo trains a session for exactly n queries from its deployment.
func runTo(t *testing.T, s *Session, c *clock, n int64) {
	t.Helper()
	s.Start()
	for s.Queries() < n && s.Running() {
		s.Tick(c.now().Add(time.Hour), n-s.Queries()) // the clock stands still: the limit decides
	}
	if e := s.Errors(); len(e) > 0 {
		t.Fatal(e)
	}
}

// Same seed, same result: the racers get identical chips (drift, crosstalk, active set),
// and racer i's curve is the curve of a single run of its optimizer with the same settings.
func TestRacersShareTheChipAndMatchASingleRun(t *testing.T) {
	st := testSite(t)
	base, _ := ParseQuery("race=szo-scd,flops,zadam&booth=1&seed=3&alpha=0.3")
	const n = 3000
	var active []int
	var effective, gamma []float64 // the first racer's chip as deployed
	for _, name := range base.Racers() {
		rs, err := RaceSettings(base, name)
		if err != nil {
			t.Fatal(err)
		}
		c := newClock()
		racer := NewSession(rs.Query(), st.fetch)
		racer.SetClock(c.now)
		ready(t, racer, c)
		chip := racer.Chip()
		if active == nil {
			active = slices.Clone(chip.Active())
			for i := range chip.NumPhases() {
				effective, gamma = append(effective, chip.Effective(i)), append(gamma, chip.Gamma(i))
			}
		} else {
			if !slices.Equal(active, chip.Active()) {
				t.Errorf("racer %s: another active set", name)
			}
			for i := range chip.NumPhases() {
				if chip.Effective(i) != effective[i] || chip.Gamma(i) != gamma[i] {
					t.Fatalf("racer %s: phase %d: effective %g, gamma %g; the first racer's %g, %g", name, i, chip.Effective(i), chip.Gamma(i), effective[i], gamma[i])
				}
			}
		}
		runTo(t, racer, c, n)
		single := NewSession("seed=3&alpha=0.3&optimizer="+name, st.fetch)
		single.SetClock(c.now)
		ready(t, single, c)
		runTo(t, single, c, n)
		rc, sc := racer.Scene().Runs, single.Scene().Runs
		got, want := rc[len(rc)-1], sc[len(sc)-1]
		if len(got.Queries) < 3 {
			t.Fatalf("racer %s: %d curve points after %d queries", name, len(got.Queries), n)
		}
		if !slices.Equal(got.Queries, want.Queries) || !slices.Equal(got.Accuracy, want.Accuracy) || !slices.Equal(got.Power, want.Power) {
			t.Errorf("racer %s: curve %v %v, a single run's %v %v", name, got.Queries, got.Accuracy, want.Queries, want.Accuracy)
		}
		if racer.Stats().Optimizer != name {
			t.Errorf("racer %s runs %s", name, racer.Stats().Optimizer)
		}
	}
}

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
func TestBoothCycle(t *testing.T) {
	var b BoothCycle
	c := newClock()
	single := func(phase string) Stats { return Stats{Ready: true, Booth: phase} }
	racer := func(queries, kept int64) Stats { return Stats{Ready: true, Queries: queries, KeptQueries: kept} }
	step := func(d time.Duration, phase string, chip int64, racers []Stats, want BoothAction) {
		t.Helper()
		c.add(d)
		if got := b.Tick(c.now(), single(phase), chip, racers); got != want {
			t.Fatalf("at %v with the single run in %q on chip %d, racers %+v: %v, want %v", c.now(), phase, chip, racers, got, want)
		}
	}
	step(0, "", 1, nil, BoothNone) // booth mode off
	step(time.Second, "recover", 1, nil, BoothNone)
	step(time.Minute, "result", 1, nil, BoothNone)
	step(boothResult, "recover", 2, nil, BoothOpenRace) // the single run moved on to chip 2
	if !b.Racing() || b.Chip() != 1 {
		t.Fatalf("racing %v on chip %d, want a race on chip 1, the one whose result was shown", b.Racing(), b.Chip())
	}
	p := BoothPlateau
	step(time.Second, "recover", 2, []Stats{{}, {}}, BoothNone)                                             // the racers load
	step(time.Minute, "recover", 2, []Stats{racer(p.Min, p.Min/2), racer(p.Min, p.Min-500)}, BoothNone)     // both improving
	step(time.Second, "recover", 2, []Stats{racer(3*p.Min, p.Min), racer(3*p.Min, 3*p.Min-500)}, BoothNone) // the second still improves
	step(time.Second, "recover", 2, []Stats{racer(p.Max, p.Min), racer(p.Max-500, p.Max-1000)}, BoothNone)  // it nears the cap
	if !b.Done(racer(p.Max+500, p.Min)) || b.Done(racer(p.Max-500, p.Max-1000)) || b.Done(Stats{}) {
		t.Error("during the race, a plateaued racer is done, an improving or unready one is not")
	}
	step(time.Second, "recover", 2, []Stats{racer(p.Max+500, p.Min), racer(p.Max, p.Max-1000)}, BoothEndRace) // every racer is done
	if b.Done(racer(p.Max+500, p.Min)) {
		t.Error("a racer is done (to be paused) after the race")
	}
	step(time.Second, "recover", 2, nil, BoothNone)
	step(boothResult, "recover", 2, nil, BoothCloseRace)
	if b.Racing() {
		t.Fatal("still racing after the result")
	}
	step(time.Second, "recover", 2, nil, BoothNone) // the single run recovers chip 2
	step(time.Minute, "result", 2, nil, BoothNone)
	step(boothResult, "recover", 3, nil, BoothOpenRace)
	if b.Chip() != 2 {
		t.Errorf("race on chip %d, want 2", b.Chip())
	}
	// A racer that never plateaus (a stalled worker) ends the race at the clock's cap.
	stalled := []Stats{racer(p.Max, 0), {}}
	step(time.Second, "recover", 3, stalled, BoothNone)
	step(boothRaceCap, "recover", 3, stalled, BoothEndRace)
	b.Stop()
	if b.Racing() {
		t.Error("racing after Stop")
	}
}
