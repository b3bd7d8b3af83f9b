package dataset

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

// idxBytes builds an unsigned-byte idx file with the given dims and data.
func idxBytes(dims []int, data []byte) []byte {
	b := []byte{0, 0, 0x08, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d))
	}
	return append(b, data...)
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wantFormatErr checks that err is a *FormatError for file and field whose
// message contains want.
func wantFormatErr(t *testing.T, err error, file, field, want string) {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T), want a *FormatError", err, err)
	}
	if fe.File != file || !strings.HasPrefix(fe.Field, field) || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q: file %q field %q, want file %q field %q containing %q", err, fe.File, fe.Field, file, field, want)
	}
}

func TestReadIDX(t *testing.T) {
	data := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	raw := idxBytes([]int{3, 2, 2}, data)
	for _, in := range [][]byte{raw, gz(t, raw)} {
		m, err := ReadIDX(bytes.NewReader(in), "x.idx")
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Dims) != 3 || m.Dims[0] != 3 || m.Dims[1] != 2 || m.Dims[2] != 2 || !bytes.Equal(m.Data, data) {
			t.Fatalf("got dims %v data %v", m.Dims, m.Data)
		}
	}
}

func TestReadIDXErrors(t *testing.T) {
	good := idxBytes([]int{2, 3}, []byte{1, 2, 3, 4, 5, 6})
	cases := []struct {
		name, field, want string
		in                []byte
	}{
		{"empty", "magic", "too short", nil},
		{"wrong magic", "magic", "want 00 00", append([]byte{1, 0}, good[2:]...)},
		{"float type", "magic", "element type 0x0d", append([]byte{0, 0, 0x0d}, good[3:]...)},
		{"zero dims", "magic", "0 dimensions", []byte{0, 0, 8, 0}},
		{"missing dim", "dims", "dimension 1 missing", good[:9]},
		{"zero dim", "dims", "dimension 0 is 0", idxBytes([]int{0, 3}, nil)},
		{"huge", "dims", "larger than", idxBytes([]int{1 << 20, 1 << 20}, nil)},
		{"truncated", "data", "truncated: 5 of 6", good[:len(good)-1]},
		{"trailing", "data", "trailing bytes", append(append([]byte{}, good...), 7)},
		{"gzip truncated", "data", "", gz(t, good)[:20]},
		// 256 MiB announced by a 40-byte gzip: refused before the payload is read.
		{"gzip too small", "dims", "announce 268435456 bytes, more than a", gz(t, idxBytes([]int{1 << 14, 1 << 14}, nil))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadIDX(bytes.NewReader(c.in), "f.gz")
			wantFormatErr(t, err, "f.gz", c.field, c.want)
		})
	}
}

func TestReadIDXImages(t *testing.T) {
	pix := make([]byte, 3*2*2)
	for i := range pix {
		pix[i] = byte(10 * i)
	}
	images := gz(t, idxBytes([]int{3, 2, 2}, pix))
	im, y, err := ReadIDXImages(bytes.NewReader(images), bytes.NewReader(idxBytes([]int{3}, []byte{2, 0, 9})), "im", "lb", 10)
	if err != nil {
		t.Fatal(err)
	}
	if im.N != 3 || im.H != 2 || im.W != 2 || !bytes.Equal(im.Image(2), []byte{80, 90, 100, 110}) || !bytes.Equal(y, []byte{2, 0, 9}) {
		t.Fatalf("got %+v labels %v", im, y)
	}
	_, _, err = ReadIDXImages(bytes.NewReader(images), bytes.NewReader(idxBytes([]int{2}, []byte{1, 2})), "im", "lb", 10)
	wantFormatErr(t, err, "lb", "count", "2 labels for 3 images")
	_, _, err = ReadIDXImages(bytes.NewReader(images), bytes.NewReader(idxBytes([]int{3}, []byte{1, 200, 2})), "im", "lb", 10)
	wantFormatErr(t, err, "lb", "labels", "label 200 of sample 1")
	_, _, err = ReadIDXImages(bytes.NewReader(idxBytes([]int{12}, pix)), bytes.NewReader(idxBytes([]int{3}, []byte{1, 2, 3})), "im", "lb", 10)
	wantFormatErr(t, err, "im", "dims", "want 3 dimensions")
	_, _, err = ReadIDXImages(bytes.NewReader(images), bytes.NewReader(idxBytes([]int{3, 1}, []byte{1, 2, 3})), "im", "lb", 10)
	wantFormatErr(t, err, "lb", "dims", "want 1 dimension")
}

const vowelHead = "X1 X2 X3 X4\tX5  X6\tX7\tX8  X9\tX10\tX11  X12 X13 C\n"

func TestReadVowel(t *testing.T) {
	in := vowelHead +
		"0 0 -3.639 0.418 -0.670 1.779 -0.168 1.627 -0.388 0.529 -0.874 -0.814 0 0\n" +
		"\n" +
		"1 14 1 2 3 4 5 6 7 8 9 10.5 10 1\n"
	for _, b := range [][]byte{[]byte(in), gz(t, []byte(in))} {
		rows, err := ReadVowel(bytes.NewReader(b), "v.txt")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Fatalf("%d rows, want 2", len(rows))
		}
		r0, r1 := rows[0], rows[1]
		if r0.Split != Train || r0.Speaker != 0 || r0.Class != 0 || r0.Sex != 0 || r0.Features[0] != -3.639 || r0.Features[9] != -0.814 {
			t.Errorf("row 0 = %+v", r0)
		}
		if r1.Split != Test || r1.Speaker != 14 || r1.Class != 10 || r1.Sex != 1 || r1.Features[9] != 10.5 {
			t.Errorf("row 1 = %+v", r1)
		}
	}
}

func TestReadVowelErrors(t *testing.T) {
	row := "0 0 1 2 3 4 5 6 7 8 9 10 3 0\n"
	cases := []struct{ name, in, field, want string }{
		{"empty", "", "line 1", "empty file"},
		{"header", "X1 X2 X3\n" + row, "line 1", "want"},
		{"no rows", vowelHead, "rows", "no data rows"},
		{"columns", vowelHead + row + "0 0 1 2\n", "line 3", "4 columns, want 14"},
		{"class", vowelHead + "0 0 1 2 3 4 5 6 7 8 9 10 11 0\n", "line 2 column X13", "0..10"},
		{"split", vowelHead + "2 0 1 2 3 4 5 6 7 8 9 10 1 0\n", "line 2 column X1", "0..1"},
		{"feature", vowelHead + "0 0 1 2 x 4 5 6 7 8 9 10 1 0\n", "line 2 column X5", "finite number"},
		{"nan", vowelHead + "0 0 1 2 3 NaN 5 6 7 8 9 10 1 0\n", "line 2 column X6", "finite number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadVowel(strings.NewReader(c.in), "v.txt")
			wantFormatErr(t, err, "v.txt", c.field, c.want)
		})
	}
}

// The vowel table is read within 16 MiB: a longer one is an error naming the limit (it
// used to be cut silently at 16 MiB, leaving a half line or a shorter table).
func TestReadVowelCap(t *testing.T) {
	row := "0 0 1 2 3 4 5 6 7 8 9 10 3 0\n"
	endless := io.MultiReader(strings.NewReader(vowelHead), &repeat{pattern: []byte(row)})
	_, err := ReadVowel(endless, "v.txt")
	wantFormatErr(t, err, "v.txt", "line ", "too large for a vowel table: more than the 16 MiB limit")
	zipped := gz(t, []byte(vowelHead+strings.Repeat(row, (16<<20)/len(row)+1)))
	_, err = ReadVowel(bytes.NewReader(zipped), "v.txt.gz")
	wantFormatErr(t, err, "v.txt.gz", "line ", "more than the 16 MiB limit")
}

// The file readers refuse devices, pipes and folders before reading a byte: os.ReadFile
// of /dev/zero used to grow without end.
func TestFileReadersRefuseNonRegular(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		read func(string) error
	}{
		{"ReadFile", func(p string) error { _, err := ReadFile(p); return err }},
		{"ReadVowelFile", func(p string) error { _, err := ReadVowelFile(p); return err }},
		{"ReadIDXFile", func(p string) error { _, err := ReadIDXFile(p); return err }},
		{"ReadIDXImagesFiles images", func(p string) error { _, _, err := ReadIDXImagesFiles(p, p, 10); return err }},
	} {
		for _, path := range []string{"/dev/zero", dir} {
			t.Run(c.name+" "+path, func(t *testing.T) {
				wantFormatErr(t, c.read(path), path, "file", "not a regular file")
			})
		}
	}
}

func TestReadCIFAR10(t *testing.T) {
	// Three records: label, then R, G, B planes with a recognisable pattern.
	var file []byte
	labels := []byte{3, 0, 9}
	for n, l := range labels {
		file = append(file, l)
		for i := 0; i < 3072; i++ {
			file = append(file, byte(i*7+n))
		}
	}
	s, err := ReadCIFAR10(bytes.NewReader(file), "batch.bin")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 3 || s.Shape != [3]int{3, 32, 32} || s.Classes != 10 || !bytes.Equal(s.Y, labels) {
		t.Fatalf("got len %d shape %v classes %d labels %v", s.Len(), s.Shape, s.Classes, s.Y)
	}
	// Sample 2, green plane (channel 1), row 5, column 7 is byte 1024+5*32+7 of its image.
	i := 1024 + 5*32 + 7
	if got, want := s.Sample(2)[i], float32(byte(i*7+2))/255; got != want {
		t.Fatalf("sample 2 value %d = %v, want %v", i, got, want)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}

	_, err = ReadCIFAR10(bytes.NewReader(file[:2*3073+100]), "batch.bin")
	wantFormatErr(t, err, "batch.bin", "record 2", "truncated: 100 of 3073")
	bad := append([]byte{}, file...)
	bad[3073] = 10
	_, err = ReadCIFAR10(bytes.NewReader(bad), "batch.bin")
	wantFormatErr(t, err, "batch.bin", "record 1 label", "label 10")
	_, err = ReadCIFAR10(bytes.NewReader(nil), "batch.bin")
	wantFormatErr(t, err, "batch.bin", "record 0", "empty")
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("empty file error %v does not wrap io.ErrUnexpectedEOF", err)
	}
}
