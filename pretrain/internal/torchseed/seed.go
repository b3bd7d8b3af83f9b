// Package torchseed seeds libtorch's global random generator. gotch v0.7.0 compiles
// libtorch's at_manual_seed into its libtch wrapper but has no Go function for it.
package torchseed

/*
#include <stdint.h>
void at_manual_seed(int64_t) __attribute__((weak));
static int seed_ok(int64_t s) { if (!at_manual_seed) return 0; at_manual_seed(s); return 1; }
*/
import "C"

import _ "github.com/sugarme/gotch/libtch" // provides at_manual_seed at the final link

// Manual seeds libtorch's global generator (weights init, dropout, randn). It reports
// false if at_manual_seed was not linked in.
func Manual(seed int64) bool { return C.seed_ok(C.int64_t(seed)) == 1 }
