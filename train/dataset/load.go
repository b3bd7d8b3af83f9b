package dataset

import (
	"fmt"
	"path/filepath"
)

// The derived data sets, by name.
const (
	Vowel4   = "vowel4"   // 4 vowels x 8 standardized features, Shape {8,1,1}
	MNIST8   = "mnist8"   // MNIST digits at 8x8, Shape {1,8,8}
	MNIST16  = "mnist16"  // MNIST digits at 16x16, Shape {1,16,16}
	MNIST28  = "mnist28"  // MNIST digits at full resolution, 28x28, Shape {1,28,28}
	FMNIST32 = "fmnist32" // Fashion-MNIST at 32x32, Shape {1,32,32}
)

// VowelSelection4 is the reduction that makes vowel4 (see the package doc for
// why): Deterding vowels 0 heed /i/, 2 head /E/, 4 hard /a:/, 8 hood /U/
// (labels 0..3 in this order) and features X3, X4, X6 .. X11 (0-based 0, 1,
// 3, 4, 5, 6, 7, 8; dropped: X5 and X12).
var VowelSelection4 = VowelSelection{
	Classes:  []int{0, 2, 4, 8},
	Features: []int{0, 1, 3, 4, 5, 6, 7, 8},
}

// VowelWords names Deterding's 11 vowels by the word they were spoken in,
// indexed by class.
var VowelWords = [VowelClasses]string{"heed", "hid", "head", "had", "hard", "hud", "hod", "hoard", "hood", "who'd", "heard"}

// FashionMNISTClasses names the 10 Fashion-MNIST labels.
var FashionMNISTClasses = [10]string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

// ClassNames gives a display name for every label of a derived data set:
// digits for MNIST, garment names for Fashion-MNIST, the words the vowels
// were spoken in for vowel4. Unknown names give nil.
func ClassNames(name string) []string {
	switch name {
	case MNIST8, MNIST16, MNIST28:
		return []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	case FMNIST32:
		return FashionMNISTClasses[:]
	case Vowel4:
		var words []string
		for _, c := range VowelSelection4.Classes {
			words = append(words, VowelWords[c])
		}
		return words
	}
	return nil
}

type spec struct {
	source    string         // "mnist", "fmnist" or "vowel"
	transform ImageTransform // images only
	shipped   [2]int         // samples shipped in static/data, by Split
}

var specs = map[string]spec{
	Vowel4:   {source: "vowel", shipped: [2]int{Train: 192, Test: 168}},
	MNIST8:   {source: "mnist", transform: ImageTransform{Crop: 2, Factor: 3}, shipped: [2]int{Train: 10000, Test: 10000}},
	MNIST16:  {source: "mnist", transform: ImageTransform{Pad: 2, Factor: 2}, shipped: [2]int{Train: 5000, Test: 10000}},
	MNIST28:  {source: "mnist", transform: ImageTransform{Factor: 1}, shipped: [2]int{Train: 12000, Test: 10000}},
	FMNIST32: {source: "fmnist", transform: ImageTransform{Pad: 2, Factor: 1}, shipped: [2]int{Train: 2000, Test: 2000}},
}

// Names lists the derived data sets in a fixed order.
func Names() []string { return []string{Vowel4, MNIST8, MNIST16, MNIST28, FMNIST32} }

func lookup(name string, split Split) (spec, error) {
	sp, ok := specs[name]
	if !ok {
		return spec{}, fmt.Errorf("dataset: unknown data set %q (want one of %v)", name, Names())
	}
	if split != Train && split != Test {
		return spec{}, fmt.Errorf("dataset %s: unknown split %d", name, int(split))
	}
	return sp, nil
}

// ShippedLen is how many samples of a split static/data ships: the first
// ShippedLen samples of Load(name, split).
func ShippedLen(name string, split Split) (int, error) {
	sp, err := lookup(name, split)
	if err != nil {
		return 0, err
	}
	return sp.shipped[split], nil
}

// Load derives a full split of a data set from the raw sources on this
// machine (located with LocateSources; a missing source is an error naming
// `make deps-data`). Values are quantised exactly as the shipped files store
// them, so a Set from Load and one read back from static/data agree bit for
// bit on the samples they share.
func Load(name string, split Split) (*Set, error) {
	sp, err := lookup(name, split)
	if err != nil {
		return nil, err
	}
	var src Sources
	switch sp.source {
	case "mnist":
		src.MNIST, err = LocateMNIST()
	case "fmnist":
		src.FashionMNIST, err = LocateFashionMNIST()
	case "vowel":
		src.Vowel, err = LocateVowel()
	}
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", name, err)
	}
	return src.Load(name, split)
}

// LoadShipped is Load cut to the samples static/data ships (see ShippedLen):
// the exact set the shipped file of that split holds.
func LoadShipped(name string, split Split) (*Set, error) {
	s, err := Load(name, split)
	if err != nil {
		return nil, err
	}
	n, _ := ShippedLen(name, split)
	if s.Len() < n {
		return nil, fmt.Errorf("dataset %s %s: %d samples, fewer than the %d shipped", name, split, s.Len(), n)
	}
	return s.Head(n), nil
}

// Load derives a full split of a data set from the sources in s (only the
// field the data set needs must be set).
func (s Sources) Load(name string, split Split) (*Set, error) {
	sp, err := lookup(name, split)
	if err != nil {
		return nil, err
	}
	switch sp.source {
	case "vowel":
		if s.Vowel == "" {
			return nil, fmt.Errorf("dataset %s: vowel source not set: %w", name, ErrSourceMissing)
		}
		rows, err := ReadVowelFile(s.Vowel)
		if err != nil {
			return nil, fmt.Errorf("dataset %s: %w", name, err)
		}
		return vowelSet(name, rows, VowelSelection4, split)
	case "mnist", "fmnist":
		dir := s.MNIST
		if sp.source == "fmnist" {
			dir = s.FashionMNIST
		}
		if dir == "" {
			return nil, fmt.Errorf("dataset %s: %s source not set: %w", name, sp.source, ErrSourceMissing)
		}
		files := idxNames[split]
		im, labels, err := ReadIDXImagesFiles(filepath.Join(dir, files[0]), filepath.Join(dir, files[1]), 10)
		if err != nil {
			return nil, fmt.Errorf("dataset %s: %w", name, err)
		}
		pix, side, err := sp.transform.Apply(im)
		if err != nil {
			return nil, fmt.Errorf("dataset %s: %w", name, err)
		}
		return imageSet(name, pix, side, labels, 10), nil
	}
	return nil, fmt.Errorf("dataset %s: unknown source %q", name, sp.source)
}

// Geometry returns the sample shape and class count of a derived data set without
// loading it, e.g. {1, 28, 28} and 10 for mnist28, {8, 1, 1} and 4 for vowel4: what a
// network must take in and tell apart. Unknown names are an error listing Names.
func Geometry(name string) (shape [3]int, classes int, err error) {
	sp, err := lookup(name, Test)
	if err != nil {
		return shape, 0, err
	}
	if sp.source == "vowel" {
		return [3]int{len(VowelSelection4.Features), 1, 1}, len(VowelSelection4.Classes), nil
	}
	side, err := sp.transform.OutSide(28)
	if err != nil {
		return shape, 0, fmt.Errorf("dataset %s: %w", name, err)
	}
	return [3]int{1, side, side}, 10, nil
}
