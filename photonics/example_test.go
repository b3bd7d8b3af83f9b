package photonics_test

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/meshlight/meshlight/photonics"
)

// A mesh of MZIs programmed with phases is an orthogonal matrix: light that crosses it
// keeps its power. Decompose finds phases for that matrix again (not necessarily the
// same ones: a rotator may turn by an extra pi that another absorbs), and they carry the
// light the same way.
func ExampleMesh() {
	mesh, _ := photonics.NewMesh(photonics.Clements, 4)
	phases := []float64{0.4, 1.1, 2.0, 0.7, 5.9, 3.3} // one per MZI, in light order
	signs := []float64{1, -1, 1, 1}
	if err := mesh.Validate(phases, signs); err != nil {
		fmt.Println(err)
		return
	}
	power := func(x []float64) float64 {
		p := 0.0
		for _, v := range x {
			p += v * v
		}
		return p
	}
	in := []float64{1, 2, 3, 4}
	out := slices.Clone(in)
	mesh.Apply(phases, signs, out) // as light travels, without forming the matrix
	fmt.Printf("in  %6.3f power %.3f\n", in, power(in))
	fmt.Printf("out %6.3f power %.3f\n", out, power(out))

	u, _ := mesh.Matrix(phases, signs) // row-major
	var y mat.VecDense
	y.MulVec(mat.NewDense(4, 4, u), mat.NewVecDense(4, slices.Clone(in)))
	fmt.Println("matrix times in:", mat.EqualApprox(&y, mat.NewVecDense(4, out), 1e-12))

	ph, sg, err := mesh.Decompose(mat.NewDense(4, 4, u))
	if err != nil {
		fmt.Println(err)
		return
	}
	again := slices.Clone(in)
	mesh.Apply(ph, sg, again)
	fmt.Printf("round trip: phases %.3f signs %v\n", ph, sg)
	fmt.Println("the same light:", mat.EqualApprox(mat.NewVecDense(4, again), mat.NewVecDense(4, out), 1e-12))
	// Output:
	// in  [ 1.000  2.000  3.000  4.000] power 30.000
	// out [-0.584  0.207 -4.500  3.061] power 30.000
	// matrix times in: true
	// round trip: phases [3.542 4.242 2.000 0.700 2.758 2.983] signs [-1 1 1 1]
	// the same light: true
}

func ExampleMesh_Decompose() {
	mesh, _ := photonics.NewMesh(photonics.Reck, 3)
	// Program three rotators, then find phases for the matrix alone. Phases
	// are not unique (a nulling rotation may turn by an extra pi, which the
	// others absorb); Decompose keeps every pivot non-negative, here giving
	// 0.3+pi, 2pi-0.5 and 0.7+pi for the same matrix.
	d, _ := mesh.Matrix([]float64{0.3, 0.5, 0.7}, []float64{1, 1, 1})
	q := mat.NewDense(3, 3, d) // row-major
	phases, signs, err := mesh.Decompose(q)
	if err != nil {
		fmt.Println(err)
		return
	}
	for p, z := range mesh.MZIs {
		fmt.Printf("MZI row %d column %d: phase %.4f\n", z.Row, z.Column, phases[p])
	}
	fmt.Println("signs:", signs)
	u, _ := mesh.Matrix(phases, signs)
	fmt.Println("rebuilt:", mat.EqualApprox(mat.NewDense(3, 3, u), q, 1e-12))

	// A matrix that is not orthogonal is refused.
	_, _, err = mesh.Decompose(mat.NewDense(3, 3, []float64{1, 0, 0, 0, 1, 0, 0, 0, 2}))
	fmt.Println(err)
	// Output:
	// MZI row 1 column 0: phase 3.4416
	// MZI row 0 column 1: phase 5.7832
	// MZI row 1 column 2: phase 3.8416
	// signs: [1 1 1]
	// rebuilt: true
	// photonics: mesh reck n=3: decompose: matrix is not orthogonal: max |Q^T Q - I| = 3 > 1e-08
}

func ExampleMesh_Propagate() {
	mesh, _ := photonics.NewMesh(photonics.Clements, 4)
	phases := make([]float64, mesh.NumPhases())
	for i := range phases {
		phases[i] = math.Pi / 2 // every MZI swaps its two waveguides (with a sign)
	}
	signs := []float64{1, 1, 1, 1}
	x := []float64{1, 0, 0, 0} // light enters on waveguide 0
	fields := make([][]float64, mesh.Columns+2)
	for i := range fields {
		fields[i] = make([]float64, mesh.N)
	}
	mesh.Propagate(phases, signs, x, fields)
	for c, f := range fields {
		for i := range f {
			f[i] = math.Round(f[i]) + 0 // round off 6e-17 residues; print -0 as +0
		}
		fmt.Printf("%d: %+.0f\n", c, f)
	}
	// Output:
	// 0: [+1 +0 +0 +0]
	// 1: [+0 +1 +0 +0]
	// 2: [+0 +0 +1 +0]
	// 3: [+0 +0 +0 +1]
	// 4: [+0 +0 +0 +1]
	// 5: [+0 +0 +0 +1]
}

func ExampleNewLayout() {
	layer, _ := photonics.NewSVDLayer(3, 3, 3, 3, photonics.Reck) // one 3x3 block
	layout := photonics.NewLayout([]*photonics.SVDLayer{layer})
	cols, rows := layout.BlockExtent(0)
	fmt.Printf("tile: %d columns x %d waveguides\n", cols, rows)
	for i, s := range layout.Sites {
		fmt.Printf("%d: %-5v %d at column %d, rows %d-%d, neighbours %v\n",
			i, s.Part, s.Index, s.Column, s.Row, s.Row+s.Rows-1, layout.Neighbors[i])
	}
	// Output:
	// tile: 7 columns x 3 waveguides
	// 0: U     0 at column 4, rows 1-2, neighbours [1 3 4 5]
	// 1: U     1 at column 5, rows 0-1, neighbours [0 2]
	// 2: U     2 at column 6, rows 1-2, neighbours [1]
	// 3: Sigma 0 at column 3, rows 0-0, neighbours [0 4 8]
	// 4: Sigma 1 at column 3, rows 1-1, neighbours [0 3 5 8]
	// 5: Sigma 2 at column 3, rows 2-2, neighbours [0 4 8]
	// 6: V     0 at column 0, rows 1-2, neighbours [7]
	// 7: V     1 at column 1, rows 0-1, neighbours [6 8]
	// 8: V     2 at column 2, rows 1-2, neighbours [3 4 5 7]
}

func ExampleChip_SetPhase() {
	layer, _ := photonics.NewSVDLayer(4, 4, 4, 3, photonics.Reck)
	phases := make([]float64, layer.NumPhases())
	for i := range phases {
		phases[i] = 1
	}
	signs := make([]float64, layer.NumSigns())
	for i := range signs {
		signs[i] = 1
	}
	chip, err := photonics.Deploy([]*photonics.SVDLayer{layer}, [][]float64{phases}, [][]float64{signs},
		photonics.ChipConfig{Alpha: 0.25, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise()}, Truncate: photonics.DefaultTruncate, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d devices, %d active, power %.2f of %.2f rad\n",
		chip.NumPhases(), len(chip.Active()), chip.Power(), chip.FullPower())
	i := chip.Active()[0]
	_ = chip.SetPhase(i, 0.5)
	fmt.Printf("after SetPhase(%d, 0.5): power %.2f rad\n", i, chip.Power())
	w := chip.LayerWeights(0)
	fmt.Println("weights:", len(w))
	passive := 0
	for chip.IsActive(passive) {
		passive++
	}
	fmt.Println(chip.SetPhase(passive, 0.5))
	// Output:
	// 16 devices, 7 active, power 7.00 of 16.00 rad
	// after SetPhase(6, 0.5): power 6.50 rad
	// weights: 16
	// photonics: set phase: device 0 (layer 0: block 0: U 0): device is passive
}
