// Command wasm is meshlight's in-browser simulator page (GOOS=js GOARCH=wasm): it draws the
// simulation with ebiten on a canvas. The simulation itself, the engine (wasm/engine), runs
// in a dedicated Web Worker (static/engine.js) as its own WebAssembly module, so training
// never waits for drawing: this program sends it the page's settings and commands and asks
// it for a snapshot once per frame (page.Mirror applies them; Draw reads only the scene
// Update prepared). It links no engine code: settings are checked in the engine, and the
// page shows what the engine reports.
// The page drives it through window.meshlight (see api_js.go); static/meshlight.js loads it.
package main

import (
	"net/url"
	"strings"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/render/canvas"
	pg "github.com/meshlight/meshlight/wasm/page"
	"github.com/meshlight/meshlight/wasm/wire"
)

func main() {
	p := newPage(js.Global().Get("location").Get("search").String())
	g := &app{game: canvas.NewGame(), p: p}
	// A renderer that fills pixels on the CPU gets a canvas of half the pixels each way,
	// and the game fewer pixels still while frames are slow; #sharp in the address keeps
	// the full resolution (README's screenshots).
	renderer = webGLRenderer()
	if !sharp() {
		if canvas.SoftwareRenderer(renderer) {
			g.game.SetDevicePixelRatio(js.Global().Get("devicePixelRatio").Float())
			halveCanvas()
		}
		g.game.SetDynamicResolution(true)
	}
	installAPI(p, g.game)
	ebiten.SetTPS(ebiten.SyncWithFPS) // one update per frame: one snapshot request per frame
	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetScreenClearedEveryFrame(false) // the game redraws what changed (see canvas)
	if err := ebiten.RunGame(g); err != nil {
		js.Global().Get("console").Call("error", "meshlight: "+err.Error())
	}
}

// page is the view's state: the mirror of the engine built from its snapshots, the
// page's own messages (a malformed snapshot, a failed worker), the scene Update prepared
// for Draw, and booth mode's cycle. It keeps the address bar in step with the settings the
// engine applied.
type page struct {
	*engine        // the single run's
	query   string // the query last written to the address bar
	loading render.Scene
	shown   *render.Scene // what Draw draws: prepared by Update
	sets    []pendingSet  // set() calls whose promise waits for the engine

	// Go time of the parts of a frame: all of the app's Update (this page's Update, then the
	// Game's: the input and preparing the view), this page's own Update within it, and Draw.
	gameUpdate, update, draw goTime

	race  *race    // the race of optimizers open, nil when none (race_js.go)
	booth pg.Booth // booth mode's cycle: the single run, its result, a race, its result
	// What the cycle looked at last (its caption's numbers), the page's address without
	// its query, and the run's address for a phone (the caption's link: pg.ShareLink of the
	// query, made again when the query changes).
	boothView pg.BoothView
	base      string
	link      string

	// The model files sent to the engines (file_js.go): the last, and the one before it
	// that the engines showed then, so a race opened later gets the file the page shows.
	sentFile, loadedFile fileRef

	reads []*fileRead // model files given and not yet sent, oldest first (file_js.go)
}

func newPage(query string) *page {
	p := &page{engine: newEngine(query), query: strings.TrimPrefix(query, "?")}
	if loc := js.Global().Get("location"); loc.Truthy() {
		p.base = loc.Get("origin").String() + loc.Get("pathname").String()
	}
	p.link = pg.ShareLink(p.base, p.query)
	p.loading = render.Scene{Title: "meshlight", LoadingText: "starting the engine…", Status: "starting the engine…"}
	p.shown = &p.loading
	return p
}

// pendingSet is a set() whose promise resolves once the engine has applied command seq.
type pendingSet struct {
	seq  uint64
	done func(errs []string)
}

// Update applies the engine's messages, asks for the next snapshot, moves booth mode and
// the race along, answers the set() calls the engine has applied, keeps the address bar in
// step with the settings and prepares the scene the Game draws.
func (p *page) Update() {
	t := time.Now()
	p.engine.update()
	p.updateRace(t)
	p.answerSets()
	if q := p.mirror.Settings.Query; q != p.query && p.mirror.Received {
		p.query = q
		p.link = pg.ShareLink(p.base, q)
		syncURL(q)
	}
	switch {
	case p.race != nil:
		p.shown = p.race.sceneOf(p.mirror.Stats)
	case p.mirror.Received:
		p.mirror.Scene.Note = p.booth.Note() // the engine knows no booth phases
		p.shown = &p.mirror.Scene
	default:
		p.shown = &p.loading
	}
	if p.shown != &p.loading {
		p.shown.Caption = p.booth.Caption(p.boothView, p.optimizerName, p.link)
	}
	p.update.add(time.Since(t))
}

// optimizerName is an optimizer's name as its selector shows it, without the selector's
// remark in brackets ("SZO-SCD (pruning)" is SZO-SCD).
func (p *page) optimizerName(id string) string {
	for _, o := range p.mirror.Options["optimizer"] {
		if o.Value == id {
			name, _, _ := strings.Cut(o.Label, " (")
			return name
		}
	}
	return id
}

// setDevices says whether the page draws devices one by one, so that its engines send
// them (the single run's, or a race's racers').
func (p *page) setDevices(on bool) {
	p.engine.devices = on
	if p.race != nil {
		for _, r := range p.race.racers {
			r.devices = on
		}
	}
}

// answerSets resolves the set() calls the engine has applied (its snapshot says so), with
// the engine's messages about their values.
func (p *page) answerSets() {
	n := 0
	for _, ps := range p.sets {
		if p.mirror.Received && p.mirror.Seq >= ps.seq {
			ps.done(p.takeAck(ps.seq))
			continue
		}
		p.sets[n] = ps
		n++
	}
	p.sets = p.sets[:n]
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

// Scene is the scene Update prepared (the last good snapshot's, or the race's built from
// its racers' mirrors), which the Game draws.
func (p *page) Scene() *render.Scene { return p.shown }

// Settings are the settings by URL parameter name as the engine applied them (booleans as
// booleans), or the address's until the engine has answered.
func (p *page) Settings() map[string]any {
	out := map[string]any{}
	if !p.mirror.Received {
		q, _ := url.ParseQuery(p.query)
		for k, v := range q {
			out[k] = v[0]
		}
		return out
	}
	for _, ps := range p.mirror.Settings.Params {
		if ps.Bool {
			out[ps.Name] = ps.Value == "1"
		} else {
			out[ps.Name] = ps.Value
		}
	}
	return out
}

// Set sends params to the engine, which checks and applies them; done gets the engine's
// messages about them once it has (a snapshot that says so has arrived).
func (p *page) Set(params map[string]string, done func(errs []string)) {
	m := map[string]any{}
	for k, v := range params {
		m[k] = v
	}
	p.send("set", map[string]any{"params": m})
	p.sets = append(p.sets, pendingSet{p.seq, done})
}

// Stats are the engine's figures with the page's messages and booth mode's phase.
func (p *page) Stats() wire.Stats {
	st := p.mirror.Stats
	if !p.mirror.Received {
		st = wire.Stats{Status: p.loading.Status}
	}
	st.Booth = p.booth.Phase()
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

// app is the ebiten game: each frame the page takes the engines' news and prepares the
// scene, then the Game prepares its view of that scene, and Draw paints it. It measures how
// long the Go side of a frame takes, Update and Draw apart (the GPU's share, or
// SwiftShader's, is not seen).
type app struct {
	game *canvas.Game
	p    *page
}

// Update implements ebiten.Game.
func (a *app) Update() error {
	t := time.Now()
	a.p.setDevices(a.game.Devices()) // the page asks for devices when it draws them
	a.p.Update()
	a.game.Update(a.p.Scene())
	a.p.gameUpdate.add(time.Since(t))
	return nil
}

// Draw implements ebiten.Game.
func (a *app) Draw(screen *ebiten.Image) {
	t := time.Now()
	a.game.Draw(screen)
	a.p.draw.add(time.Since(t))
}

// DrawFinalScreen implements ebiten.FinalScreenDrawer: the game scales its screen to the
// canvas and draws booth mode's QR code there at the canvas's resolution.
func (a *app) DrawFinalScreen(screen ebiten.FinalScreen, offscreen *ebiten.Image, geoM ebiten.GeoM) {
	a.game.DrawFinalScreen(screen, offscreen, geoM)
}

// Layout implements ebiten.Game.
func (a *app) Layout(w, h int) (int, int) { return a.game.Layout(w, h) }

// renderer is the name of the browser's WebGL renderer, for the page API.
var renderer string

// sharp reports whether the address asks for the full resolution whatever the renderer and
// the frame rate (#sharp).
func sharp() bool {
	return strings.Contains(js.Global().Get("location").Get("hash").String(), "sharp")
}

// webGLRenderer is the name of the browser's WebGL renderer (WEBGL_debug_renderer_info's
// unmasked one where the browser gives it), "" when there is no WebGL.
func webGLRenderer() string {
	c := js.Global().Get("document").Call("createElement", "canvas")
	gl := c.Call("getContext", "webgl2")
	if !gl.Truthy() {
		gl = c.Call("getContext", "webgl")
	}
	if !gl.Truthy() {
		return ""
	}
	name := gl.Call("getParameter", gl.Get("RENDERER")).String()
	if ext := gl.Call("getExtension", "WEBGL_debug_renderer_info"); ext.Truthy() {
		name = gl.Call("getParameter", ext.Get("UNMASKED_RENDERER_WEBGL")).String()
	}
	if lose := gl.Call("getExtension", "WEBGL_lose_context"); lose.Truthy() {
		lose.Call("loseContext") // the probe's context is not kept: browsers cap their number
	}
	return name
}

// halveCanvas has ebiten make the canvas with half its device pixels each way: it reads the
// device pixel ratio once, as it starts, and sizes the canvas by it, then the browser
// scales the canvas up to its place. ebiten's screen, its copy onto the canvas and the
// browser's of the canvas onto the page, each a pass over every pixel that a software
// renderer makes on the CPU, then cost a quarter.
func halveCanvas() {
	ratio := js.Global().Get("devicePixelRatio").Float()
	js.Global().Get("Object").Call("defineProperty", js.Global(), "devicePixelRatio",
		map[string]any{"value": ratio / 2, "configurable": true})
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

// booleanSetting reports whether the boolean setting name is on, as the engine applied it.
func (p *page) booleanSetting(name string) bool { return p.mirror.Settings.Get(name) == "1" }
