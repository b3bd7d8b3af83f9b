package sim

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

// The fetch guard resolves an address as the browser does and refuses other origins and
// paths outside the site's folder.
func TestSiteURL(t *testing.T) {
	const base = "http://127.0.0.1:8080/meshlight/?model=x&seed=2"
	cases := []struct {
		name, path string
		want       string // the URL fetched; "" if refused
		why        string // part of the refusal
	}{
		{"shipped model", "models/vowel-mlp.json", "http://127.0.0.1:8080/meshlight/models/vowel-mlp.json", ""},
		{"data file", "data/vowel4-test.bin.gz", "http://127.0.0.1:8080/meshlight/data/vowel4-test.bin.gz", ""},
		{"absolute in the folder", "http://127.0.0.1:8080/meshlight/models/a.json", "http://127.0.0.1:8080/meshlight/models/a.json", ""},
		{"backslash host", `\\example.invalid\x.json`, "", "another site"},
		{"backslash slash host", `\/example.invalid/x.json`, "", "another site"},
		{"slash backslash host", `/\example.invalid/x.json`, "", "another site"},
		{"protocol-relative", "//example.invalid/x.json", "", "another site"},
		{"other scheme", "https://127.0.0.1:8080/meshlight/x.json", "", "another site"},
		{"other port", "http://127.0.0.1:8081/meshlight/x.json", "", "another site"},
		{"other host", "http://example.invalid/x.json", "", "another site"},
		{"user info", "http://u@127.0.0.1:8080/meshlight/x.json", "", "another site"},
		{"tab in the slashes", "/\t/example.invalid/x.json", "", "another site"},
		{"leading space", " //example.invalid/x.json", "", "another site"},
		{"backslash dot dot", `..\models\vowel-mlp.json`, "", "outside the site's folder"},
		{"dot dot", "../models/vowel-mlp.json", "", "outside the site's folder"},
		{"escaped dot dot", "%2e%2e/models/vowel-mlp.json", "", "outside the site's folder"},
		{"escaped dot dot, mixed case", "models/.%2E/%2e./x.json", "", "outside the site's folder"},
		{"escaped slash", "models%2f..%2f..%2fx.json", "", "outside the site's folder"},
		{"escaped backslash", "models%5c..%5cx.json", "", "outside the site's folder"},
		{"root path", "/models/vowel-mlp.json", "", "outside the site's folder"},
		{"sibling folder", "/meshlight-other/x.json", "", "outside the site's folder"},
		{"query", "models/x.json?y=1", "", "no query"},
		{"fragment", "models/x.json#y", "", "no query or fragment"},
	}
	for _, c := range cases {
		got, err := SiteURL(base, c.path)
		if c.want != "" {
			if err != nil || got != c.want {
				t.Errorf("%s: SiteURL(%q) = %q, %v; want %q", c.name, c.path, got, err, c.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.why) {
			t.Errorf("%s: SiteURL(%q) = %q, %v; want a refusal saying %q", c.name, c.path, got, err, c.why)
		}
	}
	// A site at the server's root: its folder is "/".
	if got, err := SiteURL("https://example.org/", "models/a.json"); err != nil || got != "https://example.org/models/a.json" {
		t.Errorf("root site: %q, %v", got, err)
	}
	if _, err := SiteURL("file:///tmp/index.html", "models/a.json"); err == nil {
		t.Error("a page not on http(s) must refuse")
	}
}

// endless is a body that never ends; it counts what is read from it.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.n += int64(len(p))
	return len(p), nil
}

// unread fails a test that reads it.
type unread struct{ t *testing.T }

func (u unread) Read([]byte) (int, error) {
	u.t.Error("a body whose Content-Length is over the cap was read")
	return 0, io.EOF
}

// A body is read only up to its cap: a declared length over the cap is refused unread, a
// stream is stopped at the cap, and the errors name the limit.
func TestReadCapped(t *testing.T) {
	const limit = 1000
	cases := []struct {
		name     string
		declared int64
		body     func(t *testing.T) io.Reader
		want     int    // bytes returned, if accepted
		why      string // part of the refusal
	}{
		{"short, declared", 10, func(*testing.T) io.Reader { return strings.NewReader("0123456789") }, 10, ""},
		{"at the cap, undeclared", -1, func(*testing.T) io.Reader { return bytes.NewReader(make([]byte, limit)) }, limit, ""},
		{"empty", 0, func(*testing.T) io.Reader { return strings.NewReader("") }, 0, ""},
		{"declared over the cap", 200 << 20, func(t *testing.T) io.Reader { return unread{t} }, 0, "209715200 bytes (200 MiB) (Content-Length) is over the limit of 1000 bytes"},
		{"undeclared, endless", -1, func(*testing.T) io.Reader { return &endless{} }, 0, "more than the limit of 1000 bytes"},
		{"declared short, sends more", 10, func(*testing.T) io.Reader { return &endless{} }, 0, "more than the limit of 1000 bytes"},
		{"declared long, sends less", 20, func(*testing.T) io.Reader { return strings.NewReader("0123456789") }, 0, "20 bytes declared: unexpected EOF"},
		{"one over the cap", limit + 1, func(t *testing.T) io.Reader { return unread{t} }, 0, "over the limit"},
	}
	for _, c := range cases {
		body := c.body(t)
		b, err := ReadCapped(c.declared, body, limit)
		if c.why == "" {
			if err != nil || len(b) != c.want {
				t.Errorf("%s: %d bytes, %v; want %d bytes", c.name, len(b), err, c.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.why) || b != nil {
			t.Errorf("%s: %d bytes, %v; want a refusal saying %q", c.name, len(b), err, c.why)
		}
		if e, ok := body.(*endless); ok && e.n > limit+64<<10 {
			t.Errorf("%s: read %d bytes of an endless body, want the cap (%d) and at most one buffer more", c.name, e.n, limit)
		}
	}
}

// loggingSite is a test site whose fetch records every path asked for; some paths are
// served as oversized bodies.
type loggingSite struct {
	site
	mu    sync.Mutex
	paths []string
}

func (l *loggingSite) fetch(p string, limit int64) ([]byte, error) {
	l.mu.Lock()
	l.paths = append(l.paths, p)
	l.mu.Unlock()
	switch p {
	case "models/declared-huge.json": // Content-Length: 200 MB
		return ReadCapped(200<<20, &endless{}, limit)
	case "models/streamed-huge.json": // no Content-Length, a body that never ends
		return ReadCapped(-1, &endless{}, limit)
	}
	return l.site.fetch(p, limit)
}

func (l *loggingSite) fetched() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.paths...)
}

// A model that is too large, or whose data set name would leave the data folder, is refused
// with a message naming the file (and the limit); the last good model and chip stay, and
// nothing outside models/ and data/ is fetched.
func TestSessionRefusesBadModelFiles(t *testing.T) {
	ls := &loggingSite{site: testSite(t)}
	var mb bytes.Buffer
	if err := model.Write(&mb, randomModel(t, "evil", "vowel4", "8-16-16-4", 1, 0, 3)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"../../../evil", "../data/vowel4", `..\..\evil`} {
		q := bytes.Replace(mb.Bytes(), []byte(`"dataset": "vowel4"`), []byte(`"dataset": `+strconv.Quote(name)), 1)
		if bytes.Equal(q, mb.Bytes()) {
			t.Fatal("the model file has no dataset field to replace")
		}
		ls.site["models/evil-"+string(rune('a'+len(ls.site)))+".json"] = q
	}
	cases := []struct {
		name, model string
		want        []string // parts of the message
	}{
		{"declared over the cap", "models/declared-huge.json", []string{"models/declared-huge.json", "over the limit of 33554432 bytes (32 MiB)"}},
		{"streamed over the cap", "models/streamed-huge.json", []string{"models/streamed-huge.json", "more than the limit of 33554432 bytes (32 MiB)"}},
	}
	for name := range ls.site {
		if strings.HasPrefix(name, "models/evil-") {
			cases = append(cases, struct {
				name, model string
				want        []string
			}{"data set name " + name, name, []string{name[len("models/"):], "not a data set name"}})
		}
	}
	c := newClock()
	s := NewSession("?speed=50", ls.fetch)
	s.SetClock(c.now)
	ready(t, s, c)
	chip := s.Chip()
	for _, tc := range cases {
		s.ClearErrors()
		if errs := s.Set(map[string]string{"model": tc.model}); len(errs) != 0 {
			t.Fatalf("%s: Set: %v", tc.name, errs)
		}
		waitFor(t, tc.name+": a message", func() bool { return s.Stats().Error != "" }, func() { frame(s, c) },
			func() string { return "status " + s.Stats().Status })
		msg := s.Stats().Error
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: message %q, want it to say %q", tc.name, msg, w)
			}
		}
		if len(msg) > 400 {
			t.Errorf("%s: message of %d bytes", tc.name, len(msg))
		}
		if s.Chip() != chip || s.Settings().Model != "mnist8-mlp" || !s.Stats().Ready {
			t.Errorf("%s: the last good model and chip must stay (model %q)", tc.name, s.Settings().Model)
		}
	}
	for _, p := range ls.fetched() {
		if !(strings.HasPrefix(p, "models/") || strings.HasPrefix(p, "data/")) || strings.Contains(p, "..") || strings.Contains(p, `\`) || strings.Contains(p, "evil-test") {
			t.Errorf("fetched %q", p)
		}
	}
	if want := dataset.FileName("vowel4", dataset.Test); !slices.Contains(ls.fetched(), "data/"+want) {
		t.Errorf("fetched %v, want the default's data", ls.fetched())
	}
}

// DirFetch reads the files of a folder, capped, and nothing outside it.
func TestDirFetch(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "models"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "models", "a.json"), []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(filepath.Dir(root), "outside.json")
	if err := os.WriteFile(outside, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(outside)
	if err := os.Symlink(outside, filepath.Join(root, "models", "link.json")); err != nil {
		t.Fatal(err)
	}
	fetch := DirFetch(root)
	if b, err := fetch("models/a.json", 5); err != nil || string(b) != "12345" {
		t.Errorf("a.json: %q, %v", b, err)
	}
	for _, tc := range []struct {
		path  string
		limit int64
	}{{"models/a.json", 4}, {"../outside.json", 100}, {"models/link.json", 100}, {"models", 100}, {"models/none.json", 100}} {
		if b, err := fetch(tc.path, tc.limit); err == nil {
			t.Errorf("%s (limit %d): read %q, want an error", tc.path, tc.limit, b)
		}
	}
}
