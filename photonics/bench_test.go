package photonics

import (
	"fmt"
	"testing"
)

var benchSizes = []int{8, 24, 64}

func BenchmarkDecompose(b *testing.B) {
	for _, top := range topologies {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%v/n=%d", top, n), func(b *testing.B) {
				m, _ := NewMesh(top, n)
				q := haar(newRand(1), n)
				for b.Loop() {
					if _, _, err := m.Decompose(q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkMatrixTo(b *testing.B) {
	for _, top := range topologies {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%v/n=%d", top, n), func(b *testing.B) {
				m, _ := NewMesh(top, n)
				rng := newRand(2)
				ph, sg := randomPhases(rng, m.NumPhases()), randomSigns(rng, n)
				dst := make([]float64, n*n)
				for b.Loop() {
					m.MatrixTo(dst, ph, sg)
				}
			})
		}
	}
}

func BenchmarkApplyBatch32(b *testing.B) {
	for _, top := range topologies {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%v/n=%d", top, n), func(b *testing.B) {
				m, _ := NewMesh(top, n)
				rng := newRand(3)
				ph, sg := randomPhases(rng, m.NumPhases()), randomSigns(rng, n)
				x := randomPhases(rng, 32*n)
				for b.Loop() {
					m.ApplyBatch(ph, sg, x, 32)
				}
			})
		}
	}
}

// BenchmarkChipUpdate is the on-chip optimizer's inner step: one active
// phase changes and its layer's weights are brought up to date, on the
// 64-24-24-10 block-8 MLP with default noise and alpha 0.15.
func BenchmarkChipUpdate(b *testing.B) {
	for _, top := range topologies {
		b.Run(top.String(), func(b *testing.B) {
			layers := mlp(b, []int{64, 24, 24, 10}, 8, top)
			ph, sg := randomProgram(layers, 4)
			c, err := Deploy(layers, ph, sg, ChipConfig{Alpha: 0.15, Hardware: Hardware{Noise: DefaultNoise()}, Truncate: DefaultTruncate, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			act := c.Active()
			k := 0
			for b.Loop() {
				i := act[k%len(act)]
				k += 7
				if err := c.SetPhase(i, c.Phase(i)+0.02); err != nil {
					b.Fatal(err)
				}
				c.LayerWeights(c.Layout().Sites[i].Layer)
			}
		})
	}
}
