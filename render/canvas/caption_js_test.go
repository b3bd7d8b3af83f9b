package canvas

import (
	"image"
	"testing"

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
