// Command wasm is meshlight's in-browser simulator (GOOS=js GOARCH=wasm): it reads the
// settings from the page's URL, loads a shipped model and its data, deploys the model on a
// noisy simulated chip and lets it recover live, drawn with ebiten on a canvas. The page
// drives it through window.meshlight (see api_js.go); static/meshlight.js loads it.
package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/meshlight/meshlight/render/canvas"
	"github.com/meshlight/meshlight/wasm/sim"
)

func main() {
	query := js.Global().Get("location").Get("search").String()
	p := &page{Session: sim.NewSession(query, fetch)}
	g := &timedGame{Game: canvas.NewGame(p), p: p}
	p.game = g.Game
	installAPI(p)
	ebiten.SetTPS(ebiten.SyncWithFPS) // one update per frame: the session paces itself on frames
	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetScreenClearedEveryFrame(false) // the game redraws what changed (see canvas)
	if err := ebiten.RunGame(g); err != nil {
		js.Global().Get("console").Call("error", "meshlight: "+err.Error())
	}
}

// page is the session as the game and the page API see it: it keeps the address bar in
// step with the settings, and turns a panic inside a frame into a message in the page
// instead of a dead simulator.
type page struct {
	*sim.Session
	ver      int
	fatal    error
	drawMS   float64 // smoothed Go time of Draw, ms
	updateMS float64 // smoothed Go time of Update (training included), ms
	game     *canvas.Game
}

// Update implements canvas.Sim.
func (p *page) Update() (err error) {
	if p.fatal != nil {
		return nil // keep drawing the last good state
	}
	t := time.Now()
	defer func() {
		p.updateMS += 0.1 * (float64(time.Since(t).Microseconds())/1000 - p.updateMS)
	}()
	defer func() {
		if v := recover(); v != nil {
			p.fatal = fmt.Errorf("internal error: %v (the simulator stopped; reload the page)", v)
			p.Pause()
			p.Report(p.fatal)
			err = nil
		}
	}()
	if err := p.Session.Update(); err != nil {
		return err
	}
	if v := p.Version(); v != p.ver {
		p.ver = v
		syncURL(p.Query())
	}
	return nil
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
	d := time.Since(t)
	g.p.NoteDraw(d)
	g.p.drawMS += 0.1 * (float64(d.Microseconds())/1000 - g.p.drawMS)
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

// fetch reads a file of the site by its relative URL with the browser's fetch, at most
// limit bytes. Before any request, the address as Go reads it (sim.SiteURL) and as the
// browser reads it (new URL against document.baseURI) must both be in the page's origin and
// folder; redirects are refused. A Content-Length over limit is refused before the body is
// read, and the body is read as a stream that is cancelled at the cap (sim.ReadCapped), so
// an oversized file never sits whole in memory.
func fetch(path string, limit int64) ([]byte, error) {
	base := js.Global().Get("document").Get("baseURI").String()
	if _, err := sim.SiteURL(base, path); err != nil {
		return nil, err
	}
	href, err := browserURL(path, base)
	if err != nil {
		return nil, err
	}
	if _, err := sim.SiteURL(base, href); err != nil {
		return nil, err
	}
	opts := map[string]any{"redirect": "error", "credentials": "same-origin"}
	resp, err := await(js.Global().Call("fetch", href, opts))
	if err != nil {
		return nil, err
	}
	if !resp.Get("ok").Bool() {
		return nil, fmt.Errorf("HTTP %d %s", resp.Get("status").Int(), resp.Get("statusText").String())
	}
	body := resp.Get("body")
	declared := int64(-1)
	h := resp.Get("headers")
	if enc := h.Call("get", "Content-Encoding"); enc.IsNull() { // else the length counts encoded bytes
		if n, err := strconv.ParseInt(jsString(h.Call("get", "Content-Length")), 10, 64); err == nil && n >= 0 {
			declared = n
		}
	}
	if body.IsNull() || body.IsUndefined() {
		return nil, errors.New("the response has no body")
	}
	r := &streamReader{r: body.Call("getReader")}
	b, err := sim.ReadCapped(declared, r, limit)
	if err != nil || !r.done {
		r.r.Call("cancel") // stop the download
	}
	return b, err
}

// browserURL resolves path against base with the browser's own URL parser.
func browserURL(path, base string) (href string, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%s: not a URL to the browser", path)
		}
	}()
	return js.Global().Get("URL").New(path, base).Get("href").String(), nil
}

// await waits for a JavaScript promise (from a goroutine other than the event loop's).
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		v := js.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		ch <- result{v: v}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "fetch failed"
		if len(args) > 0 {
			if m := args[0].Get("message"); m.Type() == js.TypeString {
				msg = m.String()
			} else {
				msg = args[0].Call("toString").String()
			}
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	p.Call("then", onOK, onErr)
	r := <-ch
	onOK.Release()
	onErr.Release()
	return r.v, r.err
}

// streamReader is an io.Reader of a ReadableStream's default reader. A chunk stays in
// JavaScript until read: Read copies only what p can hold, so a large chunk is never
// copied whole into Go's memory.
type streamReader struct {
	r     js.Value // ReadableStreamDefaultReader
	chunk js.Value // the last chunk (a Uint8Array)
	off   int      // bytes of chunk already read
	size  int      // its length
	done  bool
}

// Read implements io.Reader.
func (s *streamReader) Read(p []byte) (int, error) {
	for s.off == s.size {
		if s.done {
			return 0, io.EOF
		}
		c, err := await(s.r.Call("read"))
		if err != nil {
			return 0, err
		}
		if c.Get("done").Bool() {
			s.done = true
			return 0, io.EOF
		}
		s.chunk, s.off = c.Get("value"), 0
		s.size = s.chunk.Get("length").Int()
	}
	n := min(len(p), s.size-s.off)
	js.CopyBytesToGo(p[:n], s.chunk.Call("subarray", s.off, s.off+n))
	s.off += n
	if s.off == s.size {
		s.chunk = js.Undefined()
	}
	return n, nil
}
