package train

import (
	"fmt"
	"testing"

	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/testnet"
)

// goldenRuns pins the last record of a 3,000-query run of every optimizer on the
// shipped MNIST 8x8 MLP (the method's chip with 8-bit control, seed 1, a tenth of the pool held out): queries, mean training loss, test
// accuracy and power, to the last bit. make test runs this natively and as js/wasm under
// node, so it checks that one configuration gives one curve in the CLI and in the
// browser. (The shipped model rather than testnet's: testnet fits its MLP with math.Exp,
// whose amd64 assembly and portable code differ in the last bit.)
var goldenRuns = map[string]string{
	"admm":           "3000 169.34694933366762 91.459999999999994 1695.3801104638169",
	"flops":          "3000 0.17667482158250711 94.25 1734.8218244819323",
	"stp":            "3000 0.10900427165368279 94.480000000000004 1711.6280349691015",
	"szo-scd":        "3000 0.13020277119754015 94.200000000000003 1707.4310635334464",
	"szo-scd-margin": "3000 0.13250742920881808 94.030000000000001 1708.1182869264189",
	"zadam":          "3000 0.33189245882438312 87.640000000000001 1701.3442277671161",
	"znewton":        "3000 0.07740753205479925 94.269999999999996 1705.4430244323466",
}

// shippedMLP reads the shipped MNIST 8x8 MLP and its training and test sets.
func shippedMLP(t *testing.T) (*model.Model, [2]*dataset.Set) {
	t.Helper()
	m, tr, te, err := testnet.Shipped("mnist8-mlp")
	if err != nil {
		t.Fatal(err)
	}
	return m, [2]*dataset.Set{tr, te}
}

func TestGoldenRuns(t *testing.T) {
	m, sets := shippedMLP(t)
	for _, name := range Methods() {
		c := DefaultConfig()
		c.Optimizer, c.Q = name, 10
		c.MaxQueries, c.EvalEvery, c.Seed = 3000, 1000, 1
		d, err := Deploy(m, sets[0], sets[1], c)
		if err != nil {
			t.Fatal(err)
		}
		r := d.Run
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

// On the method's chip the shipped MNIST 8x8 MLP loses several points at deployment, and
// SZO-SCD at its defaults (one 8-bit code, alpha 0.15, s 0.1, p 1) wins most of them
// back within 10k queries, on average over three chips (seeds).
func TestPaperChipRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("30k queries")
	}
	m, sets := shippedMLP(t)
	var drops, gains float64
	for seed := int64(1); seed <= 3; seed++ {
		c := DefaultConfig()
		c.MaxQueries, c.EvalEvery, c.Seed = 10_000, 2_000, seed
		d, err := Deploy(m, sets[0], sets[1], c)
		if err != nil {
			t.Fatal(err)
		}
		r := d.Run
		if err := r.Finish(); err != nil {
			t.Fatal(err)
		}
		deployed, best := r.Curve()[0].Accuracy, r.Best().Accuracy
		drop := m.TestAccuracy - deployed
		t.Logf("seed %d: ideal %.2f%%, deployed %.2f%%, best within 10k queries %.2f%% (%.0f%% of the drop)", seed, m.TestAccuracy, deployed, best, 100*(best-deployed)/drop)
		if drop < 2 || best <= deployed {
			t.Errorf("seed %d: ideal %.2f%%, deployed %.2f%%, best %.2f%%: want a drop of >= 2 points and a recovery", seed, m.TestAccuracy, deployed, best)
		}
		drops += drop
		gains += best - deployed
	}
	if gains < drops/2 {
		t.Errorf("over three chips SZO-SCD won back %.2f of %.2f points lost at deployment, want at least half", gains, drops)
	}
}
