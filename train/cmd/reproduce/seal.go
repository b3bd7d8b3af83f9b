package main

// A run's files are sealed so that a changed byte is noticed on resume rather than carried
// into the report: the JSON states the SHA-256 of its curve CSV (curve_sha256) and of its
// own content without that field (sha256), and its figures that the curve also holds
// (deployed, final, best and kept accuracy, powers, energy) must equal the curve's.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/meshlight/meshlight/train"
)

// errUnsealed is why finished rejects a run whose JSON carries no seal (one written
// before runs were sealed): everything else about it checked out, so -seal may seal it.
var errUnsealed = errors.New("unsealed: no sha256 (written before runs were sealed; -seal seals it if its summary agrees with its curve)")

// sealed returns the JSON of a run whose curve CSV is curve, sealed: curve_sha256 is the
// curve's SHA-256 and sha256 that of the JSON's own content without it (see digest).
func sealed(r result, curve []byte) ([]byte, error) {
	r.CurveSHA256 = sum(curve)
	r.SHA256 = ""
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	if r.SHA256, err = digest(b); err != nil {
		return nil, err
	}
	if b, err = json.MarshalIndent(r, "", "  "); err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// sum is the hexadecimal SHA-256 of b.
func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// digest returns the SHA-256 of a run's JSON object without its sha256 member, taken
// canonically: members sorted by name, no white space, numbers exactly as written. So
// re-indenting the file keeps its seal, and a changed digit, name or value breaks it,
// including in members this version of the command does not know.
func digest(b []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // a number's text, not its float64: "1.0" and "1" are other content
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", errors.New("data after the result")
	}
	delete(v, "sha256")
	c, err := json.Marshal(v) // sorts the members of every object
	if err != nil {
		return "", err
	}
	return sum(c), nil
}

// checkSeal returns nil if the run's JSON (raw, as read; got, as decoded) and its curve
// CSV (raw) are as they were sealed, errUnsealed if the JSON has no seal, and otherwise
// which file changed.
func checkSeal(path string, raw []byte, got result, csvPath string, curve []byte) error {
	if got.SHA256 == "" && got.CurveSHA256 == "" {
		return fmt.Errorf("%s: %w", path, errUnsealed)
	}
	d, err := digest(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if d != got.SHA256 {
		return fmt.Errorf("%s: its content does not match its sha256 (changed after the run)", path)
	}
	if s := sum(curve); s != got.CurveSHA256 {
		return fmt.Errorf("%s: its content does not match the curve_sha256 of %s (changed after the run)", csvPath, path)
	}
	return nil
}

// checkSummary returns nil if every figure of the summary that its curve also holds
// equals the curve's, as a run writes them (train.Deployment.Summary), and otherwise the
// first that differs, naming the JSON at path.
func checkSummary(path string, r result, curve []train.Record) error {
	first, last := curve[0], curve[len(curve)-1]
	best := first
	for _, rec := range curve[1:] {
		if rec.Accuracy > best.Accuracy {
			best = rec
		}
	}
	// The kept state is the first record of highest validation accuracy; a run without a
	// validation split (NaN) keeps none and writes no kept figures.
	var kept train.Record
	keptAt := -1
	for i, rec := range curve {
		if !math.IsNaN(rec.Valid) && (keptAt < 0 || rec.Valid > curve[keptAt].Valid) {
			kept, keptAt = rec, i
		}
	}
	for _, f := range []struct {
		name       string
		have, want float64
	}{
		{"queries", float64(r.Queries), float64(last.Queries)},
		{"deployed_acc", r.DeployedAcc, first.Accuracy},
		{"final_acc", r.FinalAcc, last.Accuracy},
		{"best_acc", r.BestAcc, best.Accuracy},
		{"kept_acc", r.KeptAcc, kept.Accuracy},
		{"kept_queries", float64(r.KeptQueries), float64(kept.Queries)},
		{"kept_valid", r.KeptValid, kept.Valid},
		{"power_initial", r.PowerInitial, first.Power},
		{"power_final", r.PowerFinal, last.Power},
		{"paper_power_initial", r.PaperPowerInitial, first.PaperPower},
		{"paper_power_final", r.PaperPowerFinal, last.PaperPower},
		{"energy", r.Energy, last.Energy},
	} {
		if f.have != f.want && !(math.IsNaN(f.have) && math.IsNaN(f.want)) {
			return fmt.Errorf("%s: %s %v differs from its curve's %v", path, f.name, f.have, f.want)
		}
	}
	return nil
}

// sealAll seals the finished runs of the plan in place (-seal): each unsealed run whose
// summary agrees with its curve gets its seal, its curve untouched. A run already sealed
// and intact is left as it is; a run that fails any other check (a broken seal, a figure
// its curve does not hold, another configuration) is not sealed, and is an error: sealing
// it would vouch for content nobody checked.
func sealAll(o options, stderr io.Writer) error {
	var done, already, missing, refused int
	for i, j := range plan(o) {
		if i%o.shards != o.shard {
			continue
		}
		r, _, err := j.finished(o.out)
		switch {
		case err == nil:
			already++
			continue
		case errors.Is(err, os.ErrNotExist):
			missing++
			continue
		case !errors.Is(err, errUnsealed):
			refused++
			fmt.Fprintf(stderr, "reproduce: not sealed: %v\n", err)
			continue
		}
		curve, err := readFile(j.path(o.out, ".csv"), maxCurveFile)
		if err != nil {
			return err
		}
		b, err := sealed(r, curve)
		if err != nil {
			return fmt.Errorf("%s: %w", j.path(o.out, ".json"), err)
		}
		if err := writeAtomic(j.path(o.out, ".json"), b); err != nil {
			return err
		}
		done++
	}
	fmt.Fprintf(stderr, "reproduce: sealed %d runs (%d sealed already, %d not run yet, %d not sealed)\n", done, already, missing, refused)
	if refused > 0 {
		return fmt.Errorf("%d runs not sealed (see above): rerun them", refused)
	}
	return nil
}
