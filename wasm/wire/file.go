package wire

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxModelFile is the most bytes of a model file the page sends the engine: the engine's
// model reader's limit (train/model.MaxFileSize, which a test of wasm/sim holds this to),
// here so that the page checks a file's size without linking the reader.
const MaxModelFile = 32 << 20

// maxFileLabel is the most bytes of a file's name that the page shows.
const maxFileLabel = 64

// CheckModelFile checks a model file from the page before its bytes are read: its name,
// which the page shows (the base name, without control or formatting characters such as a
// right-to-left override, cut after maxFileLabel bytes), and its size against
// MaxModelFile. It returns the name as shown. The page calls it with File.size, the
// engine with the bytes it received (sim.Session.LoadFile).
func CheckModelFile(name string, size int64) (string, error) {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name))
	if len(name) > maxFileLabel {
		n := maxFileLabel
		for n > 0 && !utf8.RuneStart(name[n]) {
			n--
		}
		name = name[:n] + "…"
	}
	if name == "" {
		return "", errors.New("model file: it has no name (want the .json or .json.gz file that pretrain writes)")
	}
	if size > MaxModelFile {
		return name, fmt.Errorf("model file %s: %s is over the limit of %s; not read", name, ByteSize(size), ByteSize(MaxModelFile))
	}
	return name, nil
}

// ByteSize writes a byte count for a message, with its MiB when large.
func ByteSize(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d bytes (%.4g MiB)", n, float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}
