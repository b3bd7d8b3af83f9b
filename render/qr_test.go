package render

import (
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// paintQR draws q as the page does, on a dark page of w x h pixels: the quiet zone light,
// the dark modules dark.
func paintQR(q QRCode, w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	fill := func(r Rect, v uint8) {
		for y := int(r.Y0); y < int(r.Y1); y++ {
			for x := int(r.X0); x < int(r.X1); x++ {
				img.SetGray(x, y, color.Gray{v})
			}
		}
	}
	fill(Rect{0, 0, float64(w), float64(h)}, 16)
	fill(q.Quiet, 255)
	for r, row := range q.Modules {
		for c, dark := range row {
			if dark {
				fill(q.Module(r, c), 0)
			}
		}
	}
	return img
}

// decodeQR reads img with ZXing's decoder (gozxing): an independent reader of the symbol.
func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the drawn QR code does not decode: %v", err)
	}
	return res.GetText()
}

// A link drawn in a box decodes, through another library's reader, to the same link: the
// booth's address with its settings, a long address, and boxes at fractional positions.
func TestQRCodeDecodesToItsLink(t *testing.T) {
	booth := "https://meshlight.github.io/meshlight/?model=mnist8-mlp&optimizer=szo-scd&chip=paper&seed=7&view=network&booth=1"
	for _, tc := range []struct {
		name string
		link string
		box  Rect
	}{
		{"booth corner", booth, R(1700.5, 860.25, 1910, 1070)},
		{"phone-sized", booth, R(0, 0, 160, 160)},
		{"wide box", booth, R(10, 10, 600, 200)},
		{"long link", "https://example.org/meshlight/?" + strings.Repeat("race=szo-scd,flops,zadam&", 20), R(0, 0, 400, 400)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := NewQRCode(tc.link, tc.box)
			if err != nil {
				t.Fatal(err)
			}
			n := float64(len(q.Modules))
			for _, v := range []float64{q.Cell, q.Symbol.X0, q.Symbol.Y0, q.Quiet.X0, q.Quiet.Y0} {
				if v != math.Trunc(v) {
					t.Errorf("not at whole pixels: cell %v, symbol %+v", q.Cell, q.Symbol)
				}
			}
			if q.Cell < QRMinCell || q.Symbol.W() != n*q.Cell || q.Quiet.W() != (n+2*QRQuiet)*q.Cell {
				t.Errorf("%v modules of %v px: symbol %+v, quiet %+v", n, q.Cell, q.Symbol, q.Quiet)
			}
			if q.Quiet.X0 < tc.box.X0-0.5 || q.Quiet.Y0 < tc.box.Y0-0.5 || q.Quiet.X1 > tc.box.X1+0.5 || q.Quiet.Y1 > tc.box.Y1+0.5 {
				t.Errorf("quiet zone %+v leaves the box %+v", q.Quiet, tc.box)
			}
			if bigger := math.Floor(math.Min(tc.box.W(), tc.box.H()) / (n + 2*QRQuiet)); bigger != q.Cell {
				t.Errorf("module of %v px, %v would fit", q.Cell, bigger)
			}
			if got := decodeQR(t, paintQR(q, int(tc.box.X1)+20, int(tc.box.Y1)+20)); got != tc.link {
				t.Errorf("decodes to %q, want %q", got, tc.link)
			}
		})
	}
}

// What cannot be drawn readably is refused with a reason, never drawn wrong.
func TestQRCodeRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, link string
		box        Rect
		want       string
	}{
		{"empty link", "", R(0, 0, 200, 200), "the link is empty"},
		{"too long for any QR code", strings.Repeat("x", 3000), R(0, 0, 2000, 2000), "3000-byte link"},
		{"box too small", "https://example.org/", R(0, 0, 40, 40), "the box is 40 x 40 px"},
		{"empty box", "https://example.org/", Rect{}, "the box is 0 x 0 px"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewQRCode(tc.link, tc.box)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// The caption's band lies across the foot of the screen with its code square inside it,
// and its headline is large on a booth's screen: at 1080p the letters are about 50 px.
func TestCaptionBand(t *testing.T) {
	for _, sz := range [][2]float64{{1920, 1080}, {960, 640}, {390, 490}, {300, 60}} {
		band, code := CaptionBand(sz[0], sz[1])
		if band.X0 != 0 || band.X1 != sz[0] || band.Y1 != sz[1] || band.Y0 < 0 || band.H() < math.Min(72, sz[1]) {
			t.Errorf("%v: band %+v", sz, band)
		}
		if code.W() != code.H() || code.X0 < band.X0 || code.X1 > band.X1 || code.Y0 < band.Y0 || code.Y1 > band.Y1 {
			t.Errorf("%v: code %+v outside band %+v or not square", sz, code, band)
		}
		hl, dt := CaptionSizes(band)
		if hl+dt > band.H() || dt < 0.5*hl {
			t.Errorf("%v: headline %v and detail %v px in a band of %v", sz, hl, dt, band.H())
		}
	}
	band, _ := CaptionBand(1920, 1080)
	if hl, _ := CaptionSizes(band); hl < 48 {
		t.Errorf("headline %v px at 1080p: want at least 48", hl)
	}
}
