package dataset

import (
	"bytes"
	"math"
	"testing"
)

// FuzzRead: Read never panics, and whatever it accepts is a valid set that
// survives Write -> Read unchanged.
func FuzzRead(f *testing.F) {
	for _, s := range []*Set{imageTestSet(), floatTestSet()} {
		var buf bytes.Buffer
		if err := Write(&buf, s); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Read(bytes.NewReader(b), "fuzz")
		if err != nil {
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("error %v is %T, want *FormatError", err, err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("Read accepted an invalid set: %v", err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, s); err != nil {
			t.Fatal(err)
		}
		s2, err := Read(&buf, "again")
		if err != nil {
			t.Fatal(err)
		}
		if s2.Name != s.Name || s2.Shape != s.Shape || s2.Classes != s.Classes || !bytes.Equal(s2.Y, s.Y) || len(s2.X) != len(s.X) {
			t.Fatal("round trip changed the set")
		}
		for i := range s.X {
			if math.Float32bits(s.X[i]) != math.Float32bits(s2.X[i]) {
				t.Fatalf("round trip changed X[%d]", i)
			}
		}
	})
}

// FuzzReadIDX: ReadIDX never panics, fails only with a *FormatError, and what it accepts
// holds as many bytes as its dimensions say.
func FuzzReadIDX(f *testing.F) {
	raw := idxBytes([]int{3, 2, 2}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add(raw)
	f.Add(gz(f, raw))
	f.Add(idxBytes([]int{4}, []byte{0, 1, 2, 3}))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ReadIDX(bytes.NewReader(b), "fuzz")
		if err != nil {
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("error %v is %T, want *FormatError", err, err)
			}
			return
		}
		n := 1
		for _, d := range m.Dims {
			n *= d
		}
		if n != len(m.Data) || n == 0 {
			t.Fatalf("dims %v hold %d bytes, data %d", m.Dims, n, len(m.Data))
		}
	})
}

// FuzzReadVowel: ReadVowel never panics, fails only with a *FormatError, and what it
// accepts is in range.
func FuzzReadVowel(f *testing.F) {
	table := vowelHead + "0 0 -3.639 0.418 -0.670 1.779 -0.168 1.627 -0.388 0.529 -0.874 -0.814 0 0\n" +
		"1 9 1 2 3 4 5 6 7 8 9 10 10 1\n"
	f.Add([]byte(table))
	f.Add(gz(f, []byte(table)))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := ReadVowel(bytes.NewReader(b), "fuzz")
		if err != nil {
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("error %v is %T, want *FormatError", err, err)
			}
			return
		}
		for i, r := range rows {
			if r.Class < 0 || r.Class >= VowelClasses || (r.Split != Train && r.Split != Test) || (r.Sex != 0 && r.Sex != 1) {
				t.Fatalf("row %d out of range: %+v", i, r)
			}
		}
	})
}
