package smt

import (
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

// copySchemaBasics copies name, version, doc, optional and parameters of
// src onto a new schema of type t (Java's SchemaUtil.copySchemaBasics).
func copySchemaBasics(src *sluice.Schema, t sluice.Type) *sluice.Schema {
	dst := &sluice.Schema{Type: t, Name: src.Name, Version: src.Version, Doc: src.Doc, Optional: src.Optional}
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
