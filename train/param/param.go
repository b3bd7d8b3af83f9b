// Package param is the one grammar of a run's settings written as text: the command-line
// flags, the page's address and the model files read numbers, booleans and ranges by it,
// so a value one of them accepts the others accept too, and a value one refuses the
// others refuse with the same words.
//
// A number is decimal: an optional sign, digits with an optional point, an optional
// exponent ("0.15", "-2", "2e-3", ".5"). Hexadecimal ("0x1p-3"), "Inf", "NaN" and digit
// separators ("1_000") are refused, and so is a number too large for a float64 or, unless
// it is 0, too small to hold its digits (below 2.2e-308, where a float64 keeps fewer than
// 15 of them). A boolean is true, false, 1 or 0, in any case. Bounds are a Range.
package param

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrNotNumber is the error of a value that is not a decimal number.
var ErrNotNumber = errors.New("not a decimal number")

// Float parses a finite decimal number (see the package doc). -0 reads as 0.
func Float(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if !decimal(s) {
		return 0, ErrNotNumber
	}
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange) && !math.IsInf(x, 0):
		return 0, errTooSmall
	case err != nil || math.IsInf(x, 0):
		return 0, errors.New("too large for a float64")
	case (x != 0 && math.Abs(x) < smallest) || (x == 0 && nonzero(s)):
		return 0, errTooSmall
	}
	if x == 0 {
		x = 0
	}
	return x, nil
}

var errTooSmall = fmt.Errorf("too small for a float64 to hold its digits (0, or at least %.2g)", smallest)

// smallest is the smallest normal float64: below it a float64 keeps fewer digits.
const smallest = 0x1p-1022

// decimal reports whether s is [+-] digits [. digits] [e [+-] digits], with a digit before
// or after the point.
func decimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	n := digits(s[i:])
	i += n
	if i < len(s) && s[i] == '.' {
		i++
		m := digits(s[i:])
		i += m
		n += m
	}
	if n == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		m := digits(s[i:])
		if m == 0 {
			return false
		}
		i += m
	}
	return i == len(s)
}

// nonzero reports whether a decimal's digits before its exponent are not all 0.
func nonzero(s string) bool {
	m, _, _ := strings.Cut(strings.ToLower(s), "e")
	return strings.ContainsAny(m, "123456789")
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// Int parses an integer in [lo, hi]: a decimal number (Float's grammar) with no fraction,
// so "12", "12.0" (as JavaScript may write it) and "1e3" are integers and "1.5" is not.
func Int(s string, lo, hi int64) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64) // exact beyond 2^53
	if err != nil {
		x, ferr := Float(s)
		if ferr != nil || x != math.Trunc(x) || math.Abs(x) >= 1<<63 {
			return 0, errors.New("not an integer")
		}
		n = int64(x)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("out of range [%d, %d]", lo, hi)
	}
	return n, nil
}

// Bool parses true, false, 1 or 0 (in any case).
func Bool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true":
		return true, nil
	case "0", "false":
		return false, nil
	}
	return false, errors.New("not a boolean (use 1 or 0, true or false)")
}

// FormatBool is the form of a boolean in an address and a flag's default: 1 or 0.
func FormatBool(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// FormatFloat is the shortest decimal form of x that Float reads back as x.
func FormatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// Range is an interval of allowed values: from Lo to Hi, each bound included unless
// open.
type Range struct {
	Lo, Hi         float64
	OpenLo, OpenHi bool
}

// Contains reports whether x lies in r (NaN does not).
func (r Range) Contains(x float64) bool {
	return (x > r.Lo || (x == r.Lo && !r.OpenLo)) && (x < r.Hi || (x == r.Hi && !r.OpenHi))
}

// Check returns an error saying "out of range" and r unless x lies in r.
func (r Range) Check(x float64) error {
	if r.Contains(x) {
		return nil
	}
	return fmt.Errorf("out of range %s", r)
}

// String writes r as an interval: "(0, 1]".
func (r Range) String() string {
	l, h := "[", "]"
	if r.OpenLo {
		l = "("
	}
	if r.OpenHi {
		h = ")"
	}
	return fmt.Sprintf("%s%g, %g%s", l, r.Lo, r.Hi, h)
}

// Bounds writes r as bounds of a named value: "0 < s <= 1".
func (r Range) Bounds(name string) string {
	l, h := "<=", "<="
	if r.OpenLo {
		l = "<"
	}
	if r.OpenHi {
		h = "<"
	}
	return fmt.Sprintf("%g %s %s %s %g", r.Lo, l, name, h, r.Hi)
}

// Parse parses a decimal number (Float) in r.
func (r Range) Parse(s string) (float64, error) {
	x, err := Float(s)
	if err == nil {
		err = r.Check(x)
	}
	if err != nil {
		return 0, err
	}
	return x, nil
}

// FloatVar defines a float64 flag on fs, like flag.FlagSet.Float64Var with *p as its
// default, that reads its value by Float's grammar (a range is the caller's to check).
func FloatVar(fs *flag.FlagSet, p *float64, name, usage string) {
	fs.Var((*floatFlag)(p), name, usage)
}

type floatFlag float64

func (f *floatFlag) String() string {
	if f == nil {
		return "0"
	}
	return FormatFloat(float64(*f))
}

func (f *floatFlag) Set(s string) error {
	x, err := Float(s)
	if err == nil {
		*f = floatFlag(x)
	}
	return err
}

// IntVar defines an integer flag on fs, like flag.FlagSet.IntVar with *p as its default,
// that reads its value by Int's grammar (decimal: no "0x10" or "1_000").
func IntVar[T int | int64](fs *flag.FlagSet, p *T, name, usage string) {
	fs.Var(&intFlag[T]{p}, name, usage)
}

type intFlag[T int | int64] struct{ p *T }

func (f *intFlag[T]) String() string {
	if f == nil || f.p == nil {
		return "0"
	}
	return strconv.FormatInt(int64(*f.p), 10)
}

func (f *intFlag[T]) Set(s string) error {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if x := T(math.MaxInt32); x+1 < x { // a 32-bit int (js/wasm's is 64-bit, but be exact)
		lo, hi = math.MinInt32, math.MaxInt32
	}
	n, err := Int(s, lo, hi)
	if err == nil {
		*f.p = T(n)
	}
	return err
}

// BoolVar defines a boolean flag on fs, like flag.FlagSet.BoolVar with *p as its default
// (given alone it is true), that reads a value by Bool's grammar.
func BoolVar(fs *flag.FlagSet, p *bool, name, usage string) { fs.Var((*boolFlag)(p), name, usage) }

type boolFlag bool

func (f *boolFlag) String() string { return strconv.FormatBool(f != nil && bool(*f)) }

func (f *boolFlag) Set(s string) error {
	b, err := Bool(s)
	if err == nil {
		*f = boolFlag(b)
	}
	return err
}

// IsBoolFlag lets the flag be given alone.
func (f *boolFlag) IsBoolFlag() bool { return true }
