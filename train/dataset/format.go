package dataset

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
)

// The compact file format of the shipped subsets (static/data/*.bin.gz), a
// gzip stream (fixed header: no name, no time stamp) of, little endian:
//
//	magic    4 bytes "MLDS"
//	version  uint16  = 1
//	encoding uint8   1 = one byte per value, value = byte/255 (PixelValue)
//	                 2 = float32 per value (IEEE 754)
//	classes  uint16  1..256
//	namelen  uint8, then the data set name (a-z 0-9 - _, 1..32 bytes)
//	shape    3 x uint16, each 1..4096, product <= 65536 (channels, height, width)
//	count    uint32  1..4194304 samples
//	labels   count bytes, each < classes
//	values   count x features values in the encoding, sample after sample
//
// and nothing after. Readers reject anything else.
const (
	// Ext is the file name extension of the compact format.
	Ext = ".bin.gz"
	// FormatVersion is the version this package writes and the newest it reads.
	FormatVersion = 1

	magic       = "MLDS"
	encU8       = 1
	encF32      = 2
	maxName     = 32
	maxDim      = 4096
	maxFeatures = 1 << 16
	maxCount    = 1 << 22
	maxPayload  = 1 << 28
)

// FileName gives the shipped file name of a split of a data set, such as
// "mnist8-test.bin.gz".
func FileName(name string, split Split) string { return name + "-" + split.String() + Ext }

// Write stores s in the compact format. Values that are all exact grey levels
// (PixelValue of some byte) are written one byte each, others as float32;
// either way Read returns exactly s. The bytes depend only on s.
func Write(w io.Writer, s *Set) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.Len() < 1 || s.Len() > maxCount {
		return fmt.Errorf("dataset %s: %d samples, want 1..%d", s.Name, s.Len(), maxCount)
	}
	if s.Len()*s.Features() > maxPayload/4 {
		return fmt.Errorf("dataset %s: %d values, more than %d", s.Name, s.Len()*s.Features(), maxPayload/4)
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
func Read(r io.Reader, name string) (*Set, error) {
	rawr := bufio.NewReader(r)
	zr, err := gzip.NewReader(rawr)
	if err != nil {
		return nil, formatErr(name, "gzip header", err, "not a gzip stream")
	}
	defer zr.Close()
	zr.Multistream(false)
	br := bufio.NewReader(zr)
	le := binary.LittleEndian
	fail := func(field string, err error, format string, args ...any) (*Set, error) {
		return nil, formatErr(name, field, err, format, args...)
	}
	need := func(field string, n int) ([]byte, error) {
		b := make([]byte, n)
		if k, err := io.ReadFull(br, b); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, formatErr(name, field, err, "truncated: %d of %d bytes", k, n)
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
	if err := checkName(s.Name); err != nil {
		return fail("name", err, "invalid name %q", s.Name)
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
	if n < 1 || n > maxCount {
		return fail("count", nil, "%d samples, want 1..%d", n, maxCount)
	}
	size := 1
	if enc == encF32 {
		size = 4
	}
	if n*f*size > maxPayload {
		return fail("count", nil, "%d samples x %d values x %d bytes exceeds %d bytes", n, f, size, maxPayload)
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
	raw, err := io.ReadAll(io.LimitReader(br, int64(n*f*size)))
	if err != nil {
		return fail("values", err, "read failed")
	}
	if len(raw) < n*f*size {
		return fail("values", io.ErrUnexpectedEOF, "truncated: %d of %d bytes (%d samples x %d values)", len(raw), n*f*size, n, f)
	}
	s.X = make([]float32, n*f)
	if enc == encU8 {
		for i, q := range raw {
			s.X[i] = PixelValue(q)
		}
	} else {
		for i := range s.X {
			v := math.Float32frombits(le.Uint32(raw[4*i:]))
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fail("values", nil, "sample %d value %d is %v, want finite", i/f, i%f, v)
			}
			s.X[i] = v
		}
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

// ReadFile reads the compact format (see Read) from path.
func ReadFile(path string) (*Set, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Read(bytes.NewReader(b), path)
}
