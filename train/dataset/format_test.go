package dataset

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
)

func imageTestSet() *Set {
	s := &Set{Name: "tiny", Shape: [3]int{1, 2, 3}, Classes: 4, Y: []uint8{0, 3, 2}}
	for i := 0; i < 18; i++ {
		s.X = append(s.X, PixelValue(uint8(i*15)))
	}
	return s
}

func floatTestSet() *Set {
	return &Set{Name: "vec_2", Shape: [3]int{2, 1, 1}, Classes: 2, Y: []uint8{1, 0},
		X: []float32{-1.5, 1e-7, 3.25, float32(math.Pi)}}
}

func encode(t *testing.T, s *Set) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteReadRoundTrip(t *testing.T) {
	for _, s := range []*Set{imageTestSet(), floatTestSet()} {
		b := encode(t, s)
		got, err := Read(bytes.NewReader(b), "f")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != s.Name || got.Shape != s.Shape || got.Classes != s.Classes || !bytes.Equal(got.Y, s.Y) || len(got.X) != len(s.X) {
			t.Fatalf("%s: got %+v", s.Name, got)
		}
		for i := range s.X {
			if math.Float32bits(got.X[i]) != math.Float32bits(s.X[i]) {
				t.Fatalf("%s: X[%d] = %v, want %v", s.Name, i, got.X[i], s.X[i])
			}
		}
		if again := encode(t, s); !bytes.Equal(again, b) {
			t.Fatalf("%s: two writes differ", s.Name)
		}
	}
}

// The encoding is chosen by content: grey levels take one byte per value.
func TestWriteEncoding(t *testing.T) {
	img, flt := payload(t, encode(t, imageTestSet())), payload(t, encode(t, floatTestSet()))
	if img[6] != encU8 || flt[6] != encF32 {
		t.Fatalf("encodings %d, %d: want %d, %d", img[6], flt[6], encU8, encF32)
	}
	// header 4+2+1+2+1+len("tiny")+6+4 = 24, labels 3, values 18
	if len(img) != 24+3+18 {
		t.Fatalf("image payload %d bytes, want %d", len(img), 24+3+18)
	}
}

func TestWriteRejectsInvalid(t *testing.T) {
	bad := []func(s *Set){
		func(s *Set) { s.Name = "Has Space" },
		func(s *Set) { s.Shape[1] = 0 },
		func(s *Set) { s.Classes = 0 },
		func(s *Set) { s.Y[1] = 4 },
		func(s *Set) { s.X = s.X[1:] },
		func(s *Set) { s.X[5] = float32(math.NaN()) },
		func(s *Set) { s.X[5] = float32(math.Inf(-1)) },
		func(s *Set) { s.X, s.Y = nil, nil },
	}
	for i, f := range bad {
		s := imageTestSet()
		f(s)
		if err := Write(&bytes.Buffer{}, s); err == nil {
			t.Errorf("case %d: Write accepted %+v", i, s)
		}
	}
}

// payload returns the decompressed content of a compact file.
func payload(t *testing.T, b []byte) []byte {
	t.Helper()
	s, err := readAllGzip(b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReadErrors(t *testing.T) {
	good := payload(t, encode(t, imageTestSet())) // header is 24 bytes, labels at 24..26
	edit := func(f func(b []byte) []byte) []byte {
		return f(append([]byte{}, good...))
	}
	le := binary.LittleEndian
	f32 := payload(t, encode(t, floatTestSet())) // header 25 bytes, labels 25..26, values 27..
	nan := append([]byte{}, f32...)
	le.PutUint32(nan[27+4:], math.Float32bits(float32(math.NaN())))

	cases := []struct {
		name, field, want string
		file              []byte // gzip applied unless raw
		raw               bool
	}{
		{"not gzip", "gzip header", "not a gzip", good, true},
		{"empty", "magic", "truncated: 0 of 4", nil, false},
		{"magic", "magic", `want "MLDS"`, edit(func(b []byte) []byte { b[0] = 'X'; return b }), false},
		{"newer", "version", "newer than 1", edit(func(b []byte) []byte { b[4] = 2; return b }), false},
		{"version 0", "version", "version 0", edit(func(b []byte) []byte { b[4] = 0; return b }), false},
		{"encoding", "encoding", "3, want 1", edit(func(b []byte) []byte { b[6] = 3; return b }), false},
		{"classes", "classes", "0, want", edit(func(b []byte) []byte { b[7] = 0; return b }), false},
		{"name empty", "name", "length 0", edit(func(b []byte) []byte { return append(b[:9:9], append([]byte{0}, b[14:]...)...) }), false},
		{"name bytes", "name", "invalid name", edit(func(b []byte) []byte { b[10] = 'T'; return b }), false},
		{"shape", "shape", "dimension 1 is 0", edit(func(b []byte) []byte { b[16], b[17] = 0, 0; return b }), false},
		{"shape big", "shape", "more than 65536", edit(func(b []byte) []byte { copy(b[14:], []byte{0, 16, 0, 16, 0, 16}); return b }), false},
		{"count 0", "count", "0 samples", edit(func(b []byte) []byte { copy(b[20:], []byte{0, 0, 0, 0}); return b }), false},
		{"count huge", "count", "samples, want", edit(func(b []byte) []byte { copy(b[20:], []byte{0, 0, 0, 1}); return b }), false},
		{"count lies", "values", "truncated: 17 of 24", edit(func(b []byte) []byte { b[20] = 4; return b }), false},
		{"label", "labels", "sample 1 has label 4", edit(func(b []byte) []byte { b[25] = 4; return b }), false},
		{"header cut", "shape", "truncated", good[:16], false},
		{"labels cut", "labels", "truncated: 2 of 3", good[:26], false},
		{"values cut", "values", "truncated: 17 of 18", good[:len(good)-1], false},
		{"extra", "end", "extra bytes after 3 samples", append(append([]byte{}, good...), 0), false},
		{"nan", "values", "sample 0 value 1 is NaN", nan, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.file
			if !c.raw {
				in = gz(t, c.file)
			}
			_, err := Read(bytes.NewReader(in), "data/x.bin.gz")
			wantFormatErr(t, err, "data/x.bin.gz", c.field, c.want)
		})
	}
}

func TestReadDamagedGzip(t *testing.T) {
	file := encode(t, imageTestSet())
	// A truncated gzip stream, a flipped CRC byte, bytes after the stream.
	crc := append([]byte{}, file...)
	crc[len(crc)-6] ^= 0xff
	for name, b := range map[string][]byte{
		"cut":   file[:len(file)-5],
		"crc":   crc,
		"after": append(append([]byte{}, file...), 0x1f),
	} {
		if _, err := Read(bytes.NewReader(b), "f.bin.gz"); err == nil {
			t.Errorf("%s: Read accepted a damaged file", name)
		} else {
			wantFormatErr(t, err, "f.bin.gz", "", "")
		}
	}
}

func TestFileName(t *testing.T) {
	if got := FileName(MNIST8, Test); got != "mnist8-test.bin.gz" {
		t.Fatalf("FileName = %q", got)
	}
}
