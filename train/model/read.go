package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/meshlight/meshlight/train/internal/limitio"
)

// Wire types: pointers tell a missing field from a zero one.
type (
	wireModel struct {
		Format        *string         `json:"format"`
		Name          *string         `json:"name"`
		Dataset       *string         `json:"dataset"`
		Architecture  *string         `json:"architecture"`
		Block         *int            `json:"block"`
		M             *float64        `json:"m"`
		Topology      *string         `json:"topology"`
		TestAccuracy  *float64        `json:"test_accuracy"`
		Seed          *int64          `json:"seed"`
		Activation    *wireActivation `json:"activation"`
		Input         *wireShape      `json:"input"`
		Preprocessing *string         `json:"preprocessing"`
		Layers        *[]wireLayer    `json:"layers"`
	}
	wireActivation struct {
		Kind *string  `json:"kind"`
		Clip *float64 `json:"clip"`
	}
	wireShape struct {
		Channels *int `json:"channels"`
		Height   *int `json:"height"`
		Width    *int `json:"width"`
	}
	wireLayer struct {
		Kind   *string     `json:"kind"`
		Out    *int        `json:"out"`
		In     *int        `json:"in"`
		Conv   *wireConv   `json:"conv"`
		Phases *wirePhases `json:"phases"`
		Signs  *wireSigns  `json:"signs"`
	}
	wireConv struct {
		InChannels *int `json:"in_channels"`
		InHeight   *int `json:"in_height"`
		InWidth    *int `json:"in_width"`
		Kernel     *int `json:"kernel"`
		Stride     *int `json:"stride"`
		Padding    *int `json:"padding"`
	}
	wirePhases struct {
		U     *[][]float64 `json:"u"`
		Sigma *[][]float64 `json:"sigma"`
		V     *[][]float64 `json:"v"`
	}
	wireSigns struct {
		U *[][]float64 `json:"u"`
		V *[][]float64 `json:"v"`
	}
)

// ReadFile reads and validates the model file at path, plain JSON or gzipped (a
// .json.gz file, as the page accepts); errors start with the file's base name. path must
// be a regular file of at most MaxFileSize bytes: a device, a pipe or a folder is refused
// before anything is read.
func ReadFile(path string) (*Model, error) {
	name := filepath.Base(path)
	f, _, err := limitio.Open(path, MaxFileSize)
	if err != nil {
		err = limitio.Cause(err)
		if _, ok := limitio.IsLimit(err); ok {
			return nil, fmt.Errorf("%s: a model file of %w", name, err)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer f.Close()
	return Read(f, name)
}

// Read reads one model file from r and validates it (see Model.Validate): JSON, or a
// gzip stream of it (detected from its first bytes), of at most MaxFileSize bytes before
// and after decompression. Before decoding, it counts the file's arrays and objects
// against what a model can hold (MaxArrays, MaxLayers), so that a file of empty lists
// cannot make the decoder allocate many times its size. name labels errors, e.g.
// "mnist8-mlp.json: layer 1: block 3: phases.u has 27 values, want 28".
func Read(r io.Reader, name string) (*Model, error) {
	in, zipped, closeZip, err := limitio.Gunzip(r, MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("%s: gzip header: %w", name, err)
	}
	defer closeZip()
	data, err := io.ReadAll(in)
	if errors.Is(err, limitio.ErrAfterGzip) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if _, ok := limitio.IsLimit(err); ok {
		what := "larger than"
		if zipped {
			what = "gzipped, larger than"
		}
		return nil, fmt.Errorf("%s: %s the %s limit of a model file", name, what, limitio.Bytes(MaxFileSize))
	}
	if err != nil {
		if zipped {
			return nil, fmt.Errorf("%s: gzip stream damaged: %w", name, err)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := checkContainers(data); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	m, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

// checkContainers counts the JSON arrays and objects of data (outside strings) against
// what a model can hold: MaxArrays arrays (per layer, the layers list, five lists and a
// list per block in each of them) and the objects of MaxLayers layers (root, activation,
// input; per layer the layer, conv, phases and signs). Decoding an empty list or object
// costs many times the bytes it takes, so they are counted before decoding.
func checkContainers(data []byte) error {
	const maxObjects = 3 + 4*MaxLayers
	arrays, objects := 0, 0
	inString, escaped := false, false
	for i, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[':
			if arrays++; arrays > MaxArrays {
				return fmt.Errorf("offset %d: more than %d arrays, more than a model file may hold", i, MaxArrays)
			}
		case c == '{':
			if objects++; objects > maxObjects {
				return fmt.Errorf("offset %d: more than %d objects, more than a model of at most %d layers holds", i, maxObjects, MaxLayers)
			}
		}
	}
	return nil
}

// decode parses the JSON and checks that every field is present.
func decode(data []byte) (*Model, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty file")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w wireModel
	if err := dec.Decode(&w); err != nil {
		// A newer file is reported as such, though its fields differ from this version's
		// (looking for the format only on failure spares the common case a second pass).
		var head struct {
			Format *string `json:"format"`
		}
		if json.Unmarshal(data, &head) == nil && head.Format != nil {
			if err := checkFormat(*head.Format); err != nil {
				return nil, err
			}
		}
		return nil, jsonError(data, err)
	}
	if w.Format != nil { // the format before the fields, as above
		if err := checkFormat(*w.Format); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("offset %d: data after the model object", dec.InputOffset())
	}
	var miss missing
	m := &Model{
		Format:        miss.str(w.Format, "format"),
		Name:          miss.str(w.Name, "name"),
		Dataset:       miss.str(w.Dataset, "dataset"),
		Architecture:  miss.str(w.Architecture, "architecture"),
		Block:         miss.int(w.Block, "block"),
		M:             miss.float(w.M, "m"),
		Topology:      miss.str(w.Topology, "topology"),
		TestAccuracy:  miss.float(w.TestAccuracy, "test_accuracy"),
		Preprocessing: miss.str(w.Preprocessing, "preprocessing"),
	}
	if w.Seed == nil {
		miss.add("seed")
	} else {
		m.Seed = *w.Seed
	}
	if a := w.Activation; a == nil {
		miss.add("activation")
	} else {
		m.Activation = Activation{Kind: miss.str(a.Kind, "activation.kind"), Clip: miss.float(a.Clip, "activation.clip")}
	}
	if s := w.Input; s == nil {
		miss.add("input")
	} else {
		m.Input = Shape{miss.int(s.Channels, "input.channels"), miss.int(s.Height, "input.height"), miss.int(s.Width, "input.width")}
	}
	if err := miss.err(); err != nil {
		return nil, err
	}
	if w.Layers == nil {
		return nil, errors.New("layers: missing")
	}
	for i, wl := range *w.Layers {
		l, err := wl.layer()
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		m.Layer = append(m.Layer, l)
	}
	return m, nil
}

func (wl wireLayer) layer() (Layer, error) {
	var miss missing
	l := Layer{Spec: Spec{Kind: Kind(miss.str(wl.Kind, "kind")), Out: miss.int(wl.Out, "out"), In: miss.int(wl.In, "in")}}
	if c := wl.Conv; c != nil {
		l.Conv = &ConvParams{
			InChannels: miss.int(c.InChannels, "conv.in_channels"),
			InHeight:   miss.int(c.InHeight, "conv.in_height"),
			InWidth:    miss.int(c.InWidth, "conv.in_width"),
			Kernel:     miss.int(c.Kernel, "conv.kernel"),
			Stride:     miss.int(c.Stride, "conv.stride"),
			Padding:    miss.int(c.Padding, "conv.padding"),
		}
	} else if l.Kind == Conv {
		miss.add("conv")
	}
	if p := wl.Phases; p == nil {
		miss.add("phases")
	} else {
		l.Phases = Phases{U: miss.rows(p.U, "phases.u"), Sigma: miss.rows(p.Sigma, "phases.sigma"), V: miss.rows(p.V, "phases.v")}
	}
	if s := wl.Signs; s == nil {
		miss.add("signs")
	} else {
		l.Signs = Signs{U: miss.rows(s.U, "signs.u"), V: miss.rows(s.V, "signs.v")}
	}
	return l, miss.err()
}

// missing collects the names of absent fields.
type missing []string

func (m *missing) add(name string) { *m = append(*m, name) }

func (m *missing) err() error {
	switch len(*m) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("%s: missing", (*m)[0])
	}
	return fmt.Errorf("missing fields %q", []string(*m))
}

func (m *missing) str(p *string, name string) string {
	if p == nil {
		m.add(name)
		return ""
	}
	return *p
}

func (m *missing) int(p *int, name string) int {
	if p == nil {
		m.add(name)
		return 0
	}
	return *p
}

func (m *missing) float(p *float64, name string) float64 {
	if p == nil {
		m.add(name)
		return 0
	}
	return *p
}

func (m *missing) rows(p *[][]float64, name string) [][]float64 {
	if p == nil {
		m.add(name)
		return nil
	}
	for i, r := range *p {
		if r == nil {
			m.add(fmt.Sprintf("%s[%d]", name, i))
		}
	}
	return *p
}

// jsonError turns a decoding error into one that says where and, for a cut-off file, that
// it is truncated.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("truncated JSON: the file ends after %d bytes inside the model object", len(data))
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d: %w", syn.Offset, err)
	case errors.As(err, &typ) && typ.Field == "":
		return fmt.Errorf("the file holds a JSON %s, want a model object", typ.Value)
	case errors.As(err, &typ):
		return fmt.Errorf("field %s: JSON %s where a %s is wanted (byte %d)", typ.Field, typ.Value, typ.Type, typ.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("%s, not part of %s", strings.TrimPrefix(err.Error(), "json: "), Format)
	}
	return fmt.Errorf("JSON: %w", err)
}
