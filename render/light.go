package render

import (
	"fmt"
	"math"

	"github.com/meshlight/meshlight/photonics"
)

// Light is the optical field of one input vector on every waveguide segment of every tile of
// a layer, as the light actually travels on the chip (effective phases: drift and crosstalk
// included).
//
// Fields[b][k][r] is the amplitude on waveguide r of tile b in segment k (see
// Tile.SegmentX): segment 0 is the tile's input, segments 1 .. V.Columns follow the V* mesh
// column by column, segment V.Columns+1 follows the Sigma column (amplitude Sigma_i times the
// V* output), the next U.Columns segments follow the U mesh, and the last is the tile's
// output, which sums over the tiles of a block row into the layer's output.
type Light struct {
	Fields [][][]float64
	Max    float64 // largest |amplitude| anywhere (0 if the light is dark)
}

// NewLight propagates x (the layer's input, length l.In) through layer l with the layer's
// phases (l.NumPhases(), SVDLayer order) and signs (l.NumSigns()).
func NewLight(l *photonics.SVDLayer, phases, signs, x []float64) (*Light, error) {
	if len(x) != l.In {
		return nil, fmt.Errorf("render: light: %v: input has %d values, want %d", l, len(x), l.In)
	}
	if err := l.Validate(phases, signs); err != nil {
		return nil, fmt.Errorf("render: light: %w", err)
	}
	nu, nv := l.U.NumPhases(), l.V.NumPhases()
	rows := max(l.U.N, l.V.N)
	segs := l.V.Columns + 1 + l.U.Columns + 1
	vf := newFields(l.V.Columns+2, l.V.N)
	uf := newFields(l.U.Columns+2, l.U.N)
	in := make([]float64, l.V.N)
	mid := make([]float64, l.U.N)
	li := &Light{Fields: make([][][]float64, l.NumBlocks())}
	for b := range li.Fields {
		ph := phases[b*l.BlockPhases():]
		pu, ps, pv := ph[:nu], ph[nu:nu+l.SigmaLen], ph[nu+l.SigmaLen:nu+l.SigmaLen+nv]
		sg := signs[b*(l.U.N+l.V.N):]
		su, sv := sg[:l.U.N], sg[l.U.N:l.U.N+l.V.N]
		_, _, c0, c1 := l.BlockRegion(b)
		clear(in)
		copy(in, x[c0:c1])
		l.V.Propagate(pv, sv, in, vf)
		clear(mid)
		for i := 0; i < l.SigmaLen; i++ {
			mid[i] = l.Bound * math.Cos(ps[i]) * in[i]
		}
		l.U.Propagate(pu, su, mid, uf)
		f := newFields(segs, rows)
		for k := 0; k <= l.V.Columns; k++ {
			src := vf[k]
			if k == l.V.Columns {
				src = vf[l.V.Columns+1] // after the signs D: same intensity, the sign the Sigma column sees
			}
			copy(f[k], src)
		}
		for k := 0; k <= l.U.Columns; k++ {
			src := uf[k]
			if k == l.U.Columns {
				src = uf[l.U.Columns+1]
			}
			copy(f[l.V.Columns+1+k], src)
		}
		for _, seg := range f {
			for _, a := range seg {
				li.Max = math.Max(li.Max, math.Abs(a))
			}
		}
		li.Fields[b] = f
	}
	return li, nil
}

func newFields(n, width int) [][]float64 {
	buf := make([]float64, n*width)
	f := make([][]float64, n)
	for i := range f {
		f[i] = buf[i*width : (i+1)*width]
	}
	return f
}

// Output returns the layer's output (length l.Out) that the tiles' last segments add up to:
// W x, with W the layer's weights under the phases given to NewLight.
func (li *Light) Output(l *photonics.SVDLayer) []float64 {
	y := make([]float64, l.Out)
	for b, f := range li.Fields {
		r0, r1, _, _ := l.BlockRegion(b)
		last := f[len(f)-1]
		for r := r0; r < r1; r++ {
			y[r] += last[r-r0]
		}
	}
	return y
}

// Brightness maps an amplitude to a display brightness in [0, 1]: the intensity a^2
// relative to the brightest waveguide's, shown with a display gamma of 1/4 (that is,
// sqrt(|a|/max)) so that light a tenth as strong still shows. A dark layer (max 0) is 0
// everywhere.
func Brightness(a, max float64) float64 {
	if !(max > 0) || math.IsNaN(a) {
		return 0
	}
	return math.Sqrt(math.Min(math.Abs(a)/max, 1))
}
