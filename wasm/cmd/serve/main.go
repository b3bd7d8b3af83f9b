// Command serve is a small static file server for the meshlight site.
//
// It serves the files of one folder (-dir) on one address (-addr), optionally under a
// URL path prefix (-prefix /meshlight/, as GitHub Pages serves a project site), and
// nothing else:
//
//   - The folder is opened as an os.Root: no path, symbolic link or ".." can reach a
//     file outside it.
//   - A path with any segment starting with "." (.git/config, .env, ..) is not found,
//     before or after following its links (a link to .env is not found either), nor is
//     a folder: there are no listings. A folder with an index.html serves it. A file's
//     path with a slash after it (/index.html/) redirects to the file.
//   - Only regular files are served: a FIFO, device or socket is not found, and is never
//     opened in a way that waits.
//   - A file X with a precompressed X.gz beside it (meshlight.wasm.gz, written by
//     `make wasm`) is sent as X.gz with Content-Encoding gzip to clients that accept
//     gzip if X.gz decompresses to X (judged once per state of the two files: an X.gz
//     older than X, as `cp -r` leaves it, is sent; a stale one is not). Every response
//     that depends on the choice carries Vary: Accept-Encoding, even the 404 of an X.gz
//     without X to a client that does not take gzip.
//   - WebAssembly goes out as application/wasm (browsers refuse to stream-compile
//     anything else), and browsers revalidate every file on each load (so a rebuilt
//     .wasm is never stale).
//   - A client has 10 s to send its request headers and 272 s to take a response (17 MB
//     at 0.5 Mbit/s), a kept-alive connection closes after a minute idle, and at most 256
//     connections are open at once (defaultLimits).
//
// Once it accepts connections it prints "listening on http://HOST:PORT/" with the
// address it really listens on, so scripts can start it on port 0 and read the port it
// got; for every interface (-addr :0) HOST is [::] or 0.0.0.0, and a second line gives the
// local URL.
//
//	go run ./wasm/cmd/serve -dir static -addr 127.0.0.1:8080
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/netutil"
)

func main() {
	dir := flag.String("dir", "static", "folder to serve")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port; :PORT listens on every interface)")
	prefix := flag.String("prefix", "/", "URL path the folder is served under, e.g. /meshlight/")
	flag.Parse()
	if err := run(*dir, *addr, *prefix, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

// run serves dir under prefix on addr until SIGINT or SIGTERM.
func run(dir, addr, prefix string, out io.Writer) error {
	h, err := newHandler(dir)
	if err != nil {
		return err
	}
	defer h.Close()
	handler, err := withPrefix(prefix, h)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv, ln := newServer(handler, ln, defaultLimits)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	fmt.Fprint(out, listening(ln.Addr()))
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// limits bound what clients can hold of the server.
type limits struct {
	readHeader time.Duration // to send a request's line and headers
	write      time.Duration // to take a response, from the end of its request's headers
	idle       time.Duration // between requests on a kept-alive connection
	conns      int           // connections open at once, all clients together
}

const (
	// largestResponse is about the largest response of the site: meshlight.wasm, 16.6 MB,
	// to a client that does not take gzip (4.0 MB to one that does).
	largestResponse = 17e6 // bytes
	// slowLink is the slowest link on which a client can still take largestResponse
	// whole: 0.5 Mbit/s, a poor mobile connection.
	slowLink = 0.5e6 // bits per second
)

// defaultLimits are run's. Without them a client that never read held its connection,
// its descriptors and a goroutine forever (3,000 such clients held 6,063 descriptors),
// and an idle kept-alive connection stayed open for good.
var defaultLimits = limits{
	// A request is a few hundred bytes: seconds even on the slowest link.
	readHeader: 10 * time.Second,
	// 17 MB at 0.5 Mbit/s take 272 s; 4 MB gzipped, 64 s.
	write: largestResponse * 8 / slowLink * time.Second,
	// Long enough to keep the connection over one page load (the page fetches its
	// modules, then models and data sets as they are chosen); a new one costs a handshake.
	idle: time.Minute,
	// A browser opens at most 6 connections to a host, so 256 serve about 40 visitors at
	// once; each holds a socket and, while it sends, a file or two: under 1,024
	// descriptors, the smallest limit in common use. Further connections wait in the
	// kernel's listen queue, costing the process nothing, until one closes.
	conns: 256,
}

// newServer returns the server for h under l, and ln limited to l.conns connections
// (netutil.LimitListener: Accept waits while l.conns are open).
func newServer(h http.Handler, ln net.Listener, l limits) (*http.Server, net.Listener) {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.readHeader,
		WriteTimeout:      l.write,
		IdleTimeout:       l.idle,
	}
	return srv, netutil.LimitListener(ln, l.conns)
}

// listening is what run prints once it listens on a: the URL of the address it really
// listens on and, for every interface, the URL to open on this machine.
func listening(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "listening on http://" + a.String() + "/\n"
	}
	port := strconv.Itoa(tcp.Port)
	s := "listening on http://" + net.JoinHostPort(tcp.IP.String(), port) + "/\n"
	if tcp.IP.IsUnspecified() {
		s += "every interface: on this machine open http://localhost:" + port + "/\n"
	}
	return s
}

// withPrefix serves h under the URL path prefix ("/": at the root). Paths outside it
// are not found; the prefix without its final slash redirects to it.
func withPrefix(prefix string, h http.Handler) (http.Handler, error) {
	clean := prefix == "/" || path.Clean(prefix) != "/" && path.Clean(prefix)+"/" == prefix
	if !strings.HasPrefix(prefix, "/") || !strings.HasSuffix(prefix, "/") || !clean || hidden(prefix) {
		return nil, fmt.Errorf("-prefix %q: want a clean path that starts and ends with /, such as /meshlight/", prefix)
	}
	if prefix == "/" {
		return h, nil
	}
	strip := http.StripPrefix(strings.TrimSuffix(prefix, "/"), h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == strings.TrimSuffix(prefix, "/"):
			http.Redirect(w, r, prefix, http.StatusMovedPermanently)
		case strings.HasPrefix(r.URL.Path, prefix):
			strip.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	}), nil
}

// handler serves the regular files of a folder opened as an os.Root.
type handler struct {
	root *os.Root

	mu     sync.Mutex
	checks map[gzipPair]*gzipCheck // gzipOf's verdicts
}

// newHandler opens dir as the root of what the handler serves.
func newHandler(dir string) (*handler, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("site folder: %w", err)
	}
	return &handler{root: root, checks: make(map[gzipPair]*gzipCheck)}, nil
}

// Close closes the root.
func (h *handler) Close() error { return h.root.Close() }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || hidden(p) {
		http.NotFound(w, r)
		return
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if name == "" {
		name = "."
	}
	folder := false
	if real, st, ok := h.find(name); ok && st.IsDir() {
		// A folder serves its index.html (under a path ending in /, so that relative
		// URLs resolve inside it); it is never listed.
		index := path.Join(real, "index.html")
		if _, st, ok := h.find(index); !ok || !st.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		if !strings.HasSuffix(p, "/") {
			// Relative, so that it holds under a prefix the handler does not see.
			loc := path.Base(p) + "/"
			if r.URL.RawQuery != "" {
				loc += "?" + r.URL.RawQuery
			}
			w.Header().Set("Location", loc)
			w.WriteHeader(http.StatusMovedPermanently)
			return
		}
		name, folder = index, true
	}
	hd := w.Header()
	// Always revalidate: a rebuilt meshlight.wasm or model file must be picked up on reload.
	hd.Set("Cache-Control", "no-cache")
	hd.Set("X-Content-Type-Options", "nosniff")
	ctype := contentTypes[ext(name)]
	if ctype == "" {
		ctype = mime.TypeByExtension(ext(name))
	}
	f, zipped := h.open(name, acceptsGzip(r.Header.Get("Accept-Encoding")))
	if zipped.gzipped {
		// Whatever follows depends on Accept-Encoding, even a 404: with X.gz and no X, a
		// client without gzip is not found, and a cache must not give that to others.
		hd.Add("Vary", "Accept-Encoding")
	}
	if f == nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	if !folder && strings.HasSuffix(p, "/") {
		// A file's URL ends without a slash: /index.html/ served the page with every
		// relative URL in it resolved under /index.html/, so all of them broke. It
		// redirects, as net/http's FileServer does, relatively (for a prefix the handler
		// does not see), one "../" per trailing slash.
		trimmed := strings.TrimRight(p, "/")
		loc := strings.Repeat("../", len(p)-len(trimmed)) + path.Base(trimmed)
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		hd.Set("Location", loc)
		w.WriteHeader(http.StatusMovedPermanently)
		return
	}
	if zipped.sent {
		hd.Set("Content-Encoding", "gzip")
		if ctype == "" {
			ctype = "application/octet-stream"
		}
	}
	if ctype != "" {
		hd.Set("Content-Type", ctype)
	}
	http.ServeContent(w, r, name, f.st.ModTime(), f.File)
}

// gzipChoice says whether a precompressed name.gz may be sent in place of name (it is a
// regular file and, if name is one too, decompresses to name: gzipped), and whether it is
// the file sent.
type gzipChoice struct{ gzipped, sent bool }

// open opens the file to send for name, each candidate once: name.gz when it is gzipped
// and the client accepts gzip, else name. It returns nil if there is none to send (name
// is not a regular file of the root, and name.gz is not either or is not for this
// client), with the choice all the same.
func (h *handler) open(name string, acceptsGzip bool) (*file, gzipChoice) {
	plain := h.regular(name)
	gz := h.regular(name + ".gz")
	var c gzipChoice
	if gz != nil {
		c.gzipped = plain == nil || h.gzipOf(plain, gz)
	}
	if c.gzipped && acceptsGzip {
		c.sent = true
		if plain != nil {
			plain.Close()
		}
		return gz, c
	}
	if gz != nil {
		gz.Close()
	}
	return plain, c
}

// file is a regular file of the root, opened.
type file struct {
	*os.File
	real string      // its path in the root, links resolved
	st   fs.FileInfo // its Stat
}

// regular opens name in the root if it is a regular file (after following links that
// stay inside the root), or returns nil. Opening a FIFO for reading waits for a writer,
// so a FIFO in the folder held a thread for good per request (and Go aborts at 10,000
// threads): regular stats before it opens, and opens without waiting (openFlags) in case
// the name was replaced by a FIFO in between, then checks what it opened.
func (h *handler) regular(name string) *file {
	real, st, ok := h.find(name)
	if !ok || !st.Mode().IsRegular() {
		return nil
	}
	f, err := h.root.OpenFile(real, openFlags, 0)
	if err != nil {
		return nil
	}
	ost, err := f.Stat()
	if err != nil || !ost.Mode().IsRegular() || !os.SameFile(st, ost) {
		f.Close()
		return nil
	}
	return &file{File: f, real: real, st: ost}
}

// gzipOf reports whether gz decompresses to plain, byte for byte: X.gz goes out in place
// of X only if it is X compressed. Modification times said neither: `cp -r` (make site)
// left each .gz older than its file, so the 4.0 MB module went out as 16.6 MB, and a .gz
// newer than an X changed since would have gone out stale. The pair is decompressed and
// compared once per state of the two files, a state known by their sizes and
// modification times (as make knows a file); concurrent requests wait for the one check
// (about 0.1 s for the 16.6 MB module here, on its first request after each build).
func (h *handler) gzipOf(plain, gz *file) bool {
	key := gzipPair{plain.real, gz.real}
	state := gzipState{plain.st.Size(), plain.st.ModTime().UnixNano(), gz.st.Size(), gz.st.ModTime().UnixNano()}
	h.mu.Lock()
	c := h.checks[key]
	if c == nil || c.state != state {
		c = &gzipCheck{state: state}
		h.checks[key] = c
	}
	h.mu.Unlock()
	c.once.Do(func() {
		c.same = decompressesTo(io.NewSectionReader(gz, 0, gz.st.Size()), io.NewSectionReader(plain, 0, plain.st.Size()))
	})
	return c.same
}

// gzipPair names a file and its .gz by their paths in the root.
type gzipPair struct{ plain, gz string }

// gzipState is the state of a pair that a check judged: sizes and modification times.
type gzipState struct{ plainSize, plainMod, gzSize, gzMod int64 }

// gzipCheck is gzipOf's verdict on one state of a pair.
type gzipCheck struct {
	state gzipState
	once  sync.Once
	same  bool
}

// decompressesTo reports whether gz is a gzip stream whose content is exactly plain (and
// whose checksums hold). It decompresses at most one byte more than plain holds.
func decompressesTo(gz, plain io.Reader) bool {
	zr, err := gzip.NewReader(gz)
	if err != nil {
		return false
	}
	a, b := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		n, perr := io.ReadFull(plain, a)
		if perr != nil && perr != io.EOF && perr != io.ErrUnexpectedEOF {
			return false
		}
		if m, err := io.ReadFull(zr, b[:n]); err != nil || !bytes.Equal(a[:n], b[:m]) {
			return false
		}
		if perr != nil { // plain has ended: the stream must end too, its checksums whole
			_, err := io.ReadFull(zr, b[:1])
			return err == io.EOF
		}
	}
}

// find resolves name in the root (resolve) and stats what it names. It fails when the
// name does not resolve inside the root, or resolves to a path with a hidden segment: the
// rule on dot-files holds for the file served, not only for the URL (a link alias.json
// to .env served .env). Resolving and then opening is not one step: a link swapped in
// between can still be followed, but only to a file inside the root.
func (h *handler) find(name string) (real string, st fs.FileInfo, ok bool) {
	real, err := h.resolve(name)
	if err != nil || real != "." && hidden(real) {
		return "", nil, false
	}
	st, err = h.root.Stat(real)
	if err != nil {
		return "", nil, false
	}
	return real, st, true
}

// maxLinks is how many symbolic links resolve follows in one name, as os.Root does.
const maxLinks = 8

// errOutside is resolve's error for a name that leaves the root.
var errOutside = errors.New("path escapes from the root")

// resolve returns name, a clean slash-separated path relative to the root, with every
// symbolic link in it followed as os.Root follows them: a link's target is relative to
// the link's folder, and an absolute target or a ".." above the root leaves the root.
// The result names no link and has no "." or ".." segment ("." is the root itself).
func (h *handler) resolve(name string) (string, error) {
	var done []string // the segments resolved so far, none of them a link
	todo := strings.Split(name, "/")
	for links := 0; len(todo) > 0; {
		seg := todo[0]
		todo = todo[1:]
		switch seg {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", errOutside
			}
			done = done[:len(done)-1]
			continue
		}
		p := path.Join(path.Join(done...), seg)
		st, err := h.root.Lstat(p)
		if err != nil {
			return "", err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			done = append(done, seg)
			continue
		}
		if links++; links > maxLinks {
			return "", fmt.Errorf("%s: more than %d links", name, maxLinks)
		}
		target, err := h.root.Readlink(p)
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(target, "/") {
			return "", errOutside
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	if len(done) == 0 {
		return ".", nil
	}
	return path.Join(done...), nil
}

// hidden reports whether a URL path has a segment starting with "." (a dot-file, a
// dot-folder such as .git, or a "." or ".." segment).
func hidden(p string) bool {
	for seg := range strings.SplitSeq(p, "/") {
		if strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip: gzip (or x-gzip)
// listed with a q above 0, or not listed and "*" listed with a q above 0.
func acceptsGzip(header string) bool {
	gzipQ, starQ := -1.0, -1.0
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		q := 1.0
		for param := range strings.SplitSeq(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(param), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					f = 0 // a q we cannot read does not allow the coding
				}
				q = f
			}
		}
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			gzipQ = max(gzipQ, q)
		case "*":
			starQ = max(starQ, q)
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// contentTypes fixes the MIME types the site depends on, whatever the host's mime tables say.
var contentTypes = map[string]string{
	".wasm": "application/wasm",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".json": "application/json",
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".gz":   "application/gzip",
}

// ext is the extension of a path, with the dot.
func ext(p string) string {
	for i := len(p) - 1; i >= 0 && p[i] != '/'; i-- {
		if p[i] == '.' {
			return p[i:]
		}
	}
	return ""
}
