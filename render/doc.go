// Package render draws a chip, the light travelling through it, its heaters and
// the live learning curves with ebiten. Layout, colour and chart maths live in
// plain functions that need no GPU.
package render
