package render

import (
	"image/color"
	"math"
)

// Race is a race of optimizers on identical chips as the canvas shows it: one lane per
// racer (its layer's meshes as a small multiple, its figures), their curves overlaid in the
// lanes' colours, and the leader. The page fills it from the racers' snapshots; drawing only
// reads it.
type Race struct {
	Lanes  []Lane
	Leader int     // index of the leading lane, -1 while there is none
	Budget float64 // the queries at which the leader rule compares the racers
	Rule   string  // the leader rule, said in the page
}

// Lane is one racer.
type Lane struct {
	Name     string     // the optimizer
	Colour   color.RGBA // its curves, caption and marker (RaceColour)
	Status   string     // e.g. "training", "loading…"
	Chip     *ChipState // the shown layer's devices; nil until deployed
	Light    *Light     // the light on that layer's waveguides, nil when none
	Version  uint64     // changes with the chip's phases or the sample (Scene.Version)
	Run      Run        // the curve
	Readouts Readouts
	QPS      float64 // training queries per second
	Standing float64 // accuracy by the leader rule, NaN while there is no leader
}

// raceColours tell the racers apart on the charts: distinct hues, light enough on the dark
// background, none of them the heater ramp's reds.
var raceColours = []color.RGBA{
	{0x5e, 0xe7, 0xff, 0xff}, // cyan (Accent: the first racer looks like a single run)
	{0xff, 0xb3, 0x47, 0xff}, // amber
	{0xc3, 0x8b, 0xff, 0xff}, // violet
	{0x7c, 0xe3, 0x8b, 0xff}, // green
}

// RaceColour is the colour of racer i.
func RaceColour(i int) color.RGBA {
	return raceColours[((i%len(raceColours))+len(raceColours))%len(raceColours)]
}

// RaceLanes splits r into n lanes side by side (a 2 x 2 grid for four on a narrow area),
// each with gap pixels between them; nil for n < 1 or an empty r.
func RaceLanes(r Rect, n int, gap float64) []Rect {
	if n < 1 || r.Empty() {
		return nil
	}
	cols, rows := n, 1
	if n == 4 && r.W() < 2.2*r.H() {
		cols, rows = 2, 2
	}
	w := (r.W() - gap*float64(cols-1)) / float64(cols)
	h := (r.H() - gap*float64(rows-1)) / float64(rows)
	out := make([]Rect, n)
	for i := range out {
		c, k := i%cols, i/cols
		x0 := r.X0 + float64(c)*(w+gap)
		y0 := r.Y0 + float64(k)*(h+gap)
		out[i] = Rect{math.Floor(x0), math.Floor(y0), math.Floor(x0 + w), math.Floor(y0 + h)}
	}
	return out
}

// RaceLayout is where a race's lanes lie on the screen: each lane (a caption line over its
// meshes) and the area of its meshes. The racers' chips are identical, so every lane shows
// one view of its layer: the view maps plan units to pixels of Frame, an area with its
// corner at the origin, and lane i shows it moved to Areas[i] (Lane). The same device is
// thus at the same place in every lane, zoomed or not, and one zoom compares the racers.
type RaceLayout struct {
	Lanes []Rect // each lane, its caption included
	Areas []Rect // each lane's meshes, below its caption: all of Frame's size
	Frame Rect   // the lanes' common mesh area, its corner at the origin
}

// LaneCaption is the height of a lane's caption line above its meshes, in CSS pixels.
const LaneCaption = 24

// NewRaceLayout lays n lanes out in the mesh region m of a screen (scale: pixels per CSS
// pixel), side by side as RaceLanes splits it. Every lane's meshes get the same size, the
// smallest lane's (the lanes differ by a pixel where the region does not divide evenly), so
// one view fits them all.
func NewRaceLayout(m Rect, n int, scale float64) RaceLayout {
	l := RaceLayout{Lanes: RaceLanes(m.Inset(4*scale), n, 8*scale)}
	w, h := math.Inf(1), math.Inf(1)
	for _, r := range l.Lanes {
		w = math.Min(w, r.W()-8*scale)
		h = math.Min(h, r.H()-(LaneCaption+4)*scale)
	}
	if len(l.Lanes) == 0 || w <= 0 || h <= 0 {
		return RaceLayout{Lanes: l.Lanes, Areas: make([]Rect, len(l.Lanes))}
	}
	l.Frame = R(0, 0, w, h)
	for _, r := range l.Lanes {
		x, y := r.X0+4*scale, r.Y0+LaneCaption*scale
		l.Areas = append(l.Areas, R(x, y, x+w, y+h))
	}
	return l
}

// Lane is the transform that shows view (plan units to Frame's pixels) in lane i.
func (l RaceLayout) Lane(view Transform, i int) Transform {
	return view.Pan(l.Areas[i].X0, l.Areas[i].Y0)
}

// At returns the lane whose meshes are under the screen point p, and p in Frame's pixels;
// lane -1 when p is over none (a caption, a gap between lanes, outside).
func (l RaceLayout) At(p Point) (int, Point) {
	for i, a := range l.Areas {
		if a.Contains(p) {
			return i, Pt(p.X-a.X0, p.Y-a.Y0)
		}
	}
	return -1, p
}

// Hit finds, when every lane shows view, the lane under the screen point p and the tile
// and device of that lane's own plan under it (Plan.At, the layer view's hit test: indices
// into plans[lane].Tiles and Devices): device -1 over no device, tile -1 over no tile or in
// a lane with no plan, lane -1 over no lane's meshes.
func (l RaceLayout) Hit(plans []*Plan, view Transform, p Point) (lane, tile, device int) {
	lane, q := l.At(p)
	if lane < 0 || lane >= len(plans) || plans[lane] == nil {
		return lane, -1, -1
	}
	tile, device = plans[lane].At(view.Invert(q))
	return lane, tile, device
}
