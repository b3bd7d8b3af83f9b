package train

import "github.com/meshlight/meshlight/photonics"

// shadowed is the ablation Config.Shadow: an Objective whose optimizer keeps its own
// full-precision copy of the active phases, as the method's authors' code does (its
// optimizer holds float phases and quantizes them only when it programs the chip). Phase
// reads the copy, SetPhase writes the copy (wrapped to [0, 2pi)) and programs the chip,
// which quantizes it to its control codes. Steps are then not whole codes: a step below
// one code moves the copy and reaches the chip once the copy crosses a code's boundary.
type shadowed struct {
	*Problem
	phi []float64
}

// shadow returns p with a full-precision copy of its active phases.
func shadow(p *Problem) *shadowed {
	s := &shadowed{Problem: p, phi: make([]float64, p.Len())}
	for k := range s.phi {
		s.phi[k] = p.Phase(k)
	}
	return s
}

// Phase implements ActiveSet: the optimizer's full-precision phase.
func (s *shadowed) Phase(k int) float64 { return s.phi[k] }

// SetPhase implements ActiveSet: the copy takes phi, the chip its nearest code.
func (s *shadowed) SetPhase(k int, phi float64) {
	if phi != phi || phi > 1e300 || phi < -1e300 { // NaN or infinite: the chip refuses it
		s.Problem.SetPhase(k, phi)
		return
	}
	s.phi[k] = photonics.Wrap(phi)
	s.Problem.SetPhase(k, s.phi[k])
}

// Resolution implements Objective: the optimizer's phases are continuous, so the run
// takes its step as it is (not in whole codes, without a floor).
func (s *shadowed) Resolution() float64 { return 0 }
