package wire

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/render"
)

// full is a snapshot with every field set (float32-exact values where the format sends
// float32), so that a round trip shows any field the encoder or decoder forgets.
func full() *Snapshot {
	run := func(label string) render.Run {
		return render.Run{Label: label, Queries: []float64{100, 500}, Accuracy: []float64{88.5, 90.25},
			Power: []float64{12.5, 11}, Valid: []float64{87, 91.5}, Kept: 2}
	}
	st := Stats{}
	v := reflect.ValueOf(&st).Elem()
	for i := range v.NumField() { // every stats field distinct from its zero value
		switch f := v.Field(i); f.Kind() {
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(i + 1))
		case reflect.Float64:
			f.SetFloat(float64(i) + 0.5)
		case reflect.String:
			f.SetString(v.Type().Field(i).Name + " ✓")
		}
	}
	light := Light{Max: 1.5, Fields: []float64{0.25, -0.5, 1.5}}
	return &Snapshot{
		Seq:      7,
		Stats:    st,
		Settings: Settings{Query: "seed=2&race=szo-scd%2Cflops", Params: []Param{{"booth", "1", true}, {"seed", "2", false}}},
		Options:  map[string][]Option{"model": {{"mnist8-mlp", "MNIST", ""}}, "optimizer": {{"szo-scd", "SZO-SCD", "the method"}, {"flops", "FLOPS", "a baseline"}}},
		Race:     []Racer{{"szo-scd", "seed=2"}, {"flops", "optimizer=flops&seed=2"}},
		Scene: Scene{Title: "t", Status: "s", Note: "n", LoadingText: "l", View: "network", Ready: true, Layer: 1,
			Crosstalk: 2e-3, Version: 9, Sample: render.Sample{Shape: [3]int{1, 2, 2}, X: []float32{0.5, 1, 0, 0.25}, Label: 3},
			Scores: []float64{0.1, 0.9}, ClassNames: []string{"a", "b"},
			Readouts:   render.Readouts{Deployed: 88, Accuracy: 90, Best: 91, Queries: 500, Power: 11, FullPower: 20, Energy: 5000},
			LayerInput: []float64{0.5, -0.25}},
		Chip: &Chip{Run: 3, Structure: []Layer{{Out: 4, In: 2, Block: 2, Bound: 2.5, Topology: 1, Conv: true}}, Layer: 1, Offset: 12,
			Count: 1, Devices: true, Phase: []float64{1.5, 3}, Effective: []float64{1.25, 3.5}, Active: []bool{true, false},
			ShadePower: []float64{0.5}, ShadeActive: []float64{0.25}, ShadeLight: []float64{0.75}},
		Light:   &Light{Max: 2, Fields: []float64{0.5, 1, 2}},
		Curve:   Curve{ID: 3, From: 1, Points: run("current")},
		History: &History{Version: 4, Runs: []render.Run{run("earlier")}},
		Network: &Network{Version: 5, Devices: true, Layers: []NetLayer{{Input: []float64{0.5}, Output: []float64{0.25},
			Active: []bool{true}, Phase: []float64{1}, Effective: []float64{1.5}, Light: light,
			BlockPower: []float64{0.5}, BlockActive: []float64{1}, BlockLight: []float64{0.75}}}},
	}
}

// zeroFields lists the fields under v that hold their zero value (an empty slice or map
// counts as zero), by path.
func zeroFields(v reflect.Value, path string) []string {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return []string{path}
		}
		return zeroFields(v.Elem(), path)
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			out = append(out, zeroFields(v.Field(i), path+"."+v.Type().Field(i).Name)...)
		}
		return out
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			return []string{path}
		}
		if v.Kind() == reflect.Slice {
			return zeroFields(v.Index(0), path+"[0]")
		}
		return nil
	case reflect.Array:
		return zeroFields(v.Index(0), path+"[0]")
	}
	if v.IsZero() {
		return []string{path}
	}
	return nil
}

func TestFullSetsEveryField(t *testing.T) {
	if z := zeroFields(reflect.ValueOf(full()), "Snapshot"); len(z) > 0 {
		t.Errorf("the round-trip snapshot leaves fields zero, so a round trip cannot check them: %v", z)
	}
}

// withDevices is s as sent to a page that draws devices: no tile shades.
func withDevices(s *Snapshot) *Snapshot {
	s.Chip.ShadePower, s.Chip.ShadeActive, s.Chip.ShadeLight = nil, nil, nil
	return s
}

func TestRoundTrip(t *testing.T) {
	none := full()
	none.Chip, none.Light, none.History, none.Network, none.Options, none.Race = nil, nil, nil, nil, nil, nil
	none.Curve = Curve{}
	noDevices := full()
	noDevices.Chip.Devices, noDevices.Chip.Phase, noDevices.Chip.Effective, noDevices.Chip.Active = false, nil, nil, nil
	noDevices.Light = nil
	noDevices.Chip.Structure = nil // the page holds it
	noDevices.Network.Devices = false
	for i := range noDevices.Network.Layers {
		l := &noDevices.Network.Layers[i]
		l.Phase, l.Effective, l.Light = nil, nil, Light{}
	}
	for _, tc := range []struct {
		name string
		s    *Snapshot
	}{{"every field", withDevices(full())}, {"before a deployment", none}, {"devices not drawn", noDevices}} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.s.Append([]byte("prefix"))[len("prefix"):]
			got, err := Decode(b)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, tc.s) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, tc.s)
			}
			if again := got.Append(nil); string(again) != string(b) {
				t.Errorf("encoding the decoded snapshot gives other bytes")
			}
		})
	}
}

// countPastEnd is a snapshot whose settings' query claims more bytes than follow.
func countPastEnd() []byte {
	w := &writer{b: []byte(magic)}
	w.u16(Version)
	w.u64(1)
	(&Stats{}).append(w)
	w.u32(0xffffff)
	return w.b
}

func TestDecodeRefuses(t *testing.T) {
	good := withDevices(full()).Append(nil)
	nan := withDevices(full())
	nan.Light.Max = math.NaN()
	kept := withDevices(full())
	kept.History.Runs[0].Kept = 3
	uneven := withDevices(full())
	uneven.Curve.Points.Valid = uneven.Curve.Points.Valid[:1]
	for _, tc := range []struct {
		name, want string
		b          []byte
	}{
		{"empty", "no MLSN header", nil},
		{"another format", fmt.Sprintf("format version 4, this page reads %d", Version), append([]byte("MLSN\x04\x00"), good[6:]...)},
		{"truncated", "left", good[:len(good)-1]},
		{"trailing bytes", "bytes after the end: 1", append(append([]byte(nil), good...), 0)},
		{"a count past the end", fmt.Sprintf("settings (byte %d): a count of 16777215 elements of 1 bytes, 0 bytes left", len(countPastEnd())), countPastEnd()},
		{"NaN light", "light maximum NaN", nan.Append(nil)},
		{"kept past the run", `run "earlier": kept point 3 of 2`, kept.Append(nil)},
		{"uneven curve", "2 queries, 2 accuracies, 2 powers, 1 validation", uneven.Append(nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Decode(tc.b)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Decode = %v, %v; want an error with %q", s, err, tc.want)
			}
		})
	}
}

// FuzzDecode feeds the decoder arbitrary bytes: it must refuse them with an error, never
// panic or allocate past their size, and what it accepts must encode back to the same bytes.
func FuzzDecode(f *testing.F) {
	f.Add(withDevices(full()).Append(nil))
	f.Add((&Snapshot{}).Append(nil))
	f.Add([]byte("MLSN\x05\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Decode(b)
		if err != nil {
			return
		}
		if again := s.Append(nil); string(again) != string(b) {
			t.Fatalf("decoded and encoded again: %d bytes, were %d", len(again), len(b))
		}
	})
}
