package testnet

import (
	"testing"

	"github.com/meshlight/meshlight/photonics"
)

// Random model files are valid and differ with the seed; the shipped files are found
// from this package's folder.
func TestFixtures(t *testing.T) {
	a, err := RandomModel("r", "blobs", "16x16-c4s2-10", 1, 4, photonics.Clements, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := RandomModel("r", "blobs", "16x16-c4s2-10", 1, 4, photonics.Clements, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if a.Layer[0].Phases.U[0][0] == b.Layer[0].Phases.U[0][0] {
		t.Error("two seeds gave the same phases")
	}
	names, err := ShippedModels()
	if err != nil {
		t.Fatal(err)
	}
	m, tr, te, err := Shipped(names[0])
	if err != nil || m.Name != names[0] || tr.Len() == 0 || te.Len() == 0 || tr.Features() != m.Input.Size() {
		t.Fatalf("shipped %s: %v", names[0], err)
	}
	if s := ShapedBlobs("s", 10, [3]int{2, 3, 4}, 5, 0.1, 1, 1); s.Len() != 10 || s.Features() != 24 {
		t.Errorf("shaped blobs: %d samples of %d features", s.Len(), s.Features())
	}
}
