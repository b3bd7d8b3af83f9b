package sim

import (
	"strings"
	"testing"
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
	s, errs := ParseQuery("?model=vowel-mlp&optimizer=FLOPS&alpha=0.05&s=1&p=0&lr=0.01&sigma=0&crosstalk=0.004&seed=7&speed=50&layer=2&compare=0&booth=1&run=true")
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := Settings{Model: "vowel-mlp", Optimizer: "flops", Alpha: 0.05, S: 1, P: 0, LR: 0.01, Sigma: 0,
		Crosstalk: 0.004, Seed: 7, Speed: 50, Layer: 2, Compare: false, Booth: true, Run: true}
	if s != want {
		t.Errorf("got %+v\nwant %+v", s, want)
	}
}

// Every invalid parameter is reported by name and replaced by its default; valid ones next to
// it still apply.
func TestParseQueryInvalid(t *testing.T) {
	cases := []struct{ query, wantErr string }{
		{"alpha=0", "alpha=\"0\": out of range (0, 1]"},
		{"alpha=1.5", "alpha=\"1.5\": out of range"},
		{"alpha=abc", "alpha=\"abc\": not a number"},
		{"alpha=NaN", "not a number"},
		{"s=-0.1", "s=\"-0.1\": out of range"},
		{"p=2", "p=\"2\": out of range [0, 1]"},
		{"lr=0", "lr=\"0\": out of range"},
		{"sigma=Inf", "sigma=\"Inf\": not a number"},
		{"crosstalk=-1", "crosstalk=\"-1\": out of range"},
		{"seed=-3", "seed=\"-3\": out of range"},
		{"seed=1.5", "not an integer"},
		{"speed=0", "speed=\"0\": out of range"},
		{"compare=maybe", "compare=\"maybe\": not a boolean"},
		{"model=nope", "model=\"nope\": not a shipped model"},
		{"model=http://evil.example/m.json", "relative to the site"},
		{"model=../secret.json", "inside the site"},
		{"optimizer=", "optimizer=\"\": unknown optimizer (known: admm, flops"},
		{"optimizer=sgd", "optimizer=\"sgd\": unknown optimizer"},
		{"frobnicate=1", "unknown parameter \"frobnicate\""},
		{"alpha=0.2&alpha=0.3", "alpha given 2 times"},
		{"alpha=%zz", "page address"},
	}
	for _, c := range cases {
		s, errs := ParseQuery(c.query + "&layer=3")
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), c.wantErr) {
			t.Errorf("ParseQuery(%q): errors %v, want one containing %q", c.query, errs, c.wantErr)
			continue
		}
		if c.query == "alpha=0.2&alpha=0.3" {
			if s.Alpha != 0.2 {
				t.Errorf("repeated alpha: got %g, want the first 0.2", s.Alpha)
			}
			continue
		}
		if strings.Contains(c.query, "%zz") {
			continue // an unparsable query gives defaults throughout
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
	s.Model = "models/extra/my model.json"
	s.Alpha = 0.3
	s.Seed = 42
	s.Booth = true
	q := s.Query()
	if want := "model=models%2Fextra%2Fmy+model.json&alpha=0.3&seed=42&booth=1"; q != want {
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
		{"sigma", "0.01", Redeploy},
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
	if v, err := s.Get("p"); err != nil || v != "1" {
		t.Errorf("Get(p) = %q, %v", v, err)
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
