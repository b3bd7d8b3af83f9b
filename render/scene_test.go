package render

import (
	"math"
	"testing"
)

func TestSampleCellsImage(t *testing.T) {
	s := Sample{Shape: [3]int{1, 2, 3}, X: []float32{0, 0.5, 1, 0.25, 0.75, 1}}
	cells := SampleCells(s, Rect{0, 0, 300, 100})
	if len(cells) != 6 {
		t.Fatalf("%d cells", len(cells))
	}
	for i, c := range cells {
		if c.Rect.W() != c.Rect.H() || c.Rect.W() != 50 {
			t.Errorf("cell %d %v is not a 50 px square", i, c.Rect)
		}
		if !near(c.Value, float64(s.X[i]), 1e-7) {
			t.Errorf("cell %d value %g, want %g", i, c.Value, s.X[i])
		}
	}
	if cells[0].Rect.X0 != 75 || cells[3].Rect.Y0 != 50 {
		t.Errorf("image not centred row-major: %v %v", cells[0].Rect, cells[3].Rect)
	}
	flat := SampleCells(Sample{Shape: [3]int{1, 1, 2}, X: []float32{3, 3}}, Rect{0, 0, 10, 10})
	if flat[0].Value != 0 || flat[1].Value != 0 {
		t.Error("a constant image is dark, not NaN")
	}
	if SampleCells(Sample{Shape: [3]int{1, 2, 2}, X: []float32{1}}, Rect{0, 0, 1, 1}) != nil {
		t.Error("a short sample draws nothing")
	}
}

func TestSampleCellsFeatures(t *testing.T) {
	s := Sample{Shape: [3]int{4, 1, 1}, X: []float32{2, -1, 0, -4}}
	cells := SampleCells(s, Rect{0, 0, 40, 100})
	if len(cells) != 4 {
		t.Fatalf("%d bars", len(cells))
	}
	if cells[3].Value != 1 || cells[0].Value != 0.5 || cells[1].Value != 0.25 {
		t.Errorf("bar values %v %v %v", cells[0].Value, cells[1].Value, cells[3].Value)
	}
	if !(cells[0].Rect.Y1 <= 50.0+1e-9 && cells[1].Rect.Y0 >= 50.0-1e-9) {
		t.Errorf("positive bars rise above the baseline, negative fall below: %v %v", cells[0].Rect, cells[1].Rect)
	}
	if !near(cells[3].Rect.H(), 50, 1e-9) {
		t.Errorf("the largest magnitude fills half the height: %v", cells[3].Rect)
	}
}

func TestSoftmaxArgmax(t *testing.T) {
	p := Softmax([]float64{1000, 1001, 999})
	sum := 0.0
	for _, v := range p {
		sum += v
	}
	if !near(sum, 1, 1e-12) || Argmax(p) != 1 {
		t.Errorf("softmax %v", p)
	}
	q := Softmax([]float64{0, 1, -1})
	for i := range p {
		if !near(p[i], q[i], 1e-12) {
			t.Errorf("softmax must be shift invariant: %v %v", p, q)
		}
	}
	if !near(q[1]/q[0], math.E, 1e-12) {
		t.Errorf("ratio %g", q[1]/q[0])
	}
	if Argmax([]float64{math.NaN(), 2, 3}) != 2 || Argmax(nil) != -1 {
		t.Error("Argmax")
	}
	if s := (Readouts{Power: 25, FullPower: 100}).Saving(); s != 75 {
		t.Errorf("saving %g", s)
	}
	if !math.IsNaN((Readouts{}).Saving()) {
		t.Error("no full power: saving NaN")
	}
}

func TestRunDiff(t *testing.T) {
	cur := "szo-scd α 0.15 s 0.1 p 1 seed 1"
	for run, want := range map[string]string{
		"szo-scd α 0.15 s 0.1 p 0 seed 1":   "p 0",
		"flops α 0.15 s 0.1 p 1 seed 2":     "flops seed 2",
		"szo-scd α 0.15 s 0.1 p 1 seed 1":   "same settings",
		"szo-scd α 0.05 s 0.1 p 0.5 seed 1": "α 0.05 p 0.5",
	} {
		if got := RunDiff(run, cur); got != want {
			t.Errorf("RunDiff(%q) = %q, want %q", run, got, want)
		}
	}
}
