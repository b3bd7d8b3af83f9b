// Command serve is a small static file server for the meshlight site.
//
// It serves one folder (-dir) on one address (-addr), sends WebAssembly with the
// application/wasm MIME type (browsers refuse to stream-compile anything else), asks
// browsers to revalidate every file on each load (so a rebuilt .wasm is never stale),
// and prints "listening on http://HOST:PORT/" once it accepts connections, so scripts
// can start it on port 0 and read the address it got.
//
//	go run ./wasm/cmd/serve -dir static -addr 127.0.0.1:8080
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	dir := flag.String("dir", "static", "folder to serve")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	flag.Parse()
	if err := run(*dir, *addr, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

// run serves dir on addr until SIGINT or SIGTERM.
func run(dir, addr string, out io.Writer) error {
	h, err := newHandler(dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	fmt.Fprintf(out, "listening on %s\n", siteURL(ln.Addr()))
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// siteURL is the URL a browser opens for a listener address.
func siteURL(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return fmt.Sprintf("http://127.0.0.1:%d/", tcp.Port)
	}
	return "http://" + a.String() + "/"
}

// newHandler serves the files under dir.
func newHandler(dir string) (http.Handler, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("site folder: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("site folder %s: not a directory", dir)
	}
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		// Always revalidate: a rebuilt meshlight.wasm or model file must be picked up on reload.
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		if contentTypes[ext(r.URL.Path)] != "" {
			h.Set("Content-Type", contentTypes[ext(r.URL.Path)])
		}
		files.ServeHTTP(w, r)
	}), nil
}

// contentTypes fixes the MIME types the site depends on, whatever the host's mime tables say.
var contentTypes = map[string]string{
	".wasm": "application/wasm",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".json": "application/json",
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".gz":   "application/gzip",
}

// ext is the extension of a URL path, with the dot.
func ext(p string) string {
	for i := len(p) - 1; i >= 0 && p[i] != '/'; i-- {
		if p[i] == '.' {
			return p[i:]
		}
	}
	return ""
}
