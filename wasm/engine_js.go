package main

import (
	"slices"
	"sync"
	"syscall/js"
	"time"

	pg "github.com/meshlight/meshlight/wasm/page"
	"github.com/meshlight/meshlight/wasm/wire"
)

// engine is one engine in a Web Worker (static/engine.js) as the page sees it: the worker,
// the mirror built from its snapshots, the commands sent to it (held until it says it is
// ready), one snapshot request outstanding at a time, and the page's own messages about it
// (a failed worker, a malformed snapshot). The single run has one, and so has every racer.
type engine struct {
	worker       js.Value
	onmsg, onerr js.Func
	started      bool   // the engine said it is ready and was sent the query
	early        []post // commands sent before, posted once it is ready
	waiting      bool   // a snapshot request is outstanding
	devices      bool   // ask for the network's devices: the page's network view is zoomed in (wire.Have.Devices)
	seq          uint64 // the last command sent
	mirror       pg.Mirror
	snap         []byte        // the last snapshot's bytes, reused for the next
	errs         wire.Messages // the page's own messages about this engine

	mu        sync.Mutex             // the worker's callbacks run outside Update
	inbox     []js.Value             // the worker's messages, taken by update
	sentAt    time.Time              // when command seq was sent
	commandMS float64                // the last command's time from the page to the engine and back, ms
	replies   map[int]func(js.Value) // what to do with each request's answer, by its id
	replyID   int
	acks      map[uint64][]string // the engine's messages about each set command, by seq
}

// newEngine starts an engine in a new worker with the page's URL query.
func newEngine(query string) *engine {
	e := &engine{replies: map[int]func(js.Value){}, acks: map[uint64][]string{}}
	e.worker = js.Global().Get("Worker").New("engine.js")
	e.onmsg = js.FuncOf(func(_ js.Value, args []js.Value) any {
		d := args[0].Get("data")
		e.mu.Lock()
		defer e.mu.Unlock()
		if d.Get("kind").String() == "ack" { // timed here, not at the next frame
			seq := uint64(d.Get("seq").Float())
			if seq == e.seq && !e.sentAt.IsZero() {
				e.commandMS = float64(time.Since(e.sentAt).Microseconds()) / 1000
			}
			// Only a set's refused values are kept, until its set() answers (a racer's
			// sets answer none: the page answers from the single run's engine).
			if errs := d.Get("errors"); errs.Type() == js.TypeObject && errs.Length() > 0 {
				msgs := make([]string, errs.Length())
				for i := range msgs {
					msgs[i] = errs.Index(i).String()
				}
				e.acks[seq] = msgs
			}
			return nil
		}
		e.inbox = append(e.inbox, d)
		return nil
	})
	e.onerr = js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "the engine failed"
		if m := args[0].Get("message"); m.Type() == js.TypeString {
			msg += ": " + m.String()
		}
		e.mu.Lock()
		e.inbox = append(e.inbox, js.ValueOf(map[string]any{"kind": "error", "message": msg}))
		e.mu.Unlock()
		return nil
	})
	e.worker.Set("onmessage", e.onmsg)
	e.worker.Set("onerror", e.onerr)
	e.early = []post{{msg: map[string]any{"cmd": "init", "query": query}}}
	return e
}

// post is a message for the worker and the buffers it hands over without a copy.
type post struct {
	msg      map[string]any
	transfer []any
}

// postTo posts the message to the worker.
func (m post) postTo(worker js.Value) {
	if len(m.transfer) > 0 {
		worker.Call("postMessage", m.msg, m.transfer)
		return
	}
	worker.Call("postMessage", m.msg)
}

// send posts a command to the engine, numbered, with the extra fields; transfer lists
// buffers handed over without a copy (a dropped model file). Before the engine is ready it
// waits in early, its buffers with it.
func (e *engine) send(cmd string, extra map[string]any, transfer ...any) {
	e.seq++
	msg := map[string]any{"cmd": cmd, "seq": float64(e.seq)}
	for k, v := range extra {
		msg[k] = v
	}
	if !e.started {
		e.early = append(e.early, post{msg, transfer})
		return
	}
	e.mu.Lock()
	e.sentAt = time.Now()
	e.mu.Unlock()
	post{msg, transfer}.postTo(e.worker)
}

// sendFile sends a model file's bytes to the engine (the command file), transferring buf:
// it moves to the worker, uncopied, and is detached here.
func (e *engine) sendFile(name string, buf js.Value) {
	e.send("file", map[string]any{"name": name, "bytes": buf}, buf)
}

// update applies the worker's messages and asks for the next snapshot.
func (e *engine) update() {
	e.mu.Lock()
	msgs := e.inbox
	e.inbox = nil
	e.mu.Unlock()
	for _, m := range msgs {
		e.receive(m)
	}
	if e.started && !e.waiting {
		h := e.mirror.Have(e.devices)
		e.worker.Call("postMessage", map[string]any{"cmd": "snapshot", "run": float64(h.Run), "points": h.Points, "last": h.Last, "history": float64(h.History), "devices": h.Devices})
		e.waiting = true
	}
}

// receive handles one message of the worker.
func (e *engine) receive(m js.Value) {
	switch kind := m.Get("kind").String(); kind {
	case "snapshot":
		e.waiting = false
		arr := m.Get("bytes")
		// The mirror copies what it keeps, so one buffer serves every snapshot (a big
		// chip's is a megabyte, at the display's rate).
		n := arr.Get("length").Int()
		e.snap = slices.Grow(e.snap[:0], n)[:n]
		b := e.snap
		js.CopyBytesToGo(b, arr)
		// A refused snapshot costs nothing more: the next request says what the mirror
		// holds, so the engine sends again what this one carried (a new chip's structure,
		// new curve points, the earlier runs).
		if err := e.mirror.Apply(b); err != nil && e.mirror.Received {
			e.report(err.Error() + " (showing the last good state)")
		} else if err != nil {
			e.report(err.Error() + " (waiting for the next)")
		}
	case "memory", "csv": // answers to requests: the field of their kind's name
		id := m.Get("id").Int()
		if resolve, ok := e.replies[id]; ok {
			delete(e.replies, id)
			resolve(m.Get(kind))
		}
	case "ready": // the engine listens now (a worker drops messages that come before)
		e.started = true
		for _, c := range e.early {
			c.postTo(e.worker)
		}
		e.early = nil
	case "error":
		e.waiting = false
		e.report(m.Get("message").String())
	}
}

// takeAck returns (and forgets) the engine's messages about set command seq.
func (e *engine) takeAck(seq uint64) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	msgs := e.acks[seq]
	delete(e.acks, seq)
	return msgs
}

// report adds one of the page's own messages about the engine.
func (e *engine) report(msg string) { e.errs.Add(msg) }

// memory returns a promise of the engine's heap figures, passed through add (which may
// add the page's own) first.
func (e *engine) memory(add func(js.Value)) js.Value { return e.request("memory", add) }

// curveCSV returns a promise of the engine's run's curve as CSV text (sim.Session.CurveCSV;
// "" before a deployment).
func (e *engine) curveCSV() js.Value { return e.request("csv", nil) }

// request asks the engine for what it answers once, {kind: cmd, id, [cmd]: answer}: a
// promise of the answer, passed through add first (nil: as it is); null if the worker
// stops first.
func (e *engine) request(cmd string, add func(js.Value)) js.Value {
	var exec js.Func
	exec = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve := args[0]
		e.replyID++
		e.replies[e.replyID] = func(v js.Value) {
			if add != nil && v.Truthy() {
				add(v)
			}
			resolve.Invoke(v)
		}
		e.worker.Call("postMessage", map[string]any{"cmd": cmd, "id": e.replyID})
		exec.Release()
		return nil
	})
	return js.Global().Get("Promise").New(exec)
}

// commandTime is the last command's round trip to the engine, ms.
func (e *engine) commandTime() float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.commandMS
}

// close stops the worker (its memory goes with it); pending requests resolve to null.
func (e *engine) close() {
	e.worker.Call("terminate")
	e.worker.Set("onmessage", js.Null())
	e.worker.Set("onerror", js.Null())
	e.onmsg.Release()
	e.onerr.Release()
	for _, resolve := range e.replies {
		resolve(js.Null())
	}
}
