// Package page is the page's half of the in-browser simulator, free of any browser API so
// that it builds and tests natively: the mirror of an engine built from its snapshots
// (wire.Snapshot), the race rules the page applies (what goes on to the racers, their
// messages, the leader) and booth mode's one state machine (Booth). It imports the wire
// format, render and photonics only: no engine code (train, wasm/sim), which the page
// module would otherwise carry without running it.
package page
