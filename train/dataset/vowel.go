package dataset

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/meshlight/meshlight/train/internal/limitio"
)

// VowelRow is one utterance of the Deterding vowel data: the speaker-based
// split (0 = one of the 8 training speakers, 1 = one of the 7 test speakers),
// the speaker, the 10 log-area-ratio features derived from the LPC analysis,
// the vowel class 0..10 and the speaker's sex (0 male, 1 female).
type VowelRow struct {
	Split    Split
	Speaker  int
	Features [VowelFeatures]float64
	Class    int
	Sex      int
}

// VowelFeatures is the number of features per utterance in the Deterding data.
const VowelFeatures = 10

// VowelClasses is the number of vowels in the Deterding data.
const VowelClasses = 11

// maxVowelFile bounds the vowel table, compressed or not, in bytes (ddalpha's is 10 KB
// gzipped, 37 KB plain).
const maxVowelFile = 1 << 24

// vowelHeader is the column layout of ddalpha's vowel_MvsF.txt.gz.
var vowelHeader = []string{"X1", "X2", "X3", "X4", "X5", "X6", "X7", "X8", "X9", "X10", "X11", "X12", "X13", "C"}

// ReadVowel parses the Deterding vowel table as Debian's r-cran-ddalpha ships
// it (vowel_MvsF.txt.gz, gzip detected automatically): a header
// "X1 .. X13 C" then one whitespace-separated row per utterance: X1 split
// (0 train, 1 test), X2 speaker, X3..X12 features, X13 class 0..10, C sex
// (0/1). Errors name the line and the column. At most 16 MiB are read, before and after
// decompression; a longer table is an error, not a shorter one.
func ReadVowel(r io.Reader, name string) ([]VowelRow, error) {
	r, _, closeZip, err := limitio.Gunzip(r, maxVowelFile)
	if err != nil {
		return nil, formatErr(name, "gzip header", err, "cannot decompress")
	}
	defer closeZip()
	sc := bufio.NewScanner(r)
	line := 0
	var rows []VowelRow
	for sc.Scan() {
		if sc.Err() != nil {
			break // a read error: the last token is a cut line, the error is reported below
		}
		line++
		fields := strings.Fields(sc.Text())
		if line == 1 {
			if !slices.Equal(fields, vowelHeader) {
				return nil, formatErr(name, "line 1 (header)", nil, "got %q, want %q", fields, vowelHeader)
			}
			continue
		}
		if len(fields) == 0 {
			continue
		}
		if len(fields) != len(vowelHeader) {
			return nil, formatErr(name, fmt.Sprintf("line %d", line), nil, "%d columns, want %d", len(fields), len(vowelHeader))
		}
		var row VowelRow
		ints := [...]struct {
			col      int
			dst      *int
			min, max int
		}{{0, new(int), 0, 1}, {1, &row.Speaker, 0, 1 << 20}, {12, &row.Class, 0, VowelClasses - 1}, {13, &row.Sex, 0, 1}}
		for _, c := range ints {
			v, err := strconv.Atoi(fields[c.col])
			if err != nil || v < c.min || v > c.max {
				return nil, formatErr(name, fmt.Sprintf("line %d column %s", line, vowelHeader[c.col]), err,
					"value %q, want an integer in %d..%d", fields[c.col], c.min, c.max)
			}
			*c.dst = v
		}
		row.Split = Split(*ints[0].dst)
		for j := range row.Features {
			v, err := strconv.ParseFloat(fields[2+j], 64)
			if err != nil || v != v || v > 1e300 || v < -1e300 {
				return nil, formatErr(name, fmt.Sprintf("line %d column %s", line, vowelHeader[2+j]), err,
					"value %q, want a finite number", fields[2+j])
			}
			row.Features[j] = v
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		if _, ok := limitio.IsLimit(err); ok {
			return nil, formatErr(name, fmt.Sprintf("line %d", line+1), err, "the table is too large for a vowel table")
		}
		return nil, formatErr(name, fmt.Sprintf("line %d", line+1), err, "read failed")
	}
	if line == 0 {
		return nil, formatErr(name, "line 1 (header)", io.ErrUnexpectedEOF, "empty file")
	}
	if len(rows) == 0 {
		return nil, formatErr(name, "rows", nil, "no data rows after the header")
	}
	return rows, nil
}

// ReadVowelFile reads the vowel table (see ReadVowel) from path, which must be a
// regular file of at most 16 MiB.
func ReadVowelFile(path string) ([]VowelRow, error) {
	f, _, err := limitio.Open(path, maxVowelFile)
	if err != nil {
		return nil, fileErr(path, err, "vowel table")
	}
	defer f.Close()
	return ReadVowel(f, path)
}
