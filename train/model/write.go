package model

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Write validates m and writes it as JSON: one field per line, one line per block's
// phases or signs. Numbers are written in the shortest form that reads back to the same
// float64, so a written model reads back bit for bit.
func Write(w io.Writer, m *Model) error {
	if err := m.Validate(); err != nil {
		return fmt.Errorf("model %q: %w", m.Name, err)
	}
	bw := bufio.NewWriter(w)
	e := &writer{w: bw}
	e.printf("{\n")
	head := []struct {
		key string
		v   any
	}{
		{"format", m.Format}, {"name", m.Name}, {"dataset", m.Dataset},
		{"architecture", m.Architecture}, {"block", m.Block}, {"m", m.M},
		{"topology", m.Topology}, {"test_accuracy", m.TestAccuracy}, {"seed", m.Seed},
		{"activation", m.Activation}, {"input", m.Input}, {"preprocessing", m.Preprocessing},
	}
	for _, f := range head {
		e.printf("  %q: %s,\n", f.key, e.json(f.v))
	}
	e.printf("  \"layers\": [\n")
	for i, l := range m.Layer {
		e.printf("    {\"kind\": %s, \"out\": %d, \"in\": %d,\n", e.json(string(l.Kind)), l.Out, l.In)
		if l.Conv != nil {
			e.printf("     \"conv\": %s,\n", e.json(l.Conv))
		}
		e.printf("     \"phases\": {\n")
		e.rows("u", l.Phases.U, ",")
		e.rows("sigma", l.Phases.Sigma, ",")
		e.rows("v", l.Phases.V, "")
		e.printf("     },\n     \"signs\": {\n")
		e.rows("u", l.Signs.U, ",")
		e.rows("v", l.Signs.V, "")
		e.printf("     }}%s\n", sep(i < len(m.Layer)-1))
	}
	e.printf("  ]\n}\n")
	if e.err != nil {
		return e.err
	}
	return bw.Flush()
}

// WriteFile writes m to path (see Write), through a temporary file renamed into place;
// gzipped when path ends in .gz (as ReadFile and the page read it), with no name or time
// in the gzip header, so that the same model gives the same bytes.
func WriteFile(path string, m *Model) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".model-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	var w io.Writer = tmp
	var zw *gzip.Writer
	if strings.HasSuffix(path, ".gz") {
		zw, _ = gzip.NewWriterLevel(tmp, gzip.BestCompression) // a valid level: no error
		w = zw
	}
	err = Write(w, m)
	if err == nil && zw != nil {
		err = zw.Close()
	}
	if err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// writer keeps the first error of a sequence of writes.
type writer struct {
	w   *bufio.Writer
	err error
	buf []byte
}

func (e *writer) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

func (e *writer) json(v any) string {
	b, err := json.Marshal(v)
	if err != nil && e.err == nil {
		e.err = err
	}
	return string(b)
}

// rows writes "key": [[...], ...] with one line per block.
func (e *writer) rows(key string, rows [][]float64, trail string) {
	e.printf("       %q: [", key)
	for b, r := range rows {
		if b > 0 {
			e.printf(",")
		}
		e.buf = append(e.buf[:0], "\n        ["...)
		for j, x := range r {
			if j > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = strconv.AppendFloat(e.buf, x, 'g', -1, 64)
		}
		e.buf = append(e.buf, ']')
		if e.err == nil {
			_, e.err = e.w.Write(e.buf)
		}
	}
	e.printf("]%s\n", trail)
}

func sep(more bool) string {
	if more {
		return ","
	}
	return ""
}
