package dataset

import (
	"bytes"
	"compress/gzip"
	"io"
)

func readAllGzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
