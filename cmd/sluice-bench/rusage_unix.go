//go:build unix

package main

import (
	"runtime"
	"syscall"
	"time"
)

// rusage returns the process's user and system CPU time so far and its
// peak resident set size in bytes.
func rusage() (user, sys time.Duration, maxRSS int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0, 0
	}
	rss := int64(ru.Maxrss)
	if runtime.GOOS != "darwin" {
		rss *= 1024 // kilobytes elsewhere, bytes on macOS
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano()), rss
}
