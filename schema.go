package sluice

import (
	"fmt"
	"maps"
	"strings"
)

// Type is a Connect schema type.
type Type uint8

// The Connect schema types, in the order Java's Schema.Type declares them.
const (
	Int8 Type = iota + 1
	Int16
	Int32
	Int64
	Float32
	Float64
	Boolean
	String
	Bytes
	Array
	Map_
	StructType
)

var typeNames = [...]string{"", "INT8", "INT16", "INT32", "INT64", "FLOAT32", "FLOAT64", "BOOLEAN", "STRING", "BYTES", "ARRAY", "MAP", "STRUCT"}

// String returns the Java enum name of the type, e.g. "INT32".
func (t Type) String() string {
	if int(t) < len(typeNames) && t != 0 {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", t)
}

// IsPrimitive reports whether the type is neither ARRAY, MAP nor STRUCT.
func (t Type) IsPrimitive() bool { return t >= Int8 && t <= Bytes }

// ParseType returns the type whose Java enum name (case-insensitive) is s.
func ParseType(s string) (Type, bool) {
	u := strings.ToUpper(s)
	for i := 1; i < len(typeNames); i++ {
		if typeNames[i] == u {
			return Type(i), true
		}
	}
	return 0, false
}

// Logical type names, as Java's Decimal, Date, Time and Timestamp classes declare them.
const (
	DecimalName   = "org.apache.kafka.connect.data.Decimal"
	DateName      = "org.apache.kafka.connect.data.Date"
	TimeName      = "org.apache.kafka.connect.data.Time"
	TimestampName = "org.apache.kafka.connect.data.Timestamp"
	// DecimalScaleParam is the schema parameter holding a Decimal's scale.
	DecimalScaleParam = "scale"
)

// Field is one field of a STRUCT schema.
type Field struct {
	Name   string
	Index  int
	Schema *Schema
}

// Schema is a Connect schema. Schemas are immutable once built and shared
// freely; build them with the Schema literal or the helpers below and never
// modify one that another value may hold.
type Schema struct {
	Type       Type
	Optional   bool
	Default    any // nil: no default
	Name       string
	Version    *int32 // nil: no version
	Doc        *string
	Parameters map[string]string // nil: no parameters
	// ParamOrder lists Parameters keys in insertion order (Java keeps them in
	// a LinkedHashMap); keys missing from it follow in sorted order.
	ParamOrder []string
	Fields     []Field // STRUCT only, in order
	Key        *Schema // MAP only
	Value      *Schema // ARRAY and MAP only
}

// Predefined schemas, like Java's Schema.INT8_SCHEMA and friends.
var (
	Int8Schema              = &Schema{Type: Int8}
	Int16Schema             = &Schema{Type: Int16}
	Int32Schema             = &Schema{Type: Int32}
	Int64Schema             = &Schema{Type: Int64}
	Float32Schema           = &Schema{Type: Float32}
	Float64Schema           = &Schema{Type: Float64}
	BooleanSchema           = &Schema{Type: Boolean}
	StringSchema            = &Schema{Type: String}
	BytesSchema             = &Schema{Type: Bytes}
	OptionalInt8Schema      = &Schema{Type: Int8, Optional: true}
	OptionalInt16Schema     = &Schema{Type: Int16, Optional: true}
	OptionalInt32Schema     = &Schema{Type: Int32, Optional: true}
	OptionalInt64Schema     = &Schema{Type: Int64, Optional: true}
	OptionalFloat32Schema   = &Schema{Type: Float32, Optional: true}
	OptionalFloat64Schema   = &Schema{Type: Float64, Optional: true}
	OptionalBooleanSchema   = &Schema{Type: Boolean, Optional: true}
	OptionalStringSchema    = &Schema{Type: String, Optional: true}
	OptionalBytesSchema     = &Schema{Type: Bytes, Optional: true}
	DateSchema              = &Schema{Type: Int32, Name: DateName, Version: ptr(int32(1))}
	TimeSchema              = &Schema{Type: Int32, Name: TimeName, Version: ptr(int32(1))}
	TimestampSchema         = &Schema{Type: Int64, Name: TimestampName, Version: ptr(int32(1))}
	OptionalDateSchema      = &Schema{Type: Int32, Name: DateName, Version: ptr(int32(1)), Optional: true}
	OptionalTimeSchema      = &Schema{Type: Int32, Name: TimeName, Version: ptr(int32(1)), Optional: true}
	OptionalTimestampSchema = &Schema{Type: Int64, Name: TimestampName, Version: ptr(int32(1)), Optional: true}
)

func ptr[T any](v T) *T { return &v }

// PrimitiveSchema returns the shared predefined schema of a primitive type.
func PrimitiveSchema(t Type, optional bool) *Schema {
	switch t {
	case Int8:
		return pick(optional, OptionalInt8Schema, Int8Schema)
	case Int16:
		return pick(optional, OptionalInt16Schema, Int16Schema)
	case Int32:
		return pick(optional, OptionalInt32Schema, Int32Schema)
	case Int64:
		return pick(optional, OptionalInt64Schema, Int64Schema)
	case Float32:
		return pick(optional, OptionalFloat32Schema, Float32Schema)
	case Float64:
		return pick(optional, OptionalFloat64Schema, Float64Schema)
	case Boolean:
		return pick(optional, OptionalBooleanSchema, BooleanSchema)
	case String:
		return pick(optional, OptionalStringSchema, StringSchema)
	case Bytes:
		return pick(optional, OptionalBytesSchema, BytesSchema)
	}
	return &Schema{Type: t, Optional: optional}
}

func pick(c bool, a, b *Schema) *Schema {
	if c {
		return a
	}
	return b
}

// DecimalSchema returns a Decimal logical schema with the given scale.
func DecimalSchema(scale int32, optional bool) *Schema {
	return &Schema{Type: Bytes, Name: DecimalName, Version: ptr(int32(1)), Optional: optional,
		Parameters: map[string]string{DecimalScaleParam: fmt.Sprint(scale)}}
}

// ArraySchema returns an ARRAY schema of the given element schema.
func ArraySchema(elem *Schema, optional bool) *Schema {
	return &Schema{Type: Array, Value: elem, Optional: optional}
}

// MapSchema returns a MAP schema of the given key and value schemas.
func MapSchema(key, value *Schema, optional bool) *Schema {
	return &Schema{Type: Map_, Key: key, Value: value, Optional: optional}
}

// Field returns the named field of a STRUCT schema, or nil.
func (s *Schema) Field(name string) *Field {
	if s == nil {
		return nil
	}
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return &s.Fields[i]
		}
	}
	return nil
}

// Copy returns a shallow copy of s whose Fields slice and Parameters map are
// its own, ready to be modified (the SchemaUtil.copySchemaBasics idiom).
func (s *Schema) Copy() *Schema {
	c := *s
	if s.Fields != nil {
		c.Fields = append([]Field(nil), s.Fields...)
	}
	if s.Parameters != nil {
		c.Parameters = maps.Clone(s.Parameters)
	}
	return &c
}

// Logical returns the logical type name of s when it is one of Decimal, Date,
// Time or Timestamp with the matching underlying type, or "".
func (s *Schema) Logical() string {
	if s == nil || s.Name == "" {
		return ""
	}
	switch s.Name {
	case DecimalName:
		if s.Type == Bytes {
			return DecimalName
		}
	case DateName, TimeName:
		if s.Type == Int32 {
			return s.Name
		}
	case TimestampName:
		if s.Type == Int64 {
			return s.Name
		}
	}
	return ""
}

// Equal reports whether two schemas are equal the way Java's ConnectSchema.equals
// compares them: type, optional, default (deep), name, version, doc,
// parameters, fields, key and value schemas.
func (s *Schema) Equal(o *Schema) bool {
	if s == o {
		return true
	}
	if s == nil || o == nil {
		return false
	}
	if s.Type != o.Type || s.Optional != o.Optional || s.Name != o.Name {
		return false
	}
	if (s.Version == nil) != (o.Version == nil) || (s.Version != nil && *s.Version != *o.Version) {
		return false
	}
	if (s.Doc == nil) != (o.Doc == nil) || (s.Doc != nil && *s.Doc != *o.Doc) {
		return false
	}
	if !maps.Equal(s.Parameters, o.Parameters) || (s.Parameters == nil) != (o.Parameters == nil) && len(s.Parameters)+len(o.Parameters) > 0 {
		return false
	}
	if len(s.Fields) != len(o.Fields) {
		return false
	}
	for i := range s.Fields {
		a, b := &s.Fields[i], &o.Fields[i]
		if a.Name != b.Name || a.Index != b.Index || !a.Schema.Equal(b.Schema) {
			return false
		}
	}
	if !s.Key.Equal(o.Key) || !s.Value.Equal(o.Value) {
		return false
	}
	return ValuesEqual(s.Default, o.Default)
}

// String renders the schema like Java's ConnectSchema.toString:
// "Schema{name:TYPE}" or "Schema{TYPE}".
func (s *Schema) String() string {
	if s == nil {
		return "null"
	}
	if s.Name != "" {
		return "Schema{" + s.Name + ":" + s.Type.String() + "}"
	}
	return "Schema{" + s.Type.String() + "}"
}

// TypeOf returns the Connect type whose Java class holds values like v
// (Java's ConnectSchema.schemaType(value.getClass())), or 0 when Connect
// has none (logical values such as Decimal and dates, and nil).
func TypeOf(v any) Type {
	switch v.(type) {
	case int8:
		return Int8
	case int16:
		return Int16
	case int32:
		return Int32
	case int64:
		return Int64
	case float32:
		return Float32
	case float64:
		return Float64
	case bool:
		return Boolean
	case string:
		return String
	case []byte, ByteBuffer:
		return Bytes
	case []any:
		return Array
	case *Map:
		return Map_
	case *Struct:
		return StructType
	}
	return 0
}
