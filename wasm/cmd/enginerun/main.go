// Command enginerun runs the page's engine (a sim.Session, as the Web Worker runs it) on a
// site folder's files without a browser, and prints its speed and curve as JSON. The
// end-to-end test runs it natively, to check that the worker's curve is the native one
// (same seed, same result), and under node (GOOS=js GOARCH=wasm with go_js_wasm_exec), for
// the queries per second the same engine reaches without drawing.
//
// Usage: enginerun -dir static -query 'seed=1' -queries 3000
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/meshlight/meshlight/wasm/sim"
)

// Result is what enginerun prints.
type Result struct {
	Queries          int64     `json:"queries"`
	Seconds          float64   `json:"seconds"`
	QueriesPerSecond float64   `json:"queriesPerSecond"`
	CurveQueries     []float64 `json:"curveQueries"`
	CurveAccuracy    []float64 `json:"curveAccuracy"`
	CurvePower       []float64 `json:"curvePower"`
}

func main() {
	dir := flag.String("dir", "static", "the site folder (models/, data/)")
	query := flag.String("query", "", "the page's URL query")
	queries := flag.Int64("queries", 3000, "ONN queries to train")
	flag.Parse()
	r, err := run(*dir, *query, *queries)
	if err != nil {
		fmt.Fprintln(os.Stderr, "enginerun:", err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(r)
}

func run(dir, query string, queries int64) (*Result, error) {
	s := sim.NewSession(query, sim.DirFetch(dir))
	for deadline := time.Now().Add(time.Minute); !s.Stats().Ready; {
		if time.Now().After(deadline) || s.Stats().Error != "" {
			return nil, fmt.Errorf("not ready: %s", s.Stats().Error)
		}
		s.Tick(time.Now(), 0)
		time.Sleep(time.Millisecond)
	}
	s.Start()
	start := time.Now()
	for s.Queries() < queries && s.Running() {
		s.Tick(time.Now().Add(sim.Slice), queries-s.Queries())
	}
	secs := time.Since(start).Seconds()
	if err := s.Stats().Error; err != "" {
		return nil, fmt.Errorf("%s", err)
	}
	sc := s.Scene()
	cur := sc.Runs[len(sc.Runs)-1]
	return &Result{Queries: s.Queries(), Seconds: secs, QueriesPerSecond: float64(s.Queries()) / secs,
		CurveQueries: cur.Queries, CurveAccuracy: cur.Accuracy, CurvePower: cur.Power}, nil
}
