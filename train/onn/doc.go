// Package onn runs an optical neural network on a deployed photonic chip: dense and
// im2col convolution layers whose weight matrices are the chip's effective weights
// (photonics.Chip.LayerWeights), ReLU clipped at the model's clip on hidden layers,
// softmax cross-entropy and accuracy.
//
// A Network owns the chip's phase updates (Network.SetPhase) so that it knows which rows
// of which layer a phase change touches. A Batch holds one minibatch and the activations
// of every layer; Batch.Forward recomputes only what changed since its previous pass:
// nothing before the first changed layer, only the changed block rows of that layer
// (a phase of block b only changes the rows of W that b covers), and every layer after
// it. The result equals a full pass exactly (the same arithmetic on the same operands).
//
// The steady-state forward pass does not allocate. Exponentials and logarithms of the
// loss are computed by portable functions of this package rather than package math, whose
// amd64 assembly can differ in the last bit from its pure-Go code: a run gives bit-identical
// losses, and therefore identical optimizer decisions, natively and under js/wasm.
package onn
