package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// The snapshot's wire encoding: little-endian fixed-size numbers, and strings and arrays as
// a uint32 count followed by their elements. The reader refuses a count that the bytes left
// cannot hold before allocating anything, so a malformed snapshot costs at most its own size.

// maxCount bounds every array and string of a snapshot (elements).
const maxCount = 1 << 24

type writer struct{ b []byte }

func (w *writer) u8(v uint8)   { w.b = append(w.b, v) }
func (w *writer) u16(v uint16) { w.b = binary.LittleEndian.AppendUint16(w.b, v) }
func (w *writer) u32(v uint32) { w.b = binary.LittleEndian.AppendUint32(w.b, v) }
func (w *writer) u64(v uint64) { w.b = binary.LittleEndian.AppendUint64(w.b, v) }
func (w *writer) f64(v float64) {
	w.u64(math.Float64bits(v))
}
func (w *writer) boolean(v bool) {
	if v {
		w.u8(1)
	} else {
		w.u8(0)
	}
}
func (w *writer) count(n int) { w.u32(uint32(n)) }
func (w *writer) str(s string) {
	w.count(len(s))
	w.b = append(w.b, s...)
}
func (w *writer) strs(v []string) {
	w.count(len(v))
	for _, s := range v {
		w.str(s)
	}
}
func (w *writer) f64s(v []float64) {
	w.count(len(v))
	for _, x := range v {
		w.f64(x)
	}
}

// f32s writes float64 values as float32: display data (phases, light) needs no more.
func (w *writer) f32s(v []float64) {
	w.count(len(v))
	for _, x := range v {
		w.u32(math.Float32bits(float32(x)))
	}
}
func (w *writer) f32s32(v []float32) {
	w.count(len(v))
	for _, x := range v {
		w.u32(math.Float32bits(x))
	}
}
func (w *writer) bools(v []bool) {
	w.count(len(v))
	for _, x := range v {
		w.boolean(x)
	}
}

// reader decodes what writer wrote. An empty array reads as nil. The first error sticks: later reads return zero
// values, so a decoder checks r.err once at the end of a section.
type reader struct {
	b   []byte
	off int
	err error
	at  string // the section being read, for errors
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%s (byte %d): %s", r.at, r.off, fmt.Sprintf(format, args...))
	}
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.off {
		r.fail("truncated: want %d bytes, %d left", n, len(r.b)-r.off)
		return nil
	}
	p := r.b[r.off : r.off+n]
	r.off += n
	return p
}

func (r *reader) u8() uint8 {
	if p := r.take(1); p != nil {
		return p[0]
	}
	return 0
}
func (r *reader) u16() uint16 {
	if p := r.take(2); p != nil {
		return binary.LittleEndian.Uint16(p)
	}
	return 0
}
func (r *reader) u32() uint32 {
	if p := r.take(4); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}
func (r *reader) u64() uint64 {
	if p := r.take(8); p != nil {
		return binary.LittleEndian.Uint64(p)
	}
	return 0
}
func (r *reader) f64() float64 { return math.Float64frombits(r.u64()) }
func (r *reader) boolean() bool {
	switch v := r.u8(); v {
	case 0:
		return false
	case 1:
		return true
	default:
		r.fail("a boolean is %d", v)
		return false
	}
}

// int reads a uint32 that must be at most hi.
func (r *reader) int(what string, hi int) int {
	v := r.u32()
	if int64(v) > int64(hi) {
		r.fail("%s %d: over %d", what, v, hi)
		return 0
	}
	return int(v)
}

// count reads an element count of elements of size bytes each, refusing one that the
// bytes left cannot hold.
func (r *reader) count(size int) int {
	n := r.u32()
	if r.err != nil {
		return 0
	}
	if n > maxCount || int(n)*size > len(r.b)-r.off {
		r.fail("a count of %d elements of %d bytes, %d bytes left", n, size, len(r.b)-r.off)
		return 0
	}
	return int(n)
}
func (r *reader) str() string { return string(r.take(r.count(1))) }
func (r *reader) strs() []string {
	n := r.count(4)
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for range n {
		out = append(out, r.str())
	}
	return out
}
func (r *reader) f64s() []float64 {
	n := r.count(8)
	if n == 0 {
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = r.f64()
	}
	return out
}
func (r *reader) f32s() []float64 {
	n := r.count(4)
	if n == 0 {
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(math.Float32frombits(r.u32()))
	}
	return out
}
func (r *reader) f32s32() []float32 {
	n := r.count(4)
	if n == 0 {
		return nil
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(r.u32())
	}
	return out
}
func (r *reader) bools() []bool {
	n := r.count(1)
	if n == 0 {
		return nil
	}
	out := make([]bool, n)
	for i := range out {
		out[i] = r.boolean()
	}
	return out
}

// errTrailing is returned for bytes after a snapshot's end.
var errTrailing = errors.New("bytes after the end")
