// Package onn runs an optical neural network on a deployed photonic chip: dense and
// im2col convolution layers whose weight matrices are the chip's effective weights
// (photonics.Chip.LayerWeights), ReLU clipped at the model's clip on hidden layers,
// softmax cross-entropy and accuracy.
//
// # Delta queries
//
// A Network owns the chip's phase updates (Network.SetPhase) so that it knows which block
// of which layer a phase change touches: the device's own (its heater's crosstalk stays in
// its tile, and a tile is a block). A Batch holds one minibatch and, for every layer, the
// activations and a sum tree per output: each output of a layer, for each input row (a
// sample, or a patch of one), is the sum over the layer's block columns of the block's
// partial product (a leaf), added pairwise in one fixed tree. Forward after phase changes
// (a query of a zeroth-order optimizer) recomputes nothing before the first changed layer;
// in a layer it recomputes the leaves of the blocks that changed and of the block columns
// whose input changed, the sums on their paths to the roots and the activations of the
// rows they reach; the next layer then sees only those rows' channels as changed. A trial
// that moves one phase of the 64-24-24-10 MNIST MLP thus recomputes one 8 x 8 block of
// layer 0, one block column of layer 1 and the last layer, about a fifth of a full pass;
// on a 784-32-32-10 MLP it is about a fortieth. Moving many phases at once (FLOPS) makes
// many blocks stale, and a layer whose every block column changed is rebuilt whole.
//
// A query also follows each sample: a layer recomputes its dirty block columns only for
// the samples whose input changed, compares the outputs it rewrote with what they were,
// and passes on only the samples whose outputs changed. On MNIST most pixels are zero and
// most ReLU outputs too, so a changed block of the first layer often meets only zeros, or
// ReLU clips its change away, and those samples cost nothing further. Leaves skip zero
// inputs as well (see leaves for why that leaves every sum as it was, the sign of a zero
// included).
//
// Every pass, full or partial, computes a leaf and a sum with the same operations in the
// same order, so a query gives the logits and loss of a pass from scratch bit for bit,
// however the chip got to its phases (tests check this on every shipped model and on
// random networks of both mesh topologies). A batch keeps the trees (2B-1 values per
// output value of a layer of B block columns) from its first query after a phase change
// on; a batch that only ever sees new samples (test evaluation) keeps none.
//
// The steady-state forward pass does not allocate. Exponentials and logarithms of the
// loss are computed by portable functions of this package rather than package math, whose
// amd64 assembly can differ in the last bit from its pure-Go code: a run gives bit-identical
// losses, and therefore identical optimizer decisions, natively and under js/wasm.
package onn
