//go:build !js

package page

import (
	"os/exec"
	"strings"
	"testing"
)

// TestPageLinksNoEngine guards the page module's size: the page (../../wasm, GOOS=js)
// draws from snapshots and links no engine code. It imports photonics to build the chip's
// meshes but neither train (the optimizers, data sets, model files: the engine's, which
// checks the settings the page only shows) nor wasm/sim (the engine's session), nor gonum:
// gonum's BLAS and LAPACK register their implementations in package variables, and ebiten
// links text/template, whose calls by method name make the linker keep every exported
// method of such types (importing gonum anywhere in the page added 3.6 MB, 0.8 MB
// gzipped, of code it never runs). Mapping weights to phases, the one use of gonum's SVD,
// lives in photonics/mapping.
func TestPageLinksNoEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", "../../wasm")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps of the page: %v\n%s", err, out)
	}
	const mod = "github.com/meshlight/meshlight/"
	for _, pkg := range strings.Fields(string(out)) {
		switch {
		case strings.HasPrefix(pkg, "gonum.org/"), pkg == mod+"photonics/mapping",
			pkg == mod+"train", strings.HasPrefix(pkg, mod+"train/"), pkg == mod+"wasm/sim":
			t.Errorf("the page module imports %s (see this test's comment)", pkg)
		}
	}
}
