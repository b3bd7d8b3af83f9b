package wire

import (
	"fmt"
	"reflect"
)

// Stats are the figures of the page API (window.meshlight.stats()), as the engine reports
// them: the page adds its own (frame times, messages about its engines) and never
// computes these.
type Stats struct {
	Ready            bool    `json:"ready"`
	Model            string  `json:"model"`
	Optimizer        string  `json:"optimizer"`
	Queries          int64   `json:"queries"`
	Accuracy         float64 `json:"accuracy"`         // percent, last test evaluation
	DeployedAccuracy float64 `json:"deployedAccuracy"` // percent, the deployed chip
	IdealAccuracy    float64 `json:"idealAccuracy"`    // percent, the network on an ideal chip (its model file's figure)
	BestAccuracy     float64 `json:"bestAccuracy"`     // percent
	Power            float64 `json:"power"`            // radians, active phases now
	FullPower        float64 `json:"fullPower"`        // radians, if every phase were active
	Saving           float64 `json:"saving"`           // percent of FullPower saved
	Energy           float64 `json:"energy"`           // radian-queries
	Running          bool    `json:"running"`
	Done             bool    `json:"done"`
	Error            string  `json:"error"` // messages, one per line
	Status           string  `json:"status"`
	QueriesPerSecond float64 `json:"queriesPerSecond"`
	BudgetMS         float64 `json:"budgetMs"` // the training slice between two looks at commands
	Evaluations      int     `json:"evaluations"`
	Runs             int     `json:"runs"` // earlier runs kept for comparison
	Phases           int     `json:"phases"`
	ActivePhases     int     `json:"activePhases"`
	// What the engine holds (runtime/metrics, read without a collection): its live Go heap
	// as of its last collection, and all the memory its runtime has from the system (in a
	// worker, about its WebAssembly memory), bytes; zero where not measured (a session's
	// own stats: the figures are the process's).
	EngineHeap      float64 `json:"engineHeap"`
	EngineMemory    float64 `json:"engineMemory"`
	SettingsVersion int     `json:"settingsVersion"`
	// Booth is booth mode's phase ("recover", "result", "race", "" when off). The page's
	// booth cycle (wasm/page) fills it; the engine knows no booth phases.
	Booth string `json:"booth"`
	// Title is the loaded model's title as the canvas shows it; ModelFile the name of the
	// model file the page loaded (dropped or chosen), "" for one from the site: the address
	// cannot hold a file, so Model (and the address) keep naming the last model from the site.
	Title     string `json:"title"`
	ModelFile string `json:"modelFile"`

	// The kept state: the record of best accuracy on the run's validation split (a tenth
	// of its training pool, never trained on), which the run programs back when its
	// budget ends (train.Run.Kept); the chart marks it. Kept is false, KeptQueries -1 and
	// the accuracies NaN while the run keeps none.
	Kept         bool    `json:"kept"`
	KeptQueries  int64   `json:"keptQueries"`
	KeptAccuracy float64 `json:"keptAccuracy"` // percent, on the test samples
	KeptValid    float64 `json:"keptValid"`    // percent, on the validation split

	// The deployed chip (the settings until one is deployed).
	Chip          string  `json:"chip"`          // preset: paper, ideal or strong
	ChipEdited    bool    `json:"chipEdited"`    // a chip field differs from the preset's
	GammaStd      float64 `json:"gammaStd"`      // rad/V^2
	RelativeDrift float64 `json:"relativeDrift"` // percent: GammaStd / (pi / V_pi^2)
	VPi           float64 `json:"vpi"`           // volts
	Crosstalk     float64 `json:"crosstalk"`
	Bits          int     `json:"bits"`
	HeatAll       bool    `json:"heatAll"`
	Step          float64 `json:"step"`          // radians, the run's initial step
	DriftText     string  `json:"driftText"`     // e.g. "γ σ 2e-3 (1.21%)"
	CrosstalkText string  `json:"crosstalkText"` // e.g. "2e-3"
	ControlText   string  `json:"controlText"`   // e.g. "8-bit"
}

// append writes the stats field by field, in declaration order, so that a field added to
// Stats travels without a line here (a field of another kind panics at once, in every test
// that writes a snapshot).
func (st *Stats) append(w *writer) {
	v := reflect.ValueOf(st).Elem()
	w.u16(uint16(v.NumField()))
	for i := range v.NumField() {
		switch f := v.Field(i); f.Kind() {
		case reflect.Bool:
			w.boolean(f.Bool())
		case reflect.Int, reflect.Int64:
			w.u64(uint64(f.Int()))
		case reflect.Float64:
			w.f64(f.Float())
		case reflect.String:
			w.str(f.String())
		default:
			panic(fmt.Sprintf("wire: Stats.%s: no wire form for %s", v.Type().Field(i).Name, f.Kind()))
		}
	}
}

// read reads what append wrote.
func (st *Stats) read(r *reader) {
	*st = Stats{}
	v := reflect.ValueOf(st).Elem()
	if n := int(r.u16()); n != v.NumField() && r.err == nil {
		r.fail("%d stats fields, want %d", n, v.NumField())
		return
	}
	for i := range v.NumField() {
		switch f := v.Field(i); f.Kind() {
		case reflect.Bool:
			f.SetBool(r.boolean())
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(r.u64()))
		case reflect.Float64:
			f.SetFloat(r.f64())
		case reflect.String:
			f.SetString(r.str())
		}
	}
}
