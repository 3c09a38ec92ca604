package sluice

import (
	"unicode/utf8"
)

// DecodeUTF8Java decodes bytes as Java's new String(bytes, UTF_8) does,
// replacing malformed input with U+FFFD exactly where Java's decoder puts
// its replacement characters (one per malformed sequence, encoded
// surrogates and overlong forms included; a sequence truncated by the end
// of input becomes one replacement). Valid input is returned unchanged.
func DecodeUTF8Java(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	const repl = "\uFFFD"
	out := make([]byte, 0, len(b)+8)
	sp, sl := 0, len(b)
	cont := func(c byte) bool { return c&0xC0 == 0x80 }
	for sp < sl {
		b1 := b[sp]
		sp++
		switch {
		case b1 < 0x80:
			out = append(out, b1)
		case b1>>5 == 0x6 && b1&0x1E != 0: // C2..DF
			if sp < sl {
				if !cont(b[sp]) {
					out = append(out, repl...)
					continue
				}
				out = append(out, b1, b[sp])
				sp++
				continue
			}
			out = append(out, repl...)
			return string(out)
		case b1>>4 == 0xE: // E0..EF
			if sp+1 < sl {
				b2, b3 := b[sp], b[sp+1]
				if b1 == 0xE0 && b2&0xE0 == 0x80 || !cont(b2) || !cont(b3) {
					out = append(out, repl...)
					if b1 == 0xE0 && b2&0xE0 == 0x80 || !cont(b2) {
						continue // only the lead byte is malformed
					}
					sp++ // lead and second byte
					continue
				}
				r := rune(b1&0x0F)<<12 | rune(b2&0x3F)<<6 | rune(b3&0x3F)
				if r >= 0xD800 && r <= 0xDFFF {
					out = append(out, repl...)
				} else {
					out = append(out, b1, b2, b3)
				}
				sp += 2
				continue
			}
			if sp < sl && (b1 == 0xE0 && b[sp]&0xE0 == 0x80 || !cont(b[sp])) {
				out = append(out, repl...)
				continue
			}
			out = append(out, repl...)
			return string(out)
		case b1>>3 == 0x1E: // F0..F7
			if sp+2 < sl {
				b2, b3, b4 := b[sp], b[sp+1], b[sp+2]
				r := rune(b1&0x07)<<18 | rune(b2&0x3F)<<12 | rune(b3&0x3F)<<6 | rune(b4&0x3F)
				if !cont(b2) || !cont(b3) || !cont(b4) || r < 0x10000 || r > 0x10FFFF {
					out = append(out, repl...)
					// Java skips the bytes that still form a valid prefix.
					switch {
					case b1 > 0xF4 || b1 == 0xF0 && (b2 < 0x90 || b2 > 0xBF) || b1 == 0xF4 && b2&0xF0 != 0x80 || !cont(b2):
					case !cont(b3):
						sp++
					default:
						sp += 2
					}
					continue
				}
				out = append(out, b1, b2, b3, b4)
				sp += 3
				continue
			}
			if b1 > 0xF4 || sp < sl && (b1 == 0xF0 && (b[sp] < 0x90 || b[sp] > 0xBF) || b1 == 0xF4 && b[sp]&0xF0 != 0x80 || !cont(b[sp])) {
				out = append(out, repl...)
				continue
			}
			sp++
			out = append(out, repl...)
			if sp < sl && !cont(b[sp]) {
				continue
			}
			return string(out)
		default:
			out = append(out, repl...)
		}
	}
	return string(out)
}
