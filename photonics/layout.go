package photonics

import (
	"fmt"
	"sort"
)

// Part names the three device groups of an SVD block.
type Part int

const (
	// PartU is a rotator of the U mesh (the output side, light meets it last).
	PartU Part = iota
	// PartSigma is one of the Sigma phase shifters (Sigma_i = m cos phi).
	PartSigma
	// PartV is a rotator of the V mesh (implementing V*, light meets it first).
	PartV
)

// String returns "U", "Sigma" or "V".
func (p Part) String() string {
	switch p {
	case PartU:
		return "U"
	case PartSigma:
		return "Sigma"
	case PartV:
		return "V"
	}
	return fmt.Sprintf("Part(%d)", int(p))
}

// Site is the position of one phase device on the floor plan.
//
// Coordinates are per block (each SVD block is its own tile; Layer and Block
// say which tile). Within a tile, Column runs left to right in the direction
// light travels and Row runs top to bottom over waveguides, both from 0:
//
//   - columns 0 .. V.Columns-1 hold the V* mesh (Column = MZI.Column),
//   - column V.Columns holds the Sigma shifters (one per waveguide i < SigmaLen, Row = i),
//   - columns V.Columns+1 .. V.Columns+U.Columns hold the U mesh
//     (Column = V.Columns + 1 + MZI.Column).
//
// An MZI occupies waveguides Row and Row+1 (Rows = 2); a Sigma shifter sits
// on waveguide Row (Rows = 1). A tile is Layout.BlockExtent(layer) columns
// wide and tall. A waveguide is one row pitch; the tile's inputs enter on
// the left at rows 0..V.N-1 and leave on the right at rows 0..U.N-1.
type Site struct {
	Layer, Block int
	Part         Part
	Index        int // index within the part of its block (MZI index in light order, or Sigma index)
	Column       int // floor-plan column within its block, left to right = light direction
	Row          int // top waveguide
	Rows         int // waveguides spanned: 2 for an MZI, 1 for a Sigma shifter
}

// Layout is the chip floor plan: one Site per phase device (MZI or Sigma
// shifter) of a list of layers, in the chip's global phase order (layer by
// layer, then the SVDLayer order: block by block, [U | Sigma | V]).
//
// Two devices are adjacent (thermal neighbours) when they are in the same
// block, their columns differ by at most one, and their row gap is at most
// one, where the row gap is the number of waveguide pitches between the
// nearest waveguides they occupy (0 or less when they overlap, 1 for MZIs
// stacked in one column two rows apart or for Sigma shifters on neighbouring
// waveguides).
type Layout struct {
	Sites     []Site
	Neighbors [][]int // Neighbors[i]: global indices of adjacent devices; symmetric, sorted, excludes i

	offsets []int    // offsets[l]: global index of layer l's first phase; offsets[len] = total
	extents [][2]int // per layer: tile columns, tile rows
}

// NewLayout lays out the layers in order. Layers must come from
// NewSVDLayer; a nil layer contributes no devices.
func NewLayout(layers []*SVDLayer) *Layout {
	lay := &Layout{offsets: make([]int, len(layers)+1), extents: make([][2]int, len(layers))}
	total := 0
	for li, l := range layers {
		lay.offsets[li] = total
		if l != nil {
			total += l.NumPhases()
		}
	}
	lay.offsets[len(layers)] = total
	lay.Sites = make([]Site, 0, total)
	lay.Neighbors = make([][]int, total)
	for li, l := range layers {
		if l == nil {
			continue
		}
		lay.extents[li] = [2]int{l.V.Columns + 1 + l.U.Columns, max(l.U.N, l.V.N)}
		for b := 0; b < l.NumBlocks(); b++ {
			base := len(lay.Sites)
			for i, z := range l.U.MZIs {
				lay.Sites = append(lay.Sites, Site{Layer: li, Block: b, Part: PartU, Index: i,
					Column: l.V.Columns + 1 + z.Column, Row: z.Row, Rows: 2})
			}
			for i := 0; i < l.SigmaLen; i++ {
				lay.Sites = append(lay.Sites, Site{Layer: li, Block: b, Part: PartSigma, Index: i,
					Column: l.V.Columns, Row: i, Rows: 1})
			}
			for i, z := range l.V.MZIs {
				lay.Sites = append(lay.Sites, Site{Layer: li, Block: b, Part: PartV, Index: i,
					Column: z.Column, Row: z.Row, Rows: 2})
			}
			lay.linkBlock(base, len(lay.Sites), lay.extents[li][0])
		}
	}
	return lay
}

// linkBlock fills Neighbors for the sites [from, to) of one block.
func (lay *Layout) linkBlock(from, to, columns int) {
	byCol := make([][]int, columns)
	for i := from; i < to; i++ {
		c := lay.Sites[i].Column
		byCol[c] = append(byCol[c], i)
	}
	for i := from; i < to; i++ {
		a := lay.Sites[i]
		var nb []int
		for c := max(a.Column-1, 0); c <= min(a.Column+1, columns-1); c++ {
			for _, j := range byCol[c] {
				if j != i && rowGap(a, lay.Sites[j]) <= 1 {
					nb = append(nb, j)
				}
			}
		}
		sort.Ints(nb)
		lay.Neighbors[i] = nb
	}
}

// rowGap returns the waveguide pitches between the nearest waveguides of a
// and b (<= 0 when their spans overlap).
func rowGap(a, b Site) int {
	return max(b.Row-(a.Row+a.Rows-1), a.Row-(b.Row+b.Rows-1))
}

// NumLayers returns the number of layers laid out.
func (lay *Layout) NumLayers() int { return len(lay.extents) }

// LayerOffset returns the global index of the layer's first phase; for
// layer == NumLayers() it returns the total number of devices, and -1 for a
// layer out of range.
func (lay *Layout) LayerOffset(layer int) int {
	if layer < 0 || layer >= len(lay.offsets) {
		return -1
	}
	return lay.offsets[layer]
}

// BlockExtent returns the size of one block tile of the layer: columns
// (V.Columns + 1 + U.Columns) and rows (waveguides, max(U.N, V.N)); zeros
// for a layer out of range.
func (lay *Layout) BlockExtent(layer int) (columns, rows int) {
	if layer < 0 || layer >= len(lay.extents) {
		return 0, 0
	}
	return lay.extents[layer][0], lay.extents[layer][1]
}
