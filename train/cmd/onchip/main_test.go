package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/train/testnet"
)

// fixture writes a small model file (an MLP fitted in Go to Gaussian blobs) and its
// data files in the shipped layout and returns the model path and the model's
// ideal-chip accuracy by the model package's own forward pass.
func fixture(t *testing.T) (string, float64) {
	t.Helper()
	m, path, err := testnet.WriteShipped(t.TempDir(), "blobs-mlp")
	if err != nil {
		t.Fatal(err)
	}
	return path, m.TestAccuracy
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestRun(t *testing.T) {
	path, ideal := fixture(t)
	csv := filepath.Join(t.TempDir(), "curve.csv")
	code, out, errOut := runCLI("-model", path, "-chip", "ideal", "-queries", "3000", "-eval", "1000", "-seed", "3", "-csv", csv)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var s train.Summary
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("stdout %q: %v", out, err)
	}
	var fields map[string]any
	json.Unmarshal([]byte(out), &fields)
	for _, k := range []string{"model", "optimizer", "alpha", "s", "p", "seed", "queries", "deployed_acc", "final_acc", "best_acc", "power_initial", "power_final", "paper_power_initial", "paper_power_final", "energy", "wall_s", "chip", "gamma_std", "vpi", "crosstalk", "bits", "step"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
	if s.DeployedAcc != ideal {
		t.Errorf("ideal chip: deployed_acc %v, model test_accuracy %v", s.DeployedAcc, ideal)
	}
	if s.Model != "blobs-mlp" || s.Optimizer != "szo-scd" || s.Alpha != 0.15 || s.S != 0.1 || s.P != 1 || s.Seed != 3 {
		t.Errorf("summary settings %+v", s)
	}
	if s.Queries < 3000 || s.BestAcc < s.FinalAcc || s.BestAcc < s.DeployedAcc || !(s.Energy > 0) || !(s.PowerFinal > 0) ||
		s.PaperPowerFinal < s.PowerFinal || s.SigmaPerBlock {
		t.Errorf("summary %+v", s)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	data, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(data)), "\n")
	if rows[0] != train.CSVHeader || len(rows) != len(lines)+1 || len(lines) < 4 {
		t.Errorf("%d progress lines, CSV of %d rows starting %q", len(lines), len(rows), rows[0])
	}
	last := strings.Split(rows[len(rows)-1], ",")
	if last[0] != strconv.FormatInt(s.Queries, 10) {
		t.Errorf("last CSV row %v, summary queries %d", last, s.Queries)
	}

	// the same seed gives the same run
	csv2 := filepath.Join(t.TempDir(), "curve.csv")
	code, out2, _ := runCLI("-model", path, "-chip", "ideal", "-queries", "3000", "-eval", "1000", "-seed", "3", "-csv", csv2)
	var s2 train.Summary
	json.Unmarshal([]byte(out2), &s2)
	s.WallS, s2.WallS = 0, 0
	data2, _ := os.ReadFile(csv2)
	if code != 0 || s != s2 || !bytes.Equal(data, data2) {
		t.Errorf("a second run differs: %+v vs %+v", s, s2)
	}
}

// Noise lowers the deployed accuracy and the optimizers bring it back up.
func TestNoisyRun(t *testing.T) {
	path, ideal := fixture(t)
	for _, opt := range []string{"szo-scd", "flops"} {
		code, out, errOut := runCLI("-model", path, "-optimizer", opt, "-gamma-std", "0.008", "-crosstalk", "0.05", "-alpha", "0.3", "-s", "0.3", "-q", "20", "-queries", "15000")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", opt, code, errOut)
		}
		var s train.Summary
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: ideal %.1f, deployed %.1f, final %.1f, best %.1f", opt, ideal, s.DeployedAcc, s.FinalAcc, s.BestAcc)
		if s.DeployedAcc > ideal-10 || s.BestAcc < s.DeployedAcc+10 {
			t.Errorf("%s: ideal %.1f, deployed %.1f, best %.1f: want a drop and a recovery of 10 points", opt, ideal, s.DeployedAcc, s.BestAcc)
		}
	}
}

func TestBadInput(t *testing.T) {
	path, _ := fixture(t)
	dir := filepath.Dir(filepath.Dir(path))
	corrupt := filepath.Join(dir, "models", "corrupt.json")
	good, _ := os.ReadFile(path)
	os.WriteFile(corrupt, good[:len(good)/2], 0o644)
	nodata := filepath.Join(t.TempDir(), "lonely.json")
	os.WriteFile(nodata, good, 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "-model"},
		{[]string{"-model", path, "-alpha", "0"}, "-alpha 0: out of range [1e-06, 1]"},
		{[]string{"-model", path, "-alpha", "1.5"}, "-alpha 1.5"},
		{[]string{"-model", path, "-s", "0"}, "-s 0"},
		{[]string{"-model", path, "-s", "1.01"}, "-s 1.01"},
		{[]string{"-model", path, "-p", "-0.5"}, "-p -0.5"},
		{[]string{"-model", path, "-p", "1.5"}, "-p 1.5"},
		{[]string{"-model", path, "-queries", "-1"}, "-queries -1"},
		{[]string{"-model", path, "-queries", "0"}, "-queries 0"},
		{[]string{"-model", path, "-optimizer", "adam"}, "-optimizer adam"},
		{[]string{"-model", path, "-gamma-std", "-1"}, "-gamma-std -1"},
		{[]string{"-model", path, "-vpi", "-4"}, "-vpi -4"},
		{[]string{"-model", path, "-bits", "17"}, "-bits 17: out of range [0, 16]"},
		{[]string{"-model", path, "-bits", "-1"}, "-bits -1"},
		{[]string{"-model", path, "-chip", "lab"}, "-chip lab: unknown chip preset (known: paper, ideal, strong)"},
		// The page's rules (issue 19 item 7): a seed from 0 to 2^53, decimal numbers only,
		// V_pi and alpha within physical bounds, booleans true/false/1/0.
		{[]string{"-model", path, "-seed", "-1"}, "-seed -1: out of range [0, 9007199254740992]"},
		{[]string{"-model", path, "-p", "0x1p-3"}, "-p 0x1p-3: not a decimal number"},
		{[]string{"-model", path, "-alpha", "0x1p-3"}, "-alpha 0x1p-3: not a decimal number"},
		{[]string{"-model", path, "-vpi", "1e-300"}, "-vpi 1e-300: out of range [0.1, 100]"},
		{[]string{"-model", path, "-alpha", "1e-320"}, "-alpha 1e-320: too small"},
		{[]string{"-model", path, "-s", "1e-300"}, "-s 1e-300: out of range [1e-06, 1]"},
		{[]string{"-model", path, "-heat-all=yes"}, "-heat-all yes: not a boolean"},
		{[]string{"-model", path, "-decay", "0x1p-1"}, "-decay"},
		{[]string{"-model", path, "-queries", "1_000"}, "-queries: not an integer"},
		{[]string{"-model", path, "-shadow=t"}, "-shadow: not a boolean"},
		{[]string{"-model", path, "-lr", "0.005"}, "-lr 0.005: want at least one control code"},
		{[]string{"-model", path, "-optimizer", "zadam", "-mu", "0.01"}, "-mu 0.01: want at least one control code"},
		{[]string{"-model", path, "-optimizer", "admm", "-budget", "0"}, "-budget 0"},
		{[]string{"-model", path, "-crosstalk", "NaN"}, "-crosstalk NaN"},
		{[]string{"-model", path, "-lr", "-0.1"}, "-lr -0.1"},
		{[]string{"-model", path, "-batch", "0"}, "-batch 0"},
		{[]string{"-model", path, "-q", "0"}, "-q 0"},
		{[]string{"-model", path, "-optimizer", "flops", "-q", "1000000000", "-queries", "1000"}, "-q 1000000000: want 1 <= q <= 1000000"},
		{[]string{"-model", path, "-batch", "1000000000"}, "-batch 1000000000: want 1 <= batch <= 256, the training set's size"},
		{[]string{"-model", path, "-alpha", "x"}, "-alpha"},
		{[]string{"-model", path, "extra"}, "unexpected argument"},
		{[]string{"-model", filepath.Join(dir, "missing.json")}, "missing.json"},
		{[]string{"-model", corrupt}, "corrupt.json"},
		{[]string{"-model", nodata}, "blobs-train.bin.gz"},
		{[]string{"-model", path, "-csv", filepath.Join(dir, "no", "such", "dir.csv")}, "-csv"},
	} {
		code, out, errOut := runCLI(tc.args...)
		if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line naming %q", tc.args, code, out, errOut, tc.want)
		}
		if strings.Contains(errOut, "goroutine") {
			t.Errorf("%v: stack trace on stderr", tc.args)
		}
	}
	if code, _, _ := runCLI("-h"); code != 0 {
		t.Errorf("-h: exit %d", code)
	}
}

// The default chip is the method's; a preset sets the chip and explicit flags change
// single properties of it.
func TestChipFlags(t *testing.T) {
	path, _ := fixture(t)
	for _, tc := range []struct {
		args                []string
		chip                string
		gammaStd, crosstalk float64
		bits                int
		step                float64
		perBlock            bool
	}{
		{nil, "paper", 2e-3, 2e-3, 8, 2 * 3.141592653589793 / 256, false},
		{[]string{"-chip", "ideal", "-bits", "8"}, "ideal", 0, 0, 8, 2 * 3.141592653589793 / 256, false},
		{[]string{"-chip", "strong", "-crosstalk", "0"}, "strong", 3e-3, 0, 8, 2 * 3.141592653589793 / 256, false},
		{[]string{"-bits", "6", "-lr", "0.2"}, "paper", 2e-3, 2e-3, 6, 2 * 3.141592653589793 / 64 * 2, false},
		{[]string{"-sigma-per-block"}, "paper", 2e-3, 2e-3, 8, 2 * 3.141592653589793 / 256, true},
	} {
		args := append([]string{"-model", path, "-queries", "500"}, tc.args...)
		code, out, errOut := runCLI(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errOut)
		}
		var s train.Summary
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatal(err)
		}
		if s.Preset != tc.chip || s.GammaStd != tc.gammaStd || s.Crosstalk != tc.crosstalk || s.Bits != tc.bits || s.VPi != 4.36 ||
			math.Abs(s.Step-tc.step) > 1e-15 || s.SigmaPerBlock != tc.perBlock {
			t.Errorf("%v: summary chip %q gamma std %v crosstalk %v bits %d V_pi %v step %v per-block Sigma %v; want %q %v %v %d 4.36 %v %v",
				tc.args, s.Preset, s.GammaStd, s.Crosstalk, s.Bits, s.VPi, s.Step, s.SigmaPerBlock, tc.chip, tc.gammaStd, tc.crosstalk, tc.bits, tc.step, tc.perBlock)
		}
	}
}
