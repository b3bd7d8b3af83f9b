package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const wasmBody = "\x00asm\x01\x00\x00\x00"

func gzipOf(s string) string {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	io.WriteString(zw, s)
	zw.Close()
	return b.String()
}

// site writes a site folder with what the server must serve, what it must hide (dot-files,
// listings) and symbolic links in and out of it, beside a secret outside it.
func site(t *testing.T) string {
	t.Helper()
	top := t.TempDir()
	dir := filepath.Join(top, "site")
	outside := filepath.Join(top, "outside")
	files := map[string]string{
		"site/index.html":             "<!doctype html><title>x</title>",
		"site/meshlight.wasm":         wasmBody,
		"site/meshlight.wasm.gz":      gzipOf(wasmBody),
		"site/wasm_exec.js":           "// go",
		"site/models/vowel.json":      `{"format":"meshlight-model/1"}`,
		"site/models/.hidden.json":    `{}`,
		"site/data/vowel4-test.gz":    "\x1f\x8b",
		"site/docs/index.html":        "<p>docs</p>",
		"site/.git/config":            "[remote]",
		"site/.env":                   "TOKEN=x",
		"site/notes.txt":              "plain",
		"site/notes.txt.gz":           gzipOf("plain"),
		"site/onlygz.json.gz":         gzipOf("{}"),
		"site/stale.txt":              "new",
		"site/stale.txt.gz":           gzipOf("old"),
		"site/old-same.txt":           "same",
		"site/old-same.txt.gz":        gzipOf("same"),
		"site/new-stale.txt":          "new",
		"site/new-stale.txt.gz":       gzipOf("old"),
		"site/not-gzip.txt":           "x",
		"site/not-gzip.txt.gz":        "x",
		"site/truncated.txt":          "plain",
		"site/truncated.txt.gz":       gzipOf("plain")[:len(gzipOf("plain"))-4],
		"site/longer.txt":             "same",
		"site/longer.txt.gz":          gzipOf("same, and more"),
		"site/trailing.txt":           "same",
		"site/trailing.txt.gz":        gzipOf("same") + "junk",
		"outside/secret.txt":          "secret",
		"outside/dir/secret.json":     `{"secret":1}`,
		"site/models/mnist8-mlp.json": `{"name":"mnist8-mlp"}`,
	}
	now := time.Now()
	for name, body := range files {
		p := filepath.Join(top, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now, now); err != nil { // one time: the order of writes is random
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"site/passwd":          "/etc/passwd",
		"site/secret.txt":      filepath.Join(outside, "secret.txt"),
		"site/up.txt":          "../outside/secret.txt",
		"site/out":             filepath.Join(outside, "dir"),
		"site/alias.json":      "models/vowel.json",
		"site/models/up.json":  "../../outside/dir/secret.json",
		"site/models/in.json":  "../models/vowel.json",
		"site/loop.json":       "loop.json",
		"site/models/dir-link": "../docs",
		// links inside the folder to what it hides
		"site/dotlink.txt":              ".env",
		"site/models/git.json":          "../.git/config",
		"site/gitdir":                   ".git",
		"site/models/hidden-alias.json": ".hidden.json",
		"site/secretdocs/index.html":    "../.env",
		"site/via-dot.json":             ".git/../models/vowel.json",
	}
	// stale.txt.gz is older than stale.txt: a build rewrote the file, not its gzip.
	// old-same.txt.gz is older than old-same.txt but its content, as cp -r leaves a
	// build's .gz; new-stale.txt.gz is newer than new-stale.txt but not its content.
	for name, mod := range map[string]time.Time{
		"stale.txt.gz":     now.Add(-time.Hour),
		"old-same.txt.gz":  now.Add(-time.Hour),
		"new-stale.txt.gz": now.Add(time.Hour),
	} {
		if err := os.Chtimes(filepath.Join(dir, name), mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(top, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(top, name)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestHandler(t *testing.T) {
	h, err := newHandler(site(t))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for _, tc := range []struct {
		name, method, path, accept string
		status                     int
		ctype, body, encoding      string
		vary                       bool
		location                   string
	}{
		{"index", "GET", "/", "", 200, "text/html; charset=utf-8", "<!doctype html><title>x</title>", "", false, ""},
		{"index.html", "GET", "/index.html", "", 200, "text/html; charset=utf-8", "<!doctype html><title>x</title>", "", false, ""},
		{"wasm without gzip", "GET", "/meshlight.wasm", "", 200, "application/wasm", wasmBody, "", true, ""},
		{"wasm, client accepts gzip", "GET", "/meshlight.wasm", "gzip, deflate, br", 200, "application/wasm", gzipOf(wasmBody), "gzip", true, ""},
		{"wasm, gzip with q", "GET", "/meshlight.wasm", "br;q=1.0, gzip;q=0.8", 200, "application/wasm", gzipOf(wasmBody), "gzip", true, ""},
		{"wasm, gzip refused", "GET", "/meshlight.wasm", "gzip;q=0, br", 200, "application/wasm", wasmBody, "", true, ""},
		{"wasm, any encoding", "GET", "/meshlight.wasm", "*", 200, "application/wasm", gzipOf(wasmBody), "gzip", true, ""},
		{"wasm, any but gzip", "GET", "/meshlight.wasm", "gzip;q=0, *", 200, "application/wasm", wasmBody, "", true, ""},
		{"wasm, brotli only", "GET", "/meshlight.wasm", "br", 200, "application/wasm", wasmBody, "", true, ""},
		{"wasm HEAD with gzip", "HEAD", "/meshlight.wasm", "gzip", 200, "application/wasm", "", "gzip", true, ""},
		{"text with gzip", "GET", "/notes.txt", "gzip", 200, "text/plain; charset=utf-8", gzipOf("plain"), "gzip", true, ""},
		{"stale gzip", "GET", "/stale.txt", "gzip", 200, "text/plain; charset=utf-8", "new", "", false, ""},
		// X.gz is sent for X when it decompresses to X, whatever their times
		{"gzip older than its file, its content", "GET", "/old-same.txt", "gzip", 200, "text/plain; charset=utf-8", gzipOf("same"), "gzip", true, ""},
		{"gzip newer than its file, stale", "GET", "/new-stale.txt", "gzip", 200, "text/plain; charset=utf-8", "new", "", false, ""},
		{"a .gz that is not gzip", "GET", "/not-gzip.txt", "gzip", 200, "text/plain; charset=utf-8", "x", "", false, ""},
		{"truncated gzip", "GET", "/truncated.txt", "gzip", 200, "text/plain; charset=utf-8", "plain", "", false, ""},
		{"gzip of more than the file", "GET", "/longer.txt", "gzip", 200, "text/plain; charset=utf-8", "same", "", false, ""},
		{"gzip with bytes after it", "GET", "/trailing.txt", "gzip", 200, "text/plain; charset=utf-8", "same", "", false, ""},
		{"the .gz itself", "GET", "/meshlight.wasm.gz", "gzip", 200, "application/gzip", gzipOf(wasmBody), "", false, ""},
		{"only a .gz, client accepts gzip", "GET", "/onlygz.json", "gzip", 200, "application/json", gzipOf("{}"), "gzip", true, ""},
		{"only a .gz, client does not", "GET", "/onlygz.json", "", 404, "", "", "", true, ""},
		{"only a .gz with a slash, client accepts gzip", "GET", "/onlygz.json/", "gzip", 301, "", "", "", true, "../onlygz.json"},
		{"only a .gz with a slash, client does not", "GET", "/onlygz.json/", "", 404, "", "", "", true, ""},
		{"js", "GET", "/wasm_exec.js", "", 200, "text/javascript; charset=utf-8", "// go", "", false, ""},
		{"model", "GET", "/models/vowel.json", "gzip", 200, "application/json", `{"format":"meshlight-model/1"}`, "", false, ""},
		{"data file", "GET", "/data/vowel4-test.gz", "gzip", 200, "application/gzip", "\x1f\x8b", "", false, ""},
		{"missing", "GET", "/missing.wasm", "", 404, "", "", "", false, ""},
		{"dot-dot", "GET", "/../../etc/passwd", "", 404, "", "", "", false, ""},
		{"dot-dot inside", "GET", "/models/../index.html", "", 404, "", "", "", false, ""},
		{"dot segment", "GET", "/./index.html", "", 404, "", "", "", false, ""},
		// symbolic links: those that stay inside the folder are served, no other
		{"symlink to /etc/passwd", "GET", "/passwd", "", 404, "", "", "", false, ""},
		{"symlink out, absolute", "GET", "/secret.txt", "", 404, "", "", "", false, ""},
		{"symlink out, relative", "GET", "/up.txt", "", 404, "", "", "", false, ""},
		{"folder symlink out", "GET", "/out/secret.json", "", 404, "", "", "", false, ""},
		{"symlink out from a subfolder", "GET", "/models/up.json", "", 404, "", "", "", false, ""},
		{"symlink loop", "GET", "/loop.json", "", 404, "", "", "", false, ""},
		{"symlink inside", "GET", "/alias.json", "", 200, "application/json", `{"format":"meshlight-model/1"}`, "", false, ""},
		{"symlink inside via ..", "GET", "/models/in.json", "", 200, "application/json", `{"format":"meshlight-model/1"}`, "", false, ""},
		{"symlink to a dot-file", "GET", "/dotlink.txt", "", 404, "", "", "", false, ""},
		{"symlink into a dot-folder", "GET", "/models/git.json", "", 404, "", "", "", false, ""},
		{"through a folder symlink to a dot-folder", "GET", "/gitdir/config", "", 404, "", "", "", false, ""},
		{"symlink to a hidden model", "GET", "/models/hidden-alias.json", "", 404, "", "", "", false, ""},
		{"index.html a symlink to a dot-file", "GET", "/secretdocs/", "", 404, "", "", "", false, ""},
		{"symlink through a dot-folder out to a visible file", "GET", "/via-dot.json", "", 200, "application/json", `{"format":"meshlight-model/1"}`, "", false, ""},
		// dot-files
		{"git config", "GET", "/.git/config", "", 404, "", "", "", false, ""},
		{"git folder", "GET", "/.git/", "", 404, "", "", "", false, ""},
		{"env", "GET", "/.env", "", 404, "", "", "", false, ""},
		{"hidden model", "GET", "/models/.hidden.json", "", 404, "", "", "", false, ""},
		// folders: never listed
		{"listing", "GET", "/models/", "", 404, "", "", "", false, ""},
		{"listing without slash", "GET", "/models", "", 404, "", "", "", false, ""},
		{"listing of data", "GET", "/data/", "", 404, "", "", "", false, ""},
		{"listing through a link", "GET", "/models/dir-link/", "", 200, "text/html; charset=utf-8", "<p>docs</p>", "", false, ""},
		{"folder with an index", "GET", "/docs/", "", 200, "text/html; charset=utf-8", "<p>docs</p>", "", false, ""},
		{"folder with an index, no slash", "GET", "/docs?x=1", "", 301, "", "", "", false, "docs/?x=1"},
		// a file's path with a slash after it: relative URLs in it would resolve under it
		{"file with a slash", "GET", "/index.html/", "", 301, "", "", "", false, "../index.html"},
		{"file with a slash and a query", "GET", "/index.html/?x=1", "", 301, "", "", "", false, "../index.html?x=1"},
		{"file with two slashes", "GET", "/index.html//", "", 301, "", "", "", false, "../../index.html"},
		{"file in a folder with a slash", "GET", "/models/vowel.json/", "", 301, "", "", "", false, "../vowel.json"},
		{"missing file with a slash", "GET", "/missing.json/", "", 404, "", "", "", false, ""},
		{"path under a file", "GET", "/index.html/x", "", 404, "", "", "", false, ""},
		{"POST", "POST", "/", "", 405, "", "", "", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "http://site"+tc.path, nil)
			r.URL.Path = strings.SplitN(tc.path, "?", 2)[0] // as sent, not cleaned
			if tc.accept != "" {
				r.Header.Set("Accept-Encoding", tc.accept)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			resp := w.Result()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d (body %q)", resp.StatusCode, tc.status, body)
			}
			if tc.status == 404 && (strings.Contains(string(body), "secret") || strings.Contains(string(body), "<a href")) {
				t.Errorf("404 body %q shows content", body)
			}
			if tc.location != "" && resp.Header.Get("Location") != tc.location {
				t.Errorf("Location %q, want %q", resp.Header.Get("Location"), tc.location)
			}
			if got := resp.Header.Get("Vary") == "Accept-Encoding"; got != tc.vary {
				t.Errorf("Vary %q, want Accept-Encoding: %v", resp.Header.Get("Vary"), tc.vary)
			}
			if tc.status != 200 {
				return
			}
			if got := resp.Header.Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type %q, want %q", got, tc.ctype)
			}
			if got := resp.Header.Get("Content-Encoding"); got != tc.encoding {
				t.Errorf("Content-Encoding %q, want %q", got, tc.encoding)
			}
			if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("Cache-Control %q, want no-cache", got)
			}
			if tc.method != "HEAD" && string(body) != tc.body {
				t.Errorf("body %q, want %q", body, tc.body)
			}
			if tc.encoding == "gzip" && resp.Header.Get("Content-Length") != "" && tc.method == "GET" {
				if n := resp.Header.Get("Content-Length"); n != strconv.Itoa(len(tc.body)) {
					t.Errorf("Content-Length %s, want %d (the gzipped size)", n, len(tc.body))
				}
			}
		})
	}
}

// The site under a prefix, as run.sh serves it (GitHub Pages' /meshlight/), with the
// same rules inside it and nothing outside it.
// X.gz is judged again when X or X.gz changes (its size or modification time): each
// verdict holds for one state of the pair. (A rewrite that keeps both the size and the
// time of both files goes unseen, as it does by make.)
func TestGzipRecheck(t *testing.T) {
	dir := t.TempDir()
	h, err := newHandler(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	base := time.Now().Add(-time.Hour)
	for i, step := range []struct {
		file, body string
		mod        time.Duration // after base
		want, enc  string        // the response to a client that accepts gzip
	}{
		{"a.txt", "v1", 0, "v1", ""},
		{"a.txt.gz", gzipOf("v1"), -time.Minute, gzipOf("v1"), "gzip"},     // older than a.txt, its content
		{"a.txt", "v2", time.Second, "v2", ""},                             // same size, new time: the .gz is stale
		{"a.txt.gz", gzipOf("v2"), -2 * time.Minute, gzipOf("v2"), "gzip"}, // the .gz rewritten, still older
		{"a.txt", "v3, longer", time.Second, "v3, longer", ""},             // same time, new size
	} {
		p := filepath.Join(dir, step.file)
		if err := os.WriteFile(p, []byte(step.body), 0o644); err != nil {
			t.Fatal(err)
		}
		mod := base.Add(step.mod)
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "http://site/a.txt", nil)
		r.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 || w.Body.String() != step.want || w.Header().Get("Content-Encoding") != step.enc {
			t.Errorf("step %d (%s %q): %d %q encoded %q; want 200 %q encoded %q", i, step.file, step.body,
				w.Code, w.Body.String(), w.Header().Get("Content-Encoding"), step.want, step.enc)
		}
	}
}

func TestPrefix(t *testing.T) {
	h, err := newHandler(site(t))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ph, err := withPrefix("/meshlight/", h)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		status     int
		location   string
	}{
		{"index", "/meshlight/", 200, ""},
		{"file", "/meshlight/meshlight.wasm", 200, ""},
		{"prefix without slash", "/meshlight", 301, "/meshlight/"},
		{"folder with an index, no slash", "/meshlight/docs", 301, "docs/"},
		{"file with a slash", "/meshlight/index.html/", 301, "../index.html"},
		{"outside the prefix", "/index.html", 404, ""},
		{"root", "/", 404, ""},
		{"other prefix", "/meshlightx/index.html", 404, ""},
		{"dot-file", "/meshlight/.git/config", 404, ""},
		{"dot-dot", "/meshlight/../meshlight/index.html", 404, ""},
		{"listing", "/meshlight/models/", 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://site/", nil)
			r.URL.Path = tc.path
			w := httptest.NewRecorder()
			ph.ServeHTTP(w, r)
			if w.Code != tc.status || w.Header().Get("Location") != tc.location {
				t.Errorf("status %d, Location %q; want %d, %q", w.Code, w.Header().Get("Location"), tc.status, tc.location)
			}
		})
	}
	for _, bad := range []string{"", "meshlight", "meshlight/", "/meshlight", "/a/../b/", "//", "/.git/", "/a//b/"} {
		if _, err := withPrefix(bad, h); err == nil || !strings.Contains(err.Error(), "-prefix") {
			t.Errorf("withPrefix(%q) = %v, want a -prefix error", bad, err)
		}
	}
}

func TestNewHandlerBadDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	os.WriteFile(file, nil, 0o644)
	for _, d := range []string{filepath.Join(dir, "nope"), file} {
		if _, err := newHandler(d); err == nil || !strings.Contains(err.Error(), "site folder") {
			t.Errorf("newHandler(%q) = %v, want a site folder error", d, err)
		}
	}
}

func TestListening(t *testing.T) {
	for _, tc := range []struct {
		name string
		addr net.Addr
		want string
	}{
		{"loopback", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "listening on http://127.0.0.1:8080/\n"},
		{"IPv6 loopback", &net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, "listening on http://[::1]:8080/\n"},
		{"every interface", &net.TCPAddr{IP: net.IPv6unspecified, Port: 43210},
			"listening on http://[::]:43210/\nevery interface: on this machine open http://localhost:43210/\n"},
		{"every IPv4 interface", &net.TCPAddr{IP: net.IPv4zero, Port: 43210},
			"listening on http://0.0.0.0:43210/\nevery interface: on this machine open http://localhost:43210/\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := listening(tc.addr); got != tc.want {
				t.Errorf("listening = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestRunPrintsURL starts the server on port 0, reads the printed URL, fetches from it and
// stops it with SIGINT, as scripts do. The URL is the bound address: on every interface
// (:0) it is not 127.0.0.1.
func TestRunPrintsURL(t *testing.T) {
	for _, tc := range []struct {
		name, addr string
		host       func(string) bool
	}{
		{"loopback", "127.0.0.1:0", func(h string) bool { return h == "127.0.0.1" }},
		{"every interface", ":0", func(h string) bool { return net.ParseIP(h) != nil && net.ParseIP(h).IsUnspecified() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			dir := site(t)
			go func() { done <- run(dir, tc.addr, "/", pw); pw.Close() }()
			line, err := bufio.NewReader(pr).ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on http://")
			hostPort, slash := strings.CutSuffix(url, "/")
			host, port, err := net.SplitHostPort(hostPort)
			if !ok || !slash || err != nil || port == "0" || !tc.host(host) {
				t.Fatalf("first line %q, want listening on http://HOST:PORT/ with the bound host and port", line)
			}
			resp, err := http.Get("http://" + net.JoinHostPort("127.0.0.1", port) + "/meshlight.wasm")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.Header.Get("Content-Type") != "application/wasm" {
				t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
			}
			go io.Copy(io.Discard, pr)
			syscall.Kill(os.Getpid(), syscall.SIGINT)
			if err := <-done; err != nil { // a server that ignores SIGINT hangs here until go test's -timeout
				t.Errorf("run: %v", err)
			}
		})
	}
}

func TestRunBadAddr(t *testing.T) {
	if err := run(site(t), "127.0.0.1:notaport", "/", io.Discard); err == nil || !strings.Contains(err.Error(), "listen on 127.0.0.1:notaport") {
		t.Errorf("run with a bad address = %v", err)
	}
	if err := run(site(t), "127.0.0.1:0", "meshlight", io.Discard); err == nil || !strings.Contains(err.Error(), "-prefix") {
		t.Errorf("run with a bad prefix = %v", err)
	}
}
