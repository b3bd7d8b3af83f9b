package canvas

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/meshlight/meshlight/render"
)

// captionView draws booth mode's caption (render.Caption) over whatever view is shown: a
// band across the foot of the screen with the headline and its detail, and the link's QR
// code at its right end. The band stays on the screen between frames: it is drawn again
// when something was drawn under it in this frame, or on a new screen, or when its link
// changed, and while only its words change (its live numbers) at most chromeRate times a
// second.
type captionView struct {
	*paint
	faces map[faceKey]*text.GoTextFace
	drawn bool // a caption is on the screen: one was drawn in the last frame, or kept

	screen *ebiten.Image  // the screen it was last drawn on, nil: draw it next
	shown  render.Caption // what it showed there
	band   render.Rect    // and where
	at     float64        // when, on the animation clock
	code   struct {
		link  string
		box   render.Rect // where it was made to fit, in the pixels it is drawn in
		qr    render.QRCode
		img   *ebiten.Image // the code with its quiet zone, nil when the link does not fit
		final bool          // drawn on the canvas at its resolution (drawFinal), not on the screen
	}
}

// faceKey names a face of the caption: bold or regular, at a size in pixels.
type faceKey struct {
	bold bool
	size float64
}

// face returns the caption's face (cached: a face per size keeps its glyph cache).
func (cv *captionView) face(bold bool, size float64) *text.GoTextFace {
	k := faceKey{bold, size}
	if f, ok := cv.faces[k]; ok {
		return f
	}
	if cv.faces == nil {
		cv.faces = map[faceKey]*text.GoTextFace{}
	}
	src := regularSource
	if bold {
		src = boldSource
	}
	f := &text.GoTextFace{Source: src, Size: size}
	cv.faces[k] = f
	return f
}

// fitted is the largest face no bigger than size (and no smaller than half of it) in which
// s fits width w.
func (cv *captionView) fitted(s string, bold bool, size, w float64) *text.GoTextFace {
	f := cv.face(bold, size)
	for min := size / 2; textWidth(s, f) > w && f.Size > min; {
		f = cv.face(bold, float64(int(f.Size*0.9)))
	}
	return f
}

// draw paints c over the screen (nothing when it has no headline), unless the band on the
// screen may stay as it is.
func (cv *captionView) draw(screen *ebiten.Image, c render.Caption) {
	cv.drawn = c.Headline != ""
	if !cv.drawn {
		cv.screen = nil
		return
	}
	band, code := render.CaptionBand(float64(cv.w), float64(cv.h))
	changed := c != cv.shown && (c.Link != cv.shown.Link || cv.t-cv.at >= 1.0/chromeRate)
	if screen == cv.screen && band == cv.band && !changed && !cv.damage.Overlaps(band) {
		return
	}
	cv.screen, cv.shown, cv.band, cv.at = screen, c, band, cv.t
	fill(screen, band, captionBackground)
	fill(screen, render.Rect{X0: band.X0, Y0: band.Y0, X1: band.X1, Y1: band.Y0 + max(1, cv.scale)}, render.Accent)
	// The code is made for the canvas's pixels: on a screen drawn at a lower resolution
	// its modules would be too small to read, or blurred by the scaling. It is drawn on the
	// screen at full resolution, else on the canvas after the screen (drawFinal).
	right := band.X1
	k := cv.final
	cv.code.final = false
	if img := cv.qrImage(c.Link, render.R(code.X0*k, code.Y0*k, code.X1*k, code.Y1*k)); img != nil {
		if k == 1 {
			op := &ebiten.DrawImageOptions{}
			op.GeoM.Translate(cv.code.qr.Quiet.X0, cv.code.qr.Quiet.Y0)
			screen.DrawImage(img, op)
		} else {
			cv.code.final = true
		}
		right = cv.code.qr.Quiet.X0 / k
	}
	hl, dt := render.CaptionSizes(band)
	pad := band.H() / 7
	x, w := band.X0+pad, right-band.X0-2*pad
	drawText(screen, c.Headline, cv.fitted(c.Headline, true, hl, w), x, band.Y0+pad*0.8, render.Text, text.AlignStart)
	if c.Detail != "" {
		drawText(screen, c.Detail, cv.fitted(c.Detail, false, dt, w), x, band.Y1-pad*0.8-dt*1.2, render.Accent, text.AlignStart)
	}
}

// drawFinal draws the caption's QR code onto the canvas dst, where geoM put the screen
// (DrawFinalScreen), when the caption made it for the canvas's resolution.
func (cv *captionView) drawFinal(dst imageDrawer, geoM ebiten.GeoM) {
	if !cv.drawn || !cv.code.final || cv.code.img == nil {
		return
	}
	x, y := geoM.Apply(0, 0) // where the screen's corner is on the canvas
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(math.Round(x+cv.code.qr.Quiet.X0), math.Round(y+cv.code.qr.Quiet.Y0))
	dst.DrawImage(cv.code.img, op)
}

// qrImage is the link's QR code in box, made once per link and box: nil when there is no
// link or it does not fit readably (render.NewQRCode's rules).
func (cv *captionView) qrImage(link string, box render.Rect) *ebiten.Image {
	if link == cv.code.link && box == cv.code.box {
		return cv.code.img
	}
	if cv.code.img != nil {
		cv.code.img.Deallocate()
	}
	cv.code.link, cv.code.box, cv.code.img = link, box, nil
	if link == "" {
		return nil
	}
	q, err := render.NewQRCode(link, box)
	if err != nil {
		return nil // a screen too small for a readable code shows the caption alone
	}
	side := int(q.Quiet.W())
	img := ebiten.NewImage(side, side)
	img.Fill(color.White)
	off := render.Pt(q.Quiet.X0, q.Quiet.Y0)
	for r, row := range q.Modules {
		for c, dark := range row {
			if dark {
				m := q.Module(r, c)
				fill(img, render.Rect{X0: m.X0 - off.X, Y0: m.Y0 - off.Y, X1: m.X1 - off.X, Y1: m.Y1 - off.Y}, color.Black)
			}
		}
	}
	cv.code.qr, cv.code.img = q, img
	return img
}

// captionBackground is the caption band's colour: the canvas's, a shade lighter, opaque so
// that the text reads over the brightest light.
var captionBackground = color.RGBA{0x10, 0x15, 0x1d, 0xff}

// fill paints r of dst with c, whole pixels.
func fill(dst *ebiten.Image, r render.Rect, c color.Color) {
	rect := image.Rect(int(r.X0), int(r.Y0), int(r.X1), int(r.Y1)).Intersect(dst.Bounds())
	if rect.Empty() {
		return
	}
	dst.SubImage(rect).(*ebiten.Image).Fill(c)
}
