// Package limitio bounds what the file readers of train/model and train/dataset read, so
// that no input can make them read or allocate without end: Open refuses anything but a
// regular file within a size limit (a device such as /dev/zero, a pipe, a folder, an
// oversized file) before reading a byte, and NewReader fails with *LimitError once a
// stream goes past its limit, instead of quietly cutting it or growing with it.
package limitio

import (
	"bufio"
	"compress/gzip"
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

// Gunzip returns the content of r, a stream of at most limit bytes that is either plain
// or gzipped: r's bytes as they are, or, when they start with the gzip magic, their
// decompression (one gzip member), which may not exceed limit either and after which r
// must end (ErrAfterGzip otherwise). zipped says which; close releases the decompressor.
// An error is a damaged gzip header.
func Gunzip(r io.Reader, limit int64) (content io.Reader, zipped bool, close func(), err error) {
	br := bufio.NewReader(NewReader(r, limit))
	if head, _ := br.Peek(2); len(head) < 2 || head[0] != 0x1f || head[1] != 0x8b {
		return br, false, func() {}, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, true, nil, err
	}
	zr.Multistream(false)
	return &gunzipped{NewReader(zr, limit), br}, true, func() { zr.Close() }, nil
}

// ErrAfterGzip says that a gzipped stream goes on after its gzip member.
var ErrAfterGzip = errors.New("data after the gzip stream")

// gunzipped is a decompressed stream that, at its end, checks that the compressed one
// ended too.
type gunzipped struct {
	io.Reader
	raw *bufio.Reader
}

func (g *gunzipped) Read(p []byte) (int, error) {
	n, err := g.Reader.Read(p)
	if err == io.EOF {
		switch _, perr := g.raw.Peek(1); {
		case perr == nil:
			err = ErrAfterGzip
		case perr != io.EOF:
			err = perr
		}
	}
	return n, err
}

// Cause returns what went wrong opening a file, without the *fs.PathError around it (for
// messages that name the file themselves).
func Cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
