package train

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// CSVHeader is the header WriteCSV writes: the fields of Record in order.
const CSVHeader = "queries,iteration,epoch,step,loss,accuracy,power,energy,valid"

// WriteCSV writes a curve as CSV: CSVHeader, then one line per record. Floats are
// written in their shortest exact form (NaN for the first record's loss).
func WriteCSV(w io.Writer, curve []Record) error {
	b := bufio.NewWriter(w)
	b.WriteString(CSVHeader + "\n")
	var line []byte
	for _, r := range curve {
		line = AppendCSV(line[:0], r)
		b.Write(append(line, '\n'))
	}
	return b.Flush()
}

// AppendCSV appends a record's CSV fields (without a newline) to dst.
func AppendCSV(dst []byte, r Record) []byte {
	dst = strconv.AppendInt(dst, r.Queries, 10)
	dst = append(dst, ',')
	dst = strconv.AppendInt(dst, int64(r.Iteration), 10)
	dst = append(dst, ',')
	dst = strconv.AppendInt(dst, int64(r.Epoch), 10)
	for _, v := range [...]float64{r.Step, r.Loss, r.Accuracy, r.Power, r.Energy, r.Valid} {
		dst = append(dst, ',')
		dst = strconv.AppendFloat(dst, v, 'g', -1, 64)
	}
	return dst
}

// ReadCSV reads a curve written by WriteCSV: the header, then one record per line. Its
// errors name the line and the field.
func ReadCSV(r io.Reader) ([]Record, error) {
	sc := bufio.NewScanner(r)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("empty: no header")
	}
	if h := sc.Text(); h != CSVHeader {
		return nil, fmt.Errorf("line 1: header %q, want %q", h, CSVHeader)
	}
	var curve []Record
	for line := 2; sc.Scan(); line++ {
		rec, err := parseCSV(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		curve = append(curve, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(curve) == 0 {
		return nil, fmt.Errorf("no records")
	}
	return curve, nil
}

// csvFields is the number of fields of a record's line.
var csvFields = strings.Count(CSVHeader, ",") + 1

// parseCSV parses one line of AppendCSV.
func parseCSV(line string) (Record, error) {
	f := strings.Split(line, ",")
	if len(f) != csvFields {
		return Record{}, fmt.Errorf("%d fields, want %d", len(f), csvFields)
	}
	var ints [3]int64
	for i := range ints {
		v, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil || v < 0 || (i > 0 && v > math.MaxInt32) {
			return Record{}, fmt.Errorf("field %d (%s): %q, want a count", i+1, csvName(i), f[i])
		}
		ints[i] = v
	}
	var fl [6]float64
	for i := range fl {
		v, err := strconv.ParseFloat(f[3+i], 64)
		if err != nil {
			return Record{}, fmt.Errorf("field %d (%s): %q, want a number", 4+i, csvName(3+i), f[3+i])
		}
		fl[i] = v
	}
	return Record{Queries: ints[0], Iteration: int(ints[1]), Epoch: int(ints[2]),
		Step: fl[0], Loss: fl[1], Accuracy: fl[2], Power: fl[3], Energy: fl[4], Valid: fl[5]}, nil
}

// csvName is the header name of field i.
func csvName(i int) string { return strings.Split(CSVHeader, ",")[i] }
