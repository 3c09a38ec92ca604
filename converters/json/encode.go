package json

import (
	"math"
	"math/big"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"sluice.io/sluice"
)

// encoder writes Connect data as JSON the way JsonConverter and Jackson's
// generator do, appending to buf.
type encoder struct {
	c   *Converter
	buf []byte
}

const hexUpper = "0123456789ABCDEF"

// appendString writes a JSON string with Jackson's escaping: short escapes
// for \b \t \n \f \r, \u00XX for other controls, UTF-16 surrogates (every
// supplementary character) as \uXXXX escapes, the rest as UTF-8.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\t':
				b = append(b, '\\', 't')
			case '\n':
				b = append(b, '\\', 'n')
			case '\f':
				b = append(b, '\\', 'f')
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, '\\', 'u', '0', '0', hexUpper[c>>4], hexUpper[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			if u, ok := surrogateAt(s, i); ok {
				b = appendEscape(b, u)
				i += 3
			} else {
				b = append(b, "\uFFFD"...)
				i++
			}
			start = i
		case r >= 0x10000:
			b = append(b, s[start:i]...)
			r -= 0x10000
			b = appendEscape(b, 0xD800+uint16(r>>10))
			b = appendEscape(b, 0xDC00+uint16(r&0x3FF))
			i += size
			start = i
		default:
			i += size
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// surrogateAt decodes a WTF-8 encoded lone surrogate at s[i:].
func surrogateAt(s string, i int) (uint16, bool) {
	if i+3 <= len(s) && s[i] == 0xED && s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2]&0xC0 == 0x80 {
		return 0xD000 | uint16(s[i+1]&0x3F)<<6 | uint16(s[i+2]&0x3F), true
	}
	return 0, false
}

func appendEscape(b []byte, u uint16) []byte {
	return append(b, '\\', 'u', hexUpper[u>>12], hexUpper[u>>8&0xF], hexUpper[u>>4&0xF], hexUpper[u&0xF])
}

func appendFloat64(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		b = append(b, '"')
		b = sluice.AppendJavaDouble(b, f)
		return append(b, '"')
	}
	return sluice.AppendJavaDouble(b, f)
}

func appendFloat32(b []byte, f float32) []byte {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		b = append(b, '"')
		b = sluice.AppendJavaFloat(b, f)
		return append(b, '"')
	}
	return sluice.AppendJavaFloat(b, f)
}

// javaClass returns Java's getClass() text for a Connect value.
func javaClass(v any) string {
	switch x := v.(type) {
	case *sluice.Map:
		if !x.Hashed {
			return "class java.util.LinkedHashMap"
		}
	case sluice.ByteBuffer:
		return "class java.nio.HeapByteBuffer"
	}
	return sluice.JavaClassName(v)
}

// value writes one Connect value (JsonConverter.convertToJson).
func (e *encoder) value(s *sluice.Schema, v any) error {
	if v == nil {
		if s == nil {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if s.Default != nil && e.c.replaceNull {
			return e.value(s, s.Default)
		}
		if s.Optional {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return dataErr("Conversion error: null value for field that is required and has no default value")
	}
	if s != nil && s.Name != "" {
		switch s.Name {
		case sluice.DecimalName:
			return e.decimal(s, v)
		case sluice.DateName, sluice.TimeName, sluice.TimestampName:
			return e.date(s, v)
		}
	}
	var t sluice.Type
	if s == nil {
		t = schemaType(v)
		if t == 0 {
			return dataErr("Java class %s does not have corresponding schema type.", javaClass(v))
		}
	} else {
		t = s.Type
	}
	ok := true
	switch t {
	case sluice.Int8:
		var x int8
		if x, ok = v.(int8); ok {
			e.buf = strconv.AppendInt(e.buf, int64(x), 10)
		}
	case sluice.Int16:
		var x int16
		if x, ok = v.(int16); ok {
			e.buf = strconv.AppendInt(e.buf, int64(x), 10)
		}
	case sluice.Int32:
		var x int32
		if x, ok = v.(int32); ok {
			e.buf = strconv.AppendInt(e.buf, int64(x), 10)
		}
	case sluice.Int64:
		var x int64
		if x, ok = v.(int64); ok {
			e.buf = strconv.AppendInt(e.buf, x, 10)
		}
	case sluice.Float32:
		var x float32
		if x, ok = v.(float32); ok {
			e.buf = appendFloat32(e.buf, x)
		}
	case sluice.Float64:
		var x float64
		if x, ok = v.(float64); ok {
			e.buf = appendFloat64(e.buf, x)
		}
	case sluice.Boolean:
		var x bool
		if x, ok = v.(bool); ok {
			e.buf = strconv.AppendBool(e.buf, x)
		}
	case sluice.String:
		var x string
		if x, ok = v.(string); ok {
			e.buf = appendString(e.buf, x)
		}
	case sluice.Bytes:
		switch x := v.(type) {
		case []byte:
			e.buf = append(e.buf, '"')
			e.buf = encodeBase64(e.buf, x)
			e.buf = append(e.buf, '"')
		case sluice.ByteBuffer:
			e.buf = append(e.buf, '"')
			e.buf = encodeBase64(e.buf, x)
			e.buf = append(e.buf, '"')
		default:
			return dataErr("Invalid type for bytes type: %s", javaClass(v))
		}
	case sluice.Array:
		var l []any
		if l, ok = v.([]any); ok {
			var es *sluice.Schema
			if s != nil {
				es = s.Value
			}
			e.buf = append(e.buf, '[')
			for i, x := range l {
				if i > 0 {
					e.buf = append(e.buf, ',')
				}
				if err := e.value(es, x); err != nil {
					return err
				}
			}
			e.buf = append(e.buf, ']')
		}
	case sluice.Map_:
		var m *sluice.Map
		if m, ok = v.(*sluice.Map); ok {
			return e.mapValue(s, m)
		}
	case sluice.StructType:
		var st *sluice.Struct
		if st, ok = v.(*sluice.Struct); ok {
			if s == nil || !st.Schema().Equal(s) {
				return dataErr("Mismatching schema.")
			}
			e.buf = append(e.buf, '{')
			vals := st.Values()
			for i := range s.Fields {
				if i > 0 {
					e.buf = append(e.buf, ',')
				}
				f := &s.Fields[i]
				e.buf = appendString(e.buf, f.Name)
				e.buf = append(e.buf, ':')
				if err := e.value(f.Schema, vals[i]); err != nil {
					return err
				}
			}
			e.buf = append(e.buf, '}')
		}
	}
	if !ok {
		name := "unknown schema"
		if s != nil {
			name = s.Type.String()
		}
		return dataErr("Invalid type for %s: %s", name, javaClass(v))
	}
	return nil
}

// schemaType is ConnectSchema.schemaType(value.getClass()).
func schemaType(v any) sluice.Type { return sluice.TypeOf(v) }

// mapValue writes a map: a JSON object when keys are strings, otherwise an
// array of [key, value] pairs; entries in Java iteration order.
func (e *encoder) mapValue(s *sluice.Schema, m *sluice.Map) error {
	var ks, vs *sluice.Schema
	objectMode := true
	if s == nil {
		for i := range m.Entries {
			if _, ok := m.Entries[i].Key.(string); !ok {
				objectMode = false
				break
			}
		}
	} else {
		ks, vs = s.Key, s.Value
		if ks == nil {
			return &sluice.JavaError{Class: "NullPointerException",
				Msg: `Cannot invoke "org.apache.kafka.connect.data.Schema.type()" because the return value of "org.apache.kafka.connect.data.Schema.keySchema()" is null`}
		}
		objectMode = ks.Type == sluice.String
	}
	var small [16]int32
	order := javaOrder(m, small[:0])
	if objectMode {
		e.buf = append(e.buf, '{')
		// member names: Jackson's ObjectNode keeps the first position of a
		// repeated name with the last value; distinct keys cannot repeat
		// except through null ("null") and text keys.
		first := true
		for _, i := range order {
			en := &m.Entries[i]
			if !first {
				e.buf = append(e.buf, ',')
			}
			first = false
			switch k := en.Key.(type) {
			case string:
				e.buf = appendString(e.buf, k)
			default:
				// a key that converts to something else: use its JSON text
				mark := len(e.buf)
				if err := e.value(ks, k); err != nil {
					return err
				}
				txt := asText(e.buf[mark:])
				e.buf = appendString(e.buf[:mark], txt)
			}
			e.buf = append(e.buf, ':')
			if err := e.value(vs, en.Value); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, '}')
		return nil
	}
	e.buf = append(e.buf, '[')
	for n, i := range order {
		en := &m.Entries[i]
		if n > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, '[')
		if err := e.value(ks, en.Key); err != nil {
			return err
		}
		e.buf = append(e.buf, ',')
		if err := e.value(vs, en.Value); err != nil {
			return err
		}
		e.buf = append(e.buf, ']')
	}
	e.buf = append(e.buf, ']')
	return nil
}

// asText is JsonNode.asText of a scalar node rendered as JSON.
func asText(b []byte) string {
	if len(b) >= 2 && b[0] == '"' {
		var p parser
		p.src = b
		_, _, esc, s, err := p.str()
		if err == nil {
			if esc {
				return s
			}
			return string(b[1 : len(b)-1])
		}
	}
	return string(b)
}

func (e *encoder) decimal(s *sluice.Schema, v any) error {
	d, ok := v.(sluice.Decimal)
	if !ok {
		return dataErr("Invalid type for Decimal, expected BigDecimal but was %s", javaClass(v))
	}
	if e.c.numeric {
		e.buf = append(e.buf, d.String()...)
		return nil
	}
	if s.Parameters == nil {
		return &sluice.JavaError{Class: "NullPointerException", Msg: "Decimal schema has no parameters"}
	}
	scale, err := decimalScale(s)
	if err != nil {
		if _, ok := err.(*sluice.DataError); ok {
			return err
		}
		return &sluice.DataError{Msg: "Invalid scale parameter found in Decimal schema: ", Err: err}
	}
	if d.Scale != scale {
		return dataErr("Decimal value has mismatching scale for given Decimal schema. Schema has scale %d, value has scale %d.", scale, d.Scale)
	}
	e.buf = append(e.buf, '"')
	e.buf = encodeBase64(e.buf, twosComplement(d.Unscaled))
	e.buf = append(e.buf, '"')
	return nil
}

// twosComplement is BigInteger.toByteArray: minimal big-endian two's
// complement.
func twosComplement(u *big.Int) []byte {
	if u == nil || u.Sign() == 0 {
		return []byte{0}
	}
	if u.Sign() > 0 {
		b := u.Bytes()
		if b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return b
	}
	// negative: 2^(8n) + u for the smallest n that keeps the sign bit set
	n := (u.BitLen() + 8) / 8
	m := new(big.Int).Lsh(big.NewInt(1), uint(n*8))
	m.Add(m, u)
	b := m.Bytes()
	for len(b) < n {
		b = append([]byte{0}, b...)
	}
	for len(b) > 1 && b[0] == 0xFF && b[1]&0x80 != 0 {
		b = b[1:]
	}
	return b
}

func (e *encoder) date(s *sluice.Schema, v any) error {
	kindName := "Date"
	switch s.Name {
	case sluice.TimeName:
		kindName = "Time"
	case sluice.TimestampName:
		kindName = "Timestamp"
	}
	t, ok := v.(time.Time)
	if !ok {
		return dataErr("Invalid type for %s, expected Date but was %s", kindName, javaClass(v))
	}
	ms := t.UnixMilli()
	switch kindName {
	case "Date":
		if ms%86400000 != 0 {
			return dataErr("Kafka Connect Date type should not have any time fields set to non-zero values.")
		}
		e.buf = strconv.AppendInt(e.buf, int64(int32(ms/86400000)), 10)
	case "Time":
		if ms < 0 || ms > 86400000 {
			return dataErr("Kafka Connect Time type should not have any date fields set to non-zero values.")
		}
		e.buf = strconv.AppendInt(e.buf, ms, 10)
	default:
		e.buf = strconv.AppendInt(e.buf, ms, 10)
	}
	return nil
}

// schemaJSON writes the JSON form of a schema (JsonConverter.asJsonSchema);
// field names a struct field's schema when non-empty.
func (e *encoder) schemaJSON(s *sluice.Schema, field string, isField bool) error {
	e.buf = append(e.buf, `{"type":`...)
	switch s.Type {
	case sluice.Boolean:
		e.buf = append(e.buf, `"boolean"`...)
	case sluice.Bytes:
		e.buf = append(e.buf, `"bytes"`...)
	case sluice.Float64:
		e.buf = append(e.buf, `"double"`...)
	case sluice.Float32:
		e.buf = append(e.buf, `"float"`...)
	case sluice.Int8:
		e.buf = append(e.buf, `"int8"`...)
	case sluice.Int16:
		e.buf = append(e.buf, `"int16"`...)
	case sluice.Int32:
		e.buf = append(e.buf, `"int32"`...)
	case sluice.Int64:
		e.buf = append(e.buf, `"int64"`...)
	case sluice.String:
		e.buf = append(e.buf, `"string"`...)
	case sluice.Array:
		e.buf = append(e.buf, `"array","items":`...)
		if err := e.schemaOrNull(s.Value); err != nil {
			return err
		}
	case sluice.Map_:
		e.buf = append(e.buf, `"map","keys":`...)
		if err := e.schemaOrNull(s.Key); err != nil {
			return err
		}
		e.buf = append(e.buf, `,"values":`...)
		if err := e.schemaOrNull(s.Value); err != nil {
			return err
		}
	case sluice.StructType:
		e.buf = append(e.buf, `"struct","fields":[`...)
		for i := range s.Fields {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.schemaJSON(s.Fields[i].Schema, s.Fields[i].Name, true); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
	default:
		return dataErr("Couldn't translate unsupported schema type %s.", s)
	}
	e.buf = append(e.buf, `,"optional":`...)
	e.buf = strconv.AppendBool(e.buf, s.Optional)
	if s.Name != "" {
		e.buf = append(e.buf, `,"name":`...)
		e.buf = appendString(e.buf, s.Name)
	}
	if s.Version != nil {
		e.buf = append(e.buf, `,"version":`...)
		e.buf = strconv.AppendInt(e.buf, int64(*s.Version), 10)
	}
	if s.Doc != nil {
		e.buf = append(e.buf, `,"doc":`...)
		e.buf = appendString(e.buf, *s.Doc)
	}
	if s.Parameters != nil {
		e.buf = append(e.buf, `,"parameters":{`...)
		first := true
		for _, k := range paramKeys(s) {
			if !first {
				e.buf = append(e.buf, ',')
			}
			first = false
			e.buf = appendString(e.buf, k)
			e.buf = append(e.buf, ':')
			e.buf = appendString(e.buf, s.Parameters[k])
		}
		e.buf = append(e.buf, '}')
	}
	if s.Default != nil {
		e.buf = append(e.buf, `,"default":`...)
		if err := e.value(s, s.Default); err != nil {
			return err
		}
	}
	if isField {
		e.buf = append(e.buf, `,"field":`...)
		e.buf = appendString(e.buf, field)
	}
	e.buf = append(e.buf, '}')
	return nil
}

func (e *encoder) schemaOrNull(s *sluice.Schema) error {
	if s == nil {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	return e.schemaJSON(s, "", false)
}

// paramKeys lists parameter names in insertion order.
func paramKeys(s *sluice.Schema) []string {
	if len(s.ParamOrder) == len(s.Parameters) {
		ok := true
		for _, k := range s.ParamOrder {
			if _, in := s.Parameters[k]; !in {
				ok = false
				break
			}
		}
		if ok {
			return s.ParamOrder
		}
	}
	out := make([]string, 0, len(s.Parameters))
	seen := map[string]bool{}
	for _, k := range s.ParamOrder {
		if _, in := s.Parameters[k]; in && !seen[k] {
			out = append(out, k)
			seen[k] = true
		}
	}
	var rest []string
	for k := range s.Parameters {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}
