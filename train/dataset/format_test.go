package dataset

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/train/internal/limitio"
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
		{"name empty", "name", `"" is not a data set name: 0 bytes`, edit(func(b []byte) []byte { return append(b[:9:9], append([]byte{0}, b[14:]...)...) }), false},
		{"name bytes", "name", `"Tiny" is not a data set name: byte 0 is 'T'`, edit(func(b []byte) []byte { b[10] = 'T'; return b }), false},
		{"name path", "name", `"../e" is not a data set name: byte 0 is '.'`, edit(func(b []byte) []byte { copy(b[10:], "../e"); return b }), false},
		{"name dash", "name", `"-iny" is not a data set name: it starts with '-'`, edit(func(b []byte) []byte { b[10] = '-'; return b }), false},
		{"shape", "shape", "dimension 1 is 0", edit(func(b []byte) []byte { b[16], b[17] = 0, 0; return b }), false},
		{"shape big", "shape", "more than 65536", edit(func(b []byte) []byte { copy(b[14:], []byte{0, 16, 0, 16, 0, 16}); return b }), false},
		{"count 0", "count", "0 samples", edit(func(b []byte) []byte { copy(b[20:], []byte{0, 0, 0, 0}); return b }), false},
		{"count huge", "count", "samples, want", edit(func(b []byte) []byte { copy(b[20:], []byte{0, 0, 0, 1}); return b }), false},
		// 4194304 samples: the old limit; now above MaxSamples.
		{"count 4M", "count", "4194304 samples, want 1..1048576", edit(func(b []byte) []byte { copy(b[20:], []byte{0, 0, 0x40, 0}); return b }), false},
		// 1048576 samples x 6 values: within the caps, but a 60-byte gzip cannot hold 7 MB.
		{"count vs stream", "count", "need 7340032 bytes, more than a", edit(func(b []byte) []byte { copy(b[20:], []byte{0, 0, 0x10, 0}); return b }), false},
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

// zeros is an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// repeat is an endless repetition of a pattern.
type repeat struct {
	pattern []byte
	off     int
}

func (r *repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.pattern[r.off]
		r.off = (r.off + 1) % len(r.pattern)
	}
	return len(p), nil
}

// zeroFile is a valid file of count samples of shape whose labels and values are all 0,
// gzipped from a stream (it is small: zeros compress 1000-fold).
func zeroFile(t *testing.T, shape [3]int, count int) []byte {
	t.Helper()
	var hdr bytes.Buffer
	le := binary.LittleEndian
	hdr.WriteString(magic)
	hdr.Write(le.AppendUint16(nil, FormatVersion))
	hdr.WriteByte(encU8)
	hdr.Write(le.AppendUint16(nil, 2))
	hdr.WriteByte(4)
	hdr.WriteString("zero")
	for _, d := range shape {
		hdr.Write(le.AppendUint16(nil, uint16(d)))
	}
	hdr.Write(le.AppendUint32(nil, uint32(count)))
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	zw.Write(hdr.Bytes())
	n := int64(count) * int64(1+shape[0]*shape[1]*shape[2])
	if _, err := io.Copy(zw, io.LimitReader(zeros{}, n)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A file must fit the caps before anything is allocated for it: a valid file of zeros
// declaring more values than MaxValues (it used to be read, 16.8 million values into
// 67 MB of X from a 17 kB file), and a stream that never ends (empty deflate blocks
// forever, which used to be read for ever) fail with errors naming the field and the
// limit.
func TestReadCaps(t *testing.T) {
	// gzip header, then non-final stored deflate blocks of length 0 without end.
	endless := io.MultiReader(bytes.NewReader([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff}), &repeat{pattern: []byte{0, 0, 0, 0xff, 0xff}})
	over := zeroFile(t, [3]int{1, 8, 8}, MaxValues/64+1)
	at := zeroFile(t, [3]int{1, 8, 8}, 1000)
	for _, c := range []struct {
		name        string
		r           io.Reader
		field, want string
	}{
		{"values over the cap", bytes.NewReader(over), "count", "262145 samples x 64 values = 16777280 values, more than the 16777216"},
		{"values over the cap, size unknown", io.MultiReader(bytes.NewReader(over)), "count", "more than the 16777216"},
		{"endless gzip", endless, "magic", "too large for a data file: more than the 72 MiB limit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(c.r, "big.bin.gz")
			wantFormatErr(t, err, "big.bin.gz", c.field, c.want)
		})
	}
	if s, err := Read(bytes.NewReader(at), "zero.bin.gz"); err != nil || s.Len() != 1000 {
		t.Errorf("1000 samples of zeros: %v", err)
	}
}

// ReadFile refuses what is not a regular file of at most MaxFileSize bytes before
// reading it: os.ReadFile of /dev/zero used to grow without end.
func TestReadFileRefuses(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.bin.gz")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxFileSize+1); err != nil { // sparse
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.bin.gz")
	hasFifo := limitio.Mkfifo(fifo) == nil // not on js/wasm
	good := filepath.Join(dir, "tiny-test.bin.gz")
	if err := os.WriteFile(good, encode(t, imageTestSet()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path, field, want string
	}{
		{"device", "/dev/zero", "file", "not a regular file (a character device)"},
		{"named pipe", fifo, "file", "not a regular file (a named pipe)"},
		{"folder", dir, "file", "not a regular file (a folder)"},
		{"too large", big, "size", "too large for a data file: 75497473 bytes, more than the 72 MiB limit"},
		{"missing", filepath.Join(dir, "none.bin.gz"), "file", "cannot read"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.path == fifo && !hasFifo {
				t.Skip("no named pipes on this system")
			}
			_, err := ReadFile(c.path)
			wantFormatErr(t, err, c.path, c.field, c.want)
		})
	}
	if _, err := ReadFile(filepath.Join(dir, "none.bin.gz")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if s, err := ReadFile(good); err != nil || s.Len() != 3 {
		t.Errorf("ReadFile of a good file: %v", err)
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

// CheckName is the one rule for names that become paths: plain names pass, anything that
// could leave a folder or name a hidden file does not, and the error says why.
func TestCheckName(t *testing.T) {
	for _, c := range []struct {
		name, in, want string // want "" means valid
	}{
		{"mnist8", "mnist8", ""},
		{"fmnist32", "fmnist32", ""},
		{"vowel4", "vowel4", ""},
		{"dash and underscore", "a-b_c", ""},
		{"digit first", "4x", ""},
		{"32 bytes", strings.Repeat("a", 32), ""},
		{"empty", "", `"" is not a data set name: 0 bytes, want 1..32`},
		{"33 bytes", strings.Repeat("a", 33), "33 bytes, want 1..32"},
		{"parent", "../../../evil", `"../../../evil" is not a data set name: byte 0 is '.'`},
		{"etc passwd", "../../../../etc/passwd", "byte 0 is '.'"},
		{"slash", "a/b", "byte 1 is '/'"},
		{"backslash", `a\b`, `byte 1 is '\\'`},
		{"dot file", ".env", "byte 0 is '.'"},
		{"dot inside", "a.b", "byte 1 is '.'"},
		{"upper case", "MNIST8", "byte 0 is 'M'"},
		{"space", "a b", "byte 1 is ' '"},
		{"percent", "a%2f", "byte 1 is '%'"},
		{"colon", "c:x", "byte 1 is ':'"},
		{"nul", "a\x00", `byte 1 is '\x00'`},
		{"leading dash", "-rf", "it starts with '-'"},
		{"leading underscore", "_x", "it starts with '_'"},
		{"long name cut", strings.Repeat("A", 5000), `... (5000 bytes)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckName(c.in)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("CheckName(%q) = %v, want nil", c.in, err)
			case c.want != "" && err == nil:
				t.Errorf("CheckName(%q) = nil, want an error with %q", c.in, c.want)
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Errorf("CheckName(%q) = %q, want it to contain %q", c.in, err, c.want)
			case err != nil && len(err.Error()) > 200:
				t.Errorf("CheckName: error of %d bytes, want the name cut short", len(err.Error()))
			}
		})
	}
}

// ReadHead keeps the first samples of what Read gives, and checks the whole file as
// Read does.
func TestReadHead(t *testing.T) {
	big := &Set{Name: "big", Shape: [3]int{3, 20, 20}, Classes: 10}
	for i := range 300 {
		big.Y = append(big.Y, uint8(i%10))
		for j := range big.Features() {
			big.X = append(big.X, PixelValue(uint8((i*7+j*13)%256)))
		}
	}
	for _, s := range []*Set{imageTestSet(), floatTestSet(), big} {
		b := encode(t, s)
		all, err := Read(bytes.NewReader(b), s.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, 1, 2, all.Len(), all.Len() + 5} {
			h, err := ReadHead(bytes.NewReader(b), s.Name, n)
			if err != nil {
				t.Fatalf("%s head %d: %v", s.Name, n, err)
			}
			want := all.Head(n)
			if !slices.Equal(h.X, want.X) || !slices.Equal(h.Y, want.Y) || h.Shape != want.Shape || h.Classes != want.Classes || (n < all.Len() && cap(h.X) > max(len(want.X), 1)) {
				t.Errorf("%s head %d: %d samples (cap %d), want %d", s.Name, n, h.Len(), cap(h.X), want.Len())
			}
		}
		// A damaged end is found though the head is not stored.
		bad := append([]byte(nil), b...)
		bad[len(bad)-5] ^= 0xff // the gzip CRC/size trailer
		if _, err := ReadHead(bytes.NewReader(bad), s.Name, 1); err == nil {
			t.Errorf("%s: a damaged trailer passed ReadHead", s.Name)
		}
	}
}
