package render

import (
	"math"
	"testing"
)

func TestArrangeRegionsFitWithoutOverlap(t *testing.T) {
	for _, s := range [][3]float64{{640, 480, 1}, {392, 480, 1}, {1920, 1080, 1}, {1280, 800, 2}, {360, 740, 2}, {800, 300, 1}} {
		r := Arrange(s[0], s[1], s[2])
		screen := Rect{0, 0, s[0], s[1]}
		names := []string{"header", "mesh", "legend", "accuracy", "power", "input", "scores"}
		for i, a := range r.List() {
			if a.Empty() {
				t.Errorf("%v: %s is empty", s, names[i])
				continue
			}
			if !containsRect(screen, a) {
				t.Errorf("%v: %s %v leaves the screen", s, names[i], a)
			}
			for j, b := range r.List()[i+1:] {
				if a.Overlaps(b) {
					t.Errorf("%v: %s %v overlaps %s %v", s, names[i], a, names[i+1+j], b)
				}
			}
		}
		if r.Mesh.H() < 0.3*s[1] {
			t.Errorf("%v: the mesh gets only %g of %g pixels of height", s, r.Mesh.H(), s[1])
		}
		if math.Abs(r.Input.W()-r.Input.H()) > 1e-9 {
			t.Errorf("%v: the sample area %v is not square", s, r.Input)
		}
	}
	if r := Arrange(0, 100, 1); r != (Regions{}) {
		t.Error("a zero-size screen has no regions")
	}
}
