package limitio

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNewReader(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		limit int64
		want  string
		err   string // "" means no error
	}{
		{"shorter", "abc", 5, "abc", ""},
		{"exactly the limit", "abcde", 5, "abcde", ""},
		{"one byte more", "abcdef", 5, "abcde", "more than the 5 bytes limit"},
		{"empty", "", 0, "", ""},
		{"limit 0", "x", 0, "", "more than the 0 bytes limit"},
		{"MiB", strings.Repeat("x", 1<<20+1), 1 << 20, strings.Repeat("x", 1<<20), "more than the 1 MiB limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := io.ReadAll(NewReader(strings.NewReader(tc.in), tc.limit))
			if string(got) != tc.want {
				t.Errorf("read %d bytes, want %d", len(got), len(tc.want))
			}
			_, isLimit := IsLimit(err)
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.err != "" && (!isLimit || err.Error() != tc.err):
				t.Errorf("error %v, want a *LimitError %q", err, tc.err)
			}
		})
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	os.WriteFile(small, []byte("12345"), 0o644)
	link := filepath.Join(dir, "link")
	os.Symlink(small, link)
	for _, tc := range []struct {
		name, path string
		limit      int64
		err        string
	}{
		{"regular", small, 5, ""},
		{"symlink to a regular file", link, 5, ""},
		{"too large", small, 4, "open " + small + ": 5 bytes, more than the 4 bytes limit"},
		{"folder", dir, 5, "not a regular file (a folder)"},
		{"device", "/dev/null", 5, "not a regular file (a character device)"},
		{"missing", filepath.Join(dir, "none"), 5, "none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, size, err := Open(tc.path, tc.limit)
			if tc.err == "" {
				if err != nil || size != 5 {
					t.Fatalf("Open = size %d, %v", size, err)
				}
				if n := Size(f); n != 5 {
					t.Errorf("Size of the open file %d, want 5", n)
				}
				f.Close()
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("Open error %v, want %q", err, tc.err)
			}
			if tc.name == "too large" {
				if le, ok := IsLimit(err); !ok || le.Size != 5 || le.Limit != 4 {
					t.Errorf("error %v, want a *LimitError of size 5, limit 4", err)
				}
			}
			if tc.name == "missing" && !errors.Is(err, os.ErrNotExist) {
				t.Errorf("error %v, want os.ErrNotExist", err)
			}
		})
	}
	if n := Size(bytes.NewReader([]byte("abc"))); n != 3 {
		t.Errorf("Size of a bytes.Reader: %d", n)
	}
	if n := Size(io.MultiReader()); n != -1 {
		t.Errorf("Size of a MultiReader: %d, want -1", n)
	}
}

func TestGunzip(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	big := strings.Repeat("a", 5000) // compresses far below the limit
	for _, tc := range []struct {
		name   string
		in     []byte
		zipped bool
		want   string
		err    func(error) bool
	}{
		{"plain", []byte("hello"), false, "hello", nil},
		{"one byte", []byte{0x1f}, false, "\x1f", nil},
		{"gzipped", gz("hello"), true, "hello", nil},
		{"data after the member", append(gz("hello"), 'x'), true, "hello", func(err error) bool { return errors.Is(err, ErrAfterGzip) }},
		{"second member", append(gz("hello"), gz("again")...), true, "hello", func(err error) bool { return errors.Is(err, ErrAfterGzip) }},
		{"decompresses past the limit", gz(big), true, "", func(err error) bool { _, ok := IsLimit(err); return ok }},
		{"plain past the limit", []byte(big), false, "", func(err error) bool { _, ok := IsLimit(err); return ok }},
	} {
		r, zipped, closeZip, err := Gunzip(bytes.NewReader(tc.in), 1000)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		got, err := io.ReadAll(r)
		closeZip()
		if zipped != tc.zipped || (tc.err == nil && (err != nil || string(got) != tc.want)) || (tc.err != nil && !tc.err(err)) {
			t.Errorf("%s: zipped %v, %q, %v", tc.name, zipped, got, err)
		}
	}
	if _, _, _, err := Gunzip(bytes.NewReader([]byte{0x1f, 0x8b, 0, 0}), 1000); err == nil {
		t.Error("a damaged gzip header was accepted")
	}
}
