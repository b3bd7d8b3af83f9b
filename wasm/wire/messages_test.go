package wire

import (
	"fmt"
	"slices"
	"testing"
)

// Messages keep each message once and only the newest MaxMessages, oldest first.
func TestMessages(t *testing.T) {
	var m Messages
	m.Add("a")
	m.Add("a")
	if !slices.Equal(m, Messages{"a"}) {
		t.Fatalf("%q", m)
	}
	for i := range 7 {
		m.Add(fmt.Sprint(i))
	}
	if want := (Messages{"2", "3", "4", "5", "6"}); !slices.Equal(m, want) {
		t.Errorf("%q, want %q", m, want)
	}
}
