package model_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/photonics/mapping"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/testnet"
)

func TestParseArchitecture(t *testing.T) {
	conv := func(c, h, w, k, s, p int) *model.ConvParams {
		return &model.ConvParams{InChannels: c, InHeight: h, InWidth: w, Kernel: k, Stride: s, Padding: p}
	}
	tests := []struct {
		arch     string
		channels int
		in       model.Shape
		specs    []model.Spec
		out      []model.Shape
	}{
		{"64-24-24-10", 1, model.Shape{64, 1, 1},
			[]model.Spec{{Kind: model.Dense, Out: 24, In: 64}, {Kind: model.Dense, Out: 24, In: 24}, {Kind: model.Dense, Out: 10, In: 24}},
			[]model.Shape{{24, 1, 1}, {24, 1, 1}, {10, 1, 1}}},
		{"16x16-c8s2-c6s2-10", 1, model.Shape{1, 16, 16},
			[]model.Spec{{Kind: model.Conv, Out: 8, In: 9, Conv: conv(1, 16, 16, 3, 2, 1)}, {Kind: model.Conv, Out: 6, In: 72, Conv: conv(8, 8, 8, 3, 2, 1)}, {Kind: model.Dense, Out: 10, In: 96}},
			[]model.Shape{{8, 8, 8}, {6, 4, 4}, {10, 1, 1}}},
		{"32x32-c8s2-c8s2-10", 1, model.Shape{1, 32, 32},
			[]model.Spec{{Kind: model.Conv, Out: 8, In: 9, Conv: conv(1, 32, 32, 3, 2, 1)}, {Kind: model.Conv, Out: 8, In: 72, Conv: conv(8, 16, 16, 3, 2, 1)}, {Kind: model.Dense, Out: 10, In: 512}},
			[]model.Shape{{8, 16, 16}, {8, 8, 8}, {10, 1, 1}}},
		// 7x7, kernel 5, stride 1, padding 0 -> 3x3; 3 input channels.
		{"7x5-c4k5s1p0-2", 3, model.Shape{3, 7, 5},
			[]model.Spec{{Kind: model.Conv, Out: 4, In: 75, Conv: conv(3, 7, 5, 5, 1, 0)}, {Kind: model.Dense, Out: 2, In: 12}},
			[]model.Shape{{4, 3, 1}, {2, 1, 1}}},
	}
	for _, tc := range tests {
		in, specs, err := model.ParseArchitecture(tc.arch, tc.channels)
		if err != nil {
			t.Errorf("%s: %v", tc.arch, err)
			continue
		}
		if in != tc.in || !reflect.DeepEqual(specs, tc.specs) {
			t.Errorf("%s: got %v %+v, want %v %+v", tc.arch, in, specs, tc.in, tc.specs)
			continue
		}
		for i, s := range specs {
			if s.OutShape() != tc.out[i] {
				t.Errorf("%s: layer %d output %v, want %v", tc.arch, i, s.OutShape(), tc.out[i])
			}
		}
	}
	for _, bad := range []string{"", "64", "64-", "64-0", "0-10", "64-c8s2", "16x16-10-c8s2", "16x16-c8",
		"16x16-c8s0", "4x4-c8k9s1p0", "16x16-c8s2p3", "16x16-c0s2", "16x16-c8s2k3", "16x-c8s2", "16x16-c8s2x", "1x1-c1k5s1p1"} {
		if _, _, err := model.ParseArchitecture(bad, 1); err == nil {
			t.Errorf("ParseArchitecture(%q) accepted", bad)
		}
	}
}

// Round trip: write, read, write again; the model and its weights come back exactly.
func TestRoundTrip(t *testing.T) {
	cases := []struct {
		arch     string
		channels int
		block    int
		topo     photonics.Topology
	}{
		{"8-16-16-4", 1, 8, photonics.Reck},
		{"5-7-3", 1, 4, photonics.Clements},
		{"6-5-4", 1, 0, photonics.Reck},
		{"8x8-c3s2-c2s2-4", 2, 8, photonics.Reck},
		{"6x6-c4s1-3", 1, 0, photonics.Clements},
	}
	for i, tc := range cases {
		m, ws := randomModel(t, tc.arch, tc.channels, tc.block, tc.topo, uint64(i+1))
		data := encode(t, m)
		got, err := model.Read(bytes.NewReader(data), "rt.json")
		if err != nil {
			t.Fatalf("%s: %v", tc.arch, err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Fatalf("%s: read model differs from the written one", tc.arch)
		}
		if again := encode(t, got); !bytes.Equal(again, data) {
			t.Fatalf("%s: second write differs from the first", tc.arch)
		}
		w, err := got.Weights()
		if err != nil {
			t.Fatal(err)
		}
		for l := range ws {
			if d := testnet.MaxDiff(w[l], ws[l]); d > 1e-12 {
				t.Errorf("%s: layer %d: weights from phases differ from the mapped ones by %g", tc.arch, l, d)
			}
		}
	}
}

func TestWriteReadFile(t *testing.T) {
	m, _ := randomModel(t, "4-3-2", 1, 2, photonics.Reck, 9)
	path := filepath.Join(t.TempDir(), "m.json")
	if err := model.WriteFile(path, m); err != nil {
		t.Fatal(err)
	}
	got, err := model.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Fatal("ReadFile(WriteFile(m)) != m")
	}
	if _, err := model.ReadFile(filepath.Join(t.TempDir(), "none.json")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	// A .gz path is written gzipped: the same JSON inside, the same bytes every time.
	plain, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var zipped [2][]byte
	for i := range zipped {
		gz := filepath.Join(t.TempDir(), "m.json.gz")
		if err := model.WriteFile(gz, m); err != nil {
			t.Fatal(err)
		}
		if zipped[i], err = os.ReadFile(gz); err != nil {
			t.Fatal(err)
		}
		if got, err := model.ReadFile(gz); err != nil || !reflect.DeepEqual(got, m) {
			t.Fatalf("ReadFile(WriteFile(m.json.gz)) != m: %v", err)
		}
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped[0]))
	if err != nil {
		t.Fatalf("not gzipped: %v", err)
	}
	inside, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(inside, plain) || !bytes.Equal(zipped[0], zipped[1]) {
		t.Errorf("the gzipped file holds other JSON (%v) or differs between writes (%v)", err, !bytes.Equal(zipped[0], zipped[1]))
	}
}

// Layers deploys on an ideal chip with every phase active: the chip's weights are the
// model's.
func TestLayersDeployIdeal(t *testing.T) {
	m, ws := randomModel(t, "16x16-c8s2-c6s2-10", 1, 8, photonics.Reck, 3)
	layers, phases, signs, err := m.Layers()
	if err != nil {
		t.Fatal(err)
	}
	chip, err := photonics.Deploy(layers, phases, signs, photonics.ChipConfig{Alpha: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range layers {
		if d := testnet.MaxDiff(chip.LayerWeights(i), ws[i]); d > 1e-12 {
			t.Errorf("layer %d: chip weights differ by %g", i, d)
		}
		n += layers[i].NumPhases()
	}
	if n != m.NumPhases() || n != chip.NumPhases() {
		t.Errorf("phases: model %d, layers %d, chip %d", m.NumPhases(), n, chip.NumPhases())
	}
	if m.Classes() != 10 {
		t.Errorf("Classes = %d, want 10", m.Classes())
	}
}

// A 2-2-2 MLP worked by hand: x = (3, 1); W1 x = (6, -1) -> clip -> (4, 0); W2 (4, 0) = (4, 2).
func TestNetByHand(t *testing.T) {
	m, err := model.New("hand", "none", "2-2-2", 1, 0, 3, photonics.Reck, 4)
	if err != nil {
		t.Fatal(err)
	}
	ws := [][]float64{{2, 0, 0, -1}, {1, -1, 0.5, 1}}
	net, err := model.NewNet(m, ws)
	if err != nil {
		t.Fatal(err)
	}
	z, err := net.Logits([]float32{3, 1})
	if err != nil {
		t.Fatal(err)
	}
	if z[0] != 4 || z[1] != 2 {
		t.Fatalf("logits %v, want [4 2]", z)
	}
	// Through the phases of the ideal chip.
	for i, w := range ws {
		s, _ := m.SVDLayer(i)
		ph, sg, err := mapping.Decompose(s, dense(2, 2, w))
		if err != nil {
			t.Fatal(err)
		}
		if err := m.SetMapping(i, ph, sg); err != nil {
			t.Fatal(err)
		}
	}
	ideal, err := m.IdealNet()
	if err != nil {
		t.Fatal(err)
	}
	z, _ = ideal.Logits([]float32{3, 1})
	if math.Abs(z[0]-4) > 1e-12 || math.Abs(z[1]-2) > 1e-12 {
		t.Fatalf("ideal-chip logits %v, want [4 2]", z)
	}
	// (0.5,-2): W1 -> (1,2) -> W2 -> (-1,2.5): class 1. (-1,1): W1 -> (-2,-1) -> clip (0,0)
	// -> (0,0): a tie, class 0 (the first).
	acc, err := ideal.Accuracy([]float32{3, 1, 0.5, -2, -1, 1}, []uint8{0, 1, 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := 200.0 / 3; math.Abs(acc-want) > 1e-12 {
		t.Fatalf("accuracy %v, want %v", acc, want)
	}
	if _, err := ideal.Accuracy([]float32{1}, []uint8{0}); err == nil {
		t.Fatal("Accuracy accepted a short sample")
	}
}

// The conv layer is linear: its response to a unit impulse at input (c, y, x) is, at
// output (o, oy, ox), the kernel weight W[o, c*K*K + ky*K + kx] with ky = y - oy*S + P and
// kx = x - ox*S + P when inside the kernel, else 0.
func TestNetConvImpulse(t *testing.T) {
	for _, tc := range []struct {
		arch     string
		channels int
	}{{"5x5-c2s2", 1}, {"4x6-c3s1", 2}, {"7x7-c2k5s2p1", 2}} {
		in, specs, err := model.ParseArchitecture(tc.arch, tc.channels)
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.New("impulse", "none", tc.arch, tc.channels, 8, 3, photonics.Reck, 4)
		if err != nil {
			t.Fatal(err)
		}
		s := specs[0]
		c := s.Conv
		w := make([]float64, s.Out*s.In)
		for i := range w {
			w[i] = float64(i + 1)
		}
		net, err := model.NewNet(m, [][]float64{w})
		if err != nil {
			t.Fatal(err)
		}
		oh, ow := c.OutHeight(), c.OutWidth()
		x := make([]float32, in.Size())
		for ch := range in.Channels {
			for y := range in.Height {
				for xx := range in.Width {
					clear(x)
					x[ch*in.Height*in.Width+y*in.Width+xx] = 1
					z, err := net.Logits(x)
					if err != nil {
						t.Fatal(err)
					}
					for o := range s.Out {
						for oy := range oh {
							for ox := range ow {
								ky, kx := y-oy*c.Stride+c.Padding, xx-ox*c.Stride+c.Padding
								want := 0.0
								if ky >= 0 && ky < c.Kernel && kx >= 0 && kx < c.Kernel {
									want = w[o*s.In+ch*c.Kernel*c.Kernel+ky*c.Kernel+kx]
								}
								if got := z[o*oh*ow+oy*ow+ox]; got != want {
									t.Fatalf("%s: impulse (%d,%d,%d): output (%d,%d,%d) = %v, want %v", tc.arch, ch, y, xx, o, oy, ox, got, want)
								}
							}
						}
					}
				}
			}
		}
	}
}

func TestNewNetRejects(t *testing.T) {
	m, ws := randomModel(t, "4-3-2", 1, 2, photonics.Reck, 4)
	if _, err := model.NewNet(m, ws[:1]); err == nil {
		t.Error("NewNet accepted one layer of weights for two")
	}
	if _, err := model.NewNet(m, [][]float64{ws[0], ws[1][:5]}); err == nil {
		t.Error("NewNet accepted a short weight matrix")
	}
}

// Every malformed file is an error that names the file and, where there is one, the
// layer, block and field.
func TestReadErrors(t *testing.T) {
	mlp, _ := randomModel(t, "8-16-16-4", 1, 8, photonics.Reck, 5)
	cnn, _ := randomModel(t, "16x16-c8s2-c6s2-10", 1, 8, photonics.Reck, 6)
	mlpData, cnnData := encode(t, mlp), encode(t, cnn)
	type mut = func(map[string]any)
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"missing m", mutate(t, mlpData, func(m map[string]any) { delete(m, "m") }), []string{"m: missing"}},
		{"missing several", mutate(t, mlpData, func(m map[string]any) { delete(m, "seed"); delete(m, "name") }), []string{"missing fields", "name", "seed"}},
		{"missing clip", mutate(t, mlpData, func(m map[string]any) { delete(obj(m, "activation"), "clip") }), []string{"activation.clip: missing"}},
		{"missing layers", mutate(t, mlpData, func(m map[string]any) { delete(m, "layers") }), []string{"layers: missing"}},
		{"missing phases.u", mutate(t, mlpData, func(m map[string]any) { delete(obj(layer(m, 0), "phases"), "u") }), []string{"layer 0", "phases.u: missing"}},
		{"missing signs", mutate(t, mlpData, func(m map[string]any) { delete(layer(m, 2), "signs") }), []string{"layer 2", "signs: missing"}},
		{"missing conv", mutate(t, cnnData, func(m map[string]any) { delete(layer(m, 1), "conv") }), []string{"layer 1", "conv: missing"}},
		{"missing conv field", mutate(t, cnnData, func(m map[string]any) { delete(obj(layer(m, 0), "conv"), "stride") }), []string{"layer 0", "conv.stride: missing"}},
		{"short U block", mutate(t, mlpData, func(m map[string]any) {
			r := rows(layer(m, 1), "phases", "u")
			r[2] = r[2].([]any)[1:]
		}), []string{"layer 1", "block 2", "phases.u has 27 values, want 28"}},
		{"long sigma block", mutate(t, mlpData, func(m map[string]any) {
			r := rows(layer(m, 0), "phases", "sigma")
			r[1] = append(r[1].([]any), 0.5)
		}), []string{"layer 0", "block 1", "phases.sigma has 9 values, want 8"}},
		{"missing V block", mutate(t, mlpData, func(m map[string]any) {
			p := obj(layer(m, 2), "phases")
			p["v"] = p["v"].([]any)[1:]
		}), []string{"layer 2", "phases.v: 1 blocks, want 2"}},
		{"phase out of range", mutate(t, mlpData, func(m map[string]any) { rows(layer(m, 0), "phases", "sigma")[0].([]any)[3] = 7.0 }),
			[]string{"layer 0", "block 0", "phases.sigma[3] = 7", "[0, 2pi)"}},
		{"negative phase", mutate(t, mlpData, func(m map[string]any) { rows(layer(m, 1), "phases", "v")[3].([]any)[0] = -0.1 }),
			[]string{"layer 1", "block 3", "phases.v[0]"}},
		{"bad sign", mutate(t, mlpData, func(m map[string]any) { rows(layer(m, 1), "signs", "v")[1].([]any)[4] = 0.5 }),
			[]string{"layer 1", "block 1", "signs.v[4] = 0.5", "+1 or -1"}},
		{"short signs", mutate(t, mlpData, func(m map[string]any) {
			r := rows(layer(m, 0), "signs", "u")
			r[0] = r[0].([]any)[:7]
		}), []string{"layer 0", "block 0", "signs.u has 7 values, want 8"}},
		{"newer format", mutate(t, mlpData, func(m map[string]any) { m["format"] = "meshlight-model/2"; m["novelty"] = 1 }), []string{"newer version", "meshlight-model/2"}},
		{"other format", mutate(t, mlpData, func(m map[string]any) { m["format"] = "onnx" }), []string{"format", "onnx"}},
		{"zero m", mutate(t, mlpData, func(m map[string]any) { m["m"] = 0 }), []string{"m: 0"}},
		{"huge m", bytes.Replace(mlpData, []byte(`"m": 3,`), []byte(`"m": 1e308,`), 1), []string{"m: 1e+308, want a Sigma bound 0 < m <= 100"}},
		{"m beyond an amplifier", mutate(t, mlpData, func(m map[string]any) { m["m"] = 101 }), []string{"m: 101, want a Sigma bound 0 < m <= 100"}},
		{"bad accuracy", mutate(t, mlpData, func(m map[string]any) { m["test_accuracy"] = 101 }), []string{"test_accuracy"}},
		{"bad block", mutate(t, mlpData, func(m map[string]any) { m["block"] = -1 }), []string{"block: -1"}},
		{"other block", mutate(t, mlpData, func(m map[string]any) { m["block"] = 4 }), []string{"layer 0", "blocks, want"}},
		{"bad topology", mutate(t, mlpData, func(m map[string]any) { m["topology"] = "benes" }), []string{"topology"}},
		{"bad activation", mutate(t, mlpData, func(m map[string]any) { obj(m, "activation")["kind"] = "tanh" }), []string{"activation.kind", "tanh"}},
		{"no layers", mutate(t, mlpData, func(m map[string]any) { m["layers"] = []any{} }), []string{"layers: empty"}},
		{"bad kind", mutate(t, mlpData, func(m map[string]any) { layer(m, 1)["kind"] = "pool" }), []string{"layer 1", "kind", "pool"}},
		{"dense in", mutate(t, mlpData, func(m map[string]any) { layer(m, 1)["in"] = 15 }), []string{"layer 1", "in: 15, want 16"}},
		{"input shape", mutate(t, mlpData, func(m map[string]any) { obj(m, "input")["channels"] = 9 }), []string{"layer 0", "in: 8, want 9"}},
		{"architecture", mutate(t, mlpData, func(m map[string]any) { m["architecture"] = "8-16-12-4" }), []string{"layer 1", "architecture"}},
		{"conv in", mutate(t, cnnData, func(m map[string]any) { layer(m, 1)["in"] = 70 }), []string{"layer 1", "in: 70, want in_channels*kernel*kernel = 72"}},
		{"conv channels", mutate(t, cnnData, func(m map[string]any) { obj(layer(m, 1), "conv")["in_channels"] = 6 }), []string{"layer 1", "conv input 6x8x8", "want 8x8x8"}},
		{"conv stride", mutate(t, cnnData, func(m map[string]any) { obj(layer(m, 0), "conv")["stride"] = 1 }), []string{"layer 1", "conv input 8x8x8", "want 8x16x16"}},
		{"conv padding", mutate(t, cnnData, func(m map[string]any) { obj(layer(m, 0), "conv")["padding"] = 3 }), []string{"layer 0", "conv.padding"}},
		{"conv on dense", mutate(t, mlpData, func(m map[string]any) { layer(m, 0)["conv"] = map[string]any{"in_channels": 8} }), []string{"layer 0", "conv"}},
		{"unknown field", mutate(t, mlpData, func(m map[string]any) { m["bias"] = []any{1} }), []string{`unknown field "bias"`, "meshlight-model/1"}},
		{"null row", mutate(t, mlpData, func(m map[string]any) { rows(layer(m, 0), "phases", "u")[0] = nil }), []string{"layer 0", "phases.u[0]: missing"}},
		{"string phase", mutate(t, mlpData, func(m map[string]any) { rows(layer(m, 0), "phases", "u")[0].([]any)[0] = "0.5" }), []string{"field", "string"}},
		{"huge number", bytes.Replace(mlpData, []byte(`"m": 3,`), []byte(`"m": 1e999,`), 1), []string{"m"}},
		{"NaN", bytes.Replace(mlpData, []byte(`"m": 3,`), []byte(`"m": NaN,`), 1), []string{"malformed JSON"}},
		{"truncated", mlpData[:len(mlpData)/2], []string{"truncated"}},
		{"trailing data", append(append([]byte{}, mlpData...), "{}"...), []string{"after the model object"}},
		{"empty", nil, []string{"empty"}},
		{"array", []byte("[]"), []string{"JSON array, want a model object"}},
	}
	var _ mut
	for _, tc := range tests {
		_, err := model.Read(bytes.NewReader(tc.data), "t.json")
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "t.json: ") {
			t.Errorf("%s: error %q does not start with the file name", tc.name, msg)
		}
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: error %q does not say %q", tc.name, msg, w)
			}
		}
	}
}

func TestReadOversized(t *testing.T) {
	r := io.MultiReader(strings.NewReader(`{"format": "meshlight-model/1", "x": "`), io.LimitReader(zeros{}, model.MaxFileSize))
	_, err := model.Read(r, "big.json")
	if err == nil || !strings.Contains(err.Error(), "big.json: larger than the 32 MiB limit") {
		t.Fatalf("oversized file: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

func TestWriteRejectsInvalid(t *testing.T) {
	m, _ := randomModel(t, "4-3-2", 1, 2, photonics.Reck, 8)
	m.Layer[1].Phases.Sigma[0][0] = math.NaN()
	var b bytes.Buffer
	err := model.Write(&b, m)
	if err == nil || !strings.Contains(err.Error(), "layer 1: block 0: phases.sigma[0] = NaN") {
		t.Fatalf("Write of a NaN phase: %v", err)
	}
	if _, _, _, err := m.Layers(); err == nil {
		t.Fatal("Layers accepted a NaN phase")
	}
}
