package canvas

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/meshlight/meshlight/render"
)

// Readouts whose figures change every frame (queries, accuracy, energy) must not add a
// string to ebiten's text cache per value. ebiten shapes and caches each distinct string it
// draws or measures, about 12 KB a string, and drops only those unused for 60 frames: in
// the page, up to 512 strings a font filled and emptied over and over, 4-7 MB of Go's
// live heap. Drawn and measured in pieces (render.TextPieces), the cache holds digits and
// fixed words, however many values pass.
func TestChangingFiguresKeepTheTextCacheSmall(t *testing.T) {
	f, err := newFonts(1)
	if err != nil {
		t.Fatal(err)
	}
	const w, h = 240, 40
	img := ebiten.NewImage(w, h)
	defer img.Deallocate()
	px := make([]byte, 4*w*h)
	readout := func(i int) string {
		return fmt.Sprintf("%s queries · %.1f %%", render.Compact(float64(i)*731), float64(i%1000)/10)
	}
	draw := func(from, to int) {
		for i := from; i < to; i++ {
			s := readout(i)
			drawText(img, s, f.big, w-2, 4, render.Text, text.AlignEnd)
			drawText(img, s, f.small, 2, 24, render.Text, text.AlignStart)
			textWidth(s, f.normal)
			if i%50 == 0 {
				img.ReadPixels(px) // runs the queued drawing
			}
		}
	}
	draw(0, 100)
	before := shapedStrings(t)
	const n = 1000
	draw(100, 100+n)
	if added := shapedStrings(t) - before; added > 20 {
		t.Errorf("drawing and measuring %d readouts (%q...) added %d strings to ebiten's text cache, want at most 20", n, readout(100), added)
	}
}

// shapedStrings is the number of strings in ebiten's shaping caches of the two fonts. ebiten
// has no API for it: it reads GoTextFaceSource's outputCache map (ebiten v2.8).
func shapedStrings(t *testing.T) int {
	t.Helper()
	n := 0
	for _, src := range []*text.GoTextFaceSource{regularSource, boldSource} {
		m := reflect.ValueOf(src).Elem().FieldByName("outputCache")
		if m.Kind() != reflect.Map {
			t.Fatalf("ebiten's text.GoTextFaceSource has no outputCache map any more: count its cached strings another way")
		}
		n += m.Len()
	}
	return n
}
