package str

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// charset is a Java character set the converter can use.
type charset uint8

const (
	csUTF8 charset = iota
	csLatin1
	csASCII
	csUTF16   // decode: BOM or big-endian; encode: big-endian with BOM
	csUTF16BE // no BOM
	csUTF16LE
)

// charsetNames maps Java's canonical names and aliases (upper-cased) to
// charsets.
var charsetNames = map[string]charset{
	"UTF-8": csUTF8, "UTF8": csUTF8, "UNICODE-1-1-UTF-8": csUTF8,
	"ISO-8859-1": csLatin1, "ISO-IR-100": csLatin1, "ISO_8859-1": csLatin1, "LATIN1": csLatin1, "L1": csLatin1,
	"IBM819": csLatin1, "CP819": csLatin1, "CSISOLATIN1": csLatin1, "819": csLatin1, "IBM-819": csLatin1,
	"ISO8859_1": csLatin1, "ISO_8859-1:1987": csLatin1, "ISO_8859_1": csLatin1, "8859_1": csLatin1, "ISO8859-1": csLatin1,
	"US-ASCII": csASCII, "ISO-IR-6": csASCII, "ANSI_X3.4-1986": csASCII, "ISO_646.IRV:1991": csASCII, "ASCII": csASCII,
	"ISO_646.IRV:1983": csASCII, "ANSI_X3.4-1968": csASCII, "ISO646-US": csASCII, "DEFAULT": csASCII, "CP367": csASCII,
	"CSASCII": csASCII, "646": csASCII, "US": csASCII, "IBM367": csASCII, "ASCII7": csASCII,
	"UTF-16": csUTF16, "UTF_16": csUTF16, "UTF16": csUTF16, "UNICODE": csUTF16, "UNICODEBIG": csUTF16,
	"UTF-16BE": csUTF16BE, "UTF_16BE": csUTF16BE, "ISO-10646-UCS-2": csUTF16BE, "X-UTF-16BE": csUTF16BE, "UNICODEBIGUNMARKED": csUTF16BE,
	"UTF-16LE": csUTF16LE, "UTF_16LE": csUTF16LE, "X-UTF-16LE": csUTF16LE, "UNICODELITTLEUNMARKED": csUTF16LE,
}

// lookupCharset resolves a Java charset name (case-insensitive).
func lookupCharset(name string) (charset, bool) {
	cs, ok := charsetNames[strings.ToUpper(name)]
	return cs, ok
}

// decode is Java's new String(bytes, charset): malformed input becomes
// U+FFFD.
func (cs charset) decode(b []byte) string {
	switch cs {
	case csUTF8:
		if utf8.Valid(b) {
			return string(b)
		}
		return decodeUTF8(b)
	case csLatin1:
		out := make([]byte, 0, len(b)+8)
		for _, c := range b {
			out = utf8.AppendRune(out, rune(c))
		}
		return string(out)
	case csASCII:
		out := make([]byte, 0, len(b))
		for _, c := range b {
			if c >= 0x80 {
				out = append(out, "\uFFFD"...)
			} else {
				out = append(out, c)
			}
		}
		return string(out)
	}
	be := cs != csUTF16LE
	if cs == csUTF16 && len(b) >= 2 {
		switch {
		case b[0] == 0xFE && b[1] == 0xFF:
			b = b[2:]
		case b[0] == 0xFF && b[1] == 0xFE:
			b, be = b[2:], false
		}
	}
	units := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if be {
			units = append(units, uint16(b[i])<<8|uint16(b[i+1]))
		} else {
			units = append(units, uint16(b[i+1])<<8|uint16(b[i]))
		}
	}
	var out []byte
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	if len(b)%2 != 0 {
		out = append(out, "\uFFFD"...)
	}
	return string(out)
}

func cont(b byte) bool { return b&0xC0 == 0x80 }

// decodeUTF8 decodes like JDK 17's String constructor for UTF-8, including
// its choice of how many bytes each U+FFFD replaces.
func decodeUTF8(src []byte) string {
	out := make([]byte, 0, len(src)+8)
	const repl = "\uFFFD"
	n := len(src)
	for i := 0; i < n; {
		b1 := src[i]
		switch {
		case b1 < 0x80:
			out = append(out, b1)
			i++
		case b1 >= 0xC2 && b1 <= 0xDF:
			if i+1 < n && cont(src[i+1]) {
				out = append(out, b1, src[i+1])
				i += 2
			} else if i+1 >= n {
				return string(append(out, repl...))
			} else {
				out = append(out, repl...)
				i++
			}
		case b1 >= 0xE0 && b1 <= 0xEF:
			if i+2 < n {
				b2, b3 := src[i+1], src[i+2]
				if b1 == 0xE0 && b2&0xE0 == 0x80 || !cont(b2) {
					out = append(out, repl...)
					i++
					continue
				}
				if !cont(b3) {
					out = append(out, repl...)
					i += 2
					continue
				}
				c := rune(b1&0x0F)<<12 | rune(b2&0x3F)<<6 | rune(b3&0x3F)
				if c >= 0xD800 && c <= 0xDFFF {
					out = append(out, repl...)
					i += 3
					continue
				}
				out = utf8.AppendRune(out, c)
				i += 3
				continue
			}
			if i+1 < n && (b1 == 0xE0 && src[i+1]&0xE0 == 0x80 || !cont(src[i+1])) {
				out = append(out, repl...)
				i++
				continue
			}
			return string(append(out, repl...))
		case b1 >= 0xF0 && b1 <= 0xF7:
			if i+3 < n {
				b2, b3, b4 := src[i+1], src[i+2], src[i+3]
				c := rune(b1&0x07)<<18 | rune(b2&0x3F)<<12 | rune(b3&0x3F)<<6 | rune(b4&0x3F)
				if !cont(b2) || !cont(b3) || !cont(b4) || c < 0x10000 || c > 0x10FFFF {
					out = append(out, repl...)
					switch {
					case b1 > 0xF4 || b1 == 0xF0 && (b2 < 0x90 || b2 > 0xBF) || b1 == 0xF4 && b2&0xF0 != 0x80 || !cont(b2):
						i++
					case !cont(b3):
						i += 2
					default:
						i += 3
					}
					continue
				}
				out = utf8.AppendRune(out, c)
				i += 4
				continue
			}
			if b1 > 0xF4 || i+1 < n && (b1 == 0xF0 && (src[i+1] < 0x90 || src[i+1] > 0xBF) || b1 == 0xF4 && src[i+1]&0xF0 != 0x80 || !cont(src[i+1])) {
				out = append(out, repl...)
				i++
				continue
			}
			if i+2 < n && !cont(src[i+2]) {
				out = append(out, repl...)
				i += 2
				continue
			}
			return string(append(out, repl...))
		default:
			out = append(out, repl...)
			i++
		}
	}
	return string(out)
}

// encode is Java's String.getBytes(charset): unmappable characters become
// '?' (one per code point).
func (cs charset) encode(s string) []byte {
	switch cs {
	case csUTF8:
		if utf8.ValidString(s) {
			return []byte(s)
		}
		out := make([]byte, 0, len(s))
		for _, r := range s {
			if r == utf8.RuneError {
				out = append(out, '?')
			} else {
				out = utf8.AppendRune(out, r)
			}
		}
		return out
	case csLatin1, csASCII:
		limit := rune(0xFF)
		if cs == csASCII {
			limit = 0x7F
		}
		out := make([]byte, 0, len(s))
		for _, r := range s {
			if r > limit || r == utf8.RuneError {
				out = append(out, '?')
			} else {
				out = append(out, byte(r))
			}
		}
		return out
	}
	var out []byte
	if cs == csUTF16 && s != "" {
		out = append(out, 0xFE, 0xFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if cs == csUTF16LE {
			out = append(out, byte(u), byte(u>>8))
		} else {
			out = append(out, byte(u>>8), byte(u))
		}
	}
	if out == nil {
		out = []byte{}
	}
	return out
}
