package gomem

import "testing"

// The live heap after the collection is at most what was allocated before it, and every
// figure is a number.
func TestStats(t *testing.T) {
	keep := make([]byte, 1<<20)
	s := Stats()
	if s["heapAlloc"].(float64) > s["heapAllocBefore"].(float64) || s["heapAlloc"].(float64) < float64(len(keep)) {
		t.Errorf("heap %v after, %v before, holding %d bytes", s["heapAlloc"], s["heapAllocBefore"], len(keep))
	}
	if len(s) != 10 {
		t.Errorf("%d figures", len(s))
	}
	keep[0] = 1
}
