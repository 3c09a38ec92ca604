package smt

import (
	"testing"

	"sluice.io/sluice"
)

func TestSetSchemaMetadata(t *testing.T) {
	const cls = setSchemaMetadataClass + "$Value"
	s := structSchema("id", sluice.Int64Schema, "n", &sluice.Schema{Type: sluice.String, Optional: true, Default: "dflt"})
	s.Name = "com.example.User"
	v1 := int32(1)
	s.Version = &v1
	val := structVal(t, s, int64(1), nil)
	cases := []xcase{
		{name: "name and version", class: cls, cfg: map[string]string{"schema.name": "x.Y", "schema.version": "4"}, schema: s, value: val,
			want: `Struct{id=int64(1),n="dflt"}`, wantSch: `STRUCT<x.Y>v4{id:INT64,n:STRING?="dflt"}`},
		{name: "version only keeps name", class: cls, cfg: map[string]string{"schema.version": "2"}, schema: s, value: val,
			wantSch: `STRUCT<com.example.User>v2{id:INT64,n:STRING?="dflt"}`, want: `Struct{id=int64(1),n="dflt"}`},
		{name: "no default substitution", class: cls, cfg: map[string]string{"schema.name": "a", "replace.null.with.default": "false"}, schema: s, value: val,
			want: `Struct{id=int64(1),n=null}`},
		{name: "key side", class: setSchemaMetadataClass + "$Key", key: true, cfg: map[string]string{"schema.name": "k"}, schema: s, value: val,
			want: `Struct{id=int64(1),n="dflt"}`, wantSch: `STRUCT<k>v1{id:INT64,n:STRING?="dflt"}`},
		{name: "schema'd null", class: cls, cfg: map[string]string{"schema.name": "a"}, schema: s, value: nil, want: "null", wantSch: `STRUCT<a>v1{id:INT64,n:STRING?="dflt"}`},
		{name: "tombstone", class: cls, cfg: map[string]string{"schema.name": "a"}, value: nil, want: "null", same: true},
		{name: "schemaless", class: cls, cfg: map[string]string{"schema.name": "a"}, value: smap("a", "b"), err: "DataException", errMsg: "Schema required for [updating schema metadata]"},
		{name: "non-struct schema", class: cls, cfg: map[string]string{"schema.name": "a"}, schema: sluice.StringSchema, value: "s", err: "DataException", errMsg: "Cannot list fields on non-struct type"},
		{name: "nothing configured", class: cls, cfg: map[string]string{}, cfgErr: "ConfigException", errMsg: "Neither schema name nor version configured"},
		{name: "bad version", class: cls, cfg: map[string]string{"schema.version": "x"}, cfgErr: "ConfigException"},
	}
	runCases(t, cases)
}

func BenchmarkSetSchemaMetadataValue(b *testing.B) {
	s, st := benchStruct(b)
	benchXform(b, setSchemaMetadataClass+"$Value", map[string]string{"schema.name": "x"}, recordOf(false, s, st))
}
