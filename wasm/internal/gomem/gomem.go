// Package gomem reports Go's heap to the page API (window.meshlight.memory()), for the
// page's module and the engine's alike.
package gomem

import "runtime"

// Stats returns Go's heap before and after a forced collection (after it, the live heap)
// and the runtime's heap figures (runtime.ReadMemStats), byte counts as float64s
// (JavaScript numbers).
func Stats() map[string]any {
	var before, ms runtime.MemStats
	runtime.ReadMemStats(&before)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return map[string]any{
		"heapAlloc":       float64(ms.HeapAlloc),
		"heapAllocBefore": float64(before.HeapAlloc),
		"heapSys":         float64(ms.HeapSys),
		"heapInuse":       float64(ms.HeapInuse),
		"heapIdle":        float64(ms.HeapIdle),
		"heapReleased":    float64(ms.HeapReleased),
		"sys":             float64(ms.Sys),
		"nextGC":          float64(ms.NextGC),
		"numGC":           float64(ms.NumGC),
		"pauseTotalMs":    float64(ms.PauseTotalNs) / 1e6,
	}
}
