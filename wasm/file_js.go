package main

import (
	"syscall/js"

	"github.com/meshlight/meshlight/wasm/wire"
)

// fileRef is a model file the page sent its engines: its name as shown and its File, a
// handle from which the browser reads a dropped or chosen file again when asked (it holds
// no copy of the bytes).
type fileRef struct {
	name string
	file js.Value
}

// fileRead is a model file given to the page, being read: files are read at once, side by
// side, but sent to the engines (or their messages shown) in the order they were given, so
// the last file given is the one that stays, whatever the files' sizes.
type fileRead struct {
	name string
	buf  js.Value // the bytes, once read
	err  string   // why the file is not sent (refused, or could not be read)
	done bool
}

// loadFile takes a model file the user dropped onto the page or chose (a File, from
// static/modelfile.js through window.meshlight.loadFile): it checks the file's name and
// size (File.size against model.MaxFileSize) before reading a byte, then reads it and
// transfers its ArrayBuffer to every engine (sendFile), which loads it as it loads a model
// from the site (sim.Session.LoadFile, in the engine), after the files given before it
// (sendReads). It answers at once with {ok, errors}; what is wrong inside the file shows
// in the page when the engines have read it.
func (p *page) loadFile(f js.Value) map[string]any {
	fail := func(msg string) map[string]any {
		p.reads = append(p.reads, &fileRead{err: msg, done: true})
		p.sendReads() // the message shows after those of the files given before
		return map[string]any{"ok": false, "errors": []any{msg}}
	}
	if f.Type() != js.TypeObject || !f.InstanceOf(js.Global().Get("File")) {
		return fail("loadFile takes one File, from a file chooser or a drop")
	}
	name, err := wire.CheckModelFile(f.Get("name").String(), int64(f.Get("size").Float()))
	if err != nil {
		return fail(err.Error())
	}
	// The file sent before is the one a race opened later must get if the engines show it
	// (this one may be bad: the engines then keep the one before).
	if shown := p.Stats().ModelFile; shown != "" && shown == p.sentFile.name {
		p.loadedFile = p.sentFile
	}
	p.sentFile = fileRef{name, f}
	r := &fileRead{name: name}
	p.reads = append(p.reads, r)
	p.readFile(p.sentFile, func(buf js.Value) { r.buf = buf }, func(msg string) { r.err = msg }, func() {
		r.done = true
		p.sendReads()
	})
	return map[string]any{"ok": true, "errors": []any{}}
}

// sendReads sends the files read, and shows the messages of the files refused, in the
// order the files were given: up to the first still being read.
func (p *page) sendReads() {
	for len(p.reads) > 0 && p.reads[0].done {
		r := p.reads[0]
		p.reads[0] = nil
		p.reads = p.reads[1:]
		if r.err != "" {
			p.report(r.err)
			continue
		}
		sendFile(r.name, r.buf, p.engines())
	}
}

// readFile reads a model file's bytes and passes them to then (later: reading is a
// promise); for a file that cannot be read (gone, or changed on disk since it was chosen)
// it passes failed the message; either way it calls after last.
func (p *page) readFile(f fileRef, then func(buf js.Value), failed func(msg string), after func()) {
	var ok, catch js.Func
	release := func() { ok.Release(); catch.Release() }
	ok = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer release()
		then(args[0])
		after()
		return nil
	})
	catch = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer release()
		failed("model file " + f.name + ": could not be read: " + js.Global().Call("String", args[0]).String())
		after()
		return nil
	})
	f.file.Call("arrayBuffer").Call("then", ok, catch)
}

// raceFile gives a race's new racers the model file the page showed before it opened
// (shown: Stats.ModelFile), so that a race opened on a researcher's network races on it:
// their engines start from the settings, which name the last model from the site (an
// address cannot hold a file).
func (p *page) raceFile(rc *race, shown string) {
	var f fileRef
	switch {
	case shown == "":
		return
	case shown == p.sentFile.name:
		f = p.sentFile
	case shown == p.loadedFile.name:
		f = p.loadedFile
	default:
		return
	}
	p.readFile(f, func(buf js.Value) {
		if p.race != rc {
			return // closed, or another race opened, meanwhile
		}
		engines := make([]*engine, len(rc.racers))
		for i, r := range rc.racers {
			engines[i] = r.engine
		}
		sendFile(f.name, buf, engines)
	}, p.report, func() {})
}

// engines are the page's engines: the single run's and, while a race is open, every
// racer's.
func (p *page) engines() []*engine {
	engines := []*engine{p.engine}
	if p.race != nil {
		for _, r := range p.race.racers {
			engines = append(engines, r.engine)
		}
	}
	return engines
}

// sendFile sends a model file's bytes to engines: a dropped file to all of the page's, so
// that a race goes on on the file's network, the racers' chips still identical (they share
// the seed), and the held single run has it when the race closes. A transferred buffer
// moves to its worker and is detached here, so each engine but the last gets a copy of its
// own (ArrayBuffer.slice), transferred at once, and the last the original: the page keeps
// no copy.
func sendFile(name string, buf js.Value, engines []*engine) {
	for i, e := range engines {
		b := buf
		if i < len(engines)-1 {
			b = buf.Call("slice", 0)
		}
		e.sendFile(name, b)
	}
}
