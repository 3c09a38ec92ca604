//go:build windows

package file

// lineSeparator is Java's System.lineSeparator() on this platform.
const lineSeparator = "\r\n"
