package main

import (
	"syscall/js"

	"github.com/meshlight/meshlight/wasm/sim"
)

// loadFile takes a model file the user dropped onto the page or chose (a File, from
// static/modelfile.js through window.meshlight.loadFile): it checks the file's name and
// size (File.size against model.MaxFileSize) before reading a byte, then reads it and
// transfers its ArrayBuffer, uncopied, to the engine, which loads it as it loads a model
// from the site (sim.Session.LoadFile). It answers at once with {ok, errors}; what is wrong
// inside the file shows in the page when the engine has read it.
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

// sendFile posts the file command with the file's bytes, transferring the buffer.
func (p *page) sendFile(name string, buf js.Value) {
	p.engine.send("file", map[string]any{"name": name, "bytes": buf}, buf)
}
