package dataset

import "fmt"

// Set is a labelled data set held in memory: N samples of Shape (channels,
// height, width) values each, stored sample after sample in X, with labels in
// Y. For feature vectors (vowel4) the shape is {features, 1, 1}.
type Set struct {
	Name    string
	Shape   [3]int    // channels, height, width of one sample
	Classes int       // labels are 0 .. Classes-1
	X       []float32 // len = Len() * Features(), row-major, sample after sample
	Y       []uint8   // one label per sample
}

// Len is the number of samples.
func (s *Set) Len() int { return len(s.Y) }

// Features is the number of values in one sample: the product of Shape.
func (s *Set) Features() int { return s.Shape[0] * s.Shape[1] * s.Shape[2] }

// Sample returns the values of sample i (a view into X, not a copy). It panics
// if i is out of range, like a slice index.
func (s *Set) Sample(i int) []float32 {
	f := s.Features()
	return s.X[i*f : (i+1)*f : (i+1)*f]
}

// Head returns a set holding the first n samples of s (n is clamped to
// [0, Len()]); it shares X and Y with s.
func (s *Set) Head(n int) *Set {
	n = max(0, min(n, s.Len()))
	f := s.Features()
	return &Set{Name: s.Name, Shape: s.Shape, Classes: s.Classes, X: s.X[: n*f : n*f], Y: s.Y[:n:n]}
}

// ClassCounts returns how many samples carry each label 0 .. Classes-1.
// Labels out of range are not counted (Validate reports them).
func (s *Set) ClassCounts() []int {
	counts := make([]int, max(s.Classes, 0))
	for _, y := range s.Y {
		if int(y) < len(counts) {
			counts[y]++
		}
	}
	return counts
}

// Validate checks that the set is consistent: a name, positive shape and
// class count, len(X) = Len()*Features(), labels below Classes, and finite
// values. The error names the field and, for values, the sample.
func (s *Set) Validate() error {
	if s == nil {
		return fmt.Errorf("dataset: nil set")
	}
	if err := checkName(s.Name); err != nil {
		return fmt.Errorf("dataset %q: name: %w", s.Name, err)
	}
	for i, d := range s.Shape {
		if d <= 0 || d > maxDim {
			return fmt.Errorf("dataset %s: shape[%d] = %d, want 1..%d", s.Name, i, d, maxDim)
		}
	}
	if f := s.Features(); f > maxFeatures {
		return fmt.Errorf("dataset %s: %d features per sample, more than %d", s.Name, f, maxFeatures)
	}
	if s.Classes < 1 || s.Classes > 256 {
		return fmt.Errorf("dataset %s: classes = %d, want 1..256", s.Name, s.Classes)
	}
	if len(s.X) != s.Len()*s.Features() {
		return fmt.Errorf("dataset %s: len(X) = %d, want %d samples x %d features = %d",
			s.Name, len(s.X), s.Len(), s.Features(), s.Len()*s.Features())
	}
	for i, y := range s.Y {
		if int(y) >= s.Classes {
			return fmt.Errorf("dataset %s: sample %d: label %d, want < %d classes", s.Name, i, y, s.Classes)
		}
	}
	f := s.Features()
	for i, v := range s.X {
		if v != v || v > maxFloat32 || v < -maxFloat32 {
			return fmt.Errorf("dataset %s: sample %d feature %d: value %v is not finite", s.Name, i/f, i%f, v)
		}
	}
	return nil
}

const maxFloat32 = 3.4028234663852886e38

// Split selects the training or the test part of a data set.
type Split int

// The two splits every data set has.
const (
	Train Split = iota
	Test
)

// String gives "train" or "test".
func (s Split) String() string {
	switch s {
	case Train:
		return "train"
	case Test:
		return "test"
	}
	return fmt.Sprintf("Split(%d)", int(s))
}

// ParseSplit reads "train" or "test".
func ParseSplit(s string) (Split, error) {
	switch s {
	case "train":
		return Train, nil
	case "test":
		return Test, nil
	}
	return 0, fmt.Errorf("dataset: unknown split %q (want train or test)", s)
}

func checkName(name string) error {
	if len(name) == 0 || len(name) > maxName {
		return fmt.Errorf("length %d, want 1..%d", len(name), maxName)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return fmt.Errorf("byte %d (%q) is not one of a-z 0-9 - _", i, c)
		}
	}
	return nil
}
