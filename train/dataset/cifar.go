package dataset

import (
	"bufio"
	"io"
)

// CIFAR-10 binary format: records of one label byte followed by 3072 pixel
// bytes, the 32x32 red plane, then green, then blue, each row-major.
const (
	cifarSide    = 32
	cifarPixels  = 3 * cifarSide * cifarSide
	cifarRecord  = 1 + cifarPixels
	cifarClasses = 10
	// maxCIFARRecords bounds one file (the real batches hold 10000): 10000 records
	// make a Set of 123 MB.
	maxCIFARRecords = 10000
)

// ReadCIFAR10 reads a CIFAR-10 binary batch (data_batch_N.bin /
// test_batch.bin layout) into a Set named "cifar10" with Shape {3, 32, 32}
// (channel-major, as stored) and values pixel/255. A partial last record, a
// label above 9, an empty file or more than 10000 records (a real batch) is an error
// naming the record.
func ReadCIFAR10(r io.Reader, name string) (*Set, error) {
	br := bufio.NewReader(r)
	s := &Set{Name: "cifar10", Shape: [3]int{3, cifarSide, cifarSide}, Classes: cifarClasses}
	rec := make([]byte, cifarRecord)
	for n := 0; ; n++ {
		k, err := io.ReadFull(br, rec)
		if err == io.EOF {
			if n == 0 {
				return nil, formatErr(name, "record 0", io.ErrUnexpectedEOF, "empty file")
			}
			return s, nil
		}
		if err != nil {
			return nil, formatErr(name, "record "+itoa(n), err, "truncated: %d of %d bytes", k, cifarRecord)
		}
		if n >= maxCIFARRecords {
			return nil, formatErr(name, "record "+itoa(n), nil, "more than %d records", maxCIFARRecords)
		}
		if rec[0] >= cifarClasses {
			return nil, formatErr(name, "record "+itoa(n)+" label", nil, "label %d, want 0..%d", rec[0], cifarClasses-1)
		}
		s.Y = append(s.Y, rec[0])
		for _, p := range rec[1:] {
			s.X = append(s.X, PixelValue(p))
		}
	}
}
