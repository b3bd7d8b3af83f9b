package train_test

import (
	"fmt"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/testnet"
)

// A frame loop (the browser) advances a run a few hundred queries per frame and draws
// from the run's state in between. With a model file and data sets, train.Deploy builds
// the same run in one call.
func ExampleRun_Step() {
	net, err := testnet.MLP([]int{8, 16, 4}, 8, photonics.ChipConfig{Alpha: 0.3, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise()}, Truncate: photonics.DefaultTruncate, Seed: 1}, 1)
	if err != nil {
		panic(err)
	}
	data := testnet.Uniform("toy", 256, [3]int{8, 1, 1}, 4, 1)
	problem, err := train.NewProblem(net, data, data, 32)
	if err != nil {
		panic(err)
	}
	method, err := train.NewMethod("szo-scd", train.DefaultOptions())
	if err != nil {
		panic(err)
	}
	s := train.DefaultSettings()
	s.MaxQueries, s.EvalEvery = 2000, 500
	run, err := train.NewRun(problem, method, s)
	if err != nil {
		panic(err)
	}
	defer run.Close() // releases a run left paused inside an iteration
	frames := 0
	for !run.Step(300) { // one frame: about 300 queries, then draw
		frames++
		_ = run.Power() // e.g. heaters: problem.Network().Chip().Phase(i)
	}
	if err := run.Err(); err != nil {
		panic(err)
	}
	last := run.Curve()[len(run.Curve())-1]
	fmt.Println(frames, "frames,", len(run.Curve()), "records,", last.Queries, "queries")
	// Output: 6 frames, 5 records, 2000 queries
}

// Deploy puts a network trained off-chip on a new chip, whose drift and crosstalk cost it
// accuracy, and starts a run of the optimizer on it; Finish lets it recover until the
// budget. The run holds a tenth of the training pool out (Validation) and keeps the state
// that does best on it (the earliest of equals: here the last state ties with the one at
// 2,054 queries, which is kept) and programs it back when the budget is spent, so the
// chip ends on the state the validation split chose, not the test set.
func ExampleDeploy() {
	m, err := model.ReadFile("../static/models/mnist8-mlp.json")
	if err != nil {
		panic(err)
	}
	trainSet, err := dataset.ReadFile("../static/data/mnist8-train.bin.gz")
	if err != nil {
		panic(err)
	}
	testSet, err := dataset.ReadFile("../static/data/mnist8-test.bin.gz")
	if err != nil {
		panic(err)
	}
	c := train.DefaultConfig() // the method's chip and its optimizer, SZO-SCD
	c.Seed = 1                 // the chip's noise and active set, the data order
	c.MaxQueries = 6000
	c.Validation = 0.1 // the default, spelled out
	d, err := train.Deploy(m, trainSet, testSet, c)
	if err != nil {
		panic(err)
	}
	if err := d.Run.Finish(); err != nil {
		panic(err)
	}
	s := d.Summary()
	last := d.Run.Curve()[len(d.Run.Curve())-1]
	fmt.Printf("%s on the %s chip with %s: ideal %.2f%%, deployed %.2f%%\n", m.Name, c.Preset, c.Optimizer, s.IdealAcc, s.DeployedAcc)
	fmt.Printf("last: %d queries, validation %.2f%%, test %.2f%%\n", s.Queries, last.Valid, s.FinalAcc)
	fmt.Printf("kept: the state at %d queries, validation %.2f%%, test %.2f%%\n", s.KeptQueries, s.KeptValid, s.KeptAcc)
	// The chip now holds the kept state: a new look at it on the test set.
	p, err := train.NewProblem(d.Net, trainSet, testSet, c.Batch)
	if err != nil {
		panic(err)
	}
	fmt.Printf("the chip after the run: test %.2f%%\n", p.Evaluate())
	// Output:
	// mnist8-mlp on the paper chip with szo-scd: ideal 96.59%, deployed 91.21%
	// last: 6000 queries, validation 93.80%, test 94.08%
	// kept: the state at 2054 queries, validation 93.80%, test 93.90%
	// the chip after the run: test 93.90%
}
