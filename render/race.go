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
