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
