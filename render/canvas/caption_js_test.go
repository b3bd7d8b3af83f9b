package canvas

import (
	"image"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/meshlight/meshlight/render"
)

// Booth mode's caption is drawn over the view in a band across the foot of the screen and
// nowhere else, and its link's QR code, read off the drawn screen by ZXing's decoder
// (gozxing), gives the link back. Taken away, the view is as it was.
func TestDrawCaptionAndItsCode(t *testing.T) {
	const w, h = 1920, 1080
	link := "https://meshlight.example/meshlight/?model=mnist8-mlp&chip=paper&seed=7&view=network"
	sc := testScene(t)
	d := drive(t, sc, w, h)
	in := input{cursor: render.Pt(2, 2)}
	d.frame(in)
	plain := d.frame(in)
	sc.Caption = render.Caption{Headline: "A chip from the fab: drift cost it 96.6 % -> 90.7 %", Detail: "SZO-SCD tunes 15 % of the heaters, asking the chip only for its loss", Link: link}
	with := d.frame(in)
	band, _ := render.CaptionBand(w, h)
	outside, inside := 0, 0
	for y := range h {
		for x := range w {
			p := render.Pt(float64(x), float64(y))
			if at(plain, w, p) == at(with, w, p) {
				continue
			}
			if band.Contains(p) {
				inside++
			} else {
				outside++
			}
		}
	}
	if outside != 0 || inside < int(band.W()*band.H()/4) {
		t.Errorf("the caption changed %d pixels in its band and %d outside it", inside, outside)
	}
	img := &image.RGBA{Pix: with, Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img.SubImage(image.Rect(int(band.X0), int(band.Y0), int(band.X1), int(band.Y1))))
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR code read off the screen: %v", err)
	}
	if res.GetText() != link {
		t.Errorf("the code reads %q, want %q", res.GetText(), link)
	}
	sc.Caption = render.Caption{}
	if after := d.frame(in); string(after) != string(plain) {
		t.Error("the view does not come back whole once the caption is gone")
	}
}

// On a screen drawn at half the canvas's resolution (a dynamic resolution while frames are
// slow) the caption's QR code would not fit readably: it is drawn on the canvas after the
// screen is scaled up to it, at the canvas's resolution, and reads back the link there.
func TestCaptionCodeAtTheCanvasResolution(t *testing.T) {
	const w, h, k = 960, 540, 2 // the screen's pixels, and the canvas's per screen pixel
	link := "https://meshlight.example/meshlight/?model=mnist8-mlp&chip=paper&seed=7&view=network"
	sc := testScene(t)
	sc.Caption = render.Caption{Headline: "A chip from the fab: drift cost it 96.6 % -> 90.7 %", Detail: "SZO-SCD tunes 15 % of the heaters", Link: link}
	d := drive(t, sc, w, h)
	d.g.scale, d.g.final = 1.0/k, k
	d.frame(input{})
	band, code := render.CaptionBand(w, h)
	if _, err := render.NewQRCode(link, code); err == nil {
		t.Fatalf("the link's code fits the screen's band %v: no test of the canvas's", code)
	}
	canvas := ebiten.NewImage(k*w, k*h)
	var geoM ebiten.GeoM
	geoM.Scale(k, k)
	d.g.drawFinal(canvas, d.screen, geoM)
	img := &image.RGBA{Pix: pixels(canvas), Stride: 4 * k * w, Rect: image.Rect(0, 0, k*w, k*h)}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img.SubImage(image.Rect(int(k*band.X0), int(k*band.Y0), int(k*band.X1), int(k*band.Y1))))
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR code read off the canvas: %v", err)
	}
	if res.GetText() != link {
		t.Errorf("the code reads %q, want %q", res.GetText(), link)
	}
	// The rest of the canvas is the screen scaled up: its background in a corner.
	if c := at(img.Pix, k*w, render.Pt(1, 1)); !close(c, render.Background, 2) {
		t.Errorf("the canvas's corner is %v, want the background %v", c, render.Background)
	}
}
