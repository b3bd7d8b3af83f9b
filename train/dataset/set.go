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
	if err := CheckName(s.Name); err != nil {
		return fmt.Errorf("dataset: name: %w", err)
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

// MaxNameLen is the longest data set name, in bytes.
const MaxNameLen = 32

// CheckName checks that name is a plain data set name, the one rule for every data set
// or model name that becomes part of a file path or URL (FileName, a model file's
// "dataset" field, the header of a data file): 1 to MaxNameLen bytes of a-z, 0-9, '-'
// and '_', starting with a letter or a digit, i.e. ^[a-z0-9][a-z0-9_-]{0,31}$. Such a
// name has no '/', '\', '.', ':', '%' or space, so it cannot leave the folder it is
// looked up in, name a hidden file or change a URL's origin: "mnist8", "fmnist32" and
// "vowel4" pass, "../../../evil" and "" do not. The error says which byte is wrong and
// quotes at most the first 40 bytes of name.
func CheckName(name string) error {
	if len(name) == 0 || len(name) > MaxNameLen {
		return fmt.Errorf("%s is not a data set name: %d bytes, want 1..%d of a-z 0-9 - _", shortQuote(name), len(name), MaxNameLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '-' || c == '_') && i > 0:
		case c == '-' || c == '_':
			return fmt.Errorf("%s is not a data set name: it starts with %q, want a-z or 0-9", shortQuote(name), c)
		default:
			return fmt.Errorf("%s is not a data set name: byte %d is %q, want one of a-z 0-9 - _", shortQuote(name), i, c)
		}
	}
	return nil
}

// shortQuote quotes s for an error message, cut to its first 40 bytes.
func shortQuote(s string) string {
	const max = 40
	if len(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q... (%d bytes)", s[:max], len(s))
}
