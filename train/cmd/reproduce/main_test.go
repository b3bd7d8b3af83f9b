package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/train/testnet"
)

// fixture writes an MLP fitted in Go to Gaussian blobs as models/mnist8-mlp.json (the
// MLP experiments' file name) and its data as data/blobs-*.bin.gz.
func fixture(t *testing.T) (models, data string) {
	t.Helper()
	dir := t.TempDir()
	if _, _, err := testnet.WriteShipped(dir, "mnist8-mlp"); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "models"), filepath.Join(dir, "data")
}

func reproduceCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var e bytes.Buffer
	code := run(args, &e)
	return code, e.String()
}

// Two shards into one folder and a report give the tables of one unsharded run; a
// second invocation resumes with nothing to do.
func TestShardsAndReport(t *testing.T) {
	models, data := fixture(t)
	common := []string{"-models", models, "-data", data, "-experiments", "table1,fig6", "-seeds", "2", "-scale", "0.002", "-jobs", "2"}
	whole := t.TempDir()
	if code, log := reproduceCLI(t, append(common, "-out", whole)...); code != 0 {
		t.Fatalf("exit %d: %s", code, log)
	}
	sharded := t.TempDir()
	for _, s := range []string{"0/2", "1/2"} {
		if code, log := reproduceCLI(t, append(common, "-out", sharded, "-shard", s)...); code != 0 {
			t.Fatalf("shard %s: exit %d: %s", s, code, log)
		}
	}
	if _, err := os.Stat(filepath.Join(sharded, "REPORT.md")); err == nil {
		t.Error("a shard wrote the report")
	}
	if code, log := reproduceCLI(t, append(common, "-out", sharded, "-report-only")...); code != 0 {
		t.Fatalf("report: exit %d: %s", code, log)
	}
	for _, f := range []string{"table1.csv", "fig6.csv"} {
		a, err := os.ReadFile(filepath.Join(whole, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(sharded, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the sharded and the whole run", f)
		}
		// a header and one row per (chip, variant): table1 24 x 2, fig6 12 x 1
		if rows := strings.Count(string(a), "\n") - 1; rows != map[string]int{"table1.csv": 48, "fig6.csv": 12}[f] {
			t.Errorf("%s has %d rows", f, rows)
		}
	}
	report, err := os.ReadFile(filepath.Join(whole, "REPORT.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Claims and verdicts", "recovers most of the deployment drop", "ends above every baseline",
		"pruning p = 1", "90% less power", "![table1 paper](table1-paper.png)", "| SZO-SCD dense |"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("REPORT.md lacks %q", want)
		}
	}
	for _, png := range []string{"table1-paper.png", "table1-strong.png", "fig6-paper.png"} {
		if b, err := os.ReadFile(filepath.Join(whole, png)); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("%s: not a PNG (%v)", png, err)
		}
	}
	code, log := reproduceCLI(t, append(common, "-out", whole)...)
	if code != 0 || !strings.Contains(log, ": 0 to run") {
		t.Errorf("rerun: exit %d, %q; want nothing to run", code, log)
	}
}

func TestBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-shard", "2/2"}, "-shard"},
		{[]string{"-shard", "x"}, "-shard"},
		{[]string{"-experiments", "table9"}, "unknown experiment \"table9\""},
		{[]string{"-scale", "0"}, "-scale 0"},
		{[]string{"-scale", "0x1p-1"}, "-scale"},
		{[]string{"-seeds", "0"}, "-seeds 0"},
		{[]string{"-jobs", "0"}, "-jobs 0"},
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"-seal", "-plan"}, "choose one"},
		{[]string{"-plan", "-report-only"}, "choose one"},
		{[]string{"-seal", "-force"}, "-seal and -force"},
	} {
		code, log := reproduceCLI(t, tc.args...)
		if code != 2 || strings.Count(log, "\n") != 1 || !strings.Contains(log, tc.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and one line with %q", tc.args, code, log, tc.want)
		}
	}
	models, data := fixture(t)
	code, log := reproduceCLI(t, "-models", models, "-data", data, "-out", t.TempDir(), "-report-only")
	if code != 1 || !strings.Contains(log, "no finished runs") {
		t.Errorf("empty report: exit %d, %q", code, log)
	}
	code, log = reproduceCLI(t, "-models", t.TempDir(), "-data", data, "-out", t.TempDir(), "-experiments", "fig5", "-scale", "0.001", "-seeds", "1")
	if code != 1 || !strings.Contains(log, "mnist8-mlp.json") {
		t.Errorf("missing model: exit %d, %q", code, log)
	}
}

// One configuration at two budgets is two runs: Fig. 6c's 2M-query runs are not Fig. 6's
// 200k-query runs of the same settings, nor is a tuning run Table 1's.
func TestPlanKeepsBudgetsApart(t *testing.T) {
	o := options{seeds: 3, scale: 1, only: map[string]bool{"fig6": true, "fig6c": true, "tune": true, "table1": true}}
	budgets := map[int64]int{}
	paths := map[string]bool{}
	for _, j := range plan(o) {
		budgets[j.Cfg.MaxQueries]++
		if paths[j.path("", "")] {
			t.Errorf("two jobs at %s", j.path("", ""))
		}
		paths[j.path("", "")] = true
	}
	// tune: 30 at 100k; table1: 24 x 2 chips x 3 seeds, fig6: 10 x 3 (its p=1 and margin
	// p=1 are table1's SZO-SCD and SZO-SCD margin) at 200k; fig6c: 5 at 2M.
	want := map[int64]int{tuneQueries: 30, mlpQueries: 24*2*3 + 10*3, longQueries: 5}
	for q, n := range want {
		if budgets[q] != n {
			t.Errorf("%d jobs at %d queries, want %d (all: %v)", budgets[q], q, n, budgets)
		}
	}
}

// Every ablation switch names its runs apart: a run file of one is never taken for the
// other's.
func TestConfigKeyNamesAblations(t *testing.T) {
	base := train.DefaultConfig()
	keys := map[string]string{"default": configKey(base)}
	for name, set := range map[string]func(*train.Config){
		"stale":           func(c *train.Config) { c.Stale = true },
		"shadow":          func(c *train.Config) { c.Shadow = true },
		"sigma per block": func(c *train.Config) { c.SigmaPerBlock = true },
		"heat all":        func(c *train.Config) { c.HeatAll = true },
	} {
		c := base
		set(&c)
		k := configKey(c)
		for other, ok := range keys {
			if ok == k {
				t.Errorf("%s and %s share the key %q", name, other, k)
			}
		}
		keys[name] = k
	}
	if k := keys["sigma per block"]; !strings.HasSuffix(k, "_sigmablock") {
		t.Errorf("sigma per block: key %q, want the suffix _sigmablock", k)
	}
}
