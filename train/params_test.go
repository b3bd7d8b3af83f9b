package train

import (
	"errors"
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"
)

// Each shared setting takes its value by one rule: the grammar of package param and a
// range where the physics has one; Validate holds a configuration set directly to the
// same range, naming the same setting.
func TestParams(t *testing.T) {
	cases := []struct {
		name, value string
		want        string          // "" when accepted
		direct      func(c *Config) // the same value set directly, for Validate; nil: none
	}{
		{"vpi", "4.36", "", nil},
		{"vpi", "1e-300", "out of range [0.1, 100]", func(c *Config) { c.VPi = 1e-300 }},
		{"vpi", "1000", "out of range [0.1, 100]", func(c *Config) { c.VPi = 1000 }},
		{"alpha", "1e-320", "too small", nil},
		{"alpha", "1e-300", "out of range [1e-06, 1]", func(c *Config) { c.Alpha = 1e-300 }},
		{"alpha", "0x1p-3", "not a decimal number", nil},
		{"alpha", "1", "", nil},
		{"s", "1e-320", "too small", nil},
		{"s", "1e-9", "out of range [1e-06, 1]", func(c *Config) { c.S = 1e-9 }},
		{"p", "0x1p-3", "not a decimal number", nil},
		{"p", "0", "", nil},
		{"p", "inf", "not a decimal number", nil},
		{"gamma-std", "1e308", "out of range [0, 1)", func(c *Config) { c.GammaStd = 1e308 }},
		{"crosstalk", "0.6", "out of range [0, 0.5]", func(c *Config) { c.Crosstalk = 0.6 }},
		{"bits", "6", "", nil},
		{"bits", "6.5", "not an integer", nil},
		{"bits", "17", "out of range [0, 16]", func(c *Config) { c.Bits = 17 }},
		{"seed", "-1", "out of range [0, 9007199254740992]", func(c *Config) { c.Seed = -1 }},
		{"seed", "9007199254740992", "", nil},
		{"heat-all", "true", "", nil},
		{"heat-all", "0", "", nil},
		{"heat-all", "2", "not a boolean", nil},
		{"heat-all", "yes", "not a boolean", nil},
		{"lr", "0", "out of range (0, 3.141592653589793]", nil},
		{"lr", "4", "out of range (0, 3.141592653589793]", func(c *Config) { c.Step = 4 }},
		{"chip", "Strong", "", nil},
		{"chip", "lab", "unknown chip preset (known: paper, ideal, strong)", nil},
		{"optimizer", "ZADAM", "", nil},
		{"optimizer", "adam", "unknown optimizer", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			p, ok := LookupParam(tc.name)
			if !ok {
				t.Fatalf("no parameter %s", tc.name)
			}
			c := DefaultConfig()
			before := c
			err := p.Set(&c, tc.value)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if got := p.Get(&c); strings.ToLower(got) != strings.ToLower(tc.value) && tc.name != "heat-all" {
					t.Errorf("reads back as %q", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if !reflect.DeepEqual(c, before) {
				t.Errorf("a refused value changed the configuration")
			}
			if tc.direct != nil {
				tc.direct(&c)
				var fe *FieldError
				if err := c.Validate(); !errors.As(err, &fe) || fe.Field != tc.name {
					t.Errorf("set directly, Validate says %v; want a FieldError of %s", err, tc.name)
				}
			}
		})
	}
}

// The flags apply in the table's order, a preset before the chip fields, whatever the
// command line's; a bad value is named as the flag.
func TestParamFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want func(c Config) bool
		err  string
	}{
		{"preset first", []string{"-bits", "6", "-chip", "strong"}, func(c Config) bool { return c.Preset == "strong" && c.Bits == 6 && c.GammaStd == 3e-3 }, ""},
		{"bool alone", []string{"-heat-all"}, func(c Config) bool { return c.HeatAll }, ""},
		{"bool false", []string{"-heat-all=0"}, func(c Config) bool { return !c.HeatAll }, ""},
		{"none given", nil, func(c Config) bool { return reflect.DeepEqual(c, DefaultConfig()) }, ""},
		{"bad seed", []string{"-seed", "-1"}, nil, "-seed -1: out of range"},
		{"hex alpha", []string{"-alpha", "0x1p-3"}, nil, "-alpha 0x1p-3: not a decimal number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			apply := ParamFlags(fs, &c)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			err := apply()
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || !tc.want(c) {
				t.Errorf("%v: config %+v, error %v", tc.args, c, err)
			}
		})
	}
}
