package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/meshlight/meshlight/wasm/wire"
)

// Fetch returns the bytes of a file of the site, given its site-relative path (such as
// "models/mnist8-mlp.json") and the most bytes the file may have. In the browser it is an
// HTTP fetch (which checks the address with SiteURL and reads the body with ReadCapped);
// in tests, a file read. It may block: the session calls it from its own goroutine.
type Fetch func(path string, limit int64) ([]byte, error)

// SiteURL resolves a site-relative path against the page's base URL (document.baseURI) as
// a browser reads it, and returns the absolute URL, or an error if that URL is on another
// origin (scheme, host or port) or outside the base URL's folder. It is the second guard
// behind ValidModelRef, at the fetch itself, and takes absolute URLs too (the URL a
// response came from). Read as a browser does: tabs and newlines are dropped, a backslash
// is a slash, and a segment "%2e" or "%2e%2e" is a dot segment; a resolved path that still
// holds a dot segment, an escaped slash or backslash, a query or a fragment is refused.
func SiteURL(base, path string) (string, error) {
	b, err := url.Parse(base)
	if err != nil || (b.Scheme != "http" && b.Scheme != "https") || b.Host == "" {
		return "", fmt.Errorf("%s: the page's address %s is not an http(s) URL", quoteCut(path), quoteCut(base))
	}
	dir := b.EscapedPath()
	dir = dir[:strings.LastIndex(dir, "/")+1]
	if dir == "" {
		dir = "/"
	}
	r, err := url.Parse(browserForm(path))
	if err != nil {
		return "", fmt.Errorf("%s: not a URL: %w", quoteCut(path), errors.Unwrap(err))
	}
	t := b.ResolveReference(r)
	if t.Scheme != b.Scheme || t.Host != b.Host || t.User != nil {
		return "", fmt.Errorf("%s: refused: the browser would fetch it from %s, another site than the page's %s://%s", quoteCut(path), quoteCut(t.Scheme+"://"+t.Host), b.Scheme, b.Host)
	}
	p := t.EscapedPath()
	outside := fmt.Errorf("%s: refused: the browser would fetch %s, outside the site's folder %s", quoteCut(path), quoteCut(p), dir)
	if !strings.HasPrefix(p, dir) {
		return "", outside
	}
	for _, seg := range strings.Split(p[len(dir):], "/") {
		s, err := url.PathUnescape(seg)
		if err != nil || s == "." || s == ".." || strings.ContainsAny(s, "/\\") {
			return "", outside
		}
	}
	if t.RawQuery != "" || t.ForceQuery || t.Fragment != "" {
		return "", fmt.Errorf("%s: refused: a site file's address has no query or fragment", quoteCut(path))
	}
	return t.String(), nil
}

// browserForm is a relative URL as a browser's URL parser reads it for an http(s) page:
// leading and trailing spaces and control characters trimmed, tabs and newlines removed,
// backslashes read as slashes.
func browserForm(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(s)
	return s
}

// ReadCapped reads a response body of at most limit bytes. declared is the length the
// response announces (Content-Length; -1 if unknown or if it counts encoded bytes): above
// limit, nothing is read. Otherwise at most limit+1 bytes are read, so a body longer than
// limit (or than it declared) is stopped at the cap and refused. A body of known length is
// read into one buffer of that length; one of unknown length into blocks of up to
// readBlock bytes, joined once it has ended within the cap, so a refused body never holds more than
// the cap in memory. The errors name the limit; the caller names the file.
func ReadCapped(declared int64, body io.Reader, limit int64) ([]byte, error) {
	if declared > limit {
		return nil, fmt.Errorf("%s (Content-Length) is over the limit of %s; not read", wire.ByteSize(declared), wire.ByteSize(limit))
	}
	tooLong := fmt.Errorf("more than the limit of %s; stopped reading at the cap", wire.ByteSize(limit))
	var b []byte
	if declared >= 0 {
		b = make([]byte, declared)
		if _, err := io.ReadFull(body, b); err != nil {
			return nil, fmt.Errorf("%s declared: %w", wire.ByteSize(declared), err)
		}
	}
	// The rest (all of a body of unknown length; of another, what it sends beyond its
	// length) is read on up to the cap.
	rest, over, err := readBlocks(body, limit-int64(len(b)))
	switch {
	case over:
		return nil, tooLong
	case err != nil:
		return nil, err
	case b == nil:
		return rest, nil
	}
	return append(b, rest...), nil
}

// readBlocks reads r to its end in blocks that start small and double up to readBlock
// bytes (so finding the end of a body already read costs a small block, not a large
// one), at most limit bytes: over says r held more (then at most limit+1 bytes were read).
func readBlocks(r io.Reader, limit int64) (b []byte, over bool, err error) {
	var blocks [][]byte
	var n int64
	size := int64(firstBlock)
	for ; ; size = min(2*size, readBlock) {
		blk := make([]byte, min(size, limit+1-n))
		k, err := io.ReadFull(r, blk)
		n += int64(k)
		blocks = append(blocks, blk[:k])
		if n > limit {
			return nil, true, nil
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return bytes.Join(blocks, nil), false, nil
		}
		if err != nil {
			return nil, false, err
		}
	}
}

// firstBlock and readBlock are the first and the largest block in which ReadCapped reads
// a body of unknown length (and looks for the end of one of known length).
const (
	firstBlock = 4 << 10
	readBlock  = 1 << 20
)

// DirFetch returns the Fetch of a site on disk: the files under the folder root, read
// through an os.Root (a path cannot leave it, even by a link) and capped like the
// browser's (ReadCapped). Native tools and tests use it in place of HTTP.
func DirFetch(root string) Fetch {
	return func(p string, limit int64) ([]byte, error) {
		f, err := os.OpenInRoot(root, filepath.FromSlash(p))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return nil, err
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: not a regular file", p)
		}
		return ReadCapped(fi.Size(), f, limit)
	}
}
