// Command onchip runs one on-chip training run headless: it deploys a model file on a
// noisy simulated chip, recovers its accuracy with a zeroth-order optimizer, prints one
// progress line per test evaluation on stderr and, last, one JSON summary on stdout.
//
//	go run ./train/cmd/onchip -model static/models/mnist8-mlp.json -optimizer szo-scd \
//	    -alpha 0.15 -s 0.1 -p 1 -queries 50000 -seed 1 -csv curve.csv
//
// The summary is a train.Summary, the same object make reproduce writes per run: the
// setup (model, chip preset, optimizer, alpha, s, p, the initial step, the chip's
// gamma_std, vpi, crosstalk, heat_all, bits, seed, the query budget, the validation
// split, and the options the optimizer uses) and the outcome (queries, ideal_acc,
// deployed_acc, final_acc, best_acc, kept_acc in percent; power_initial, power_final,
// full_power in radians, with paper_power_initial and paper_power_final, the power as the
// method's authors count it, Sigma phases unfolded; energy, power summed over queries, in
// radian-queries; wall_s; SZO-SCD's decisions). With -chip ideal the deployed accuracy is
// the model's test_accuracy. -sigma-per-block deploys each weight block with its own
// Sigma gain, as the method's authors map it (an ablation: the same weights, other Sigma
// phases).
//
// best_acc is the best test accuracy seen, a state chosen on the test set (the method's
// paper reports it); kept_acc is the test accuracy of the state a held-out tenth of the
// training pool ranked best (-validation), which the run programs back at the end:
// chosen without looking at the test set.
//
// -optimizer szo-scd-margin is SZO-SCD with a noise margin (train.Margin): -tau,
// -margin-scale, -margin-ramp and -margin-down set it; none of them: its default.
//
// The chip: -chip names a preset (paper, the default: the method's chip with 1.21%
// drift, crosstalk 2e-3 and 8-bit control; ideal; strong), and -gamma-std, -vpi,
// -crosstalk, -bits and -heat-all change single properties of it.
//
// The flags -optimizer, -chip, -gamma-std, -vpi, -crosstalk, -bits, -heat-all, -alpha,
// -s, -p, -lr and -seed are the page's address parameters of those names (train.Params):
// the same ranges, decimal numbers only (train/param), booleans true/false/1/0, and a
// preset applied before the chip flags whatever their order.
//
// The model file is JSON or gzipped JSON (.json.gz, as the page accepts), at most
// model.MaxFileSize bytes before and after decompression; its dataset must be a plain
// name (dataset.CheckName), so it cannot lead outside the data folder.
//
// Data: the model's data set is read from DIR/<dataset>-train.bin.gz and
// DIR/<dataset>-test.bin.gz, with DIR = -data (default: the models folder's sibling
// "data", i.e. static/data for static/models/x.json).
//
// Exit status: 0 on success; 2 for bad input (a flag out of range, an unreadable or
// corrupt model or data file), with one line on stderr naming the flag or file; 1 if the
// run fails (an optimizer diverging to NaN).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/param"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// usageError is bad input: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func badf(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func run(args []string, stdout, stderr io.Writer) int {
	err := onchip(args, stdout, stderr)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "onchip: "+oneLine(ue.msg))
		return 2
	default:
		fmt.Fprintln(stderr, "onchip: "+oneLine(err.Error()))
		return 1
	}
}

func presetNames() string { return strings.Join(photonics.PresetNames(), ", ") }

// flagError is a usage error for a setting train refused: a FieldError names its flag,
// anything else is prefixed with where it came from.
func flagError(err error, where string) error {
	var fe *train.FieldError
	if errors.As(err, &fe) {
		return badf("-%s %v: want %s", fe.Field, fe.Value, fe.Want)
	}
	return badf("%s%v", where, err)
}

func oneLine(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "\n", "; ") }

func onchip(args []string, stdout, stderr io.Writer) error {
	c := train.DefaultConfig()
	fs := flag.NewFlagSet("onchip", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	modelPath := fs.String("model", "", "model file (static/models/*.json, or gzipped *.json.gz)")
	dataDir := fs.String("data", "", "folder of the data files (default: ../data beside the model)")
	csvPath := fs.String("csv", "", "write the curve to this CSV file")
	c.Seed, c.MaxQueries, c.EvalEvery = 1, 50000, 0 // the CLI's defaults
	apply := train.ParamFlags(fs, &c)               // optimizer, chip, its settings, alpha, s, p, lr, seed
	param.FloatVar(fs, &c.Decay, "decay", "step-size factor per epoch, (0, 1]")
	param.IntVar(fs, &c.MaxQueries, "queries", "query budget (0: none; then give -iterations or -wall)")
	param.IntVar(fs, &c.MaxIterations, "iterations", "iteration budget (0: none)")
	fs.DurationVar(&c.MaxWall, "wall", 0, "wall-time budget, e.g. 30s (0: none)")
	param.IntVar(fs, &c.EvalEvery, "eval", "queries between test evaluations (0: queries/50, at least 1000)")
	param.IntVar(fs, &c.Batch, "batch", "minibatch size")
	param.FloatVar(fs, &c.Validation, "validation", "fraction of the training pool held out to choose the state kept and restored at the end (0: none)")
	param.FloatVar(fs, &c.Mu, "mu", "zadam, znewton, flops: finite-difference radius (0: the optimizer's default)")
	param.IntVar(fs, &c.Q, "q", "flops: Gaussian samples per iteration")
	param.FloatVar(fs, &c.Lambda, "lambda", "admm: initial Lagrange multiplier of the power (sum of active phases)")
	param.FloatVar(fs, &c.Budget, "budget", "admm: power budget, a fraction of the deployed chip's power")
	param.BoolVar(fs, &c.Stale, "stale", "szo-scd, admm: no re-query after a step back (ablation)")
	param.FloatVar(fs, &c.Margin.Tau, "tau", "szo-scd-margin: fixed noise margin, loss units (with -margin-scale 0 as well: the variant's default)")
	param.FloatVar(fs, &c.Margin.Scale, "margin-scale", "szo-scd-margin: adaptive margin, times the running mean of |delta loss|")
	param.IntVar(fs, &c.Margin.Ramp, "margin-ramp", "szo-scd-margin: iterations over which the margin grows from 0")
	param.FloatVar(fs, &c.Margin.Grow, "margin-grow", "szo-scd-margin: after the ramp, the margin grows by this fraction per e-fold of iterations")
	param.FloatVar(fs, &c.Margin.Down, "margin-down", "szo-scd-margin: margin of a power-lowering move, a fraction of the margin (0: 1)")
	param.BoolVar(fs, &c.Shadow, "shadow", "ablation: the optimizer keeps full-precision phases that the chip quantizes (the authors' code); -lr may be below one code")
	param.BoolVar(fs, &c.SigmaPerBlock, "sigma-per-block", "ablation: each weight block gets its own Sigma gain, its largest singular value at phase 0 (the authors' mapping)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: onchip -model FILE [flags]")
			fs.PrintDefaults()
			return err
		}
		return badf("%v", err)
	}
	if fs.NArg() > 0 {
		return badf("unexpected argument %q (flags only)", fs.Arg(0))
	}
	if *modelPath == "" {
		return badf("-model: no model file given")
	}
	if err := apply(); err != nil {
		return badf("%v", err)
	}
	if c.EvalEvery == 0 {
		c.EvalEvery = max(c.MaxQueries/50, 1000)
	}
	if c.MaxQueries == 0 && c.MaxIterations == 0 && c.MaxWall == 0 {
		return badf("-queries 0: give a budget (-queries, -iterations or -wall)")
	}
	if err := c.Validate(); err != nil {
		return flagError(err, "")
	}

	m, err := model.ReadFile(*modelPath)
	if err != nil {
		return badf("-model: %v", err)
	}
	dir := *dataDir
	if dir == "" {
		dir = filepath.Join(filepath.Dir(*modelPath), "..", "data")
	}
	var sets [2]*dataset.Set
	for i, split := range []dataset.Split{dataset.Train, dataset.Test} {
		path := filepath.Join(dir, dataset.FileName(m.Dataset, split))
		if sets[i], err = dataset.ReadFile(path); err != nil {
			return badf("%v", err) // names the file
		}
	}
	var csv *os.File
	if *csvPath != "" {
		if csv, err = os.Create(*csvPath); err != nil {
			return badf("-csv: %v", err)
		}
		defer csv.Close()
	}

	c.OnRecord = func(r train.Record) {
		fmt.Fprintf(stderr, "queries %9d  iter %7d  epoch %3d  step %.4g  loss %.4f  acc %6.2f%%  valid %6.2f%%  power %8.1f rad (paper %8.1f)  energy %.4g\n",
			r.Queries, r.Iteration, r.Epoch, r.Step, r.Loss, r.Accuracy, r.Valid, r.Power, r.PaperPower, r.Energy)
	}
	d, err := train.Deploy(m, sets[0], sets[1], c)
	if err != nil {
		return flagError(err, *modelPath+": ")
	}
	runErr := d.Run.Finish()
	if csv != nil {
		if err := train.WriteCSV(csv, d.Run.Curve()); err != nil {
			return fmt.Errorf("-csv: %w", err)
		}
		if err := csv.Close(); err != nil {
			return fmt.Errorf("-csv: %w", err)
		}
	}
	if runErr != nil {
		return runErr
	}
	return json.NewEncoder(stdout).Encode(d.Summary())
}
