package main

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func site(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":          "<!doctype html><title>x</title>",
		"meshlight.wasm":      "\x00asm\x01\x00\x00\x00",
		"wasm_exec.js":        "// go",
		"models/vowel.json":   `{"format":"meshlight-model/1"}`,
		"data/vowel4-test.gz": "\x1f\x8b",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestHandlerTypesAndCaching(t *testing.T) {
	h, err := newHandler(site(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, tc := range []struct {
		path, ctype, body string
		status            int
	}{
		{"/", "text/html; charset=utf-8", "<!doctype html><title>x</title>", 200},
		{"/meshlight.wasm", "application/wasm", "\x00asm\x01\x00\x00\x00", 200},
		{"/wasm_exec.js", "text/javascript; charset=utf-8", "// go", 200},
		{"/models/vowel.json", "application/json", `{"format":"meshlight-model/1"}`, 200},
		{"/data/vowel4-test.gz", "application/gzip", "\x1f\x8b", 200},
		{"/missing.wasm", "", "", 404},
		{"/../../etc/passwd", "", "", 404},
	} {
		resp, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, resp.StatusCode, tc.status)
			continue
		}
		if tc.status != 200 {
			continue
		}
		if got := resp.Header.Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
			t.Errorf("%s: Cache-Control %q, want no-cache", tc.path, got)
		}
		if string(body) != tc.body {
			t.Errorf("%s: body %q, want %q", tc.path, body, tc.body)
		}
	}
	resp, err := http.Post(srv.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", resp.StatusCode)
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

// TestRunPrintsURL starts the server on port 0, reads the printed URL, fetches from it and
// stops it with SIGINT, as scripts do.
func TestRunPrintsURL(t *testing.T) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(site(t), "127.0.0.1:0", pw); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/") {
		t.Fatalf("first line %q, want listening on http://127.0.0.1:PORT/", line)
	}
	resp, err := http.Get(url + "meshlight.wasm")
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
}

func TestRunBadAddr(t *testing.T) {
	if err := run(site(t), "127.0.0.1:notaport", io.Discard); err == nil || !strings.Contains(err.Error(), "listen on 127.0.0.1:notaport") {
		t.Errorf("run with a bad address = %v", err)
	}
}
