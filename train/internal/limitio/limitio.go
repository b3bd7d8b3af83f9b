// Package limitio bounds what the file readers of train/model and train/dataset read, so
// that no input can make them read or allocate without end: Open refuses anything but a
// regular file within a size limit (a device such as /dev/zero, a pipe, a folder, an
// oversized file) before reading a byte, and NewReader fails with *LimitError once a
// stream goes past its limit, instead of quietly cutting it or growing with it.
package limitio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// LimitError says that a file or stream holds more than Limit bytes.
type LimitError struct {
	Size  int64 // the file's size in bytes; 0 for a stream, whose size is unknown
	Limit int64
}

func (e *LimitError) Error() string {
	if e.Size > 0 {
		return fmt.Sprintf("%d bytes, more than the %s limit", e.Size, Bytes(e.Limit))
	}
	return fmt.Sprintf("more than the %s limit", Bytes(e.Limit))
}

// IsLimit reports whether err is or wraps a *LimitError, and returns it.
func IsLimit(err error) (*LimitError, bool) {
	var le *LimitError
	ok := errors.As(err, &le)
	return le, ok
}

// Bytes writes a byte count for an error message: "32 MiB" when it is a whole number of
// MiB (or KiB), else "1000 bytes".
func Bytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Open opens path for reading if it is a regular file of at most limit bytes, and
// returns it with its size. It checks the path before opening it (so that a named pipe
// is refused instead of blocking the open) and the open file again (so that a file
// swapped in between is refused too). Errors are *fs.PathError naming the path; a file
// too large wraps *LimitError.
func Open(path string, limit int64) (*os.File, int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if err := check(path, st, limit); err != nil {
		return nil, 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	if st, err = f.Stat(); err == nil {
		err = check(path, st, limit)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

func check(path string, st fs.FileInfo, limit int64) error {
	if !st.Mode().IsRegular() {
		return &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("not a regular file (%s)", kind(st.Mode()))}
	}
	if st.Size() > limit {
		return &fs.PathError{Op: "open", Path: path, Err: &LimitError{Size: st.Size(), Limit: limit}}
	}
	return nil
}

// kind names a file type for an error message.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "mode " + m.String()
}

// NewReader returns a reader of the first limit bytes of r that fails with *LimitError
// when r holds more: unlike io.LimitReader, a stream that is too long is an error, not a
// shorter stream.
func NewReader(r io.Reader, limit int64) io.Reader {
	return &reader{r: r, left: limit, limit: limit}
}

type reader struct {
	r           io.Reader
	left, limit int64
	err         error
}

func (l *reader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if l.left <= 0 {
		// At the limit: the stream must end here.
		var one [1]byte
		for {
			n, err := l.r.Read(one[:])
			if n > 0 {
				l.err = &LimitError{Limit: l.limit}
				return 0, l.err
			}
			if err != nil {
				l.err = err
				return 0, err
			}
		}
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if err != nil {
		l.err = err
	}
	return n, err
}

// Size returns the number of bytes left in r when r can tell without reading it (a
// *bytes.Reader, *bytes.Buffer, *strings.Reader or a regular *os.File), else -1.
func Size(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len())
	case *os.File:
		st, err := v.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return -1
		}
		off, err := v.Seek(0, io.SeekCurrent)
		if err != nil || off > st.Size() {
			return -1
		}
		return st.Size() - off
	}
	return -1
}

// MaxDeflateRatio is the most a deflate stream (gzip) can expand: one length-258 match
// in as little as a quarter of a byte, so at most 1032 bytes out per byte in. A gzip file
// of n bytes cannot hold more than MaxDeflateRatio*n bytes of data, whatever its header
// claims.
const MaxDeflateRatio = 1032
