package torchseed

import (
	"testing"

	"github.com/sugarme/gotch"
	"github.com/sugarme/gotch/ts"
)

// TestManualRepeats is the gotch smoke test: libtorch links, runs, and a seed fixes randn.
func TestManualRepeats(t *testing.T) {
	draw := func() []float64 {
		if !Manual(42) {
			t.Fatal("at_manual_seed not linked")
		}
		x := ts.MustRandn([]int64{5}, gotch.Double, gotch.CPU)
		defer x.MustDrop()
		return x.Float64Values()
	}
	a, b := draw(), draw()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("randn after the same seed differs at %d: %v vs %v", i, a, b)
		}
	}
	if a[0] == a[1] {
		t.Fatalf("randn gave equal draws %v", a)
	}
}
