package model_test

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/model"
)

// FuzzRead: Read never panics; what it accepts names no error, writes and reads back
// equal, and runs as a network with finite logits. Seeds: testdata/fuzz/FuzzRead (small
// valid and broken files) and the small models below, one of them gzipped.
func FuzzRead(f *testing.F) {
	for i, arch := range []string{"3-2", "4x4-c2s2-2", "2-3-2"} {
		m, _ := randomModel(f, arch, 1, 2, photonics.Topology(i%2), uint64(i+20))
		f.Add(encode(f, m))
		if i == 0 {
			f.Add(gzipped(f, encode(f, m))) // a .json.gz
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := model.Read(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json: ") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		var b bytes.Buffer
		if err := model.Write(&b, m); err != nil {
			t.Fatalf("Write of a model Read accepted: %v", err)
		}
		back, err := model.Read(&b, "again.json")
		if err != nil {
			t.Fatalf("Read of a written model: %v", err)
		}
		if !reflect.DeepEqual(back, m) {
			t.Fatal("write/read round trip changed the model")
		}
		net, err := m.IdealNet()
		if err != nil {
			t.Fatalf("IdealNet of a valid model: %v", err)
		}
		x := make([]float32, m.Input.Size())
		for i := range x {
			x[i] = 1
		}
		z, err := net.Logits(x)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range z {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("logit %v", v)
			}
		}
	})
}
