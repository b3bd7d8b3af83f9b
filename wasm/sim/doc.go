// Package sim is the state of the in-browser simulator, free of any browser API so that it
// builds and tests natively: the settings and their URL form, the catalog of shipped models,
// loading a model and its data from bytes, the deployed chip, the training run stepped within
// a frame's time budget, the history of runs, and the snapshot that render draws.
package sim
