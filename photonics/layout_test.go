package photonics

import (
	"slices"
	"testing"
)

func TestLayoutSites(t *testing.T) {
	for _, top := range topologies {
		layers := mlp(t, []int{64, 24, 24, 10}, 8, top)
		whole, _ := NewSVDLayer(5, 9, 0, 3, top)
		layers = append(layers, whole)
		lay := NewLayout(layers)
		total := 0
		for li, l := range layers {
			if lay.LayerOffset(li) != total {
				t.Errorf("%v: LayerOffset(%d) = %d, want %d", top, li, lay.LayerOffset(li), total)
			}
			total += l.NumPhases()
		}
		if len(lay.Sites) != total || len(lay.Neighbors) != total || lay.LayerOffset(len(layers)) != total {
			t.Fatalf("%v: %d sites, %d neighbour lists, want %d", top, len(lay.Sites), len(lay.Neighbors), total)
		}
		if lay.LayerOffset(-1) != -1 || lay.LayerOffset(len(layers)+1) != -1 {
			t.Errorf("LayerOffset out of range should be -1")
		}
		// Walk the global order independently: layer, block, [U | Sigma | V].
		i := 0
		for li, l := range layers {
			cols, rows := lay.BlockExtent(li)
			if cols != l.V.Columns+1+l.U.Columns || rows != max(l.U.N, l.V.N) {
				t.Errorf("%v layer %d: extent %dx%d", top, li, cols, rows)
			}
			for b := 0; b < l.NumBlocks(); b++ {
				for _, part := range []Part{PartU, PartSigma, PartV} {
					count := map[Part]int{PartU: l.U.NumPhases(), PartSigma: l.SigmaLen, PartV: l.V.NumPhases()}[part]
					for k := 0; k < count; k++ {
						s := lay.Sites[i]
						want := Site{Layer: li, Block: b, Part: part, Index: k}
						switch part {
						case PartU:
							z := l.U.MZIs[k]
							want.Column, want.Row, want.Rows = l.V.Columns+1+z.Column, z.Row, 2
						case PartSigma:
							want.Column, want.Row, want.Rows = l.V.Columns, k, 1
						case PartV:
							z := l.V.MZIs[k]
							want.Column, want.Row, want.Rows = z.Column, z.Row, 2
						}
						if s != want {
							t.Fatalf("%v: site %d = %+v, want %+v", top, i, s, want)
						}
						if s.Column >= cols || s.Row+s.Rows > rows {
							t.Fatalf("%v: site %d = %+v outside its %dx%d tile", top, i, s, cols, rows)
						}
						i++
					}
				}
			}
		}
	}
}

// adjacent is the floor-plan rule, restated: same tile, columns at most one
// apart, at most one waveguide pitch between the nearest waveguides.
func adjacent(a, b Site) bool {
	if a.Layer != b.Layer || a.Block != b.Block || a.Column-b.Column > 1 || b.Column-a.Column > 1 {
		return false
	}
	aTop, aBot := a.Row, a.Row+a.Rows-1
	bTop, bBot := b.Row, b.Row+b.Rows-1
	return bTop <= aBot+1 && aTop <= bBot+1
}

func TestLayoutNeighborsBruteForce(t *testing.T) {
	for _, top := range topologies {
		layers := mlp(t, []int{12, 9, 4}, 4, top)
		whole, _ := NewSVDLayer(3, 7, 0, 3, top)
		layers = append(layers, whole)
		lay := NewLayout(layers)
		for i := range lay.Sites {
			var want []int
			for j := range lay.Sites {
				if j != i && adjacent(lay.Sites[i], lay.Sites[j]) {
					want = append(want, j)
				}
			}
			if !slices.Equal(lay.Neighbors[i], want) {
				t.Fatalf("%v: Neighbors[%d] = %v, want %v", top, i, lay.Neighbors[i], want)
			}
			for _, j := range lay.Neighbors[i] {
				if !slices.Contains(lay.Neighbors[j], i) {
					t.Errorf("%v: %d lists %d but not the reverse", top, i, j)
				}
			}
		}
	}
}

func TestLayoutHandCase(t *testing.T) {
	// One 4x4 Clements block. V* columns 0-3 (rows 0,2 | 1 | 0,2 | 1), Sigma
	// column 4, U columns 5-8. Global order: U 0-5, Sigma 6-9, V 10-15.
	l, err := NewSVDLayer(4, 4, 4, 3, Clements)
	if err != nil {
		t.Fatal(err)
	}
	lay := NewLayout([]*SVDLayer{l})
	cases := []struct {
		i    int
		want []int
	}{
		// V MZI at (column 0, row 0): the V MZI below it at (0, 2) and the
		// one at (1, 1); not (2, 0), two columns away.
		{10, []int{11, 12}},
		// Sigma 0 (column 4, row 0): U (5, 0), Sigma 1, V (3, 1); not
		// Sigma 2 (two pitches away) nor U (5, 2).
		{6, []int{0, 7, 15}},
		// Sigma 2 (column 4, row 2): U (5, 0) spanning rows 0-1 and U (5, 2),
		// Sigma 1 and 3, V (3, 1) spanning rows 1-2.
		{8, []int{0, 1, 7, 9, 15}},
		// U MZI at (5, 2) (index 1): U (6, 1) (index 2), Sigma 1-3, none of V.
		{1, []int{0, 2, 7, 8, 9}},
	}
	for _, tc := range cases {
		if !slices.Equal(lay.Neighbors[tc.i], tc.want) {
			t.Errorf("Neighbors[%d] = %v, want %v (site %+v)", tc.i, lay.Neighbors[tc.i], tc.want, lay.Sites[tc.i])
		}
	}
}
