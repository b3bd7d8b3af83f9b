package sim

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/meshlight/meshlight/photonics"

	"github.com/meshlight/meshlight/train"
)

// Settings are the knobs of the simulator. They round-trip through the page's URL query
// (Query, ParseQuery), so a link reproduces a view.
type Settings struct {
	Model     string  // a catalog name (see Catalog) or a relative URL of a model file (*.json, *.json.gz)
	Layer     int     // index of the layer drawn
	Optimizer string  // an optimizer of the training engine (train.Methods)
	Alpha     float64 // fraction of U/V phases that are active, (0, 1]
	S         float64 // fraction of the active phases tried per iteration, (0, 1]
	P         float64 // probability of skipping a power-raising step back, [0, 1]
	LR        float64 // initial phase step, radians
	Sigma     float64 // phase-shifter drift (standard deviation of gamma)
	Crosstalk float64 // thermal crosstalk coefficient between neighbours
	Seed      int64   // fixes the noise draw, the active set and every random choice
	Speed     int     // most ONN queries per frame
	Compare   bool    // keep earlier runs as faint overlays
	Booth     bool    // booth mode: full screen, loops on its own
	Run       bool    // start training as soon as the chip is deployed
}

// Effect says what a change of one setting needs.
type Effect int

const (
	// ViewOnly changes only what is drawn or how fast.
	ViewOnly Effect = iota
	// Restart starts a new run on the same chip from its deployed phases.
	Restart
	// Redeploy deploys a new chip (new noise draw and active set) and starts a new run.
	Redeploy
	// Reload loads another model and its data, then redeploys.
	Reload
)

// param describes one URL parameter.
type param struct {
	name   string
	effect Effect
	get    func(*Settings) string
	set    func(*Settings, string) error
}

// DefaultSettings are the method's settings on the MNIST 8x8 MLP (15% of the phases active,
// SZO-SCD with s = 0.1 and full pruning, step 0.02) on a chip ten times noisier than the
// method's (drift and crosstalk 0.02 instead of 2e-3): with the method's noise the shipped
// networks lose under 2 points when deployed, too little to watch them recover; with this
// the MNIST MLP drops to about 30% and climbs back above 75% within 6,000 queries.
func DefaultSettings() Settings {
	return Settings{
		Model: "mnist8-mlp", Optimizer: "szo-scd",
		Alpha: 0.15, S: 0.1, P: 1, LR: photonics.Quantum(photonics.DefaultBits), Sigma: 0.02, Crosstalk: 0.02,
		Seed: 1, Speed: 400, Compare: true,
	}
}

// params lists the URL parameters in their canonical order.
var params = []param{
	{"model", Reload, func(s *Settings) string { return s.Model }, func(s *Settings, v string) error {
		if err := ValidModelRef(v); err != nil {
			return err
		}
		s.Model = v
		return nil
	}},
	{"optimizer", Restart, func(s *Settings) string { return s.Optimizer }, func(s *Settings, v string) error {
		v = strings.ToLower(strings.TrimSpace(v))
		if !slices.Contains(train.Methods(), v) {
			return fmt.Errorf("unknown optimizer (known: %s)", strings.Join(train.Methods(), ", "))
		}
		s.Optimizer = v
		return nil
	}},
	{"alpha", Redeploy, fmtFloat(func(s *Settings) *float64 { return &s.Alpha }), setFloat(func(s *Settings) *float64 { return &s.Alpha }, 0, 1, false, true)},
	{"s", Restart, fmtFloat(func(s *Settings) *float64 { return &s.S }), setFloat(func(s *Settings) *float64 { return &s.S }, 0, 1, false, true)},
	{"p", Restart, fmtFloat(func(s *Settings) *float64 { return &s.P }), setFloat(func(s *Settings) *float64 { return &s.P }, 0, 1, true, true)},
	{"lr", Restart, fmtFloat(func(s *Settings) *float64 { return &s.LR }), setFloat(func(s *Settings) *float64 { return &s.LR }, 0, math.Pi, false, true)},
	{"sigma", Redeploy, fmtFloat(func(s *Settings) *float64 { return &s.Sigma }), setFloat(func(s *Settings) *float64 { return &s.Sigma }, 0, 0.5, true, true)},
	{"crosstalk", Redeploy, fmtFloat(func(s *Settings) *float64 { return &s.Crosstalk }), setFloat(func(s *Settings) *float64 { return &s.Crosstalk }, 0, 0.5, true, true)},
	{"seed", Redeploy, func(s *Settings) string { return strconv.FormatInt(s.Seed, 10) }, func(s *Settings, v string) error {
		n, err := parseInt(v, 0, 1<<53)
		if err != nil {
			return err
		}
		s.Seed = n
		return nil
	}},
	{"speed", ViewOnly, func(s *Settings) string { return strconv.Itoa(s.Speed) }, func(s *Settings, v string) error {
		n, err := parseInt(v, 1, MaxSpeed)
		if err != nil {
			return err
		}
		s.Speed = int(n)
		return nil
	}},
	{"layer", ViewOnly, func(s *Settings) string { return strconv.Itoa(s.Layer) }, func(s *Settings, v string) error {
		n, err := parseInt(v, 0, 1000)
		if err != nil {
			return err
		}
		s.Layer = int(n) // checked against the model when it is shown
		return nil
	}},
	{"compare", ViewOnly, fmtBool(func(s *Settings) *bool { return &s.Compare }), setBool(func(s *Settings) *bool { return &s.Compare })},
	{"booth", ViewOnly, fmtBool(func(s *Settings) *bool { return &s.Booth }), setBool(func(s *Settings) *bool { return &s.Booth })},
	{"run", ViewOnly, fmtBool(func(s *Settings) *bool { return &s.Run }), setBool(func(s *Settings) *bool { return &s.Run })},
}

// MaxSpeed is the largest accepted speed (ONN queries per frame).
const MaxSpeed = 100000

// ParamNames lists the URL parameters in canonical order.
func ParamNames() []string {
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.name
	}
	return names
}

func lookup(name string) (param, bool) {
	for _, p := range params {
		if p.name == name {
			return p, true
		}
	}
	return param{}, false
}

// Get returns the value of the named setting as its URL form.
func (s *Settings) Get(name string) (string, error) {
	p, ok := lookup(name)
	if !ok {
		return "", fmt.Errorf("unknown setting %q", name)
	}
	return p.get(s), nil
}

// Set changes one setting from its URL form and says what the change needs. On error s is
// unchanged and the error names the setting and the value.
func (s *Settings) Set(name, value string) (Effect, error) {
	p, ok := lookup(name)
	if !ok {
		return ViewOnly, fmt.Errorf("unknown setting %q (known: %s)", name, strings.Join(ParamNames(), ", "))
	}
	before := p.get(s)
	t := *s
	if err := p.set(&t, strings.TrimSpace(value)); err != nil {
		return ViewOnly, fmt.Errorf("%s=%q: %w", name, value, err)
	}
	*s = t
	if p.get(s) == before {
		return ViewOnly, nil
	}
	return p.effect, nil
}

// ParseQuery reads settings from a URL query (with or without the leading "?"). Every
// parameter that is unknown, repeated or invalid yields an error naming it, and keeps its
// default: the returned settings are always usable.
func ParseQuery(query string) (Settings, []error) {
	s := DefaultSettings()
	q, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		return s, []error{fmt.Errorf("page address: %w", err)}
	}
	var errs []error
	for _, p := range params {
		vs, ok := q[p.name]
		if !ok {
			continue
		}
		delete(q, p.name)
		if len(vs) > 1 {
			errs = append(errs, fmt.Errorf("page address: %s given %d times, using the first", p.name, len(vs)))
		}
		if _, err := s.Set(p.name, vs[0]); err != nil {
			errs = append(errs, fmt.Errorf("page address: %w; using the default %s", err, p.get(&s)))
		}
	}
	for _, name := range sortedKeys(q) {
		errs = append(errs, fmt.Errorf("page address: unknown parameter %q ignored", name))
	}
	return s, errs
}

// Query is the canonical URL query of s: only the settings that differ from the defaults, in
// a fixed order, without the leading "?".
func (s Settings) Query() string {
	d := DefaultSettings()
	var b strings.Builder
	for _, p := range params {
		v := p.get(&s)
		if v == p.get(&d) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	return b.String()
}

// ValidModelRef checks a model reference: a catalog name, or a relative URL path to a
// .json or .json.gz file on the same site (no scheme, host, "..", query or fragment).
func ValidModelRef(v string) error {
	if _, ok := CatalogEntry(v); ok {
		return nil
	}
	if v == "" {
		return errors.New("empty")
	}
	if !strings.HasSuffix(v, ".json") && !strings.HasSuffix(v, ".json.gz") {
		return fmt.Errorf("not a shipped model (%s) nor a path to a .json model file", strings.Join(CatalogNames(), ", "))
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "" || u.Host != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasPrefix(v, "/") {
		return errors.New("a model path must be relative to the site (e.g. models/my-model.json)")
	}
	for _, part := range strings.Split(u.Path, "/") {
		if part == ".." {
			return errors.New("a model path must stay inside the site (no ..)")
		}
	}
	return nil
}

func fmtFloat(field func(*Settings) *float64) func(*Settings) string {
	return func(s *Settings) string { return strconv.FormatFloat(*field(s), 'g', -1, 64) }
}

// setFloat parses a finite number between lo and hi; loClosed and hiClosed say whether the
// bounds themselves are allowed.
func setFloat(field func(*Settings) *float64, lo, hi float64, loClosed, hiClosed bool) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return errors.New("not a number")
		}
		if x < lo || x > hi || (x == lo && !loClosed) || (x == hi && !hiClosed) {
			return fmt.Errorf("out of range %s", interval(lo, hi, loClosed, hiClosed))
		}
		*field(s) = x
		return nil
	}
}

func interval(lo, hi float64, loClosed, hiClosed bool) string {
	l, r := "(", ")"
	if loClosed {
		l = "["
	}
	if hiClosed {
		r = "]"
	}
	return fmt.Sprintf("%s%g, %g%s", l, lo, hi, r)
}

func parseInt(v string, lo, hi int64) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		// Numbers from JavaScript may arrive as "12" or "12.0".
		f, ferr := strconv.ParseFloat(v, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, errors.New("not an integer")
		}
		n = int64(f)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("out of range [%d, %d]", lo, hi)
	}
	return n, nil
}

func fmtBool(field func(*Settings) *bool) func(*Settings) string {
	return func(s *Settings) string {
		if *field(s) {
			return "1"
		}
		return "0"
	}
}

func setBool(field func(*Settings) *bool) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		switch strings.ToLower(v) {
		case "1", "true", "on", "yes":
			*field(s) = true
		case "0", "false", "off", "no":
			*field(s) = false
		default:
			return errors.New("not a boolean (use 1 or 0)")
		}
		return nil
	}
}
