package sluice

import (
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file reproduces Connect's Values class: text is turned into typed
// values (ParseString) and typed values into text (ConvertToString), and
// values are converted between Connect types the way headers, InsertHeader,
// Cast and friends need.

const millisPerDay = 24 * 60 * 60 * 1000

// errParse marks a failure inside an array or map literal; the caller falls
// back to the text as a string, as Java does with its DataException.
var errParse = errors.New("unparsable value")

// errTooBig is Java's ArithmeticException from BigInteger when a number's
// exponent is so large that its power of ten overflows BigInteger's range.
var errTooBig = &JavaError{Class: "ArithmeticException", Msg: "BigInteger would overflow supported range"}

// ParseString infers a typed value from text the way Connect's
// Values.parseString does: null/true/false literals, arrays and maps,
// numbers narrowed to the smallest integer type (or FLOAT32, FLOAT64,
// Decimal), Date/Time/Timestamp literals, and otherwise the text itself as a
// STRING. It returns (nil, nil) where Java returns no schema and no value
// (the literal "null"). Inputs for which Java throws (exponents beyond
// BigInteger's range) come back as a STRING; ParseStringErr reports them.
func ParseString(s string) (*Schema, any) {
	sc, v, err := ParseStringErr(s)
	if err != nil {
		return StringSchema, s
	}
	return sc, v
}

// ParseStringErr is ParseString that also reports the rare inputs for which
// Java's parseString throws instead of returning a value (an
// ArithmeticException for numbers like 1e-999999999).
func ParseStringErr(s string) (*Schema, any, error) {
	if s == "" {
		return StringSchema, "", nil
	}
	p := valueParser{tok: tokenizer{s: s}}
	r, err := p.parse(false)
	if err != nil {
		return nil, nil, err
	}
	if r == nil {
		return nil, nil, nil
	}
	return r.schema, r.value, nil
}

// schemaAndValue is a parse result; nil stands for Java's null result.
type schemaAndValue struct {
	schema *Schema
	value  any
}

var (
	trueResult  = &schemaAndValue{BooleanSchema, true}
	falseResult = &schemaAndValue{BooleanSchema, false}
)

// tokenizer splits text at the delimiters : , { } [ ] and " unless a
// backslash escapes them, keeping one token of look-ahead the way Java's
// Values.Parser does (its positions and rewinds included).
type tokenizer struct {
	s       string
	idx     int    // next unread byte
	pending bool   // a looked-ahead token s[pstart:idx] is waiting
	pstart  int    // start of the pending token
	prev    string // the token most recently returned by next
	hasPrev bool
}

func isDelim(c byte) bool {
	switch c {
	case ':', ',', '{', '}', '[', ']', '"':
		return true
	}
	return false
}

// consume reads the next raw token from idx.
func (t *tokenizer) consume() string {
	start := t.idx
	escaped := false
	for t.idx < len(t.s) {
		c := t.s[t.idx]
		switch {
		case c == '\\':
			escaped = !escaped
		case isDelim(c):
			if !escaped {
				if start < t.idx {
					return t.s[start:t.idx]
				}
				t.idx++
				return t.s[start:t.idx]
			}
			escaped = false
		default:
			escaped = false
		}
		t.idx++
	}
	return t.s[start:t.idx]
}

func (t *tokenizer) mark() int {
	if t.pending {
		return t.pstart
	}
	return t.idx
}

func (t *tokenizer) rewindTo(pos int) {
	t.idx = pos
	t.pending = false
	t.hasPrev = false
	t.prev = ""
}

func (t *tokenizer) hasNext() bool { return t.pending || t.idx < len(t.s) }

func (t *tokenizer) next() string {
	if t.pending {
		t.prev = t.s[t.pstart:t.idx]
		t.pending = false
	} else {
		t.prev = t.consume()
	}
	t.hasPrev = true
	return t.prev
}

// nextN returns the text of the next n tokens, or "", false (rewinding)
// when fewer remain.
func (t *tokenizer) nextN(n int) (string, bool) {
	start := t.mark()
	for i := 0; i < n; i++ {
		if !t.hasNext() {
			t.rewindTo(start)
			return "", false
		}
		t.next()
	}
	return t.s[start:t.idx], true
}

// canConsume consumes the next token (blank tokens skipped) when, trimmed,
// it equals expected.
func (t *tokenizer) canConsume(expected string) bool {
	if !t.pending {
		if !t.hasNext() {
			return false
		}
		t.pstart = t.idx
		t.consume()
		t.pending = true
	}
	for isBlank(t.s[t.pstart:t.idx]) && t.idx < len(t.s) {
		t.pstart = t.idx
		t.consume()
	}
	if JavaTrim(t.s[t.pstart:t.idx]) == expected {
		t.pending = false
		return true
	}
	return false
}

// isBlank is Kafka's Utils.isBlank: empty after Java's trim.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > ' ' {
			return false
		}
	}
	return true
}

type valueParser struct {
	tok tokenizer
}

func (p *valueParser) canParseSingleTokenLiteral(embedded bool, literal string) bool {
	start := p.tok.mark()
	if p.tok.canConsume(literal) && (embedded || !p.tok.hasNext()) {
		return true
	}
	p.tok.rewindTo(start)
	return false
}

func (p *valueParser) parse(embedded bool) (*schemaAndValue, error) {
	t := &p.tok
	switch {
	case !t.hasNext():
		return nil, nil
	case embedded && t.canConsume(`"`):
		return p.parseQuotedString(), nil
	case p.canParseSingleTokenLiteral(embedded, "null"):
		return nil, nil
	case p.canParseSingleTokenLiteral(embedded, "true"):
		return trueResult, nil
	case p.canParseSingleTokenLiteral(embedded, "false"):
		return falseResult, nil
	}
	start := t.mark()
	var r *schemaAndValue
	var err error
	switch {
	case t.canConsume("["):
		r, err = p.parseArray()
	case t.canConsume("{"):
		r, err = p.parseMap()
	default:
		goto token
	}
	if err == nil {
		return r, nil
	}
	if err != errParse {
		return nil, err
	}
	t.rewindTo(start)
token:
	tok := t.next()
	if isBlank(tok) {
		return &schemaAndValue{StringSchema, tok}, nil
	}
	return p.parseNextToken(embedded, JavaTrim(tok))
}

func (p *valueParser) parseNextToken(embedded bool, token string) (*schemaAndValue, error) {
	first, _ := utf8.DecodeRuneInString(token)
	firstDigit := first <= 0xFFFF && JavaDigit(first) >= 0
	if firstDigit {
		if r := p.parseMultipleTokensAsTemporal(token); r != nil {
			return r, nil
		}
	}
	if firstDigit || first == '+' || first == '-' {
		r, err := parseAsNumber(token)
		if err != nil {
			return nil, err
		}
		if r != nil {
			return r, nil
		}
	}
	if embedded {
		return nil, errParse
	}
	return &schemaAndValue{StringSchema, p.tok.s}, nil
}

func (p *valueParser) parseQuotedString() *schemaAndValue {
	t := &p.tok
	var sb strings.Builder
	for t.hasNext() {
		if t.canConsume(`"`) {
			break
		}
		sb.WriteString(t.next())
	}
	content := sb.String()
	if r := parseAsTemporal(content); r != nil {
		return r
	}
	return &schemaAndValue{StringSchema, content}
}

func (p *valueParser) parseArray() (*schemaAndValue, error) {
	t := &p.tok
	var result []any
	var merger schemaMerger
	for t.hasNext() {
		if t.canConsume("]") {
			var ls *Schema
			if merger.common != nil {
				ls = ArraySchema(merger.common, false)
				for i, v := range result {
					c, err := convertTo(merger.common, nil, v)
					if err != nil {
						return nil, parseFailure(err)
					}
					result[i] = c
				}
			} else {
				ls = &Schema{Type: Array}
			}
			if result == nil {
				result = []any{}
			}
			return &schemaAndValue{ls, result}, nil
		}
		if t.canConsume(",") {
			return nil, errParse
		}
		elem, err := p.parse(true)
		if err != nil {
			return nil, err
		}
		merger.merge(elem)
		if elem != nil {
			result = append(result, elem.value)
		} else {
			result = append(result, nil)
		}
		cur := t.mark()
		if t.canConsume("]") {
			t.rewindTo(cur)
		} else if !t.canConsume(",") {
			return nil, errParse
		}
	}
	return nil, errParse
}

func (p *valueParser) parseMap() (*schemaAndValue, error) {
	t := &p.tok
	result := &Map{}
	var keys, values schemaMerger
	for t.hasNext() {
		if t.canConsume("}") {
			var ms *Schema
			switch {
			case keys.common != nil && values.common != nil:
				ms = MapSchema(keys.common, values.common, false)
				aligned := &Map{Entries: make([]MapEntry, 0, len(result.Entries))}
				for _, e := range result.Entries {
					k, err := convertTo(keys.common, nil, e.Key)
					if err != nil {
						return nil, parseFailure(err)
					}
					v, err := convertTo(values.common, nil, e.Value)
					if err != nil {
						return nil, parseFailure(err)
					}
					javaPut(aligned, k, v)
				}
				result = aligned
			case keys.common != nil:
				ms = &Schema{Type: Map_, Key: keys.common}
				aligned := &Map{Entries: make([]MapEntry, 0, len(result.Entries))}
				for _, e := range result.Entries {
					k, err := convertTo(keys.common, nil, e.Key)
					if err != nil {
						return nil, parseFailure(err)
					}
					javaPut(aligned, k, e.Value)
				}
				result = aligned
			default:
				ms = &Schema{Type: Map_}
			}
			return &schemaAndValue{ms, result}, nil
		}
		if t.canConsume(",") {
			return nil, errParse
		}
		key, err := p.parse(true)
		if err != nil {
			return nil, err
		}
		if key == nil || key.value == nil {
			return nil, errParse
		}
		if !t.canConsume(":") {
			return nil, errParse
		}
		val, err := p.parse(true)
		if err != nil {
			return nil, err
		}
		var v any
		if val != nil {
			v = val.value
		}
		javaPut(result, key.value, v)
		t.canConsume(",")
		keys.merge(key)
		values.merge(val)
	}
	return nil, errParse
}

// parseFailure maps a conversion error met while aligning array or map
// elements: Java's DataException makes the literal fall back to a string,
// anything else escapes.
func parseFailure(err error) error {
	var de *DataError
	if errors.As(err, &de) {
		return errParse
	}
	return err
}

// javaPut stores k→v with Java equals semantics (Float and Double compare by
// bits, boxed types of different classes never match).
func javaPut(m *Map, k, v any) {
	for i := range m.Entries {
		if javaEquals(m.Entries[i].Key, k) {
			m.Entries[i].Value = v
			return
		}
	}
	m.Entries = append(m.Entries, MapEntry{k, v})
}

func javaEquals(a, b any) bool {
	switch x := a.(type) {
	case float32:
		y, ok := b.(float32)
		return ok && floatBits32(x) == floatBits32(y)
	case float64:
		y, ok := b.(float64)
		return ok && floatBits64(x) == floatBits64(y)
	}
	return ValuesEqual(a, b)
}

func floatBits32(f float32) uint32 {
	if f != f {
		return 0x7fc00000
	}
	return math.Float32bits(f)
}

func floatBits64(f float64) uint64 {
	if f != f {
		return 0x7ff8000000000000
	}
	return math.Float64bits(f)
}

func (p *valueParser) parseMultipleTokensAsTemporal(token string) *schemaAndValue {
	t := &p.tok
	pos := t.mark()
	if rest, ok := t.nextN(4); ok {
		if r := parseAsTemporal(token + rest); r != nil {
			return r
		}
	}
	t.rewindTo(pos)
	return parseAsTemporal(token)
}

// schemaMerger finds a common schema for array elements or map keys/values:
// numeric types widen, anything else must have the same type.
type schemaMerger struct {
	common       *Schema
	incompatible bool
}

func (m *schemaMerger) merge(r *schemaAndValue) {
	if r == nil || r.schema == nil || m.incompatible {
		return
	}
	if m.common == nil {
		m.common = r.schema
		return
	}
	m.common = mergeSchemas(m.common, r.schema)
	m.incompatible = m.common == nil
}

func numericRank(t Type) int {
	switch t {
	case Int8:
		return 1
	case Int16:
		return 2
	case Int32:
		return 3
	case Int64:
		return 4
	case Float32:
		return 5
	case Float64:
		return 6
	}
	return 0
}

func mergeSchemas(prev, next *Schema) *Schema {
	if prev.Type != next.Type {
		a, b := numericRank(prev.Type), numericRank(next.Type)
		if a == 0 || b == 0 {
			return nil
		}
		if b > a {
			return next
		}
		return prev
	}
	if prev.Optional == next.Optional {
		if prev.Optional {
			return prev
		}
		return next
	}
	if !prev.Equal(next) {
		return nil
	}
	return prev
}

// parseAsNumber reads a token as Java's BigDecimal and narrows it; nil when
// the token is not a number.
func parseAsNumber(token string) (*schemaAndValue, error) {
	d, ok := parseJavaBigDecimal(token)
	if !ok {
		return nil, nil
	}
	exact, err := d.exactInteger()
	if err != nil {
		return nil, err
	}
	if exact != nil {
		return exact, nil
	}
	if d.scale != 0 {
		if f := d.float(32); !math.IsInf(f, 0) {
			return &schemaAndValue{Float32Schema, float32(f)}, nil
		}
		if f := d.float(64); !math.IsInf(f, 0) {
			return &schemaAndValue{Float64Schema, f}, nil
		}
	}
	return &schemaAndValue{DecimalSchema(d.scale, false), d.decimal()}, nil
}

// javaDecimal is a parsed BigDecimal literal: sign, ASCII digits without
// leading zeros, and scale.
type javaDecimal struct {
	neg    bool
	digits string // significant digits, "" for zero
	scale  int32
	text   string // an ASCII form strconv can read
}

// parseJavaBigDecimal parses like Java's new BigDecimal(String): an optional
// leading sign, decimal digits (any Unicode decimal digit) with at most one
// point, and an optional exponent that fits an int.
func parseJavaBigDecimal(s string) (javaDecimal, bool) {
	var d javaDecimal
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		d.neg = s[i] == '-'
		i++
	}
	ascii := true
	var buf []byte // digits when the text is not plain ASCII
	nDigits := 0
	frac := int64(0)
	dot := false
	sigStart, sigEnd := -1, -1 // significant digits within s (ASCII case)
	exp := int64(0)
	for i < len(s) {
		c := s[i]
		var digit int
		size := 1
		switch {
		case c >= '0' && c <= '9':
			digit = int(c - '0')
		case c == '.':
			if dot {
				return d, false
			}
			dot = true
			i++
			continue
		case c == 'e' || c == 'E':
			e, ok := parseJavaExponent(s[i+1:])
			if !ok {
				return d, false
			}
			exp = e
			i = len(s)
			continue
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r > 0xFFFF || JavaDigit(r) < 0 {
				return d, false
			}
			digit, size = JavaDigit(r), n
			if ascii {
				ascii = false
				if sigStart >= 0 {
					buf = append(buf, s[sigStart:sigEnd]...)
				}
			}
		default:
			return d, false
		}
		nDigits++
		if dot {
			frac++
		}
		if ascii {
			if digit != 0 || sigStart >= 0 {
				if sigStart < 0 {
					sigStart = i
				}
				sigEnd = i + 1
			}
		} else if digit != 0 || len(buf) > 0 {
			buf = append(buf, byte('0'+digit))
		}
		i += size
	}
	if nDigits == 0 {
		return d, false
	}
	scale := frac - exp
	if scale > math.MaxInt32 || scale < math.MinInt32 {
		return d, false
	}
	d.scale = int32(scale)
	if ascii {
		if sigStart >= 0 {
			// Digits after the significant run may include a point.
			d.digits = strings.ReplaceAll(s[sigStart:sigEnd], ".", "")
		}
	} else {
		d.digits = string(buf)
	}
	if ascii {
		d.text = s
	}
	return d, true
}

// parseJavaExponent reads the exponent after 'e' as Java's BigDecimal does:
// optional sign, at least one digit, value within an int.
func parseJavaExponent(s string) (int64, bool) {
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	v := int64(0)
	for _, r := range s {
		if r > 0xFFFF {
			return 0, false
		}
		dg := JavaDigit(r)
		if dg < 0 {
			return 0, false
		}
		v = v*10 + int64(dg)
		if v > 1<<32 {
			v = 1 << 32 // beyond int either way; keep checking the digits
		}
	}
	if neg {
		v = -v
	}
	if v > math.MaxInt32 || v < math.MinInt32 {
		return 0, false
	}
	return v, true
}

// bigTenLimit is the first power of ten Java's BigInteger refuses to build.
const bigTenLimit = 536870913

// exactInteger narrows an integral decimal to INT8..INT64 as
// parseAsExactDecimal does; nil when it is not integral or out of range.
func (d javaDecimal) exactInteger() (*schemaAndValue, error) {
	if int64(d.scale) >= bigTenLimit || -int64(d.scale) >= bigTenLimit && d.digits != "" {
		return nil, errTooBig
	}
	if d.digits == "" {
		return &schemaAndValue{Int8Schema, int8(0)}, nil
	}
	n := int64(len(d.digits))
	var intDigits string
	if d.scale > 0 {
		if int64(d.scale) > n {
			return nil, nil
		}
		cut := n - int64(d.scale)
		for i := cut; i < n; i++ {
			if d.digits[i] != '0' {
				return nil, nil
			}
		}
		intDigits = d.digits[:cut]
	} else {
		if n-int64(d.scale) > 19 {
			return nil, nil
		}
		intDigits = d.digits + strings.Repeat("0", int(-d.scale))
	}
	u, err := strconv.ParseUint(intDigits, 10, 64)
	if err != nil {
		return nil, nil
	}
	var v int64
	switch {
	case d.neg && u <= 1<<63:
		v = -int64(u)
	case !d.neg && u <= math.MaxInt64:
		v = int64(u)
	default:
		return nil, nil
	}
	switch {
	case v == int64(int8(v)):
		return &schemaAndValue{Int8Schema, int8(v)}, nil
	case v == int64(int16(v)):
		return &schemaAndValue{Int16Schema, int16(v)}, nil
	case v == int64(int32(v)):
		return &schemaAndValue{Int32Schema, int32(v)}, nil
	}
	return &schemaAndValue{Int64Schema, v}, nil
}

// float returns the decimal correctly rounded to a float of the given size.
func (d javaDecimal) float(bits int) float64 {
	if d.digits == "" {
		return 0 // BigDecimal has no negative zero
	}
	s := d.text
	if s == "" {
		var b []byte
		if d.neg {
			b = append(b, '-')
		}
		if d.digits == "" {
			b = append(b, '0')
		} else {
			b = append(b, d.digits...)
		}
		b = append(b, 'e')
		b = strconv.AppendInt(b, -int64(d.scale), 10)
		s = string(b)
	}
	f, _ := strconv.ParseFloat(s, bits)
	return f
}

func (d javaDecimal) decimal() Decimal {
	u := new(big.Int)
	if d.digits != "" {
		u.SetString(d.digits, 10)
	}
	if d.neg {
		u.Neg(u)
	}
	return Decimal{Unscaled: u, Scale: d.scale}
}

// Temporal literal lengths in UTF-16 units, as Java measures them.
const (
	isoDateLength      = 10 // yyyy-MM-dd
	isoTimeLength      = 13 // HH:mm:ss.SSS'Z'
	isoTimestampLength = 24 // yyyy-MM-dd'T'HH:mm:ss.SSS'Z'
)

func parseAsTemporal(token string) *schemaAndValue {
	if strings.Contains(token, `\:`) {
		token = strings.ReplaceAll(token, `\:`, ":")
	}
	switch utf16Len(token) {
	case isoTimeLength:
		if ms, ok := parseJavaDate(token, patTime); ok {
			return &schemaAndValue{TimeSchema, time.UnixMilli(ms).UTC()}
		}
	case isoTimestampLength:
		if ms, ok := parseJavaDate(token, patTimestamp); ok {
			return &schemaAndValue{TimestampSchema, time.UnixMilli(ms).UTC()}
		}
	case isoDateLength:
		if ms, ok := parseJavaDate(token, patDate); ok {
			return &schemaAndValue{DateSchema, time.UnixMilli(ms).UTC()}
		}
	}
	return nil
}

func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r > 0xFFFF {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}
