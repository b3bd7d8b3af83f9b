package photonics

import (
	"fmt"
	"testing"
)

var topologies = []Topology{Reck, Clements}

func TestMeshRoundTrip(t *testing.T) {
	for _, top := range topologies {
		for _, n := range []int{1, 2, 3, 4, 5, 8, 24, 64, 101} {
			t.Run(fmt.Sprintf("%v/n=%d", top, n), func(t *testing.T) {
				m, err := NewMesh(top, n)
				if err != nil {
					t.Fatal(err)
				}
				rng := newRand(uint64(n))
				for trial := 0; trial < 3; trial++ {
					q := haar(rng, n)
					ph, sg, err := m.Decompose(q)
					if err != nil {
						t.Fatal(err)
					}
					for i, p := range ph {
						if !(p >= 0 && p < twoPi) {
							t.Fatalf("phase %d = %v not in [0, 2pi)", i, p)
						}
					}
					u, err := m.Matrix(ph, sg)
					if err != nil {
						t.Fatal(err)
					}
					if d := maxDiff(t, u, q); d > 1e-12 {
						t.Errorf("trial %d: max |build(decompose(Q)) - Q| = %.3g > 1e-12", trial, d)
					}
				}
			})
		}
	}
}
