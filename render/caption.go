package render

import "math"

// CaptionBand is where booth mode's caption goes on a w x h screen: a band across the foot
// of the screen a seventh of its height (at least 72 px, so that the headline's letters are
// a few centimetres tall on a booth's screen and readable from two metres), and code, a
// square at the band's right end for the QR code of the link.
func CaptionBand(w, h float64) (band, code Rect) {
	bh := math.Round(math.Min(h, math.Max(72, h/7)))
	band = Rect{0, h - bh, w, h}
	pad := math.Round(bh / 14)
	side := bh - 2*pad
	code = Rect{w - pad - side, band.Y0 + pad, w - pad, band.Y0 + pad + side}
	return band, code
}

// CaptionSizes are the font sizes of a caption's headline and detail in band, in pixels:
// two lines with room between them.
func CaptionSizes(band Rect) (headline, detail float64) {
	return math.Round(band.H() * 0.34), math.Round(band.H() * 0.21)
}
