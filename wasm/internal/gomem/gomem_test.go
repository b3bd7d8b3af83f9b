package gomem

import "testing"

// The live heap after the collection holds what the caller keeps, and every figure is a
// non-negative number. (Before and after are not compared: the runtime may allocate in
// between.)
func TestStats(t *testing.T) {
	keep := make([]byte, 1<<20)
	s := Stats()
	if s["heapAlloc"].(float64) < float64(len(keep)) {
		t.Errorf("live heap %v, holding %d bytes", s["heapAlloc"], len(keep))
	}
	if len(s) != 10 {
		t.Errorf("%d figures", len(s))
	}
	for k, v := range s {
		if f, ok := v.(float64); !ok || f < 0 {
			t.Errorf("%s = %v", k, v)
		}
	}
	keep[0] = 1
}
