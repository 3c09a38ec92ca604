package siem

import (
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"sluice.io/sluice"
)

// jnKind is the kind of a node of a Jackson-style JSON tree.
type jnKind uint8

const (
	jnMissing jnKind = iota
	jnNull
	jnBool
	jnInt    // IntNode, LongNode or BigIntegerNode: text holds the decimal
	jnDouble // DoubleNode
	jnString
	jnArray
	jnObject
)

// jnode is a JSON value as Jackson's ObjectMapper.readTree builds it: object
// members keep their order (a repeated name replaces the value in place).
type jnode struct {
	kind  jnKind
	b     bool
	f     float64
	text  string // jnInt digits, jnString text
	elems []*jnode
	keys  []string
}

var jnMissingNode = &jnode{kind: jnMissing}

var errJSON = errors.New("not JSON")

// parseJacksonTree parses the first JSON value of s like readTree with the
// default ObjectMapper settings: trailing content after the value is
// ignored; an empty or blank input is the missing node.
func parseJacksonTree(s string) (*jnode, error) {
	p := &jparser{s: s}
	if !p.skipWS() {
		if p.bad {
			return nil, errJSON
		}
		return jnMissingNode, nil
	}
	n, err := p.value(true)
	if err != nil {
		return nil, err
	}
	return n, nil
}

type jparser struct {
	s   string
	i   int
	bad bool
}

// skipWS skips JSON whitespace, reporting whether a token follows.
func (p *jparser) skipWS() bool {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.i++
		case c < 0x20:
			p.bad = true
			return false
		default:
			return true
		}
	}
	return false
}

func (p *jparser) value(root bool) (*jnode, error) {
	c := p.s[p.i]
	switch {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &jnode{kind: jnString, text: s}, nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number(root)
	case c == 't':
		return p.literal("true", &jnode{kind: jnBool, b: true})
	case c == 'f':
		return p.literal("false", &jnode{kind: jnBool})
	case c == 'n':
		return p.literal("null", &jnode{kind: jnNull})
	}
	return nil, errJSON
}

func (p *jparser) literal(word string, n *jnode) (*jnode, error) {
	if !strings.HasPrefix(p.s[p.i:], word) {
		return nil, errJSON
	}
	p.i += len(word)
	if p.i < len(p.s) {
		r, _ := utf8.DecodeRuneInString(p.s[p.i:])
		if isJavaIdentifierPart(r) {
			return nil, errJSON
		}
	}
	return n, nil
}

// isJavaIdentifierPart approximates Character.isJavaIdentifierPart.
func isJavaIdentifierPart(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r) ||
		unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || unicode.Is(unicode.Nl, r) ||
		unicode.Is(unicode.Pc, r) || unicode.Is(unicode.Sc, r) ||
		r >= 0 && r <= 8 || r >= 0x0E && r <= 0x1B || r >= 0x7F && r <= 0x9F || unicode.Is(unicode.Cf, r)
}

func (p *jparser) number(root bool) (*jnode, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	intStart := p.i
	nd := digits()
	if nd == 0 || nd > 1 && p.s[intStart] == '0' {
		return nil, errJSON
	}
	isFloat := false
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, errJSON
		}
		isFloat = true
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, errJSON
		}
		isFloat = true
	}
	if root && p.i < len(p.s) {
		if c := p.s[p.i]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return nil, errJSON
		}
	}
	text := p.s[start:p.i]
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, errJSON
		}
		return &jnode{kind: jnDouble, f: f}, nil
	}
	if v, err := strconv.ParseInt(text, 10, 64); err == nil {
		return &jnode{kind: jnInt, text: strconv.FormatInt(v, 10)}, nil
	}
	bi, _ := new(big.Int).SetString(text, 10)
	return &jnode{kind: jnInt, text: bi.String()}, nil
}

func (p *jparser) str() (string, error) {
	p.i++ // opening quote
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), nil
		case c < 0x20:
			return "", errJSON
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return "", errJSON
			}
			e := p.s[p.i+1]
			p.i += 2
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				u, ok := p.hex4()
				if !ok {
					return "", errJSON
				}
				if utf16.IsSurrogate(rune(u)) && u < 0xDC00 && strings.HasPrefix(p.s[p.i:], "\\u") {
					save := p.i
					p.i += 2
					if lo, ok := p.hex4(); ok && lo >= 0xDC00 && lo <= 0xDFFF {
						b.WriteRune(utf16.DecodeRune(rune(u), rune(lo)))
						continue
					}
					p.i = save
				}
				b.WriteRune(rune(u))
			default:
				return "", errJSON
			}
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", errJSON
}

func (p *jparser) hex4() (uint16, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	v, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 16)
	if err != nil || strings.ContainsAny(p.s[p.i:p.i+4], "+-") {
		return 0, false
	}
	p.i += 4
	return uint16(v), true
}

func (p *jparser) array() (*jnode, error) {
	p.i++
	n := &jnode{kind: jnArray}
	if !p.skipWS() {
		return nil, errJSON
	}
	if p.s[p.i] == ']' {
		p.i++
		return n, nil
	}
	for {
		if !p.skipWS() {
			return nil, errJSON
		}
		v, err := p.value(false)
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, v)
		if !p.skipWS() {
			return nil, errJSON
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return n, nil
		default:
			return nil, errJSON
		}
	}
}

func (p *jparser) object() (*jnode, error) {
	p.i++
	n := &jnode{kind: jnObject}
	if !p.skipWS() {
		return nil, errJSON
	}
	if p.s[p.i] == '}' {
		p.i++
		return n, nil
	}
	for {
		if !p.skipWS() || p.s[p.i] != '"' {
			return nil, errJSON
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		if !p.skipWS() || p.s[p.i] != ':' {
			return nil, errJSON
		}
		p.i++
		if !p.skipWS() {
			return nil, errJSON
		}
		v, err := p.value(false)
		if err != nil {
			return nil, err
		}
		if i := n.index(k); i >= 0 {
			n.elems[i] = v
		} else {
			n.keys = append(n.keys, k)
			n.elems = append(n.elems, v)
		}
		if !p.skipWS() {
			return nil, errJSON
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return n, nil
		default:
			return nil, errJSON
		}
	}
}

func (n *jnode) index(k string) int {
	for i, kk := range n.keys {
		if kk == k {
			return i
		}
	}
	return -1
}

// asText is JsonNode.asText: scalar text, "" for containers and missing.
func (n *jnode) asText() string {
	switch n.kind {
	case jnNull:
		return "null"
	case jnBool:
		return strconv.FormatBool(n.b)
	case jnInt, jnString:
		return n.text
	case jnDouble:
		return sluice.FormatJavaDouble(n.f)
	}
	return ""
}

// String is JsonNode.toString: compact JSON.
func (n *jnode) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *jnode) write(b *strings.Builder) {
	switch n.kind {
	case jnMissing:
	case jnNull:
		b.WriteString("null")
	case jnBool, jnInt:
		b.WriteString(n.asText())
	case jnDouble:
		if math.IsInf(n.f, 0) || math.IsNaN(n.f) {
			b.WriteByte('"')
			b.WriteString(n.asText())
			b.WriteByte('"')
		} else {
			b.WriteString(n.asText())
		}
	case jnString:
		writeJSONString(b, n.text)
	case jnArray:
		b.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			e.write(b)
		}
		b.WriteByte(']')
	case jnObject:
		b.WriteByte('{')
		for i, e := range n.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, n.keys[i])
			b.WriteByte(':')
			e.write(b)
		}
		b.WriteByte('}')
	}
}

// writeJSONString writes s quoted with Jackson's escapes.
func writeJSONString(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// jsonPointer is a compiled Jackson JsonPointer.
type jsonPointer struct {
	segs []string
	idx  []int // array index of each segment, -1 when not an index
}

// compileJSONPointer is JsonPointer.compile: "" is the root; anything else
// must start with '/'.
func compileJSONPointer(s string) (*jsonPointer, bool) {
	if s == "" {
		return &jsonPointer{}, true
	}
	if s[0] != '/' {
		return nil, false
	}
	p := &jsonPointer{}
	for _, raw := range strings.Split(s[1:], "/") {
		var b strings.Builder
		for i := 0; i < len(raw); i++ {
			if raw[i] == '~' && i+1 < len(raw) && (raw[i+1] == '0' || raw[i+1] == '1') {
				if raw[i+1] == '0' {
					b.WriteByte('~')
				} else {
					b.WriteByte('/')
				}
				i++
				continue
			}
			b.WriteByte(raw[i])
		}
		seg := b.String()
		p.segs = append(p.segs, seg)
		p.idx = append(p.idx, pointerIndex(seg))
	}
	return p, true
}

// pointerIndex is JsonPointer._parseIndex.
func pointerIndex(s string) int {
	if len(s) == 0 || len(s) > 10 {
		return -1
	}
	if s[0] <= '0' {
		if len(s) == 1 && s[0] == '0' {
			return 0
		}
		return -1
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
	}
	v, _ := strconv.ParseInt(s, 10, 64)
	if v > math.MaxInt32 {
		return -1
	}
	return int(v)
}

// at is JsonNode.at(pointer).
func (n *jnode) at(p *jsonPointer) *jnode {
	cur := n
	for i, seg := range p.segs {
		switch cur.kind {
		case jnObject:
			j := cur.index(seg)
			if j < 0 {
				return jnMissingNode
			}
			cur = cur.elems[j]
		case jnArray:
			j := p.idx[i]
			if j < 0 || j >= len(cur.elems) {
				return jnMissingNode
			}
			cur = cur.elems[j]
		default:
			return jnMissingNode
		}
	}
	return cur
}
