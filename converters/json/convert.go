package json

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	"sluice.io/sluice"
)

// parseDecimalText checks a JSON float token the way Java's
// new BigDecimal(String) accepts it: the exponent and resulting scale must
// fit an int.
func parseDecimalText(s string) (int64, error) {
	frac := int64(0)
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			frac++
		}
	}
	exp := int64(0)
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		neg := false
		if s[i] == '+' || s[i] == '-' {
			neg = s[i] == '-'
			i++
		}
		for ; i < len(s); i++ {
			exp = exp*10 + int64(s[i]-'0')
			if exp > math.MaxInt32+1 {
				return 0, errors.New("exponent overflow")
			}
		}
		if neg {
			exp = -exp
		}
		if exp > math.MaxInt32 || exp < math.MinInt32 {
			return 0, errors.New("exponent overflow")
		}
	}
	scale := frac - exp
	if scale > math.MaxInt32 || scale < math.MinInt32 {
		return 0, errors.New("scale overflow")
	}
	return scale, nil
}

// text returns the raw text of a number or plain string node as a view
// into the parser's source (no copy).
func (d *decoder) raw(n *node) []byte { return d.p.src[n.off:n.end] }

// strValue returns the decoded text of a string node as a value string.
func (d *decoder) strValue(n *node) string {
	if n.esc {
		return n.str
	}
	return d.sub(n.off, n.end)
}

// keyValue returns the member name of an object member node.
func (d *decoder) keyValue(n *node) string {
	if n.kesc {
		return n.key
	}
	return d.sub(n.koff, n.kend)
}

// sub returns src[off:end] as a string sharing one copy of the source.
func (d *decoder) sub(off, end int32) string {
	if d.srcStr == "" && len(d.p.src) > 0 {
		d.srcStr = string(d.p.src)
	}
	return d.srcStr[off:end]
}

// keyEquals compares a member name with s without allocating.
func (d *decoder) keyEquals(n *node, s string) bool {
	if n.kesc {
		return n.key == s
	}
	return string(d.p.src[n.koff:n.kend]) == s
}

// get returns the last member named name of an object node (Jackson keeps
// the last of duplicate names), or -1.
func (d *decoder) get(obj int32, name string) int32 {
	if obj < 0 || d.p.nodes[obj].kind != kObject {
		return -1
	}
	found := int32(-1)
	for c := d.p.nodes[obj].first; c >= 0; c = d.p.nodes[c].next {
		if d.keyEquals(&d.p.nodes[c], name) {
			found = c
		}
	}
	return found
}

// size returns the number of distinct member names of an object.
func (d *decoder) size(obj int32) int {
	n := &d.p.nodes[obj]
	if n.n <= 1 {
		return int(n.n)
	}
	count := 0
	for c := n.first; c >= 0; c = d.p.nodes[c].next {
		if d.get(obj, d.keyString(c)) == c {
			count++
		}
	}
	return count
}

func (d *decoder) keyString(c int32) string {
	n := &d.p.nodes[c]
	if n.kesc {
		return n.key
	}
	return string(d.p.src[n.koff:n.kend])
}

// bigInt returns the value of an integral node as a big.Int.
func (d *decoder) bigInt(n *node) *big.Int {
	if n.kind != kBigInt {
		return big.NewInt(n.i)
	}
	v, _ := new(big.Int).SetString(string(d.raw(n)), 10)
	return v
}

// decimal returns a number node as a BigDecimal.
func (d *decoder) decimal(n *node) sluice.Decimal {
	switch n.kind {
	case kInt, kLong:
		return sluice.Decimal{Unscaled: big.NewInt(n.i)}
	case kBigInt:
		return sluice.Decimal{Unscaled: d.bigInt(n)}
	}
	v, _ := sluice.ParseDecimal(string(d.raw(n)))
	return v
}

var (
	two32 = new(big.Int).Lsh(big.NewInt(1), 32)
	two64 = new(big.Int).Lsh(big.NewInt(1), 64)
)

// longValue is Jackson's JsonNode.longValue: wrapping narrowing of numbers,
// 0 for everything else.
func (d *decoder) longValue(n *node) int64 {
	switch n.kind {
	case kInt, kLong:
		return n.i
	case kBigInt:
		return lowBits(d.bigInt(n))
	case kDecimal:
		return lowBits(d.truncated(n))
	}
	return 0
}

// intValue is Jackson's JsonNode.intValue.
func (d *decoder) intValue(n *node) int32 { return int32(d.longValue(n)) }

// truncated returns the integer part of a decimal node (toward zero).
func (d *decoder) truncated(n *node) *big.Int {
	dec := d.decimal(n)
	u := new(big.Int).Set(dec.Unscaled)
	if dec.Scale > 0 {
		if dec.Scale > 400000 {
			return new(big.Int)
		}
		u.Quo(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(dec.Scale)), nil))
	} else if dec.Scale < 0 {
		if dec.Scale < -400000 {
			// only the low 64 bits matter: 10^k has k trailing zero bits
			return new(big.Int)
		}
		u.Mul(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-dec.Scale)), nil))
	}
	return u
}

func lowBits(v *big.Int) int64 {
	m := new(big.Int).Mod(v, two64)
	return int64(m.Uint64())
}

// doubleValue is Jackson's JsonNode.doubleValue (BigDecimal.doubleValue for
// decimals: a zero has no sign).
func (d *decoder) doubleValue(n *node) float64 {
	switch n.kind {
	case kInt, kLong:
		return float64(n.i)
	case kBigInt, kDecimal:
		if isZeroNumber(d.raw(n)) {
			return 0
		}
		f, _ := strconv.ParseFloat(string(d.raw(n)), 64)
		return f
	}
	return 0
}

// floatValue is Jackson's JsonNode.floatValue.
func (d *decoder) floatValue(n *node) float32 {
	switch n.kind {
	case kInt, kLong:
		return float32(n.i)
	case kBigInt, kDecimal:
		if isZeroNumber(d.raw(n)) {
			return 0
		}
		f, _ := strconv.ParseFloat(string(d.raw(n)), 32)
		return float32(f)
	}
	return 0
}

// isZeroNumber reports whether a number literal's digits are all zero.
func isZeroNumber(b []byte) bool {
	for _, c := range b {
		if c == 'e' || c == 'E' {
			break
		}
		if c >= '1' && c <= '9' {
			return false
		}
	}
	return true
}

// binaryValue is Jackson's TextNode.binaryValue (MIME-no-linefeeds base64,
// padding required); nil for non-text nodes.
func (d *decoder) binaryValue(n *node) ([]byte, error) {
	if n.kind != kString {
		return nil, nil
	}
	return decodeBase64(d.strValue(n))
}

var errBase64 = errors.New("invalid base64")

func b64val(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	case c == '=':
		return -2
	}
	return -1
}

// decodeBase64 decodes like Jackson's Base64Variant.decode: whitespace is
// allowed before each quad, padding is required.
func decodeBase64(s string) ([]byte, error) {
	out := make([]byte, 0, len(s)*3/4)
	i := 0
	for {
		var c byte
		for {
			if i >= len(s) {
				return out, nil
			}
			c = s[i]
			i++
			if c > ' ' {
				break
			}
		}
		b := b64val(c)
		if b < 0 {
			return nil, errBase64
		}
		data := b
		if i >= len(s) {
			return nil, errBase64
		}
		b = b64val(s[i])
		i++
		if b < 0 {
			return nil, errBase64
		}
		data = data<<6 | b
		if i >= len(s) {
			return nil, errBase64
		}
		b = b64val(s[i])
		i++
		if b < 0 {
			if b != -2 || i >= len(s) || s[i] != '=' {
				return nil, errBase64
			}
			i++
			out = append(out, byte(data>>4))
			continue
		}
		data = data<<6 | b
		if i >= len(s) {
			return nil, errBase64
		}
		b = b64val(s[i])
		i++
		if b < 0 {
			if b != -2 {
				return nil, errBase64
			}
			data >>= 2
			out = append(out, byte(data>>8), byte(data))
			continue
		}
		data = data<<6 | b
		out = append(out, byte(data>>16), byte(data>>8), byte(data))
	}
}

func dataErr(format string, args ...any) error { return sluice.NewDataError(format, args...) }

// schemaBuilderErr is Connect's SchemaBuilderException (a DataException).
func schemaBuilderErr(msg string) error {
	return &sluice.JavaError{Class: "SchemaBuilderException", Msg: msg}
}

// toConnect converts a node with an optional schema, as JsonConverter's
// convertToConnect does.
func (d *decoder) toConnect(s *sluice.Schema, idx int32) (any, error) {
	var n *node
	if idx >= 0 {
		n = &d.p.nodes[idx]
	}
	if s == nil {
		if n == nil {
			return nil, nil
		}
		return d.schemaless(idx)
	}
	if n == nil || n.kind == kNull || n.kind == kMissing {
		if s.Default != nil && d.c.replaceNull {
			return s.Default, nil
		}
		if s.Optional {
			return nil, nil
		}
		return nil, dataErr("Invalid null value for required %s field", s.Type)
	}
	switch s.Name {
	case sluice.DecimalName:
		if n.kind.isNumber() {
			return d.decimal(n), nil
		}
		if n.kind == kString {
			b, err := d.binaryValue(n)
			if err == nil {
				var dec sluice.Decimal
				dec, err = decimalFromBytes(s, b)
				if err == nil {
					return dec, nil
				}
			}
			return nil, &sluice.DataError{Msg: "Invalid bytes for Decimal field", Err: err}
		}
		return nil, dataErr("Invalid type for Decimal, underlying representation should be numeric or bytes but was %s", n.kind.nodeType())
	case sluice.DateName:
		if n.kind != kInt {
			return nil, dataErr("Invalid type for Date, underlying representation should be integer but was %s", n.kind.nodeType())
		}
		return time.UnixMilli(n.i * 86400000).UTC(), nil
	case sluice.TimeName:
		if n.kind != kInt {
			return nil, dataErr("Invalid type for Time, underlying representation should be integer but was %s", n.kind.nodeType())
		}
		if n.i < 0 || n.i > 86400000 {
			return nil, dataErr("Time values must use number of milliseconds greater than 0 and less than 86400000")
		}
		return time.UnixMilli(n.i).UTC(), nil
	case sluice.TimestampName:
		if !n.kind.isIntegral() {
			return nil, dataErr("Invalid type for Timestamp, underlying representation should be integral but was %s", n.kind.nodeType())
		}
		return time.UnixMilli(d.longValue(n)).UTC(), nil
	}
	switch s.Type {
	case sluice.Boolean:
		return n.kind == kTrue, nil
	case sluice.Int8:
		return int8(d.intValue(n)), nil
	case sluice.Int16:
		return int16(d.intValue(n)), nil
	case sluice.Int32:
		return d.intValue(n), nil
	case sluice.Int64:
		return d.longValue(n), nil
	case sluice.Float32:
		return d.floatValue(n), nil
	case sluice.Float64:
		return d.doubleValue(n), nil
	case sluice.Bytes:
		b, err := d.binaryValue(n)
		if err != nil {
			return nil, &sluice.DataError{Msg: "Invalid bytes field", Err: err}
		}
		if b == nil {
			return nil, nil
		}
		return b, nil
	case sluice.String:
		if n.kind != kString {
			return nil, nil
		}
		return d.box(d.strValue(n)), nil
	case sluice.Array:
		out := make([]any, 0, n.n)
		if n.kind == kArray || n.kind == kObject {
			for c := n.first; c >= 0; c = d.p.nodes[c].next {
				v, err := d.toConnect(s.Value, c)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
		}
		return out, nil
	case sluice.Map_:
		return d.toMap(s, idx)
	case sluice.StructType:
		if n.kind != kObject {
			return nil, dataErr("Structs should be encoded as JSON objects, but found %s", n.kind.nodeType())
		}
		st := sluice.NewStruct(s)
		for i := range s.Fields {
			f := &s.Fields[i]
			v, err := d.toConnect(f.Schema, d.get(idx, f.Name))
			if err != nil {
				return nil, err
			}
			if v == nil && !f.Schema.Optional {
				return nil, sluice.ValidateValueField(f.Name, f.Schema, nil)
			}
			st.Set(i, v)
		}
		return st, nil
	}
	return nil, dataErr("Unknown schema type: %s", s.Type)
}

// toMap converts a MAP node (HashMap in Java).
func (d *decoder) toMap(s *sluice.Schema, idx int32) (any, error) {
	n := &d.p.nodes[idx]
	var ks, vs *sluice.Schema
	if s != nil {
		ks, vs = s.Key, s.Value
	}
	if s == nil || ks.Type == sluice.String {
		if n.kind != kObject {
			return nil, dataErr("Maps with string fields should be encoded as JSON objects, but found %s", n.kind.nodeType())
		}
		m := sluice.NewMap(int(n.n), true)
		var seen map[string]int
		for c := n.first; c >= 0; c = d.p.nodes[c].next {
			v, err := d.toConnect(vs, c)
			if err != nil {
				return nil, err
			}
			key := d.keyValue(&d.p.nodes[c])
			if n.n > 16 {
				if seen == nil {
					seen = make(map[string]int, n.n)
				}
				if j, ok := seen[key]; ok {
					m.Entries[j].Value = v
					continue
				}
				seen[key] = len(m.Entries)
				m.Entries = append(m.Entries, sluice.MapEntry{Key: d.box(key), Value: v})
				continue
			}
			dup := false
			for j := range m.Entries {
				if m.Entries[j].Key.(string) == key {
					m.Entries[j].Value = v
					dup = true
					break
				}
			}
			if !dup {
				m.Entries = append(m.Entries, sluice.MapEntry{Key: d.box(key), Value: v})
			}
		}
		return m, nil
	}
	if n.kind != kArray {
		return nil, dataErr("Maps with non-string fields should be encoded as JSON array of tuples, but found %s", n.kind.nodeType())
	}
	m := sluice.NewMap(int(n.n), true)
	for c := n.first; c >= 0; c = d.p.nodes[c].next {
		e := &d.p.nodes[c]
		if e.kind != kArray {
			return nil, dataErr("Found invalid map entry instead of array tuple: %s", e.kind.nodeType())
		}
		if e.n != 2 {
			return nil, dataErr("Found invalid map entry, expected length 2 but found :%d", e.n)
		}
		k, err := d.toConnect(ks, e.first)
		if err != nil {
			return nil, err
		}
		v, err := d.toConnect(vs, d.p.nodes[e.first].next)
		if err != nil {
			return nil, err
		}
		m.Put(k, v)
	}
	return m, nil
}

// schemaless converts a node without a schema: objects become hashed maps,
// integers int64, other numbers float64.
func (d *decoder) schemaless(idx int32) (any, error) {
	n := &d.p.nodes[idx]
	switch n.kind {
	case kNull, kMissing:
		return nil, nil
	case kTrue:
		return true, nil
	case kFalse:
		return false, nil
	case kInt, kLong, kBigInt:
		return d.longValue(n), nil
	case kDecimal:
		return d.doubleValue(n), nil
	case kString:
		return d.box(d.strValue(n)), nil
	case kArray:
		out := make([]any, 0, n.n)
		for c := n.first; c >= 0; c = d.p.nodes[c].next {
			v, err := d.schemaless(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	return d.toMap(nil, idx)
}

// decimalFromBytes is Decimal.toLogical: two's complement big-endian
// unscaled bytes with the schema's scale.
func decimalFromBytes(s *sluice.Schema, b []byte) (sluice.Decimal, error) {
	scale, err := decimalScale(s)
	if err != nil {
		return sluice.Decimal{}, err
	}
	if len(b) == 0 {
		return sluice.Decimal{}, errors.New("Zero length BigInteger")
	}
	u := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		u.Sub(u, new(big.Int).Lsh(big.NewInt(1), uint(len(b)*8)))
	}
	return sluice.Decimal{Unscaled: u, Scale: scale}, nil
}

// decimalScale reads the scale parameter of a Decimal schema.
func decimalScale(s *sluice.Schema) (int32, error) {
	p, ok := s.Parameters[sluice.DecimalScaleParam]
	if !ok {
		return 0, dataErr("Invalid Decimal schema: scale parameter not found.")
	}
	v, err := sluice.ParseJavaInt(p, 32)
	if err != nil {
		return 0, fmt.Errorf("For input string: %q", p)
	}
	return int32(v), nil
}

// asConnectSchema builds a Connect schema from its JSON form.
func (d *decoder) asConnectSchema(idx int32) (*sluice.Schema, error) {
	n := &d.p.nodes[idx]
	if n.kind == kNull {
		return nil, nil
	}
	t := d.get(idx, "type")
	if t < 0 || d.p.nodes[t].kind != kString {
		return nil, dataErr("Schema must contain 'type' field")
	}
	s := &sluice.Schema{}
	switch tn := d.keyOrStr(t); tn {
	case "boolean":
		s.Type = sluice.Boolean
	case "int8":
		s.Type = sluice.Int8
	case "int16":
		s.Type = sluice.Int16
	case "int32":
		s.Type = sluice.Int32
	case "int64":
		s.Type = sluice.Int64
	case "float":
		s.Type = sluice.Float32
	case "double":
		s.Type = sluice.Float64
	case "bytes":
		s.Type = sluice.Bytes
	case "string":
		s.Type = sluice.String
	case "array":
		s.Type = sluice.Array
		items := d.get(idx, "items")
		if items < 0 || d.p.nodes[items].kind == kNull {
			return nil, dataErr("Array schema did not specify the element type")
		}
		v, err := d.asConnectSchema(items)
		if err != nil {
			return nil, err
		}
		s.Value = v
	case "map":
		s.Type = sluice.Map_
		k := d.get(idx, "keys")
		if k < 0 {
			return nil, dataErr("Map schema did not specify the key type")
		}
		v := d.get(idx, "values")
		if v < 0 {
			return nil, dataErr("Map schema did not specify the value type")
		}
		ks, err := d.asConnectSchema(k)
		if err != nil {
			return nil, err
		}
		vs, err := d.asConnectSchema(v)
		if err != nil {
			return nil, err
		}
		if ks == nil {
			return nil, schemaBuilderErr("keySchema cannot be null.")
		}
		if vs == nil {
			return nil, schemaBuilderErr("valueSchema cannot be null.")
		}
		s.Key, s.Value = ks, vs
	case "struct":
		s.Type = sluice.StructType
		f := d.get(idx, "fields")
		if f < 0 || d.p.nodes[f].kind != kArray {
			return nil, dataErr("Struct schema's \"fields\" argument is not an array.")
		}
		s.Fields = make([]sluice.Field, 0, d.p.nodes[f].n)
		for c := d.p.nodes[f].first; c >= 0; c = d.p.nodes[c].next {
			fn := d.get(c, "field")
			if fn < 0 || d.p.nodes[fn].kind != kString {
				return nil, dataErr("Struct schema's field name not specified properly")
			}
			name := d.keyOrStr(fn)
			fs, err := d.asConnectSchema(c)
			if err != nil {
				return nil, err
			}
			if name == "" {
				return nil, schemaBuilderErr("fieldName cannot be null.")
			}
			if fs == nil {
				return nil, schemaBuilderErr("fieldSchema for field " + name + " cannot be null.")
			}
			if s.Field(name) != nil {
				return nil, schemaBuilderErr("Cannot create field because of field name duplication " + name)
			}
			s.Fields = append(s.Fields, sluice.Field{Name: name, Index: len(s.Fields), Schema: fs})
		}
	default:
		return nil, dataErr("Unknown schema type: %s", tn)
	}
	if o := d.get(idx, "optional"); o >= 0 && d.p.nodes[o].kind == kTrue {
		s.Optional = true
	}
	if nm := d.get(idx, "name"); nm >= 0 && d.p.nodes[nm].kind == kString {
		s.Name = d.keyOrStr(nm)
	}
	if v := d.get(idx, "version"); v >= 0 && d.p.nodes[v].kind.isIntegral() {
		ver := d.intValue(&d.p.nodes[v])
		s.Version = &ver
	}
	if doc := d.get(idx, "doc"); doc >= 0 && d.p.nodes[doc].kind == kString {
		t := d.keyOrStr(doc)
		s.Doc = &t
	}
	if ps := d.get(idx, "parameters"); ps >= 0 && d.p.nodes[ps].kind == kObject {
		for c := d.p.nodes[ps].first; c >= 0; c = d.p.nodes[c].next {
			if d.get(ps, d.keyString(c)) != c {
				continue // a later duplicate holds the value
			}
			pv := &d.p.nodes[c]
			if pv.kind != kString {
				return nil, dataErr("Schema parameters must have string values.")
			}
			if s.Parameters == nil {
				s.Parameters = map[string]string{}
			}
			k := d.keyString(c)
			s.Parameters[k] = string(d.strBytes(pv))
			s.ParamOrder = append(s.ParamOrder, k)
		}
	}
	if dv := d.get(idx, "default"); dv >= 0 {
		v, err := d.toConnect(s, dv)
		if err != nil {
			return nil, err
		}
		if err := checkDefault(s, v); err != nil {
			return nil, err
		}
		s.Default = v
	}
	return s, nil
}

// checkDefault validates a default value as SchemaBuilder.defaultValue does.
func checkDefault(s *sluice.Schema, v any) error {
	if v == nil {
		if !s.Optional {
			return &sluice.JavaError{Class: "SchemaBuilderException", Msg: "Invalid default value"}
		}
		return nil
	}
	if _, ok := v.(*sluice.Struct); ok {
		// the struct was built against the schema under construction
		return &sluice.JavaError{Class: "SchemaBuilderException", Msg: "Invalid default value"}
	}
	return nil
}

// keyOrStr returns the text of a string node as a new string.
func (d *decoder) keyOrStr(i int32) string { return string(d.strBytes(&d.p.nodes[i])) }

func (d *decoder) strBytes(n *node) []byte {
	if n.esc {
		return []byte(n.str)
	}
	return d.p.src[n.off:n.end]
}

// encodeBase64 is the standard padded base64 Jackson writes.
func encodeBase64(dst, b []byte) []byte { return base64.StdEncoding.AppendEncode(dst, b) }
