package mapping_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/photonics/mapping"
)

func ExampleDecompose() {
	layer, _ := photonics.NewSVDLayer(2, 3, 0, 3, photonics.Clements) // whole-matrix SVD
	w := mat.NewDense(2, 3, []float64{
		1, 0, 0,
		0, 0, 2,
	})
	phases, signs, err := mapping.Decompose(layer, w)
	if err != nil {
		fmt.Println(err)
		return
	}
	sigma := phases[layer.U.NumPhases() : layer.U.NumPhases()+layer.SigmaLen]
	fmt.Printf("Sigma = 3 cos(phi): %.4f %.4f\n", 3*math.Cos(sigma[0]), 3*math.Cos(sigma[1]))
	back, _ := layer.Weights(phases, signs) // row-major
	fmt.Println("round trip:", mat.EqualApprox(mat.NewDense(2, 3, back), w, 1e-12))

	// Singular values above the bound m are reported, with the scale that fixes them.
	big := mat.NewDense(2, 3, []float64{6, 0, 0, 0, 0, 1})
	_, _, err = mapping.Decompose(layer, big)
	fmt.Println(err)
	scaled, scale, _ := mapping.ScaleToBound(layer, big)
	_, _, err = mapping.Decompose(layer, scaled)
	fmt.Println("scale", scale, "error", err)
	// Output:
	// Sigma = 3 cos(phi): 2.0000 1.0000
	// round trip: true
	// mapping: svd layer 2x3 block 0: block 0: singular value 6 exceeds bound 3 (scale weights by 0.5, see ScaleToBound)
	// scale 0.5 error <nil>
}
