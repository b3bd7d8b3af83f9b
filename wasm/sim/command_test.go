package sim

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/meshlight/meshlight/wasm/page"
	"github.com/meshlight/meshlight/wasm/wire"
)

// eager applies a command through the Session's eager methods, each deploying at once:
// the behaviour that Command must match.
func eager(s *Session, c Command) {
	switch c.Name {
	case "start":
		s.Start()
	case "pause":
		s.Pause()
	case "end":
		s.End()
	case "until":
		s.Until(c.Until)
	case "step":
		s.Step()
	case "reset":
		s.Reset()
	case "redeploy":
		s.Redeploy()
	case "clearErrors":
		s.ClearErrors()
	case "set":
		s.Set(c.Params)
	}
}

// burstOf is a random burst of n commands in any order: start, pause, reset, redeploy,
// clearErrors and settings changes of the run (alpha, s, p, optimizer, seed, chip,
// compare), some of them bad values, and with steps, step.
func burstOf(rng *rand.Rand, n int, steps bool) []Command {
	names := []string{"start", "pause", "reset", "redeploy", "clearErrors", "set", "set", "set"}
	if steps {
		names = append(names, "step")
	}
	optimizers := []string{"szo-scd", "stp", "szo-scd-margin"}
	chips := []string{"paper", "ideal", "strong"}
	cmds := make([]Command, n)
	for i := range cmds {
		c := Command{Name: names[rng.IntN(len(names))]}
		if c.Name == "set" {
			c.Params = map[string]string{}
			for range 1 + rng.IntN(3) {
				switch rng.IntN(8) {
				case 0:
					c.Params["alpha"] = strconv.FormatFloat(float64(1+rng.IntN(10))/10, 'g', -1, 64)
				case 1:
					c.Params["s"] = strconv.FormatFloat(float64(1+rng.IntN(10))/10, 'g', -1, 64)
				case 2:
					c.Params["p"] = strconv.FormatFloat(float64(rng.IntN(5))/4, 'g', -1, 64)
				case 3:
					c.Params["optimizer"] = optimizers[rng.IntN(len(optimizers))]
				case 4:
					c.Params["seed"] = strconv.Itoa(1 + rng.IntN(9))
				case 5:
					c.Params["chip"] = chips[rng.IntN(len(chips))]
				case 6:
					c.Params["compare"] = strconv.Itoa(rng.IntN(2))
				case 7:
					c.Params["alpha"] = "-1" // refused: alpha stays, a message
				}
			}
		}
		cmds[i] = c
	}
	return cmds
}

// lastAsks is what the last commands of a burst ask for, worked out from the burst alone:
// whether the run trains (the last start or pause; as before without either), each
// setting's last good value, and the seed (the last one set, then one more per redeploy
// after it).
func lastAsks(before Settings, running bool, cmds []Command) (Settings, bool) {
	want := before
	for _, c := range cmds {
		switch c.Name {
		case "start":
			running = true
		case "pause":
			running = false
		case "redeploy":
			want.Seed = NextSeed(want.Seed)
		case "set":
			// In the canonical order, as a page's set is applied: a preset before the step.
			want.Apply(c.Params, 0)
		}
	}
	return want, running
}

// Any burst of commands, in any order and of any length, applied through an Inbox ends in
// the state the last commands ask for: the settings of the last good values, a run deployed
// on them, training if the last of start and pause was start. It matches the eager methods
// applied in the same order (their stats, to the last query and the earlier runs kept),
// and costs one deployment however many the burst asks for, and one more for each step
// (a step trains, so the run it steps on is deployed then).
func TestBurstOfCommandsEndsInTheLastCommandsState(t *testing.T) {
	for _, tc := range []struct {
		name    string
		seed    uint64
		n       int
		running bool // training before the burst
		steps   bool
	}{
		{"ten paused", 1, 10, false, false},
		{"ten training", 2, 10, true, false},
		{"a hundred with steps", 3, 100, true, true},
		{"two thousand paused", 4, 2000, false, false},
		{"five thousand training", 5, 5000, true, false}, // the burst has 5,000
		{"two thousand with steps", 6, 2000, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds := burstOf(rand.New(rand.NewPCG(tc.seed, 19)), tc.n, tc.steps)
			steps := 0
			for _, c := range cmds {
				if c.Name == "step" {
					steps++
				}
			}
			s, c, _ := newTestSession(t, "?speed=50")
			ref, rc, _ := newTestSession(t, "?speed=50")
			if tc.running {
				s.Start()
				ref.Start()
				for range 3 {
					frame(s, c)
					frame(ref, rc)
				}
			}
			want, running := lastAsks(s.Settings(), tc.running, cmds)
			in := NewInbox(s)
			run := s.RunID()
			for i, cmd := range cmds {
				in.Push(uint64(i+1), cmd)
				eager(ref, cmd)
			}
			if got := in.Seq(); got != uint64(len(cmds)) {
				t.Errorf("seq %d after %d commands", got, len(cmds))
			}
			in.Do((*Session).Flush) // deploys what the burst asked for
			if got := s.Settings(); got != want {
				t.Errorf("settings\n%+v\nwant (the last values set)\n%+v", got, want)
			}
			if got := s.Stats(); got.Running != running || !got.Ready || got.Optimizer != want.Optimizer || got.Chip != want.Preset {
				t.Errorf("stats %+v: want running %v, optimizer %s, chip %s", got, running, want.Optimizer, want.Preset)
			}
			label := fmt.Sprintf("%s α %g s %g p %g ", want.Optimizer, want.Alpha, want.S, want.P)
			if got := s.curve.Label; len(got) < len(label) || got[:len(label)] != label || s.runSet.Seed != want.Seed {
				t.Errorf("run %q seed %d: want it deployed on %q seed %d", got, s.runSet.Seed, label, want.Seed)
			}
			if got, ref := fmt.Sprintf("%+v", s.Stats()), fmt.Sprintf("%+v", ref.Stats()); got != ref {
				t.Errorf("stats after the burst\n%s\nthe eager methods'\n%s", got, ref)
			}
			if got := s.RunID() - run; got > uint64(1+steps) {
				t.Errorf("the burst deployed %d chips, want at most %d (one, and one per step)", got, 1+steps)
			}
			q := s.Stats().Queries
			for range 3 {
				in.Do(func(s *Session) { frame(s, c) })
			}
			if got := s.Stats().Queries; running != (got > q) {
				t.Errorf("queries %d after 3 frames from %d: want training %v", got, q, running)
			}
		})
	}
}

// A snapshot asked for after a burst carries its last command's number and the state the
// commands asked for, while other goroutines push commands and train (as the worker's
// message handler and its loop do): no command is lost, and the race detector sees the
// Session used under the lock only.
func TestInboxUnderConcurrentCommands(t *testing.T) {
	s, c, _ := newTestSession(t, "?speed=50")
	in := NewInbox(s)
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Add(1)
	go func() { // the engine's loop
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			case <-in.Wake():
			}
			in.Do(func(s *Session) { frame(s, c) })
		}
	}()
	for i := range 2000 {
		cmd := Command{Name: "set", Params: map[string]string{"alpha": strconv.FormatFloat(float64(1+i%10)/10, 'g', -1, 64)}}
		if i%2 == 1 {
			cmd = Command{Name: []string{"start", "pause", "reset"}[i%3]}
		}
		in.Push(uint64(i+1), cmd)
	}
	in.Push(2001, Command{Name: "set", Params: map[string]string{"alpha": "0.7"}})
	in.Push(2002, Command{Name: "start"})
	close(done)
	wg.Wait()
	var m page.Mirror
	if err := m.Apply(in.Snapshot(nil, Have{})); err != nil {
		t.Fatal(err)
	}
	runs := m.Scene.Runs
	if m.Seq != 2002 || m.Settings.Get("alpha") != "0.7" || !m.Stats.Running || len(runs) == 0 || !strings.Contains(runs[len(runs)-1].Label, " α 0.7 ") {
		t.Errorf("snapshot: seq %d, alpha %s, running %v, runs %d: want 2002, 0.7, running on a run of alpha 0.7", m.Seq, m.Settings.Get("alpha"), m.Stats.Running, len(runs))
	}
}

// The rule that ends a run (until) and ending it (end) apply to the run the commands before
// them asked for, although its deployment waits: the booth cycle sends reset or redeploy,
// then until, then start, and the rule must be the new run's (a deployment drops the rule,
// so a rule given before a reset is gone). Checked against the eager methods: the rule
// held, and the stats after training long enough for the rule to end the run.
func TestUntilAndEndAmongCommands(t *testing.T) {
	rule := &wire.Plateau{Factor: 1, Min: 300, Max: 600}
	reset, redeploy, start := Command{Name: "reset"}, Command{Name: "redeploy"}, Command{Name: "start"}
	until, none, end := Command{Name: "until", Until: rule}, Command{Name: "until"}, Command{Name: "end"}
	for _, tc := range []struct {
		name string
		cmds []Command
		rule bool // the run ends by the rule
	}{
		{"booth's start: reset, until, start", []Command{reset, until, start}, true},
		{"booth's next chip: redeploy, until, start", []Command{redeploy, until, start}, true},
		{"a rule before a reset is dropped", []Command{until, reset, start}, false},
		{"a reset after the rule drops it", []Command{reset, until, redeploy, start}, false},
		{"no rule after the rule", []Command{reset, until, none, start}, false},
		{"end after a reset ends the new run", []Command{start, reset, end}, false},
		{"start on an ended run, then the rule", []Command{end, reset, start, end, start, until}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, c, _ := newTestSession(t, "?speed=50")
			ref, rc, _ := newTestSession(t, "?speed=50")
			for _, x := range []*Session{s, ref} {
				x.Start()
			}
			for range 3 {
				frame(s, c)
				frame(ref, rc)
			}
			in := NewInbox(s)
			for i, cmd := range tc.cmds {
				in.Push(uint64(i+1), cmd)
				eager(ref, cmd)
			}
			in.Do((*Session).Flush)
			if got, want := s.until, ref.until; (got == nil) != (want == nil) || (got != nil && *got != *want) {
				t.Errorf("rule %v, the eager methods' %v", got, want)
			}
			if (s.until != nil) != tc.rule {
				t.Errorf("rule %v: want one %v", s.until, tc.rule)
			}
			for range 40 { // 2,000 queries: past the rule's Max
				in.Do(func(s *Session) { frame(s, c) })
				frame(ref, rc)
			}
			if got, want := fmt.Sprintf("%+v", s.Stats()), fmt.Sprintf("%+v", ref.Stats()); got != want {
				t.Errorf("stats after training\n%s\nthe eager methods'\n%s", got, want)
			}
			if st := s.Stats(); tc.rule && (!st.Done || st.Queries > rule.Max+50) {
				t.Errorf("done %v at %d queries: want ended by the rule (at most %d)", st.Done, st.Queries, rule.Max)
			}
		})
	}
}

// An unknown command is reported, and changes nothing else.
func TestCommandUnknown(t *testing.T) {
	s, _, _ := newTestSession(t, "")
	before := s.Settings()
	if errs := s.Command(Command{Name: "launch"}); len(errs) != 1 || s.Stats().Error != errs[0].Error() {
		t.Errorf("errors %v, messages %q", errs, s.Stats().Error)
	}
	if s.Settings() != before || s.Stats().Running {
		t.Error("an unknown command changed the session")
	}
}

// Choosing a model from the site is a real choice even when the settings name it already:
// after a model file (loaded, or still loading) it brings the site's model back, and a
// model chosen while another loads wins over it, even when it is the one shown before.
func TestModelChoiceWins(t *testing.T) {
	file := modelBytes(t, "mine", "vowel4", "8-12-4")
	for _, tc := range []struct {
		name string
		do   func(t *testing.T, s *Session, c *clock)
		want string // the model shown: its reference, "" for the file
	}{
		{"the address's model after a loaded file", func(t *testing.T, s *Session, c *clock) {
			s.LoadFile("mine.json", file)
			settle(t, s, c)
			if s.Stats().ModelFile != "mine.json" {
				t.Fatalf("the file did not load: %+v", s.Stats())
			}
			s.Command(Command{Name: "set", Params: map[string]string{"model": "mnist8-mlp"}})
		}, "mnist8-mlp"},
		{"the address's model while a file loads", func(t *testing.T, s *Session, c *clock) {
			s.LoadFile("mine.json", file)
			s.Set(map[string]string{"model": "mnist8-mlp"})
		}, "mnist8-mlp"},
		{"a file after the choice", func(t *testing.T, s *Session, c *clock) {
			s.Set(map[string]string{"model": "vowel-mlp"})
			s.LoadFile("mine.json", file)
		}, ""},
		{"back to the model shown while another loads", func(t *testing.T, s *Session, c *clock) {
			s.Set(map[string]string{"model": "vowel-mlp"})
			s.Set(map[string]string{"model": "mnist8-mlp"})
		}, "mnist8-mlp"},
		{"the same model twice", func(t *testing.T, s *Session, c *clock) {
			s.Set(map[string]string{"model": "vowel-mlp"})
			s.Set(map[string]string{"model": "vowel-mlp"})
		}, "vowel-mlp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, c, _ := newTestSession(t, "?speed=50")
			tc.do(t, s, c)
			settle(t, s, c)
			st := s.Stats()
			switch {
			case tc.want == "" && st.ModelFile != "mine.json":
				t.Errorf("showing %q (file %q), want the file", st.Model, st.ModelFile)
			case tc.want != "" && (st.Model != tc.want || st.ModelFile != "" || s.Settings().Model != tc.want):
				t.Errorf("showing %q (file %q), settings %q: want %s", st.Model, st.ModelFile, s.Settings().Model, tc.want)
			}
			if !st.Ready || st.Error != "" || st.Status != "" {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// BenchmarkBurst is the burst, 1,000 rounds of start, pause, reset, set (alpha, s,
// p) and start, applied through an Inbox and then deployed (Flush), against the eager
// methods, which deploy at every reset and settings change.
func BenchmarkBurst(b *testing.B) {
	round := func(i int) []Command {
		set := map[string]string{"alpha": strconv.FormatFloat(float64(1+i%9)/10, 'g', -1, 64),
			"s": strconv.FormatFloat(float64(1+i%5)/10, 'g', -1, 64), "p": strconv.FormatFloat(float64(i%3)/4, 'g', -1, 64)}
		return []Command{{Name: "start"}, {Name: "pause"}, {Name: "reset"}, {Name: "set", Params: set}, {Name: "start"}}
	}
	for _, tc := range []struct {
		name  string
		apply func(s *Session, in *Inbox, seq uint64, c Command)
	}{
		{"inbox", func(_ *Session, in *Inbox, seq uint64, c Command) { in.Push(seq, c) }},
		{"eager", func(s *Session, _ *Inbox, _ uint64, c Command) { eager(s, c) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, c := NewSession("?speed=50", testSite(b).fetch), newClock()
			s.SetClock(c.now)
			ready(b, s, c)
			in := NewInbox(s)
			seq := uint64(0)
			for b.Loop() {
				for i := range 1000 {
					for _, c := range round(i) {
						seq++
						tc.apply(s, in, seq, c)
					}
				}
				in.Do((*Session).Flush)
			}
		})
	}
}
