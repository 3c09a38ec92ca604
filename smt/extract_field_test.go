package smt

import (
	"testing"

	"sluice.io/sluice"
)

const (
	extractKey   = extractFieldClass + "$Key"
	extractValue = extractFieldClass + "$Value"
)

func TestExtractField(t *testing.T) {
	inner := &sluice.Schema{Type: sluice.StructType, Optional: true, Fields: []sluice.Field{{Name: "ip", Index: 0, Schema: sluice.StringSchema}}}
	person := structSchema("id", sluice.Int64Schema, "src", inner,
		"age", &sluice.Schema{Type: sluice.Int32, Optional: true, Default: int32(18)})
	withSrc := structVal(t, person, int64(7), structVal(t, inner, "10.1.2.3"), nil)
	v2 := func(f string) map[string]string { return map[string]string{"field": f, "field.syntax.version": "v2"} }
	cases := []xcase{
		{name: "schemaless", class: extractValue, cfg: map[string]string{"field": "a"}, value: smap("a", int64(1), "b", "x"), want: "int64(1)", wantSch: "null"},
		{name: "schemaless key", class: extractKey, key: true, cfg: map[string]string{"field": "b"}, value: smap("a", int64(1), "b", "x"), want: `"x"`},
		{name: "schemaless missing", class: extractValue, cfg: map[string]string{"field": "zz"}, value: smap("a", int64(1)), want: "null"},
		{name: "schemaless tombstone", class: extractValue, cfg: map[string]string{"field": "a"}, value: nil, want: "null"},
		{name: "schemaless not a map", class: extractValue, cfg: map[string]string{"field": "a"}, value: "s", err: "DataException",
			errMsg: "Only Map objects supported in absence of schema for [field extraction], found: java.lang.String"},
		{name: "V1 dotted name is one field", class: extractValue, cfg: map[string]string{"field": "a.b"}, value: smap("a.b", "whole", "a", smap("b", "nested")), want: `"whole"`},
		{name: "V2 nested map", class: extractValue, cfg: v2("a.b"), value: smap("a.b", "whole", "a", smap("b", "nested")), want: `"nested"`},
		{name: "V2 backticks", class: extractValue, cfg: v2("`a.b`"), value: smap("a.b", "whole"), want: `"whole"`},
		{name: "V2 null intermediate", class: extractValue, cfg: v2("a.b"), value: smap("a", nil), want: "null"},
		{name: "V2 empty path", class: extractValue, cfg: v2(""), value: smap("a", nil), err: "IllegalArgumentException"},
		{name: "struct", class: extractValue, cfg: map[string]string{"field": "id"}, schema: person, value: withSrc, want: "int64(7)", wantSch: "INT64"},
		{name: "struct default", class: extractValue, cfg: map[string]string{"field": "age"}, schema: person, value: withSrc, want: "int32(18)", wantSch: "INT32?=int32(18)"},
		{name: "struct no default", class: extractValue, cfg: map[string]string{"field": "age", "replace.null.with.default": "false"}, schema: person, value: withSrc, want: "null"},
		{name: "struct V2", class: extractValue, cfg: v2("src.ip"), schema: person, value: withSrc, want: `"10.1.2.3"`, wantSch: "STRING"},
		{name: "struct V1 dotted unknown", class: extractValue, cfg: map[string]string{"field": "src.ip"}, schema: person, value: withSrc, err: "IllegalArgumentException", errMsg: "Unknown field: src.ip"},
		{name: "struct unknown even when null", class: extractValue, cfg: map[string]string{"field": "nope"}, schema: person, value: nil, err: "IllegalArgumentException"},
		{name: "struct null", class: extractValue, cfg: map[string]string{"field": "id"}, schema: person, value: nil, want: "null", wantSch: "INT64"},
		{name: "schema with non-struct", class: extractValue, cfg: map[string]string{"field": "x"}, schema: sluice.StringSchema, value: "s", err: "DataException", errMsg: "Only Struct objects supported for [field extraction]"},
		{name: "bad syntax version", class: extractValue, cfg: map[string]string{"field": "x", "field.syntax.version": "V3"}, cfgErr: "ConfigException"},
		{name: "unclosed backtick", class: extractValue, cfg: v2("`x"), cfgErr: "ConfigException", errMsg: "Incomplete backtick pair"},
		{name: "missing field", class: extractValue, cfg: map[string]string{}, cfgErr: "ConfigException", errMsg: `Missing required configuration "field"`},
	}
	runCases(t, cases)
}
