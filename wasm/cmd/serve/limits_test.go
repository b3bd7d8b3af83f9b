package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// serveWith starts the server run starts (newServer) under l on a free port of
// 127.0.0.1, and returns its address and a channel that receives each connection the
// server closes.
func serveWith(t *testing.T, dir string, l limits) (string, <-chan struct{}) {
	t.Helper()
	h, err := newHandler(dir)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, lln := newServer(h, ln, l)
	closed := make(chan struct{}, 16)
	srv.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			closed <- struct{}{}
		}
	}
	go srv.Serve(lln)
	t.Cleanup(func() { srv.Close(); h.Close() })
	return ln.Addr().String(), closed
}

// get sends a GET of p on c and reads the whole response, keeping the connection.
func get(c net.Conn, br *bufio.Reader, p string) error {
	if _, err := io.WriteString(c, "GET "+p+" HTTP/1.1\r\nHost: site\r\n\r\n"); err != nil {
		return err
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return errors.New(resp.Status)
	}
	return nil
}

// Clients that send nothing, idle between requests or never read their response lose
// their connection to the server's limits: each once held it (and its descriptors and
// goroutine) for good. The limit under test is short, the others a minute, and each case
// waits on the server's close, for at most a minute.
func TestLimits(t *testing.T) {
	dir := site(t)
	// A response far larger than what the kernel buffers between the two ends of a
	// loopback connection (a few MB), so that the server is left waiting to write it.
	big, err := os.Create(filepath.Join(dir, "big.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(256 << 20); err != nil { // sparse: no disk space
		t.Fatal(err)
	}
	big.Close()
	long := time.Minute
	short := 100 * time.Millisecond
	for _, tc := range []struct {
		name   string
		limits limits
		client func(c net.Conn, br *bufio.Reader) error // what the client does before it waits
	}{
		{"client that sends nothing", limits{short, long, long, 8}, func(net.Conn, *bufio.Reader) error { return nil }},
		{"client that stops in its headers", limits{short, long, long, 8}, func(c net.Conn, _ *bufio.Reader) error {
			_, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: site\r\n")
			return err
		}},
		{"idle kept-alive connection", limits{long, long, short, 8}, func(c net.Conn, br *bufio.Reader) error {
			return get(c, br, "/index.html")
		}},
		{"client that never reads", limits{long, short, long, 8}, func(c net.Conn, _ *bufio.Reader) error {
			_, err := io.WriteString(c, "GET /big.bin HTTP/1.1\r\nHost: site\r\n\r\n")
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr, closed := serveWith(t, dir, tc.limits)
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := tc.client(c, bufio.NewReader(c)); err != nil {
				t.Fatal(err)
			}
			select {
			case <-closed:
			case <-time.After(time.Minute):
				t.Fatal("the server still held the connection after a minute")
			}
		})
	}
}

// At most limits.conns connections are open at once: a third client waits while two
// hold theirs, and is served once one closes.
func TestConnectionCap(t *testing.T) {
	addr, _ := serveWith(t, site(t), limits{time.Minute, time.Minute, time.Minute, 2})
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := get(c, bufio.NewReader(c), "/index.html"); err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	third, err := net.Dial("tcp", addr) // the kernel completes the handshake; the server has not accepted it
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	served := make(chan error, 1)
	go func() { served <- get(third, bufio.NewReader(third), "/index.html") }()
	// Nothing tells that the server is waiting rather than slow, so this waits a second:
	// a loaded machine can only let a missing cap pass here, never fail a working one.
	select {
	case err := <-served:
		t.Fatalf("a third connection was served (%v) while two were open under a cap of 2", err)
	case <-time.After(time.Second):
	}
	held[0].Close()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("third connection, once the first closed: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the third connection was still not served a minute after the first closed")
	}
}
