// Command wasm is meshlight's in-browser simulator page (GOOS=js GOARCH=wasm): it draws the
// simulation with ebiten on a canvas. The simulation itself, the engine (wasm/engine), runs
// in a dedicated Web Worker (static/engine.js) as its own WebAssembly module, so training
// never waits for drawing: this program sends it the page's settings and commands and asks
// it for a snapshot once per frame (sim.Mirror applies them; Draw reads only the mirror).
// The page drives it through window.meshlight (see api_js.go); static/meshlight.js loads it.
package main

import (
	"strings"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/render/canvas"
	"github.com/meshlight/meshlight/wasm/sim"
)

func main() {
	p := newPage(js.Global().Get("location").Get("search").String())
	g := &timedGame{Game: canvas.NewGame(p), p: p}
	p.game = g.Game
	installAPI(p)
	ebiten.SetTPS(ebiten.SyncWithFPS) // one update per frame: one snapshot request per frame
	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetScreenClearedEveryFrame(false) // the game redraws what changed (see canvas)
	if err := ebiten.RunGame(g); err != nil {
		js.Global().Get("console").Call("error", "meshlight: "+err.Error())
	}
}

// page is the view's state: the mirror of the engine built from its snapshots, the
// settings as the page last set them (ahead of the mirror until the engine has applied
// them), and the page's own messages (a malformed snapshot, a failed worker). It keeps the
// address bar in step with the settings.
type page struct {
	*engine // the single run's
	set     sim.Settings
	query   string // the query last written to the address bar
	loading render.Scene

	// Go time of the parts of a frame: all of Game.Update (the input, this page's Update and
	// preparing the view), this page's own Update within it, and Draw.
	gameUpdate, update, draw goTime
	game                     *canvas.Game

	race  *race          // the race of optimizers open, nil when none (race_js.go)
	cycle sim.BoothCycle // booth mode's turns between the single run and a race

	// The model files sent to the engines (file_js.go): the last, and the one before it
	// that the engines showed then, so a race opened later gets the file the page shows.
	sentFile, loadedFile fileRef
}

func newPage(query string) *page {
	p := &page{engine: newEngine(query), query: strings.TrimPrefix(query, "?")}
	p.set, _ = sim.ParseQuery(query) // the engine reports what is wrong in the query
	p.loading = render.Scene{Title: "meshlight", LoadingText: "starting the engine…", Status: "starting the engine…"}
	return p
}

// Update implements canvas.Sim: it applies the engine's messages, asks for the next
// snapshot and keeps the address bar in step with the settings.
func (p *page) Update() error {
	t := time.Now()
	if p.game != nil {
		p.engine.devices = p.game.NetworkDevices()
	}
	p.engine.update()
	if p.mirror.Received && p.mirror.Seq >= p.seq {
		// The engine has applied every command: its settings are the page's. Booth mode
		// changes them on its own (the next chip's seed); a command the page sends next
		// must not show the settings it last set itself while it is on its way.
		p.set = p.mirror.Settings
	}
	p.updateRace(t)
	if q := p.Settings().Query(); q != p.query && p.mirror.Received {
		p.query = q
		syncURL(q)
	}
	p.update.add(time.Since(t))
	return nil
}

// goTime is the Go time one part of a frame took: smoothed, for a glance at the page, and
// summed with a count, so that a test takes the mean over a window of its choice (with slow
// frames the smoothed figure lags behind a short window).
type goTime struct {
	smoothed float64 // ms, an exponential average of the calls
	totalMS  float64
	calls    int
}

// add counts one call that took d.
func (g *goTime) add(d time.Duration) {
	ms := float64(d.Microseconds()) / 1000
	g.smoothed += 0.1 * (ms - g.smoothed)
	g.totalMS += ms
	g.calls++
}

// send posts a command to the engine.
func (p *page) send(cmd string, extra map[string]any) {
	if !p.raceCommand(cmd, extra) {
		return // for the racers only
	}
	p.engine.send(cmd, extra)
}

// Scene implements canvas.Sim: the last good snapshot's scene.
func (p *page) Scene() *render.Scene {
	if p.race != nil {
		return p.race.sceneOf(p.Settings())
	}
	if !p.mirror.Received {
		return &p.loading
	}
	return &p.mirror.Scene
}

// Settings are the settings as the page last set them, or as the engine reports them once
// it has applied every command sent.
func (p *page) Settings() sim.Settings {
	if p.mirror.Received && p.mirror.Seq >= p.seq {
		return p.mirror.Settings
	}
	return p.set
}

// Set checks params as the engine will (sim.Settings.Apply), so set() answers at once,
// and sends them to the engine.
func (p *page) Set(params map[string]string) []error {
	set := p.Settings()
	layers := 0
	if c := p.mirror.Scene.Chip; p.mirror.Received && c != nil {
		layers = len(c.Layers)
	}
	_, _, errs := set.Apply(params, layers)
	p.set = set
	m := map[string]any{}
	for k, v := range params {
		m[k] = v
	}
	p.send("set", map[string]any{"params": m})
	return errs
}

// Stats are the engine's figures with the page's messages.
func (p *page) Stats() sim.Stats {
	st := p.mirror.Stats
	if !p.mirror.Received {
		st = sim.Stats{Status: p.loading.Status, Model: p.set.Model, Optimizer: p.set.Optimizer}
	}
	if p.race != nil {
		return p.race.stats(st, append(lines(st.Error), p.errs...))
	}
	if len(p.errs) > 0 {
		st.Error = strings.TrimPrefix(st.Error+"\n"+strings.Join(p.errs, "\n"), "\n")
	}
	return st
}

// ClearErrors drops the messages shown, the page's and the engine's.
func (p *page) ClearErrors() {
	p.errs = nil
	p.send("clearErrors", nil)
}

// Memory asks the engine for its heap figures; the promise resolves to them, with the
// page's own under "page".
func (p *page) Memory() js.Value {
	return p.memory(func(mem js.Value) { mem.Set("page", goMemory()) })
}

// timedGame measures how long the Go side of a frame takes, Update and Draw apart (the
// GPU's share, or SwiftShader's, is not seen).
type timedGame struct {
	*canvas.Game
	p *page
}

// Update implements ebiten.Game.
func (g *timedGame) Update() error {
	t := time.Now()
	err := g.Game.Update()
	g.p.gameUpdate.add(time.Since(t))
	return err
}

// Draw implements ebiten.Game.
func (g *timedGame) Draw(screen *ebiten.Image) {
	t := time.Now()
	g.Game.Draw(screen)
	g.p.draw.add(time.Since(t))
}

// syncURL shows the settings in the address bar without reloading, so the address
// reproduces the view.
func syncURL(query string) {
	loc := js.Global().Get("location")
	u := loc.Get("pathname").String()
	if query != "" {
		u += "?" + query
	}
	u += loc.Get("hash").String()
	js.Global().Get("history").Call("replaceState", nil, "", u)
}

// redeploy asks for a new chip: the next seed, as the engine will choose it.
func (p *page) redeploy() {
	set := p.Settings()
	set.Seed = sim.NextSeed(set.Seed)
	p.set = set
	p.send("redeploy", nil)
}
