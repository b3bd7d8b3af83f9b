package render

import (
	"errors"
	"fmt"
	"math"

	qrcode "github.com/skip2/go-qrcode"
)

// QRQuiet is the light margin around a QR symbol, in modules: the standard's four, without
// which a phone camera may not find the symbol's finder patterns on a dark page.
const QRQuiet = 4

// QRMinCell is the smallest module side drawn, in pixels: a module of one pixel is read by
// few cameras across a room, and it blurs when the canvas is scaled.
const QRMinCell = 2

// QRCode is a link drawn as a QR code: its modules on a grid of whole pixels, placed in a
// box with its quiet zone. Draw Quiet light, then each dark module (Module) dark.
type QRCode struct {
	Link    string
	Modules [][]bool // rows of modules, true where dark, without the quiet zone
	Cell    float64  // side of one module in pixels, a whole number
	Symbol  Rect     // the modules' square on screen, at whole pixels
	Quiet   Rect     // Symbol with its quiet zone around it
}

// NewQRCode encodes link (at error-correction level M, which survives a glare or a
// smudge on the screen covering up to 15% of the symbol) and places it, quiet zone
// included, centred in box at the largest whole-pixel module that fits. It fails for an
// empty link, one too long for a QR code, or a box too small for QRMinCell-pixel modules.
func NewQRCode(link string, box Rect) (QRCode, error) {
	if link == "" {
		return QRCode{}, errors.New("render: QR code: the link is empty")
	}
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return QRCode{}, fmt.Errorf("render: QR code of a %d-byte link: %w", len(link), err)
	}
	q.DisableBorder = true // the quiet zone is placed here, in pixels
	modules := q.Bitmap()
	n := len(modules)
	side := n + 2*QRQuiet
	cell := math.Floor(math.Min(box.W(), box.H()) / float64(side))
	if cell < QRMinCell {
		return QRCode{}, fmt.Errorf("render: QR code of a %d-byte link needs %d modules a side with its quiet zone, "+
			"at least %d px; the box is %.0f x %.0f px", len(link), side, side*QRMinCell, box.W(), box.H())
	}
	size := cell * float64(side)
	c := box.Center()
	x0, y0 := math.Round(c.X-size/2), math.Round(c.Y-size/2)
	quiet := Rect{x0, y0, x0 + size, y0 + size}
	return QRCode{Link: link, Modules: modules, Cell: cell, Quiet: quiet, Symbol: quiet.Inset(QRQuiet * cell)}, nil
}

// Module is the screen square of the module in row r, column c.
func (q QRCode) Module(r, c int) Rect {
	x, y := q.Symbol.X0+float64(c)*q.Cell, q.Symbol.Y0+float64(r)*q.Cell
	return Rect{x, y, x + q.Cell, y + q.Cell}
}
