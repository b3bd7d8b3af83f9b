package photonics

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

var topologies = []Topology{Reck, Clements}

func TestMeshRoundTrip(t *testing.T) {
	for _, top := range topologies {
		for _, n := range []int{1, 2, 3, 4, 5, 8, 24, 64, 101} {
			t.Run(fmt.Sprintf("%v/n=%d", top, n), func(t *testing.T) {
				m, err := NewMesh(top, n)
				if err != nil {
					t.Fatal(err)
				}
				rng := newRand(uint64(n))
				for trial := 0; trial < 3; trial++ {
					q := haar(rng, n)
					ph, sg, err := m.Decompose(q)
					if err != nil {
						t.Fatal(err)
					}
					for i, p := range ph {
						if !(p >= 0 && p < twoPi) {
							t.Fatalf("phase %d = %v not in [0, 2pi)", i, p)
						}
					}
					u, err := m.Matrix(ph, sg)
					if err != nil {
						t.Fatal(err)
					}
					if d := maxDiff(t, mat.NewDense(n, n, u), q); d > 1e-12 {
						t.Errorf("trial %d: max |build(decompose(Q)) - Q| = %.3g > 1e-12", trial, d)
					}
				}
			})
		}
	}
}

// rotation returns the n x n embedding of R(phi) on waveguides (r, r+1),
// built entry by entry (independent of the mesh's row-rotation code).
func rotation(n, r int, phi float64) *mat.Dense {
	g := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		g.Set(i, i, 1)
	}
	c, s := math.Cos(phi), math.Sin(phi)
	g.Set(r, r, c)
	g.Set(r, r+1, -s)
	g.Set(r+1, r, s)
	g.Set(r+1, r+1, c)
	return g
}

// product returns D R_K ... R_1 by explicit matrix products, and the partial
// products after each mesh column (without D).
func product(m *Mesh, phases, signs []float64) (u *mat.Dense, afterColumn []*mat.Dense) {
	n := m.N
	acc := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		acc.Set(i, i, 1)
	}
	for c := 0; c < m.Columns; c++ {
		for p, z := range m.MZIs {
			if z.Column == c {
				var next mat.Dense
				next.Mul(rotation(n, z.Row, phases[p]), acc)
				acc = &next
			}
		}
		afterColumn = append(afterColumn, mat.DenseCopyOf(acc))
	}
	d := mat.NewDense(n, n, nil)
	for i, s := range signs {
		d.Set(i, i, s)
	}
	u = mat.NewDense(n, n, nil)
	u.Mul(d, acc)
	return u, afterColumn
}

func TestMeshShape(t *testing.T) {
	for _, top := range topologies {
		for _, n := range []int{1, 2, 3, 4, 5, 8, 9, 24} {
			m, err := NewMesh(top, n)
			if err != nil {
				t.Fatal(err)
			}
			if m.NumPhases() != n*(n-1)/2 {
				t.Errorf("%v n=%d: %d phases, want %d", top, n, m.NumPhases(), n*(n-1)/2)
			}
			wantCols := map[Topology]int{Reck: max(2*n-3, 0), Clements: n}[top]
			if top == Clements && n < 3 {
				wantCols = n - 1
			}
			if m.Columns != wantCols {
				t.Errorf("%v n=%d: %d columns, want %d", top, n, m.Columns, wantCols)
			}
			used := map[[2]int]bool{} // (column, waveguide)
			for p, z := range m.MZIs {
				if z.Row < 0 || z.Row+1 >= n || z.Column < 0 || z.Column >= m.Columns {
					t.Fatalf("%v n=%d: MZI %d = %+v out of the mesh", top, n, p, z)
				}
				if p > 0 && (z.Column < m.MZIs[p-1].Column || z.Column == m.MZIs[p-1].Column && z.Row <= m.MZIs[p-1].Row) {
					t.Errorf("%v n=%d: MZIs not sorted by (column, row) at %d", top, n, p)
				}
				for _, w := range []int{z.Row, z.Row + 1} {
					if used[[2]int{z.Column, w}] {
						t.Errorf("%v n=%d: waveguide %d used twice in column %d", top, n, w, z.Column)
					}
					used[[2]int{z.Column, w}] = true
				}
				if top == Clements && z.Row%2 != z.Column%2 {
					t.Errorf("clements n=%d: MZI %+v breaks the rectangular pattern", n, z)
				}
				if top == Reck && z.Row+z.Column < n-2 {
					t.Errorf("reck n=%d: MZI %+v outside the triangle", n, z)
				}
			}
			for c := 0; c < m.Columns; c++ {
				from, to := m.ColumnRange(c)
				for p := from; p < to; p++ {
					if m.MZIs[p].Column != c {
						t.Errorf("%v n=%d: ColumnRange(%d) holds MZI %d of column %d", top, n, c, p, m.MZIs[p].Column)
					}
				}
			}
		}
	}
}

func TestMeshMatrixIsProductAndOrthogonal(t *testing.T) {
	for _, top := range topologies {
		for _, n := range []int{1, 2, 3, 6, 17} {
			m, _ := NewMesh(top, n)
			rng := newRand(uint64(100 + n))
			ph, sg := randomPhases(rng, m.NumPhases()), randomSigns(rng, n)
			d, err := m.Matrix(ph, sg)
			if err != nil {
				t.Fatal(err)
			}
			u := mat.NewDense(n, n, d)
			want, _ := product(m, ph, sg)
			if d := maxDiff(t, u, want); d > 1e-13 {
				t.Errorf("%v n=%d: Matrix differs from explicit product by %.3g", top, n, d)
			}
			var utu mat.Dense
			utu.Mul(u.T(), u)
			if d := maxDiff(t, &utu, eye(n)); d > 1e-13 {
				t.Errorf("%v n=%d: max |U^T U - I| = %.3g", top, n, d)
			}
		}
	}
}

func eye(n int) *mat.Dense {
	e := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		e.Set(i, i, 1)
	}
	return e
}

func TestMeshHandCases(t *testing.T) {
	for _, top := range topologies {
		m, _ := NewMesh(top, 2)
		c, s := math.Cos(0.3), math.Sin(0.3)
		cases := []struct {
			name  string
			q     []float64
			phase float64
			signs []float64
		}{
			{"rotation", []float64{c, -s, s, c}, 0.3, []float64{1, 1}},
			{"identity", []float64{1, 0, 0, 1}, 0, []float64{1, 1}},
			{"reflection", []float64{1, 0, 0, -1}, 0, []float64{1, -1}},
			{"swap", []float64{0, -1, 1, 0}, math.Pi / 2, []float64{1, 1}},
		}
		if top == Clements {
			// Nulling from the right sees the -1 first: D R(pi) = diag(-1,1)(-I).
			cases[2].phase, cases[2].signs = math.Pi, []float64{-1, 1}
		}
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%v/%s", top, tc.name), func(t *testing.T) {
				ph, sg, err := m.Decompose(mat.NewDense(2, 2, tc.q))
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(ph[0]-tc.phase) > 1e-15 || sg[0] != tc.signs[0] || sg[1] != tc.signs[1] {
					t.Errorf("got phase %v signs %v, want %v %v", ph[0], sg, tc.phase, tc.signs)
				}
			})
		}
	}
}

func TestPropagationEqualsProduct(t *testing.T) {
	for _, top := range topologies {
		for _, n := range []int{1, 2, 5, 8, 13} {
			m, _ := NewMesh(top, n)
			rng := newRand(uint64(200 + n))
			ph, sg := randomPhases(rng, m.NumPhases()), randomSigns(rng, n)
			u, after := product(m, ph, sg)
			const batch = 7
			xs := make([]float64, batch*n)
			for i := range xs {
				xs[i] = rng.NormFloat64()
			}
			want := make([]float64, batch*n)
			for b := 0; b < batch; b++ {
				var y mat.VecDense
				y.MulVec(u, mat.NewVecDense(n, append([]float64(nil), xs[b*n:b*n+n]...)))
				copy(want[b*n:], y.RawVector().Data)
			}

			got := append([]float64(nil), xs...)
			m.ApplyBatch(ph, sg, got, batch)
			if d := maxDiffSlice(got, want); d > 1e-13 {
				t.Errorf("%v n=%d: ApplyBatch differs from U x by %.3g", top, n, d)
			}
			for b := 0; b < batch; b++ {
				x := append([]float64(nil), xs[b*n:b*n+n]...)
				m.Apply(ph, sg, x)
				if d := maxDiffSlice(x, want[b*n:b*n+n]); d > 1e-13 {
					t.Errorf("%v n=%d: Apply differs from U x by %.3g", top, n, d)
				}
			}

			x := append([]float64(nil), xs[:n]...)
			fields := make([][]float64, m.Columns+2)
			for i := range fields {
				fields[i] = make([]float64, n)
			}
			m.Propagate(ph, sg, x, fields)
			if d := maxDiffSlice(fields[0], xs[:n]); d != 0 {
				t.Errorf("%v n=%d: fields[0] is not the input", top, n)
			}
			if d := maxDiffSlice(fields[m.Columns+1], want[:n]); d > 1e-13 {
				t.Errorf("%v n=%d: last field differs from U x by %.3g", top, n, d)
			}
			if d := maxDiffSlice(x, want[:n]); d > 1e-13 {
				t.Errorf("%v n=%d: Propagate's x differs from U x by %.3g", top, n, d)
			}
			for c := 0; c < m.Columns; c++ {
				var y mat.VecDense
				y.MulVec(after[c], mat.NewVecDense(n, append([]float64(nil), xs[:n]...)))
				if d := maxDiffSlice(fields[c+1], y.RawVector().Data); d > 1e-13 {
					t.Errorf("%v n=%d: field after column %d off by %.3g", top, n, c, d)
				}
			}
		}
	}
}

func TestMeshErrors(t *testing.T) {
	m8, _ := NewMesh(Reck, 8)
	good := make([]float64, 28)
	ones := []float64{1, 1, 1, 1, 1, 1, 1, 1}
	nan := append([]float64(nil), good...)
	nan[5] = math.NaN()
	inf := append([]float64(nil), good...)
	inf[27] = math.Inf(-1)
	notOrtho := eye(8)
	notOrtho.Set(3, 4, 1e-6)
	nanQ := eye(8)
	nanQ.Set(2, 2, math.NaN())
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"short phases", m8.Validate(good[:27], ones), "photonics: mesh reck n=8: got 27 phases, want 28"},
		{"long signs", m8.Validate(good, append(ones, 1)), "photonics: mesh reck n=8: got 9 signs, want 8"},
		{"NaN phase", m8.Validate(nan, ones), "photonics: mesh reck n=8: phase 5 is NaN"},
		{"Inf phase", m8.Validate(inf, ones), "photonics: mesh reck n=8: phase 27 is -Inf"},
		{"bad sign", m8.Validate(good, []float64{1, 1, 0, 1, 1, 1, 1, 1}), "photonics: mesh reck n=8: sign 2 is 0, want +1 or -1"},
		{"matrix", func() error { _, err := m8.Matrix(good[:3], ones); return err }(), "got 3 phases, want 28"},
		{"shape", func() error { _, _, err := m8.Decompose(eye(7)); return err }(), "photonics: mesh reck n=8: decompose: got 7x7 matrix, want 8x8"},
		{"not square", func() error { _, _, err := m8.Decompose(mat.NewDense(8, 3, nil)); return err }(), "got 8x3 matrix"},
		{"nil", func() error { _, _, err := m8.Decompose(nil); return err }(), "nil matrix"},
		{"not orthogonal", func() error { _, _, err := m8.Decompose(notOrtho); return err }(), "not orthogonal"},
		{"NaN matrix", func() error { _, _, err := m8.Decompose(nanQ); return err }(), "entry (2,2) is NaN"},
		{"n=0", func() error { _, err := NewMesh(Clements, 0); return err }(), "photonics: mesh clements: n=0, want n >= 1"},
		{"topology", func() error { _, err := NewMesh(Topology(7), 4); return err }(), "unknown topology 7"},
		{"parse", func() error { _, err := ParseTopology("hex"); return err }(), `unknown topology "hex"`},
	}
	for _, tc := range cases {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want it to contain %q", tc.name, tc.err, tc.want)
		}
	}
}

func TestTopologyNames(t *testing.T) {
	for _, top := range topologies {
		got, err := ParseTopology(strings.ToUpper(top.String()))
		if err != nil || got != top {
			t.Errorf("ParseTopology(%q) = %v, %v", top.String(), got, err)
		}
	}
	if Reck.String() != "reck" || Clements.String() != "clements" {
		t.Errorf("names %q %q", Reck, Clements)
	}
}

func TestWrap(t *testing.T) {
	cases := []struct{ in, want float64 }{
		{0, 0}, {1, 1}, {twoPi, 0}, {-1, twoPi - 1}, {7, 7 - twoPi},
		{-twoPi, 0}, {3 * twoPi, 0}, {-1e-300, 0}, {math.Pi, math.Pi},
	}
	for _, tc := range cases {
		got := Wrap(tc.in)
		if math.Abs(got-tc.want) > 1e-15 || !(got >= 0 && got < twoPi) {
			t.Errorf("Wrap(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if !math.IsNaN(Wrap(bad)) {
			t.Errorf("Wrap(%v) = %v, want NaN", bad, Wrap(bad))
		}
	}
}
