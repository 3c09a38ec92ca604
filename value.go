package sluice

import (
	"bytes"
	"fmt"
	"math/big"
	"reflect"
	"time"
)

// MapEntry is one key/value pair of a Map.
type MapEntry struct {
	Key   any
	Value any
}

// Map is a Connect MAP value: entries kept in a slice, in insertion order.
//
// Java iterates a java.util.HashMap in hash-bucket order, and that order
// shows wherever a map is rendered as text. Hashed records that the Java
// original of this map is a HashMap, so renderers that must reproduce Java's
// text use JavaOrder; JSON output ignores member order.
type Map struct {
	Entries []MapEntry
	// Hashed is true when Java would hold this map as a java.util.HashMap
	// (schemaless JSON objects, maps copied with new HashMap<>(m)).
	Hashed bool
}

// NewMap returns an empty map with room for n entries.
func NewMap(n int, hashed bool) *Map {
	return &Map{Entries: make([]MapEntry, 0, n), Hashed: hashed}
}

// Len returns the number of entries.
func (m *Map) Len() int {
	if m == nil {
		return 0
	}
	return len(m.Entries)
}

// index returns the position of key, or -1.
func (m *Map) index(key any) int {
	if ks, ok := key.(string); ok {
		for i := range m.Entries {
			if s, ok := m.Entries[i].Key.(string); ok && s == ks {
				return i
			}
		}
		return -1
	}
	for i := range m.Entries {
		if ValuesEqual(m.Entries[i].Key, key) {
			return i
		}
	}
	return -1
}

// Get returns the value stored under key (Java Map.get: equal keys).
func (m *Map) Get(key any) (any, bool) {
	if m == nil {
		return nil, false
	}
	if i := m.index(key); i >= 0 {
		return m.Entries[i].Value, true
	}
	return nil, false
}

// Put stores value under key, replacing an existing entry in place or
// appending a new one (Java Map.put).
func (m *Map) Put(key, value any) {
	if i := m.index(key); i >= 0 {
		m.Entries[i].Value = value
		return
	}
	m.Entries = append(m.Entries, MapEntry{key, value})
}

// Remove deletes key and reports whether it was present.
func (m *Map) Remove(key any) bool {
	i := m.index(key)
	if i < 0 {
		return false
	}
	m.Entries = append(m.Entries[:i], m.Entries[i+1:]...)
	return true
}

// Clone returns a copy of m with its own entry slice (values are shared).
func (m *Map) Clone() *Map {
	if m == nil {
		return nil
	}
	return &Map{Entries: append(make([]MapEntry, 0, len(m.Entries)+2), m.Entries...), Hashed: m.Hashed}
}

// Decimal is a Connect Decimal value: unscaled × 10^-Scale, like Java's BigDecimal.
type Decimal struct {
	Unscaled *big.Int
	Scale    int32
}

// NewDecimal returns unscaled × 10^-scale.
func NewDecimal(unscaled *big.Int, scale int32) Decimal {
	return Decimal{Unscaled: unscaled, Scale: scale}
}

// ParseDecimal parses a decimal literal the way Java's new BigDecimal(String) does
// (optional sign, digits, optional fraction, optional exponent).
func ParseDecimal(s string) (Decimal, error) {
	i := 0
	n := len(s)
	if n == 0 {
		return Decimal{}, fmt.Errorf("empty decimal")
	}
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		i++
	}
	var digits []byte
	scale := int64(0)
	seenDot, seenDigit := false, false
	for ; i < n; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
			seenDigit = true
			if seenDot {
				scale++
			}
		case c == '.' && !seenDot:
			seenDot = true
		case c == 'e' || c == 'E':
			goto exp
		default:
			return Decimal{}, fmt.Errorf("invalid decimal %q", s)
		}
	}
	goto done
exp:
	{
		i++
		if i >= n {
			return Decimal{}, fmt.Errorf("invalid decimal %q", s)
		}
		eneg := false
		if s[i] == '+' || s[i] == '-' {
			eneg = s[i] == '-'
			i++
		}
		if i >= n {
			return Decimal{}, fmt.Errorf("invalid decimal %q", s)
		}
		e := int64(0)
		for ; i < n; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return Decimal{}, fmt.Errorf("invalid decimal %q", s)
			}
			e = e*10 + int64(c-'0')
			if e > 1<<40 {
				return Decimal{}, fmt.Errorf("decimal exponent overflow %q", s)
			}
		}
		if eneg {
			e = -e
		}
		scale -= e
	}
done:
	if !seenDigit {
		return Decimal{}, fmt.Errorf("invalid decimal %q", s)
	}
	if scale > 1<<31-1 || scale < -(1<<31) {
		return Decimal{}, fmt.Errorf("decimal scale overflow %q", s)
	}
	u, ok := new(big.Int).SetString(string(digits), 10)
	if !ok {
		return Decimal{}, fmt.Errorf("invalid decimal %q", s)
	}
	if neg {
		u.Neg(u)
	}
	return Decimal{Unscaled: u, Scale: int32(scale)}, nil
}

// Cmp compares two decimals by numeric value (Java compareTo).
func (d Decimal) Cmp(o Decimal) int { return d.Rat().Cmp(o.Rat()) }

// Rat returns the decimal as an exact rational.
func (d Decimal) Rat() *big.Rat {
	r := new(big.Rat).SetInt(d.unscaled())
	if d.Scale > 0 {
		r.Quo(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil)))
	} else if d.Scale < 0 {
		r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-d.Scale)), nil)))
	}
	return r
}

func (d Decimal) unscaled() *big.Int {
	if d.Unscaled == nil {
		return new(big.Int)
	}
	return d.Unscaled
}

// String renders the decimal like Java's BigDecimal.toString (scientific
// notation when the scale is negative or the adjusted exponent is below -6).
func (d Decimal) String() string {
	u := d.unscaled()
	abs := new(big.Int).Abs(u).String()
	neg := u.Sign() < 0
	scale := int64(d.Scale)
	adjusted := -scale + int64(len(abs)-1)
	var b []byte
	if neg {
		b = append(b, '-')
	}
	if scale >= 0 && adjusted >= -6 {
		if scale == 0 {
			return string(append(b, abs...))
		}
		if int64(len(abs)) > scale {
			p := int64(len(abs)) - scale
			b = append(b, abs[:p]...)
			b = append(b, '.')
			b = append(b, abs[p:]...)
		} else {
			b = append(b, '0', '.')
			for i := int64(0); i < scale-int64(len(abs)); i++ {
				b = append(b, '0')
			}
			b = append(b, abs...)
		}
		return string(b)
	}
	b = append(b, abs[0])
	if len(abs) > 1 {
		b = append(b, '.')
		b = append(b, abs[1:]...)
	}
	b = append(b, 'E')
	if adjusted >= 0 {
		b = append(b, '+')
	}
	b = append(b, fmt.Sprint(adjusted)...)
	return string(b)
}

// Struct is a Connect STRUCT value bound to its schema.
type Struct struct {
	schema *Schema
	values []any
}

// NewStruct returns an empty struct of a STRUCT schema.
func NewStruct(s *Schema) *Struct {
	return &Struct{schema: s, values: make([]any, len(s.Fields))}
}

// Schema returns the struct's schema.
func (s *Struct) Schema() *Schema { return s.schema }

// Values returns the stored values by field index (nil: not set). The slice
// belongs to the struct: do not modify it.
func (s *Struct) Values() []any { return s.values }

// Get returns a field's value, or the field schema's default when the stored
// value is nil (Java Struct.get).
func (s *Struct) Get(name string) (any, error) {
	f := s.schema.Field(name)
	if f == nil {
		return nil, &DataError{Msg: name + " is not a valid field name"}
	}
	return s.GetField(f), nil
}

// GetField returns the value of f, or its default when unset.
func (s *Struct) GetField(f *Field) any {
	v := s.values[f.Index]
	if v == nil && f.Schema.Default != nil {
		return f.Schema.Default
	}
	return v
}

// GetWithoutDefault returns a field's stored value.
func (s *Struct) GetWithoutDefault(name string) (any, error) {
	f := s.schema.Field(name)
	if f == nil {
		return nil, &DataError{Msg: name + " is not a valid field name"}
	}
	return s.values[f.Index], nil
}

// Put validates and stores a field value (Java Struct.put).
func (s *Struct) Put(name string, v any) error {
	f := s.schema.Field(name)
	if f == nil {
		return &DataError{Msg: name + " is not a valid field name"}
	}
	return s.PutField(f, v)
}

// PutField validates and stores the value of f.
func (s *Struct) PutField(f *Field, v any) error {
	if err := ValidateValueField(f.Name, f.Schema, v); err != nil {
		return err
	}
	s.values[f.Index] = v
	return nil
}

// Set stores a value without validation: for code that builds a struct from
// values it has already checked.
func (s *Struct) Set(index int, v any) { s.values[index] = v }

// Validate checks every field against its schema (Java Struct.validate).
func (s *Struct) Validate() error {
	for i := range s.schema.Fields {
		f := &s.schema.Fields[i]
		if err := ValidateValueField(f.Name, f.Schema, s.values[i]); err != nil {
			return err
		}
	}
	return nil
}

// Equal reports deep equality of schema and values.
func (s *Struct) Equal(o *Struct) bool {
	if s == o {
		return true
	}
	if s == nil || o == nil || !s.schema.Equal(o.schema) || len(s.values) != len(o.values) {
		return false
	}
	for i := range s.values {
		if !ValuesEqual(s.values[i], o.values[i]) {
			return false
		}
	}
	return true
}

// ValidateValue checks a value against a schema like Java's
// ConnectSchema.validateValue(schema, value).
func ValidateValue(s *Schema, v any) error { return ValidateValueField("", s, v) }

// ValidateValueField is ValidateValue with the field name used in messages.
func ValidateValueField(field string, s *Schema, v any) error {
	if v == nil {
		if s != nil && !s.Optional {
			if field != "" {
				return &DataError{Msg: fmt.Sprintf("Invalid value: null used for required field: %q, schema type: %s", field, s.Type)}
			}
			return &DataError{Msg: "Invalid value: null used for required field, schema type: " + s.Type.String()}
		}
		return nil
	}
	if s == nil {
		return nil
	}
	ok := false
	switch s.Logical() {
	case DecimalName:
		_, ok = v.(Decimal)
	case DateName, TimeName, TimestampName:
		_, ok = v.(time.Time)
	default:
		switch s.Type {
		case Int8:
			_, ok = v.(int8)
		case Int16:
			_, ok = v.(int16)
		case Int32:
			_, ok = v.(int32)
		case Int64:
			_, ok = v.(int64)
		case Float32:
			_, ok = v.(float32)
		case Float64:
			_, ok = v.(float64)
		case Boolean:
			_, ok = v.(bool)
		case String:
			_, ok = v.(string)
		case Bytes:
			_, ok = v.([]byte)
		case Array:
			var l []any
			l, ok = v.([]any)
			if ok {
				for _, e := range l {
					if err := ValidateValue(s.Value, e); err != nil {
						return err
					}
				}
			}
		case Map_:
			var m *Map
			m, ok = v.(*Map)
			if ok {
				for _, e := range m.Entries {
					if err := ValidateValue(s.Key, e.Key); err != nil {
						return err
					}
					if err := ValidateValue(s.Value, e.Value); err != nil {
						return err
					}
				}
			}
		case StructType:
			var st *Struct
			st, ok = v.(*Struct)
			if ok {
				if !st.schema.Equal(s) {
					return &DataError{Msg: "Struct schemas do not match."}
				}
				return st.Validate()
			}
		}
	}
	if ok {
		return nil
	}
	name := ""
	if s.Name != "" {
		name = fmt.Sprintf("for schema %q ", s.Name)
	}
	msg := fmt.Sprintf("Invalid Java object %swith type %s: %s", name, s.Type, JavaClassName(v))
	if field != "" {
		msg += " for field: \"" + field + "\""
	}
	return &DataError{Msg: msg}
}

// JavaClassName returns the Java class Connect would hold for a Go value, as
// Java's Object.getClass() prints it ("class java.lang.String").
func JavaClassName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case int8:
		return "class java.lang.Byte"
	case int16:
		return "class java.lang.Short"
	case int32:
		return "class java.lang.Integer"
	case int64:
		return "class java.lang.Long"
	case float32:
		return "class java.lang.Float"
	case float64:
		return "class java.lang.Double"
	case bool:
		return "class java.lang.Boolean"
	case string:
		return "class java.lang.String"
	case []byte:
		return "class [B"
	case []any:
		return "class java.util.ArrayList"
	case *Map:
		return "class java.util.HashMap"
	case *Struct:
		return "class org.apache.kafka.connect.data.Struct"
	case Decimal:
		return "class java.math.BigDecimal"
	case time.Time:
		return "class java.util.Date"
	}
	return "class " + reflect.TypeOf(v).String()
}

// ValuesEqual compares two Connect values deeply (Java Objects.deepEquals
// semantics for arrays, equals for the rest).
func ValuesEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !ValuesEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Map:
		y, ok := b.(*Map)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, e := range x.Entries {
			v, ok := y.Get(e.Key)
			if !ok || !ValuesEqual(e.Value, v) {
				return false
			}
		}
		return true
	case *Struct:
		y, ok := b.(*Struct)
		return ok && x.Equal(y)
	case Decimal:
		y, ok := b.(Decimal)
		return ok && x.Scale == y.Scale && x.unscaled().Cmp(y.unscaled()) == 0
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	}
	return a == b
}
