package train_test

import (
	"fmt"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/train/testnet"
)

// A frame loop (the browser) advances a run a few hundred queries per frame and draws
// from the run's state in between. With a model file and data sets, train.Deploy builds
// the same run in one call.
func ExampleRun_Step() {
	net, err := testnet.MLP([]int{8, 16, 4}, 8, photonics.ChipConfig{Alpha: 0.3, Noise: photonics.DefaultNoise(), Seed: 1}, 1)
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
