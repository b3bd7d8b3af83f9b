package model_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/photonics/mapping"
	"github.com/meshlight/meshlight/train/model"
)

// randomModel builds a valid model of arch with random weights whose blocks are scaled
// to Frobenius norm 0.9*m (so every singular value is below the bound), mapped onto
// phases by photonics. It returns the model and the weights it implements.
func randomModel(t testing.TB, arch string, channels, block int, topo photonics.Topology, seed uint64) (*model.Model, [][]float64) {
	t.Helper()
	const bound = 3
	m, err := model.New("test-"+arch, "synthetic", arch, channels, block, bound, topo, 4)
	if err != nil {
		t.Fatal(err)
	}
	m.Preprocessing = "none"
	m.TestAccuracy = 12.5
	m.Seed = int64(seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	var ws [][]float64
	for i, l := range m.Layer {
		w := make([]float64, l.Out*l.In)
		for j := range w {
			w[j] = rng.NormFloat64()
		}
		k := block
		if k == 0 {
			k = max(l.Out, l.In)
		}
		for r0 := 0; r0 < l.Out; r0 += k {
			for c0 := 0; c0 < l.In; c0 += k {
				norm := 0.0
				for r := r0; r < min(r0+k, l.Out); r++ {
					for c := c0; c < min(c0+k, l.In); c++ {
						norm += w[r*l.In+c] * w[r*l.In+c]
					}
				}
				scale := 0.9 * bound / math.Sqrt(norm)
				for r := r0; r < min(r0+k, l.Out); r++ {
					for c := c0; c < min(c0+k, l.In); c++ {
						w[r*l.In+c] *= scale
					}
				}
			}
		}
		s, err := m.SVDLayer(i)
		if err != nil {
			t.Fatal(err)
		}
		ph, sg, err := mapping.Decompose(s, mat.NewDense(l.Out, l.In, w))
		if err != nil {
			t.Fatalf("layer %d: %v", i, err)
		}
		if err := m.SetMapping(i, ph, sg); err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w)
	}
	return m, ws
}

func encode(t testing.TB, m *model.Model) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := model.Write(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// mutate decodes a model file into generic JSON, lets f change it and encodes it again.
func mutate(t testing.TB, data []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	f(v)
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Accessors into generic JSON.
func obj(v any, key string) map[string]any { return v.(map[string]any)[key].(map[string]any) }
func layer(m map[string]any, i int) map[string]any {
	return m["layers"].([]any)[i].(map[string]any)
}
func rows(v map[string]any, part, key string) []any { return obj(v, part)[key].([]any) }

func dense(r, c int, w []float64) *mat.Dense { return mat.NewDense(r, c, append([]float64(nil), w...)) }
