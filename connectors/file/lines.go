package file

import "bytes"

// nextLine finds the first line in b. It returns the line without its
// terminator and how many bytes of b the line and its terminator occupy;
// advance 0 means b holds no complete line yet. A line ends at "\n", "\r" or
// "\r\n"; a "\r" that is the last byte of b is complete only when atEOF (the
// next byte could be "\n"). When atEOF, remaining bytes without terminator
// form a final line.
func nextLine(b []byte, atEOF bool) (line []byte, advance int) {
	i := bytes.IndexByte(b, '\n')
	head := b
	if i >= 0 {
		head = b[:i]
	}
	if j := bytes.IndexByte(head, '\r'); j >= 0 {
		i = j
	}
	switch {
	case i < 0:
		if atEOF && len(b) > 0 {
			return b, len(b)
		}
		return nil, 0
	case b[i] == '\n':
		return b[:i], i + 1
	case i+1 < len(b):
		if b[i+1] == '\n' {
			return b[:i], i + 2
		}
		return b[:i], i + 1
	case atEOF:
		return b[:i], i + 1
	default:
		return nil, 0
	}
}
