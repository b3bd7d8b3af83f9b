package train

import (
	"bufio"
	"io"
	"strconv"
)

// CSVHeader is the header WriteCSV writes: the fields of Record in order.
const CSVHeader = "queries,iteration,epoch,step,loss,accuracy,power,energy"

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
	for _, v := range [...]float64{r.Step, r.Loss, r.Accuracy, r.Power, r.Energy} {
		dst = append(dst, ',')
		dst = strconv.AppendFloat(dst, v, 'g', -1, 64)
	}
	return dst
}
