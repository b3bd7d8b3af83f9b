package main

// discussion is the report's hand-written section: where and why the reproduction
// differs from the paper, from the runs committed in results/ (rewrite it when they change).
const discussion = `## Where we differ from the paper, and why we think so

What we read besides the paper: the authors' code in JeremieMelo/L2ight
(` + "`core/optimizer/mixedtrain.py`" + ` MixedTrainOptimizer.zo_coordinate_descent,
` + "`core/models/layers/utils.py`" + ` PhaseQuantizer and ThermalCrosstalkSimulator,
` + "`config/mnist/cnn3/mixedtrain/learn.yml`" + `, ` + "`core/builder.py`" + ` make_scheduler,
` + "`core/optimizer/flops.py`" + ` FLOPSOptimizer with ` + "`config/mnist/cnn3/flops/learn.yml`" + `) and the same quantizer in
JeremieMelo/pytorch-onn (` + "`torchonn/op/mzi_op.py`" + `). Neither has an ADMM or power
budget: Table 3's baseline is built from the paper's description alone.

- **The chip now costs what the paper's does.** With the drift on its physical scale
  (gamma std 2e-3 of gamma = pi / 4.36^2, i.e. 1.21%) and 8-bit control, the MNIST 8x8 MLP
  deploys at 90.70% (ideal 96.59%, alpha 0.15), the MNIST CNN at 94.01% (97.47%) and the
  FMNIST CNN at 80.35% (90.10%, alpha 0.05). Most of the drop is the drift; rounding the
  active phases to the 8-bit grid costs little (the continuous chip deploys at 90.67%).
- **SZO-SCD at the method's step recovers fast, then gives it back.** On the MLP it wins
  back 65% of the drop at its best, within the first 20k queries (94.6%, the mean of
  the three chips' best), but ends at 91.33% after 200k (11% of the drop) and at 87.2% after 2M (Fig. 6c,
  one seed). The cause is the step, not the DAC: on a continuous chip the same step (one
  code, 0.0245 rad) ends at 91.62%, and d = 0.005 at 95.74%. A failed trial always moves
  its phase, to -d (the step back is taken whatever the loss there, as in the authors'
  code), so near an optimum every coordinate walks by d on the noise of each 32-sample
  minibatch, and a one-code walk is wide enough to cost accuracy over time. On an 8-bit
  chip d cannot shrink below one code, and the method's decay (0.985 per epoch) would not
  shrink it much within 200k queries anyway (to 0.9 d: 6.6 passes over our 10,000-sample
  pool). The paper's 93.5% sits between our best and our final accuracy. Under the
  *strong* chip, where there is more to win back, SZO-SCD keeps 58% of the drop at the
  end.
- **The authors' full-precision optimizer does not explain the gap; on an 8-bit chip it
  drifts.** Their optimizer keeps float phases and rounds them only when it programs the
  chip, with a step that decays without a floor: their MNIST configuration starts at lr
  0.0245 (one 8-bit code) and multiplies it by 0.99 per epoch, and the lr_min of 0.0245 it
  sets is read only by the cosine scheduler, not by the exponential one it uses
  (` + "`core/builder.py`" + ` make_scheduler), so from the second epoch on the step is below one
  code. We ran it (*shadow*, 3 seeds, 200k queries): from one code it ends at
  89.42% on the MLP, from 0.02 rad at 49.47% and from 0.005 at 33.72%, although each
  reaches 93-95% on the way. Below one code a trial often leaves the chip's code where it
  was, so the loss ties, the trial fails and the copy steps back by d: every tie walks the
  copy down by d until it crosses a code, and the chip's phases ratchet downward (power
  falls by a fifth to a quarter) without being judged. Whole codes with a floor, as we run SZO-SCD, avoid the
  ties. Their forward pass is as deterministic as ours (its gamma noise is drawn once),
  so their code would tie the same way at lr below one code.
- **A tuned FLOPS is the best optimizer on this chip, not the worst.** Each optimizer had
  the same search (six configurations of whole codes). FLOPS (Q = 60 Gaussian directions
  on 10% of the active phases, step 2 codes, radius 1) ends at 95.11% on the MLP, above
  STP (92.61), ZNewton (92.48), SZO-SCD (91.33) and ZAdam (77.27), and first on both CNNs
  (96.12 and 86.67%). Its update, -lr g per phase, rounds to zero codes wherever the
  estimated gradient is small: a dead zone that stops the walk a coordinate method makes.
  The paper's FLOPS ended at 83.5%, and the paper does not say how its baselines were
  tuned. The authors' code configures FLOPS for MNIST (` + "`core/optimizer/flops.py`" + ` with
  ` + "`config/mnist/cnn3/flops/learn.yml`" + `, in the repository of their later paper) as one
  Gaussian sample of radius 0.1 rad per step on every phase, no active subset, step 2
  decaying by 0.99 per epoch, full-precision phases rounded when programmed. Run that way
  (*FLOPS as the authors' code*: alpha 1, s 1, Q 1, mu 0.1, d 2, shadow; 3 seeds) it never
  improves on deployment and ends at 11.43% on the paper chip (9.20% on the strong one),
  chance: a one-sample estimate moves every one of the 2,496 phases by about 2 |dL| / 0.1
  rad per step, a random walk. So neither that configuration nor ours produced the paper's
  83.5%; the gap to our 95.11% is the tuning (Q, the subset, the step). ZAdam
  fails on an 8-bit chip: AMSGrad scales every update to about one step whatever the
  gradient's size, so every picked phase moves about one code per iteration in a noisy
  direction (76-77% on the MLP, below deployment). Early in the run the coordinate
  methods are even: after a tenth of the budget SZO-SCD, ZNewton, STP and FLOPS are within
  0.8 points on the MLP (94.06-94.79%).
- **Small alpha is faster on the MNIST MLP, not on the vowel MLP.** On the MNIST MLP
  alpha 0.05-0.15 reach 93.1% with 6-11x fewer queries than alpha 1 (which also deploys
  4 points lower: every heater adds crosstalk). The vowel MLP (168 test samples, 0.6 points
  each) has little to recover (88.5% from 91.7%) and alpha 1 gets there first.
- **Pruning saves 4% of the power, not 30-50%.** At p = 1 the MLP ends at 1611 rad against
  1679 at p = 0 (vowel: 304 against 318; MNIST CNN 562 against 637, FMNIST CNN 2382
  against 2747, 12-13%), at equal accuracy within the seeds' spread. On our chips training
  lowers the power at every p: devices that hardly affect the loss (for instance rotators
  among the zero-padded rows of edge blocks) fail their trials and step back by d each
  time, down to 0; p = 0 lets them wrap to near 2 pi and start down again, p = 1 keeps
  them at 0. Almost all of the power is in the deployed phases, which pruning touches only
  through that drift. Over 2M queries the gap grows to 8% (1462 against 1594 rad).
- **Mixed training saves 83-84% of the power on the MLPs (alpha 0.15) and 93% on the
  CNNs (alpha 0.05)** against alpha = 1: the share of heaters that are active (the U/V
  fraction alpha plus every Sigma phase). Against the other base Table 4's caption may
  mean (the same alpha with p = 0) the CNNs save 12-13%.
- **The Lagrangian penalty trades accuracy for power.** On the sum of the active phases
  lambda 0.05-0.3 (the paper's range) is strong: lowering a phase by one code gains lambda
  x 0.0245 in the objective, more than most trials change the loss, so power falls below
  its budget and the multiplier decays to 0 only slowly; accuracy ends at 86.6% (lambda
  0.05) down to 56.9% (0.3), at 5-30% less power than pruning (91.33% at 1611 rad). No setting is as
  accurate as pruning, none is higher in power: a trade-off, and pruning the only one that
  keeps accuracy.
- **Ten times the chip.** The 26,624-phase MNIST 28x28 MLP loses only 0.94 points at
  deployment on the method's chip (95.50% from 96.44%): more blocks average out the drift,
  and no optimizer wins back half of so small a drop on the mean curve. On the strong chip
  (a 3.2-point drop) SZO-SCD and FLOPS both get half of it back in about 35k queries,
  SZO-SCD in 1.3 s of one core (its one-phase trials are delta queries) and FLOPS in 60 s
  (its trials move 10% of the active phases at once, so they are full passes).
- **Crosstalk from every device** (the authors' code; *heat all*) deploys the MLP at
  86.70% instead of 90.70%; SZO-SCD then ends at 91.28%.
- **Other settings of the authors' code we do not follow**: its 8-bit grid is 2 pi / 255
  (codes 0 and 255 are one phase) and pi / 255 for Sigma phases, ours 2 pi / 256 for every
  active phase; it quantizes passive phases too (ours keep full precision: they are set
  once, not by the DAC); its ZO configuration adds a static phase bias of up to 1 rad per
  device (a calibration setting, not the method's chip) and uses crosstalk 5e-3.
- **Shorter epochs.** The step decays by 0.985 per pass over the shipped training pool
  (10,000 MNIST samples rather than 60,000), six times more often per query than with the
  full set; over our budgets it stays near its start either way.
- **Dense runs** (alpha 1, s 1) spend thousands of queries per iteration on one minibatch
  and end below their sparse variants, FLOPS (about 47%) and ZAdam (about 30%) worst, as
  the paper's dense variants diverge.

`
