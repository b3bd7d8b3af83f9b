//go:build js && wasm

// Command engine is meshlight's simulation engine as its own WebAssembly module, run in a
// dedicated Web Worker (static/engine.js) so that training never waits for drawing: it
// holds the sim.Session (settings, loading, the run on the chip), trains in
// slices of about sim.Slice and yields between them, so the page's commands are handled
// within a slice: each as it arrives, however many come at once (sim.Inbox; a burst of
// resets and settings changes costs one deployment), and it answers each snapshot request of the page with one binary snapshot
// (sim.Session.Snapshot, encoded by wire.Snapshot.Append), so snapshots come at the page's
// frame rate and never pile up. It imports no drawing code (no ebiten).
//
// Messages from the page (objects): {cmd: "init", query}, {cmd: "snapshot", run, points,
// last, history, devices} (what the page holds and draws, wire.Have), {cmd: "set", params,
// seq}, {cmd: "file", name, bytes, seq} (a model file from the page, its ArrayBuffer
// transferred), {cmd: "until", factor, min, max, seq} (end the run where it plateaus by that
// wire.Plateau; without factor, drop the rule: the page's booth cycle), and {cmd, seq} for
// start, pause, end (end the run on its kept state), step, reset, redeploy, clearErrors, and hold and release
// (while the page races optimizers in other workers it holds this engine: no training;
// loads still finish). Messages to the page: {kind: "snapshot", bytes} (a Uint8Array, its
// buffer transferred), {kind: "ack", seq, errors} (a command was applied; errors, for a
// set, the messages about its values), and {kind: "error", message} (the engine stopped).
// Requests {cmd, id} for memory (the engine's heap) and csv (the run's curve as CSV text)
// are answered once, {kind: cmd, id, [cmd]: the answer}.
package main

import (
	"fmt"
	"runtime/debug"
	"syscall/js"
	"time"

	"github.com/meshlight/meshlight/wasm/internal/gomem"
	"github.com/meshlight/meshlight/wasm/internal/jsfetch"
	"github.com/meshlight/meshlight/wasm/sim"
	"github.com/meshlight/meshlight/wasm/wire"
)

func main() {
	self := js.Global()
	var e *engine
	started := make(chan struct{})
	self.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		d := args[0].Get("data")
		if e != nil {
			// Applied at once (sim.Inbox), however many come: a queue of them would have to
			// drop some when a page sends a burst, and the page waits for its snapshots.
			e.handle(d)
			return nil
		}
		if d.Get("cmd").String() == "init" { // the page's first message
			base := self.Get("location").Get("href").String()
			s := sim.NewSession(d.Get("query").String(), jsfetch.Site(base))
			e = &engine{self: self, in: sim.NewInbox(s), last: time.Now()}
			close(started)
		}
		return nil
	}))
	// yield hands the event loop one turn without setTimeout's 4 ms clamp: a message to
	// ourselves through a MessageChannel is a macrotask queued after the page's messages.
	ch := js.Global().Get("MessageChannel").New()
	resume := make(chan struct{}, 1)
	ch.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any {
		select {
		case resume <- struct{}{}:
		default:
		}
		return nil
	}))
	yield := func() { ch.Get("port2").Call("postMessage", nil); <-resume }

	self.Call("postMessage", map[string]any{"kind": "ready"})
	<-started
	for {
		busy := false
		e.in.Do(func(s *sim.Session) {
			e.tick(s) // training, or loading
			busy = e.busy(s)
		})
		if busy {
			yield() // the page's messages are handled meanwhile
			continue
		}
		select { // idle: wait for a command, or look again (a load may finish)
		case <-e.in.Wake():
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// engine is the worker's state: the session behind its inbox, and the training allowance
// of the speed setting. The message handler and the loop change it under the inbox's lock.
type engine struct {
	self  js.Value
	in    *sim.Inbox
	fatal error
	// credit is how many queries the speed setting still allows: Speed per 1/60 s, at most
	// a tenth of a second's worth saved up.
	credit float64
	last   time.Time
	buf    []byte
	// held: the page runs a race in other workers and holds this engine meanwhile: it
	// answers commands and snapshots and takes finished loads (a model file the page sends
	// every engine during a race), but does not train, so the racers have the cores.
	held bool
}

// busy reports whether the engine has training to do.
func (e *engine) busy(s *sim.Session) bool {
	return e.fatal == nil && !e.held && s.Running()
}

// tick runs one slice of work, turning a panic into an error the page shows.
func (e *engine) tick(s *sim.Session) {
	if e.fatal != nil {
		return
	}
	defer e.recover()
	s.Flush() // the run the commands asked for, so its queries are counted from its own
	if e.held {
		s.Settle()
		return
	}
	now := time.Now()
	rate := 60 * float64(s.Speed())
	e.credit = min(e.credit+rate*now.Sub(e.last).Seconds(), max(rate/10, 1))
	e.last = now
	if !s.Running() {
		e.credit = 0
	}
	before := s.Queries()
	s.Tick(now.Add(sim.Slice), int64(e.credit))
	e.credit = max(0, e.credit-float64(s.Queries()-before))
}

func (e *engine) recover() {
	if v := recover(); v != nil {
		e.fatal = fmt.Errorf("internal error: %v (the engine stopped; reload the page)", v)
		e.post(map[string]any{"kind": "error", "message": e.fatal.Error() + "\n" + string(debug.Stack())})
	}
}

func (e *engine) post(msg map[string]any) { e.self.Call("postMessage", msg) }

// handle applies one message of the page, as it arrives: a command goes to the session
// through the inbox (sim.Inbox), which deploys a chip only when a snapshot or the next
// slice looks at it, so a burst of commands costs one deployment.
func (e *engine) handle(c js.Value) {
	defer e.recover()
	cmd := c.Get("cmd").String()
	switch cmd {
	case "snapshot":
		have := wire.Have{Run: uint64(c.Get("run").Float()), Points: c.Get("points").Int(), Last: c.Get("last").Float(),
			History: uint64(c.Get("history").Float()), Devices: c.Get("devices").Truthy()}
		e.buf = e.in.Snapshot(e.buf[:0], have)
		arr := js.Global().Get("Uint8Array").New(len(e.buf))
		js.CopyBytesToJS(arr, e.buf)
		e.self.Call("postMessage", map[string]any{"kind": "snapshot", "bytes": arr}, []any{arr.Get("buffer")})
		return
	case "memory":
		e.post(map[string]any{"kind": "memory", "id": c.Get("id"), "memory": memory()})
		return
	case "csv":
		var csv []byte
		var err error
		e.in.Do(func(s *sim.Session) { csv, err = s.CurveCSV() })
		if err != nil {
			e.post(map[string]any{"kind": "csv", "id": c.Get("id"), "csv": js.Null()})
			return
		}
		e.post(map[string]any{"kind": "csv", "id": c.Get("id"), "csv": string(csv)})
		return
	}
	seq := e.in.Seq()
	if v := c.Get("seq"); v.Type() == js.TypeNumber {
		seq = uint64(v.Float())
	}
	command := sim.Command{Name: cmd}
	switch cmd {
	case "set":
		p := c.Get("params")
		command.Params = map[string]string{}
		keys := js.Global().Get("Object").Call("keys", p)
		for i := range keys.Length() {
			k := keys.Index(i).String()
			command.Params[k] = p.Get(k).String() // the page sends URL forms
		}
	case "until": // {factor, min, max}, or none to drop the rule
		if f := c.Get("factor"); f.Type() == js.TypeNumber {
			command.Until = &wire.Plateau{Factor: f.Float(), Min: int64(c.Get("min").Float()), Max: int64(c.Get("max").Float())}
		}
	case "file": // a model file from the page (file_js.go)
		command = fileCommand(e.in, c.Get("name").String(), c.Get("bytes"))
	case "hold", "release": // the engine's own: the session is not told
		command = sim.Command{}
		e.in.Do(func(*sim.Session) {
			e.held = cmd == "hold"
			e.last = time.Now()
		})
	case "start":
		e.in.Do(func(*sim.Session) { e.last = time.Now() })
	}
	errs := e.in.Push(seq, command)
	// An acknowledgement at once, so the page can time how long a command waits while the
	// engine trains (its effect shows with the next snapshot).
	ack := map[string]any{"kind": "ack", "seq": float64(seq)}
	if cmd == "set" {
		msgs := []any{} // the messages about the set's values
		for _, err := range errs {
			msgs = append(msgs, err.Error())
		}
		ack["errors"] = msgs
	}
	e.post(ack)
}

// memory is the engine's Go heap after a collection, as window.meshlight.memory() reports
// it, and the worker's WebAssembly memory.
func memory() map[string]any {
	m := gomem.Stats()
	m["wasmMemory"] = js.Global().Call("engineWasmMemory") // engine.js
	return m
}
