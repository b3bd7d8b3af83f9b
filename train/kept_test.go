package train

import (
	"math"
	"slices"
	"testing"
)

// batchLog is a Problem that remembers every training sample a minibatch used.
type batchLog struct {
	*Problem
	trained map[int]bool
}

func (b *batchLog) SetBatch(samples []int) {
	for _, s := range samples {
		b.trained[s] = true
	}
	b.Problem.SetBatch(samples)
}

// A run with a validation split never trains on the samples it holds out, keeps the state
// of best validation accuracy and programs it back at the end: the chip then scores that
// record's test accuracy, and its phases are that state's.
func TestKeptState(t *testing.T) {
	p := &batchLog{Problem: blobs.problem(t, 0.05, 0.3, 4), trained: map[int]bool{}}
	s := settings(20_000, 4)
	s.EvalEvery, s.Validation = 500, 0.2
	r, err := NewRun(p, &SZOSCD{S: 0.1, Prune: 1}, s)
	if err != nil {
		t.Fatal(err)
	}
	held := slices.Clone(r.valid)
	if want := int(math.Round(0.2 * float64(p.Samples()))); len(held) != want || !slices.IsSorted(held) {
		t.Fatalf("%d samples held out (sorted: %v), want %d", len(held), slices.IsSorted(held), want)
	}
	// Record the phases at every record, to compare the restored state with.
	var phases [][]float64
	r.set.OnRecord = func(Record) {
		ph := make([]float64, p.Len())
		for k := range ph {
			ph[k] = p.Phase(k)
		}
		phases = append(phases, ph)
	}
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
	for _, h := range held {
		if p.trained[h] {
			t.Fatalf("held-out sample %d was in a minibatch", h)
		}
	}
	if len(p.trained)+len(held) != p.Samples() {
		t.Errorf("%d samples trained on and %d held out, want all %d of the pool", len(p.trained), len(held), p.Samples())
	}
	kept, ok := r.Kept()
	if !ok {
		t.Fatal("no kept state")
	}
	c := r.Curve()
	at := -1
	for i, rec := range c {
		if math.IsNaN(rec.Valid) {
			t.Fatalf("record %d has no validation accuracy", i)
		}
		if rec.Valid > kept.Valid || (rec.Valid == kept.Valid && at < 0) {
			if rec.Valid > kept.Valid {
				t.Fatalf("record %d validates at %.2f%%, above the kept %.2f%%", i, rec.Valid, kept.Valid)
			}
			at = i
		}
	}
	if c[at] != kept {
		t.Errorf("kept record %+v, want the first of best validation, %+v", kept, c[at])
	}
	if at == len(c)-1 {
		t.Fatalf("the best validated state is the last (%+v): the test restores nothing; change the seed", kept)
	}
	for k := range p.Len() {
		if got, want := p.Phase(k), phases[at-1][k]; got != want { // phases[i] is record i+1's: the first record precedes OnRecord
			t.Fatalf("after the run, active phase %d is %v, want the kept state's %v", k, got, want)
		}
	}
	if acc := p.Evaluate(); acc != kept.Accuracy {
		t.Errorf("the restored chip scores %.2f%% on the test set, the kept record %.2f%%", acc, kept.Accuracy)
	}
	if got := p.TrainingAccuracy(held); got != kept.Valid {
		t.Errorf("the restored chip validates at %.2f%%, the kept record at %.2f%%", got, kept.Valid)
	}
}

// A validation split must leave a minibatch to train on, and the objective must score
// training samples; without a split a run keeps nothing.
func TestValidationSettings(t *testing.T) {
	s := settings(100, 1)
	s.Validation = 0.6
	if _, err := NewRun(blobs.problem(t, 0.05, 0.3, 1), &SZOSCD{S: 0.1}, s); err == nil {
		t.Error("validation 0.6 accepted")
	}
	s.Validation, s.Batch = 0.5, 300
	if _, err := NewRun(blobs.problem(t, 0.05, 0.3, 1), &SZOSCD{S: 0.1}, s); err == nil {
		t.Error("a batch of 300 of the 256 samples left after the split accepted")
	}
	s.Validation, s.Batch = 0.1, 1
	if _, err := NewRun(newBowl(3, spread), &SZOSCD{S: 1}, s); err == nil {
		t.Error("a validation split of an objective that cannot score training samples accepted")
	}
	s.Validation = 0
	r, err := NewRun(blobs.problem(t, 0.05, 0.3, 1), &SZOSCD{S: 0.1}, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Kept(); ok || !math.IsNaN(r.Curve()[0].Valid) {
		t.Errorf("a run without a split keeps a state (first record %+v)", r.Curve()[0])
	}
}

// A run without a budget that its caller ends (End) programs its kept state back, as a
// spent budget does; Close leaves the chip as it is.
func TestEndRestoresKept(t *testing.T) {
	for _, end := range []bool{true, false} {
		p := blobs.problem(t, 0.05, 0.3, 4)
		s := settings(0, 4)
		s.EvalEvery, s.Validation = 500, 0.2
		r, err := NewRun(p, &SZOSCD{S: 0.1, Prune: 1}, s)
		if err != nil {
			t.Fatal(err)
		}
		var kept []float64
		r.set.OnRecord = func(rec Record) {
			if k, _ := r.Kept(); k.Queries == rec.Queries && k.Valid == rec.Valid {
				kept = kept[:0]
				for i := range p.Len() {
					kept = append(kept, p.Phase(i))
				}
			}
		}
		r.Step(12_345) // pauses inside an iteration
		last := make([]float64, p.Len())
		for i := range last {
			last[i] = p.Phase(i)
		}
		if k, _ := r.Kept(); k == r.Curve()[len(r.Curve())-1] || len(kept) == 0 {
			t.Fatalf("the kept state is the last one (%+v): the test restores nothing; change the seed", k)
		}
		want := last
		if end {
			r.End()
			want = kept
		} else {
			r.Close()
		}
		for i := range want {
			if p.Phase(i) != want[i] {
				t.Fatalf("end %v: phase %d is %v after the run, want %v", end, i, p.Phase(i), want[i])
			}
		}
		if q := r.Queries(); !r.Step(100) || r.Queries() != q {
			t.Errorf("end %v: the run went on after it ended", end)
		}
	}
}
