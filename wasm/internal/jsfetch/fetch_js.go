//go:build js && wasm

// Package jsfetch reads the site's files with the browser's fetch, in the page or in a
// Web Worker (the engine loads models and data sets where it runs).
package jsfetch

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"syscall/js"

	"github.com/meshlight/meshlight/wasm/sim"
)

// Site returns the sim.Fetch of the site whose files sit beside base (the page's
// document.baseURI, or a worker's script URL in the same folder). It reads a file of the
// site by its relative URL with the browser's fetch, at most limit bytes. Before any
// request, the address as Go reads it (sim.SiteURL) and as the browser reads it (new URL
// against base) must both be in base's origin and folder; redirects are refused. A Content-Length over limit is refused before the body is
// read, and the body is read as a stream that is cancelled at the cap (sim.ReadCapped), so
// an oversized file never sits whole in memory.
func Site(base string) sim.Fetch {
	return func(path string, limit int64) ([]byte, error) { return fetch(base, path, limit) }
}

func fetch(base, path string, limit int64) ([]byte, error) {
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
	resp, err := Await(js.Global().Call("fetch", href, opts))
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
		if v := h.Call("get", "Content-Length"); v.Type() == js.TypeString {
			if n, err := strconv.ParseInt(v.String(), 10, 64); err == nil && n >= 0 {
				declared = n
			}
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

// Await waits for a JavaScript promise (from a goroutine other than the event loop's).
func Await(p js.Value) (js.Value, error) {
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
		c, err := Await(s.r.Call("read"))
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
