package smt

import (
	"testing"

	"sluice.io/sluice"
)

func TestHoistField(t *testing.T) {
	s := structSchema("a", sluice.StringSchema)
	cases := []xcase{
		{name: "schemaless", class: hoistFieldClass + "$Value", cfg: map[string]string{"field": "line"}, value: "hello", want: `{"line"="hello"}`, wantSch: "null"},
		{name: "schemaless tombstone is wrapped", class: hoistFieldClass + "$Value", cfg: map[string]string{"field": "line"}, value: nil, want: `{"line"=null}`},
		{name: "schema'd primitive", class: hoistFieldClass + "$Key", key: true, cfg: map[string]string{"field": "id"}, schema: sluice.Int64Schema, value: int64(5),
			want: "Struct{id=int64(5)}", wantSch: "STRUCT{id:INT64}"},
		{name: "schema'd struct", class: hoistFieldClass + "$Value", cfg: map[string]string{"field": "w"}, schema: s, value: structVal(t, s, "x"),
			want: `Struct{w=Struct{a="x"}}`, wantSch: "STRUCT{w:STRUCT{a:STRING}}"},
		{name: "null with required schema", class: hoistFieldClass + "$Value", cfg: map[string]string{"field": "w"}, schema: sluice.StringSchema, value: nil, err: "DataException"},
		{name: "null with optional schema", class: hoistFieldClass + "$Value", cfg: map[string]string{"field": "w"}, schema: sluice.OptionalStringSchema, value: nil, want: "Struct{w=null}"},
		{name: "missing field", class: hoistFieldClass + "$Value", cfg: map[string]string{}, cfgErr: "ConfigException"},
	}
	runCases(t, cases)
}

func BenchmarkHoistFieldValue(b *testing.B) {
	benchXform(b, hoistFieldClass+"$Value", map[string]string{"field": "line"}, recordOf(false, nil, benchMap()))
}

func BenchmarkHoistFieldValueStruct(b *testing.B) {
	s, st := benchStruct(b)
	benchXform(b, hoistFieldClass+"$Value", map[string]string{"field": "line"}, recordOf(false, s, st))
}
