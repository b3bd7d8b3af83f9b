// Package train runs on-chip learning: an optical neural network deployed on a
// simulated chip recovers its accuracy with zeroth-order optimizers that only query the
// chip's loss.
//
// The pieces, in the style of gonum/optimize:
//
//   - ActiveSet is all an optimizer sees of the chip: the active phases it may read and
//     set, the chip's power, and Loss, one ONN query (a forward pass of the current
//     minibatch). No gradients, no weights, no noise.
//   - Method is one optimizer, a small type stepped one iteration at a time: SZOSCD (the
//     method: sparse coordinate descent with power-aware dynamic pruning), ZAdam, ZNewton,
//     STP and FLOPS (the baselines), and Penalty (a Lagrangian power penalty around any
//     method). Each documents, and Cost returns, the queries of one iteration (exact,
//     but for SZO-SCD's re-query after a step back, where it is the maximum).
//   - Objective is what the loop drives: an ActiveSet with minibatch selection, test
//     evaluation and an exact query count. Problem is the Objective of a network on a
//     chip (package onn) with a training and a test set.
//   - Run is the one loop: it owns the budget (queries, iterations or wall time),
//     minibatch sampling, the step-size schedule (start Step, times Decay per epoch),
//     periodic test evaluation, and the curve of Records (queries, iteration, training
//     loss, test accuracy, power, the paper-comparable power, energy).
//
// The chip has a DAC: by default (DefaultConfig, the method's chip) active phases are
// programmed with 8 bits, so a phase can only move by whole codes of 2 pi / 256 =
// 0.0245 rad, the method's "step 0.02 corresponds to 8-bit control precision". Run
// gives every iteration its step in whole codes, at least one (Step decays per epoch
// but never below one code), and a step or radius below one code is refused by
// Config.Validate. Steps and radii of the optimizers default to whole codes too
// (DefaultStep, DefaultMu), tuned with one grid for all of them; on a continuous chip
// (Bits 0) the same numbers apply in radians. Penalty is the method's "ADMM" baseline:
// a Lagrange multiplier on the power with a dual update toward a power budget.
//
// Run.Step(n) advances a run by at least n queries and then pauses, even in the middle
// of an iteration, so a frame loop (the browser) can interleave training with drawing;
// Run.Close releases a run that is abandoned before it ends. Deploy builds the whole
// stack from a model, data and a Config, and its Deployment owns the run: the network on
// the chip, the deployed chip's record, the optimizer's counters and the run's Summary
// (the JSON object onchip prints and make reproduce stores; ReadCSV reads back the curve
// that WriteCSV writes). The tools and the page read a run only through it.
//
// Query accounting: every Loss call is one query, counted by the Objective; test-set
// evaluations are not training queries and are not counted. Energy is the sum, over
// training queries, of the chip's power at the time of the query (the area under the
// power curve against queries, in radian-queries).
//
// Determinism: one seed fixes the chip (noise and active set), the data order and every
// random choice of the optimizers (math/rand/v2 PCG streams), and all arithmetic is
// portable, so two runs of one configuration give identical curves, natively and under
// js/wasm. Budgets in wall time are the exception: where they stop depends on the
// machine.
package train
