// Package photonics models a photonic chip built from Mach-Zehnder interferometer
// (MZI) meshes: rotators, Reck and Clements meshes, the orthogonal matrices they
// implement, SVD layers W = U Sigma V*, a chip floor plan, device noise (phase
// drift and thermal crosstalk), power, and a deployed chip with a mixed
// active/passive split.
//
// # Conventions
//
// Arithmetic is real float64. An MZI on waveguides (r, r+1) is the rotator
// R(phi) = [[cos, -sin], [sin, cos]]; a Mesh of n ports implements
// U = D R_K ... R_1 with D = diag(signs), signs in {+1, -1}. Phases are wrapped
// to [0, 2pi) by Wrap. Hot paths take row-major []float64 and do not allocate
// (Mesh.MatrixTo, Apply, ApplyBatch, Propagate, SVDLayer.BlockWeightsTo,
// Chip.SetPhase, Chip.LayerWeights); they state their preconditions and do not
// check them. Validate methods check the same inputs once, and the
// convenience APIs (Matrix, Decompose, Weights, Deploy) validate and return
// errors that say what and where, e.g.
// "photonics: mesh reck n=8: got 27 phases, want 28".
//
// # Decompositions
//
// Mesh.Decompose uses Givens nulling. Reck reduces Q^T to the diagonal D with
// adjacent-row rotations in light order. Clements nulls Q along its
// anti-diagonals, alternately from the right (input-side rotators) and from
// the left (output-side rotators), then moves the left rotations through D:
// for real rotators D R(theta)^T D = R(-d_r d_r+1 theta), so the signs absorb
// the rest. Package mapping maps a weight matrix onto an SVDLayer with gonum's
// SVD and these decompositions.
//
// # Floor plan
//
// A Layout gives every phase device a Site: the layer and block (each block is
// its own tile), and a (Column, Row) inside the tile. Columns run left to
// right as light travels: the V* mesh's columns, one Sigma column, then the U
// mesh's columns. Rows are waveguides, top to bottom from 0; an MZI spans two
// rows, a Sigma shifter one. Thermal neighbours are the devices of the same
// tile at most one column apart with at most one waveguide pitch between them.
//
// # The method's chip
//
// Drift is on the physical scale: a phase shifter's power-to-phase factor
// gamma = pi / V_pi^2 (V_pi = 4.36 V) varies by GammaStd = 2e-3 in its own units,
// a relative drift of 1.21% (Noise). Crosstalk couples adjacent devices with
// omega = 2e-3; as the method's text says, only active devices heat (the
// method's code heats from every device: Noise.HeatAll). Active phases are set
// by a DAC of Hardware.Bits bits (8 by default): the method's step 0.02
// "corresponds to 8-bit control precision". A chip's settings are one Hardware
// (its preset's name, its Noise and Bits), and Presets names such chips.
//
// Per device, a programmed phase goes through the chain of the method's code:
// wrap to [0, 2pi), fold a Sigma phase into [0, pi], round an active phase to
// the DAC grid, scale by the drift factor, add the crosstalk. Where we differ
// from that code: the grid is 2 pi / 2^Bits (the code uses 2 pi / (2^Bits - 1),
// whose first and last codes are one phase, and pi / (2^Bits - 1) for Sigma);
// passive phases stay at full precision (the code quantizes them too); and
// there is no static per-device phase bias (the code's calibration setting,
// not the method's chip).
//
// Power is the sum of the active phases as the devices hold them, Sigma folded;
// Chip.PaperPower counts a Sigma phase as programmed, unfolded, as the code's power
// estimate does. The code scales each block by its own largest singular value (an
// electronic gain per block, its top Sigma at phase 0); this package uses one bound m
// for every block unless ChipConfig.SigmaPerBlock asks for the code's mapping
// (SVDLayer.PerBlockSigma).
//
// # Noise and determinism
//
// A Chip draws its noise (one drift factor Gamma per device) and its active
// set from two PCG streams of math/rand/v2 seeded by ChipConfig.Seed, so the
// same seed gives the same chip natively and under js/wasm (a golden test
// checks this on every platform).
//
// The package depends on the standard library only, so it builds natively and for
// js/wasm alike, and a program that simulates a chip links no linear algebra library.
package photonics
