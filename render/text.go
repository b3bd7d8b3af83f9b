package render

// TextPieces appends to dst the pieces in which the canvas draws s, in order: each ASCII
// digit alone and each run of other characters whole, so that "90.8k queries" is "9", "0",
// ".", "8", "k queries". Concatenated they are s (an empty s has no pieces).
//
// ebiten's text package shapes every distinct string it draws or measures and caches the
// result (about 12 KB a string, up to 512 strings a font before it drops those unused for
// 60 frames). Readouts whose figures change a few times a second (queries, accuracy,
// energy) made each drawing a new entry, so the cache filled and emptied over and over:
// 4-7 MB of Go's live heap per font that came and went. Drawn in pieces, the cache holds
// the ten digits and the fixed words around them. Slicing at ASCII digits keeps UTF-8 whole.
func TextPieces(dst []string, s string) []string {
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			if start < i {
				dst = append(dst, s[start:i])
			}
			dst = append(dst, s[i:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		dst = append(dst, s[start:])
	}
	return dst
}
