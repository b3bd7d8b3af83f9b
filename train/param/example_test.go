package param_test

import (
	"fmt"

	"github.com/meshlight/meshlight/train/param"
)

// One grammar and a range: what the CLI's -alpha and the page's alpha= both take.
func ExampleRange_Parse() {
	alpha := param.Range{Lo: 1e-6, Hi: 1}
	for _, v := range []string{"0.15", "0x1p-3", "1e-320", "1.5"} {
		x, err := alpha.Parse(v)
		fmt.Println(v, x, err)
	}
	// Output:
	// 0.15 0.15 <nil>
	// 0x1p-3 0 not a decimal number
	// 1e-320 0 too small for a float64 to hold its digits (0, or at least 2.2e-308)
	// 1.5 0 out of range [1e-06, 1]
}
