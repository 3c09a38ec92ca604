package json

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// kind is the kind of a parsed JSON node, mirroring Jackson's node classes.
type kind uint8

const (
	kMissing kind = iota // no content at all
	kNull
	kTrue
	kFalse
	kInt     // integer that fits an int32 (Jackson IntNode)
	kLong    // integer that fits an int64 (LongNode)
	kBigInt  // larger integer (BigIntegerNode)
	kDecimal // number with fraction or exponent (DecimalNode)
	kString
	kArray
	kObject
)

// nodeType returns Jackson's JsonNodeType name of a kind.
func (k kind) nodeType() string {
	switch k {
	case kMissing:
		return "MISSING"
	case kNull:
		return "NULL"
	case kTrue, kFalse:
		return "BOOLEAN"
	case kInt, kLong, kBigInt, kDecimal:
		return "NUMBER"
	case kString:
		return "STRING"
	case kArray:
		return "ARRAY"
	}
	return "OBJECT"
}

func (k kind) isNumber() bool   { return k >= kInt && k <= kDecimal }
func (k kind) isIntegral() bool { return k >= kInt && k <= kBigInt }

// node is one parsed JSON value. Children of arrays and objects are linked
// through first/next indexes into the parser's node slice.
type node struct {
	kind  kind
	esc   bool  // string had escapes or needed re-encoding: text is in str
	n     int32 // number of children (array, object)
	first int32 // first child, -1 when none
	next  int32 // next sibling, -1 when none
	off   int32 // start of the raw text (strings: inside the quotes; numbers)
	end   int32
	koff  int32 // member name position (object members)
	kend  int32
	kesc  bool
	key   string // decoded member name when kesc
	str   string // decoded text when esc
	i     int64  // value of kInt/kLong
}

// Limits Jackson applies by default (StreamReadConstraints).
const (
	maxDepth     = 1000
	maxNumberLen = 1000
)

// errSyntax marks malformed JSON.
var errSyntax = errors.New("malformed JSON")

// parser is a Jackson-compatible JSON reader producing nodes. It is reused
// between calls; text references point into src.
type parser struct {
	src   []byte
	pos   int
	nodes []node
	buf   []byte
	depth int
	nstr  int // string nodes and member names seen
}

func (p *parser) fail(format string, args ...any) error {
	return fmt.Errorf("%w: %s at offset %d", errSyntax, fmt.Sprintf(format, args...), p.pos)
}

// parseRoot parses one root value and ignores whatever follows it, as
// Jackson's ObjectMapper.readTree does. The returned index is the root node.
func (p *parser) parseRoot(src []byte) (int32, error) {
	p.src = src
	p.pos = 0
	p.nodes = p.nodes[:0]
	p.depth = 0
	p.nstr = 0
	if err := p.transcode(); err != nil {
		return 0, err
	}
	p.skipWS()
	if p.pos >= len(p.src) {
		p.nodes = append(p.nodes, node{kind: kMissing, first: -1, next: -1})
		return 0, nil
	}
	idx, err := p.value(true)
	if err != nil {
		return 0, err
	}
	return idx, nil
}

// transcode detects the encoding as Jackson's ByteSourceJsonBootstrapper
// does, skips a UTF-8 byte order mark and converts UTF-16/32 input to UTF-8.
func (p *parser) transcode() error {
	b := p.src
	if len(b) >= 4 {
		quad := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		switch {
		case quad == 0x0000FEFF:
			return p.fromUTF32(b[4:], true)
		case quad == 0xFFFE0000:
			return p.fromUTF32(b[4:], false)
		case quad == 0x0000FFFE || quad == 0xFEFF0000:
			return p.fail("unsupported UCS-4 byte order")
		case quad>>16 == 0xFEFF:
			return p.fromUTF16(b[2:], true)
		case quad>>16 == 0xFFFE:
			return p.fromUTF16(b[2:], false)
		case quad>>8 == 0xEFBBBF:
			p.pos = 3
			return nil
		case quad>>8 == 0:
			return p.fromUTF32(b, true)
		case quad&0x00FFFFFF == 0:
			return p.fromUTF32(b, false)
		case quad&^0x00FF0000 == 0 || quad&^0x0000FF00 == 0:
			return p.fail("unsupported UCS-4 byte order")
		}
		return p.check16(uint32(b[0])<<8 | uint32(b[1]))
	}
	if len(b) >= 2 {
		return p.check16(uint32(b[0])<<8 | uint32(b[1]))
	}
	return nil
}

func (p *parser) check16(i16 uint32) error {
	switch {
	case i16&0xFF00 == 0:
		return p.fromUTF16(p.src, true)
	case i16&0x00FF == 0:
		return p.fromUTF16(p.src, false)
	}
	return nil
}

// fromUTF16 decodes like Java's InputStreamReader (malformed input replaced
// by U+FFFD) into UTF-8.
func (p *parser) fromUTF16(b []byte, be bool) error {
	out := make([]byte, 0, len(b))
	units := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if be {
			units = append(units, uint16(b[i])<<8|uint16(b[i+1]))
		} else {
			units = append(units, uint16(b[i+1])<<8|uint16(b[i]))
		}
	}
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	if len(b)%2 != 0 {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	p.src = out
	p.pos = 0
	return nil
}

func (p *parser) fromUTF32(b []byte, be bool) error {
	out := make([]byte, 0, len(b))
	for i := 0; i+3 < len(b); i += 4 {
		var c uint32
		if be {
			c = uint32(b[i])<<24 | uint32(b[i+1])<<16 | uint32(b[i+2])<<8 | uint32(b[i+3])
		} else {
			c = uint32(b[i+3])<<24 | uint32(b[i+2])<<16 | uint32(b[i+1])<<8 | uint32(b[i])
		}
		if c > 0x10FFFF {
			return p.fail("invalid UTF-32 character 0x%x", c)
		}
		out = appendUnit(out, c)
	}
	if len(b)%4 != 0 {
		return p.fail("unexpected EOF in UTF-32 input")
	}
	p.src = out
	p.pos = 0
	return nil
}

// appendUnit appends a code point (or lone surrogate, WTF-8 style) as UTF-8.
func appendUnit(out []byte, c uint32) []byte {
	if c >= 0xD800 && c <= 0xDFFF {
		return append(out, 0xE0|byte(c>>12), 0x80|byte(c>>6)&0x3F, 0x80|byte(c)&0x3F)
	}
	return utf8.AppendRune(out, rune(c))
}

func (p *parser) skipWS() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) add(n node) int32 {
	p.nodes = append(p.nodes, n)
	return int32(len(p.nodes) - 1)
}

// value parses the value starting at p.pos (whitespace already skipped).
func (p *parser) value(root bool) (int32, error) {
	if p.pos >= len(p.src) {
		return 0, p.fail("unexpected end of input")
	}
	c := p.src[p.pos]
	switch {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		off, end, esc, s, err := p.str()
		if err != nil {
			return 0, err
		}
		p.nstr++
		return p.add(node{kind: kString, first: -1, next: -1, off: off, end: end, esc: esc, str: s}), nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(root)
	case c == 't':
		return p.literal("true", kTrue)
	case c == 'f':
		return p.literal("false", kFalse)
	case c == 'n':
		return p.literal("null", kNull)
	}
	return 0, p.fail("unexpected character %q", c)
}

func (p *parser) literal(word string, k kind) (int32, error) {
	if len(p.src)-p.pos < len(word) || string(p.src[p.pos:p.pos+len(word)]) != word {
		return 0, p.fail("unrecognized token")
	}
	p.pos += len(word)
	if p.pos < len(p.src) {
		c := p.src[p.pos]
		if c >= '0' && c != ']' && c != '}' && identPart(p.src[p.pos:]) {
			return 0, p.fail("unrecognized token")
		}
	}
	return p.add(node{kind: k, first: -1, next: -1}), nil
}

// identPart reports whether the character at the start of b is a Java
// identifier part (Character.isJavaIdentifierPart).
func identPart(b []byte) bool {
	c := b[0]
	if c < 0x80 {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' ||
			c <= 8 || c >= 0x0E && c <= 0x1B || c == 0x7F
	}
	r, _ := utf8.DecodeRune(b)
	if r == utf8.RuneError {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) ||
		unicode.Is(unicode.Pc, r) || unicode.Is(unicode.Sc, r) || unicode.Is(unicode.Nl, r) ||
		r >= 0x7F && r <= 0x9F || unicode.Is(unicode.Cf, r)
}

func (p *parser) number(root bool) (int32, error) {
	start := p.pos
	s := p.src
	i := p.pos
	neg := false
	if s[i] == '-' {
		neg = true
		i++
	}
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		p.pos = i
		return 0, p.fail("invalid numeric value")
	}
	// leading zeros are allowed and dropped
	for i+1 < len(s) && s[i] == '0' && s[i+1] >= '0' && s[i+1] <= '9' {
		i++
	}
	intStart := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	intEnd := i
	isFloat := false
	if i < len(s) && s[i] == '.' {
		isFloat = true
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			p.pos = i
			return 0, p.fail("decimal point not followed by a digit")
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		isFloat = true
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			p.pos = i
			return 0, p.fail("exponent indicator not followed by a digit")
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	p.pos = i
	if i-start > maxNumberLen {
		return 0, p.fail("number too long")
	}
	if root && i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
		default:
			return 0, p.fail("expected space separating root-level values")
		}
	}
	n := node{first: -1, next: -1, off: int32(start), end: int32(i)}
	if isFloat {
		if _, err := parseDecimalText(string(s[start:i])); err != nil {
			return 0, p.fail("invalid number: %v", err)
		}
		n.kind = kDecimal
		return p.add(n), nil
	}
	digits := s[intStart:intEnd]
	if len(digits) <= 18 {
		var v int64
		for _, d := range digits {
			v = v*10 + int64(d-'0')
		}
		if neg {
			v = -v
		}
		n.i = v
		if v >= -1<<31 && v < 1<<31 {
			n.kind = kInt
		} else {
			n.kind = kLong
		}
		return p.add(n), nil
	}
	if v, ok := parseInt64(digits, neg); ok {
		n.i = v
		n.kind = kLong
		return p.add(n), nil
	}
	n.kind = kBigInt
	return p.add(n), nil
}

// parseInt64 parses decimal digits that may not fit an int64.
func parseInt64(digits []byte, neg bool) (int64, bool) {
	var u uint64
	for _, d := range digits {
		if u > (1<<64-1)/10 {
			return 0, false
		}
		u = u*10 + uint64(d-'0')
		if u < uint64(d-'0') {
			return 0, false
		}
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return int64(-u), true
	}
	if u > 1<<63-1 {
		return 0, false
	}
	return int64(u), true
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.fail("nesting depth exceeds %d", maxDepth)
	}
	return nil
}

func (p *parser) array() (int32, error) {
	if err := p.enter(); err != nil {
		return 0, err
	}
	idx := p.add(node{kind: kArray, first: -1, next: -1, off: int32(p.pos)})
	p.pos++
	p.skipWS()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		p.depth--
		p.nodes[idx].end = int32(p.pos)
		return idx, nil
	}
	last := int32(-1)
	var count int32
	for {
		p.skipWS()
		child, err := p.value(false)
		if err != nil {
			return 0, err
		}
		if last < 0 {
			p.nodes[idx].first = child
		} else {
			p.nodes[last].next = child
		}
		last = child
		count++
		p.skipWS()
		if p.pos >= len(p.src) {
			return 0, p.fail("unexpected end of input in array")
		}
		c := p.src[p.pos]
		p.pos++
		if c == ']' {
			break
		}
		if c != ',' {
			return 0, p.fail("unexpected character %q in array", c)
		}
	}
	p.nodes[idx].n = count
	p.nodes[idx].end = int32(p.pos)
	p.depth--
	return idx, nil
}

func (p *parser) object() (int32, error) {
	if err := p.enter(); err != nil {
		return 0, err
	}
	idx := p.add(node{kind: kObject, first: -1, next: -1, off: int32(p.pos)})
	p.pos++
	p.skipWS()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		p.depth--
		p.nodes[idx].end = int32(p.pos)
		return idx, nil
	}
	last := int32(-1)
	var count int32
	for {
		p.skipWS()
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return 0, p.fail("expected a double-quoted member name")
		}
		koff, kend, kesc, key, err := p.str()
		if err != nil {
			return 0, err
		}
		p.skipWS()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return 0, p.fail("expected ':'")
		}
		p.pos++
		p.skipWS()
		child, err := p.value(false)
		if err != nil {
			return 0, err
		}
		c := &p.nodes[child]
		c.koff, c.kend, c.kesc, c.key = koff, kend, kesc, key
		p.nstr++
		if last < 0 {
			p.nodes[idx].first = child
		} else {
			p.nodes[last].next = child
		}
		last = child
		count++
		p.skipWS()
		if p.pos >= len(p.src) {
			return 0, p.fail("unexpected end of input in object")
		}
		ch := p.src[p.pos]
		p.pos++
		if ch == '}' {
			break
		}
		if ch != ',' {
			return 0, p.fail("unexpected character %q in object", ch)
		}
	}
	p.nodes[idx].n = count
	p.nodes[idx].end = int32(p.pos)
	p.depth--
	return idx, nil
}

// str parses a string at p.pos (on the opening quote). Plain strings are
// returned as the [off, end) range of src; others decoded in s.
func (p *parser) str() (off, end int32, esc bool, s string, err error) {
	p.pos++
	start := p.pos
	src := p.src
	i := start
	ascii := true
	for i < len(src) {
		c := src[i]
		if c == '"' {
			if ascii || utf8.Valid(src[start:i]) {
				p.pos = i + 1
				return int32(start), int32(i), false, "", nil
			}
			break
		}
		if c == '\\' || c < 0x20 {
			break
		}
		if c >= 0x80 {
			ascii = false
		}
		i++
	}
	// slow path: decode escapes and normalise the UTF-8 the way Jackson reads it
	b := p.buf[:0]
	i = start
	for {
		if i >= len(src) {
			p.pos = i
			return 0, 0, false, "", p.fail("unexpected end of input in string")
		}
		c := src[i]
		switch {
		case c == '"':
			p.pos = i + 1
			p.buf = b
			return int32(start), int32(i), true, string(fixSurrogates(b)), nil
		case c < 0x20:
			p.pos = i
			return 0, 0, false, "", p.fail("illegal unquoted character in string")
		case c == '\\':
			i++
			if i >= len(src) {
				p.pos = i
				return 0, 0, false, "", p.fail("unexpected end of input in string")
			}
			e := src[i]
			i++
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				if i+4 > len(src) {
					p.pos = i
					return 0, 0, false, "", p.fail("unexpected end of input in escape")
				}
				var u uint32
				for k := 0; k < 4; k++ {
					h := src[i+k]
					var d byte
					switch {
					case h >= '0' && h <= '9':
						d = h - '0'
					case h >= 'a' && h <= 'f':
						d = h - 'a' + 10
					case h >= 'A' && h <= 'F':
						d = h - 'A' + 10
					default:
						p.pos = i + k
						return 0, 0, false, "", p.fail("invalid hex digit in escape")
					}
					u = u<<4 | uint32(d)
				}
				i += 4
				b = appendUnit(b, u)
			default:
				p.pos = i - 1
				return 0, 0, false, "", p.fail("unrecognized character escape %q", e)
			}
		case c < 0x80:
			b = append(b, c)
			i++
		default:
			var cp uint32
			var need int
			switch {
			case c&0xE0 == 0xC0:
				cp, need = uint32(c&0x1F), 1
			case c&0xF0 == 0xE0:
				cp, need = uint32(c&0x0F), 2
			case c&0xF8 == 0xF0:
				cp, need = uint32(c&0x07), 3
			default:
				p.pos = i
				return 0, 0, false, "", p.fail("invalid UTF-8 start byte 0x%x", c)
			}
			if i+need >= len(src) {
				p.pos = len(src)
				return 0, 0, false, "", p.fail("unexpected end of input in string")
			}
			for k := 1; k <= need; k++ {
				d := src[i+k]
				if d&0xC0 != 0x80 {
					p.pos = i + k
					return 0, 0, false, "", p.fail("invalid UTF-8 middle byte 0x%x", d)
				}
				cp = cp<<6 | uint32(d&0x3F)
			}
			i += need + 1
			if need == 3 {
				// Jackson splits into two UTF-16 units without range checks
				cp -= 0x10000
				b = appendUnit(b, 0xD800+(cp>>10)&0xFFFF)
				b = appendUnit(b, 0xDC00|cp&0x3FF)
			} else {
				b = appendUnit(b, cp)
			}
		}
	}
}

// fixSurrogates joins WTF-8 encoded surrogate pairs into proper 4-byte UTF-8.
func fixSurrogates(b []byte) []byte {
	for i := 0; i+5 < len(b); i++ {
		if b[i] == 0xED && b[i+1] >= 0xA0 && b[i+1] <= 0xAF && b[i+3] == 0xED && b[i+4] >= 0xB0 && b[i+4] <= 0xBF {
			return joinPairs(b)
		}
	}
	return b
}

func joinPairs(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if i+5 < len(b)+0 && i+6 <= len(b) && b[i] == 0xED && b[i+1] >= 0xA0 && b[i+1] <= 0xAF && b[i+3] == 0xED && b[i+4] >= 0xB0 && b[i+4] <= 0xBF {
			hi := 0xD000 | uint32(b[i+1]&0x3F)<<6 | uint32(b[i+2]&0x3F)
			lo := 0xD000 | uint32(b[i+4]&0x3F)<<6 | uint32(b[i+5]&0x3F)
			out = utf8.AppendRune(out, utf16.DecodeRune(rune(hi), rune(lo)))
			i += 6
			continue
		}
		out = append(out, b[i])
		i++
	}
	return out
}
