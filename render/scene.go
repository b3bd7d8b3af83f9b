package render

import (
	"math"
	"strings"
)

// Scene is everything the canvas shows, filled by the simulator and only read by drawing.
type Scene struct {
	Title  string // e.g. "MNIST 8×8 · MLP 64-24-24-10"
	Status string // e.g. "training · SZO-SCD · α 0.15 · s 0.1 · p 1"
	Note   string // a transient line (booth mode: "recovered 91.2 % in 12k queries")

	Chip      *ChipState // the deployed chip's structure and the shown layer's devices; nil until one is deployed
	Layer     int        // the layer shown
	Crosstalk float64    // the chip's crosstalk coefficient, for the halos
	// Version changes whenever the chip's phases or the shown input change, so that drawing
	// can cache what it derives from them.
	Version uint64
	// LayerInput is the input vector of the shown layer for the current sample (for a
	// convolution: one im2col patch), length Layers[Layer].In.
	LayerInput []float64
	// Light is LayerInput's light on every waveguide of the shown layer, computed by the
	// simulator (NewLight) when Version changes; nil when there is none to show.
	Light *Light
	// View is what the mesh area shows: "layer" (layer Layer of Chip) or "network" (Network).
	View string
	// Network is the whole network, filled by the simulator only while View is "network"
	// (plain values: the network view needs no pointer into the engine).
	Network Network

	Sample      Sample
	Scores      []float64 // class probabilities of the current sample on the chip
	ClassNames  []string
	Runs        []Run // earlier runs first, the current one last
	Readouts    Readouts
	Ready       bool
	LoadingText string
	// Race, when not nil, is a race of optimizers: the canvas draws it instead of one run.
	Race *Race
	// Caption is booth mode's story, drawn large over every view (none when empty).
	Caption Caption
}

// Caption is what a passer-by reads from a few metres: a headline and a line of detail with
// the live numbers, and Link, the address of the run shown, drawn beside them as a QR code
// for a phone ("" for none).
type Caption struct{ Headline, Detail, Link string }

// Sample is one input of the data set.
type Sample struct {
	Shape [3]int // channels, height, width (vowel: {8, 1, 1})
	X     []float32
	Label int
}

// Run is the curve of one training run.
type Run struct {
	Label    string    // what distinguishes it, e.g. "SZO-SCD α 0.15 p 1"
	Queries  []float64 // ONN queries at each evaluation
	Accuracy []float64 // test accuracy, percent
	Power    []float64 // power, radians
	Valid    []float64 // accuracy on the run's validation split, percent (NaN: the run holds out none)
	// Kept is the point of the state the run keeps, counted from 1: the state its validation
	// split ranks best, which it programs back when its budget ends (train.Run.Kept). 0 when
	// it keeps none, so that a Run written without it (the zero value) claims no kept state.
	Kept int
}

// KeptAt returns the index of the kept point in the run's series; ok is false when the run
// keeps none or Kept is past its points.
func (r Run) KeptAt() (i int, ok bool) {
	i = r.Kept - 1
	if i < 0 || i >= len(r.Queries) || i >= len(r.Accuracy) {
		return -1, false
	}
	return i, true
}

// RunDiff describes what distinguishes a run from the current one, from their labels
// (space-separated "name value" pairs, such as "szo-scd α 0.15 s 0.1 p 1 seed 1"; a leading
// lone word is the optimizer): the pairs of run whose values differ, e.g. "p 0 seed 2", or
// "same settings".
func RunDiff(run, current string) string {
	pairs := func(l string) (string, map[string]string, []string) {
		f := strings.Fields(l)
		head := ""
		if len(f)%2 == 1 {
			head, f = f[0], f[1:]
		}
		m := map[string]string{}
		var order []string
		for i := 0; i+1 < len(f); i += 2 {
			m[f[i]] = f[i+1]
			order = append(order, f[i])
		}
		return head, m, order
	}
	rh, rm, order := pairs(run)
	ch, cm, _ := pairs(current)
	var diff []string
	if rh != ch {
		diff = append(diff, rh)
	}
	for _, k := range order {
		if rm[k] != cm[k] {
			diff = append(diff, k+" "+rm[k])
		}
	}
	if len(diff) == 0 {
		return "same settings"
	}
	return strings.Join(diff, " ")
}

// Readouts are the figures shown in the header.
type Readouts struct {
	Deployed, Accuracy, Best float64 // test accuracy, percent
	Queries                  int64
	Power, FullPower, Energy float64 // radians; Energy is the sum of Power over iterations
}

// Saving is the power saved against a fully active chip (alpha = 1 with the same phases),
// in percent; NaN when the full power is zero.
func (r Readouts) Saving() float64 {
	if !(r.FullPower > 0) {
		return math.NaN()
	}
	return 100 * (1 - r.Power/r.FullPower)
}

// Cell is one coloured square of a sample picture.
type Cell struct {
	Rect  Rect
	Value float64 // 0 (dark) to 1 (bright)
}

// SampleCells lays a sample out in r: an image (channels side by side, each H x W, square
// pixels, centred) with its values normalised to [0, 1] by the sample's own range, or for a
// feature vector (H = W = 1) one bar per feature whose Value is its normalised magnitude.
func SampleCells(s Sample, r Rect) []Cell {
	c, h, w := s.Shape[0], s.Shape[1], s.Shape[2]
	n := c * h * w
	if n == 0 || len(s.X) < n || r.Empty() {
		return nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range s.X[:n] {
		lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
	}
	norm := func(v float32) float64 {
		if !(hi > lo) {
			return 0
		}
		return (float64(v) - lo) / (hi - lo)
	}
	var cells []Cell
	if h == 1 && w == 1 { // features: vertical bars from a baseline, height by magnitude
		m := math.Max(math.Abs(lo), math.Abs(hi))
		bw := r.W() / float64(c)
		mid := r.Y0 + r.H()/2
		for i, v := range s.X[:n] {
			f := 0.0
			if m > 0 {
				f = float64(v) / m
			}
			x0 := r.X0 + float64(i)*bw + bw*0.15
			y0, y1 := mid, mid-f*r.H()/2
			if y1 > y0 {
				y0, y1 = y1, y0
			}
			cells = append(cells, Cell{Rect{x0, y1, x0 + bw*0.7, math.Max(y0, y1+1)}, math.Abs(f)})
		}
		return cells
	}
	px := math.Min(r.W()/float64(c*w), r.H()/float64(h))
	ox := r.X0 + (r.W()-px*float64(c*w))/2
	oy := r.Y0 + (r.H()-px*float64(h))/2
	for ch := 0; ch < c; ch++ {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := s.X[(ch*h+y)*w+x]
				x0 := ox + float64(ch*w+x)*px
				y0 := oy + float64(y)*px
				cells = append(cells, Cell{Rect{x0, y0, x0 + px, y0 + px}, norm(v)})
			}
		}
	}
	return cells
}

// Softmax turns logits into probabilities (stable for large logits; NaN logits give NaN).
func Softmax(logits []float64) []float64 {
	p := make([]float64, len(logits))
	if len(logits) == 0 {
		return p
	}
	m := math.Inf(-1)
	for _, v := range logits {
		m = math.Max(m, v)
	}
	sum := 0.0
	for i, v := range logits {
		p[i] = math.Exp(v - m)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

// Argmax is the index of the largest value (-1 for none; NaN never wins).
func Argmax(v []float64) int {
	best := -1
	for i, x := range v {
		if !math.IsNaN(x) && (best < 0 || x > v[best]) {
			best = i
		}
	}
	return best
}
