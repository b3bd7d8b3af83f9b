package dataset

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/meshlight/meshlight/train/internal/limitio"
)

// The compact file format of the shipped subsets (static/data/*.bin.gz), a
// gzip stream (fixed header: no name, no time stamp) of, little endian:
//
//	magic    4 bytes "MLDS"
//	version  uint16  = 1
//	encoding uint8   1 = one byte per value, value = byte/255 (PixelValue)
//	                 2 = float32 per value (IEEE 754)
//	classes  uint16  1..256
//	namelen  uint8, then the data set name (CheckName: a-z 0-9 - _, 1..32 bytes)
//	shape    3 x uint16, each 1..4096, product <= 65536 (channels, height, width)
//	count    uint32  1..MaxSamples samples, count x features <= MaxValues
//	labels   count bytes, each < classes
//	values   count x features values in the encoding, sample after sample
//
// and nothing after, in a file of at most MaxFileSize bytes. Readers reject anything
// else.
const (
	// Ext is the file name extension of the compact format.
	Ext = ".bin.gz"
	// FormatVersion is the version this package writes and the newest it reads.
	FormatVersion = 1

	// MaxSamples is the most samples one file may hold (the shipped files hold at most
	// 10,000).
	MaxSamples = 1 << 20
	// MaxValues is the most values (samples x features) one file may hold: 64 MiB as the
	// float32 of a Set (the largest shipped file holds 2,560,000).
	MaxValues = 1 << 24
	// MaxFileSize is the largest file Read and ReadFile accept, in bytes: more than the
	// gzip of the largest content the limits above allow, even stored uncompressed.
	MaxFileSize = 72 << 20

	magic       = "MLDS"
	encU8       = 1
	encF32      = 2
	maxDim      = 4096
	maxFeatures = 1 << 16
)

// FileName gives the shipped file name of a split of a data set, such as
// "mnist8-test.bin.gz". The name must pass CheckName (a model file's dataset field does,
// see train/model), so that the result names a file in the folder it is joined to.
func FileName(name string, split Split) string { return name + "-" + split.String() + Ext }

// Write stores s in the compact format. Values that are all exact grey levels
// (PixelValue of some byte) are written one byte each, others as float32;
// either way Read returns exactly s. The bytes depend only on s.
func Write(w io.Writer, s *Set) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.Len() < 1 || s.Len() > MaxSamples {
		return fmt.Errorf("dataset %s: %d samples, want 1..%d", s.Name, s.Len(), MaxSamples)
	}
	if s.Len()*s.Features() > MaxValues {
		return fmt.Errorf("dataset %s: %d values, more than the %d a file may hold", s.Name, s.Len()*s.Features(), MaxValues)
	}
	enc := byte(encU8)
	for _, v := range s.X {
		if q := math.Round(float64(v) * 255); q < 0 || q > 255 || PixelValue(uint8(q)) != v {
			enc = encF32
			break
		}
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	var hdr bytes.Buffer
	hdr.WriteString(magic)
	le := binary.LittleEndian
	hdr.Write(le.AppendUint16(nil, FormatVersion))
	hdr.WriteByte(enc)
	hdr.Write(le.AppendUint16(nil, uint16(s.Classes)))
	hdr.WriteByte(byte(len(s.Name)))
	hdr.WriteString(s.Name)
	for _, d := range s.Shape {
		hdr.Write(le.AppendUint16(nil, uint16(d)))
	}
	hdr.Write(le.AppendUint32(nil, uint32(s.Len())))
	bw.Write(hdr.Bytes())
	bw.Write(s.Y)
	var b4 [4]byte
	for _, v := range s.X {
		if enc == encU8 {
			bw.WriteByte(byte(math.Round(float64(v) * 255)))
		} else {
			le.PutUint32(b4[:], math.Float32bits(v))
			bw.Write(b4[:])
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("dataset %s: write: %w", s.Name, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("dataset %s: write: %w", s.Name, err)
	}
	return nil
}

// Read decodes a file in the compact format; name (usually the file name)
// labels errors. It validates the gzip stream and its checksum, the magic,
// the version, every header field, every label, every value (finite), and
// that the payload is neither truncated nor followed by extra bytes. Errors
// are *FormatError naming the file and the field.
//
// Read never reads more than MaxFileSize bytes of r, and allocates in proportion to the
// data really there, not to what the header declares: the declared count must be within
// MaxSamples and MaxValues and, when r can tell its size (a *bytes.Reader, an
// *os.File), within what a gzip stream of that size can hold.
func Read(r io.Reader, name string) (*Set, error) {
	return read(r, name, limitio.Size(r), -1)
}

// ReadHead is Read keeping only the first n samples: the whole file is read and checked
// as Read does, but the values of the others are not stored (the page, which evaluates
// on a head of the test set, keeps a fifth of the memory).
func ReadHead(r io.Reader, name string, n int) (*Set, error) {
	return read(r, name, limitio.Size(r), max(n, 0))
}

// read is Read of a stream of size bytes (-1: unknown), keeping the first keep samples
// (-1: all).
func read(r io.Reader, name string, size int64, keep int) (*Set, error) {
	if size > MaxFileSize {
		return nil, formatErr(name, "size", &limitio.LimitError{Size: size, Limit: MaxFileSize}, "too large for a data file")
	}
	rawr := bufio.NewReader(limitio.NewReader(r, MaxFileSize))
	// tooLarge rewords a stream stopped at the cap.
	tooLarge := func(field string, err error) (*Set, error) {
		return nil, formatErr(name, field, err, "the file is too large for a data file")
	}
	zr, err := gzip.NewReader(rawr)
	if err != nil {
		return nil, formatErr(name, "gzip header", err, "not a gzip stream")
	}
	defer zr.Close()
	zr.Multistream(false)
	br := bufio.NewReader(zr)
	le := binary.LittleEndian
	fail := func(field string, err error, format string, args ...any) (*Set, error) {
		if _, ok := limitio.IsLimit(err); ok {
			return tooLarge(field, err)
		}
		return nil, formatErr(name, field, err, format, args...)
	}
	var hbuf [256]byte
	need := func(field string, n int) ([]byte, error) {
		b := hbuf[:n]
		if k, err := io.ReadFull(br, b); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			_, err = fail(field, err, "truncated: %d of %d bytes", k, n)
			return nil, err
		}
		return b, nil
	}
	h, err := need("magic", 4)
	if err != nil {
		return nil, err
	}
	if string(h) != magic {
		return fail("magic", nil, "got %q, want %q", h, magic)
	}
	if h, err = need("version", 2); err != nil {
		return nil, err
	}
	if v := le.Uint16(h); v != FormatVersion {
		if v > FormatVersion {
			return fail("version", nil, "version %d is newer than %d, the newest this reader knows", v, FormatVersion)
		}
		return fail("version", nil, "version %d, want %d", v, FormatVersion)
	}
	if h, err = need("encoding", 1); err != nil {
		return nil, err
	}
	enc := h[0]
	if enc != encU8 && enc != encF32 {
		return fail("encoding", nil, "%d, want 1 (uint8) or 2 (float32)", enc)
	}
	if h, err = need("classes", 2); err != nil {
		return nil, err
	}
	s := &Set{Classes: int(le.Uint16(h))}
	if s.Classes < 1 || s.Classes > 256 {
		return fail("classes", nil, "%d, want 1..256", s.Classes)
	}
	if h, err = need("name length", 1); err != nil {
		return nil, err
	}
	if h, err = need("name", int(h[0])); err != nil {
		return nil, err
	}
	s.Name = string(h)
	if err := CheckName(s.Name); err != nil {
		return fail("name", nil, "%v", err)
	}
	if h, err = need("shape", 6); err != nil {
		return nil, err
	}
	for i := range s.Shape {
		s.Shape[i] = int(le.Uint16(h[2*i:]))
		if s.Shape[i] < 1 || s.Shape[i] > maxDim {
			return fail("shape", nil, "dimension %d is %d, want 1..%d", i, s.Shape[i], maxDim)
		}
	}
	f := s.Features()
	if f > maxFeatures {
		return fail("shape", nil, "%v: %d values per sample, more than %d", s.Shape, f, maxFeatures)
	}
	if h, err = need("count", 4); err != nil {
		return nil, err
	}
	n := int(le.Uint32(h))
	if n < 1 || n > MaxSamples {
		return fail("count", nil, "%d samples, want 1..%d", n, MaxSamples)
	}
	if n*f > MaxValues {
		return fail("count", nil, "%d samples x %d values = %d values, more than the %d a data file may hold", n, f, n*f, MaxValues)
	}
	size1 := 1
	if enc == encF32 {
		size1 = 4
	}
	payload := int64(n) + int64(n)*int64(f)*int64(size1)
	if size >= 0 && payload > limitio.MaxDeflateRatio*size {
		return fail("count", nil, "%d samples x %d values need %d bytes, more than a %d-byte gzip file can hold (at most %d x its size)",
			n, f, payload, size, limitio.MaxDeflateRatio)
	}
	// Read incrementally so a lying header cannot make us allocate more
	// than the stream really holds.
	s.Y, err = io.ReadAll(io.LimitReader(br, int64(n)))
	if err != nil {
		return fail("labels", err, "read failed")
	}
	if len(s.Y) < n {
		return fail("labels", io.ErrUnexpectedEOF, "truncated: %d of %d labels", len(s.Y), n)
	}
	for i, y := range s.Y {
		if int(y) >= s.Classes {
			return fail("labels", nil, "sample %d has label %d, want < %d classes", i, y, s.Classes)
		}
	}
	// The values, decoded chunk by chunk: X grows with the data read, not with the count
	// declared, and stops growing at the samples kept (the rest is decoded and checked).
	total, stored := n*f, n*f
	if keep >= 0 && keep < n {
		stored = keep * f
	}
	s.X = make([]float32, 0, min(stored, 1<<16))
	chunk := make([]byte, 1<<16)
	var vals [1 << 16]float32
	for done := 0; done < total; {
		k, err := io.ReadFull(br, chunk[:min(len(chunk), (total-done)*size1)])
		m := k / size1
		if enc == encU8 {
			for i, q := range chunk[:m] {
				vals[i] = pixelValues[q]
			}
		} else {
			for i := range m {
				v := math.Float32frombits(le.Uint32(chunk[4*i:]))
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					j := done + i
					return fail("values", nil, "sample %d value %d is %v, want finite", j/f, j%f, v)
				}
				vals[i] = v
			}
		}
		if done < stored {
			s.X = append(s.X, vals[:min(m, stored-done)]...)
		}
		done += m
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			got := done*size1 + k%size1
			return fail("values", io.ErrUnexpectedEOF, "truncated: %d of %d bytes (%d samples x %d values)", got, total*size1, n, f)
		}
		if err != nil {
			return fail("values", err, "read failed")
		}
	}
	if stored < total {
		s.Y = s.Y[: stored/f : stored/f]
	}
	// Nothing may follow; reading to the end also checks the gzip CRC.
	switch _, err := io.ReadFull(br, make([]byte, 1)); {
	case err == nil:
		return fail("end", nil, "extra bytes after %d samples", n)
	case err != io.EOF:
		return fail("end", err, "gzip stream damaged")
	}
	if _, err := rawr.Peek(1); err != io.EOF {
		return fail("end", err, "extra bytes after the gzip stream")
	}
	return s, nil
}

// ReadFile reads the compact format (see Read) from path, which must be a regular file
// of at most MaxFileSize bytes; errors name the path.
func ReadFile(path string) (*Set, error) {
	f, size, err := limitio.Open(path, MaxFileSize)
	if err != nil {
		return nil, fileErr(path, err, "data file")
	}
	defer f.Close()
	return read(f, path, size, -1)
}

// pixelValues is PixelValue of every grey level.
var pixelValues = func() (t [256]float32) {
	for q := range t {
		t[q] = PixelValue(uint8(q))
	}
	return t
}()

// fileErr turns an error opening path (a file of the given kind) into a *FormatError
// naming the file.
func fileErr(path string, err error, kind string) error {
	err = limitio.Cause(err)
	if _, ok := limitio.IsLimit(err); ok {
		return formatErr(path, "size", err, "too large for a %s", kind)
	}
	return formatErr(path, "file", err, "cannot read")
}
