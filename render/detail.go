package render

import (
	"fmt"
	"image/color"
	"math"

	"github.com/meshlight/meshlight/photonics"
)

// Detail is the level of detail at which a view draws a floor plan: the layer view, the
// race's lanes and the network view decide it alike (DetailAt), and draw a tile without its
// devices alike (TileShade), so a block looks the same in each.
type Detail int

const (
	// DetailTiles draws each block as one tile coloured by its mean power and light.
	DetailTiles Detail = iota
	// DetailDevices draws the devices and waveguides of the tiles in view.
	DetailDevices
)

// String names the level of detail.
func (d Detail) String() string {
	if d == DetailDevices {
		return "devices"
	}
	return "tiles"
}

// MinDevicePixels is the smallest width of an MZI, in pixels, at which devices are drawn:
// below it a device is a smudge, and its tile's colour says as much at a fraction of the
// cost. At it a device's heater still shows inside its body in a few pixels of its own
// colour, and the small shipped models' layers, fitted in the page beside the panel, keep
// their devices.
const MinDevicePixels = 4

// mziWidth is the plan width of an MZI's body (see NewPlan).
const mziWidth = 0.84

// DetailAt is the level of detail at scale pixels per plan unit.
func DetailAt(scale float64) Detail {
	if scale*mziWidth >= MinDevicePixels {
		return DetailDevices
	}
	return DetailTiles
}

// TileShade is what a tile shows when its devices are too small to see: the mean heater
// of its active devices, how many are active, and its mean light.
type TileShade struct {
	Power  float64 // mean power share phi/2pi of its active devices (0 when none is)
	Active float64 // share of its devices that are active
	Light  float64 // mean display brightness of the light on its waveguides (Brightness)
}

// ShadeTile is the shade of a tile whose devices have the programmed phases phase and the
// flags active (one of each per device, in the tile's order), lit by fields (the tile's
// Light.Fields, nil when dark) of a layer whose brightest light is brightest (Light.Max).
// The network view's BlockAggregates and the layer view's Plan.Shade both take it from here.
func ShadeTile(phase []float64, active []bool, fields [][]float64, brightest float64) TileShade {
	var s TileShade
	sum, on := 0.0, 0
	for d := 0; d < len(phase) && d < len(active); d++ {
		if active[d] {
			sum += photonics.Wrap(phase[d]) / (2 * math.Pi)
			on++
		}
	}
	if on > 0 {
		s.Power = sum / float64(on)
	}
	if n := max(len(phase), len(active)); n > 0 {
		s.Active = float64(on) / float64(n)
	}
	tot, k := 0.0, 0
	for _, seg := range fields {
		for _, a := range seg {
			tot += Brightness(a, brightest)
			k++
		}
	}
	if k > 0 {
		s.Light = tot / float64(k)
	}
	return s
}

// Colour is the tile's colour: its mean heater on the power ramp, fading to the passive
// colour as fewer of its devices are active.
func (s TileShade) Colour() color.RGBA {
	return Mix(Passive, Heat(s.Power), 0.35+0.65*math.Min(1, 3*s.Active))
}

// LightColour is the colour of the tile's light, drawn as a band through its middle.
func (s TileShade) LightColour() color.RGBA { return Scale(LightColor, s.Light) }

// blockInfo describes block b (row, col of its layer's block grid) of the given number of
// devices, drawn as a tile of shade s, for the hover tooltip: the layer, network and race
// views all say it, so a tile reads the same in each.
func blockInfo(b, row, col, devices int, s TileShade) string {
	return fmt.Sprintf("block %d (row %d, column %d) · %d devices, %.0f %% active · mean active power %.0f %% · light %.0f %%",
		b, row, col, devices, 100*s.Active, 100*s.Power, 100*s.Light)
}
