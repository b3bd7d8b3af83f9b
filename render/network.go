package render

import (
	"fmt"
	"math"
	"slices"

	"github.com/meshlight/meshlight/photonics"
)

// Network is the whole network as the network view draws it: the shown sample, every
// layer's devices, light and per-block aggregates, and the class scores. It holds plain
// values only (no pointer into the engine): the simulator fills it in its Update and drawing
// only reads it, so it can be copied out of a worker as a snapshot.
type Network struct {
	// Version changes whenever a value below changes (the structure, phases or light), so
	// drawing can cache what it derives from them.
	Version uint64
	Input   Sample // the shown sample: its values are the light entering the first layer
	Layers  []NetLayer
	Scores  []float64 // class probabilities of the sample on the chip
}

// NetLayer is one layer of a Network. The first group of fields is the layer's structure,
// fixed for a chip; the second its state, which changes while the chip trains.
type NetLayer struct {
	Out, In, Block       int // weight matrix Out x In in Block x Block blocks (0: one SVD)
	BlockRows, BlockCols int
	Conv                 bool // a convolution (im2col): Input is one patch of its input
	// One tile: its device columns and waveguides (photonics.Layout.BlockExtent), the Sigma
	// column, and the waveguides carrying input (V.N) and output (U.N).
	Columns, Rows, SigmaColumn, InRows, OutRows int
	Offset                                      int              // global index of the layer's first phase
	Sites                                       []photonics.Site // one per device, in the layer's phase order (block by block)

	Input            []float64 // the light entering the layer (length In)
	Output           []float64 // the layer's output W x before the activation (length Out)
	Phase, Effective []float64 // per device: programmed phase and the phase light sees (drift, crosstalk)
	Active           []bool    // per device: driven by a heater (Sigma shifters always are)
	Light            Light     // the light on every waveguide segment of every tile (NewLight)
	// Per block, from BlockAggregates: the mean power share phi/2pi of its active devices
	// (0 when none is), the share of its devices that are active, and the mean display
	// brightness of its light.
	BlockPower, BlockActive, BlockLight []float64
}

// NumBlocks is the number of tiles of the layer.
func (l *NetLayer) NumBlocks() int { return l.BlockRows * l.BlockCols }

// BlockDevices returns the range [d0, d1) of the layer's devices (indices into Sites) that
// belong to block b: a layer's phases are ordered block by block.
func (l *NetLayer) BlockDevices(b int) (d0, d1 int) {
	n := l.NumBlocks()
	if n == 0 || b < 0 || b >= n {
		return 0, 0
	}
	per := len(l.Sites) / n
	return b * per, (b + 1) * per
}

// BlockAggregates fills BlockPower, BlockActive and BlockLight from the per-device phases,
// Active and Light, reusing their storage. They are what a tile shows when it is too small
// on screen for its devices (ShadeTile, the layer view's shade too).
func BlockAggregates(l *NetLayer) {
	n := l.NumBlocks()
	l.BlockPower = slices.Grow(l.BlockPower[:0], n)[:n]
	l.BlockActive = slices.Grow(l.BlockActive[:0], n)[:n]
	l.BlockLight = slices.Grow(l.BlockLight[:0], n)[:n]
	clip := func(d, n int) int { return min(max(d, 0), n) }
	for b := 0; b < n; b++ {
		d0, d1 := l.BlockDevices(b)
		var fields [][]float64
		if b < len(l.Light.Fields) {
			fields = l.Light.Fields[b]
		}
		phase := l.Phase[clip(d0, len(l.Phase)):clip(d1, len(l.Phase))]
		active := l.Active[clip(d0, len(l.Active)):clip(d1, len(l.Active))]
		s := ShadeTile(phase, active, fields, l.Light.Max)
		l.BlockPower[b], l.BlockActive[b], l.BlockLight[b] = s.Power, s.Active, s.Light
	}
}

// Shade is block b's shade as BlockAggregates left it; false when it has none.
func (l *NetLayer) Shade(b int) (TileShade, bool) {
	if b < 0 || b >= len(l.BlockPower) || b >= len(l.BlockActive) || b >= len(l.BlockLight) {
		return TileShade{}, false
	}
	return TileShade{Power: l.BlockPower[b], Active: l.BlockActive[b], Light: l.BlockLight[b]}, true
}

// DeviceInfo describes device d (an index into Sites) of layer li for the hover tooltip:
// the layer, then what deviceInfo says (the layer view's tooltip, ChipState.DeviceInfo).
func (n *Network) DeviceInfo(li, d int) string {
	if li < 0 || li >= len(n.Layers) {
		return ""
	}
	l := &n.Layers[li]
	if d < 0 || d >= len(l.Sites) || d >= len(l.Phase) || d >= len(l.Active) {
		return ""
	}
	eff := math.NaN()
	if d < len(l.Effective) {
		eff = l.Effective[d]
	}
	return fmt.Sprintf("layer %d · %s", li+1, deviceInfo(l.Sites[d], l.Phase[d], eff, l.Active[d]))
}

// deviceInfo is the hover tooltip's description of a device at site s: where it is in its
// block, its programmed phase, the phase light sees (left out when NaN) and its power share
// (the wrapped phase over 2 pi, as its colour shows it) or that it is passive. The layer,
// network and race views all say it, so a device reads the same in each.
func deviceInfo(s photonics.Site, phi, eff float64, active bool) string {
	kind, part := "MZI", s.Part.String()
	switch s.Part {
	case photonics.PartSigma:
		kind = "shifter"
	case photonics.PartV:
		part = "V*"
	}
	state := fmt.Sprintf("active, %.0f %% power", 100*photonics.Wrap(phi)/(2*math.Pi))
	if !active {
		state = "passive (fixed, no power)"
	}
	effective := ""
	if !math.IsNaN(eff) {
		effective = fmt.Sprintf(" (effective %.3f)", eff)
	}
	return fmt.Sprintf("block %d · %s %s %d · phase %.3f rad%s · %s", s.Block, part, kind, s.Index, phi, effective, state)
}

// BlockInfo describes block b of layer li for the hover tooltip when tiles are shown
// without their devices: the layer, then what blockInfo says (the layer view's tooltip of a
// tile, Plan.BlockInfo).
func (n *Network) BlockInfo(li, b int) string {
	if li < 0 || li >= len(n.Layers) {
		return ""
	}
	l := &n.Layers[li]
	s, ok := l.Shade(b)
	if !ok || b >= l.NumBlocks() {
		return ""
	}
	d0, d1 := l.BlockDevices(b)
	cols := max(l.BlockCols, 1)
	return fmt.Sprintf("layer %d · %s", li+1, blockInfo(b, b/cols, b%cols, d1-d0, s))
}

// NetPlan is the floor plan of the whole network, left to right in the direction of light:
// the input picture, then each layer's tiles with a column of its outputs after the
// activation (the next layer's input), and the class scores at the end. It depends only on
// the network's structure.
type NetPlan struct {
	Bounds Rect
	Input  Rect // the input picture
	Layers []NetPlanLayer
	Scores Rect // the class scores, one cell per class
	Tiles  []NetTile
}

// NetPlanLayer is where one layer lies on a NetPlan. Its tiles stand in bands, one band per
// block row (the blocks that add into the same outputs), each band PerLine tiles wide.
type NetPlanLayer struct {
	Rect      Rect // the tiles, leads included
	Out       Rect // the column of its outputs after the activation (the last layer's: logits)
	FirstTile int  // index of its first tile in NetPlan.Tiles
	NumTiles  int
	PerLine   int // tiles per line of a band
	Lines     int // lines per band
	pitchW    float64
	pitchH    float64
	bandH     float64 // one band with the gap after it
	blockCols int
}

// NetTile is one tile (an SVD block) of a NetPlan.
type NetTile struct {
	Layer int
	Tile
}

// Plan units of the whole-network plan (waveguide pitches).
const (
	netBandGap = 4.0  // between two bands of a layer
	netGap     = 10.0 // between a column and the next (room for the light's fan)
	netCell    = 4.0  // the largest cell of an output or score column
)

// tilePitch is the width and height of a layer's tile with its leads and gap.
func tilePitch(l *NetLayer) (w, h float64) {
	return float64(l.Columns)*ColumnPitch + 2*leadLength + TileGap, float64(l.Rows) + TileGap
}

// bandLines is how many lines a band of l takes at perLine tiles per line.
func bandLines(l *NetLayer, perLine int) int { return (l.BlockCols + perLine - 1) / perLine }

// layerHeight is the height of l's tiles at perLine tiles per line.
func layerHeight(l *NetLayer, perLine int) float64 {
	_, th := tilePitch(l)
	return float64(l.BlockRows*bandLines(l, perLine))*th + float64(l.BlockRows-1)*netBandGap
}

// NewNetPlan lays out the network's structure for a view of the given width/height aspect
// (<= 0: 2). Every layer is wrapped to a common height, chosen among the heights the layers
// can take so that the whole shows largest in the view.
func NewNetPlan(n *Network, aspect float64) (*NetPlan, error) {
	if len(n.Layers) == 0 {
		return nil, fmt.Errorf("render: network plan: no layers")
	}
	if !(aspect > 0) {
		aspect = 2
	}
	minH := 0.0
	for i := range n.Layers {
		l := &n.Layers[i]
		if l.BlockRows < 1 || l.BlockCols < 1 || l.Columns < 1 || l.Rows < 1 {
			return nil, fmt.Errorf("render: network plan: layer %d: %dx%d blocks of %dx%d", i, l.BlockRows, l.BlockCols, l.Columns, l.Rows)
		}
		if len(l.Sites) != l.NumBlocks()*(len(l.Sites)/l.NumBlocks()) || len(l.Sites) == 0 {
			return nil, fmt.Errorf("render: network plan: layer %d: %d devices do not split into %d blocks", i, len(l.Sites), l.NumBlocks())
		}
		minH = math.Max(minH, layerHeight(l, l.BlockCols))
	}
	// Candidate heights: every height a layer takes at some wrap, at least the tallest
	// layer's unwrapped height. Sum of BlockCols candidates, each costing one pass.
	best, bestScale := minH, -1.0
	try := func(h float64) {
		w, hh := netWidth(n, h)
		if s := math.Min(aspect/w, 1/hh); s > bestScale {
			best, bestScale = h, s
		}
	}
	try(minH)
	for i := range n.Layers {
		l := &n.Layers[i]
		for k := 1; k <= l.BlockCols; k++ {
			if h := layerHeight(l, k); h >= minH {
				try(h)
			}
		}
	}
	return buildNetPlan(n, best), nil
}

// perLineFor is the fewest tiles per line that keep l within height h.
func perLineFor(l *NetLayer, h float64) int {
	lo, hi := 1, l.BlockCols // layerHeight falls as perLine grows
	for lo < hi {
		m := (lo + hi) / 2
		if layerHeight(l, m) <= h {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// inputSide is the side of the input picture for a plan of height h.
func inputSide(h float64) float64 { return math.Max(math.Min(0.6*h, 120), 8) }

// cellSize is the cell of a column of k values in height h.
func cellSize(k int, h float64) float64 { return math.Min(netCell, h/float64(max(k, 1))) }

// netWidth is the width and height of the plan at layer height h.
func netWidth(n *Network, h float64) (w, hh float64) {
	w = inputSide(h) + netGap
	for i := range n.Layers {
		l := &n.Layers[i]
		tw, _ := tilePitch(l)
		w += float64(perLineFor(l, h))*tw + netGap + cellSize(l.Out, h) + netGap
	}
	return w + 2*netCell, h
}

func buildNetPlan(n *Network, h float64) *NetPlan {
	p := &NetPlan{Layers: make([]NetPlanLayer, len(n.Layers))}
	total := 0
	for i := range n.Layers {
		total += n.Layers[i].NumBlocks()
	}
	p.Tiles = make([]NetTile, 0, total)
	mid := h / 2
	side := inputSide(h)
	p.Input = Rect{0, mid - side/2, side, mid + side/2}
	x := side + netGap
	for i := range n.Layers {
		l := &n.Layers[i]
		tw, th := tilePitch(l)
		per := perLineFor(l, h)
		lines := bandLines(l, per)
		lh := layerHeight(l, per)
		y0 := mid - lh/2
		pl := NetPlanLayer{FirstTile: len(p.Tiles), NumTiles: l.NumBlocks(), PerLine: per, Lines: lines,
			pitchW: tw, pitchH: th, bandH: float64(lines)*th + netBandGap, blockCols: l.BlockCols}
		pl.Rect = Rect{x, y0, x + float64(per)*tw - TileGap, y0 + lh - TileGap}
		cols := float64(l.Columns) * ColumnPitch
		for b := 0; b < l.NumBlocks(); b++ {
			row, col := b/l.BlockCols, b%l.BlockCols
			tx := x + float64(col%per)*tw + leadLength
			ty := y0 + float64(row)*pl.bandH + float64(col/per)*th
			p.Tiles = append(p.Tiles, NetTile{Layer: i, Tile: Tile{Block: b, BlockRow: row, BlockCol: col,
				Rect: Rect{tx, ty, tx + cols, ty + float64(l.Rows)}, Columns: l.Columns, Rows: l.Rows,
				SigmaColumn: l.SigmaColumn, InRows: l.InRows, OutRows: l.OutRows}})
		}
		x = pl.Rect.X1 + netGap
		c := cellSize(l.Out, h)
		pl.Out = Rect{x, mid - c*float64(l.Out)/2, x + c, mid + c*float64(l.Out)/2}
		x = pl.Out.X1 + netGap
		p.Layers[i] = pl
	}
	last := p.Layers[len(p.Layers)-1].Out
	p.Scores = Rect{x, last.Y0, x + 2*netCell, last.Y1}
	p.Bounds = p.Input
	for _, pl := range p.Layers {
		p.Bounds = p.Bounds.Union(pl.Rect).Union(pl.Out)
	}
	p.Bounds = p.Bounds.Union(p.Scores)
	return p
}

// OutCell is the cell of output k in the output column of layer li (after the activation).
func (p *NetPlan) OutCell(li, k, count int) Rect {
	r := p.Layers[li].Out
	c := r.H() / float64(max(count, 1))
	return Rect{r.X0, r.Y0 + float64(k)*c, r.X1, r.Y0 + float64(k+1)*c}
}

// ScoreCell is the cell of class k in the scores column.
func (p *NetPlan) ScoreCell(k, count int) Rect {
	c := p.Scores.H() / float64(max(count, 1))
	return Rect{p.Scores.X0, p.Scores.Y0 + float64(k)*c, p.Scores.X1, p.Scores.Y0 + float64(k+1)*c}
}

// DeviceGeometry is where device s lies in tile t: its body and the centre of its heater
// (the same geometry as NewPlan's).
func DeviceGeometry(t Tile, s photonics.Site) (body Rect, heater Point) {
	cx := t.ColumnX(s.Column)
	if s.Rows == 1 { // a Sigma shifter sits on its waveguide
		y := t.RowY(s.Row)
		return Rect{cx - 0.32, y - 0.32, cx + 0.32, y + 0.32}, Point{cx, y}
	}
	// an MZI couples waveguides Row .. Row+Rows-1; its heater sits between them
	y0, y1 := t.RowY(s.Row), t.RowY(s.Row+s.Rows-1)
	return Rect{cx - mziWidth/2, y0 - 0.2, cx + mziWidth/2, y1 + 0.2}, Point{cx, (y0 + y1) / 2}
}

// TileAt returns the index into Tiles of the tile whose device area holds plan point q, or
// -1. It finds the tile from the layers' grids, without scanning the tiles.
func (p *NetPlan) TileAt(q Point) int {
	for i := range p.Layers {
		pl := &p.Layers[i]
		if !pl.Rect.Inset(-leadLength).Contains(q) {
			continue
		}
		col := int(math.Floor((q.X - pl.Rect.X0) / pl.pitchW)) // a pitch starts with a tile's lead
		band := int(math.Floor((q.Y - pl.Rect.Y0) / pl.bandH))
		line := int(math.Floor((q.Y - pl.Rect.Y0 - float64(band)*pl.bandH) / pl.pitchH))
		if col < 0 || col >= pl.PerLine || band < 0 || line < 0 || line >= pl.Lines {
			return -1
		}
		bc := line*pl.PerLine + col
		b := band*pl.blockCols + bc
		if bc >= pl.blockCols || b >= pl.NumTiles {
			return -1
		}
		if t := pl.FirstTile + b; p.Tiles[t].Rect.Contains(q) {
			return t
		}
		return -1
	}
	return -1
}

// DeviceAt returns the tile (an index into Tiles) and the device (an index into its layer's
// Sites) whose body holds plan point q; device is -1 when q is in a tile but on no device,
// and both are -1 outside every tile.
func (p *NetPlan) DeviceAt(n *Network, q Point) (tile, device int) {
	tile = p.TileAt(q)
	if tile < 0 {
		return -1, -1
	}
	t := p.Tiles[tile]
	l := &n.Layers[t.Layer]
	d0, d1 := l.BlockDevices(t.Block)
	for d := d0; d < d1; d++ {
		if body, _ := DeviceGeometry(t.Tile, l.Sites[d]); body.Contains(q) {
			return tile, d
		}
	}
	return tile, -1
}

// VisibleTiles appends to dst the indices of the tiles that the view (a plan-to-screen
// transform) shows inside the screen rectangle, and returns it. It walks only the grid
// cells under the screen, so its cost follows what is visible, not the size of the chip.
func (p *NetPlan) VisibleTiles(view Transform, screen Rect, dst []int) []int {
	if !(view.Scale > 0) {
		return dst
	}
	vis := view.InvertRect(screen)
	grid := vis.Inset(-leadLength) // the grid cells of tiles whose leads reach into view
	for i := range p.Layers {
		pl := &p.Layers[i]
		r := pl.Rect
		if !r.Inset(-leadLength).Overlaps(vis) {
			continue
		}
		c0 := max(0, int(math.Floor((grid.X0-r.X0)/pl.pitchW)))
		c1 := min(pl.PerLine-1, int(math.Floor((grid.X1-r.X0)/pl.pitchW)))
		b0 := max(0, int(math.Floor((grid.Y0-r.Y0)/pl.bandH)))
		b1 := int(math.Floor((grid.Y1 - r.Y0) / pl.bandH))
		bands := (pl.NumTiles + pl.blockCols - 1) / pl.blockCols
		b1 = min(b1, bands-1)
		for band := b0; band <= b1; band++ {
			by := r.Y0 + float64(band)*pl.bandH
			l0 := max(0, int(math.Floor((grid.Y0-by)/pl.pitchH)))
			l1 := min(pl.Lines-1, int(math.Floor((grid.Y1-by)/pl.pitchH)))
			for line := l0; line <= l1; line++ {
				for c := c0; c <= c1; c++ {
					bc := line*pl.PerLine + c
					if bc >= pl.blockCols {
						break
					}
					t := pl.FirstTile + band*pl.blockCols + bc
					if p.Tiles[t].Rect.Inset(-leadLength).Overlaps(vis) {
						dst = append(dst, t)
					}
				}
			}
		}
	}
	return dst
}

// Item is one thing the network view draws in a tile: the tile itself (Device -1) or one of
// its devices (an index into its layer's Sites).
type Item struct{ Tile, Device int }

// Visible appends to dst what the view shows inside screen at its level of detail, and
// returns it: zoomed out (DetailTiles) one item per visible tile and nothing more; zoomed in,
// each visible tile followed by its devices that lie on screen.
func (p *NetPlan) Visible(n *Network, view Transform, screen Rect, tiles []int, dst []Item) ([]int, []Item) {
	tiles = p.VisibleTiles(view, screen, tiles[:0])
	detail := DetailAt(view.Scale)
	for _, t := range tiles {
		dst = append(dst, Item{t, -1})
		if detail != DetailDevices {
			continue
		}
		nt := p.Tiles[t]
		l := &n.Layers[nt.Layer]
		d0, d1 := l.BlockDevices(nt.Block)
		for d := d0; d < d1; d++ {
			body, _ := DeviceGeometry(nt.Tile, l.Sites[d])
			if view.ApplyRect(body).Overlaps(screen) {
				dst = append(dst, Item{t, d})
			}
		}
	}
	return tiles, dst
}

// NewNetLayers returns the structure of a chip's layers for a Network (the state fields
// empty): shapes, tile extents and devices, copied out of the layout.
func NewNetLayers(lay *photonics.Layout, layers []*photonics.SVDLayer) ([]NetLayer, error) {
	if lay.NumLayers() != len(layers) {
		return nil, fmt.Errorf("render: network: layout of %d layers for %d layers", lay.NumLayers(), len(layers))
	}
	out := make([]NetLayer, len(layers))
	for i, l := range layers {
		cols, rows := lay.BlockExtent(i)
		off, end := lay.LayerOffset(i), lay.LayerOffset(i+1)
		if off < 0 || end < off || end > len(lay.Sites) || end-off != l.NumPhases() {
			return nil, fmt.Errorf("render: network: layer %d: layout offsets [%d, %d) for %d phases", i, off, end, l.NumPhases())
		}
		out[i] = NetLayer{Out: l.Out, In: l.In, Block: l.Block, BlockRows: l.BlockRows, BlockCols: l.BlockCols,
			Columns: cols, Rows: rows, SigmaColumn: l.V.Columns, InRows: l.V.N, OutRows: l.U.N,
			Offset: off, Sites: lay.Sites[off:end:end]}
	}
	return out, nil
}
