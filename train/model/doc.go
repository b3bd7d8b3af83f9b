// Package model reads, validates and writes meshlight model files and turns them into
// photonic layers.
//
// A model file (JSON, format "meshlight-model/1", shipped in static/models/) holds a
// trained network as the chip implements it: per layer an Out x In weight matrix
// W = U Sigma V* in Block x Block blocks (or whole, Block 0), stored as the phases of the
// U and V* meshes, the Sigma phases (Sigma_i = M cos phi_i) and the diagonal signs of U and
// V*. Networks are MLPs and im2col CNNs without biases; hidden layers use ReLU clipped at
// Activation.Clip and the last layer's outputs are the logits.
//
//	{"format": "meshlight-model/1", "name": "mnist8-mlp", "dataset": "mnist8",
//	 "architecture": "64-24-24-10", "block": 8, "m": 3, "topology": "reck",
//	 "test_accuracy": 96.1, "seed": 1, "activation": {"kind": "relu-clip", "clip": 4},
//	 "input": {"channels": 64, "height": 1, "width": 1}, "preprocessing": "...",
//	 "layers": [{"kind": "dense", "out": 24, "in": 64,
//	             "phases": {"u": [[...], ...], "sigma": [[...], ...], "v": [[...], ...]},
//	             "signs": {"u": [[...], ...], "v": [[...], ...]}}, ...]}
//
// Conv layers add "conv": {"in_channels", "in_height", "in_width", "kernel", "stride",
// "padding"}; their out is the number of output channels and in = in_channels*kernel*kernel.
// The im2col patch order is channel-major, then kernel row, then kernel column; feature
// maps are stored channel-major (C, H, W).
//
// Read and ReadFile check everything before returning a model: required fields, the format
// version, sizes, phase and sign counts per block against the photonics.SVDLayer of the
// declared shape, finite values, the layer geometry against the architecture string, and
// the dataset, which names data files, against the one rule for such names
// (dataset.CheckName: "mnist8" passes, "../../../evil" does not). Errors name the file,
// the layer, the block and the field. Files may be gzipped (.json.gz); both readers stop
// at MaxFileSize bytes before and after decompression, ReadFile opens regular files only,
// and the arrays and objects of a file are counted (MaxArrays, MaxLayers) before it is
// decoded, so no file makes them allocate much more than its size.
//
// Net is a plain Go forward pass over a model's weights (the ideal chip, or any effective
// weights such as a noisy chip's), with Accuracy over a data set.
package model
