package train

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/onn"
	"github.com/meshlight/meshlight/train/testnet"
)

// A Deployment's summary agrees with what an independent deployment of the same
// configuration measures, and with the run's own counts.
func TestDeploymentSummary(t *testing.T) {
	m, sets := shippedMLP(t)
	for _, name := range []string{"szo-scd", "admm", "flops"} {
		c := DefaultConfig()
		c.Optimizer, c.Seed, c.Q = name, 3, 10
		c.MaxQueries, c.MaxIterations, c.EvalEvery = 0, 8, 100
		d, err := Deploy(m, sets[0], sets[1], c)
		if err != nil {
			t.Fatal(err)
		}
		// The deployed record exists before any query and is the chip's own evaluation.
		net, err := onn.Deploy(m, c.WithDefaults().Chip())
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewProblem(net, sets[0], sets[1], c.Batch)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := d.Deployed(), p.Evaluate(); got.Accuracy != want || got.Queries != 0 || got.Power != net.Chip().Power() ||
			got.PaperPower != net.Chip().PaperPower() {
			t.Errorf("%s: deployed record %+v, want accuracy %v power %v paper power %v at 0 queries",
				name, got, want, net.Chip().Power(), net.Chip().PaperPower())
		}
		if err := d.Run.Finish(); err != nil {
			t.Fatal(err)
		}
		s := d.Summary()
		if s.Setup != c.Setup(m.Name) || s.Model != "mnist8-mlp" || s.Preset != "paper" || s.Step != DefaultStep(name, 8) {
			t.Errorf("%s: setup %+v", name, s.Setup)
		}
		last := d.Run.Curve()[len(d.Run.Curve())-1] // the chip now holds the kept state
		if s.FullPower != net.Chip().FullPower() || s.IdealAcc != m.TestAccuracy || s.PowerFinal != last.Power ||
			s.Queries != d.Run.Queries() || s.PowerInitial != d.Deployed().Power ||
			s.PaperPowerInitial != d.Deployed().PaperPower || s.PaperPowerFinal != last.PaperPower {
			t.Errorf("%s: outcome %+v", name, s.Outcome)
		}
		if want := int64(8 * d.IterationCost()); name == "flops" && s.Queries != want {
			t.Errorf("flops: %d queries in 8 iterations, want %d", s.Queries, want)
		}
		dec := s.Decisions
		switch name {
		case "szo-scd", "admm": // one query per iteration and per trial, one more per step back
			if want := 8 + dec.Accepted + 2*dec.SteppedBack + dec.Pruned + 2*dec.Held; s.Queries != want || dec.Accepted == 0 {
				t.Errorf("%s: %d queries, decisions %+v (want %d queries)", name, s.Queries, dec, want)
			}
		default:
			if dec != (Decisions{}) {
				t.Errorf("%s: decisions %+v, want none", name, dec)
			}
		}
		if (name == "admm") != (s.Multiplier > 0) || (name == "admm") != (s.Lambda > 0) || (name == "flops") != (s.Mu > 0) {
			t.Errorf("%s: multiplier %v lambda %v mu %v", name, s.Multiplier, s.Lambda, s.Mu)
		}
		// The JSON form round-trips, with every field under one name.
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back Summary
		dj := json.NewDecoder(bytes.NewReader(b))
		dj.DisallowUnknownFields()
		if err := dj.Decode(&back); err != nil || back != s {
			t.Errorf("%s: JSON round trip %+v, %v; want %+v", name, back, err, s)
		}
	}
}

// The step a summary states is the one the chip takes: whole codes.
func TestSetupStepIsProgrammable(t *testing.T) {
	c := DefaultConfig()
	c.Bits, c.Step = 6, 0.2
	if got, want := c.Setup("x").Step, 2*2*math.Pi/64; math.Abs(got-want) > 1e-15 {
		t.Errorf("step %v, want two 6-bit codes %v", got, want)
	}
	c.Bits = 0
	if got := c.Setup("x").Step; got != 0.2 {
		t.Errorf("continuous chip: step %v, want 0.2", got)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	curve := []Record{
		{Queries: 0, Step: 0.02454369260617026, Loss: math.NaN(), Accuracy: 90.7, Power: 123.456789, PaperPower: 234.5, Energy: 0},
		{Queries: 1 << 60, Iteration: 1 << 30, Epoch: 12, Step: 1e-300, Loss: 0.1 + 0.2, Accuracy: 100, Power: math.Pi, PaperPower: 2 * math.Pi, Energy: 1.5e300},
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, curve); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCSV(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(curve) {
		t.Fatalf("%d records, want %d", len(got), len(curve))
	}
	for i := range curve {
		w, g := curve[i], got[i]
		if math.IsNaN(w.Loss) && math.IsNaN(g.Loss) {
			w.Loss, g.Loss = 0, 0
		}
		if g != w {
			t.Errorf("record %d: %+v, want %+v", i, g, w)
		}
	}
}

func TestReadCSVErrors(t *testing.T) {
	row := "5,1,0,0.02,NaN,90,91,100,120,500"
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "empty"},
		{"other header", "queries,loss\n" + row, "line 1: header"},
		{"header with a column more", CSVHeader + ",x\n" + row + ",1", "line 1: header"},
		{"header of curves before validation and paper power", "queries,iteration,epoch,step,loss,accuracy,power,energy\n5,1,0,0.02,NaN,90,100,500", "line 1: header"},
		{"header only", CSVHeader + "\n", "no records"},
		{"short line", CSVHeader + "\n" + row + "\n5,1,0,0.02,NaN,90,91,100,500", "line 3: 9 fields, want 10"},
		{"negative count", CSVHeader + "\n-5,1,0,0.02,NaN,90,91,100,120,500", "line 2: field 1 (queries)"},
		{"bad valid", CSVHeader + "\n5,1,0,0.02,NaN,90,v,100,120,500", "line 2: field 7 (valid)"},
		{"bad power", CSVHeader + "\n5,1,0,0.02,NaN,90,91,x,120,500", "line 2: field 8 (power)"},
		{"bad paper power", CSVHeader + "\n5,1,0,0.02,NaN,90,91,100,y,500", "line 2: field 9 (paper_power)"},
		{"bad energy", CSVHeader + "\n5,1,0,0.02,NaN,90,91,100,120,z", "line 2: field 10 (energy)"},
		{"huge iteration", CSVHeader + "\n5,9999999999,0,0.02,NaN,90,91,1,1,500", "line 2: field 2 (iteration)"},
	} {
		if _, err := ReadCSV(strings.NewReader(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %q: error %v, want %q", tc.name, tc.in, err, tc.want)
		}
	}
}

// With SigmaPerBlock the shipped model deploys on an ideal chip with the model's own
// weights, as without it, but from other Sigma phases: each block's largest singular
// value at phase 0.
func TestSigmaPerBlock(t *testing.T) {
	m, sets := shippedMLP(t)
	want, err := m.Weights()
	if err != nil {
		t.Fatal(err)
	}
	ideal, err := photonics.LookupPreset("ideal")
	if err != nil {
		t.Fatal(err)
	}
	chips := map[bool]*photonics.Chip{}
	for _, perBlock := range []bool{false, true} {
		c := DefaultConfig()
		c.SetChip(ideal)
		c.SigmaPerBlock, c.MaxIterations = perBlock, 1
		d, err := Deploy(m, sets[0], sets[1], c)
		if err != nil {
			t.Fatal(err)
		}
		chip := d.Net.Chip()
		chips[perBlock] = chip
		for l := range want {
			if dw := testnet.MaxDiff(chip.LayerWeights(l), want[l]); dw > 1e-12 {
				t.Errorf("per block %v: layer %d: weights differ from the model's by %.3g", perBlock, l, dw)
			}
		}
		if got := d.Deployed().Accuracy; got != m.TestAccuracy {
			t.Errorf("per block %v: deployed accuracy %v on an ideal chip, want the model's %v", perBlock, got, m.TestAccuracy)
		}
		if s := d.Summary(); s.SigmaPerBlock != perBlock || strings.Contains(mustJSON(t, s), `"sigma_per_block"`) != perBlock {
			t.Errorf("per block %v: summary says %v: %s", perBlock, s.SigmaPerBlock, mustJSON(t, s))
		}
	}
	plain, block := chips[false], chips[true]
	moved := 0
	for li, l := range block.Layers() {
		off := block.Layout().LayerOffset(li)
		for b := range l.NumBlocks() {
			s0 := off + b*l.BlockPhases() + l.U.NumPhases()
			top, topV := 0, 0.0
			for k := range l.SigmaLen {
				// The plain chip holds the model's phases: its Sigma is 3 cos(phi).
				if v := l.Bound * math.Cos(plain.Phase(s0+k)); math.Abs(v) > math.Abs(topV) {
					top, topV = k, v
				}
				if block.Phase(s0+k) != plain.Phase(s0+k) {
					moved++
				}
			}
			if p := block.Phase(s0 + top); topV <= 0 || p != 0 {
				t.Errorf("layer %d block %d: largest Sigma %.4g at phase %v with per-block gains, want 0", li, b, topV, p)
			}
		}
	}
	if moved == 0 {
		t.Error("per-block gains moved no Sigma phase")
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
