package dataset

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImageTransformByHand(t *testing.T) {
	// One 4x4 image, rows 0..3: values chosen so box means are easy to check.
	im := &Images{N: 1, H: 4, W: 4, Pix: []byte{
		0, 2, 10, 10,
		4, 1, 10, 11,
		255, 255, 0, 0,
		255, 254, 0, 1,
	}}
	cases := []struct {
		tr   ImageTransform
		side int
		want []byte
	}{
		// 2x2 means: 7/4=1.75->2, 41/4=10.25->10, 1019/4=254.75->255, 1/4=0.25->0
		{ImageTransform{Factor: 2}, 2, []byte{2, 10, 255, 0}},
		// crop 1: the centre 2x2, unchanged at factor 1
		{ImageTransform{Crop: 1, Factor: 1}, 2, []byte{1, 10, 255, 0}},
		// pad 1 to 6x6, 3x3 boxes: top-left box holds 0,2,4,1 -> 7/9 -> 1;
		// top-right 10,10,10,11 -> 41/9=4.56 -> 5; bottom-left 255*3+254=1019/9=113.2 -> 113; bottom-right 1/9 -> 0
		{ImageTransform{Pad: 1, Factor: 3}, 2, []byte{1, 5, 113, 0}},
		// whole image: sum 22+26+510+510 = 1068, /16 = 66.75 -> 67
		{ImageTransform{Factor: 4}, 1, []byte{67}},
	}
	for _, c := range cases {
		got, side, err := c.tr.Apply(im)
		if err != nil {
			t.Fatalf("%+v: %v", c.tr, err)
		}
		if side != c.side || !bytes.Equal(got, c.want) {
			t.Errorf("%+v: side %d pixels %v, want %d %v", c.tr, side, got, c.side, c.want)
		}
	}
}

func TestImageTransformRoundsHalfUp(t *testing.T) {
	im := &Images{N: 2, H: 2, W: 2, Pix: []byte{1, 1, 0, 0, 3, 2, 2, 3}} // means 0.5 and 2.5
	got, _, err := ImageTransform{Factor: 2}.Apply(im)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, []byte{1, 3}) {
		t.Fatalf("got %v, want [1 3]", got)
	}
}

func TestImageTransformErrors(t *testing.T) {
	for _, tr := range []ImageTransform{{Factor: 0}, {Crop: -1, Factor: 1}, {Crop: 1, Pad: 1, Factor: 1}, {Factor: 3}, {Crop: 14, Factor: 1}} {
		if _, err := tr.OutSide(28); err == nil {
			t.Errorf("%+v accepted for side 28", tr)
		}
	}
	if _, _, err := (ImageTransform{Factor: 1}).Apply(&Images{N: 1, H: 2, W: 3, Pix: make([]byte, 6)}); err == nil {
		t.Error("non-square images accepted")
	}
	for _, c := range []struct {
		tr   ImageTransform
		side int
	}{{specs[MNIST8].transform, 8}, {specs[MNIST16].transform, 16}, {specs[MNIST28].transform, 28}, {specs[FMNIST32].transform, 32}} {
		if got, err := c.tr.OutSide(28); err != nil || got != c.side {
			t.Errorf("%+v: side %d (%v), want %d", c.tr, got, err, c.side)
		}
	}
}

func TestGeometryUnknown(t *testing.T) {
	if _, _, err := Geometry("mnist9"); err == nil || !strings.Contains(err.Error(), "mnist28") {
		t.Errorf("Geometry(mnist9): %v, want an error listing the names", err)
	}
}

func TestPixelValue(t *testing.T) {
	if PixelValue(0) != 0 || PixelValue(255) != 1 || PixelValue(51) != float32(0.2) {
		t.Fatalf("PixelValue: 0->%v 255->%v 51->%v", PixelValue(0), PixelValue(255), PixelValue(51))
	}
}

func TestSetHelpers(t *testing.T) {
	s := imageTestSet()
	if s.Len() != 3 || s.Features() != 6 {
		t.Fatalf("Len %d Features %d", s.Len(), s.Features())
	}
	if got := s.Sample(1); len(got) != 6 || got[0] != PixelValue(90) {
		t.Fatalf("Sample(1) = %v", got)
	}
	h := s.Head(2)
	if h.Len() != 2 || len(h.X) != 12 || h.Validate() != nil {
		t.Fatalf("Head(2) = %+v", h)
	}
	if s.Head(10).Len() != 3 || s.Head(-1).Len() != 0 {
		t.Fatal("Head does not clamp")
	}
	if c := s.ClassCounts(); len(c) != 4 || c[0] != 1 || c[1] != 0 || c[2] != 1 || c[3] != 1 {
		t.Fatalf("ClassCounts = %v", c)
	}
	if sp, err := ParseSplit("test"); err != nil || sp != Test || sp.String() != "test" {
		t.Fatalf("ParseSplit(test) = %v, %v", sp, err)
	}
	if _, err := ParseSplit("valid"); err == nil {
		t.Fatal("ParseSplit accepted valid")
	}
}

func TestClassNames(t *testing.T) {
	if got := ClassNames(Vowel4); len(got) != 4 || got[0] != "heed" || got[1] != "head" || got[2] != "hard" || got[3] != "hood" {
		t.Errorf("vowel4 classes %v", got)
	}
	if got := ClassNames(FMNIST32); len(got) != 10 || got[9] != "Ankle boot" {
		t.Errorf("fmnist32 classes %v", got)
	}
	if got := ClassNames(MNIST16); len(got) != 10 || got[7] != "7" {
		t.Errorf("mnist16 classes %v", got)
	}
	if got := ClassNames(MNIST28); len(got) != 10 || got[7] != "7" {
		t.Errorf("mnist28 classes %v", got)
	}
	if ClassNames("cifar10") != nil {
		t.Error("unknown set has class names")
	}
}

func TestFileReaders(t *testing.T) {
	dir := t.TempDir()
	idx := filepath.Join(dir, "a.idx.gz")
	if err := os.WriteFile(idx, gz(t, idxBytes([]int{2}, []byte{7, 8})), 0o644); err != nil {
		t.Fatal(err)
	}
	if m, err := ReadIDXFile(idx); err != nil || !bytes.Equal(m.Data, []byte{7, 8}) {
		t.Fatalf("ReadIDXFile: %v %v", m, err)
	}
	bin := filepath.Join(dir, "x.bin.gz")
	var buf bytes.Buffer
	if err := Write(&buf, floatTestSet()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, buf.Bytes()[:buf.Len()-3], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(bin); err == nil || !strings.HasPrefix(err.Error(), bin+": ") {
		t.Fatalf("ReadFile of a truncated file: %v, want an error naming %s", err, bin)
	}
	for _, f := range []func(string) error{
		func(p string) error { _, err := ReadFile(p); return err },
		func(p string) error { _, err := ReadIDXFile(p); return err },
		func(p string) error { _, err := ReadVowelFile(p); return err },
	} {
		if err := f(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("missing file: %v", err)
		}
	}
}
