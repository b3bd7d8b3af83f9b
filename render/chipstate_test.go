package render

import (
	"math"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/photonics"
)

// A ChipState holds a copy of one layer's devices: reads by global index match the chip's
// inside the layer, and are NaN or false outside it; the copy does not follow the chip.
func TestChipStateCopiesOneLayer(t *testing.T) {
	var layers []*photonics.SVDLayer
	var phases, signs [][]float64
	for _, shape := range [][2]int{{4, 6}, {3, 4}} {
		l, err := photonics.NewSVDLayer(shape[0], shape[1], 0, 0, photonics.Reck)
		if err != nil {
			t.Fatal(err)
		}
		p := make([]float64, l.NumPhases())
		for i := range p {
			p[i] = 0.1 * float64(i+1)
		}
		s := make([]float64, l.NumSigns())
		for i := range s {
			s[i] = 1
		}
		layers, phases, signs = append(layers, l), append(phases, p), append(signs, s)
	}
	chip, err := photonics.Deploy(layers, phases, signs, photonics.ChipConfig{Alpha: 0.5, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise()}, Truncate: photonics.DefaultTruncate, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := NewChipState(7, chip.Layers())
	c.Fill(chip, 1)
	off := chip.Layout().LayerOffset(1)
	if c.ID != 7 || c.Offset != off || len(c.DevPhase) != layers[1].NumPhases() {
		t.Fatalf("id %d offset %d (want %d) devices %d", c.ID, c.Offset, off, len(c.DevPhase))
	}
	for i := off; i < chip.NumPhases(); i++ {
		if c.Phase(i) != chip.Phase(i) || c.Effective(i) != chip.Effective(i) || c.IsActive(i) != chip.IsActive(i) {
			t.Errorf("device %d: %g %g %v, want %g %g %v", i, c.Phase(i), c.Effective(i), c.IsActive(i), chip.Phase(i), chip.Effective(i), chip.IsActive(i))
		}
	}
	for _, i := range []int{-1, off - 1, chip.NumPhases()} {
		if !math.IsNaN(c.Phase(i)) || !math.IsNaN(c.Effective(i)) || c.IsActive(i) {
			t.Errorf("device %d outside the layer: %g %g %v", i, c.Phase(i), c.Effective(i), c.IsActive(i))
		}
	}
	dev := chip.Active()[len(chip.Active())-1] // an active device of the last layer
	was := c.Phase(dev)
	if err := chip.SetPhase(dev, was+0.5); err != nil {
		t.Fatal(err)
	}
	if c.Phase(dev) != was {
		t.Error("the copy follows the chip")
	}
	var none *ChipState
	if !math.IsNaN(none.Phase(0)) || none.IsActive(0) {
		t.Error("a nil ChipState has devices")
	}
}

// The layer view's tooltip describes a device of its plan as the network view describes the
// same device (without naming the layer), and nothing for a device outside the layer held.
func TestChipStateDeviceInfo(t *testing.T) {
	n := testNetwork(t, photonics.Reck, [3]int{4, 8, 4}, [3]int{3, 4, 0})
	layers := make([]*photonics.SVDLayer, len(n.Layers))
	for i, l := range n.Layers {
		var err error
		if layers[i], err = photonics.NewSVDLayer(l.Out, l.In, l.Block, 0, photonics.Reck); err != nil {
			t.Fatal(err)
		}
	}
	c := NewChipState(1, layers)
	l := &n.Layers[0]
	l.Effective = make([]float64, len(l.Phase))
	for d := range l.Effective {
		l.Effective[d] = l.Phase[d] + 0.01
	}
	c.Layer, c.Offset, c.DevPhase, c.DevEffective, c.DevActive = 0, l.Offset, l.Phase, l.Effective, l.Active
	p, err := NewPlan(c.Layout, layers, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]bool{}
	for k, d := range p.Devices {
		got, want := c.DeviceInfo(d), strings.TrimPrefix(n.DeviceInfo(0, k), "layer 1 · ")
		if got != want || got == "" {
			t.Fatalf("device %d: %q, the network view says %q", k, got, want)
		}
		parts[strings.Fields(strings.SplitN(got, " · ", 3)[1])[0]] = true
	}
	if len(parts) != 3 {
		t.Errorf("parts described: %v, want V*, Sigma and U", parts)
	}
	other, err := NewPlan(c.Layout, layers, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s := c.DeviceInfo(other.Devices[0]); s != "" {
		t.Errorf("a device of another layer: %q", s)
	}
}
