package main

import (
	"syscall/js"

	"github.com/meshlight/meshlight/wasm/sim"
)

// loadFile takes a model file the user dropped onto the page or chose (a File, from
// static/modelfile.js through window.meshlight.loadFile): it checks the file's name and
// size (File.size against model.MaxFileSize) before reading a byte, then reads it and
// transfers its ArrayBuffer to every engine (sendFile), which loads it as it loads a model
// from the site (sim.Session.LoadFile). It answers at once with {ok, errors}; what is wrong
// inside the file shows in the page when the engines have read it.
func (p *page) loadFile(f js.Value) map[string]any {
	fail := func(msg string) map[string]any {
		p.report(msg)
		return map[string]any{"ok": false, "errors": []any{msg}}
	}
	if f.Type() != js.TypeObject || !f.InstanceOf(js.Global().Get("File")) {
		return fail("loadFile takes one File, from a file chooser or a drop")
	}
	name, err := sim.CheckModelFile(f.Get("name").String(), int64(f.Get("size").Float()))
	if err != nil {
		return fail(err.Error())
	}
	var then, catch js.Func
	release := func() { then.Release(); catch.Release() }
	then = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer release()
		p.sendFile(name, args[0])
		return nil
	})
	catch = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer release()
		p.report("model file " + name + ": could not be read: " + js.Global().Call("String", args[0]).String())
		return nil
	})
	f.Call("arrayBuffer").Call("then", then, catch)
	return map[string]any{"ok": true, "errors": []any{}}
}

// sendFile sends the file's bytes to every engine of the page: the single run's and,
// while a race is open, every racer's, so that the race goes on on the file's network, the
// racers' chips still identical (they share the seed), and the held single run has it when
// the race closes. A transferred buffer moves to its worker and is detached here, so each
// engine but the last gets a copy of its own (ArrayBuffer.slice), transferred at once, and
// the last the original: the page keeps no copy.
func (p *page) sendFile(name string, buf js.Value) {
	engines := []*engine{p.engine}
	if p.race != nil {
		for _, r := range p.race.racers {
			engines = append(engines, r.engine)
		}
	}
	for i, e := range engines {
		b := buf
		if i < len(engines)-1 {
			b = buf.Call("slice", 0)
		}
		e.sendFile(name, b)
	}
}
