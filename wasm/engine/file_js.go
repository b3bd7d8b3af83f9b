//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"

	"github.com/meshlight/meshlight/wasm/sim"
	"github.com/meshlight/meshlight/wasm/wire"
)

// loadFile hands a model file from the page to the session: the command {cmd: "file", name,
// bytes, seq}, whose bytes are an ArrayBuffer the page transferred (not copied). Its name
// and size are checked again here, before the bytes are copied into Go.
func loadFile(s *sim.Session, name string, buf js.Value) {
	if !buf.InstanceOf(js.Global().Get("ArrayBuffer")) {
		s.Report(fmt.Errorf("model file %q: the page sent no bytes", name))
		return
	}
	n := int64(buf.Get("byteLength").Float())
	if _, err := wire.CheckModelFile(name, n); err != nil {
		s.Report(err)
		return
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, js.Global().Get("Uint8Array").New(buf))
	s.LoadFile(name, b) // reports what is wrong with the file itself
}
