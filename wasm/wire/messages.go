package wire

import "slices"

// Messages are the messages a page shows about one engine: each once, the newest
// MaxMessages, oldest first. The engine's Session keeps its own, and the page keeps its
// own about each engine it talks to (a failed worker, a malformed snapshot). They travel as
// Stats.Error, one a line.
type Messages []string

// MaxMessages is how many messages a Messages keeps.
const MaxMessages = 5

// Add adds msg, unless it is already there, dropping the oldest beyond MaxMessages.
func (m *Messages) Add(msg string) {
	if slices.Contains(*m, msg) {
		return
	}
	*m = append(*m, msg)
	if len(*m) > MaxMessages {
		*m = (*m)[len(*m)-MaxMessages:]
	}
}
