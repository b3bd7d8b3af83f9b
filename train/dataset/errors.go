package dataset

import "fmt"

// FormatError says what is wrong with an input file and where: the file (the
// name given to a reader, or the path), the field (for example "magic",
// "count", "labels", "line 12 column X5") and what was found.
type FormatError struct {
	File  string
	Field string
	Msg   string
	Err   error // underlying error, if any (e.g. io.ErrUnexpectedEOF)
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("%s: %s: %s", e.File, e.Field, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

func formatErr(file, field string, err error, format string, args ...any) *FormatError {
	return &FormatError{File: file, Field: field, Msg: fmt.Sprintf(format, args...), Err: err}
}
