// Command wasm is meshlight's in-browser simulator (GOOS=js GOARCH=wasm): it reads the
// settings from the page's URL, loads a shipped model and its data, deploys the model on a
// noisy simulated chip and lets it recover live, drawn with ebiten on a canvas. The page
// drives it through window.meshlight (see api_js.go); static/meshlight.js loads it.
package main

import (
	"errors"
	"fmt"
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

// fetch reads a file of the site by its relative URL with the browser's fetch.
func fetch(path string) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	var onResp, onBody, onErr js.Func
	onResp = js.FuncOf(func(_ js.Value, args []js.Value) any {
		r := args[0]
		if !r.Get("ok").Bool() {
			msg := fmt.Sprintf("HTTP %d %s", r.Get("status").Int(), r.Get("statusText").String())
			return js.Global().Get("Promise").Call("reject", js.Global().Get("Error").New(msg))
		}
		return r.Call("arrayBuffer")
	})
	onBody = js.FuncOf(func(_ js.Value, args []js.Value) any {
		u8 := js.Global().Get("Uint8Array").New(args[0])
		b := make([]byte, u8.Get("length").Int())
		js.CopyBytesToGo(b, u8)
		ch <- result{b: b}
		return nil
	})
	onErr = js.FuncOf(func(_ js.Value, args []js.Value) any {
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
	js.Global().Call("fetch", path).Call("then", onResp).Call("then", onBody).Call("catch", onErr)
	r := <-ch
	onResp.Release()
	onBody.Release()
	onErr.Release()
	return r.b, r.err
}
