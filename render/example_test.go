package render_test

import (
	"fmt"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
)

// NewPlan lays out one layer of a chip as the layer view draws it: a tile per SVD block
// (V* mesh, Sigma column, U mesh, in the direction of light), wrapped into rows to suit
// the view's shape. Fit maps the plan onto the screen; Shown says what to draw there
// (fitted, a tile per block; zoomed in, the devices in view) and At what is under the
// cursor.
func ExampleNewPlan() {
	// The first layer of the MNIST 28x28 MLP (784-32-32-10) in 8x8 blocks: 32 outputs,
	// 784 inputs, 4 x 98 blocks.
	layer, err := photonics.NewSVDLayer(32, 784, 8, photonics.DefaultBound, photonics.Reck)
	if err != nil {
		panic(err)
	}
	layers := []*photonics.SVDLayer{layer}
	screen := render.R(0, 0, 960, 600)
	plan, err := render.NewPlan(photonics.NewLayout(layers), layers, 0, screen.W()/screen.H())
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d tiles, %d per row, %d devices, plan %.1f x %.1f units\n",
		len(plan.Tiles), plan.TilesPerRow, len(plan.Devices), plan.Bounds.W(), plan.Bounds.H())

	fit := render.Fit(plan.Bounds, screen, 8)
	detail, tiles, devices := plan.Shown(fit, screen, nil, nil)
	fmt.Printf("fitted at %.1f px per unit: %s, %d tiles and %d devices to draw\n", fit.Scale, detail, len(tiles), len(devices))

	// Zoomed in 16 times at the first device's heater: the devices around it.
	heater := fit.Apply(plan.Devices[0].Heater)
	zoom := fit.ZoomAt(heater, 16)
	detail, tiles, devices = plan.Shown(zoom, screen, tiles[:0], devices[:0])
	fmt.Printf("zoomed 16x: %s, %d tiles and %d devices to draw\n", detail, len(tiles), len(devices))

	tile, device := plan.At(zoom.Invert(heater))
	d := plan.Devices[device]
	fmt.Printf("under the cursor: tile %d (block row %d, column %d), phase %d, the %v mesh's device %d\n",
		tile, plan.Tiles[tile].BlockRow, plan.Tiles[tile].BlockCol, d.Global, d.Site.Part, d.Site.Index)
	// Output:
	// 392 tiles, 13 per row, 25088 devices, plan 478.4 x 308.0 units
	// fitted at 1.9 px per unit: tiles, 392 tiles and 0 devices to draw
	// zoomed 16x: devices, 6 tiles and 126 devices to draw
	// under the cursor: tile 0 (block row 0, column 0), phase 0, the U mesh's device 0
}
