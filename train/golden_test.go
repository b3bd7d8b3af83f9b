package train

import (
	"fmt"
	"testing"

	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

// goldenRuns pins the last record of a 3,000-query run of every optimizer on the
// shipped MNIST 8x8 MLP (the method's chip, seed 1): queries, mean training loss, test
// accuracy and power, to the last bit. make test runs this natively and as js/wasm under
// node, so it checks that one configuration gives one curve in the CLI and in the
// browser. (The shipped model rather than testnet's: testnet fits its MLP with math.Exp,
// whose amd64 assembly and portable code differ in the last bit.)
var goldenRuns = map[string]string{
	"admm":    "3039 0.38599175402623404 96.450000000000003 1775.5069097942417",
	"flops":   "3003 0.089581220502160913 96.260000000000005 1826.6599214093239",
	"stp":     "3096 0.10512208365663826 96.430000000000007 1751.3491685655217",
	"szo-scd": "3027 0.10673967066737571 96.450000000000003 1707.3668714152657",
	"zadam":   "3072 0.11388066112397953 95.980000000000004 1788.1355244774186",
	"znewton": "3072 0.1172857617125876 96.439999999999998 1726.2764561063088",
}

func TestGoldenRuns(t *testing.T) {
	m, err := model.ReadFile("../static/models/mnist8-mlp.json")
	if err != nil {
		t.Fatal(err)
	}
	var sets [2]*dataset.Set
	for i, split := range []dataset.Split{dataset.Train, dataset.Test} {
		if sets[i], err = dataset.ReadFile("../static/data/" + dataset.FileName(m.Dataset, split)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range Methods() {
		c := DefaultConfig()
		c.Optimizer, c.Q = name, 10
		c.MaxQueries, c.EvalEvery, c.Seed = 3000, 1000, 1
		r, err := Start(m, sets[0], sets[1], c)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Finish(); err != nil {
			t.Fatal(err)
		}
		last := r.Curve()[len(r.Curve())-1]
		got := fmt.Sprintf("%d %.17g %.17g %.17g", last.Queries, last.Loss, last.Accuracy, last.Power)
		if want, ok := goldenRuns[name]; !ok || got != want {
			t.Errorf("%s: last record %q, want %q", name, got, want)
		}
	}
}
