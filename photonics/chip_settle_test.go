package photonics

import (
	"math"
	"testing"
)

// The power sums are settled on read, after any number of moves: walking up from a few
// queued leaves or rebuilding after many, with devices set again before a read and reads
// between moves, every node of the three sum trees equals, bit for bit, the tree built
// from scratch over the phases as they stand; and reading does not allocate.
func TestPowerSettlesAfterManyMoves(t *testing.T) {
	layers := mlp(t, []int{64, 24, 10}, 8, Clements)
	ph, sg := randomProgram(layers, 5)
	c, err := Deploy(layers, ph, sg, ChipConfig{Alpha: 0.3, Hardware: Hardware{Noise: DefaultNoise(), Bits: DefaultBits}, Truncate: DefaultTruncate, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	rng := newRand(8)
	act := c.Active()
	check := func(what string, got []float64, leaf func(k int) float64, first int) {
		t.Helper()
		want := make([]float64, len(got))
		for k := first; k < len(want); k++ {
			want[k] = leaf(k - first)
		}
		sumTree(want, first)
		for j := range want {
			if math.Float64bits(got[j]) != math.Float64bits(want[j]) {
				t.Fatalf("%s: node %d is %v, the tree from scratch has %v", what, j, got[j], want[j])
			}
		}
	}
	for _, tc := range []struct {
		name  string
		moves int // per read
	}{
		{"one move per read", 1},
		{"a few moves per read (walks)", 7},
		{"a tenth of the active set per read", len(act) / 10},
		{"more moves than phases per read (rebuilds)", 3 * len(act)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for read := range 20 {
				for range tc.moves {
					i := act[rng.IntN(len(act))]
					if err := c.SetPhase(i, c.Phase(i)+(rng.Float64()-0.5)*4); err != nil {
						t.Fatal(err)
					}
				}
				switch read % 3 { // any of the three reads settles all three trees
				case 0:
					c.Power()
				case 1:
					c.PaperPower()
				default:
					c.FullPower()
				}
				first := len(act) - 1
				check("power", c.power, func(k int) float64 { return c.Phase(act[k]) }, first)
				check("paper", c.paper, func(k int) float64 { return c.unfolded(act[k]) }, first)
				check("full", c.full, func(k int) float64 { return c.Phase(k) }, c.NumPhases()-1)
			}
		})
	}
	i := act[0]
	if a := testing.AllocsPerRun(100, func() {
		_ = c.SetPhase(i, c.Phase(i)+0.1)
		c.Power()
	}); a != 0 {
		t.Errorf("a move and a read allocate %v times", a)
	}
}
