// Package sim is the engine's side of the in-browser simulator, free of any browser API so
// that it builds and tests natively: the settings and their URL form, the catalog of shipped
// models, the race list and each racer's settings, loading a model and its data from bytes,
// the deployed chip, the training run stepped within a frame's time budget, the history of
// runs, and the snapshot the page draws (wire.Snapshot). It is the one browser package that
// imports train; the page's side (wasm/page) imports none of it.
package sim
