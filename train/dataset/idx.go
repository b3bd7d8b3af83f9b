package dataset

import (
	"encoding/binary"
	"io"

	"github.com/meshlight/meshlight/train/internal/limitio"
)

// IDX is an unsigned-byte array read from an idx file (the format of the
// MNIST and Fashion-MNIST distributions): Dims, outermost first, and the
// values in row-major order.
type IDX struct {
	Dims []int
	Data []byte
}

// maxIDXBytes bounds the payload an idx header may announce (Fashion-MNIST
// training images are 47 MB), and maxIDXFile the file, compressed or not.
const (
	maxIDXBytes = 1 << 28
	maxIDXFile  = maxIDXBytes + 4 + 4*4
)

// ReadIDX reads an idx file of unsigned bytes (type code 0x08), gzip
// compressed or not (detected from the first bytes). name labels errors.
// It reports a wrong magic, an unsupported type, a zero or oversized
// dimension, a truncated payload and trailing bytes. It reads at most 256 MiB (and a
// header) and, when r can tell its size (a *bytes.Reader, an *os.File), refuses
// dimensions that the stream cannot hold before reading the payload.
func ReadIDX(r io.Reader, name string) (*IDX, error) {
	size := limitio.Size(r)
	r, zipped, closeZip, err := limitio.Gunzip(r, maxIDXFile)
	if err != nil {
		return nil, formatErr(name, "gzip header", err, "cannot decompress")
	}
	defer closeZip()
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, formatErr(name, "magic", err, "file too short")
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, formatErr(name, "magic", nil, "got % x, want 00 00 <type> <ndims>", magic)
	}
	if magic[2] != 0x08 {
		return nil, formatErr(name, "magic", nil, "element type 0x%02x, only 0x08 (unsigned byte) is supported", magic[2])
	}
	nd := int(magic[3])
	if nd < 1 || nd > 4 {
		return nil, formatErr(name, "magic", nil, "%d dimensions, want 1..4", nd)
	}
	dims := make([]int, nd)
	total := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, formatErr(name, "dims", err, "dimension %d missing", i)
		}
		if d == 0 || d > maxIDXBytes || total*int(d) > maxIDXBytes {
			return nil, formatErr(name, "dims", nil, "dimension %d is %d: array empty or larger than %d bytes", i, d, maxIDXBytes)
		}
		dims[i] = int(d)
		total *= int(d)
	}
	head := int64(4 + 4*nd)
	switch {
	case size >= 0 && !zipped && int64(total) > size-head:
		return nil, formatErr(name, "data", io.ErrUnexpectedEOF, "truncated: %d of %d bytes (dims %v)", max(size-head, 0), total, dims)
	case size >= 0 && zipped && int64(total) > limitio.MaxDeflateRatio*size:
		return nil, formatErr(name, "dims", nil, "dims %v announce %d bytes, more than a %d-byte gzip file can hold", dims, total, size)
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(total)+1))
	if err != nil {
		if _, ok := limitio.IsLimit(err); ok {
			return nil, formatErr(name, "data", err, "the file is too large for an idx file")
		}
		return nil, formatErr(name, "data", err, "read failed after %d of %d bytes", len(data), total)
	}
	if len(data) < total {
		return nil, formatErr(name, "data", io.ErrUnexpectedEOF, "truncated: %d of %d bytes (dims %v)", len(data), total, dims)
	}
	if len(data) > total {
		return nil, formatErr(name, "data", nil, "trailing bytes after the %d announced by dims %v", total, dims)
	}
	return &IDX{Dims: dims, Data: data}, nil
}

// ReadIDXFile reads an idx file (see ReadIDX) from path, which must be a regular file
// of at most 256 MiB and a few bytes.
func ReadIDXFile(path string) (*IDX, error) {
	f, _, err := limitio.Open(path, maxIDXFile)
	if err != nil {
		return nil, fileErr(path, err, "idx file")
	}
	defer f.Close()
	return ReadIDX(f, path)
}

// Images is a stack of grey-level images of H x W bytes (0 = background).
type Images struct {
	N, H, W int
	Pix     []byte // N*H*W, image after image, row-major
}

// Image returns the pixels of image i (a view).
func (m *Images) Image(i int) []byte { return m.Pix[i*m.H*m.W : (i+1)*m.H*m.W] }

// ReadIDXImages reads an images file and a labels file in idx format (as
// MNIST ships them) and checks that they agree: images are N x H x W, labels
// are N, every label is below classes. The names label errors.
func ReadIDXImages(images, labels io.Reader, imagesName, labelsName string, classes int) (*Images, []uint8, error) {
	im, err := ReadIDX(images, imagesName)
	if err != nil {
		return nil, nil, err
	}
	if len(im.Dims) != 3 {
		return nil, nil, formatErr(imagesName, "dims", nil, "%v: want 3 dimensions (count, height, width)", im.Dims)
	}
	lb, err := ReadIDX(labels, labelsName)
	if err != nil {
		return nil, nil, err
	}
	if len(lb.Dims) != 1 {
		return nil, nil, formatErr(labelsName, "dims", nil, "%v: want 1 dimension (count)", lb.Dims)
	}
	if lb.Dims[0] != im.Dims[0] {
		return nil, nil, formatErr(labelsName, "count", nil, "%d labels for %d images in %s", lb.Dims[0], im.Dims[0], imagesName)
	}
	for i, y := range lb.Data {
		if int(y) >= classes {
			return nil, nil, formatErr(labelsName, "labels", nil, "label %d of sample %d is not below %d classes", y, i, classes)
		}
	}
	return &Images{N: im.Dims[0], H: im.Dims[1], W: im.Dims[2], Pix: im.Data}, lb.Data, nil
}

// ReadIDXImagesFiles is ReadIDXImages on two paths, each a regular file (see
// ReadIDXFile).
func ReadIDXImagesFiles(imagesPath, labelsPath string, classes int) (*Images, []uint8, error) {
	fi, _, err := limitio.Open(imagesPath, maxIDXFile)
	if err != nil {
		return nil, nil, fileErr(imagesPath, err, "idx file")
	}
	defer fi.Close()
	fl, _, err := limitio.Open(labelsPath, maxIDXFile)
	if err != nil {
		return nil, nil, fileErr(labelsPath, err, "idx file")
	}
	defer fl.Close()
	return ReadIDXImages(fi, fl, imagesPath, labelsPath, classes)
}
