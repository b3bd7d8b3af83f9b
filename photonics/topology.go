package photonics

import (
	"fmt"
	"math"
	"strings"
)

// Topology names the arrangement of MZI rotators in a mesh.
type Topology int

const (
	// Reck is the triangular mesh of adjacent-waveguide rotators (2n-3 columns).
	Reck Topology = iota
	// Clements is the rectangular mesh (n columns of alternating even/odd rows).
	Clements
)

// String returns "reck" or "clements" (the names ParseTopology accepts).
func (t Topology) String() string {
	switch t {
	case Reck:
		return "reck"
	case Clements:
		return "clements"
	}
	return fmt.Sprintf("Topology(%d)", int(t))
}

// ParseTopology parses "reck" or "clements" (case-insensitive, surrounding space ignored).
func ParseTopology(s string) (Topology, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "reck":
		return Reck, nil
	case "clements":
		return Clements, nil
	}
	return 0, fmt.Errorf("photonics: unknown topology %q, want \"reck\" or \"clements\"", s)
}

func (t Topology) valid() bool { return t == Reck || t == Clements }

const twoPi = 2 * math.Pi

// Wrap maps a phase to [0, 2pi). NaN and infinities map to NaN.
func Wrap(phi float64) float64 {
	if math.IsNaN(phi) || math.IsInf(phi, 0) {
		return math.NaN()
	}
	w := math.Mod(phi, twoPi)
	if w < 0 {
		w += twoPi
	}
	if w >= twoPi { // -tiny + 2pi rounds up to 2pi
		w = 0
	}
	return w
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// badValue describes a non-finite value for an error message.
func badValue(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "+Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	}
	return fmt.Sprint(x)
}
