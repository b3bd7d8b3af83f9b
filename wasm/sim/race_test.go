package sim

import (
	"slices"
	"strings"
	"testing"
	"time"
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
