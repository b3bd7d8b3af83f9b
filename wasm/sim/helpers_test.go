package sim

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/testnet"
)

// randomModel returns a model of the architecture with random phases and signs.
func randomModel(t testing.TB, name, set, arch string, channels, block int, seed uint64) *model.Model {
	return randomModelBound(t, name, set, arch, channels, block, 3, seed)
}

// randomModelBound is randomModel with the Sigma bound m.
func randomModelBound(t testing.TB, name, set, arch string, channels, block int, bound float64, seed uint64) *model.Model {
	t.Helper()
	m, err := testnet.RandomModel(name, set, arch, channels, block, photonics.Reck, bound, seed)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// blobs is a data set of Gaussian clusters.
func blobs(name string, shape [3]int, classes, n int, seed uint64) *dataset.Set {
	return testnet.ShapedBlobs(name, n, shape, classes, 0.1, seed, seed)
}

// site is a fake web site: path -> bytes.
type site map[string][]byte

func (s site) fetch(p string, limit int64) ([]byte, error) {
	b, ok := s[p]
	if !ok {
		return nil, fmt.Errorf("HTTP 404 Not Found")
	}
	return ReadCapped(int64(len(b)), bytes.NewReader(b), limit)
}

// testSite serves a small vowel-shaped MLP as the default model (and as vowel-mlp) with
// its data.
func testSite(t testing.TB) site {
	t.Helper()
	m := randomModel(t, "test-mlp", "vowel4", "8-16-16-4", 1, 0, 1)
	var mb bytes.Buffer
	if err := model.Write(&mb, m); err != nil {
		t.Fatal(err)
	}
	s := site{"models/mnist8-mlp.json": mb.Bytes(), "models/vowel-mlp.json": mb.Bytes()}
	for _, sp := range []dataset.Split{dataset.Train, dataset.Test} {
		var db bytes.Buffer
		if err := dataset.Write(&db, blobs("vowel4", [3]int{8, 1, 1}, 4, 200, uint64(sp)+3)); err != nil {
			t.Fatal(err)
		}
		s["data/"+dataset.FileName("vowel4", sp)] = db.Bytes()
	}
	return s
}

// clock is a fake clock the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

// waitCap bounds a wait for a load in a goroutine. It is a cap for a hang, not a measure
// of speed: a load takes well under a second on an idle machine, but two cores shared
// with other jobs, the race detector or node's js/wasm can make it many times slower, and
// a test must not fail for that.
const waitCap = 2 * time.Minute

// waitFor calls step until done holds (a millisecond's sleep between calls lets the
// loading goroutine run), and fails the test naming what it awaited (and why, if the
// session says) if it still does not hold after waitCap.
func waitFor(t testing.TB, what string, done func() bool, step func(), why func() string) {
	t.Helper()
	for start := time.Now(); !done(); {
		if time.Since(start) > waitCap {
			t.Fatalf("waiting for %s: not after %v (%s)", what, waitCap, why())
		}
		step()
		time.Sleep(time.Millisecond)
	}
}

// ready pumps frames until the session has deployed a chip (loading runs in a goroutine).
func ready(t testing.TB, s *Session, c *clock) {
	t.Helper()
	waitFor(t, "a deployed chip", func() bool { return s.Stats().Ready },
		func() { c.add(16 * time.Millisecond); s.Update() },
		func() string { return fmt.Sprintf("status %q, errors %v", s.Stats().Status, s.Errors()) })
}
