package jtime

import (
	"math"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// digitValue returns the decimal value of a BMP Unicode digit (Java's
// Character.digit(c, 10)), or -1.
func digitValue(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if r < 0x80 || r > 0xFFFF || !unicode.Is(unicode.Nd, r) {
		return -1
	}
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	return -1
}

// parseNumber reads an integer at p the way SimpleDateFormat's
// DecimalFormat (integer only, no grouping) does, and returns Java's
// Number.intValue() of it, the position after it, and whether a number
// was found. On failure the position is where Java reports the error.
func parseNumber(s string, p int) (int64, int, bool) {
	if hasPrefixAt(s, p, "NaN") {
		return 0, p + 3, true
	}
	neg := false
	q := p
	if q < len(s) && s[q] == '-' {
		neg = true
		q++
	}
	if hasPrefixAt(s, q, "∞") {
		if neg {
			return math.MinInt32, q + len("∞"), true
		}
		return math.MaxInt32, q + len("∞"), true
	}
	// Fast path: up to 18 ASCII digits and no exponent.
	{
		e := q
		var v int64
		for e < len(s) && e-q < 19 && s[e] >= '0' && s[e] <= '9' {
			v = v*10 + int64(s[e]-'0')
			e++
		}
		if e > q && e-q < 19 && (e == len(s) || s[e] < 0x80 && s[e] != 'E' && (s[e] < '0' || s[e] > '9')) {
			if neg {
				v = -v
			}
			return int64(int32(v)), e, true
		}
	}
	digits, end := scanDigits(s, q)
	if len(digits) == 0 {
		return 0, p, false
	}
	exp := int64(0)
	if end < len(s) && s[end] == 'E' {
		e := end + 1
		eneg := false
		if e < len(s) && s[e] == '-' {
			eneg = true
			e++
		}
		ed, eend := scanDigits(s, e)
		if len(ed) > 0 {
			if v, ok := digitsToInt64(ed); ok {
				exp = v
				if eneg {
					exp = -exp
				}
				end = eend
			}
		}
	}
	return intValue(digits, exp, neg), end, true
}

func hasPrefixAt(s string, p int, pre string) bool {
	return len(s)-p >= len(pre) && s[p:p+len(pre)] == pre
}

// scanDigits collects the decimal digits at p (as ASCII), without leading
// zeros, and returns them with the end position.
func scanDigits(s string, p int) ([]byte, int) {
	var buf []byte
	seen := false
	for p < len(s) {
		r, size := utf8.DecodeRuneInString(s[p:])
		d := digitValue(r)
		if d < 0 {
			break
		}
		seen = true
		if d != 0 || len(buf) > 0 {
			buf = append(buf, byte('0'+d))
		}
		p += size
	}
	if seen && len(buf) == 0 {
		buf = append(buf, '0')
	}
	return buf, p
}

func digitsToInt64(d []byte) (int64, bool) {
	v, err := strconv.ParseInt(string(d), 10, 64)
	return v, err == nil
}

// intValue converts digits × 10^exp (negated when neg) to Java's
// Number.intValue(): a Long narrows by wrapping, a Double saturates.
func intValue(digits []byte, exp int64, neg bool) int64 {
	// A Long when the value is an integer that fits.
	if exp >= 0 && int64(len(digits))+exp <= 19 {
		full := make([]byte, 0, len(digits)+int(exp))
		full = append(full, digits...)
		for i := int64(0); i < exp; i++ {
			full = append(full, '0')
		}
		if v, err := strconv.ParseUint(string(full), 10, 64); err == nil {
			if !neg && v <= math.MaxInt64 {
				return int64(int32(v))
			}
			if neg && v <= 1<<63 {
				return int64(int32(-int64(v)))
			}
		}
	}
	str := string(digits) + "e" + strconv.FormatInt(exp, 10)
	f, _ := strconv.ParseFloat(str, 64)
	if neg {
		f = -f
	}
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt32:
		return math.MaxInt32
	case f <= math.MinInt32:
		return math.MinInt32
	}
	return int64(int32(f))
}
