package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/meshlight/meshlight/render"
	pg "github.com/meshlight/meshlight/wasm/page"
	"github.com/meshlight/meshlight/wasm/wire"
)

// A race of optimizers (?race=szo-scd,flops,zadam): one engine per racer, each in a Web
// Worker of its own (static/engine.js, the engine of a single run) started with the query
// the single run's engine gave it (wire.Racer: the race's settings with its own optimizer,
// sim.RaceSettings), so the racers share the seed and with it the chip and the data order,
// and racer i's curve is a single run's. The page holds the single run's engine meanwhile
// (no training; it still answers), mirrors every racer (page.Mirror) and draws the race
// from the mirrors (render.Race). Closing the race
// terminates its workers and releases the single run, which goes on where it was.
//
// Each racer is a WebAssembly instance with its own copy of the model and data (no memory
// is shared between workers without SharedArrayBuffer, which GitHub Pages cannot enable):
// N racers cost N engines' memory; their files come from the browser's cache after the
// first.
type race struct {
	names   []string
	seed0   int64 // the chip the race opened on
	racers  []*racer
	byBooth bool   // opened by booth mode's cycle, which closes it
	note    string // booth mode's result line
	scene   render.Scene
	view    render.Race
}

// racer is one racer's engine (its worker and mirror).
type racer struct {
	name string
	*engine
	done bool // booth mode paused it: it has plateaued (page.Booth.Done)
}

// newRacer starts an engine for optimizer name with the racer's URL query.
func newRacer(name, query string) *racer { return &racer{name: name, engine: newEngine(query)} }

// curve is the racer's current run.
func (r *racer) curve() render.Run { return r.mirror.Curve() }

// ready reports whether the racer's chip is deployed.
func (r *racer) ready() bool { return r.mirror.Received && r.mirror.Stats.Ready }

// openRace starts a race of the racers the single run's engine reported (their
// optimizers and queries); run starts training as soon as each chip is deployed. The single
// run's engine is held meanwhile. A model file the page shows (the single run's, or the
// race's before) goes to the new racers too.
func (p *page) openRace(racers []wire.Racer, run, byBooth bool) {
	shown := p.Stats().ModelFile
	p.closeRace()
	seed, _ := strconv.ParseInt(p.mirror.Settings.Get("seed"), 10, 64)
	rc := &race{seed0: seed, byBooth: byBooth}
	for _, r := range racers {
		q := r.Query
		if run {
			q = strings.TrimPrefix(q+"&run=1", "&")
		}
		rc.names = append(rc.names, r.Optimizer)
		rc.racers = append(rc.racers, newRacer(r.Optimizer, q))
	}
	p.race = rc
	p.send("hold", nil)
	p.raceFile(rc, shown)
}

// closeRace stops the race's workers and releases the single run's engine.
func (p *page) closeRace() {
	if p.race == nil {
		return
	}
	for _, r := range p.race.racers {
		r.close()
	}
	p.race = nil
	p.send("release", nil)
}

// updateRace moves booth mode's cycle along (page.Booth) and opens, closes and steps the
// race: in booth mode as the cycle says (the settings' race, or sim.BoothRace, on every
// chip the single run has recovered, until every racer has plateaued), otherwise as the
// race setting says. A race whose list changes is started again with the new list.
func (p *page) updateRace(now time.Time) {
	booth := p.booleanSetting("booth")
	if booth && p.race != nil && !p.race.byBooth {
		p.closeRace() // booth mode races in its own turns (the single run's engine must run)
	}
	v := pg.BoothView{On: booth && p.mirror.Received, Settled: p.mirror.Received && p.mirror.Seq >= p.seq, Single: p.mirror.Stats}
	v.Seed, _ = strconv.ParseInt(p.mirror.Settings.Get("seed"), 10, 64)
	if p.race != nil {
		for _, r := range p.race.racers {
			v.Racers = append(v.Racers, r.mirror.Stats)
		}
	}
	p.boothView = v
	switch p.booth.Tick(now, v) {
	case pg.BoothStart:
		p.send("reset", nil)
		p.sendUntil(&pg.BoothPlateau)
		p.send("start", nil)
	case pg.BoothEnd:
		p.send("end", nil)
	case pg.BoothOpenRace:
		p.openRace(p.mirror.Race, true, true)
	case pg.BoothEndRace:
		if p.race != nil {
			for _, r := range p.race.racers {
				r.send("pause", nil)
			}
			p.race.note = p.race.result()
		}
	case pg.BoothNext:
		p.closeRace()
		p.send("redeploy", nil)
		p.sendUntil(&pg.BoothPlateau)
		p.send("start", nil)
	case pg.BoothOff:
		p.closeRace()
		p.sendUntil(nil)
	case pg.BoothNone:
		if p.race != nil && p.race.byBooth {
			for _, r := range p.race.racers {
				if !r.done && p.booth.Done(r.mirror.Stats) {
					r.done = true
					r.send("pause", nil)
				}
			}
		}
	}
	if !booth && p.mirror.Received {
		want := p.mirror.Settings.Get("race")
		switch {
		case want == "" && p.race != nil:
			p.closeRace()
		case want != "" && (p.race == nil || strings.Join(p.race.names, ",") != want) && len(p.mirror.Race) > 0:
			running := p.race != nil && p.race.running()
			p.openRace(p.mirror.Race, p.booleanSetting("run") || running, false)
		}
	}
	if p.race != nil {
		for _, r := range p.race.racers {
			r.update()
		}
	}
}

// sendUntil sends the single run's engine the rule that ends its run (nil: none).
func (p *page) sendUntil(rule *wire.Plateau) {
	m := map[string]any{}
	if rule != nil {
		m = map[string]any{"factor": rule.Factor, "min": float64(rule.Min), "max": float64(rule.Max)}
	}
	p.engine.send("until", m)
}

// raceCommand passes a command of the page on to the racers while a race is open, and
// reports whether the single run's engine should get it too: start, pause and step move
// only the racers; reset, redeploy and clearErrors both (the single run keeps its seed in
// step); a set goes to the racers with only the parameters they share (page.RaceParams).
func (p *page) raceCommand(cmd string, extra map[string]any) bool {
	if p.race == nil {
		return true
	}
	switch cmd {
	case "start", "pause", "step":
		for _, r := range p.race.racers {
			r.send(cmd, nil)
		}
		return false
	case "reset", "redeploy", "clearErrors":
		for _, r := range p.race.racers {
			if cmd == "clearErrors" {
				r.errs = nil
			}
			r.send(cmd, nil)
		}
	case "set":
		params := map[string]string{}
		if m, ok := extra["params"].(map[string]any); ok {
			for k, v := range m {
				params[k] = fmt.Sprint(v)
			}
		}
		if shared := pg.RaceParams(params); len(shared) > 0 {
			m := map[string]any{}
			for k, v := range shared {
				m[k] = v
			}
			for _, r := range p.race.racers {
				r.send("set", map[string]any{"params": m})
			}
		}
	}
	return true
}

// running reports whether any racer trains.
func (rc *race) running() bool {
	for _, r := range rc.racers {
		if r.mirror.Stats.Running {
			return true
		}
	}
	return false
}

// seed is the racers' chip: as the first racer reports it (a redeploy moves every racer
// to the next seed), or as the race opened.
func (rc *race) seed() int64 {
	if len(rc.racers) > 0 && rc.racers[0].mirror.Received {
		return rc.racers[0].seed()
	}
	return rc.seed0
}

// standings applies the leader rule to the racers' curves.
func (rc *race) standings() (int, float64, []pg.Standing) {
	curves := make([]render.Run, len(rc.racers))
	for i, r := range rc.racers {
		curves[i] = r.curve()
	}
	return pg.Leader(curves)
}

// result is booth mode's line at the end of a race: the leader by the leader rule, and
// the state each racer keeps (chosen on its validation split), which a racer that slid
// back after its best does not show by its last test.
func (rc *race) result() string {
	seed := rc.seed()
	leader, budget, st := rc.standings()
	if leader < 0 {
		return fmt.Sprintf("race on chip %d: no leader (a racer had no test after training)", seed)
	}
	var others, kept []string
	for i, r := range rc.racers {
		if i != leader {
			others = append(others, fmt.Sprintf("%s %.1f %%", r.name, st[i].Accuracy))
		}
		if s := r.mirror.Stats; s.Kept {
			kept = append(kept, fmt.Sprintf("%s %.1f %%", r.name, s.KeptAccuracy))
		}
	}
	line := fmt.Sprintf("race on chip %d: %s leads with %.1f %% at %s queries (%s)", seed, rc.racers[leader].name,
		st[leader].Accuracy, render.Compact(budget), strings.Join(others, ", "))
	if len(kept) > 0 {
		line += "; kept: " + strings.Join(kept, ", ")
	}
	return line
}

// sceneOf is the race as the canvas draws it, built from the racers' mirrors; single are
// the single run's figures, whose chip (the racers' too) the status line names.
func (rc *race) sceneOf(single wire.Stats) *render.Scene {
	leader, budget, st := rc.standings()
	rv := &rc.view
	rv.Leader, rv.Budget, rv.Rule = leader, budget, pg.LeaderRule
	rv.Lanes = rv.Lanes[:0]
	sc := &rc.scene
	*sc = render.Scene{Title: "meshlight", Ready: true, Race: rv}
	for i, r := range rc.racers {
		m := &r.mirror
		l := render.Lane{Name: r.name, Colour: render.RaceColour(i), Run: r.curve(), Standing: math.NaN()}
		switch {
		case !m.Received:
			l.Status = "starting the engine…"
		case !m.Stats.Ready:
			l.Status = m.Stats.Status
		default:
			l.Chip, l.Light, l.Version = m.Scene.Chip, m.Scene.Light, m.Scene.Version
			l.Readouts, l.QPS = m.Scene.Readouts, m.Stats.QueriesPerSecond
			sc.Title = m.Scene.Title
		}
		if st != nil {
			l.Standing = st[i].Accuracy
		}
		sc.Ready = sc.Ready && r.ready()
		rv.Lanes = append(rv.Lanes, l)
	}
	lead := max(leader, 0)
	if lead < len(rv.Lanes) {
		sc.Readouts = rv.Lanes[lead].Readouts
	}
	state := "paused"
	if rc.running() {
		state = "racing"
	}
	chip := single.Chip
	if single.ChipEdited {
		chip += "*"
	}
	alpha := ""
	if len(rc.racers) > 0 {
		alpha = rc.racers[0].mirror.Settings.Get("alpha")
	}
	sc.Status = fmt.Sprintf("%s · %s · α %s · seed %d · %s chip", state, strings.Join(rc.names, " vs "), alpha, rc.seed(), chip)
	sc.Note = rc.note
	return sc
}

// stats puts the race's figures into the page API's: the model and the run figures of the
// leader (the first racer's before there is one: the held single run's may be older), the
// race's ready and running, the racers' summed queries per second, and with the page's own
// messages (own, which include the held single run's) the racers' (page.RaceMessages: a
// bad model file that every racer read is one message).
func (rc *race) stats(st wire.Stats, own []string) wire.Stats {
	leader, _, _ := rc.standings()
	lead := rc.racers[max(leader, 0)].mirror.Stats
	st.Ready, st.Running, st.Done = true, false, true
	qps := 0.0
	msgs := make([][]string, len(rc.racers))
	for i, r := range rc.racers {
		s := r.mirror.Stats
		st.Ready = st.Ready && r.ready()
		st.Running = st.Running || s.Running
		st.Done = st.Done && s.Done
		qps += s.QueriesPerSecond
		msgs[i] = append(lines(s.Error), r.errs...)
	}
	st.Model, st.ModelFile, st.Title, st.Phases, st.ActivePhases = lead.Model, lead.ModelFile, lead.Title, lead.Phases, lead.ActivePhases
	st.Queries, st.Accuracy, st.DeployedAccuracy, st.BestAccuracy = lead.Queries, lead.Accuracy, lead.DeployedAccuracy, lead.BestAccuracy
	st.Kept, st.KeptQueries, st.KeptAccuracy, st.KeptValid = lead.Kept, lead.KeptQueries, lead.KeptAccuracy, lead.KeptValid
	st.Power, st.FullPower, st.Saving, st.Energy, st.Evaluations = lead.Power, lead.FullPower, lead.Saving, lead.Energy, lead.Evaluations
	st.QueriesPerSecond = qps
	st.Error = strings.Join(pg.RaceMessages(own, rc.names, msgs), "\n")
	return st
}

// lines are the messages of a Stats.Error, one per line.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// api is stats().race: the race list, each racer's figures, the leader and its rule.
func (rc *race) api() map[string]any {
	leader, budget, st := rc.standings()
	racers := make([]any, len(rc.racers))
	for i, r := range rc.racers {
		s := r.mirror.Stats
		c := render.RaceColour(i)
		m := map[string]any{
			"optimizer": r.name, "ready": r.ready(), "running": s.Running, "queries": s.Queries,
			"accuracy": s.Accuracy, "bestAccuracy": s.BestAccuracy, "deployedAccuracy": s.DeployedAccuracy,
			"power": s.Power, "energy": s.Energy, "queriesPerSecond": s.QueriesPerSecond,
			"evaluations": s.Evaluations, "points": len(r.curve().Queries), "seed": r.seed(),
			"title": s.Title, "modelFile": s.ModelFile, "phases": s.Phases,
			"kept": s.Kept, "keptQueries": s.KeptQueries, "keptAccuracy": s.KeptAccuracy, "keptValid": s.KeptValid,
			"colour": fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B), "standing": math.NaN(), "error": s.Error,
		}
		if st != nil {
			m["standing"] = st[i].Accuracy
		}
		racers[i] = m
	}
	name := ""
	if leader >= 0 {
		name = rc.racers[leader].name
	}
	return map[string]any{"optimizers": strings.Join(rc.names, ","), "racers": racers, "leader": name,
		"leaderIndex": leader, "budget": budget, "rule": pg.LeaderRule, "booth": rc.byBooth, "note": rc.note}
}

// curveOf is racer i's curve for the page API, nil if there is no racer i.
func (rc *race) curveOf(i int) any {
	if i < 0 || i >= len(rc.racers) {
		return nil
	}
	c := rc.racers[i].curve()
	out := curveAPI(c)
	out["optimizer"] = rc.racers[i].name
	return out
}

// memory asks every racer's engine for its heap figures: a promise of an array of them
// (null for a racer closed meanwhile).
func (rc *race) memory() js.Value {
	promises := make([]any, len(rc.racers))
	for i, r := range rc.racers {
		promises[i] = r.memory(nil)
	}
	return js.Global().Get("Promise").Call("all", promises)
}

// seed is the racer's chip, as its engine reports it.
func (r *racer) seed() int64 {
	v, _ := strconv.ParseInt(r.mirror.Settings.Get("seed"), 10, 64)
	return v
}

// options are the choices of the page's selectors: the single run's, or during a race the
// first racer's (the single run's engine is held, and may never have loaded the model).
func (p *page) options() map[string][]wire.Option {
	if p.race != nil && len(p.race.racers) > 0 && p.race.racers[0].mirror.Received {
		return p.race.racers[0].mirror.Options
	}
	return p.mirror.Options
}
