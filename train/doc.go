// Package train runs on-chip learning: an optical neural network deployed on a
// simulated chip recovers its accuracy with zeroth-order optimizers that only
// query the chip's loss.
package train
