package sim

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

// randomModel returns a model of the architecture with random phases and signs.
func randomModel(t testing.TB, name, set, arch string, channels, block int, seed uint64) *model.Model {
	return randomModelBound(t, name, set, arch, channels, block, 3, seed)
}

// randomModelBound is randomModel with the Sigma bound m.
func randomModelBound(t testing.TB, name, set, arch string, channels, block int, bound float64, seed uint64) *model.Model {
	t.Helper()
	m, err := model.New(name, set, arch, channels, block, bound, photonics.Reck, 4)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 9))
	for i := range m.Layer {
		l, err := m.SVDLayer(i)
		if err != nil {
			t.Fatal(err)
		}
		phases := make([]float64, l.NumPhases())
		for k := range phases {
			phases[k] = rng.Float64() * 2 * math.Pi
		}
		signs := make([]float64, l.NumSigns())
		for k := range signs {
			signs[k] = float64(1 - 2*rng.IntN(2))
		}
		if err := m.SetMapping(i, phases, signs); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// blobs is a data set of Gaussian clusters.
func blobs(name string, shape [3]int, classes, n int, seed uint64) *dataset.Set {
	f := shape[0] * shape[1] * shape[2]
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := make([]float64, classes*f)
	for i := range centres {
		centres[i] = rng.Float64()
	}
	s := &dataset.Set{Name: name, Shape: shape, Classes: classes, X: make([]float32, n*f), Y: make([]uint8, n)}
	for i := 0; i < n; i++ {
		c := i % classes
		s.Y[i] = uint8(c)
		for j := 0; j < f; j++ {
			s.X[i*f+j] = float32(centres[c*f+j] + 0.1*rng.NormFloat64())
		}
	}
	return s
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

// ready pumps frames until the session has deployed a chip (loading runs in a goroutine).
func ready(t testing.TB, s *Session, c *clock) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !s.Stats().Ready {
		if time.Now().After(deadline) {
			t.Fatalf("not ready: status %q errors %v", s.Stats().Status, s.Errors())
		}
		c.add(16 * time.Millisecond)
		s.Update()
		time.Sleep(time.Millisecond)
	}
}
