// Command reproduce runs the experiments of the method's paper on the shipped models and
// writes results/: one curve (CSV) and summary (JSON) per run, a CSV and plots (PNG) per
// table or figure, and REPORT.md with our numbers beside the paper's and a verdict per
// claim.
//
//	go run ./train/cmd/reproduce                  # everything, on all cores, then the report
//	go run ./train/cmd/reproduce -shard 3/16      # runs 3, 19, 35, ... only (no report)
//	go run ./train/cmd/reproduce -report-only     # the report from the runs in -out
//	go run ./train/cmd/reproduce -plan            # what would run, and why again; runs nothing
//	go run ./train/cmd/reproduce -seal            # seal runs written before runs were sealed
//
// Every run is an independent job (model, noise, configuration, seed), so a sweep can be
// split over machines with -shard i/n (e.g. a Slurm job array or a Kubernetes indexed
// Job, i = the array index), all writing to one shared -out folder, followed by one
// -report-only. Finished runs are skipped unless -force, so an interrupted sweep resumes:
// a run is finished when its JSON parses, states the job's configuration and budget
// (optimizer, alpha, s, p, step, mu, lambda, power budget, the chip's gamma std, V_pi,
// crosstalk, bits and heat-all, seed, query budget, model), its curve ends at its
// queries, its figures that the curve holds (deployed, final, best and kept accuracy,
// powers, energy) equal the curve's, and its seal holds: the JSON carries the SHA-256 of
// its curve (curve_sha256) and of its own content without that member (sha256), so a
// byte changed in either file after the run is noticed. Any other run file (cut short,
// from another -scale or configuration, changed, unsealed) is run again, with a line
// saying which and why. -seal seals, in place, runs written before runs were sealed
// once each one's summary agrees with its curve. Every file is written atomically (a
// temporary file in the same folder, synced, then renamed), so an interruption leaves the
// old file or the new one, never half of one. -scale shortens every budget (tests, quick
// looks).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/param"
)

func main() { os.Exit(run(os.Args[1:], os.Stderr)) }

// options are the command's flags.
type options struct {
	models, data, out string
	shard, shards     int
	jobs, seeds       int
	scale             float64
	only              map[string]bool
	reportOnly, force bool
	seal, dryRun      bool // -seal, -plan
}

func run(args []string, stderr io.Writer) int {
	o, err := parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "reproduce: "+err.Error())
		return 2
	}
	if err := reproduce(o, stderr); err != nil {
		fmt.Fprintln(stderr, "reproduce: "+err.Error())
		return 1
	}
	return 0
}

func parse(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("reproduce", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.models, "models", "static/models", "folder of the model files")
	fs.StringVar(&o.data, "data", "static/data", "folder of the data files")
	fs.StringVar(&o.out, "out", "results", "output folder")
	shard := fs.String("shard", "0/1", "run only jobs i, i+n, i+2n, ... of the n shards (i/n)")
	o.jobs = runtime.NumCPU()
	param.IntVar(fs, &o.jobs, "jobs", "runs in parallel")
	o.seeds = 3
	param.IntVar(fs, &o.seeds, "seeds", "seeds per configuration (1..seeds)")
	o.scale = 1
	param.FloatVar(fs, &o.scale, "scale", "multiply every query budget (and evaluation interval) by this")
	only := fs.String("experiments", "", "comma-separated experiment IDs to run and report (default: all)")
	param.BoolVar(fs, &o.reportOnly, "report-only", "write the report from the runs in -out, run nothing")
	param.BoolVar(fs, &o.force, "force", "rerun finished runs")
	param.BoolVar(fs, &o.seal, "seal", "seal the finished runs in -out in place (their JSON) if each one's summary agrees with its curve; run nothing")
	param.BoolVar(fs, &o.dryRun, "plan", "print the runs that would be run, and why again, then stop: run nothing, write nothing")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(os.Stderr)
			fs.PrintDefaults()
		}
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (flags only)", fs.Arg(0))
	}
	i, n, ok := strings.Cut(*shard, "/")
	var e1, e2 error
	o.shard, e1 = strconv.Atoi(i)
	o.shards, e2 = strconv.Atoi(n)
	if !ok || e1 != nil || e2 != nil || o.shards < 1 || o.shard < 0 || o.shard >= o.shards {
		return o, fmt.Errorf("-shard %q: want i/n with 0 <= i < n", *shard)
	}
	switch {
	case o.jobs < 1:
		return o, fmt.Errorf("-jobs %d: want >= 1", o.jobs)
	case o.seeds < 1:
		return o, fmt.Errorf("-seeds %d: want >= 1", o.seeds)
	case !(o.scale > 0 && o.scale <= 100):
		return o, fmt.Errorf("-scale %v: want 0 < scale <= 100", o.scale)
	}
	if n := btoi(o.seal) + btoi(o.dryRun) + btoi(o.reportOnly); n > 1 {
		return o, errors.New("-seal, -plan and -report-only: choose one")
	}
	if o.seal && o.force {
		return o, errors.New("-seal and -force: sealing checks the runs there, -force would ignore them")
	}
	if *only != "" {
		o.only = map[string]bool{}
		known := map[string]bool{}
		for _, e := range experiments() {
			known[e.ID] = true
		}
		for _, id := range strings.Split(*only, ",") {
			if !known[id] {
				return o, fmt.Errorf("-experiments: unknown experiment %q", id)
			}
			o.only[id] = true
		}
	}
	return o, nil
}

// job is one run: a configuration of one model on one chip preset with one seed.
type job struct {
	Model, Chip, Key string
	Seed             int64
	Cfg              train.Config
}

func (j job) path(out, ext string) string {
	return filepath.Join(out, "runs", fileStem(j.Model), j.Chip, fmt.Sprintf("%s-seed%d%s", j.Key, j.Seed, ext))
}

// fileStem is a model file's name without its extension (.json or .json.gz).
func fileStem(file string) string {
	return strings.TrimSuffix(strings.TrimSuffix(file, ".gz"), ".json")
}

// result is the summary of a run (train.Summary) and the key of its configuration,
// stored as JSON beside its curve.
type result struct {
	Config string `json:"config"`
	train.Summary
	CurveSHA256 string `json:"curve_sha256,omitempty"` // of the curve CSV (see seal.go)
	SHA256      string `json:"sha256,omitempty"`       // of this JSON without this member, canonically (see digest)
}

// plan lists every job of the selected experiments once, in a fixed order.
func plan(o options) []job {
	var jobs []job
	seen := map[string]bool{}
	for _, e := range experiments() {
		if o.only != nil && !o.only[e.ID] {
			continue
		}
		for _, chip := range e.Chips {
			for _, v := range e.Vars {
				for seed := int64(1); seed <= int64(e.seeds(o)); seed++ {
					j := e.job(o, chip, v, seed)
					if id := j.path("", ""); !seen[id] {
						seen[id] = true
						jobs = append(jobs, j)
					}
				}
			}
		}
	}
	return jobs
}

// job returns the run of variant v on a chip preset with a seed: its whole configuration,
// and a key that names it, budget included (one configuration at two budgets is two runs).
func (e experiment) job(o options, chip string, v variant, seed int64) job {
	c := v.resolved(chip, e.Model)
	c.Seed = seed
	queries, eval := e.Queries, e.Eval
	if v.Queries > 0 {
		queries, eval = v.Queries, v.Eval
	}
	c.MaxQueries = max(int64(float64(queries)*o.scale), 1)
	c.EvalEvery = max(c.MaxQueries/40, 1)
	if queries > mlpQueries {
		c.EvalEvery = max(c.MaxQueries/200, 1)
	}
	key := fmt.Sprintf("%s_q%d", configKey(c), c.MaxQueries)
	if eval > 0 { // another evaluation schedule is another curve: another run
		c.EvalEvery = max(int64(float64(eval)*o.scale), 1)
		key += fmt.Sprintf("_e%d", c.EvalEvery)
	}
	return job{Model: e.Model, Chip: chip, Key: key, Seed: seed, Cfg: c}
}

// seeds returns how many seeds the experiment runs per configuration.
func (e experiment) seeds(o options) int {
	if e.Seeds > 0 {
		return min(e.Seeds, o.seeds)
	}
	return o.seeds
}

// btoi is 1 for true.
func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func reproduce(o options, stderr io.Writer) error {
	start := time.Now()
	if o.seal {
		return sealAll(o, stderr)
	}
	if !o.reportOnly {
		all := plan(o)
		var todo []job
		again := 0
		for i, j := range all {
			if i%o.shards != o.shard {
				continue
			}
			if !o.force {
				_, _, err := j.finished(o.out)
				if err == nil {
					continue
				}
				if !errors.Is(err, os.ErrNotExist) {
					again++
					fmt.Fprintf(stderr, "reproduce: run again: %v\n", err)
				} else if o.dryRun {
					fmt.Fprintf(stderr, "reproduce: run: %s (not run yet)\n", j.path(o.out, ""))
				}
			}
			todo = append(todo, j)
		}
		fmt.Fprintf(stderr, "reproduce: %d runs in all, shard %d/%d: %d to run (%d of them again) on %d workers\n", len(all), o.shard, o.shards, len(todo), again, o.jobs)
		if o.dryRun {
			fmt.Fprintln(stderr, "reproduce: -plan: ran nothing")
			return nil
		}
		if err := runAll(o, todo, stderr); err != nil {
			return err
		}
		if o.shards > 1 {
			fmt.Fprintf(stderr, "reproduce: shard done in %v; run -report-only when every shard is\n", time.Since(start).Round(time.Second))
			return nil
		}
	}
	return report(o, stderr)
}

// inputs caches models and data sets, shared read-only by the workers.
type inputs struct {
	mu     sync.Mutex
	models map[string]*model.Model
	sets   map[string]*dataset.Set
}

func (in *inputs) model(dir, file string) (*model.Model, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if m, ok := in.models[file]; ok {
		return m, nil
	}
	m, err := model.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return nil, err
	}
	in.models[file] = m
	return m, nil
}

func (in *inputs) set(dir, name string, split dataset.Split) (*dataset.Set, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	file := dataset.FileName(name, split)
	if s, ok := in.sets[file]; ok {
		return s, nil
	}
	s, err := dataset.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return nil, err
	}
	in.sets[file] = s
	return s, nil
}

// runAll runs jobs on o.jobs workers; the first error stops new jobs.
func runAll(o options, jobs []job, stderr io.Writer) error {
	in := &inputs{models: map[string]*model.Model{}, sets: map[string]*dataset.Set{}}
	next := make(chan job)
	var (
		mu    sync.Mutex
		first error
		done  int
		wg    sync.WaitGroup
	)
	for range min(o.jobs, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				r, err := runJob(o, in, j)
				mu.Lock()
				done++
				if err != nil && first == nil {
					first = fmt.Errorf("%s: %w", j.path(o.out, ""), err)
				}
				if err == nil {
					fmt.Fprintf(stderr, "[%d/%d] %s %s %s seed %d: deployed %.2f%% -> final %.2f%% (best %.2f%%), power %.0f -> %.0f rad, %.1fs\n",
						done, len(jobs), j.Model, j.Chip, j.Key, j.Seed, r.DeployedAcc, r.FinalAcc, r.BestAcc, r.PowerInitial, r.PowerFinal, r.WallS)
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		mu.Lock()
		stop := first != nil
		mu.Unlock()
		if stop {
			break
		}
		next <- j
	}
	close(next)
	wg.Wait()
	return first
}

// runJob runs one job and writes its curve and summary.
func runJob(o options, in *inputs, j job) (result, error) {
	m, err := in.model(o.models, j.Model)
	if err != nil {
		return result{}, err
	}
	trainSet, err := in.set(o.data, m.Dataset, dataset.Train)
	if err != nil {
		return result{}, err
	}
	testSet, err := in.set(o.data, m.Dataset, dataset.Test)
	if err != nil {
		return result{}, err
	}
	d, err := train.Deploy(m, trainSet, testSet, j.Cfg)
	if err != nil {
		return result{}, err
	}
	if err := d.Run.Finish(); err != nil {
		return result{}, err
	}
	curve := d.Run.Curve()
	res := result{Config: j.Key, Summary: d.Summary()}
	if err := os.MkdirAll(filepath.Dir(j.path(o.out, "")), 0o755); err != nil {
		return res, err
	}
	var csv bytes.Buffer
	if err := train.WriteCSV(&csv, curve); err != nil {
		return res, err
	}
	if err := writeAtomic(j.path(o.out, ".csv"), csv.Bytes()); err != nil {
		return res, err
	}
	b, err := sealed(res, csv.Bytes())
	if err != nil {
		return res, err
	}
	return res, writeAtomic(j.path(o.out, ".json"), b) // last: marks the run done
}

// setup is what a finished run's file must state of its configuration (see finished).
func (j job) setup() train.Setup { return j.Cfg.Setup(fileStem(j.Model)) }

// Bounds of the files of one run read by finished: the JSON (a few hundred bytes) and
// the curve (a few hundred rows).
const (
	maxRunFile   = 1 << 20
	maxCurveFile = 64 << 20
)

// finished returns the job's stored run, its result and curve, if the job's run files are
// those of this job, run to the end and unchanged since: the JSON parses as one result
// whose settings equal the job's (see settings), the curve parses and ends at the
// result's queries, the result's figures equal the curve's (checkSummary) and both files
// match the JSON's seal (checkSeal). Otherwise it says why, wrapping os.ErrNotExist when
// there is no JSON at all and errUnsealed, with the result and curve, when only the seal
// is missing.
func (j job) finished(out string) (result, []train.Record, error) {
	path := j.path(out, ".json")
	b, err := readFile(path, maxRunFile)
	if err != nil {
		return result{}, nil, err
	}
	var got result
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&got); err != nil {
		return result{}, nil, fmt.Errorf("%s: %w", path, err)
	}
	if dec.More() {
		return result{}, nil, fmt.Errorf("%s: data after the result", path)
	}
	if got.Config != j.Key {
		return result{}, nil, fmt.Errorf("%s: config is %v, this run's is %v", path, got.Config, j.Key)
	}
	if field, have, want := diff(got.Setup, j.setup()); field != "" {
		return result{}, nil, fmt.Errorf("%s: %s is %v, this run's is %v", path, field, have, want)
	}
	csv := j.path(out, ".csv")
	curve, raw, err := readCurveFile(csv)
	if err != nil {
		return result{}, nil, fmt.Errorf("the curve of %s: %v", path, err) // not os.ErrNotExist: the JSON is there
	}
	if curve[len(curve)-1].Queries != got.Queries {
		return result{}, nil, fmt.Errorf("%s: the curve does not end at the run's %d queries", csv, got.Queries)
	}
	// The figures first: a changed one is named with both values, which says more than a
	// broken seal would.
	if err := checkSummary(path, got, curve); err != nil {
		return result{}, nil, err
	}
	if err := checkSeal(path, b, got, csv, raw); errors.Is(err, errUnsealed) {
		return got, curve, err // checked but for the seal: -seal seals this
	} else if err != nil {
		return result{}, nil, err
	}
	return got, curve, nil
}

// diff compares a stored run's setup with a job's and returns the JSON name and both
// values of the first field that differs, or "" if none does.
func diff(got, want train.Setup) (field string, have, wanted any) {
	return diffFields(reflect.ValueOf(got), reflect.ValueOf(want))
}

// diffFields is diff of two structs of one type; the fields of an embedded struct (the
// chip's photonics.Hardware) are compared one by one, as JSON spells them at the top.
func diffFields(g, w reflect.Value) (field string, have, wanted any) {
	for i := range g.NumField() {
		f := g.Type().Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if name, a, b := diffFields(g.Field(i), w.Field(i)); name != "" {
				return name, a, b
			}
			continue
		}
		if a, b := g.Field(i).Interface(), w.Field(i).Interface(); a != b {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			return name, a, b
		}
	}
	return "", nil, nil
}

// writeAtomic writes a file so that readers, and a run interrupted at any point, see the
// old content or the new, never part of it: a temporary file in the same folder, synced
// to disk, renamed over path, then the folder synced.
func writeAtomic(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		done = true
		return err
	}
	done = true
	if d, err := os.Open(dir); err == nil { // the rename itself, on disk (not every system can)
		d.Sync()
		d.Close()
	}
	return nil
}
