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
const CSVHeader = "queries,iteration,epoch,step,loss,accuracy,valid,power,paper_power,energy"

// csvColumns are CSVHeader's names; the first three are counts, the rest csvFloat's.
var csvColumns = strings.Split(CSVHeader, ",")

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
	for _, name := range csvColumns[3:] {
		dst = append(dst, ',')
		dst = strconv.AppendFloat(dst, *csvFloat(&r, name), 'g', -1, 64)
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

// parseCSV parses one line of AppendCSV.
func parseCSV(line string) (Record, error) {
	cols := csvColumns
	f := strings.Split(line, ",")
	if len(f) != len(cols) {
		return Record{}, fmt.Errorf("%d fields, want %d", len(f), len(cols))
	}
	var ints [3]int64
	for i := range ints {
		v, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil || v < 0 || (i > 0 && v > math.MaxInt32) {
			return Record{}, fmt.Errorf("field %d (%s): %q, want a count", i+1, cols[i], f[i])
		}
		ints[i] = v
	}
	rec := Record{Queries: ints[0], Iteration: int(ints[1]), Epoch: int(ints[2])}
	for i := len(ints); i < len(cols); i++ {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return Record{}, fmt.Errorf("field %d (%s): %q, want a number", i+1, cols[i], f[i])
		}
		*csvFloat(&rec, cols[i]) = v
	}
	return rec, nil
}

// csvFloat returns the field of r that the float column name holds.
func csvFloat(r *Record, name string) *float64 {
	switch name {
	case "step":
		return &r.Step
	case "loss":
		return &r.Loss
	case "accuracy":
		return &r.Accuracy
	case "valid":
		return &r.Valid
	case "power":
		return &r.Power
	case "paper_power":
		return &r.PaperPower
	case "energy":
		return &r.Energy
	}
	panic("train: csv: unknown column " + name) // CSVHeader names no other
}
