package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/train"
)

// copyTree copies the regular files under src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// editJSON changes one field of a run's JSON.
func editJSON(key string, value any) func(t *testing.T, run string) {
	return func(t *testing.T, run string) {
		b, err := os.ReadFile(run + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		v[key] = value
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(run+".json", b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func rewrite(ext string, f func([]byte) []byte) func(t *testing.T, run string) {
	return func(t *testing.T, run string) {
		b, err := os.ReadFile(run + ext)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(run+ext, f(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A resumed sweep recognises a finished run by its content: a run file cut short, from
// another -scale or with other settings is run again (it used to be skipped because it
// existed, and the report then failed or showed the old run), and the report that
// follows is whole.
func TestResumeChecksRunFiles(t *testing.T) {
	models, data := fixture(t)
	common := []string{"-models", models, "-data", data, "-experiments", "fig6", "-seeds", "1", "-jobs", "2"}
	base := t.TempDir()
	if code, log := reproduceCLI(t, append(common, "-out", base, "-scale", "0.002")...); code != 0 {
		t.Fatalf("first sweep: exit %d: %s", code, log)
	}
	runs, _ := filepath.Glob(filepath.Join(base, "runs", "*", "*", "*.json"))
	if len(runs) != 12 {
		t.Fatalf("%d runs, want 12: %v", len(runs), runs)
	}
	rel, _ := filepath.Rel(base, strings.TrimSuffix(runs[0], ".json"))
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, run string) // on the first run
		scale  string
		want   string // the count line
		why    string // the reason given for the run done again
	}{
		{"finished", nil, "0.002", ": 0 to run (0 of them again)", ""},
		{"json cut short", rewrite(".json", func(b []byte) []byte { return b[:len(b)/2] }), "0.002", ": 1 to run (1 of them again)", "unexpected EOF"},
		{"json empty", rewrite(".json", func([]byte) []byte { return nil }), "0.002", ": 1 to run (1 of them again)", ".json: EOF"},
		{"json with data after", rewrite(".json", func(b []byte) []byte { return append(b, "{}"...) }), "0.002", ": 1 to run (1 of them again)", "data after the result"},
		{"json not an object", rewrite(".json", func([]byte) []byte { return []byte("[1]") }), "0.002", ": 1 to run (1 of them again)", "cannot unmarshal array"},
		{"json missing", func(t *testing.T, run string) { os.Remove(run + ".json") }, "0.002", ": 1 to run (0 of them again)", ""},
		{"curve missing", func(t *testing.T, run string) { os.Remove(run + ".csv") }, "0.002", ": 1 to run (1 of them again)", "the curve of"},
		{"curve without records", rewrite(".csv", func(b []byte) []byte { return b[:bytes.IndexByte(b, '\n')+1] }), "0.002", ": 1 to run (1 of them again)", ".csv: no records"},
		{"curve cut short", rewrite(".csv", func(b []byte) []byte { return b[:bytes.LastIndexByte(b[:len(b)-1], '\n')+1] }), "0.002", ": 1 to run (1 of them again)", "the curve does not end at the run's"},
		// another -scale names other runs (the key holds the budget): all six run anew
		{"other scale", nil, "0.004", ": 12 to run (0 of them again)", ""},
		{"other budget", editJSON("budget", 123), "0.002", ": 1 to run (1 of them again)", "budget is 123, this run's is 400"},
		{"other optimizer", editJSON("optimizer", "zadam"), "0.002", ": 1 to run (1 of them again)", `optimizer is zadam, this run's is szo-scd`},
		{"other alpha", editJSON("alpha", 0.2), "0.002", ": 1 to run (1 of them again)", "alpha is 0.2, this run's is"},
		{"other step", editJSON("step", 0.5), "0.002", ": 1 to run (1 of them again)", "step is 0.5"},
		{"other p", editJSON("p", 0.3), "0.002", ": 1 to run (1 of them again)", "p is 0.3"},
		{"other mu", editJSON("mu", 0.1), "0.002", ": 1 to run (1 of them again)", "mu is 0.1, this run's is 0"},
		{"other lambda", editJSON("lambda", 2), "0.002", ": 1 to run (1 of them again)", "lambda is 2"},
		{"other power budget", editJSON("power_budget", 0.5), "0.002", ": 1 to run (1 of them again)", "power_budget is 0.5"},
		{"other gamma std", editJSON("gamma_std", 0.01), "0.002", ": 1 to run (1 of them again)", "gamma_std is 0.01"},
		{"other V_pi", editJSON("vpi", 5), "0.002", ": 1 to run (1 of them again)", "vpi is 5"},
		{"other crosstalk", editJSON("crosstalk", 0.5), "0.002", ": 1 to run (1 of them again)", "crosstalk is 0.5"},
		{"other bits", editJSON("bits", 6), "0.002", ": 1 to run (1 of them again)", "bits is 6, this run's is 8"},
		{"heat all", editJSON("heat_all", true), "0.002", ": 1 to run (1 of them again)", "heat_all is true, this run's is false"},
		{"other seed", editJSON("seed", 7), "0.002", ": 1 to run (1 of them again)", "seed is 7, this run's is 1"},
		{"other model", editJSON("model", "vowel-mlp"), "0.002", ": 1 to run (1 of them again)", "model is vowel-mlp, this run's is mnist8-mlp"},
		{"other chip", editJSON("chip", "strong"), "0.002", ": 1 to run (1 of them again)", "chip is strong, this run's is paper"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			copyTree(t, base, out)
			if tc.damage != nil {
				tc.damage(t, filepath.Join(out, rel))
			}
			code, log := reproduceCLI(t, append(common, "-out", out, "-scale", tc.scale)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, log)
			}
			if !strings.Contains(log, tc.want) {
				t.Errorf("log %q, want %q", log, tc.want)
			}
			if tc.why != "" && (!strings.Contains(log, "reproduce: run again: ") || !strings.Contains(log, tc.why)) {
				t.Errorf("log %q, want the reason %q", log, tc.why)
			}
			// Every run is now this sweep's, and the report was written from them.
			code, log = reproduceCLI(t, append(common, "-out", out, "-scale", tc.scale)...)
			if code != 0 || !strings.Contains(log, ": 0 to run (0 of them again)") {
				t.Errorf("after the rerun: exit %d, %q; want nothing to run", code, log)
			}
			if _, err := os.Stat(filepath.Join(out, "REPORT.md")); err != nil {
				t.Error(err)
			}
		})
	}
}

// Outputs are replaced, never rewritten in place: a second name (hard link) of the old
// report, CSV, plot and run files keeps the old content (os.WriteFile and os.Create used
// to truncate and rewrite them), and no temporary file is left behind.
func TestOutputsReplacedAtomically(t *testing.T) {
	models, data := fixture(t)
	out := t.TempDir()
	args := []string{"-models", models, "-data", data, "-experiments", "fig6", "-seeds", "1", "-jobs", "2", "-scale", "0.002", "-out", out}
	if code, log := reproduceCLI(t, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, log)
	}
	runs, _ := filepath.Glob(filepath.Join(out, "runs", "*", "*", "*.json"))
	run := strings.TrimSuffix(runs[0], ".json")
	files := []string{filepath.Join(out, "REPORT.md"), filepath.Join(out, "fig6.csv"), filepath.Join(out, "fig6-paper.png"), run + ".json", run + ".csv"}
	old := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		old[f] = b
		if err := os.Link(f, f+".old"); err != nil {
			t.Fatal(err)
		}
	}
	if code, log := reproduceCLI(t, append(args, "-force")...); code != 0 {
		t.Fatalf("-force: exit %d: %s", code, log)
	}
	for _, f := range files {
		b, err := os.ReadFile(f + ".old")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, old[f]) {
			t.Errorf("%s was rewritten in place: its other name changed", filepath.Base(f))
		}
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", filepath.Base(f), st.Mode().Perm())
		}
	}
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", p)
		}
		return err
	})
}

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, path, err string
	}{
		{"new file", filepath.Join(dir, "a.txt"), ""},
		{"over a file", filepath.Join(dir, "a.txt"), ""},
		{"missing folder", filepath.Join(dir, "no", "a.txt"), "no such file"},
		{"over a folder", dir, "file exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := writeAtomic(tc.path, []byte(tc.name))
			if tc.err == "" {
				if b, rerr := os.ReadFile(tc.path); err != nil || rerr != nil || string(b) != tc.name {
					t.Fatalf("writeAtomic: %v; read back %q, %v", err, b, rerr)
				}
			} else if err == nil || !strings.Contains(strings.ToLower(err.Error()), tc.err) { // js/wasm capitalises
				t.Fatalf("writeAtomic = %v, want an error with %q", err, tc.err)
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// Every committed run file is a result in today's form: strict decoding (no unknown or
// renamed field) of one of each optimizer's; and one curve of each optimizer's reads
// (the committed curves predate the paper_power column).
func TestCommittedResultsDecode(t *testing.T) {
	seen := map[string]bool{}
	files, err := filepath.Glob("../../../results/runs/*/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no committed runs (%v)", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r result
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if r.Config == "" || r.Model == "" || r.Queries == 0 || r.WallS == 0 {
			t.Errorf("%s: decoded %+v", f, r)
		}
		if !seen[r.Optimizer] {
			c, err := readCurve(strings.TrimSuffix(f, ".json") + ".csv")
			if err != nil {
				t.Fatal(err)
			}
			if last := c[len(c)-1]; last.Queries != r.Queries || last.Power != r.PowerFinal {
				t.Errorf("%s: curve ends at %d queries, power %v; run %d, %v", f, last.Queries, last.Power, r.Queries, r.PowerFinal)
			}
		}
		seen[r.Optimizer] = true
	}
	if len(seen) != len(train.Methods()) {
		t.Errorf("optimizers in the committed runs: %v, want all of %v", seen, train.Methods())
	}
}

// The committed runs resume: planning make reproduce's default runs (three seeds, full
// budgets) over results/ finds every one finished and of its job, so a change of the
// configuration's types or of a run's key reruns nothing.
func TestCommittedResultsResume(t *testing.T) {
	o := options{out: "../../../results", seeds: 3, scale: 1, shards: 1}
	jobs := plan(o)
	if len(jobs) == 0 {
		t.Fatal("no jobs planned")
	}
	again := 0
	for _, j := range jobs {
		if _, _, err := j.finished(o.out); err != nil {
			again++
			if again <= 5 {
				t.Errorf("%s would run again: %v", j.path("", ""), err)
			}
		}
	}
	if again > 0 {
		t.Fatalf("%d of %d planned runs would run again", again, len(jobs))
	}
	t.Logf("%d planned runs, all finished", len(jobs))
}

// A stored run whose chip differs from the job's in one field is named by that field, as
// the run's JSON spells it (the chip's fields sit in an embedded photonics.Hardware).
func TestDiffNamesChipFields(t *testing.T) {
	base := train.DefaultConfig().Setup("m")
	for _, tc := range []struct {
		field string
		edit  func(s *train.Setup)
	}{
		{"chip", func(s *train.Setup) { s.Preset = "strong" }},
		{"gamma_std", func(s *train.Setup) { s.GammaStd = 3e-3 }},
		{"heat_all", func(s *train.Setup) { s.HeatAll = true }},
		{"bits", func(s *train.Setup) { s.Bits = 6 }},
		{"seed", func(s *train.Setup) { s.Seed = 9 }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			got := base
			tc.edit(&got)
			if field, _, _ := diff(got, base); field != tc.field {
				t.Errorf("diff names %q, want %q", field, tc.field)
			}
		})
	}
	if field, _, _ := diff(base, base); field != "" {
		t.Errorf("equal setups differ in %q", field)
	}
}
