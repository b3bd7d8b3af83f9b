// Package canvas draws the simulator with ebiten in the browser (GOOS=js): the mesh of the
// shown layer with its light and heaters, the learning curves, the current sample and its
// class scores. It draws what a render.Scene holds, with the layout, colour and chart maths
// of package render; its tests run in a real browser (make test-render).
package canvas
