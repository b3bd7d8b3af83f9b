// Package photonics models a photonic chip built from Mach-Zehnder interferometer
// (MZI) meshes: rotators, Reck and Clements meshes, the orthogonal matrices they
// implement, SVD layers W = U Sigma V*, a chip floor plan, device noise (phase
// drift and thermal crosstalk), power, and a deployed chip with a mixed
// active/passive split.
//
// It depends on gonum only, so it builds natively and for js/wasm alike.
package photonics
