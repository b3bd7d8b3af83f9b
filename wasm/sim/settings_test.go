package sim

import (
	"math"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train"
)

func TestParseQueryDefaults(t *testing.T) {
	for _, q := range []string{"", "?"} {
		s, errs := ParseQuery(q)
		if len(errs) != 0 {
			t.Errorf("ParseQuery(%q) errors: %v", q, errs)
		}
		if s != DefaultSettings() {
			t.Errorf("ParseQuery(%q) = %+v, want defaults", q, s)
		}
	}
}

func TestParseQueryValues(t *testing.T) {
	s, errs := ParseQuery("?model=vowel-mlp&optimizer=FLOPS&alpha=0.05&s=1&p=0&lr=0.01&gamma-std=0&vpi=5&crosstalk=0.004&bits=0&heat-all=1&seed=7&speed=50&layer=2&compare=0&booth=1&run=true")
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := Settings{Model: "vowel-mlp", Optimizer: "flops", Alpha: 0.05, S: 1, P: 0, Step: 0.01,
		Hardware: photonics.Hardware{Preset: "paper", Noise: photonics.Noise{GammaStd: 0, VPi: 5, Crosstalk: 0.004, HeatAll: true}, Bits: 0}, Seed: 7, Speed: 50, Layer: 2, Compare: false, Booth: true, View: "network", Run: true}
	if s != want {
		t.Errorf("got %+v\nwant %+v", s, want)
	}
}

// Every invalid parameter is reported by name and replaced by its default; valid ones next to
// it still apply.
func TestParseQueryInvalid(t *testing.T) {
	cases := []struct{ query, wantErr string }{
		{"alpha=0", "alpha=\"0\": out of range [1e-06, 1]"},
		{"alpha=1.5", "alpha=\"1.5\": out of range"},
		{"alpha=abc", "alpha=\"abc\": not a decimal number"},
		{"alpha=NaN", "not a decimal number"},
		{"s=-0.1", "s=\"-0.1\": out of range"},
		{"p=2", "p=\"2\": out of range [0, 1]"},
		{"lr=0", "lr=\"0\": out of range"},
		{"gamma-std=Inf", "gamma-std=\"Inf\": not a decimal number"},
		{"crosstalk=-1", "crosstalk=\"-1\": out of range"},
		{"seed=-3", "seed=\"-3\": out of range"},
		{"seed=1.5", "not an integer"},
		{"speed=0", "speed=\"0\": out of range"},
		{"compare=maybe", "compare=\"maybe\": not a boolean"},
		{"model=nope", "model=\"nope\": not a shipped model"},
		{"model=http://evil.example/m.json", "relative to the site"},
		{"model=../secret.json", "stay inside it"},
		{"optimizer=", "optimizer=\"\": unknown optimizer (known: admm, flops"},
		{"optimizer=sgd", "optimizer=\"sgd\": unknown optimizer"},
		{"frobnicate=1", "unknown parameter \"frobnicate\""},
		{"alpha=0.2&alpha=0.3", "alpha given 2 times"},
		{"bits=17", "bits=\"17\": out of range [0, 16]"},
		{"bits=-1", "bits=\"-1\": out of range [0, 16]"},
		{"bits=4.5", "bits=\"4.5\": not an integer"},
		{"vpi=-1", "vpi=\"-1\": out of range [0.1, 100]"},
		{"vpi=0", "vpi=\"0\": out of range [0.1, 100]"},
		{"vpi=100", "vpi=\"100\": gamma-std = 0.002, want a relative drift"},
		{"gamma-std=-0.002", "gamma-std=\"-0.002\": out of range [0, 1)"},
		{"crosstalk=0.6", "crosstalk=\"0.6\": out of range [0, 0.5]"},
		{"heat-all=2", "heat-all=\"2\": not a boolean"},
		// One rule per parameter with the CLI (train.Params, issue 19 item 7).
		{"vpi=1e-300", "vpi=\"1e-300\": out of range [0.1, 100]"},
		{"alpha=1e-320", "alpha=\"1e-320\": too small"},
		{"s=1e-320", "s=\"1e-320\": too small"},
		{"s=1e-9", "s=\"1e-9\": out of range [1e-06, 1]"},
		{"p=0x1p-3", "p=\"0x1p-3\": not a decimal number"},
		{"alpha=0x1p-3", "alpha=\"0x1p-3\": not a decimal number"},
		{"compare=yes", "compare=\"yes\": not a boolean"},
		{"run=on", "run=\"on\": not a boolean"},
		{"speed=0x10", "speed=\"0x10\": not an integer"},
		{"chip=lab", "chip=\"lab\": unknown chip preset (known: paper, ideal, strong); keeping chip=paper"},
		{"lr=0.01", "lr=\"0.01\": lr = 0.01, want at least one control code, 0.02454 rad at 8 bits (or bits 0)"},
		{"bits=6&lr=0.05", "lr=\"0.05\": lr = 0.05, want at least one control code, 0.09817 rad at 6 bits"},
		{"sigma=0.02", "sigma=\"0.02\" ignored: the relative drift sigma was replaced by gamma-std"},
		{"alpha=%zz", "page address: alpha=\"%zz\" ignored: a bad %-escape"},
	}
	for _, c := range cases {
		s, errs := ParseQuery(c.query + "&layer=3")
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), c.wantErr) {
			t.Errorf("ParseQuery(%q): errors %v, want one containing %q", c.query, errs, c.wantErr)
			continue
		}
		if c.query == "bits=6&lr=0.05" {
			if s.Bits != 6 || s.Step != photonics.Quantum(6) {
				t.Errorf("bits=6 with a refused lr: bits %d lr %g, want 6 and one 6-bit code", s.Bits, s.Step)
			}
			continue
		}
		if c.query == "alpha=0.2&alpha=0.3" {
			if s.Alpha != 0.2 {
				t.Errorf("repeated alpha: got %g, want the first 0.2", s.Alpha)
			}
			continue
		}
		d := DefaultSettings()
		d.Layer = 3 // a valid parameter next to a bad one still applies
		if s != d {
			t.Errorf("ParseQuery(%q) = %+v, want defaults with layer 3", c.query, s)
		}
	}
}

func TestQueryRoundTrip(t *testing.T) {
	if q := DefaultSettings().Query(); q != "" {
		t.Errorf("defaults give query %q, want empty", q)
	}
	s := DefaultSettings()
	s.Model = "models/extra/my-model.json"
	s.Alpha = 0.3
	s.Seed = 42
	s.Booth, s.View = true, "network"
	q := s.Query()
	if want := "model=models%2Fextra%2Fmy-model.json&alpha=0.3&seed=42&booth=1"; q != want {
		t.Errorf("Query() = %q, want %q", q, want)
	}
	back, errs := ParseQuery(q)
	if len(errs) != 0 || back != s {
		t.Errorf("round trip: %+v %v, want %+v", back, errs, s)
	}
}

func TestSetEffects(t *testing.T) {
	cases := []struct {
		name, value string
		want        Effect
	}{
		{"model", "vowel-mlp", Reload},
		{"model", "mnist8-mlp", ViewOnly}, // unchanged
		{"alpha", "0.5", Redeploy},
		{"gamma-std", "0.001", Redeploy},
		{"crosstalk", "0", Redeploy},
		{"seed", "3", Redeploy},
		{"optimizer", "stp", Restart},
		{"s", "0.5", Restart},
		{"p", "0.5", Restart},
		{"lr", "0.05", Restart},
		{"speed", "10", ViewOnly},
		{"layer", "1", ViewOnly},
		{"compare", "0", ViewOnly},
		{"alpha", " 0.15 ", ViewOnly}, // same value as the default
		{"seed", "1.0", ViewOnly},     // JavaScript's number formatting, same value
	}
	for _, c := range cases {
		s := DefaultSettings()
		got, err := s.Set(c.name, c.value)
		if err != nil || got != c.want {
			t.Errorf("Set(%s, %q) = %v, %v; want %v", c.name, c.value, got, err, c.want)
		}
	}
	s := DefaultSettings()
	if _, err := s.Set("alpha", "7"); err == nil || s != DefaultSettings() {
		t.Errorf("a bad value must leave the settings unchanged: %v %+v", err, s)
	}
	if _, err := s.Set("nope", "1"); err == nil || !strings.Contains(err.Error(), "unknown setting \"nope\"") {
		t.Errorf("unknown setting: %v", err)
	}
}

func TestCatalog(t *testing.T) {
	if Catalog()[0].Name != DefaultSettings().Model {
		t.Errorf("the default model %q is not first in the catalog", DefaultSettings().Model)
	}
	for _, m := range Catalog() {
		if err := ValidModelRef(m.Name); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
		if err := ValidModelRef(m.Path); err != nil {
			t.Errorf("%s: path %s: %v", m.Name, m.Path, err)
		}
		if ModelPath(m.Name) != m.Path {
			t.Errorf("ModelPath(%s) = %s", m.Name, ModelPath(m.Name))
		}
	}
	if ModelPath("models/x.json.gz") != "models/x.json.gz" {
		t.Error("a path must map to itself")
	}
}

// The default is the method's chip ("paper"), and each preset sets the five chip fields.
func TestChipPresets(t *testing.T) {
	d := DefaultSettings()
	if d.Preset != "paper" || d.GammaStd != 2e-3 || d.VPi != 4.36 || d.Crosstalk != 2e-3 || d.Bits != 8 || d.HeatAll || d.ChipEdited() {
		t.Errorf("default chip %+v, want the method's", d)
	}
	if d.Step != train.DefaultStep("szo-scd", 8) || d.Step != photonics.Quantum(8) {
		t.Errorf("default step %g, want one 8-bit code %g", d.Step, photonics.Quantum(8))
	}
	if err := d.Config().Validate(); err != nil {
		t.Errorf("the default settings do not validate: %v", err)
	}
	if names := photonics.PresetNames(); len(names) < 3 || names[0] != "paper" {
		t.Errorf("presets %v, want paper first and at least three", names)
	}
	cases := []struct {
		name, query string
		gammaStd    float64
		crosstalk   float64
		bits        int
		effect      Effect
	}{
		{"paper", "", 2e-3, 2e-3, 8, ViewOnly},
		{"ideal", "chip=ideal", 0, 0, 0, Redeploy},
		{"strong", "chip=strong", 3e-3, 3e-3, 8, Redeploy},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := DefaultSettings()
			e, err := s.Set("chip", c.name)
			if err != nil || e != c.effect {
				t.Fatalf("Set(chip, %s) = %v, %v; want %v", c.name, e, err, c.effect)
			}
			if s.Preset != c.name || s.GammaStd != c.gammaStd || s.Crosstalk != c.crosstalk || s.Bits != c.bits || s.VPi != photonics.DefaultVPi || s.HeatAll || s.ChipEdited() {
				t.Errorf("chip %+v", s)
			}
			if s.Step != train.DefaultStep(s.Optimizer, s.Bits) {
				t.Errorf("step %g, want the default %g", s.Step, train.DefaultStep(s.Optimizer, s.Bits))
			}
			if q := s.Query(); q != c.query {
				t.Errorf("Query() = %q, want %q", q, c.query)
			}
			back, errs := ParseQuery(s.Query())
			if len(errs) != 0 || back != s {
				t.Errorf("round trip: %+v %v, want %+v", back, errs, s)
			}
		})
	}
}

// A chip field edited after a preset is kept: the URL carries the preset and the field,
// and choosing the preset again (even the same one) puts its values back.
func TestChipEditsKept(t *testing.T) {
	cases := []struct {
		name  string
		sets  [][2]string
		query string
		edit  bool
	}{
		{"bits on strong", [][2]string{{"chip", "strong"}, {"bits", "6"}}, "chip=strong&bits=6", true},
		{"gamma on paper", [][2]string{{"gamma-std", "0.001"}}, "gamma-std=0.001", true},
		{"vpi and heat-all", [][2]string{{"vpi", "5"}, {"heat-all", "1"}}, "vpi=5&heat-all=1", true},
		{"crosstalk on ideal", [][2]string{{"chip", "ideal"}, {"crosstalk", "0.001"}}, "chip=ideal&crosstalk=0.001", true},
		{"preset again", [][2]string{{"chip", "strong"}, {"bits", "6"}, {"chip", "strong"}}, "chip=strong", false},
		{"edit back to the preset", [][2]string{{"chip", "ideal"}, {"bits", "4"}, {"bits", "0"}}, "chip=ideal", false},
		{"another preset", [][2]string{{"gamma-std", "0.001"}, {"chip", "ideal"}}, "chip=ideal", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := DefaultSettings()
			for _, kv := range c.sets {
				if _, err := s.Set(kv[0], kv[1]); err != nil {
					t.Fatal(err)
				}
			}
			if q := s.Query(); q != c.query {
				t.Errorf("Query() = %q, want %q", q, c.query)
			}
			if s.ChipEdited() != c.edit {
				t.Errorf("ChipEdited() = %v, want %v", s.ChipEdited(), c.edit)
			}
			back, errs := ParseQuery(s.Query())
			if len(errs) != 0 || back != s {
				t.Errorf("round trip: %+v %v, want %+v", back, errs, s)
			}
		})
	}
}

// The step follows the optimizer's default on the chip until it is set to another value;
// a step below one control code is refused with train's message.
func TestStepFollowsChip(t *testing.T) {
	code := photonics.Quantum
	cases := []struct {
		name     string
		sets     [][2]string
		wantStep float64
		query    string
		wantErr  string // of the last Set
	}{
		{"default", nil, code(8), "", ""},
		{"flops takes two codes", [][2]string{{"optimizer", "flops"}}, 2 * code(8), "optimizer=flops", ""},
		{"10 bits", [][2]string{{"bits", "10"}}, code(10), "bits=10", ""},
		{"6 bits", [][2]string{{"bits", "6"}}, code(6), "bits=6", ""},
		{"continuous", [][2]string{{"chip", "ideal"}}, code(8), "chip=ideal", ""},
		{"explicit step kept", [][2]string{{"lr", "0.1"}, {"optimizer", "stp"}, {"bits", "10"}}, 0.1, "optimizer=stp&bits=10&lr=0.1", ""},
		{"the default step set explicitly still follows", [][2]string{{"lr", "0.02454369260617026"}, {"bits", "10"}}, code(10), "bits=10", ""},
		{"below a code on a continuous chip", [][2]string{{"bits", "0"}, {"lr", "0.001"}}, 0.001, "bits=0&lr=0.001", ""},
		{"below a code", [][2]string{{"lr", "0.01"}}, code(8), "", `lr="0.01": lr = 0.01, want at least one control code, 0.02454 rad at 8 bits (or bits 0)`},
		{"fewer bits under an explicit step", [][2]string{{"lr", "0.03"}, {"bits", "6"}}, 0.03, "lr=0.03", `bits="6": lr = 0.03, want at least one control code, 0.09817 rad at 6 bits`},
		{"a preset under a fine step", [][2]string{{"bits", "0"}, {"lr", "0.001"}, {"chip", "paper"}}, 0.001, "bits=0&lr=0.001", `chip="paper": lr = 0.001, want at least one control code`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := DefaultSettings()
			var err error
			for i, kv := range c.sets {
				before := s
				_, err = s.Set(kv[0], kv[1])
				if err != nil && i < len(c.sets)-1 {
					t.Fatal(err)
				}
				if err != nil && s != before {
					t.Errorf("a refused value changed the settings: %+v, was %+v", s, before)
				}
			}
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Errorf("error %v, want %q", err, c.wantErr)
			}
			if s.Step != c.wantStep {
				t.Errorf("step %g, want %g", s.Step, c.wantStep)
			}
			if q := s.Query(); q != c.query {
				t.Errorf("Query() = %q, want %q", q, c.query)
			}
		})
	}
}

// Bad values of the chip and the step are refused with a message naming the setting, and
// leave the settings as they were.
func TestSetRefusesBadChip(t *testing.T) {
	cases := []struct{ name, param, value, wantErr string }{
		{"bits above 16", "bits", "17", `bits="17": out of range [0, 16]`},
		{"negative bits", "bits", "-2", `bits="-2": out of range [0, 16]`},
		{"negative vpi", "vpi", "-4.36", `vpi="-4.36": out of range [0.1, 100]`},
		{"zero vpi", "vpi", "0", `vpi="0": out of range`},
		{"vpi making the drift huge", "vpi", "50", `want a relative drift gamma std * V_pi^2 / pi below 0.5`},
		{"negative gamma-std", "gamma-std", "-0.002", `gamma-std="-0.002": out of range [0, 1)`},
		{"gamma-std not a decimal number", "gamma-std", "2e-3x", `gamma-std="2e-3x": not a decimal number`},
		{"drift of 50%", "gamma-std", "0.09", `gamma-std="0.09": gamma-std = 0.09, want a relative drift`},
		{"unknown preset", "chip", "lab", `chip="lab": unknown chip preset (known: paper, ideal, strong)`},
		{"custom is no preset", "chip", "custom", `unknown chip preset`},
		{"step below a code", "lr", "0.02", `lr="0.02": lr = 0.02, want at least one control code, 0.02454 rad at 8 bits (or bits 0)`},
		{"the retired sigma", "sigma", "0.02", `sigma="0.02": the relative drift sigma was replaced by gamma-std, the absolute standard deviation of gamma = π/V_π² in rad/V² (the method's chip: gamma-std=0.002, a 1.21% drift at V_π 4.36 V); sigma=0.02 is gamma-std=0.00331`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := DefaultSettings()
			e, err := s.Set(c.param, c.value)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("Set(%s, %q) error %v, want %q", c.param, c.value, err, c.wantErr)
			}
			if e != ViewOnly || s != DefaultSettings() {
				t.Errorf("a refused value must leave the settings: effect %v, %+v", e, s)
			}
		})
	}
}

func TestSci(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{{2e-3, "2e-3"}, {0, "0"}, {3e-3, "3e-3"}, {1.5e-4, "1.5e-4"}, {0.0033066, "3.307e-3"}, {0.02, "0.02"}, {0.5, "0.5"}, {4.36, "4.36"}} {
		if got := Sci(c.x); got != c.want {
			t.Errorf("Sci(%g) = %q, want %q", c.x, got, c.want)
		}
	}
}

func TestChipReadouts(t *testing.T) {
	cases := []struct {
		name, query               string
		drift, crosstalk, control string
	}{
		{"paper", "", "γ σ 2e-3 (1.21%)", "2e-3", "8-bit"},
		{"ideal", "chip=ideal", "none (γ σ 0)", "none (0)", "continuous"},
		{"strong", "chip=strong", "γ σ 3e-3 (1.82%)", "3e-3", "8-bit"},
		{"edited", "vpi=5&heat-all=1&bits=12", "γ σ 2e-3 (1.59%) at V_π 5 V", "2e-3, all devices heat", "12-bit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, errs := ParseQuery(c.query)
			if len(errs) != 0 {
				t.Fatal(errs)
			}
			d, x, b := ChipReadouts(s)
			if d != c.drift || x != c.crosstalk || b != c.control {
				t.Errorf("ChipReadouts = %q, %q, %q; want %q, %q, %q", d, x, b, c.drift, c.crosstalk, c.control)
			}
		})
	}
}

func TestValues(t *testing.T) {
	s, errs := ParseQuery("chip=strong&bits=6&heat-all=1&booth=1")
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	v := s.Values()
	if len(v) != len(ParamNames()) {
		t.Errorf("%d values for %d parameters", len(v), len(ParamNames()))
	}
	want := map[string]any{"chip": "strong", "gamma-std": "0.003", "vpi": "4.36", "crosstalk": "0.003", "bits": "6",
		"heat-all": true, "lr": "0.09817477042468103", "compare": true, "booth": true, "run": false, "alpha": "0.15"}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("%s: %#v, want %#v", k, v[k], w)
		}
	}
}

// A model address is refused unless the browser, reading it as a URL relative to the page,
// stays in the site's folder: a backslash is a slash to the browser, and %2e a dot.
func TestValidModelRef(t *testing.T) {
	cases := []struct {
		name, ref string
		ok        bool
	}{
		{"catalog name", "vowel-mlp", true},
		{"shipped path", "models/vowel-mlp.json", true},
		{"gzipped", "models/extra/my-model.json.gz", true},
		{"file in the site's folder", "m1.json", true},
		{"empty", "", false},
		{"not json", "models/vowel-mlp.txt", false},
		{"scheme", "http://example.invalid/x.json", false},
		{"protocol-relative", "//example.invalid/x.json", false},
		{"absolute path", "/models/vowel-mlp.json", false},
		{"dot dot", "../models/vowel-mlp.json", false},
		{"dot segment", "./models/vowel-mlp.json", false},
		{"backslash host", `\\example.invalid\x.json`, false},
		{"backslash slash host", `\/example.invalid/x.json`, false},
		{"backslash dot dot", `..\models\vowel-mlp.json`, false},
		{"inner backslash", `models\..\..\x.json`, false},
		{"escaped dots", "%2e%2e/models/vowel-mlp.json", false},
		{"escaped slash", "models%2f..%2fx.json", false},
		{"query", "models/x.json?a=1.json", false},
		{"fragment", "models/x#.json", false},
		{"tab in host", "/\t/example.invalid/x.json", false},
		{"space", "models/my model.json", false},
		{"colon", "javascript:x.json", false},
		{"hidden file", "models/.x.json", false},
		{"empty segment", "models//x.json", false},
		{"too long", strings.Repeat("a/", 200) + "x.json", false},
	}
	for _, c := range cases {
		err := ValidModelRef(c.ref)
		if (err == nil) != c.ok {
			t.Errorf("%s: ValidModelRef(%q) = %v, want ok %v", c.name, c.ref, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "site") && c.ref != "" && strings.Contains(c.ref, ".json") && len(c.ref) <= MaxModelRef {
			t.Errorf("%s: error %q does not say the path must stay in the site", c.name, err)
		}
	}
}

// One bad %-escape drops only its own parameter, named in the message; the others apply.
func TestParseQueryBadEscapeKeepsTheRest(t *testing.T) {
	cases := []struct {
		name, query string
		wantErr     string
		want        func(*Settings)
	}{
		{"bad value", "alpha=0.3&seed=%zz&bits=6", `seed="%zz" ignored: a bad %-escape`, func(s *Settings) { s.Alpha, s.Bits, s.Step = 0.3, 6, photonics.Quantum(6) }},
		{"bad name", "alpha=0.3&se%g1d=5&seed=4", `parameter "se%g1d" ignored: a bad %-escape in its name`, func(s *Settings) { s.Alpha, s.Seed = 0.3, 4 }},
		{"lone percent", "seed=9&crosstalk=%", `crosstalk="%" ignored`, func(s *Settings) { s.Seed = 9 }},
		{"good escape beside", "model=models%2Fvowel-mlp.json&lr=%", `lr="%" ignored`, func(s *Settings) { s.Model = "models/vowel-mlp.json" }},
	}
	for _, c := range cases {
		s, errs := ParseQuery(c.query)
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), c.wantErr) {
			t.Errorf("%s: ParseQuery(%q) errors %v, want one containing %q", c.name, c.query, errs, c.wantErr)
		}
		want := DefaultSettings()
		c.want(&want)
		if s != want {
			t.Errorf("%s: ParseQuery(%q) = %+v, want %+v", c.name, c.query, s, want)
		}
	}
}

// A huge value is cut in the message, which says so; the setting keeps its value.
func TestLongValuesAreCut(t *testing.T) {
	digits := strings.Repeat("9", 5000)
	cases := []struct{ name, query, want string }{
		{"seed", "seed=" + digits, `seed="9999`},
		{"alpha", "alpha=1" + digits, `alpha="1999`},
		{"model", "model=" + digits + ".json", `model="9999`},
		{"unknown name", digits + "=1", `unknown parameter "9999`},
		{"retired", "sigma=" + digits, `sigma="9999`},
		{"bad escape", "lr=%zz" + digits, `lr="%zz9`},
	}
	for _, c := range cases {
		s, errs := ParseQuery(c.query)
		if len(errs) != 1 {
			t.Errorf("%s: errors %v, want one", c.name, errs)
			continue
		}
		msg := errs[0].Error()
		if len(msg) > 700 || !strings.Contains(msg, c.want) || !strings.Contains(msg, "(cut: 50") {
			t.Errorf("%s: message of %d bytes %.300q..., want it cut, saying so", c.name, len(msg), msg)
		}
		if s != DefaultSettings() {
			t.Errorf("%s: settings %+v, want the defaults", c.name, s)
		}
	}
	var s Settings = DefaultSettings()
	if _, err := s.Set("seed", digits); err == nil || len(err.Error()) > 200 || !strings.Contains(err.Error(), "cut: 5000 bytes") {
		t.Errorf("Set: %v", err)
	}
}

// -0 reads as 0: the setting and the address carry no sign.
func TestNegativeZeroIsZero(t *testing.T) {
	cases := []struct {
		name  string
		field func(*Settings) float64
	}{
		{"crosstalk", func(s *Settings) float64 { return s.Crosstalk }},
		{"gamma-std", func(s *Settings) float64 { return s.GammaStd }},
		{"p", func(s *Settings) float64 { return s.P }},
	}
	for _, c := range cases {
		s, errs := ParseQuery(c.name + "=-0")
		if len(errs) != 0 {
			t.Errorf("%s=-0: errors %v", c.name, errs)
		}
		if x := c.field(&s); x != 0 || math.Signbit(x) {
			t.Errorf("%s=-0: got %g (sign bit %v), want 0", c.name, x, math.Signbit(x))
		}
		if q := s.Query(); strings.Contains(q, "-0") {
			t.Errorf("%s=-0: query %q", c.name, q)
		}
		if p, _ := lookup(c.name); p.get(&s) != "0" {
			t.Errorf("%s=-0: URL form %q, want 0", c.name, p.get(&s))
		}
	}
}

// Redeploy never takes the seed past MaxSeed (2^53): it wraps to 0, so the address reloads.
func TestNextSeed(t *testing.T) {
	cases := []struct {
		name       string
		seed, want int64
	}{
		{"default", 1, 2},
		{"zero", 0, 1},
		{"below the top", MaxSeed - 1, MaxSeed},
		{"the top", MaxSeed, 0},
		{"beyond", MaxSeed + 5, 0},
		{"negative", -1, 0},
	}
	for _, c := range cases {
		if got := NextSeed(c.seed); got != c.want {
			t.Errorf("%s: NextSeed(%d) = %d, want %d", c.name, c.seed, got, c.want)
		}
	}
}

func TestViewFollowsBoothUntilSet(t *testing.T) {
	for _, c := range []struct{ query, view, canonical string }{
		{"", "layer", ""},
		{"?view=network", "network", "view=network"},
		{"?view=%20Network%20", "network", "view=network"},
		{"?booth=1", "network", "booth=1"},
		{"?booth=1&view=layer", "layer", "booth=1&view=layer"},
		{"?view=layer&booth=1", "layer", "booth=1&view=layer"},
	} {
		s, errs := ParseQuery(c.query)
		if len(errs) != 0 || s.View != c.view || s.Query() != c.canonical {
			t.Errorf("ParseQuery(%q): view %q, query %q, errors %v; want view %q, query %q", c.query, s.View, s.Query(), errs, c.view, c.canonical)
		}
	}
	s := DefaultSettings()
	for _, step := range []struct{ name, value, view string }{
		{"booth", "1", "network"}, {"booth", "0", "layer"}, // followed
		{"view", "network", "network"}, {"booth", "1", "network"}, // set: kept
		{"view", "layer", "layer"}, {"booth", "0", "layer"}, // set against booth: kept
		// as the step does, a view equal to the mode's default follows the mode again
		{"view", "network", "network"}, {"booth", "1", "network"}, {"booth", "0", "layer"},
	} {
		if _, err := s.Set(step.name, step.value); err != nil || s.View != step.view {
			t.Fatalf("Set(%s=%s): view %q, error %v; want %q", step.name, step.value, s.View, err, step.view)
		}
	}
}

func TestViewRefusesUnknown(t *testing.T) {
	s, errs := ParseQuery("?view=chip&seed=3")
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `view="chip": unknown view (known: layer, network)`) {
		t.Errorf("errors %v", errs)
	}
	if s.View != "layer" || s.Seed != 3 {
		t.Errorf("view %q seed %d, want the default view and seed 3", s.View, s.Seed)
	}
	before := s
	if _, err := s.Set("view", "3d"); err == nil || s != before {
		t.Errorf("Set(view=3d): error %v, settings %+v", err, s)
	}
}
