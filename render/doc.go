// Package render is the drawing maths of the simulator, in plain functions that need no GPU
// and test natively: a layer's floor plan (tiles of V* mesh, Sigma column and U mesh at
// their photonics.Layout positions), the light of one input on every waveguide, the heater
// colour ramp, chart axes and polylines, the screen regions, and the Scene that the
// simulator fills. Package render/canvas draws a Scene with ebiten in the browser.
package render
