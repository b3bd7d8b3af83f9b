package render

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestTextPieces(t *testing.T) {
	cases := []struct {
		name, s string
		want    []string
	}{
		{"empty", "", nil},
		{"words", "test accuracy", []string{"test accuracy"}},
		{"digit", "7", []string{"7"}},
		{"compact", "90.8k queries", []string{"9", "0", ".", "8", "k queries"}},
		{"percent", "92.3 %", []string{"9", "2", ".", "3", " %"}},
		{"inner", "layer 1 of 3", []string{"layer ", "1", " of ", "3"}},
		{"utf-8", "α 0.15 · 2π", []string{"α ", "0", ".", "1", "5", " · ", "2", "π"}},
	}
	for _, c := range cases {
		got := TextPieces(nil, c.s)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: TextPieces(%q) = %q, want %q", c.name, c.s, got, c.want)
		}
		if j := strings.Join(got, ""); j != c.s {
			t.Errorf("%s: pieces join to %q, want %q", c.name, j, c.s)
		}
	}
}

// The readouts of a long booth session, drawn in pieces, need a few dozen distinct strings
// where drawn whole they need one per value: the set ebiten's text cache must hold.
func TestTextPiecesOfChangingFiguresAreFew(t *testing.T) {
	whole, pieces := map[string]bool{}, map[string]bool{}
	for i := 0; i < 5000; i++ {
		q := float64(i) * 37
		for _, s := range []string{
			Compact(q) + " queries",
			fmt.Sprintf("%.1f %%", 80+float64(i%200)/10),
			fmt.Sprintf("%.1f %% below α = 1 · energy %s", 30+float64(i%97)/10, Compact(q*51.3)),
			fmt.Sprintf("deployed %.1f %% · best %.1f %%", 88.4, 90+float64(i%50)/10),
			TickLabel(float64(i) * 2500),
		} {
			whole[s] = true
			for _, p := range TextPieces(nil, s) {
				pieces[p] = true
			}
		}
	}
	if len(pieces) > 40 || len(whole) < 5000 {
		t.Errorf("%d distinct strings drawn whole, %d in pieces: %q", len(whole), len(pieces), sortedSet(pieces))
	}
}

func sortedSet(m map[string]bool) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	slices.Sort(k)
	return k
}
