package render

import (
	"fmt"
	"math"

	"github.com/meshlight/meshlight/photonics"
)

// Floor-plan units: one unit is the pitch between two waveguides. Columns of devices are
// ColumnPitch units apart, and tiles (SVD blocks) are separated by TileGap units.
const (
	ColumnPitch = 1.25
	TileGap     = 2.0
	leadLength  = 0.6 // waveguide stubs entering and leaving a tile
)

// Plan is the drawable floor plan of one layer of a chip: one tile per SVD block, each with
// the V* mesh, the Sigma column and the U mesh from left to right (the direction of light),
// devices at their photonics.Layout positions.
type Plan struct {
	Layer  int
	Bounds Rect // the union of all tiles, leads included
	Tiles  []Tile
	// Devices holds one device per phase of the layer, in the layer's phase order: Devices[k]
	// is global phase Offset+k.
	Devices []Device
	Offset  int // global index of the layer's first phase
	// TilesPerRow is how many tiles one row of the picture holds. It equals the layer's
	// BlockCols (the weight matrix's own block grid) unless wrapping shows the tiles larger.
	TilesPerRow int

	// tileDevices[b] .. tileDevices[b+1] are the indices into Devices of tile b's devices (a
	// layout lists a layer's devices block by block), so culling skips a tile's devices whole.
	tileDevices []int
	// pitchW and pitchH are the grid the tiles stand in (a tile with its leads and gap), so
	// a hit test finds the tile under a point without scanning them.
	pitchW, pitchH float64
}

// Tile is one SVD block placed on the plan.
type Tile struct {
	Block, BlockRow, BlockCol int
	Rect                      Rect // the device area (no leads)
	Columns, Rows             int  // device columns and waveguides
	SigmaColumn               int  // the column of the Sigma shifters
	InRows, OutRows           int  // waveguides carrying input (V.N) and output (U.N)
}

// Device is one phase device placed on the plan.
type Device struct {
	Global int // global phase index on the chip
	Site   photonics.Site
	Rect   Rect  // body of the device
	Heater Point // centre of its heater
}

// ColumnX is the plan x of the centre of device column c of the tile.
func (t Tile) ColumnX(c int) float64 { return t.Rect.X0 + (float64(c)+0.5)*ColumnPitch }

// RowY is the plan y of waveguide r of the tile.
func (t Tile) RowY(r int) float64 { return t.Rect.Y0 + float64(r) + 0.5 }

// SegmentX returns the x extent of waveguide segment k of the tile: segment k runs from the
// centre of column k-1 to the centre of column k; segment 0 starts at the input lead and
// segment Columns ends at the output lead.
func (t Tile) SegmentX(k int) (x0, x1 float64) {
	x0 = t.Rect.X0 - leadLength
	if k > 0 {
		x0 = t.ColumnX(k - 1)
	}
	x1 = t.Rect.X1 + leadLength
	if k < t.Columns {
		x1 = t.ColumnX(k)
	}
	return x0, x1
}

// NewPlan lays out layer li of a chip's layout. aspect is the width/height ratio of the view
// the plan will be fitted into (the tiles are wrapped into rows to use it well); <= 0 keeps
// the block grid of the weight matrix.
func NewPlan(lay *photonics.Layout, layers []*photonics.SVDLayer, li int, aspect float64) (*Plan, error) {
	if li < 0 || li >= len(layers) || li >= lay.NumLayers() {
		return nil, fmt.Errorf("render: plan: layer %d out of range [0, %d)", li, min(len(layers), lay.NumLayers()))
	}
	l := layers[li]
	cols, rows := lay.BlockExtent(li)
	p := &Plan{Layer: li, Offset: lay.LayerOffset(li)}
	tw, th := float64(cols)*ColumnPitch, float64(rows)
	p.pitchW, p.pitchH = tw+2*leadLength+TileGap, th+TileGap
	p.TilesPerRow = tilesPerRow(l.NumBlocks(), l.BlockCols, p.pitchW, p.pitchH, aspect)
	p.Tiles = make([]Tile, l.NumBlocks())
	for b := range p.Tiles {
		gx, gy := b%p.TilesPerRow, b/p.TilesPerRow
		x0 := float64(gx)*p.pitchW + leadLength
		y0 := float64(gy) * p.pitchH
		p.Tiles[b] = Tile{Block: b, BlockRow: b / l.BlockCols, BlockCol: b % l.BlockCols,
			Rect: Rect{x0, y0, x0 + tw, y0 + th}, Columns: cols, Rows: rows,
			SigmaColumn: l.V.Columns, InRows: l.V.N, OutRows: l.U.N}
		p.Bounds = p.Bounds.Union(Rect{x0 - leadLength, y0, x0 + tw + leadLength, y0 + th})
	}
	end := lay.LayerOffset(li + 1)
	if p.Offset < 0 || end < p.Offset || end > len(lay.Sites) {
		return nil, fmt.Errorf("render: plan: layer %d: layout offsets [%d, %d) do not fit %d sites", li, p.Offset, end, len(lay.Sites))
	}
	p.Devices = make([]Device, 0, end-p.Offset)
	p.tileDevices = make([]int, len(p.Tiles)+1)
	for g := p.Offset; g < end; g++ {
		s := lay.Sites[g]
		if s.Block < 0 || s.Block >= len(p.Tiles) || s.Column < 0 || s.Column >= cols || s.Row < 0 || s.Row+s.Rows > rows {
			return nil, fmt.Errorf("render: plan: layer %d: device %d at block %d column %d row %d+%d lies outside its %dx%d tile",
				li, g, s.Block, s.Column, s.Row, s.Rows, cols, rows)
		}
		if g > p.Offset && s.Block < lay.Sites[g-1].Block {
			return nil, fmt.Errorf("render: plan: layer %d: device %d of block %d follows one of block %d (a layout lists a layer's devices block by block)",
				li, g, s.Block, lay.Sites[g-1].Block)
		}
		p.tileDevices[s.Block+1] = g - p.Offset + 1
		var d Device
		d.Rect, d.Heater = DeviceGeometry(p.Tiles[s.Block], s)
		d.Global, d.Site = g, s
		p.Devices = append(p.Devices, d)
	}
	for b := 1; b < len(p.tileDevices); b++ { // a tile without devices ends where the one before it does
		p.tileDevices[b] = max(p.tileDevices[b], p.tileDevices[b-1])
	}
	return p, nil
}

// tilesPerRow chooses how many of n tiles (w x h units each, gaps included) go in one row to
// show them largest in a view of the given aspect. The matrix's own grid (blockCols per row)
// is kept unless another choice is more than 1.5x larger.
func tilesPerRow(n, blockCols int, w, h, aspect float64) int {
	if aspect <= 0 || n <= 1 {
		return max(1, min(blockCols, n))
	}
	scale := func(k int) float64 {
		rows := (n + k - 1) / k
		return math.Min(aspect/(float64(k)*w), 1/(float64(rows)*h))
	}
	best := 1
	for k := 2; k <= n; k++ {
		if scale(k) > scale(best) {
			best = k
		}
	}
	if g := min(blockCols, n); g > 0 && scale(best) <= 1.5*scale(g) {
		return g
	}
	return best
}

// TileAt returns the index into Tiles of the tile whose device area holds plan point q, or
// -1. It finds the tile from the grid the tiles stand in, without scanning them.
func (p *Plan) TileAt(q Point) int {
	if !(p.pitchW > 0 && p.pitchH > 0) || p.TilesPerRow < 1 {
		return -1
	}
	gx, gy := math.Floor(q.X/p.pitchW), math.Floor(q.Y/p.pitchH)
	if gx < 0 || gx >= float64(p.TilesPerRow) || gy < 0 || gy*float64(p.TilesPerRow) >= float64(len(p.Tiles)) {
		return -1
	}
	b := int(gy)*p.TilesPerRow + int(gx)
	if b >= len(p.Tiles) || !p.Tiles[b].Rect.Contains(q) {
		return -1
	}
	return b
}

// At returns the tile (an index into Tiles) and the device (an index into Devices) whose
// body holds plan point q: device -1 when q is in a tile but on no device, both -1 outside
// every tile. It tests only the devices of the tile under q.
func (p *Plan) At(q Point) (tile, device int) {
	tile = p.TileAt(q)
	if tile < 0 {
		return -1, -1
	}
	for d := p.tileDevices[tile]; d < p.tileDevices[tile+1]; d++ {
		if p.Devices[d].Rect.Contains(q) {
			return tile, d
		}
	}
	return tile, -1
}

// DeviceAt returns the index into Devices of the device whose body contains plan point q,
// or -1.
func (p *Plan) DeviceAt(q Point) int {
	_, d := p.At(q)
	return d
}

// Visible appends to tiles the indices of the tiles that view (a plan-to-screen transform)
// shows inside the screen rectangle, leads included, and to devices the indices into
// Devices of the devices whose bodies it shows there, tile by tile, and returns both. A tile
// wholly in view gives all its devices without a test each, so zoomed out the cost is an
// append per device, and zoomed in it follows what is visible, not the size of the layer.
func (p *Plan) Visible(view Transform, screen Rect, tiles, devices []int) ([]int, []int) {
	return p.visible(view, screen, tiles, devices, true)
}

// Shown appends to tiles and devices what view shows of the plan inside screen at its level
// of detail (DetailAt), and returns the detail and both: zoomed in, the tiles and devices
// in view (Visible); zoomed out, the tiles in view and no device, so what is drawn is at
// most one item per tile however many devices the layer has.
func (p *Plan) Shown(view Transform, screen Rect, tiles, devices []int) (Detail, []int, []int) {
	detail := DetailAt(view.Scale)
	tiles, devices = p.visible(view, screen, tiles, devices, detail == DetailDevices)
	return detail, tiles, devices
}

// visible is Visible, which leaves the devices out unless withDevices.
func (p *Plan) visible(view Transform, screen Rect, tiles, devices []int, withDevices bool) ([]int, []int) {
	if !(view.Scale > 0) || screen.Empty() {
		return tiles, devices
	}
	seen := view.InvertRect(screen)
	for b, t := range p.Tiles {
		if !t.Rect.Inset(-leadLength).Overlaps(seen) {
			continue
		}
		tiles = append(tiles, b)
		if !withDevices {
			continue
		}
		d0, d1 := p.tileDevices[b], p.tileDevices[b+1]
		inside := t.Rect.X0 >= seen.X0 && t.Rect.X1 <= seen.X1 && t.Rect.Y0 >= seen.Y0 && t.Rect.Y1 <= seen.Y1
		for d := d0; d < d1; d++ {
			if inside || p.Devices[d].Rect.Overlaps(seen) {
				devices = append(devices, d)
			}
		}
	}
	return tiles, devices
}

// Shade is tile b's shade (ShadeTile, as the network view shades a block) from chip's
// device state and light, the light on the plan's layer (nil: dark), or chip's Shades when
// it holds no device state; false when chip does not hold the plan's layer or b is no tile.
func (p *Plan) Shade(b int, chip *ChipState, light *Light) (TileShade, bool) {
	if b < 0 || b >= len(p.Tiles) || chip == nil || chip.Layer != p.Layer || chip.Offset != p.Offset {
		return TileShade{}, false
	}
	if len(chip.DevPhase) < len(p.Devices) || len(chip.DevActive) < len(p.Devices) {
		if len(chip.Shades) == len(p.Tiles) { // a copy without devices: the engine's shades
			return chip.Shades[b], true
		}
		return TileShade{}, false
	}
	d0, d1 := p.tileDevices[b], p.tileDevices[b+1] // Devices[k] is the chip's device Offset+k
	var fields [][]float64
	var brightest float64
	if light != nil && b < len(light.Fields) {
		fields, brightest = light.Fields[b], light.Max
	}
	return ShadeTile(chip.DevPhase[d0:d1], chip.DevActive[d0:d1], fields, brightest), true
}

// BlockInfo describes tile b, drawn in shade s (Shade), for the hover tooltip when tiles are
// shown without their devices, as the network view does (Network.BlockInfo, without the
// layer, which the layer view's caption names).
func (p *Plan) BlockInfo(b int, s TileShade) string {
	if b < 0 || b >= len(p.Tiles) {
		return ""
	}
	t := p.Tiles[b]
	return blockInfo(t.Block, t.BlockRow, t.BlockCol, p.tileDevices[b+1]-p.tileDevices[b], s)
}
