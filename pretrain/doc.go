// Package pretrain trains networks natively with libtorch (through gotch), maps
// their weights onto MZI phases and exports model files for the chip.
package pretrain
