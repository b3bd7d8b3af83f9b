package wire

// Plateau is the rule that ends a run in booth mode (page.BoothPlateau), judged on the
// run's validation split (never on the test set) through its kept state, the record of best
// validation accuracy (Stats.KeptQueries): a run has plateaued when it has found no better
// kept state for Factor times the queries it took to find the one it keeps, once it has
// made Min queries; at Max queries it ends whatever its progress. A run that keeps
// improving moves its kept state on and is not cut before Max; one that slides after its
// best is cut a bounded stretch after it. The page's booth cycle sends it to the engine
// with the command until, so that the engine ends the run where the rule holds
// (sim.Session.Until): within a slice of training, rather than a frame and a message later.
type Plateau struct {
	Factor   float64 // the stretch without a better kept state, in multiples of the kept state's queries
	Min, Max int64   // ONN queries
}

// Reached reports whether a run that has made queries ONN queries, whose kept state was
// recorded at kept queries, has plateaued by the rule. kept < 0 says the run keeps none
// (it holds out no validation split): its progress cannot be judged and it runs to Max.
func (p Plateau) Reached(queries, kept int64) bool {
	switch {
	case queries >= p.Max:
		return true
	case queries < p.Min || kept < 0:
		return false
	}
	return float64(queries-kept) >= p.Factor*float64(kept)
}
