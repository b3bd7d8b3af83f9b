//go:build !js

package sim

import (
	"os/exec"
	"strings"
	"testing"
)

// TestPageLinksNoLinearAlgebra guards the page module's size: the page (../, GOOS=js)
// imports photonics to draw the chip but must not import gonum. gonum's BLAS and LAPACK
// register their implementations in package variables, and ebiten links text/template,
// whose calls by method name make the linker keep every exported method of such types:
// importing gonum anywhere in the page added 3.6 MB (0.8 MB gzipped) of code it never runs.
// Mapping weights to phases, the one use of gonum's SVD, lives in photonics/mapping.
func TestPageLinksNoLinearAlgebra(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", "..")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps of the page: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "gonum.org/") || strings.HasSuffix(pkg, "/photonics/mapping") {
			t.Errorf("the page module imports %s (see this test's comment)", pkg)
		}
	}
}
