// Command wasm is meshlight's in-browser simulator page (GOOS=js GOARCH=wasm): it draws the
// simulation with ebiten on a canvas. The simulation itself, the engine (wasm/engine), runs
// in a dedicated Web Worker (static/engine.js) as its own WebAssembly module, so training
// never waits for drawing: this program sends it the page's settings and commands and asks
// it for a snapshot once per frame (sim.Mirror applies them; Draw reads only the mirror).
// The page drives it through window.meshlight (see api_js.go); static/meshlight.js loads it.
package main

import (
	"strings"
	"sync"
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
	worker  js.Value
	started bool       // the engine said it is ready and was sent the query
	early   []js.Value // commands sent before, posted once it is ready
	mirror  sim.Mirror
	waiting bool   // a snapshot request is outstanding
	seq     uint64 // the last command sent to the engine
	set     sim.Settings
	errs    []string
	query   string // the query last written to the address bar
	loading render.Scene

	mu        sync.Mutex
	inbox     []js.Value // the worker's messages, taken by Update
	sentAt    time.Time  // when command seq was sent
	commandMS float64    // the last command's time from the page to the engine and back, ms
	memWait   map[int]js.Value
	memID     int

	drawMS, updateMS float64 // smoothed Go time of Draw and Update, ms
	game             *canvas.Game

	race  *race          // the race of optimizers open, nil when none (race_js.go)
	cycle sim.BoothCycle // booth mode's turns between the single run and a race
}

// maxPageErrors is the number of the page's own messages kept.
const maxPageErrors = 5

func newPage(query string) *page {
	p := &page{memWait: map[int]js.Value{}, query: strings.TrimPrefix(query, "?")}
	p.set, _ = sim.ParseQuery(query) // the engine reports what is wrong in the query
	p.loading = render.Scene{Title: "meshlight", LoadingText: "starting the engine…", Status: "starting the engine…"}
	p.worker = js.Global().Get("Worker").New("engine.js")
	p.worker.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		d := args[0].Get("data")
		p.mu.Lock()
		defer p.mu.Unlock()
		if d.Get("kind").String() == "ack" { // timed here, not at the next frame
			if seq := uint64(d.Get("seq").Float()); seq == p.seq && !p.sentAt.IsZero() {
				p.commandMS = float64(time.Since(p.sentAt).Microseconds()) / 1000
			}
			return nil
		}
		p.inbox = append(p.inbox, d)
		return nil
	}))
	p.worker.Set("onerror", js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "the engine failed"
		if m := args[0].Get("message"); m.Type() == js.TypeString {
			msg += ": " + m.String()
		}
		p.mu.Lock()
		p.inbox = append(p.inbox, js.ValueOf(map[string]any{"kind": "error", "message": msg}))
		p.mu.Unlock()
		return nil
	}))
	p.early = []js.Value{js.ValueOf(map[string]any{"cmd": "init", "query": query})}
	return p
}

// report adds one of the page's own messages.
func (p *page) report(msg string) {
	for _, e := range p.errs {
		if e == msg {
			return
		}
	}
	p.errs = append(p.errs, msg)
	if len(p.errs) > maxPageErrors {
		p.errs = p.errs[len(p.errs)-maxPageErrors:]
	}
}

// Update implements canvas.Sim: it applies the engine's messages, asks for the next
// snapshot and keeps the address bar in step with the settings.
func (p *page) Update() error {
	t := time.Now()
	p.mu.Lock()
	msgs := p.inbox
	p.inbox = nil
	p.mu.Unlock()
	for _, m := range msgs {
		p.receive(m)
	}
	if p.started && !p.waiting {
		h := p.mirror.Have()
		p.worker.Call("postMessage", map[string]any{"cmd": "snapshot", "run": float64(h.Run), "points": h.Points, "last": h.Last, "history": float64(h.History)})
		p.waiting = true
	}
	p.updateRace(t)
	if q := p.Settings().Query(); q != p.query && p.mirror.Received {
		p.query = q
		syncURL(q)
	}
	p.updateMS += 0.1 * (float64(time.Since(t).Microseconds())/1000 - p.updateMS)
	return nil
}

// receive handles one message of the worker.
func (p *page) receive(m js.Value) {
	switch m.Get("kind").String() {
	case "snapshot":
		p.waiting = false
		arr := m.Get("bytes")
		b := make([]byte, arr.Get("length").Int())
		js.CopyBytesToGo(b, arr)
		if err := p.mirror.Apply(b); err != nil {
			p.report(err.Error() + " (showing the last good state)")
		}
	case "memory":
		id := m.Get("id").Int()
		if resolve, ok := p.memWait[id]; ok {
			delete(p.memWait, id)
			mem := m.Get("memory")
			mem.Set("page", goMemory())
			resolve.Invoke(mem)
		}
	case "ready": // the engine listens now (a worker drops messages that come before)
		p.started = true
		for _, c := range p.early {
			p.worker.Call("postMessage", c)
		}
		p.early = nil
	case "error":
		p.waiting = false
		p.report(m.Get("message").String())
	}
}

// send posts a command to the engine.
func (p *page) send(cmd string, extra map[string]any) {
	if !p.raceCommand(cmd, extra) {
		return // for the racers only
	}
	p.seq++
	msg := map[string]any{"cmd": cmd, "seq": float64(p.seq)}
	for k, v := range extra {
		msg[k] = v
	}
	if !p.started {
		p.early = append(p.early, js.ValueOf(msg))
		return
	}
	p.mu.Lock()
	p.sentAt = time.Now()
	p.mu.Unlock()
	p.worker.Call("postMessage", msg)
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
		st = p.race.stats(st)
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
	var exec js.Func
	exec = js.FuncOf(func(_ js.Value, args []js.Value) any {
		p.memID++
		p.memWait[p.memID] = args[0]
		p.worker.Call("postMessage", map[string]any{"cmd": "memory", "id": p.memID})
		exec.Release()
		return nil
	})
	return js.Global().Get("Promise").New(exec)
}

// timedGame measures how long the Go side of drawing takes (the GPU's share is not seen).
type timedGame struct {
	*canvas.Game
	p *page
}

// Draw implements ebiten.Game.
func (g *timedGame) Draw(screen *ebiten.Image) {
	t := time.Now()
	g.Game.Draw(screen)
	g.p.drawMS += 0.1 * (float64(time.Since(t).Microseconds())/1000 - g.p.drawMS)
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
