// Package mapping puts a weight matrix onto an SVD layer of a chip: W = U Sigma V* by
// gonum's SVD per block (or for the whole matrix), U and V* onto their meshes by Givens
// nulling (photonics.Mesh.Decompose), and Sigma_i = Bound cos(phi_i) with
// phi_i = arccos(s_i / Bound) in [0, pi/2]. A singular value above the layer's bound
// gives a *BoundError; ScaleToBound rescales the weights so they fit, and ClampToBound
// clamps the singular values that do not.
//
// It is apart from package photonics because it is the one part that needs a linear
// algebra library: a program that only simulates a deployed chip (the page) imports
// photonics and links none of LAPACK.
package mapping

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/meshlight/meshlight/photonics"
)

// BoundTol is the relative slack Decompose allows above the layer's Bound before it
// reports a *BoundError (singular values within it are clamped to Bound).
const BoundTol = 1e-9

// BoundError reports a weight matrix whose (block) singular value exceeds the layer's
// bound m, so no Sigma = m cos(phi) can realise it. Value is the largest singular value of
// the layer and Block the block it occurs in (0 for a whole-matrix layer). Scaling the
// weights by Bound/Value (see ScaleToBound) makes them decomposable.
type BoundError struct {
	Out, In, BlockSize int
	Block              int
	Value, Bound       float64
}

func (e *BoundError) Error() string {
	return fmt.Sprintf("mapping: svd layer %dx%d block %d: block %d: singular value %.6g exceeds bound %g (scale weights by %.6g, see ScaleToBound)",
		e.Out, e.In, e.BlockSize, e.Block, e.Value, e.Bound, e.Bound/e.Value)
}

// Decompose maps w (l.Out x l.In) onto the layer exactly: the phases and signs, in the
// layer's order (photonics.SVDLayer), with l.Weights(phases, signs) = w. If a singular
// value exceeds l.Bound (beyond a relative BoundTol) it returns a *BoundError; callers
// may use ScaleToBound first.
func Decompose(l *photonics.SVDLayer, w mat.Matrix) (phases, signs []float64, err error) {
	if err := checkShape(l, w); err != nil {
		return nil, nil, fmt.Errorf("mapping: %v: %w", l, err)
	}
	nb := l.NumBlocks()
	phases = make([]float64, 0, l.NumPhases())
	signs = make([]float64, 0, l.NumSigns())
	var bound *BoundError
	var svd mat.SVD
	for b := range nb {
		if !svd.Factorize(blockMatrix(l, w, b), mat.SVDFull) {
			return nil, nil, fmt.Errorf("mapping: %v: block %d: SVD did not converge", l, b)
		}
		vals := svd.Values(nil)
		if len(vals) > 0 && vals[0] > l.Bound*(1+BoundTol) && (bound == nil || vals[0] > bound.Value) {
			bound = &BoundError{Out: l.Out, In: l.In, BlockSize: l.Block, Block: b, Value: vals[0], Bound: l.Bound}
		}
		if bound != nil {
			continue
		}
		var u, v mat.Dense
		svd.UTo(&u)
		svd.VTo(&v)
		up, us, err := l.U.Decompose(&u)
		if err != nil {
			return nil, nil, fmt.Errorf("mapping: %v: block %d: U: %w", l, b, err)
		}
		vp, vs, err := l.V.Decompose(v.T())
		if err != nil {
			return nil, nil, fmt.Errorf("mapping: %v: block %d: V: %w", l, b, err)
		}
		phases = append(phases, up...)
		for _, s := range vals {
			phases = append(phases, math.Acos(min(s/l.Bound, 1)))
		}
		phases = append(phases, vp...)
		signs = append(signs, us...)
		signs = append(signs, vs...)
	}
	if bound != nil {
		return nil, nil, bound
	}
	return phases, signs, nil
}

// MaxSingular returns the largest singular value over the blocks of w (over the whole
// matrix when l.Block == 0) and the block it occurs in.
func MaxSingular(l *photonics.SVDLayer, w mat.Matrix) (value float64, block int, err error) {
	if err := checkShape(l, w); err != nil {
		return 0, 0, fmt.Errorf("mapping: %v: %w", l, err)
	}
	var svd mat.SVD
	for b := range l.NumBlocks() {
		if !svd.Factorize(blockMatrix(l, w, b), mat.SVDNone) {
			return 0, 0, fmt.Errorf("mapping: %v: block %d: SVD did not converge", l, b)
		}
		if s := svd.Values(nil); len(s) > 0 && s[0] > value {
			value, block = s[0], b
		}
	}
	return value, block, nil
}

// ScaleToBound returns w scaled so that every block's singular values are at most
// l.Bound, and the scale applied (1 when w already fits, else Bound/MaxSingular < 1). A
// network whose layer is scaled by s computes s times the layer's output; callers
// compensate (for example in the next layer or the logits) or accept it.
func ScaleToBound(l *photonics.SVDLayer, w mat.Matrix) (scaled *mat.Dense, scale float64, err error) {
	top, _, err := MaxSingular(l, w)
	if err != nil {
		return nil, 0, err
	}
	scale = 1
	if top > l.Bound {
		scale = l.Bound / top
	}
	scaled = mat.DenseCopyOf(w)
	if scale != 1 {
		scaled.Scale(scale, scaled)
	}
	return scaled, scale, nil
}

// ClampToBound returns w with every block's singular values clamped to at most l.Bound
// (W = U min(S, Bound) V^T per block; blocks within the bound are copied unchanged): the
// projection a network trained for the chip takes after each step, and the last one
// before Decompose. Unlike ScaleToBound it changes only the blocks that exceed the bound,
// and only along their largest singular directions.
func ClampToBound(l *photonics.SVDLayer, w mat.Matrix) (*mat.Dense, error) {
	if err := checkShape(l, w); err != nil {
		return nil, fmt.Errorf("mapping: %v: %w", l, err)
	}
	clamped := mat.DenseCopyOf(w)
	var svd mat.SVD
	for b := range l.NumBlocks() {
		// Zero padding adds zero singular values only, so the block's own region suffices.
		r0, r1, c0, c1 := l.BlockRegion(b)
		blk := clamped.Slice(r0, r1, c0, c1).(*mat.Dense)
		if !svd.Factorize(blk, mat.SVDThin) {
			return nil, fmt.Errorf("mapping: %v: block %d: SVD did not converge", l, b)
		}
		vals := svd.Values(nil)
		if vals[0] <= l.Bound {
			continue
		}
		var u, v mat.Dense
		svd.UTo(&u)
		svd.VTo(&v)
		for i, s := range vals {
			vals[i] = min(s, l.Bound)
		}
		u.Apply(func(_, j int, x float64) float64 { return x * vals[j] }, &u)
		blk.Mul(&u, v.T())
	}
	return clamped, nil
}

// blockMatrix copies block b of w (zero-padded) into a U.N x V.N matrix.
func blockMatrix(l *photonics.SVDLayer, w mat.Matrix, b int) *mat.Dense {
	r0, r1, c0, c1 := l.BlockRegion(b)
	blk := mat.NewDense(l.U.N, l.V.N, nil)
	for i := r0; i < r1; i++ {
		for j := c0; j < c1; j++ {
			blk.Set(i-r0, j-c0, w.At(i, j))
		}
	}
	return blk
}

// checkShape validates w's shape and values; messages carry no prefix.
func checkShape(l *photonics.SVDLayer, w mat.Matrix) error {
	if w == nil {
		return fmt.Errorf("nil weight matrix")
	}
	r, c := w.Dims()
	if r != l.Out || c != l.In {
		return fmt.Errorf("got %dx%d weights, want %dx%d", r, c, l.Out, l.In)
	}
	for i := range r {
		for j := range c {
			if v := w.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("weight (%d,%d) is %v", i, j, v)
			}
		}
	}
	return nil
}
