package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sweep runs fig6 once (12 runs of one seed at a small scale) into a folder and returns
// the flags to run it again, the folder and the runs' paths without extension.
func sweep(t *testing.T) (common []string, base string, runs []string) {
	t.Helper()
	models, data := fixture(t)
	common = []string{"-models", models, "-data", data, "-experiments", "fig6", "-seeds", "1", "-jobs", "2", "-scale", "0.002"}
	base = t.TempDir()
	if code, log := reproduceCLI(t, append(common, "-out", base)...); code != 0 {
		t.Fatalf("first sweep: exit %d: %s", code, log)
	}
	files, _ := filepath.Glob(filepath.Join(base, "runs", "*", "*", "*.json"))
	if len(files) != 12 {
		t.Fatalf("%d runs, want 12: %v", len(files), files)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(base, strings.TrimSuffix(f, ".json"))
		runs = append(runs, rel)
	}
	return common, base, runs
}

// bumpLastDigit adds one (mod 10) to the last digit of a number's text.
func bumpLastDigit(t *testing.T, num string) string {
	t.Helper()
	last := num[len(num)-1]
	if last < '0' || last > '9' {
		t.Fatalf("%q does not end in a digit", num)
	}
	return num[:len(num)-1] + string('0'+(last-'0'+1)%10)
}

// jsonNumber matches a member of a run's indented JSON and its number.
func jsonNumber(key string) *regexp.Regexp {
	return regexp.MustCompile(`("` + key + `": )(-?[0-9.eE+-]+)`)
}

// changeJSONDigit changes the last digit of a numeric member of the run's JSON, in its
// text (as an editor or a bad disk would, leaving the rest byte for byte), and returns
// the new value's text.
func changeJSONDigit(t *testing.T, run, key string) string {
	t.Helper()
	b, err := os.ReadFile(run + ".json")
	if err != nil {
		t.Fatal(err)
	}
	m := jsonNumber(key).FindSubmatchIndex(b)
	if m == nil {
		t.Fatalf("%s.json has no %s", run, key)
	}
	num := bumpLastDigit(t, string(b[m[4]:m[5]]))
	b = append(append(append([]byte{}, b[:m[4]]...), num...), b[m[5]:]...)
	if err := os.WriteFile(run+".json", b, 0o644); err != nil {
		t.Fatal(err)
	}
	return num
}

// changeCSVDigit changes the last digit of one field of one line (0: the header) of the
// run's curve, and returns the field's old and new text.
func changeCSVDigit(t *testing.T, run string, line, field int) (old, now string) {
	t.Helper()
	b, err := os.ReadFile(run + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if line < 0 {
		line += len(lines)
	}
	f := strings.Split(lines[line], ",")
	old = f[field]
	f[field] = bumpLastDigit(t, old)
	lines[line] = strings.Join(f, ",")
	if err := os.WriteFile(run+".csv", []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return old, f[field]
}

// shortest is a number's text as Go prints its float64 (%v).
func shortest(t *testing.T, num string) string {
	t.Helper()
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// unseal rewrites a run's JSON as the command wrote it before runs were sealed: without
// its last two members, curve_sha256 and sha256.
var sealMembers = regexp.MustCompile(`,\n  "curve_sha256": "[0-9a-f]{64}",\n  "sha256": "[0-9a-f]{64}"\n}\n$`)

func unseal(t *testing.T, run string) {
	t.Helper()
	b, err := os.ReadFile(run + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if !sealMembers.Match(b) {
		t.Fatalf("%s.json does not end in its seal: %s", run, b)
	}
	if err := os.WriteFile(run+".json", sealMembers.ReplaceAll(b, []byte("\n}\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A resumed sweep trusts a run only as it was written: a digit changed in a run's JSON or
// in its curve, or a JSON without a seal (it used to resume all of them, and a changed
// final_acc went into the report and the figures), is run again with one line naming the
// run and why; an untouched or merely re-indented sealed run is resumed.
func TestResumeChecksSeals(t *testing.T) {
	common, base, runs := sweep(t)
	rel := runs[0]
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, run string) (why string) // on the first run; "" = resumed
	}{
		{"sealed untouched", func(*testing.T, string) string { return "" }},
		{"json re-indented", func(t *testing.T, run string) string {
			b, _ := os.ReadFile(run + ".json")
			var c bytes.Buffer
			if err := json.Compact(&c, b); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(run+".json", c.Bytes(), 0o644)
			return ""
		}},
		{"json final_acc digit", func(t *testing.T, run string) string {
			b, _ := os.ReadFile(run + ".csv")
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			curveFinal := strings.Split(lines[len(lines)-1], ",")[5] // accuracy
			now := changeJSONDigit(t, run, "final_acc")
			return run + ".json: final_acc " + shortest(t, now) + " differs from its curve's " + shortest(t, curveFinal)
		}},
		{"json best_acc digit", func(t *testing.T, run string) string {
			changeJSONDigit(t, run, "best_acc")
			return run + ".json: best_acc "
		}},
		{"json energy digit", func(t *testing.T, run string) string {
			changeJSONDigit(t, run, "energy")
			return run + ".json: energy "
		}},
		{"json wall_s digit", func(t *testing.T, run string) string { // no curve holds it: the seal does
			changeJSONDigit(t, run, "wall_s")
			return run + ".json: its content does not match its sha256"
		}},
		{"json sha256 digit", func(t *testing.T, run string) string {
			b, _ := os.ReadFile(run + ".json")
			i := bytes.Index(b, []byte(`"sha256": "`)) + len(`"sha256": "`)
			b[i] ^= 1 // another hexadecimal digit ('0' <-> '1', 'a' <-> '`'...): not this content's
			os.WriteFile(run+".json", b, 0o644)
			return run + ".json: its content does not match its sha256"
		}},
		{"curve final accuracy digit", func(t *testing.T, run string) string {
			old, now := changeCSVDigit(t, run, -1, 5)
			return run + ".json: final_acc " + shortest(t, old) + " differs from its curve's " + shortest(t, now)
		}},
		{"curve loss digit", func(t *testing.T, run string) string { // no summary figure: the seal
			changeCSVDigit(t, run, 3, 4)
			return run + ".csv: its content does not match the curve_sha256 of " + run + ".json"
		}},
		{"unsealed", func(t *testing.T, run string) string {
			unseal(t, run)
			return run + ".json: unsealed"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			copyTree(t, base, out)
			why := tc.damage(t, filepath.Join(out, rel))
			code, log := reproduceCLI(t, append(common, "-out", out)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, log)
			}
			if why == "" {
				if !strings.Contains(log, ": 0 to run (0 of them again)") || strings.Contains(log, "run again") {
					t.Errorf("log %q, want the run resumed", log)
				}
				return
			}
			if !strings.Contains(log, ": 1 to run (1 of them again)") {
				t.Errorf("log %q, want one run again", log)
			}
			if n := strings.Count(log, "reproduce: run again: "); n != 1 || !strings.Contains(log, "reproduce: run again: "+why) {
				t.Errorf("log %q: %d reasons, want one starting %q", log, n, why)
			}
			// The rerun is sealed anew and resumed from then on.
			if code, log = reproduceCLI(t, append(common, "-out", out)...); code != 0 || !strings.Contains(log, ": 0 to run (0 of them again)") {
				t.Errorf("after the rerun: exit %d, %q; want nothing to run", code, log)
			}
		})
	}
}

// A run's seal is the SHA-256 of its curve file as written, and a changed run is no
// report's: -report-only refuses it and says why.
func TestSealOfCurveAndReportOnly(t *testing.T) {
	common, base, runs := sweep(t)
	run := filepath.Join(base, runs[0])
	var r result
	b, _ := os.ReadFile(run + ".json")
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	csv, _ := os.ReadFile(run + ".csv")
	if h := sha256.Sum256(csv); r.CurveSHA256 != hex.EncodeToString(h[:]) {
		t.Errorf("curve_sha256 %q, want the curve file's %x", r.CurveSHA256, h)
	}
	if len(r.SHA256) != 64 {
		t.Errorf("sha256 %q, want 64 hexadecimal digits", r.SHA256)
	}
	changeJSONDigit(t, run, "final_acc")
	code, log := reproduceCLI(t, append(common, "-out", base, "-report-only")...)
	if code != 1 || !strings.Contains(log, run+".json: final_acc ") || !strings.Contains(log, "rerun it without -report-only") {
		t.Errorf("-report-only over a changed run: exit %d, %q", code, log)
	}
}

// -plan says what a sweep would run and why, and changes nothing.
func TestPlanRunsNothing(t *testing.T) {
	common, base, runs := sweep(t)
	changeJSONDigit(t, filepath.Join(base, runs[0]), "final_acc")
	os.Remove(filepath.Join(base, runs[1]+".json"))
	before := snapshot(t, base)
	code, log := reproduceCLI(t, append(common, "-out", base, "-plan")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, log)
	}
	for _, want := range []string{
		": 2 to run (1 of them again)",
		"reproduce: run again: " + filepath.Join(base, runs[0]) + ".json: final_acc ",
		"reproduce: run: " + filepath.Join(base, runs[1]) + " (not run yet)",
		"-plan: ran nothing",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log %q lacks %q", log, want)
		}
	}
	if strings.Contains(log, "[1/2]") {
		t.Errorf("log %q: -plan ran a run", log)
	}
	after := snapshot(t, base)
	for f, b := range before {
		if !bytes.Equal(after[f], b) {
			t.Errorf("-plan changed %s", f)
		}
	}
	if len(after) != len(before) {
		t.Errorf("-plan left %d files, there were %d", len(after), len(before))
	}
}

// snapshot returns the content of every file under dir.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files[p], err = os.ReadFile(p)
		}
		return err
	})
	return files
}

// -seal seals runs written before runs were sealed, in place, as a fresh run would have
// (the same bytes), curves untouched; it refuses a run whose summary its curve contradicts
// and says so, and sealing again changes nothing.
func TestSealInPlace(t *testing.T) {
	common, base, runs := sweep(t)
	fresh := snapshot(t, base)
	for _, r := range runs {
		unseal(t, filepath.Join(base, r))
	}
	bad := filepath.Join(base, runs[0])
	changeJSONDigit(t, bad, "final_acc")
	code, log := reproduceCLI(t, append(common, "-out", base, "-seal")...)
	if code != 1 || !strings.Contains(log, "sealed 11 runs (0 sealed already, 0 not run yet, 1 not sealed)") ||
		!strings.Contains(log, "reproduce: not sealed: "+bad+".json: final_acc ") {
		t.Errorf("-seal: exit %d, %q; want 11 sealed and %s refused", code, log, bad)
	}
	sealed := snapshot(t, base)
	for f, b := range fresh {
		if strings.HasPrefix(f, bad) && strings.HasSuffix(f, ".json") {
			continue
		}
		if strings.Contains(f, string(filepath.Separator)+"runs"+string(filepath.Separator)) && !bytes.Equal(sealed[f], b) {
			t.Errorf("%s after -seal differs from the fresh run's", f)
		}
	}
	code, log = reproduceCLI(t, append(common, "-out", base, "-seal")...)
	if code != 1 || !strings.Contains(log, "sealed 0 runs (11 sealed already, 0 not run yet, 1 not sealed)") {
		t.Errorf("second -seal: exit %d, %q", code, log)
	}
	code, log = reproduceCLI(t, append(common, "-out", base, "-plan")...)
	if code != 0 || !strings.Contains(log, ": 1 to run (1 of them again)") || !strings.Contains(log, bad+".json: final_acc ") {
		t.Errorf("-plan after -seal: exit %d, %q; want the refused run only", code, log)
	}
}

// Every committed run is sealed and intact, its figures its curve's: make reproduce
// resumes them all rather than rerun one (a hand-edited or unsealed result fails here
// first).
func TestCommittedResultsSealed(t *testing.T) {
	files, err := filepath.Glob("../../../results/runs/*/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no committed runs (%v)", err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r result
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		csv := strings.TrimSuffix(f, ".json") + ".csv"
		curve, b, err := readCurveFile(csv)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkSummary(f, r, curve); err != nil {
			t.Error(err)
		}
		if err := checkSeal(f, raw, r, csv, b); err != nil {
			t.Error(err)
		}
	}
}
