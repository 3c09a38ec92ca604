//go:build !unix

package main

import "time"

// rusage is not available on this system: it reports zeros.
func rusage() (user, sys time.Duration, maxRSS int64) { return 0, 0, 0 }
