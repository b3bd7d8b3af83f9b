package train

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Settings configure the loop of a Run.
type Settings struct {
	Batch         int           // minibatch size
	Step          float64       // initial step size; on a chip with a DAC each iteration takes it in whole codes, at least one
	Decay         float64       // step-size factor applied after every epoch, in (0, 1]
	MaxQueries    int64         // make at most this many queries (stopping inside an iteration if need be); 0: no limit
	MaxIterations int           // stop after this many iterations; 0: no limit
	MaxWall       time.Duration // stop at the first query after this much time in Step (inside an iteration if need be); 0: no limit
	EvalEvery     int64         // queries between test evaluations
	Validation    float64       // fraction of the training pool held out to choose the state kept, [0, MaxValidation] (0: none; see Run.Kept)
	Seed          int64         // fixes the data order and the optimizer's random choices
	OnRecord      func(Record)  // if set, called with every new record
}

// DefaultSettings returns the method's loop settings: minibatch 32, step 0.02 decaying by
// 0.985 per epoch, a test evaluation every 1,000 queries, a tenth of the training pool
// held out for validation, no budget.
func DefaultSettings() Settings {
	return Settings{Batch: 32, Step: 0.02, Decay: 0.985, EvalEvery: 1000, Validation: DefaultValidation}
}

// DefaultValidation is the fraction of a training pool a run holds out by default: enough
// digits of the method's MNIST pool (1,000 of 10,000) to rank states a tenth of a point
// apart, while training on nine tenths.
const DefaultValidation = 0.1

// MaxValidation bounds Settings.Validation: a run trains on at least half its pool.
const MaxValidation = 0.5

func (s Settings) validate() error {
	switch {
	case s.Batch < 1:
		return &FieldError{"batch", s.Batch, "batch >= 1"}
	case !(s.Step > 0) || math.IsInf(s.Step, 0):
		return &FieldError{"lr", s.Step, "a finite step size > 0"}
	case !(s.Decay > 0 && s.Decay <= 1):
		return &FieldError{"decay", s.Decay, "0 < decay <= 1"}
	case s.MaxQueries < 0:
		return &FieldError{"queries", s.MaxQueries, "a budget >= 0 (0: none)"}
	case s.MaxIterations < 0:
		return &FieldError{"iterations", s.MaxIterations, "a budget >= 0 (0: none)"}
	case s.MaxWall < 0:
		return &FieldError{"wall", s.MaxWall, "a budget >= 0 (0: none)"}
	case s.EvalEvery < 1:
		return &FieldError{"eval", s.EvalEvery, "eval >= 1 query"}
	case !(s.Validation >= 0 && s.Validation <= MaxValidation):
		return &FieldError{"validation", s.Validation, fmt.Sprintf("0 <= validation <= %g (a fraction of the training pool)", MaxValidation)}
	}
	return nil
}

// Record is one point of a run's curve, taken before the first iteration (the deployed
// chip) and after every iteration that crosses a multiple of EvalEvery queries, and at
// the end.
type Record struct {
	Queries   int64   // training queries so far
	Iteration int     // iterations so far
	Epoch     int     // completed passes over the training set
	Step      float64 // step size of the next iteration (whole control codes on a chip with a DAC)
	Loss      float64 // mean training loss the optimizer saw since the previous record (NaN in the first)
	Accuracy  float64 // test accuracy, percent
	Valid     float64 // accuracy on the held-out validation split, percent (NaN: no split)
	Power     float64 // chip power (sum of the active phases), radians
	// PaperPower is the power as the method's authors count it, Sigma phases unfolded
	// (photonics.Chip.PaperPower), radians: the figure to compare with the paper's.
	PaperPower float64
	Energy     float64 // sum of the power (Power) at every query so far, radian-queries
}

// Run is one on-chip training run: the loop that steps a Method on an Objective. Build
// it with NewRun (or Start), advance it with Step, read it with Curve and the
// accessors. A Run is not safe for concurrent use.
type Run struct {
	obj    Objective
	method Method
	set    Settings
	view   runView

	data    *rand.Rand
	order   []int
	pos     int
	batch   int
	epoch   int
	step    float64
	iter    int
	energy  float64
	lossSum float64
	lossN   int
	nextEv  int64
	curve   []Record

	validator Validator // scores the validation split, if the run keeps its best state
	valid     []int     // the training samples held out for validation
	kept      []float64 // the active phases of the record of best validation accuracy
	keptAt    int       // that record's index in curve (-1: none)

	next    func() (struct{}, bool)
	stop    func()
	yield   func(struct{}) bool
	pauseAt int64
	t0      time.Time
	elapsed time.Duration
	done    bool
	err     error
}

// errStopped unwinds a method when its run is closed while paused.
var errStopped = errors.New("train: run closed")

// errBudget unwinds a method when the query or wall-time budget is spent in the middle of
// an iteration.
var errBudget = errors.New("train: budget spent")

// Seed streams: the data order and the optimizer draw from independent PCG streams of
// the run's seed (the chip draws its own from the same seed).
const (
	streamData       = 0xda7a
	streamMethod     = 0x0b7
	streamValidation = 0x7a11d
)

// NewRun returns a run of method on obj; it validates the settings, initialises the
// method and records obj as it is (the curve's first record, before any query).
func NewRun(obj Objective, method Method, s Settings) (*Run, error) {
	if obj == nil || method == nil {
		return nil, fmt.Errorf("train: run needs an objective and a method")
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	return newRun(obj, method, s)
}

// newRun is NewRun on valid settings.
func newRun(obj Objective, method Method, s Settings) (*Run, error) {
	if obj.Samples() < 1 {
		return nil, fmt.Errorf("train: no training samples")
	}
	if s.Batch > obj.Samples() {
		return nil, &FieldError{"batch", s.Batch, fmt.Sprintf("1 <= batch <= %d, the training set's size", obj.Samples())}
	}
	if err := method.Init(obj.Len(), rand.New(rand.NewPCG(uint64(s.Seed), streamMethod))); err != nil {
		return nil, err
	}
	r := &Run{obj: obj, method: method, set: s, step: s.Step, nextEv: s.EvalEvery, keptAt: -1}
	r.order = make([]int, obj.Samples())
	for i := range r.order {
		r.order[i] = i
	}
	if s.Validation > 0 {
		if err := r.holdOut(s.Validation); err != nil {
			return nil, err
		}
	}
	r.view.r = r
	r.data = rand.New(rand.NewPCG(uint64(s.Seed), streamData))
	r.batch = s.Batch
	r.pos = len(r.order) // shuffle before the first batch
	r.record()
	return r, nil
}

// Step advances the run by at least n queries (n < 1 counts as 1), pausing right after
// the query that reaches them, possibly inside an iteration; a later Step resumes there.
// It returns true when the run has ended: its budget is spent or it failed (see Err).
// Without a budget a run never ends, so give such runs a finite n.
func (r *Run) Step(n int64) bool {
	if r.done {
		return true
	}
	if r.next == nil {
		r.next, r.stop = iter.Pull(r.loop)
	}
	r.pauseAt = r.obj.Queries() + max(n, 1)
	if r.pauseAt < 0 { // overflow: no pause
		r.pauseAt = math.MaxInt64
	}
	r.t0 = time.Now()
	_, paused := r.next()
	r.elapsed += time.Since(r.t0)
	if !paused {
		r.done = true
		r.stop()
	}
	return r.done
}

// Finish runs to the end of the budget and returns Err.
func (r *Run) Finish() error {
	for !r.Step(math.MaxInt64) {
	}
	return r.err
}

// Close ends the run where it is (releasing a run paused inside an iteration); later
// Steps do nothing.
func (r *Run) Close() {
	if r.stop != nil {
		r.stop()
	}
	r.done = true
}

// End ends the run where it is, as a spent budget does: the run stops (releasing a run
// paused inside an iteration, whose cut iteration does not count) and the kept state, if
// the run keeps one, is programmed back onto the chip. For a run without a budget that is
// stopped by a rule of its caller (the page's booth mode ends a run once it has
// plateaued). Later Steps do nothing.
func (r *Run) End() {
	if r.done {
		return
	}
	r.Close()
	r.restoreKept()
}

// loop is the run as a sequence that yields at pauses.
func (r *Run) loop(yield func(struct{}) bool) {
	r.yield = yield
	defer func() {
		if v := recover(); v != nil && v != errStopped {
			panic(v)
		}
	}()
	for !r.exhausted() {
		r.nextBatch()
		loss, cut := r.iterate()
		if cut {
			break // the budget ran out inside the iteration: it does not count
		}
		r.iter++
		r.lossSum += loss
		r.lossN++
		if err := r.obj.Err(); err != nil {
			r.err = fmt.Errorf("iteration %d: %w", r.iter, err)
			return
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			r.err = fmt.Errorf("iteration %d: the loss is %v: the optimizer diverged", r.iter, loss)
			return
		}
		if q := r.obj.Queries(); q >= r.nextEv {
			r.record()
			r.nextEv = (q/r.set.EvalEvery + 1) * r.set.EvalEvery
		}
	}
	if last := r.curve[len(r.curve)-1]; last.Iteration != r.iter || last.Queries != r.obj.Queries() {
		r.record()
	}
	r.restoreKept()
}

// holdOut moves a random fraction of the training samples (round(frac * n), at least
// one; drawn from the run's seed) out of the data order into a validation split: the
// samples a run ranks its states on are never trained on.
func (r *Run) holdOut(frac float64) error {
	v, ok := r.obj.(Validator)
	if !ok {
		return fmt.Errorf("train: validation %g: the objective cannot score training samples", frac)
	}
	n := len(r.order)
	held := count(frac, n)
	if n-held < r.set.Batch {
		return &FieldError{"batch", r.set.Batch, fmt.Sprintf("1 <= batch <= %d, the training samples left after the validation split of %d", n-held, held)}
	}
	rand.New(rand.NewPCG(uint64(r.set.Seed), streamValidation)).Shuffle(n, func(i, j int) { r.order[i], r.order[j] = r.order[j], r.order[i] })
	r.valid, r.order = r.order[:held:held], r.order[held:]
	slices.Sort(r.valid) // in the pool's order, so scoring them reads the pool in order
	slices.Sort(r.order) // the loop shuffles its data order from its own stream
	r.validator, r.kept = v, make([]float64, r.obj.Len())
	return nil
}

// restoreKept programs the kept state back onto the chip at the end of a run (no query):
// the chip then holds the state its validation split ranked best, not merely the last.
func (r *Run) restoreKept() {
	if r.keptAt < 0 || r.keptAt == len(r.curve)-1 {
		return
	}
	for k, phi := range r.kept {
		r.obj.SetPhase(k, phi)
	}
}

// Validator is an Objective that can score its training samples, as a run with
// Settings.Validation > 0 needs to rank its states on the samples it holds out.
type Validator interface {
	TrainingAccuracy(samples []int) float64 // accuracy on these training samples, percent; not a query
}

// Kept returns the record of the state the run keeps: the one of highest validation
// accuracy so far (the earliest of equals), which the run programs back onto the chip when
// its budget is spent. ok is false when the run holds out no validation split.
func (r *Run) Kept() (rec Record, ok bool) {
	if r.keptAt < 0 {
		return Record{}, false
	}
	return r.curve[r.keptAt], true
}

// iterate runs one iteration of the method; cut reports that a budget ran out inside it
// (the method was unwound before the query that would have overrun it).
func (r *Run) iterate() (loss float64, cut bool) {
	defer func() {
		if v := recover(); v != nil {
			if v != errBudget {
				panic(v)
			}
			cut = true
		}
	}()
	return r.method.Iterate(&r.view, r.programmable(r.step)), false
}

// querySpent reports whether the query or the wall-time budget is spent: checked before
// every query, so a run never makes a query beyond its query budget, and stops within one
// query of its wall-time budget, whatever one iteration costs.
func (r *Run) querySpent() bool {
	s := r.set
	return (s.MaxQueries > 0 && r.obj.Queries() >= s.MaxQueries) ||
		(s.MaxWall > 0 && r.elapsed+time.Since(r.t0) >= s.MaxWall)
}

// exhausted reports whether a budget is spent.
func (r *Run) exhausted() bool {
	return r.querySpent() || (r.set.MaxIterations > 0 && r.iter >= r.set.MaxIterations)
}

// programmable returns the step the run's chip can take (see programmable).
func (r *Run) programmable(step float64) float64 { return programmable(step, r.obj.Resolution()) }

// programmable returns the step a chip whose control code is q can take: step rounded to
// a whole number of codes, at least one. On a continuous chip (q 0) it is step itself.
func programmable(step, q float64) float64 {
	if q <= 0 {
		return step
	}
	return max(math.Round(step/q), 1) * q
}

// nextBatch hands the objective the next minibatch of a shuffled pass over the
// training set, starting a new epoch (and decaying the step) when the pass is used up.
func (r *Run) nextBatch() {
	if r.pos+r.batch > len(r.order) {
		if r.iter > 0 {
			r.epoch++
			r.step *= r.set.Decay
		}
		r.data.Shuffle(len(r.order), func(i, j int) { r.order[i], r.order[j] = r.order[j], r.order[i] })
		r.pos = 0
	}
	r.obj.SetBatch(r.order[r.pos : r.pos+r.batch])
	r.pos += r.batch
}

// record appends the current state to the curve.
func (r *Run) record() {
	rec := Record{
		Queries: r.obj.Queries(), Iteration: r.iter, Epoch: r.epoch, Step: r.programmable(r.step),
		Loss: math.NaN(), Accuracy: r.obj.Evaluate(), Power: r.obj.Power(), PaperPower: r.obj.PaperPower(),
		Energy: r.energy,
	}
	if r.lossN > 0 {
		rec.Loss = r.lossSum / float64(r.lossN)
	}
	r.lossSum, r.lossN = 0, 0
	rec.Valid = math.NaN()
	if r.validator != nil {
		rec.Valid = r.validator.TrainingAccuracy(r.valid)
		if r.keptAt < 0 || rec.Valid > r.curve[r.keptAt].Valid {
			r.keptAt = len(r.curve)
			for k := range r.kept {
				r.kept[k] = r.obj.Phase(k)
			}
		}
	}
	r.curve = append(r.curve, rec)
	if r.set.OnRecord != nil {
		r.set.OnRecord(rec)
	}
}

// Curve returns the records so far (do not modify).
func (r *Run) Curve() []Record { return r.curve }

// Best returns the record of highest test accuracy (the earliest of equals).
func (r *Run) Best() Record {
	var best Record
	for i, rec := range r.curve {
		if i == 0 || rec.Accuracy > best.Accuracy {
			best = rec
		}
	}
	return best
}

// Queries returns the training queries so far.
func (r *Run) Queries() int64 { return r.obj.Queries() }

// Iteration returns the iterations completed.
func (r *Run) Iteration() int { return r.iter }

// Power returns the chip's power now.
func (r *Run) Power() float64 { return r.obj.Power() }

// Energy returns the sum of the power at every query so far.
func (r *Run) Energy() float64 { return r.energy }

// Elapsed returns the time spent inside Step.
func (r *Run) Elapsed() time.Duration { return r.elapsed }

// Done reports whether the run has ended.
func (r *Run) Done() bool { return r.done }

// Err returns why the run failed, or nil.
func (r *Run) Err() error { return r.err }

// Method returns the optimizer.
func (r *Run) Method() Method { return r.method }

// Objective returns what the run optimizes.
func (r *Run) Objective() Objective { return r.obj }

// runView is the ActiveSet a run hands its method: it adds energy accounting and pauses.
type runView struct{ r *Run }

func (v *runView) Len() int                    { return v.r.obj.Len() }
func (v *runView) Phase(k int) float64         { return v.r.obj.Phase(k) }
func (v *runView) SetPhase(k int, phi float64) { v.r.obj.SetPhase(k, phi) }
func (v *runView) Power() float64              { return v.r.obj.Power() }

func (v *runView) Loss() float64 {
	r := v.r
	if r.querySpent() {
		panic(errBudget)
	}
	r.energy += r.obj.Power()
	l := r.obj.Loss()
	if r.obj.Queries() >= r.pauseAt && !r.yield(struct{}{}) {
		panic(errStopped)
	}
	return l
}
