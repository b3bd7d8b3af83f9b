// Package pretrain trains meshlight's networks natively with libtorch (through gotch
// v0.7.0), maps their weights exactly onto MZI phases and exports model files.
//
// Training is hardware-unaware back-propagation with a constraint that makes the chip
// exact: every layer is a bias-free weight matrix (convolutions as im2col products:
// libtorch's conv2d with the Out x (C*K*K) matrix viewed as Out x C x K x K kernels is the
// same product, patch order channel-major, kernel row, kernel column), and after every
// optimizer step each Block x Block block of each matrix (the whole matrix when Block is
// 0) is projected onto singular values <= M by an SVD clamp, so that
// mapping.Decompose maps the trained weights onto phases without loss. Hidden
// layers use ReLU clipped at Clip, the last layer gives the logits, the loss is
// cross-entropy and the optimizer Adam with a cosine learning-rate schedule.
//
// Export decomposes the trained weights, rebuilds the ideal chip's weights from the
// phases with photonics and measures the test accuracy with model.Net, the plain Go
// forward pass, so that a model file's test_accuracy is what the chip computes.
//
// Presets are the shipped networks; New configures a network of one's own (any data set
// of train/dataset, an architecture string, a block size and a mesh topology), and
// Config.Check refuses, in one line and without data or libtorch, a configuration that
// cannot be trained or shipped: cmd/pretrain calls it on every configuration before it
// trains any.
//
// Building needs cgo flags for gotch on Debian's libtorch 1.13: source gotch-env.sh
// (the Makefile's pretrain and test-pretrain targets do).
package pretrain
