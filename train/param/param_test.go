package param

import (
	"flag"
	"io"
	"math"
	"strings"
	"testing"
)

func TestFloat(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		err  string // "" when it parses
	}{
		{"0.15", 0.15, ""},
		{"-2", -2, ""},
		{"+2e-3", 2e-3, ""},
		{".5", 0.5, ""},
		{"5.", 5, ""},
		{" 1E3 ", 1000, ""},
		{"-0", 0, ""},
		{"2.2250738585072014e-308", 0x1p-1022, ""},
		{"0x1p-3", 0, "not a decimal number"},
		{"Inf", 0, "not a decimal number"},
		{"-inf", 0, "not a decimal number"},
		{"NaN", 0, "not a decimal number"},
		{"1_000", 0, "not a decimal number"},
		{"", 0, "not a decimal number"},
		{".", 0, "not a decimal number"},
		{"1e", 0, "not a decimal number"},
		{"e5", 0, "not a decimal number"},
		{"1.5.2", 0, "not a decimal number"},
		{"1e309", 0, "too large"},
		{"-1e400", 0, "too large"},
		{"1e-320", 0, "too small"},
		{"-4e-310", 0, "too small"},
		{"1e-400", 0, "too small"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Float(tc.in)
			if tc.err == "" {
				if err != nil || got != tc.want || (got == 0 && math.Signbit(got)) {
					t.Errorf("Float(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Float(%q) = %v, %v; want an error containing %q", tc.in, got, err, tc.err)
			}
		})
	}
}

func TestInt(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		err  string
	}{
		{"12", 12, ""},
		{"12.0", 12, ""},
		{"1e3", 1000, ""},
		{"9007199254740992", 1 << 53, ""},
		{"9007199254740993", 0, "out of range"},
		{"-1", 0, "out of range [0, 9007199254740992]"},
		{"1.5", 0, "not an integer"},
		{"0x10", 0, "not an integer"},
		{"1e400", 0, "not an integer"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Int(tc.in, 0, 1<<53)
			if tc.err == "" {
				if err != nil || got != tc.want {
					t.Errorf("Int(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Int(%q) = %v, %v; want an error containing %q", tc.in, got, err, tc.err)
			}
		})
	}
}

func TestBool(t *testing.T) {
	for in, want := range map[string]bool{"1": true, "true": true, "TRUE": true, "0": false, "false": false, " False ": false} {
		if got, err := Bool(in); err != nil || got != want {
			t.Errorf("Bool(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"yes", "no", "on", "off", "2", "", "t"} {
		if got, err := Bool(in); err == nil {
			t.Errorf("Bool(%q) = %v, want an error", in, got)
		}
	}
}

func TestRange(t *testing.T) {
	r := Range{Lo: 0, Hi: 1, OpenLo: true}
	if r.String() != "(0, 1]" {
		t.Errorf("String %q", r)
	}
	for x, in := range map[float64]bool{0: false, 1e-300: true, 1: true, 1.0000001: false, math.NaN(): false} {
		if r.Contains(x) != in {
			t.Errorf("%v in %s: %v, want %v", x, r, !in, in)
		}
	}
	if got := r.Bounds("s"); got != "0 < s <= 1" {
		t.Errorf("Bounds %q", got)
	}
	if _, err := r.Parse("0"); err == nil || err.Error() != "out of range (0, 1]" {
		t.Errorf("Parse(0): %v", err)
	}
}

// The flags read their values by the package's grammar.
func TestFlags(t *testing.T) {
	for _, tc := range []struct {
		arg string
		ok  bool
	}{
		{"-x=0.5", true}, {"-x=0x1p-1", false}, {"-x=Inf", false},
		{"-n=12", true}, {"-n=0x10", false}, {"-n=1_000", false}, {"-n=1.5", false},
		{"-i=-3", true}, {"-i=9223372036854775807", true}, {"-i=1e30", false},
		{"-b", true}, {"-b=0", true}, {"-b=TRUE", true}, {"-b=t", false}, {"-b=yes", false},
	} {
		t.Run(tc.arg, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			x, n, i, b := 1.0, 2, int64(3), false
			FloatVar(fs, &x, "x", "")
			IntVar(fs, &n, "n", "")
			IntVar(fs, &i, "i", "")
			BoolVar(fs, &b, "b", "")
			if err := fs.Parse([]string{tc.arg}); (err == nil) != tc.ok {
				t.Errorf("error %v, want ok %v", err, tc.ok)
			}
		})
	}
}
