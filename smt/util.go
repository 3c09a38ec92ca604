package smt

import (
	"strings"
	"sync"

	"sluice.io/sluice"
)

// side selects the part of a record a $Key/$Value transformation operates on.
type side uint8

const (
	keySide side = iota + 1
	valueSide
)

func (s side) schema(r *sluice.Record) *sluice.Schema {
	if s == keySide {
		return r.KeySchema
	}
	return r.ValueSchema
}

func (s side) value(r *sluice.Record) any {
	if s == keySide {
		return r.Key
	}
	return r.Value
}

// with returns a copy of r whose operating schema and value are replaced
// (Java's newRecord for the $Key or $Value variant).
func (s side) with(r *sluice.Record, sch *sluice.Schema, v any) *sluice.Record {
	c := r.Clone()
	if s == keySide {
		c.KeySchema, c.Key = sch, v
	} else {
		c.ValueSchema, c.Value = sch, v
	}
	return c
}

// registerKV registers an abstract outer class and its $Key and $Value
// variants, which resolve only by full class name.
func registerKV(class string, def *sluice.ConfigDef, doc string, newFn func(s side) sluice.Transformation) {
	sluice.Register(&sluice.Plugin{Class: class, Kinds: sluice.KindTransformation, Config: def, Doc: doc,
		Abstract: true, Nested: []string{class + "$Key", class + "$Value"}})
	sluice.Register(&sluice.Plugin{Class: class + "$Key", Kinds: sluice.KindTransformation, Config: def,
		Doc: doc, New: func() any { return newFn(keySide) }})
	sluice.Register(&sluice.Plugin{Class: class + "$Value", Kinds: sluice.KindTransformation, Config: def,
		Doc: doc, New: func() any { return newFn(valueSide) }})
}

// register registers a plain (non-nested) plugin.
func register(class string, kinds sluice.Kind, def *sluice.ConfigDef, doc string, newFn func() any) {
	sluice.Register(&sluice.Plugin{Class: class, Kinds: kinds, Config: def, Doc: doc, New: newFn})
}

// requireMap mirrors Java's Requirements.requireMap: the value must be a
// schemaless map.
func requireMap(v any, purpose string) (*sluice.Map, error) {
	m, ok := v.(*sluice.Map)
	if !ok {
		return nil, sluice.NewDataError("Only Map objects supported in absence of schema for [%s], found: %s", purpose, nullSafeClassName(v))
	}
	return m, nil
}

// requireMapOrNull is requireMap that lets null through.
func requireMapOrNull(v any, purpose string) (*sluice.Map, error) {
	if v == nil {
		return nil, nil
	}
	return requireMap(v, purpose)
}

// requireStruct mirrors Java's Requirements.requireStruct.
func requireStruct(v any, purpose string) (*sluice.Struct, error) {
	s, ok := v.(*sluice.Struct)
	if !ok {
		return nil, sluice.NewDataError("Only Struct objects supported for [%s], found: %s", purpose, nullSafeClassName(v))
	}
	return s, nil
}

// requireStructOrNull is requireStruct that lets null through.
func requireStructOrNull(v any, purpose string) (*sluice.Struct, error) {
	if v == nil {
		return nil, nil
	}
	return requireStruct(v, purpose)
}

// requireSinkRecord mirrors Java's Requirements.requireSinkRecord.
func requireSinkRecord(r *sluice.Record, purpose string) error {
	if !r.IsSinkRecord {
		return sluice.NewDataError("Only SinkRecord supported for [%s], found: %s", purpose, "org.apache.kafka.connect.source.SourceRecord")
	}
	return nil
}

// nullSafeClassName is Java's Requirements.nullSafeClassName: the class
// name without the "class " prefix, or "null".
func nullSafeClassName(v any) string {
	if v == nil {
		return "null"
	}
	n := sluice.JavaClassName(v)
	if len(n) > 6 && n[:6] == "class " {
		return n[6:]
	}
	return n
}

// copySchemaBasics copies name, version, doc and parameters of src onto a
// new schema of type t (Java's SchemaUtil.copySchemaBasics). Like Java it
// does not copy optionality or the default value: callers re-apply them
// where Java does.
func copySchemaBasics(src *sluice.Schema, t sluice.Type) *sluice.Schema {
	dst := &sluice.Schema{Type: t, Name: src.Name, Version: src.Version, Doc: src.Doc}
	if src.Parameters != nil {
		dst.Parameters = make(map[string]string, len(src.Parameters))
		for k, v := range src.Parameters {
			dst.Parameters[k] = v
		}
	}
	return dst
}

// schemaCache memoises derived schemas per input schema, as Java's
// SynchronizedCache(LRUCache(16)) does for schema updates. Keys are compared
// by pointer first, then by Schema.Equal.
type schemaCache struct {
	mu      sync.Mutex
	entries []schemaCacheEntry
}

type schemaCacheEntry struct {
	in, out *sluice.Schema
}

const schemaCacheSize = 16

// get returns the cached output for in, or nil.
func (c *schemaCache) get(in *sluice.Schema) *sluice.Schema {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.entries {
		if c.entries[i].in == in {
			return c.entries[i].out
		}
	}
	for i := range c.entries {
		if c.entries[i].in.Equal(in) {
			return c.entries[i].out
		}
	}
	return nil
}

// put stores out for in, evicting the oldest entry when full.
func (c *schemaCache) put(in, out *sluice.Schema) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= schemaCacheSize {
		copy(c.entries, c.entries[1:])
		c.entries = c.entries[:len(c.entries)-1]
	}
	c.entries = append(c.entries, schemaCacheEntry{in, out})
}

// fieldValue reads a struct field the way the replace.null.with.default
// option asks: with default substitution (Java Struct.get) or without.
func fieldValue(st *sluice.Struct, f *sluice.Field, withDefault bool) any {
	v := st.Values()[f.Index]
	if v == nil && withDefault {
		return f.Schema.Default
	}
	return v
}

// javaSplitColon splits s on ':' like Java's String.split(":"): trailing
// empty strings are dropped, leading and inner ones kept, and a string with
// no colon yields itself.
func javaSplitColon(s string) []string {
	if s == "" {
		return []string{""}
	}
	parts := strings.Split(s, ":")
	n := len(parts)
	for n > 0 && parts[n-1] == "" {
		n--
	}
	return parts[:n]
}

// newStructSchema returns a STRUCT schema with the basics of base (see
// copySchemaBasics; base may be nil) and the given fields, whose indexes it
// assigns. A repeated field name fails as Java's SchemaBuilder does.
func newStructSchema(base *sluice.Schema, fields []sluice.Field) (*sluice.Schema, error) {
	var s *sluice.Schema
	if base != nil {
		s = copySchemaBasics(base, sluice.StructType)
	} else {
		s = &sluice.Schema{Type: sluice.StructType}
	}
	for i := range fields {
		fields[i].Index = i
		for j := 0; j < i; j++ {
			if fields[j].Name == fields[i].Name {
				return nil, sluice.NewDataError("Cannot create field because of field name duplication %s", fields[i].Name)
			}
		}
	}
	if fields == nil {
		fields = []sluice.Field{}
	}
	s.Fields = fields
	return s, nil
}

// errNonStructFields is Java's ConnectSchema.fields() on a non-STRUCT schema.
func errNonStructFields() error {
	return sluice.NewDataError("Cannot list fields on non-struct type")
}

// planCache memoises, per input schema, a derived schema together with a
// precomputed plan (field index mappings and the like). It behaves like
// schemaCache: LRU of 16, keys compared by pointer first, then by Equal.
type planCache[T any] struct {
	mu      sync.Mutex
	entries []planEntry[T]
}

type planEntry[T any] struct {
	in   *sluice.Schema
	plan T
}

// get returns the plan cached for in.
func (c *planCache[T]) get(in *sluice.Schema) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.entries {
		if c.entries[i].in == in {
			return c.entries[i].plan, true
		}
	}
	for i := range c.entries {
		if c.entries[i].in.Equal(in) {
			return c.entries[i].plan, true
		}
	}
	var zero T
	return zero, false
}

// put stores the plan for in, evicting the oldest entry when full.
func (c *planCache[T]) put(in *sluice.Schema, plan T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= schemaCacheSize {
		copy(c.entries, c.entries[1:])
		c.entries = c.entries[:len(c.entries)-1]
	}
	c.entries = append(c.entries, planEntry[T]{in, plan})
}

// copyMapHashed returns a copy of m that Java would hold as a HashMap (the
// new HashMap<>(m) idiom), with room for extra more entries.
func copyMapHashed(m *sluice.Map, extra int) *sluice.Map {
	out := &sluice.Map{Entries: make([]sluice.MapEntry, len(m.Entries), len(m.Entries)+extra), Hashed: true}
	copy(out.Entries, m.Entries)
	return out
}

// mapGetString returns the value under a string key (Java Map.get).
func mapGetString(m *sluice.Map, key string) (any, int) {
	for i := range m.Entries {
		if k, ok := m.Entries[i].Key.(string); ok && k == key {
			return m.Entries[i].Value, i
		}
	}
	return nil, -1
}
