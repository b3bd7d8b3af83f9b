package photonics

import (
	"fmt"
	"math"
	"sort"
)

// MZI is one rotator on waveguides Row and Row+1 in mesh column Column.
// Its transfer matrix is R(phi) = [[cos phi, -sin phi], [sin phi, cos phi]]
// acting on (x[Row], x[Row+1]).
type MZI struct{ Row, Column int }

// Mesh is the structure (no values) of an n-port mesh: U = D * R_K ... R_2 R_1,
// where R_1 = MZIs[0] is the first rotator light meets and D = diag(signs),
// signs in {+1, -1}.
//
// MZIs are sorted by (Column, Row). Rotators within one column act on disjoint
// waveguide pairs, so this is a light order: every rotator comes after all the
// rotators whose output it reads. Phase p of a phase slice belongs to MZIs[p].
//
// Reck meshes have 2n-3 columns (the triangle); Clements meshes have n columns
// (column c holds the rotators on rows of the parity of c). A mesh with n = 1
// has no rotators and U = D.
//
// Make meshes with NewMesh; a zero Mesh is not usable.
type Mesh struct {
	N        int
	Topology Topology
	MZIs     []MZI // in light order; len = N(N-1)/2
	Columns  int   // number of MZI columns

	colStart []int  // MZIs[colStart[c]:colStart[c+1]] form column c
	steps    []step // Givens nulling schedule, in algorithm order
}

// stepKind says how one Givens nulling step acts on the working matrix.
type stepKind uint8

const (
	// rowNull rotates rows (k, k+1) of the working matrix from the left and
	// nulls entry (k+1, j). Reck works on A = U^T with these only; its phase
	// is the rotator's phase as is.
	rowNull stepKind = iota
	// colNull rotates columns (k, k+1) of U from the right by R(phi)^T and
	// nulls entry (j, k) (Clements, input side).
	colNull
	// leftNull is a Clements row step on U: its rotation L = R(theta) ends up
	// on the left of D, and is moved through it: L^T D = D R(-d_k d_k+1 theta).
	leftNull
)

type step struct {
	kind stepKind
	k, j int // waveguides (k, k+1); j: column (row steps) or row (column steps) to null
	mzi  int // index into MZIs
}

// NewMesh returns the structure of an n-port mesh of topology t.
func NewMesh(t Topology, n int) (*Mesh, error) {
	if !t.valid() {
		return nil, fmt.Errorf("photonics: mesh: unknown topology %d", int(t))
	}
	if n < 1 {
		return nil, fmt.Errorf("photonics: mesh %v: n=%d, want n >= 1", t, n)
	}
	// alg is the nulling schedule in algorithm order; light lists the same
	// steps in the order light meets their rotators.
	var alg []step
	var light []int
	switch t {
	case Reck:
		// Null A = U^T column by column, bottom up, with adjacent-row rotations:
		// R_K ... R_1 U^T = D  =>  U = D R_K ... R_1.
		for j := 0; j < n-1; j++ {
			for r := n - 2; r >= j; r-- {
				alg = append(alg, step{kind: rowNull, k: r, j: j})
				light = append(light, len(alg)-1)
			}
		}
	case Clements:
		// Clements et al. (2016), real version: null U along anti-diagonals,
		// alternately from the right (columns) and from the left (rows):
		//   L_p ... L_1 U R_1^T ... R_m^T = D.
		// Then U = L_1^T ... L_p^T D R_m ... R_1 = D L'_1 ... L'_p R_m ... R_1
		// with L'_i = D L_i^T D, again a rotator on the same waveguides.
		var left []int
		for i := 0; i < n-1; i++ {
			if i%2 == 0 {
				for jj := 0; jj <= i; jj++ {
					alg = append(alg, step{kind: colNull, k: i - jj, j: n - 1 - jj})
					light = append(light, len(alg)-1)
				}
			} else {
				for jj := 0; jj <= i; jj++ {
					alg = append(alg, step{kind: leftNull, k: n - 2 - i + jj, j: jj})
					left = append(left, len(alg)-1)
				}
			}
		}
		for i := len(left) - 1; i >= 0; i-- {
			light = append(light, left[i])
		}
	}

	// Place rotators as early as light allows (each column as far left as its
	// inputs permit). For both topologies this yields the textbook shapes.
	col := make([]int, len(light))
	next := make([]int, n) // first free column on each waveguide
	columns := 0
	for p, s := range light {
		k := alg[s].k
		c := max(next[k], next[k+1])
		col[p] = c
		next[k], next[k+1] = c+1, c+1
		columns = max(columns, c+1)
	}
	order := make([]int, len(light))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		pa, pb := order[a], order[b]
		if col[pa] != col[pb] {
			return col[pa] < col[pb]
		}
		return alg[light[pa]].k < alg[light[pb]].k
	})
	m := &Mesh{N: n, Topology: t, Columns: columns, steps: alg}
	m.MZIs = make([]MZI, len(order))
	m.colStart = make([]int, columns+1)
	for i, p := range order {
		s := light[p]
		m.MZIs[i] = MZI{Row: alg[s].k, Column: col[p]}
		m.steps[s].mzi = i
		m.colStart[col[p]+1] = i + 1
	}
	return m, nil
}

// NumPhases returns the number of rotator phases, N(N-1)/2.
func (m *Mesh) NumPhases() int { return len(m.MZIs) }

func (m *Mesh) errorf(format string, args ...any) error {
	return fmt.Errorf("photonics: mesh %v n=%d: %s", m.Topology, m.N, fmt.Sprintf(format, args...))
}

// checkValues validates phase and sign counts and values; messages carry no prefix.
func checkValues(phases, signs []float64, nPhases, nSigns int) error {
	if len(phases) != nPhases {
		return fmt.Errorf("got %d phases, want %d", len(phases), nPhases)
	}
	if len(signs) != nSigns {
		return fmt.Errorf("got %d signs, want %d", len(signs), nSigns)
	}
	for i, p := range phases {
		if !finite(p) {
			return fmt.Errorf("phase %d is %s", i, badValue(p))
		}
	}
	for i, s := range signs {
		if s != 1 && s != -1 {
			return fmt.Errorf("sign %d is %v, want +1 or -1", i, s)
		}
	}
	return nil
}

// Validate reports whether phases and signs fit the mesh: N(N-1)/2 finite
// phases and N signs, each +1 or -1. The fast methods (MatrixTo, Apply,
// ApplyBatch, Propagate) assume this holds.
func (m *Mesh) Validate(phases, signs []float64) error {
	if err := checkValues(phases, signs, m.NumPhases(), m.N); err != nil {
		return m.errorf("%v", err)
	}
	return nil
}

// Matrix returns the n x n orthogonal matrix U = D R_K ... R_1 of the given
// phases (any finite values; they need not be wrapped) and signs, row-major.
func (m *Mesh) Matrix(phases, signs []float64) ([]float64, error) {
	if err := m.Validate(phases, signs); err != nil {
		return nil, err
	}
	d := make([]float64, m.N*m.N)
	m.MatrixTo(d, phases, signs)
	return d, nil
}

// MatrixTo writes U = D R_K ... R_1 to dst, row-major n x n. It does not
// allocate and does not check: len(dst) >= N*N and Validate(phases, signs)
// must hold.
func (m *Mesh) MatrixTo(dst []float64, phases, signs []float64) {
	n := m.N
	dst = dst[:n*n]
	clear(dst)
	for i := 0; i < n; i++ {
		dst[i*n+i] = 1
	}
	m.rotateRows(dst, n, phases)
	scaleRows(dst, n, signs)
}

// matrixToTrig is MatrixTo with the sines and cosines of the phases given.
func (m *Mesh) matrixToTrig(dst []float64, sn, cs, signs []float64) {
	n := m.N
	dst = dst[:n*n]
	clear(dst)
	for i := 0; i < n; i++ {
		dst[i*n+i] = 1
	}
	m.rotateRowsTrig(dst, n, sn, cs)
	scaleRows(dst, n, signs)
}

// rotateRows left-multiplies the row-major matrix a (N rows of width w) by
// D-less U, i.e. applies every rotator to the rows of a, in light order.
func (m *Mesh) rotateRows(a []float64, w int, phases []float64) {
	for p, z := range m.MZIs {
		s, c := math.Sincos(phases[p])
		rotate(a[z.Row*w:z.Row*w+w], a[(z.Row+1)*w:(z.Row+1)*w+w], s, c)
	}
}

// rotateRowsTrig is rotateRows with the sines and cosines of the phases given
// (sn[p], cs[p] of rotator p, as math.Sincos computes them).
func (m *Mesh) rotateRowsTrig(a []float64, w int, sn, cs []float64) {
	sn = sn[:len(m.MZIs)]
	cs = cs[:len(m.MZIs)]
	for p, z := range m.MZIs {
		rotate(a[z.Row*w:z.Row*w+w], a[(z.Row+1)*w:(z.Row+1)*w+w], sn[p], cs[p])
	}
}

// rotate applies the rotator R = [[c, -s], [s, c]] to the pair of rows (r0, r1).
func rotate(r0, r1 []float64, s, c float64) {
	r1 = r1[:len(r0)]
	for j, x := range r0 {
		y := r1[j]
		r0[j] = c*x - s*y
		r1[j] = s*x + c*y
	}
}

// scaleRows multiplies row i of a (rows of width w) by f[i], for i < len(f).
func scaleRows(a []float64, w int, f []float64) {
	for i, s := range f {
		if s == 1 {
			continue
		}
		r := a[i*w : i*w+w]
		for j := range r {
			r[j] *= s
		}
	}
}

// Apply sets x <- U x in place, rotator by rotator as light travels, without
// forming U. It does not allocate and does not check: len(x) == N and
// Validate(phases, signs) must hold.
func (m *Mesh) Apply(phases, signs, x []float64) {
	x = x[:m.N]
	for p, z := range m.MZIs {
		s, c := math.Sincos(phases[p])
		a, b := x[z.Row], x[z.Row+1]
		x[z.Row] = c*a - s*b
		x[z.Row+1] = s*a + c*b
	}
	for i, d := range signs {
		x[i] *= d
	}
}

// ApplyBatch applies U to each of batch vectors stored as the rows of x
// (row-major, batch x N): row <- U row. It computes each rotator's cos and sin
// once for the whole batch. No allocation and no checks: len(x) >= batch*N
// and Validate(phases, signs) must hold.
func (m *Mesh) ApplyBatch(phases, signs []float64, x []float64, batch int) {
	n := m.N
	x = x[:batch*n]
	for p, z := range m.MZIs {
		s, c := math.Sincos(phases[p])
		for o := z.Row; o+1 < len(x); o += n {
			a, b := x[o], x[o+1]
			x[o] = c*a - s*b
			x[o+1] = s*a + c*b
		}
	}
	for o := 0; o < len(x); o += n {
		for i, d := range signs {
			x[o+i] *= d
		}
	}
}

// Propagate is Apply that also records the field on every waveguide as light
// crosses the mesh: fields[0] is the input, fields[c+1] the field after MZI
// column c, and fields[Columns+1] the output after D (equal to the final x).
// No allocation and no checks: len(fields) == Columns+2, every fields[i] and
// x of length N, and Validate(phases, signs) must hold.
func (m *Mesh) Propagate(phases, signs, x []float64, fields [][]float64) {
	x = x[:m.N]
	copy(fields[0], x)
	for c := 0; c < m.Columns; c++ {
		for p := m.colStart[c]; p < m.colStart[c+1]; p++ {
			z := m.MZIs[p]
			s, co := math.Sincos(phases[p])
			a, b := x[z.Row], x[z.Row+1]
			x[z.Row] = co*a - s*b
			x[z.Row+1] = s*a + co*b
		}
		copy(fields[c+1], x)
	}
	for i, d := range signs {
		x[i] *= d
	}
	copy(fields[m.Columns+1], x)
}

// ColumnRange returns the indices [from, to) into MZIs (and phases) of mesh
// column c.
func (m *Mesh) ColumnRange(c int) (from, to int) {
	if c < 0 || c >= m.Columns {
		return 0, 0
	}
	return m.colStart[c], m.colStart[c+1]
}

// Matrix is a real matrix to read, the input of Decompose; gonum's mat.Matrix is one.
// The package takes this much of a matrix and no more so that it needs no linear algebra
// library (a program that simulates a chip links none; package mapping, which maps
// weights with gonum's SVD, does).
type Matrix interface {
	Dims() (r, c int)
	At(i, j int) float64
}

// OrthoTol is the tolerance of Decompose's orthogonality check:
// max |Q^T Q - I| must not exceed it.
const OrthoTol = 1e-8

// Decompose returns the phases (wrapped to [0, 2pi), in MZIs order) and signs
// with Matrix(phases, signs) = q, by Givens nulling. q must be N x N, finite
// and orthogonal within OrthoTol.
//
// Reck: A = q^T is reduced to the diagonal D by adjacent-row rotations in
// light order, R_K ... R_1 q^T = D, so q = D R_K ... R_1.
// Clements: q is nulled along anti-diagonals alternately from the right
// (input-side rotators) and from the left (output-side rotators); the left
// rotations are then moved through the diagonal sign matrix D to its right,
// which for real rotators only flips the sign of the angle when the two
// signs differ.
func (m *Mesh) Decompose(q Matrix) (phases, signs []float64, err error) {
	n := m.N
	if q == nil {
		return nil, nil, m.errorf("decompose: nil matrix")
	}
	r, c := q.Dims()
	if r != n || c != n {
		return nil, nil, m.errorf("decompose: got %dx%d matrix, want %dx%d", r, c, n, n)
	}
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := q.At(i, j)
			if !finite(v) {
				return nil, nil, m.errorf("decompose: entry (%d,%d) is %s", i, j, badValue(v))
			}
			if m.Topology == Reck {
				a[j*n+i] = v
			} else {
				a[i*n+j] = v
			}
		}
	}
	if dev := orthoDeviation(a, n); !(dev <= OrthoTol) {
		return nil, nil, m.errorf("decompose: matrix is not orthogonal: max |Q^T Q - I| = %.3g > %g", dev, OrthoTol)
	}
	phases = make([]float64, m.NumPhases())
	for _, s := range m.steps {
		k := s.k
		switch s.kind {
		case rowNull, leftNull:
			x, y := a[k*n+s.j], a[(k+1)*n+s.j]
			phi := math.Atan2(-y, x)
			sn, cs := math.Sincos(phi)
			r0, r1 := a[k*n:k*n+n], a[(k+1)*n:(k+1)*n+n]
			for j := range r0 {
				u, v := r0[j], r1[j]
				r0[j] = cs*u - sn*v
				r1[j] = sn*u + cs*v
			}
			phases[s.mzi] = phi
		case colNull:
			x, y := a[s.j*n+k], a[s.j*n+k+1]
			phi := math.Atan2(x, y)
			sn, cs := math.Sincos(phi)
			for i := 0; i < n; i++ {
				u, v := a[i*n+k], a[i*n+k+1]
				a[i*n+k] = cs*u - sn*v
				a[i*n+k+1] = sn*u + cs*v
			}
			phases[s.mzi] = phi
		}
	}
	signs = make([]float64, n)
	for i := range signs {
		signs[i] = 1
		if a[i*n+i] < 0 {
			signs[i] = -1
		}
	}
	for _, s := range m.steps {
		if s.kind == leftNull {
			phases[s.mzi] *= -signs[s.k] * signs[s.k+1]
		}
	}
	for i, p := range phases {
		phases[i] = Wrap(p)
	}
	return phases, signs, nil
}

// orthoDeviation returns max |A^T A - I| of the row-major n x n matrix a
// (for square matrices A^T A = I iff A A^T = I).
func orthoDeviation(a []float64, n int) float64 {
	worst := 0.0
	for i := 0; i < n; i++ {
		ri := a[i*n : i*n+n]
		for j := i; j < n; j++ {
			rj := a[j*n : j*n+n]
			s := 0.0
			for k := range ri {
				s += ri[k] * rj[k]
			}
			if i == j {
				s--
			}
			if d := math.Abs(s); d > worst || math.IsNaN(d) {
				worst = d
			}
		}
	}
	return worst
}
