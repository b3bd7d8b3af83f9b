//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"

	"github.com/meshlight/meshlight/wasm/sim"
	"github.com/meshlight/meshlight/wasm/wire"
)

// fileCommand is the session's command for a model file from the page: the command
// {cmd: "file", name, bytes, seq}, whose bytes are an ArrayBuffer the page transferred (not
// copied). Its name and size are checked again here, before the bytes are copied into Go;
// if they fail, the message goes to the session and the command is none (sim.Command{}).
func fileCommand(in *sim.Inbox, name string, buf js.Value) sim.Command {
	fail := func(err error) sim.Command {
		in.Do(func(s *sim.Session) { s.Report(err) })
		return sim.Command{}
	}
	if !buf.InstanceOf(js.Global().Get("ArrayBuffer")) {
		return fail(fmt.Errorf("model file %q: the page sent no bytes", name))
	}
	n := int64(buf.Get("byteLength").Float())
	if _, err := wire.CheckModelFile(name, n); err != nil {
		return fail(err)
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, js.Global().Get("Uint8Array").New(buf))
	return sim.Command{Name: "file", File: name, Data: b} // the session reports what is wrong with the file itself
}
