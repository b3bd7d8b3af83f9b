package render

import (
	"image/color"
	"math"

	"github.com/meshlight/meshlight/photonics"
)

// heatStops is the heater colour ramp, from a cold heater (phase 0, no power) to a fully
// driven one (phase near 2pi): dark violet, magenta, red, orange, pale yellow. Its lightness
// rises monotonically, so it reads correctly in grey scale and for colour-blind viewers
// (stops after matplotlib's "inferno").
var heatStops = []color.RGBA{
	{0x2a, 0x0b, 0x52, 0xff},
	{0x42, 0x0a, 0x68, 0xff},
	{0x6a, 0x17, 0x6e, 0xff},
	{0x93, 0x26, 0x67, 0xff},
	{0xbc, 0x37, 0x54, 0xff},
	{0xdd, 0x51, 0x3a, 0xff},
	{0xf3, 0x78, 0x19, 0xff},
	{0xfc, 0xa5, 0x0a, 0xff},
	{0xf6, 0xd7, 0x46, 0xff},
	{0xfc, 0xff, 0xa4, 0xff},
}

// Colours of the picture.
var (
	// Background is the colour of the canvas.
	Background = color.RGBA{0x07, 0x09, 0x0d, 0xff}
	// Passive is the body of a passive device: a fixed phase that draws no power.
	Passive = color.RGBA{0x3b, 0x47, 0x58, 0xff}
	// DeviceBody is the body of an active MZI, under its heater.
	DeviceBody = color.RGBA{0x1c, 0x25, 0x33, 0xff}
	// Waveguide is an unlit waveguide.
	Waveguide = color.RGBA{0x1d, 0x2a, 0x38, 0xff}
	// LightColor is the colour of light at full brightness.
	LightColor = color.RGBA{0x5e, 0xe7, 0xff, 0xff}
	// Text is the colour of labels; TextDim of secondary labels.
	Text    = color.RGBA{0xd8, 0xe1, 0xec, 0xff}
	TextDim = color.RGBA{0x87, 0x96, 0xa8, 0xff}
	// Grid is the colour of chart grid lines and frames.
	Grid = color.RGBA{0x24, 0x30, 0x41, 0xff}
	// Accent marks the current run, AccentPower its power curve.
	Accent      = color.RGBA{0x5e, 0xe7, 0xff, 0xff}
	AccentPower = color.RGBA{0xff, 0xb3, 0x47, 0xff}
	// Good and Bad mark a right and a wrong prediction.
	Good = color.RGBA{0x5e, 0xe7, 0x9a, 0xff}
	Bad  = color.RGBA{0xff, 0x5d, 0x6c, 0xff}
)

// Heat returns the ramp colour of t in [0, 1] (clamped; NaN gives the cold end).
func Heat(t float64) color.RGBA {
	if math.IsNaN(t) || t <= 0 {
		return heatStops[0]
	}
	if t >= 1 {
		return heatStops[len(heatStops)-1]
	}
	x := t * float64(len(heatStops)-1)
	i := int(x)
	return Mix(heatStops[i], heatStops[i+1], x-float64(i))
}

// PhaseHeat is the heater colour of a programmed phase: its power share phi / 2pi on the
// Heat ramp (phases are wrapped first).
func PhaseHeat(phi float64) color.RGBA {
	return Heat(photonics.Wrap(phi) / (2 * math.Pi))
}

// Mix interpolates linearly from a (t = 0) to b (t = 1), t clamped to [0, 1].
func Mix(a, b color.RGBA, t float64) color.RGBA {
	t = math.Min(math.Max(t, 0), 1)
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), f(a.A, b.A)}
}

// Scale multiplies every channel (alpha included) by k in [0, 1]: a premultiplied colour
// at k of its strength.
func Scale(c color.RGBA, k float64) color.RGBA {
	k = math.Min(math.Max(k, 0), 1)
	f := func(x uint8) uint8 { return uint8(math.Round(float64(x) * k)) }
	return color.RGBA{f(c.R), f(c.G), f(c.B), f(c.A)}
}

// Luminance is the relative luminance of c (Rec. 709 weights on linearised sRGB), in [0, 1].
func Luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// LightAt is the colour of a waveguide carrying light of brightness b in [0, 1]: the unlit
// waveguide colour blended towards LightColor.
func LightAt(b float64) color.RGBA {
	return Mix(Waveguide, LightColor, b)
}

// HaloStrength is the opacity, in [0, 1], of the crosstalk halo drawn around an active heater
// programmed to phi: proportional to the heat it leaks into its neighbours (crosstalk * phi),
// scaled so that the default crosstalk of 2e-3 at phi = 2pi gives a clearly visible 0.6, and
// zero for a passive device or when crosstalk is off.
func HaloStrength(phi, crosstalk float64, active bool) float64 {
	if !active || !(crosstalk > 0) || math.IsNaN(phi) {
		return 0
	}
	const ref = 2e-3 * 2 * math.Pi // default crosstalk at full phase
	return math.Min(0.6*crosstalk*photonics.Wrap(phi)/ref, 1)
}
