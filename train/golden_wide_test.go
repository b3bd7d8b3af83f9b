package train

import (
	"fmt"
	"testing"

	"github.com/meshlight/meshlight/train/testnet"
)

// goldenWide pins the last record of short runs on the shipped wide MLPs (the 26k-phase
// mnist28-mlp and the 270k-phase mnist28-mlp256) on the method's chip, seed 1, scored on
// the first 500 test samples: the optimizers whose queries are delta queries of one phase
// (SZO-SCD) and of many (FLOPS, ZAdam's updates, ZNewton's), so that a change to the
// forward pass or the chip that alters any query's loss in its last bit shows here. The
// figures are those of the engine before delta queries followed samples and skipped zeros.
var goldenWide = map[string]string{
	"mnist28-mlp/szo-scd":    "2000 0.0013718031912476891 95.599999999999994 19214.545174285118",
	"mnist28-mlp/flops":      "250 0.023774756408142701 96 19227.676049829417",
	"mnist28-mlp/zadam":      "2500 0.0064705877648376427 95.799999999999997 19235.947274237697",
	"mnist28-mlp/znewton":    "3000 0.0034718692480945595 95.799999999999997 19221.908282066968",
	"mnist28-mlp256/szo-scd": "25000 3.3189421230761518e-07 98.400000000000006 201024.10799944063",
	"mnist28-mlp256/flops":   "62 0.00015634562283112219 98.599999999999994 201169.89753352129",
}

func TestGoldenRunsWide(t *testing.T) {
	if testing.Short() {
		t.Skip("deploys the 270k-phase chip")
	}
	for _, tc := range []struct {
		model, optimizer string
		queries          int64
	}{
		{"mnist28-mlp", "szo-scd", 2000},
		{"mnist28-mlp", "flops", 250},
		{"mnist28-mlp", "zadam", 2500},
		{"mnist28-mlp", "znewton", 3000},
		{"mnist28-mlp256", "szo-scd", 25000},
		{"mnist28-mlp256", "flops", 62},
	} {
		name := tc.model + "/" + tc.optimizer
		t.Run(name, func(t *testing.T) {
			m, tr, te, err := testnet.Shipped(tc.model)
			if err != nil {
				t.Fatal(err)
			}
			c := DefaultConfig()
			c.Optimizer, c.MaxQueries, c.EvalEvery, c.Seed = tc.optimizer, tc.queries, 1<<40, 1
			d, err := Deploy(m, tr, te.Head(500), c)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Run.Finish(); err != nil {
				t.Fatal(err)
			}
			curve := d.Run.Curve()
			last := curve[len(curve)-1]
			got := fmt.Sprintf("%d %.17g %.17g %.17g", last.Queries, last.Loss, last.Accuracy, last.Power)
			if want, ok := goldenWide[name]; !ok || got != want {
				t.Errorf("%s: last record %q, want %q", name, got, want)
			}
		})
	}
}
