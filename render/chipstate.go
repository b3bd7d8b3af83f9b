package render

import (
	"math"
	"slices"

	"github.com/meshlight/meshlight/photonics"
)

// ChipState is the deployed chip as drawing sees it: plain values copied out of the engine
// (which may run in another thread, a Web Worker), never a pointer into it. Its structure
// (layer shapes and floor layout) is fixed for a deployment, named by ID; its device state
// covers one layer, the one shown.
type ChipState struct {
	// ID names the deployment: it changes when a new chip or run is deployed, so drawing
	// re-plans the floor only then.
	ID     uint64
	Layers []*photonics.SVDLayer // the layers' shapes (no phases)
	Layout *photonics.Layout     // photonics.NewLayout(Layers), the chip's floor plan

	// The device state of layer Layer: its devices are the global indices Offset ..
	// Offset+len(DevPhase)-1 (Layout.LayerOffset).
	Layer                  int
	Offset                 int
	DevPhase, DevEffective []float64 // programmed phase and the phase light sees (drift, crosstalk)
	DevActive              []bool    // driven by a heater
	// Active is how many of the layer's devices are active. Shades are its tiles' shades,
	// one per block (LayerShades), which stand in for the device state when a copy holds
	// none (a page that draws the layer's tiles, not its devices, is sent only these).
	Active int
	Shades []TileShade
}

// NewChipState returns the structure of a chip of layers, with no device state yet.
func NewChipState(id uint64, layers []*photonics.SVDLayer) *ChipState {
	return &ChipState{ID: id, Layers: layers, Layout: photonics.NewLayout(layers)}
}

// local returns the index into the device slices of global device i, or -1.
func (c *ChipState) local(i int) int {
	if c == nil {
		return -1
	}
	k := i - c.Offset
	if k < 0 || k >= len(c.DevPhase) {
		return -1
	}
	return k
}

// Phase is the programmed phase of global device i (NaN outside the layer held).
func (c *ChipState) Phase(i int) float64 {
	if k := c.local(i); k >= 0 {
		return c.DevPhase[k]
	}
	return math.NaN()
}

// Effective is the phase light sees at global device i (NaN outside the layer held).
func (c *ChipState) Effective(i int) float64 {
	if k := c.local(i); k >= 0 && k < len(c.DevEffective) {
		return c.DevEffective[k]
	}
	return math.NaN()
}

// IsActive reports whether global device i is driven by a heater (false outside the layer
// held).
func (c *ChipState) IsActive(i int) bool {
	k := c.local(i)
	return k >= 0 && k < len(c.DevActive) && c.DevActive[k]
}

// DeviceInfo describes device d of a plan of the layer held, for the hover tooltip: where
// it is, its phase, its power and whether it is active (as the network view's
// Network.DeviceInfo does); "" when d is not in the layer held.
func (c *ChipState) DeviceInfo(d Device) string {
	if c.local(d.Global) < 0 {
		return ""
	}
	return deviceInfo(d.Site, c.Phase(d.Global), c.Effective(d.Global), c.IsActive(d.Global))
}

// Fill copies layer li's device state out of chip (reusing c's storage): the engine calls
// it; drawing only reads the copy.
func (c *ChipState) Fill(chip *photonics.Chip, li int) {
	off := chip.Layout().LayerOffset(li)
	n := chip.Layers()[li].NumPhases()
	c.Layer, c.Offset = li, off
	c.DevPhase = slices.Grow(c.DevPhase[:0], n)[:n]
	c.DevEffective = slices.Grow(c.DevEffective[:0], n)[:n]
	c.DevActive = slices.Grow(c.DevActive[:0], n)[:n]
	c.Active = 0
	for k := range n {
		c.DevPhase[k], c.DevEffective[k], c.DevActive[k] = chip.Phase(off+k), chip.Effective(off+k), chip.IsActive(off+k)
		if c.DevActive[k] {
			c.Active++
		}
	}
}

// LayerShades returns the shades of layer l's tiles (ShadeTile, one per block, in block
// order) from its devices' phases and activity (l.NumPhases() each, the layer's order:
// block by block) and its light (nil: dark), reusing dst's storage.
func LayerShades(dst []TileShade, l *photonics.SVDLayer, phase []float64, active []bool, light *Light) []TileShade {
	nb := l.NumBlocks()
	dst = slices.Grow(dst[:0], nb)[:nb]
	per := l.NumPhases() / max(nb, 1)
	for b := range nb {
		d0, d1 := min(b*per, len(phase), len(active)), min((b+1)*per, len(phase), len(active))
		var fields [][]float64
		var brightest float64
		if light != nil && b < len(light.Fields) {
			fields, brightest = light.Fields[b], light.Max
		}
		dst[b] = ShadeTile(phase[d0:d1], active[d0:d1], fields, brightest)
	}
	return dst
}
