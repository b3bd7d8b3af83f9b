package sim

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/param"
)

// Settings are the knobs of the simulator. They round-trip through the page's URL query
// (Query, ParseQuery), so a link reproduces a view.
//
// The chip is a photonics.Hardware: Preset names the preset (photonics.Presets: "paper",
// the method's chip and the default; "ideal"; "strong") whose values the chip's fields
// (GammaStd, VPi, Crosstalk, Bits, HeatAll) start from. Choosing a preset (setting "chip",
// even to the one already chosen) sets every field to its values; setting a field
// afterwards changes that field only and keeps the preset's name, and the chip then reads
// "paper, edited" (ChipEdited).
// The URL carries the preset when it is not the default and, after it, every chip field
// that differs from the preset's value: "chip=strong&bits=6" is the strong chip with 6-bit
// control. The parameter sigma of older links (a relative drift) is refused with a message
// that names gamma-std, which replaced it.
//
// The settings of a run (the optimizer, the chip, alpha, s, p, the step as lr, the seed)
// are train.Params: the command-line tools' flags of the same names, by the same rules.
//
// The step: Step, the optimizer's initial phase step, follows the optimizer's default for
// the chip (train.DefaultStep of Optimizer and Bits, whole control codes) until it is set
// to another value, and the URL carries lr only then. On a chip with control codes
// (Bits > 0) a step below one code cannot be programmed: such a setting is refused with
// train's message, as is any other combination train.Config.Validate refuses (say a V_pi
// that makes the drift relative to gamma 50% or more).
type Settings struct {
	Model     string  // a catalog name (see Catalog) or a relative URL of a model file (*.json, *.json.gz)
	Layer     int     // index of the layer drawn
	Optimizer string  // an optimizer of the training engine (train.Methods)
	Alpha     float64 // fraction of U/V phases that are active (ranges: train.Params)
	S         float64 // fraction of the active phases tried per iteration
	P         float64 // probability of skipping a power-raising step back
	Step      float64 // the optimizer's initial phase step, radians: the URL's lr (see above)
	// The chip: its preset (the URL's chip) and the fields it sets.
	photonics.Hardware
	Seed    int64  // fixes the noise draw, the active set and every random choice
	Speed   int    // most ONN queries per 1/60 s (the engine trains at most 60 times this a second)
	Compare bool   // keep earlier runs as faint overlays
	Booth   bool   // booth mode: full screen, loops on its own
	View    string // what the mesh area shows: "layer" (one layer's meshes) or "network" (the whole network); follows booth mode until set
	Run     bool   // start training as soon as the chip is deployed
	Race    string // the optimizers racing on identical chips, comma-separated (race.go); "" when none
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

// urlParam describes one URL parameter.
type urlParam struct {
	name    string
	effect  Effect
	get     func(*Settings) string
	set     func(*Settings, string) error
	boolean bool // the URL form is 1 or 0
}

// boolParam is a parameter of a bool field.
func boolParam(name string, effect Effect, field func(*Settings) *bool) urlParam {
	return urlParam{name, effect, fmtBool(field), setBool(field), true}
}

// DefaultSettings are the method's settings on the method's chip: the MNIST 8x8 MLP
// deployed with 15% of its U/V phases active and recovered by SZO-SCD with s = 0.1, full
// pruning and the step of one 8-bit control code (2 pi / 256 = 0.0245 rad, the method's
// "0.02, 8-bit control precision"). The chip is the preset "paper", which the CLIs and
// make reproduce start from too: gamma std 2e-3 at V_pi 4.36 V (a 1.21% drift), crosstalk
// 2e-3 between adjacent heating devices, 8-bit control. On it the MLP deploys at about 91%
// from its 96.6% ideal (on the whole test set), and SZO-SCD recovers: on the page's 2,000
// test samples, chip seed 1 deploys at 88.4% and reaches 92.8% after 5,000 queries
// (seeds 1-5: 87.7-91.6% deployed, 92.5-93.6% after 5,000 queries, training on the nine
// tenths of the pool a run does not hold out for validation; TestShippedDefaultRecovers).
func DefaultSettings() Settings {
	s := Settings{
		Model: "mnist8-mlp", Optimizer: "szo-scd",
		Alpha: 0.15, S: 0.1, P: 1,
		Seed: 1, Speed: 400, Compare: true,
	}
	s.Hardware = photonics.Presets()[0].Hardware
	s.Step = s.defaultStep()
	s.View = s.defaultView()
	return s
}

// Views are the values of the view setting: one layer's meshes, or the whole network.
var Views = []string{"layer", "network"}

// defaultView is the view in this mode: the whole network at a booth (it shows the light
// going through every layer to the answer), one layer otherwise.
func (s *Settings) defaultView() string {
	if s.Booth {
		return "network"
	}
	return "layer"
}

// defaultStep is the optimizer's default step on this chip.
func (s *Settings) defaultStep() float64 { return train.DefaultStep(s.Optimizer, s.Bits) }

// ChipEdited reports whether a chip field differs from the preset's value.
func (s Settings) ChipEdited() bool {
	p, err := photonics.LookupPreset(s.Preset)
	return err != nil || s.Hardware != p.Hardware
}

// Config returns the training engine's configuration of these settings (the loop's
// budgets and evaluation interval are left at their defaults).
func (s Settings) Config() train.Config {
	c := train.DefaultConfig()
	c.Optimizer, c.Alpha, c.S, c.P, c.Step = s.Optimizer, s.Alpha, s.S, s.P, s.Step
	c.Hardware, c.Seed = s.Hardware, s.Seed
	return c
}

// setConfig takes from c what Config puts in it: the settings of train.Params.
func (s *Settings) setConfig(c train.Config) {
	s.Optimizer, s.Alpha, s.S, s.P, s.Step = c.Optimizer, c.Alpha, c.S, c.P, c.Step
	s.Hardware, s.Seed = c.Hardware, c.Seed
}

// retired names the parameters that were replaced, and by what.
var retired = map[string]func(v string) string{
	"sigma": func(v string) string {
		msg := "the relative drift sigma was replaced by gamma-std, the absolute standard deviation of gamma = π/V_π² in rad/V² (the method's chip: gamma-std=0.002, a 1.21% drift at V_π 4.36 V)"
		if x, err := param.Float(v); err == nil && x >= 0 {
			msg += fmt.Sprintf("; sigma=%g is gamma-std=%.3g", x, x*photonics.DefaultNoise().Gamma())
		}
		return msg
	},
}

// params lists the URL parameters in their canonical order: the one a query is applied
// in, so that a preset comes before the chip fields it sets, and the chip and the optimizer
// before the step that depends on them. The settings of a run are train.Params, in their
// order, between the model and the view's settings.
var params = slices.Concat([]urlParam{
	{"model", Reload, func(s *Settings) string { return s.Model }, func(s *Settings, v string) error {
		if err := ValidModelRef(v); err != nil {
			return err
		}
		s.Model = v
		return nil
	}, false},
}, runParams(), []urlParam{
	{"speed", ViewOnly, func(s *Settings) string { return strconv.Itoa(s.Speed) }, func(s *Settings, v string) error {
		n, err := param.Int(v, 1, MaxSpeed)
		if err != nil {
			return err
		}
		s.Speed = int(n)
		return nil
	}, false},
	{"layer", ViewOnly, func(s *Settings) string { return strconv.Itoa(s.Layer) }, func(s *Settings, v string) error {
		n, err := param.Int(v, 0, 1000)
		if err != nil {
			return err
		}
		s.Layer = int(n) // checked against the model when it is shown
		return nil
	}, false},
	boolParam("compare", ViewOnly, func(s *Settings) *bool { return &s.Compare }),
	boolParam("booth", ViewOnly, func(s *Settings) *bool { return &s.Booth }),
	{"view", ViewOnly, func(s *Settings) string { return s.View }, func(s *Settings, v string) error {
		v = strings.ToLower(v)
		if !slices.Contains(Views, v) {
			return fmt.Errorf("unknown view (known: %s)", strings.Join(Views, ", "))
		}
		s.View = v
		return nil
	}, false},
	boolParam("run", ViewOnly, func(s *Settings) *bool { return &s.Run }),
	{"race", ViewOnly, func(s *Settings) string { return s.Race }, setRace, false},
})

// runParams are the URL parameters of train.Params, read and set through the run's
// configuration (Config, setConfig). A new value that Deploys redeploys; the others
// restart the run on the same chip.
func runParams() []urlParam {
	var out []urlParam
	for _, tp := range train.Params {
		effect := Restart
		if tp.Deploys {
			effect = Redeploy
		}
		out = append(out, urlParam{tp.Name, effect,
			func(s *Settings) string { c := s.Config(); return tp.Get(&c) },
			func(s *Settings, v string) error {
				c := s.Config()
				if err := tp.Set(&c, v); err != nil {
					return err
				}
				s.setConfig(c)
				return nil
			}, tp.Bool})
	}
	return out
}

// MaxSpeed is the largest accepted speed (ONN queries per frame).
const MaxSpeed = 100000

// MaxSeed is the largest seed: 2^53, the largest integer below which every integer is a
// JavaScript number exactly, so a link with any seed from 0 to MaxSeed reloads as it was.
// Redeploy wraps from MaxSeed to 0 (NextSeed).
const MaxSeed = train.MaxSeed

// NextSeed is the seed after seed: seed+1, wrapping from MaxSeed (or anything beyond it) to 0.
func NextSeed(seed int64) int64 {
	if seed < 0 || seed >= MaxSeed {
		return 0
	}
	return seed + 1
}

// MaxModelRef is the longest model reference accepted, in bytes.
const MaxModelRef = 256

// maxQuoted is how many bytes of a value an error message quotes before it cuts it.
const maxQuoted = 40

// quoteCut quotes a value for a message, cut after maxQuoted bytes (at a character
// boundary) with a note of its whole length, so a 5,000-digit value is not echoed in full.
func quoteCut(v string) string {
	if len(v) <= maxQuoted {
		return strconv.Quote(v)
	}
	n := maxQuoted
	for n > 0 && !utf8.RuneStart(v[n]) {
		n--
	}
	return fmt.Sprintf("%s… (cut: %d bytes)", strconv.Quote(v[:n]), len(v))
}

// ParamNames lists the URL parameters in canonical order.
func ParamNames() []string {
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.name
	}
	return names
}

// Values returns the settings by URL parameter name, in their URL form except the
// booleans, which are bools (the page API's settings()).
func (s Settings) Values() map[string]any {
	out := make(map[string]any, len(params))
	for _, p := range params {
		v := p.get(&s)
		if p.boolean {
			out[p.name] = v == "1"
		} else {
			out[p.name] = v
		}
	}
	return out
}

func lookup(name string) (urlParam, bool) {
	for _, p := range params {
		if p.name == name {
			return p, true
		}
	}
	return urlParam{}, false
}

// Set changes one setting from its URL form and says what the change needs. On error s is
// unchanged and the error names the setting and the value. A value that is fine alone but
// that train refuses with the other settings (a step below one control code, say) is
// refused with train's message.
func (s *Settings) Set(name, value string) (Effect, error) {
	p, ok := lookup(name)
	if !ok {
		if why, ok := retired[name]; ok {
			return ViewOnly, fmt.Errorf("%s=%s: %s", name, quoteCut(value), why(value))
		}
		return ViewOnly, fmt.Errorf("unknown setting %s (known: %s)", quoteCut(name), strings.Join(ParamNames(), ", "))
	}
	t := *s
	if err := p.set(&t, strings.TrimSpace(value)); err != nil {
		return ViewOnly, fmt.Errorf("%s=%s: %w", name, quoteCut(value), err)
	}
	if name != "lr" && s.Step == s.defaultStep() {
		t.Step = t.defaultStep() // the step follows the default
	}
	if name != "view" && s.View == s.defaultView() {
		t.View = t.defaultView() // the view follows booth mode
	}
	if t == *s {
		return ViewOnly, nil
	}
	if p.effect >= Restart {
		if err := t.Config().Validate(); err != nil {
			return ViewOnly, fmt.Errorf("%s=%s: %w", name, quoteCut(value), err)
		}
	}
	*s = t
	return p.effect, nil
}

// Apply changes settings by name (URL form values) in the canonical order of the URL
// parameters, for a model of layers layers (0: not known yet). Each bad value is returned
// as an error and leaves its setting as it was; the rest apply. It returns the strongest
// effect of the changes and the names applied. The engine applies a page's settings with
// it, and the page checks them with it first, so set() answers at once.
func (s *Settings) Apply(params map[string]string, layers int) (Effect, []string, []error) {
	var errs []error
	var applied []string
	effect := ViewOnly
	for _, name := range canonicalOrder(params) {
		e, err := s.Set(name, params[name])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if name == "layer" && layers > 0 && s.Layer >= layers {
			errs = append(errs, fmt.Errorf("layer=%q: the model has layers 0..%d", params[name], layers-1))
			s.Layer = 0
		}
		applied = append(applied, name)
		effect = max(effect, e)
	}
	return effect, applied, errs
}

// canonicalOrder returns the keys of params in the canonical order of the URL parameters,
// unknown ones last (sorted).
func canonicalOrder(params map[string]string) []string {
	var names []string
	for _, p := range ParamNames() {
		if _, ok := params[p]; ok {
			names = append(names, p)
		}
	}
	for _, k := range sortedKeys(params) {
		if _, ok := lookup(k); !ok {
			names = append(names, k)
		}
	}
	return names
}

// ParseQuery reads settings from a URL query (with or without the leading "?"). Every
// parameter that is unknown, retired, repeated, invalid or not decodable (a bad %-escape)
// yields an error naming it, and keeps its default; the others apply, so the returned
// settings are always usable. The parameters apply in the canonical order (ParamNames),
// whatever their order in the query. Values in messages are cut after 40 bytes.
func ParseQuery(query string) (Settings, []error) {
	s := DefaultSettings()
	q, errs := splitQuery(strings.TrimPrefix(query, "?"))
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
			errs = append(errs, fmt.Errorf("page address: %w; keeping %s=%s", err, p.name, p.get(&s)))
		}
	}
	for _, name := range sortedKeys(q) {
		if why, ok := retired[name]; ok {
			errs = append(errs, fmt.Errorf("page address: %s=%s ignored: %s", name, quoteCut(q[name][0]), why(q[name][0])))
			continue
		}
		errs = append(errs, fmt.Errorf("page address: unknown parameter %s ignored", quoteCut(name)))
	}
	return s, errs
}

// splitQuery decodes a URL query as url.ParseQuery does, except that a parameter whose
// name or value is not decodable is reported by name and left out while the others are
// kept (url.ParseQuery's map holds them too, but its one error names none).
func splitQuery(query string) (url.Values, []error) {
	q := url.Values{}
	var errs []error
	for query != "" {
		var part string
		part, query, _ = strings.Cut(query, "&")
		if part == "" {
			continue
		}
		rawKey, rawValue, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(rawKey)
		if err != nil {
			errs = append(errs, fmt.Errorf("page address: parameter %s ignored: a bad %%-escape in its name (%% must be followed by two hex digits)", quoteCut(rawKey)))
			continue
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			name := key
			if _, ok := lookup(key); !ok {
				name = quoteCut(key)
			}
			errs = append(errs, fmt.Errorf("page address: %s=%s ignored: a bad %%-escape (%% must be followed by two hex digits)", name, quoteCut(rawValue)))
			continue
		}
		q[key] = append(q[key], value)
	}
	return q, errs
}

// Query is the canonical URL query of s, without the leading "?": in a fixed order, only
// the settings that differ from their defaults, where the chip fields' defaults are the
// preset's values and the step's is the optimizer's default on the chip.
func (s Settings) Query() string {
	d := s.defaults()
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

// defaults returns the default settings in the context of s: the chip fields of s's
// preset, and the step of s's optimizer on s's chip.
func (s Settings) defaults() Settings {
	d := DefaultSettings()
	if p, err := photonics.LookupPreset(s.Preset); err == nil {
		d.Hardware = p.Hardware
		d.Preset = DefaultSettings().Preset // the preset itself has one default
	}
	d.Step = s.defaultStep()
	d.View = s.defaultView()
	return d
}

// ValidModelRef checks a model reference: a catalog name, or the site-relative path of a
// .json or .json.gz model file, at most MaxModelRef bytes, whose folders and file name
// (before the extension) are each a plain name by the rule of a model file's data set name
// (dataset.CheckName: a-z 0-9 - _, not starting with - or _), e.g. models/my-model.json.
// That one rule leaves no room for what a browser reads as leaving the site: no scheme or
// host, no "/" in front, no "." or ".." segment, no backslash (a slash to the browser), no
// %-escape, query, fragment, space or control character.
func ValidModelRef(v string) error {
	if _, ok := CatalogEntry(v); ok {
		return nil
	}
	if v == "" {
		return errors.New("empty")
	}
	if len(v) > MaxModelRef {
		return fmt.Errorf("a model path is at most %d bytes, this one %d", MaxModelRef, len(v))
	}
	stem, ok := strings.CutSuffix(v, ".json.gz")
	if !ok {
		stem, ok = strings.CutSuffix(v, ".json")
	}
	if !ok {
		return fmt.Errorf("not a shipped model (%s) nor a path to a .json model file", strings.Join(CatalogNames(), ", "))
	}
	for _, seg := range strings.Split(stem, "/") {
		if err := dataset.CheckName(seg); err != nil {
			return fmt.Errorf("a model path must be relative to the site and stay inside it: folders and a file name of a-z 0-9 - _ (e.g. models/my-model.json): %w", err)
		}
	}
	return nil
}

func fmtBool(field func(*Settings) *bool) func(*Settings) string {
	return func(s *Settings) string { return param.FormatBool(*field(s)) }
}

func setBool(field func(*Settings) *bool) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		b, err := param.Bool(v)
		if err == nil {
			*field(s) = b
		}
		return err
	}
}
