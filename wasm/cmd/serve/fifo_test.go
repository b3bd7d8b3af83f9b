//go:build unix

package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO in the folder is not found, and asking for it does not wait: opening a FIFO for
// reading waits for a writer, so each request for one held a thread for good.
func TestFIFO(t *testing.T) {
	dir := site(t)
	for _, name := range []string{"pipe.json", "plain.txt.gz"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "plain.txt"), []byte("plain"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("pipe.json", filepath.Join(dir, "pipe-link.json")); err != nil {
		t.Fatal(err)
	}
	h, err := newHandler(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for _, tc := range []struct {
		name, path string
		status     int
		body       string
	}{
		{"FIFO", "/pipe.json", 404, ""},
		{"link to a FIFO", "/pipe-link.json", 404, ""},
		{"FIFO as the .gz of a file", "/plain.txt", 200, "plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://site"+tc.path, nil)
			r.Header.Set("Accept-Encoding", "gzip")
			w := httptest.NewRecorder()
			done := make(chan struct{})
			go func() { h.ServeHTTP(w, r); close(done) }()
			select {
			case <-done:
			case <-time.After(time.Minute):
				// Release the handler: a writer lets a waiting open of the FIFO return.
				for _, name := range []string{"pipe.json", "plain.txt.gz"} {
					if f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
						f.Close()
					}
				}
				<-done
				t.Fatalf("GET %s: the handler was still waiting to open the FIFO after a minute", tc.path)
			}
			if w.Code != tc.status || tc.status == 200 && w.Body.String() != tc.body {
				t.Errorf("status %d, body %q; want %d, %q", w.Code, w.Body.String(), tc.status, tc.body)
			}
		})
	}
	// A name that turns into a FIFO between regular's Stat and its open: the open itself
	// must not wait.
	t.Run("open of a FIFO", func(t *testing.T) {
		done := make(chan error, 1)
		go func() {
			f, err := h.root.OpenFile("pipe.json", openFlags, 0)
			if err == nil {
				f.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("open: %v", err)
			}
		case <-time.After(time.Minute):
			if f, err := os.OpenFile(filepath.Join(dir, "pipe.json"), os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
			<-done
			t.Fatal("opening the FIFO with openFlags was still waiting after a minute")
		}
	})
}
